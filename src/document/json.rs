//! Lenient JSON parsing with byte positions.
//!
//! ApiDoctor reads annotation comments (`<!-- { ... } -->`) and the JSON bodies of HTTP
//! examples with Json.NET, which accepts more than strict JSON. [`parse`] accepts the same
//! extensions, keeps a byte span for every value and key, and reports every extension it had
//! to use as a [`LenientUse`], so callers can warn about it. Strict JSON yields an empty list.
//!
//! # How the work is split
//!
//! * [jsonc-parser](https://docs.rs/jsonc-parser) does the parse of record (tokens, string
//!   escapes, numbers, the value tree). It is run with comments, trailing commas,
//!   single-quoted strings and unquoted property names allowed, and with its other JSON5
//!   extensions (hex numbers, `+1`, `.5`, `NaN`, `\x41` escapes, missing commas) switched off.
//!   It already tolerates raw control characters and line breaks inside strings and any
//!   Unicode whitespace between tokens.
//! * A linear pre-pass (no recursion, no allocation unless something must be reported or
//!   replaced) checks the structure with a small state machine so that errors can say what
//!   was expected, bounds the nesting depth before jsonc-parser (which recurses) sees the
//!   text, records the extensions the parse tree does not show (comments, trailing commas,
//!   control characters in strings, non-standard whitespace), and blanks truncation markers
//!   (`...`, `…`) with spaces of the same byte length so that offsets do not move.
//!
//! # Not accepted
//!
//! Some things Json.NET reads are still errors, as they are mistakes in documentation:
//! `NaN`, `Infinity`, hex and leading-zero numbers, `undefined`, empty array slots (`[1,,2]`),
//! `\'` inside a double-quoted string (and `\"` inside a single-quoted one), and unpaired
//! `\uD800`-style surrogate escapes. Unquoted property names may use letters, digits, `_`
//! and `$`, as in Json.NET, but may start with a digit only if they are all digits.

use std::borrow::Cow;
use std::fmt;
use std::ops::Range;

use jsonc_parser::ast::{ObjectPropName, Value as AstValue};
use jsonc_parser::errors::{ParseError as JsoncError, ParseErrorKind};
use jsonc_parser::{CollectOptions, ParseStringErrorKind};

/// Deepest nesting of arrays and objects that [`parse`] accepts.
///
/// Deeper input is rejected with "JSON nested deeper than 256 levels" before any recursive
/// code runs, so hostile input cannot overflow the stack.
pub const MAX_DEPTH: usize = 256;

/// A parsed JSON value with the byte range it covers in the parsed text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonValue {
    /// What the value is.
    pub kind: JsonKind,
    /// Byte range of the value in the text; strings include their quotes and containers
    /// their brackets.
    pub span: Range<usize>,
}

/// The kind and content of a [`JsonValue`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JsonKind {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number, kept as written.
    Number(JsonNumber),
    /// A string, with escapes decoded.
    String(String),
    /// An array, elements in order.
    Array(Vec<JsonValue>),
    /// An object, members in source order; duplicate keys are kept.
    Object(Vec<JsonMember>),
}

/// A JSON number as written in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonNumber {
    /// The number's source text, such as `-12.5e3`.
    pub text: String,
    /// Whether the text has no fraction and no exponent (no `.`, `e` or `E`).
    pub is_integer: bool,
}

impl JsonNumber {
    /// The value as an `f64` (large or very precise numbers are rounded).
    pub fn as_f64(&self) -> Option<f64> {
        self.text.parse().ok()
    }

    /// The value as an `i64`, if it is an integer that fits.
    pub fn as_i64(&self) -> Option<i64> {
        if self.is_integer {
            self.text.parse().ok()
        } else {
            None
        }
    }
}

/// One `key: value` member of an object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonMember {
    /// The property name, with escapes decoded.
    pub key: String,
    /// Byte range of the property name, including its quotes if it has any.
    pub key_span: Range<usize>,
    /// The member's value.
    pub value: JsonValue,
}

/// An extension to strict JSON that Json.NET accepts and [`parse`] had to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Leniency {
    /// A comma before a closing `}` or `]`; the span is the comma.
    TrailingComma,
    /// A `//` or `/* */` comment; the span is the whole comment (without the line break).
    Comment,
    /// A string in single quotes, as a value or a key; the span is the string.
    SingleQuotedString,
    /// A property name without quotes, such as `{ name: 1 }`; the span is the name.
    UnquotedKey,
    /// A raw line break (LF, CR or CRLF) inside a string; reported once per string, at the
    /// first one.
    LineBreakInString,
    /// A raw control character other than a line break (such as a tab) inside a string;
    /// reported once per string, at the first one.
    ControlCharInString,
    /// Whitespace between tokens other than space, tab, CR and LF: a no-break space
    /// (U+00A0), a narrow no-break space (U+202F), other Unicode spaces, or a vertical tab
    /// or form feed. One report per run of such characters.
    NonAsciiWhitespace,
    /// A truncation marker (`...`, `…`) standing for elided array elements or object
    /// members; only accepted with [`ParseOptions::allow_truncation`]. One report per marker.
    TruncationMarker,
}

impl Leniency {
    /// A short lower-case description, such as "trailing comma".
    pub fn describe(self) -> &'static str {
        match self {
            Leniency::TrailingComma => "trailing comma",
            Leniency::Comment => "comment",
            Leniency::SingleQuotedString => "single-quoted string",
            Leniency::UnquotedKey => "unquoted property name",
            Leniency::LineBreakInString => "line break inside a string",
            Leniency::ControlCharInString => "control character inside a string",
            Leniency::NonAsciiWhitespace => "non-standard whitespace",
            Leniency::TruncationMarker => "truncation marker",
        }
    }
}

impl fmt::Display for Leniency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.describe())
    }
}

/// Where an extension to strict JSON was used.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct LenientUse {
    /// Which extension.
    pub kind: Leniency,
    /// Byte range in the text (see each [`Leniency`] variant for what it covers).
    pub span: Range<usize>,
}

/// Why the text is not JSON, even leniently.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonError {
    /// Lower-case description of the problem, such as
    /// "expected ',' or '}' after a property value, found '\"'".
    pub message: String,
    /// Byte range of the offending token (for a string, its opening quote; for a bad
    /// escape, the escape); an empty range at the end of the text when the text ends too
    /// early; the whole text when it holds no value at all ("empty JSON").
    pub span: Range<usize>,
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for JsonError {}

/// Options for [`parse`].
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct ParseOptions {
    /// Accept truncation markers (`...` or `…`, possibly repeated) in place of array
    /// elements or object members, as in elided response bodies. They are ignored and
    /// reported as [`Leniency::TruncationMarker`]. A marker in place of a single value
    /// (`"a": ...`) is still an error, and `"..."` is an ordinary string either way.
    pub allow_truncation: bool,
}

/// A successfully parsed text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed {
    /// The root value.
    pub value: JsonValue,
    /// Every extension to strict JSON that was used, ordered by position; empty for strict
    /// JSON.
    pub lenient: Vec<LenientUse>,
}

/// Parses `text` as JSON, accepting what Json.NET accepts and reporting each extension used.
///
/// All spans are byte offsets into `text` on character boundaries. Never panics, and runs in
/// time linear in the length of the text.
pub fn parse(text: &str, opts: ParseOptions) -> Result<Parsed, JsonError> {
    let mut pre = PrePass::new(text, opts);
    let structure = pre.run();
    let PrePass {
        mut lenient,
        mut blanks,
        ..
    } = pre;
    let source = blank_out(text, &mut blanks);

    if let Err(err) = structure {
        // The pre-pass does not decode string escapes; let jsonc-parser look at the text
        // before the structural error in case it finds an earlier problem there.
        let end = floor_boundary(&source, err.span.start);
        if let Err(earlier) = jsonc_parse(&source[..end]) {
            let earlier = convert_error(&earlier, &source[..end], text);
            if earlier.span.start < err.span.start {
                return Err(earlier);
            }
        }
        return Err(err);
    }

    // The pre-pass has bounded the nesting depth, so jsonc-parser's recursion is bounded.
    let ast = jsonc_parse(&source).map_err(|e| convert_error(&e, &source, text))?;
    let Some(root) = ast.value else {
        return Err(JsonError {
            message: "empty JSON".to_owned(),
            span: 0..text.len(),
        });
    };
    let value = convert_value(root, text.as_bytes(), &mut lenient);
    lenient.sort_by_key(|l| l.span.start);
    Ok(Parsed { value, lenient })
}

impl JsonValue {
    /// The value of member `key` if this is an object that has it.
    ///
    /// Keys are case-sensitive. When a key occurs more than once the last occurrence wins,
    /// as in Json.NET (the full list is in [`JsonValue::as_object`]).
    pub fn get(&self, key: &str) -> Option<&JsonValue> {
        self.member(key).map(|m| &m.value)
    }

    /// The member named `key` (the last one if repeated) if this is an object that has it.
    pub fn member(&self, key: &str) -> Option<&JsonMember> {
        self.as_object()?.iter().rev().find(|m| m.key == key)
    }

    /// The string, if this is a string.
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            JsonKind::String(s) => Some(s),
            _ => None,
        }
    }

    /// The boolean, if this is `true` or `false`.
    pub fn as_bool(&self) -> Option<bool> {
        match self.kind {
            JsonKind::Bool(b) => Some(b),
            _ => None,
        }
    }

    /// The number, if this is a number.
    pub fn as_number(&self) -> Option<&JsonNumber> {
        match &self.kind {
            JsonKind::Number(n) => Some(n),
            _ => None,
        }
    }

    /// The elements, if this is an array.
    pub fn as_array(&self) -> Option<&[JsonValue]> {
        match &self.kind {
            JsonKind::Array(items) => Some(items),
            _ => None,
        }
    }

    /// The members in source order (duplicates included), if this is an object.
    pub fn as_object(&self) -> Option<&[JsonMember]> {
        match &self.kind {
            JsonKind::Object(members) => Some(members),
            _ => None,
        }
    }

    /// Whether this is `null`.
    pub fn is_null(&self) -> bool {
        matches!(self.kind, JsonKind::Null)
    }

    /// The JSON type name: "null", "boolean", "number", "string", "array" or "object".
    pub fn type_name(&self) -> &'static str {
        match self.kind {
            JsonKind::Null => "null",
            JsonKind::Bool(_) => "boolean",
            JsonKind::Number(_) => "number",
            JsonKind::String(_) => "string",
            JsonKind::Array(_) => "array",
            JsonKind::Object(_) => "object",
        }
    }
}

// ---------------------------------------------------------------------------------------
// jsonc-parser

fn jsonc_options() -> jsonc_parser::ParseOptions {
    jsonc_parser::ParseOptions {
        allow_comments: true,
        allow_loose_object_property_names: true,
        allow_trailing_commas: true,
        allow_missing_commas: false,
        allow_single_quoted_strings: true,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_non_finite_numbers: false,
        allow_extended_string_escapes: false,
    }
}

fn jsonc_parse(source: &str) -> Result<jsonc_parser::ParseResult<'_>, JsoncError> {
    jsonc_parser::parse_to_ast(source, &CollectOptions::default(), &jsonc_options())
}

/// Converts jsonc-parser's tree, noting unquoted keys and single-quoted strings.
/// Recursion is bounded by [`MAX_DEPTH`], which the pre-pass enforced.
fn convert_value(value: AstValue<'_>, text: &[u8], lenient: &mut Vec<LenientUse>) -> JsonValue {
    let range = value_range(&value);
    let kind = match value {
        AstValue::NullKeyword(_) => JsonKind::Null,
        AstValue::BooleanLit(b) => JsonKind::Bool(b.value),
        AstValue::NumberLit(n) => JsonKind::Number(JsonNumber {
            text: n.value.to_owned(),
            is_integer: !n.value.contains(['.', 'e', 'E']),
        }),
        AstValue::StringLit(s) => {
            note_single_quote(text, s.range.start..s.range.end, lenient);
            JsonKind::String(s.value.into_owned())
        }
        AstValue::Array(a) => JsonKind::Array(
            a.elements
                .into_iter()
                .map(|v| convert_value(v, text, lenient))
                .collect(),
        ),
        AstValue::Object(o) => {
            let mut members = Vec::with_capacity(o.properties.len());
            for prop in o.properties {
                let (key, key_span) = match prop.name {
                    ObjectPropName::String(s) => {
                        let span = s.range.start..s.range.end;
                        note_single_quote(text, span.clone(), lenient);
                        (s.value.into_owned(), span)
                    }
                    ObjectPropName::Word(w) => {
                        let span = w.range.start..w.range.end;
                        lenient.push(LenientUse {
                            kind: Leniency::UnquotedKey,
                            span: span.clone(),
                        });
                        (w.value.to_owned(), span)
                    }
                };
                let value = convert_value(prop.value, text, lenient);
                members.push(JsonMember {
                    key,
                    key_span,
                    value,
                });
            }
            JsonKind::Object(members)
        }
    };
    JsonValue { kind, span: range }
}

fn value_range(value: &AstValue<'_>) -> Range<usize> {
    let r = match value {
        AstValue::NullKeyword(n) => n.range,
        AstValue::BooleanLit(b) => b.range,
        AstValue::NumberLit(n) => n.range,
        AstValue::StringLit(s) => s.range,
        AstValue::Array(a) => a.range,
        AstValue::Object(o) => o.range,
    };
    r.start..r.end
}

fn note_single_quote(text: &[u8], span: Range<usize>, lenient: &mut Vec<LenientUse>) {
    if text.get(span.start) == Some(&b'\'') {
        lenient.push(LenientUse {
            kind: Leniency::SingleQuotedString,
            span,
        });
    }
}

/// Turns a jsonc-parser error into a [`JsonError`]. `source` is the text jsonc-parser saw
/// (possibly a prefix of the blanked text), `text` the caller's text for quoting tokens.
fn convert_error(err: &JsoncError, source: &str, text: &str) -> JsonError {
    let mut error = describe_jsonc_error(err, source, text);
    // `source` and `text` differ only where truncation markers were blanked; keep spans on
    // the caller's character boundaries whatever jsonc-parser pointed at
    let start = floor_boundary(text, error.span.start);
    let end = floor_boundary(text, error.span.end).max(start);
    error.span = start..end;
    error
}

fn describe_jsonc_error(err: &JsoncError, source: &str, text: &str) -> JsonError {
    let len = source.len();
    let range = err.range();
    let start = floor_boundary(source, range.start.min(len));
    let end = floor_boundary(source, range.end.min(len)).max(start);
    let at_end = JsonError {
        message: String::new(),
        span: len..len,
    };
    let with = |message: String, span: Range<usize>| JsonError { message, span };
    let found = |pos: usize| -> (String, Range<usize>) {
        let pos = floor_boundary(source, pos);
        // `source[pos..]` is always valid; prefer the caller's text, which shows markers
        let shown = text.get(pos..len).unwrap_or(&source[pos..]);
        match shown.chars().next() {
            Some(c) => (
                describe_found(&shown[..c.len_utf8()]),
                pos..pos + c.len_utf8(),
            ),
            None => ("the end of input".to_owned(), len..len),
        }
    };
    match err.kind() {
        ParseErrorKind::UnterminatedArray => JsonError {
            message: "unexpected end of input: expected ',' or ']' to close the array".into(),
            ..at_end
        },
        ParseErrorKind::UnterminatedObject => JsonError {
            message: "unexpected end of input: expected ',' or '}' to close the object".into(),
            ..at_end
        },
        ParseErrorKind::UnterminatedCommentBlock => with(
            "unterminated block comment: missing '*/'".into(),
            start..(start + 2).min(len),
        ),
        ParseErrorKind::NestingDepthExceeded => with(depth_message(), start..end),
        ParseErrorKind::ExpectedComma => {
            let pos = skip_trivia(source, range.start);
            let (what, span) = found(pos);
            with(format!("expected ',', found {what}"), span)
        }
        ParseErrorKind::String(kind) => {
            let message = match kind {
                ParseStringErrorKind::UnterminatedStringLiteral => {
                    "unterminated string: missing closing quote".to_owned()
                }
                ParseStringErrorKind::ExpectedFourHexDigits => {
                    "invalid escape in a string: expected four hex digits after '\\u'".to_owned()
                }
                ParseStringErrorKind::InvalidUnicodeEscapeSequence(detail) => {
                    let detail = detail.split(" (").nth(1).unwrap_or("");
                    let detail = detail.trim_end_matches(')');
                    if detail.is_empty() {
                        "invalid unicode escape in a string".to_owned()
                    } else {
                        format!("invalid unicode escape in a string: {detail}")
                    }
                }
                _ => "invalid escape sequence in a string".to_owned(),
            };
            // span the escape sequence itself (backslash plus the next character)
            let mut esc_end = start;
            for c in source[start..].chars().take(2) {
                esc_end += c.len_utf8();
            }
            with(message, start..esc_end)
        }
        kind => {
            let description = kind.to_string();
            let mut chars = description.chars();
            let lowered = match chars.next() {
                Some(first) => first.to_lowercase().chain(chars).collect::<String>(),
                None => "invalid JSON".to_owned(),
            };
            let (what, span) = found(start);
            let span = if end > start { start..end } else { span };
            with(format!("{lowered}, found {what}"), span)
        }
    }
}

fn depth_message() -> String {
    format!("JSON nested deeper than {MAX_DEPTH} levels")
}

// ---------------------------------------------------------------------------------------
// Pre-pass

/// Where the structure scan is: what the next token may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Before the root value.
    Start,
    /// Just after `[`.
    ArrStart,
    /// After a `,` in an array.
    ArrValue,
    /// After an array element.
    ArrAfter,
    /// Just after `{`.
    ObjStart,
    /// After a `,` in an object.
    ObjKey,
    /// After a property name.
    ObjColon,
    /// After a `:`.
    ObjValue,
    /// After a property value.
    ObjAfter,
    /// After the root value.
    End,
}

impl State {
    fn expected(self) -> &'static str {
        match self {
            State::Start => "a JSON value",
            State::ArrStart => "a value or ']'",
            State::ArrValue => "a value after ','",
            State::ArrAfter => "',' or ']' after an array element",
            State::ObjStart => "a property name or '}'",
            State::ObjKey => "a property name after ','",
            State::ObjColon => "':' after the property name",
            State::ObjValue => "a value after ':'",
            State::ObjAfter => "',' or '}' after a property value",
            State::End => "the end of input after the JSON value",
        }
    }

    fn takes_value(self) -> bool {
        matches!(
            self,
            State::Start | State::ArrStart | State::ArrValue | State::ObjValue
        )
    }

    fn takes_key(self) -> bool {
        matches!(self, State::ObjStart | State::ObjKey)
    }

    /// Positions where a truncation marker can stand for elided elements or members.
    fn takes_marker(self) -> bool {
        matches!(
            self,
            State::ArrStart
                | State::ArrValue
                | State::ArrAfter
                | State::ObjStart
                | State::ObjKey
                | State::ObjAfter
        )
    }
}

const STACK_WORDS: usize = MAX_DEPTH.div_ceil(64);

/// The open containers, one bit each (set for an object): no allocation.
struct Stack {
    bits: [u64; STACK_WORDS],
    len: usize,
}

impl Stack {
    fn push(&mut self, is_object: bool) -> bool {
        if self.len >= MAX_DEPTH {
            return false;
        }
        let (word, bit) = (self.len / 64, self.len % 64);
        if is_object {
            self.bits[word] |= 1 << bit;
        } else {
            self.bits[word] &= !(1 << bit);
        }
        self.len += 1;
        true
    }

    fn top(&self) -> Option<bool> {
        let i = self.len.checked_sub(1)?;
        Some(self.bits[i / 64] >> (i % 64) & 1 == 1)
    }

    fn pop(&mut self) {
        self.len = self.len.saturating_sub(1);
    }
}

/// What a run of characters that is not punctuation, a string or a comment is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scalar {
    /// `true`, `false` or `null`.
    Literal,
    /// A valid JSON number.
    Number,
    /// Starts like a number but is not a valid JSON number.
    BadNumber,
    /// Letters, digits (not first), `_` and `$`: may be an unquoted property name.
    Word,
    /// `...`, `…` and the like.
    Marker,
    /// Anything else.
    Other,
}

struct PrePass<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    opts: ParseOptions,
    state: State,
    stack: Stack,
    /// Offset of the last comma that separated members or elements.
    last_comma: usize,
    /// A marker right after `[` or `{` swallows the comma that follows it.
    swallow_comma: bool,
    lenient: Vec<LenientUse>,
    /// Byte ranges to overwrite with spaces before jsonc-parser sees the text.
    blanks: Vec<Range<usize>>,
    /// The last string had a raw line break in it.
    broken_string: bool,
    /// The token before the current one was a string with a raw line break in it, which
    /// usually means a closing quote is missing.
    after_broken_string: bool,
}

impl<'a> PrePass<'a> {
    fn new(text: &'a str, opts: ParseOptions) -> Self {
        PrePass {
            text,
            bytes: text.as_bytes(),
            pos: 0,
            opts,
            state: State::Start,
            stack: Stack {
                bits: [0; STACK_WORDS],
                len: 0,
            },
            last_comma: 0,
            swallow_comma: false,
            lenient: Vec::new(),
            blanks: Vec::new(),
            broken_string: false,
            after_broken_string: false,
        }
    }

    fn note(&mut self, kind: Leniency, span: Range<usize>) {
        self.lenient.push(LenientUse { kind, span });
    }

    fn run(&mut self) -> Result<(), JsonError> {
        loop {
            self.skip_trivia()?;
            let start = self.pos;
            let swallow_comma = std::mem::take(&mut self.swallow_comma);
            self.after_broken_string = std::mem::take(&mut self.broken_string);
            let Some(&b) = self.bytes.get(start) else {
                return self.at_end();
            };
            match b {
                b'{' | b'[' => {
                    self.pos += 1;
                    if !self.state.takes_value() {
                        return Err(self.unexpected(start));
                    }
                    let is_object = b == b'{';
                    if !self.stack.push(is_object) {
                        return Err(JsonError {
                            message: depth_message(),
                            span: start..start + 1,
                        });
                    }
                    self.state = if is_object {
                        State::ObjStart
                    } else {
                        State::ArrStart
                    };
                }
                b'}' | b']' => {
                    self.pos += 1;
                    let is_object = b == b'}';
                    match (self.state, is_object) {
                        (State::ArrStart | State::ArrAfter, false)
                        | (State::ObjStart | State::ObjAfter, true) => {}
                        (State::ArrValue, false) | (State::ObjKey, true) => {
                            let comma = self.last_comma;
                            self.note(Leniency::TrailingComma, comma..comma + 1);
                        }
                        _ => return Err(self.unexpected(start)),
                    }
                    self.stack.pop();
                    self.value_done();
                }
                b',' => {
                    self.pos += 1;
                    match self.state {
                        State::ArrStart | State::ObjStart if swallow_comma => {
                            self.blanks.push(start..start + 1);
                        }
                        State::ArrAfter => {
                            self.state = State::ArrValue;
                            self.last_comma = start;
                        }
                        State::ObjAfter => {
                            self.state = State::ObjKey;
                            self.last_comma = start;
                        }
                        _ => return Err(self.unexpected(start)),
                    }
                }
                b':' => {
                    self.pos += 1;
                    if self.state != State::ObjColon {
                        return Err(self.unexpected(start));
                    }
                    self.state = State::ObjValue;
                }
                b'"' | b'\'' => {
                    let terminated = self.lex_string(b);
                    let key = self.state.takes_key();
                    if !key && !self.state.takes_value() {
                        return Err(self.unexpected(start));
                    }
                    if !terminated {
                        let quote = if b == b'"' { "'\"'" } else { "\"'\"" };
                        return Err(JsonError {
                            message: format!("unterminated string: missing closing {quote}"),
                            span: start..start + 1,
                        });
                    }
                    if key {
                        self.state = State::ObjColon;
                    } else {
                        self.value_done();
                    }
                }
                b'/' => {
                    // comments were skipped as trivia, so this is a lone slash
                    self.pos += 1;
                    return Err(self.unexpected(start));
                }
                _ => {
                    let scalar = self.lex_scalar();
                    self.scalar(scalar, start)?;
                }
            }
        }
    }

    fn scalar(&mut self, scalar: Scalar, start: usize) -> Result<(), JsonError> {
        let state = self.state;
        match scalar {
            Scalar::Literal | Scalar::Number if state.takes_value() => self.value_done(),
            // Json.NET's unquoted names are runs of letters, digits, `_` and `$`;
            // jsonc-parser reads one starting with a digit as a number, so take digits only
            Scalar::Literal | Scalar::Word if state.takes_key() => self.state = State::ObjColon,
            Scalar::Number
                if state.takes_key()
                    && self.text[start..self.pos]
                        .bytes()
                        .all(|b| b.is_ascii_digit()) =>
            {
                self.state = State::ObjColon;
            }
            Scalar::BadNumber if state.takes_value() => {
                return Err(JsonError {
                    message: format!(
                        "invalid number {}",
                        describe_found(&self.text[start..self.pos])
                    ),
                    span: start..self.pos,
                });
            }
            Scalar::Marker if self.opts.allow_truncation && state.takes_marker() => {
                self.note(Leniency::TruncationMarker, start..self.pos);
                match state {
                    State::ArrValue | State::ObjKey => {
                        // `a, ...` reads as if neither the comma nor the marker were there
                        let comma = self.last_comma;
                        self.blanks.push(comma..comma + 1);
                        self.state = if state == State::ArrValue {
                            State::ArrAfter
                        } else {
                            State::ObjAfter
                        };
                    }
                    State::ArrStart | State::ObjStart => self.swallow_comma = true,
                    _ => {}
                }
                self.blanks.push(start..self.pos);
            }
            _ => return Err(self.unexpected(start)),
        }
        Ok(())
    }

    fn value_done(&mut self) {
        self.state = match self.stack.top() {
            None => State::End,
            Some(true) => State::ObjAfter,
            Some(false) => State::ArrAfter,
        };
    }

    fn at_end(&self) -> Result<(), JsonError> {
        let len = self.text.len();
        match self.state {
            State::End => Ok(()),
            State::Start => Err(JsonError {
                message: "empty JSON".to_owned(),
                span: 0..len,
            }),
            state => Err(JsonError {
                message: format!("unexpected end of input: expected {}", state.expected()),
                span: len..len,
            }),
        }
    }

    /// The error for the token at `start`, which ends at `self.pos`.
    fn unexpected(&self, start: usize) -> JsonError {
        let end = self.pos.max(start);
        let token = &self.text[start..end];
        let (found, span) = match token.as_bytes().first() {
            // a string: quote only its opening quote, as the string may be long or unclosed
            Some(&q @ (b'"' | b'\'')) => (
                if q == b'"' { "'\"'" } else { "\"'\"" }.to_owned(),
                start..start + 1,
            ),
            _ => (describe_found(token), start..end),
        };
        let mut message = format!("expected {}, found {found}", self.state.expected());
        if self.after_broken_string {
            message.push_str(
                " (the string before it runs across a line break; is its closing quote missing?)",
            );
        }
        JsonError { message, span }
    }

    /// Skips whitespace and comments, noting comments and non-standard whitespace.
    fn skip_trivia(&mut self) -> Result<(), JsonError> {
        while let Some(&b) = self.bytes.get(self.pos) {
            match b {
                b' ' | b'\t' | b'\n' | b'\r' => self.pos += 1,
                b'/' => match self.bytes.get(self.pos + 1) {
                    Some(b'/') => {
                        let start = self.pos;
                        let rest = &self.bytes[start + 2..];
                        let len = memchr::memchr2(b'\n', b'\r', rest).unwrap_or(rest.len());
                        self.pos = start + 2 + len;
                        self.note(Leniency::Comment, start..self.pos);
                    }
                    Some(b'*') => {
                        let start = self.pos;
                        match memchr::memmem::find(&self.bytes[start + 2..], b"*/") {
                            Some(i) => {
                                self.pos = start + 2 + i + 2;
                                self.note(Leniency::Comment, start..self.pos);
                            }
                            None => {
                                return Err(JsonError {
                                    message: "unterminated block comment: missing '*/'".into(),
                                    span: start..start + 2,
                                });
                            }
                        }
                    }
                    _ => return Ok(()),
                },
                0x0B | 0x0C => self.other_whitespace(1),
                _ if b >= 0x80 => match self.text[self.pos..].chars().next() {
                    Some(c) if c.is_whitespace() => self.other_whitespace(c.len_utf8()),
                    _ => return Ok(()),
                },
                _ => return Ok(()),
            }
        }
        Ok(())
    }

    /// Notes `len` bytes of non-standard whitespace at `self.pos`, merging runs.
    fn other_whitespace(&mut self, len: usize) {
        let start = self.pos;
        self.pos += len;
        if let Some(last) = self.lenient.last_mut() {
            if last.kind == Leniency::NonAsciiWhitespace && last.span.end == start {
                last.span.end = self.pos;
                return;
            }
        }
        self.note(Leniency::NonAsciiWhitespace, start..self.pos);
    }

    /// Skips a string starting at `self.pos`; returns whether it was closed. Notes the first
    /// raw line break and the first other raw control character in it.
    fn lex_string(&mut self, quote: u8) -> bool {
        let bytes = self.bytes;
        let mut i = self.pos + 1;
        let (mut line_break, mut control) = (false, false);
        while let Some(&b) = bytes.get(i) {
            if b == quote {
                self.pos = i + 1;
                return true;
            }
            match b {
                // the escaped byte is never a quote; escapes are checked by jsonc-parser
                b'\\' => i += 1,
                b'\n' | b'\r' if !line_break => {
                    line_break = true;
                    self.broken_string = true;
                    let end = if b == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
                        i + 2
                    } else {
                        i + 1
                    };
                    self.note(Leniency::LineBreakInString, i..end);
                }
                b'\n' | b'\r' => {}
                0..0x20 if !control => {
                    control = true;
                    self.note(Leniency::ControlCharInString, i..i + 1);
                }
                _ => {}
            }
            i += 1;
        }
        self.pos = bytes.len();
        false
    }

    /// Consumes a run of characters up to punctuation, whitespace or a control character
    /// (at least one character) and classifies it.
    fn lex_scalar(&mut self) -> Scalar {
        let start = self.pos;
        for (i, c) in self.text[start..].char_indices() {
            let stop = match c {
                '{' | '}' | '[' | ']' | ',' | ':' | '"' | '\'' | '/' => true,
                c if c.is_whitespace() || c.is_control() => true,
                _ => false,
            };
            if stop {
                // a control character on its own is a (bad) token of its own
                self.pos = start + if i == 0 { c.len_utf8() } else { i };
                return classify(&self.text[start..self.pos]);
            }
        }
        self.pos = self.text.len();
        classify(&self.text[start..])
    }
}

fn classify(run: &str) -> Scalar {
    let bytes = run.as_bytes();
    match bytes.first() {
        Some(b'-' | b'0'..=b'9') => {
            if is_json_number(bytes) {
                Scalar::Number
            } else {
                Scalar::BadNumber
            }
        }
        _ if matches!(run, "true" | "false" | "null") => Scalar::Literal,
        _ if run.chars().all(|c| c == '.' || c == '…') => {
            if run.contains('…') || run.len() >= 3 {
                Scalar::Marker
            } else {
                Scalar::Other
            }
        }
        _ if run
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '$')) =>
        {
            Scalar::Word
        }
        _ => Scalar::Other,
    }
}

/// Whether `s` is exactly a number in the JSON grammar.
fn is_json_number(s: &[u8]) -> bool {
    let digits = |mut i: usize| {
        while s.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        i
    };
    let mut i = usize::from(s.first() == Some(&b'-'));
    match s.get(i) {
        Some(b'0') => i += 1,
        Some(b'1'..=b'9') => i = digits(i + 1),
        _ => return false,
    }
    if s.get(i) == Some(&b'.') {
        let after = digits(i + 1);
        if after == i + 1 {
            return false;
        }
        i = after;
    }
    if matches!(s.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(s.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let after = digits(i);
        if after == i {
            return false;
        }
        i = after;
    }
    i == s.len()
}

/// Skips whitespace and comments from `pos` (same rules as jsonc-parser).
fn skip_trivia(text: &str, pos: usize) -> usize {
    let bytes = text.as_bytes();
    let mut pos = floor_boundary(text, pos);
    loop {
        match bytes.get(pos) {
            Some(b' ' | b'\t' | b'\n' | b'\r' | 0x0B | 0x0C) => pos += 1,
            Some(b'/') if bytes.get(pos + 1) == Some(&b'/') => {
                let rest = &bytes[pos + 2..];
                pos += 2 + memchr::memchr2(b'\n', b'\r', rest).unwrap_or(rest.len());
            }
            Some(b'/') if bytes.get(pos + 1) == Some(&b'*') => {
                match memchr::memmem::find(&bytes[pos + 2..], b"*/") {
                    Some(i) => pos += 2 + i + 2,
                    None => return bytes.len(),
                }
            }
            Some(&b) if b >= 0x80 => match text[pos..].chars().next() {
                Some(c) if c.is_whitespace() => pos += c.len_utf8(),
                _ => return pos,
            },
            _ => return pos,
        }
    }
}

/// Quotes a token for an error message: `'abc'`, `'"'`, `U+00A0`, shortened if long.
fn describe_found(token: &str) -> String {
    const MAX_CHARS: usize = 24;
    let mut chars = token.chars();
    match (chars.next(), chars.next()) {
        (None, _) => return "the end of input".to_owned(),
        (Some('\''), None) => return "\"'\"".to_owned(),
        (Some(c), None) if is_invisible(c) => return format!("U+{:04X}", c as u32),
        _ => {}
    }
    let mut out = String::with_capacity(token.len().min(MAX_CHARS * 4) + 4);
    out.push('\'');
    for (n, c) in token.chars().enumerate() {
        if n == MAX_CHARS {
            out.push('…');
            break;
        }
        if is_invisible(c) {
            out.push_str(&format!("\\u{{{:04X}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    out.push('\'');
    out
}

fn is_invisible(c: char) -> bool {
    c.is_control()
        || c.is_whitespace()
        || matches!(c, '\u{00AD}' | '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}')
}

/// Overwrites `blanks` in `text` with spaces (whole characters, so offsets and UTF-8
/// validity are kept); borrows when there is nothing to blank.
fn blank_out<'t>(text: &'t str, blanks: &mut [Range<usize>]) -> Cow<'t, str> {
    if blanks.is_empty() {
        return Cow::Borrowed(text);
    }
    blanks.sort_unstable_by_key(|r| r.start);
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for r in blanks.iter() {
        let (start, end) = (r.start.max(at), r.end.min(text.len()));
        if start >= end || !text.is_char_boundary(start) || !text.is_char_boundary(end) {
            continue;
        }
        out.push_str(&text[at..start]);
        out.extend(std::iter::repeat_n(' ', end - start));
        at = end;
    }
    out.push_str(&text[at..]);
    Cow::Owned(out)
}

/// The largest character boundary of `s` not after `i`.
fn floor_boundary(s: &str, i: usize) -> usize {
    let mut i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ok(text: &str) -> Parsed {
        match parse(text, ParseOptions::default()) {
            Ok(p) => p,
            Err(e) => panic!("{text:?} failed: {e:?}"),
        }
    }

    fn ok_trunc(text: &str) -> Parsed {
        match parse(
            text,
            ParseOptions {
                allow_truncation: true,
            },
        ) {
            Ok(p) => p,
            Err(e) => panic!("{text:?} failed: {e:?}"),
        }
    }

    fn err(text: &str) -> JsonError {
        match parse(text, ParseOptions::default()) {
            Ok(p) => panic!("{text:?} parsed: {p:?}"),
            Err(e) => e,
        }
    }

    /// The kinds and spanned texts of the leniencies used.
    fn uses(text: &str, parsed: &Parsed) -> Vec<(Leniency, String)> {
        parsed
            .lenient
            .iter()
            .map(|l| (l.kind, text[l.span.clone()].to_owned()))
            .collect()
    }

    #[test]
    fn strict_object_with_spans() {
        let text = r#"{ "a": 1, "b": [true, null, "x\ny"], "c": {"d": -2.5e3} }"#;
        let p = ok(text);
        assert!(p.lenient.is_empty());
        assert_eq!(p.value.span, 0..text.len());
        assert_eq!(p.value.type_name(), "object");
        let members = p.value.as_object().unwrap();
        assert_eq!(members.len(), 3);
        assert_eq!(members[0].key, "a");
        assert_eq!(&text[members[0].key_span.clone()], "\"a\"");
        assert_eq!(&text[members[0].value.span.clone()], "1");
        let n = p.value.get("a").unwrap().as_number().unwrap();
        assert_eq!(n.text, "1");
        assert!(n.is_integer);
        assert_eq!(n.as_i64(), Some(1));
        let b = p.value.get("b").unwrap();
        assert_eq!(&text[b.span.clone()], r#"[true, null, "x\ny"]"#);
        let items = b.as_array().unwrap();
        assert_eq!(items[0].as_bool(), Some(true));
        assert!(items[1].is_null());
        assert_eq!(items[2].as_str(), Some("x\ny"));
        assert_eq!(&text[items[2].span.clone()], r#""x\ny""#);
        let d = p.value.get("c").unwrap().get("d").unwrap();
        assert_eq!(&text[d.span.clone()], "-2.5e3");
        assert!(!d.as_number().unwrap().is_integer);
        assert_eq!(d.as_number().unwrap().as_f64(), Some(-2500.0));
        assert_eq!(d.type_name(), "number");
        assert!(p.value.get("missing").is_none());
        assert!(p.value.get("A").is_none(), "keys are case-sensitive");
    }

    #[test]
    fn strict_array_and_scalars() {
        let text = " [1, \"two\", [], {}] \n";
        let p = ok(text);
        assert!(p.lenient.is_empty());
        assert_eq!(p.value.span, 1..text.len() - 2);
        let items = p.value.as_array().unwrap();
        assert_eq!(items.len(), 4);
        assert_eq!(items[2].span, 12..14);
        assert_eq!(items[3].span, 16..18);
        assert_eq!(items[3].type_name(), "object");

        for (text, name) in [
            ("null", "null"),
            ("true", "boolean"),
            (" false ", "boolean"),
            ("0", "number"),
            ("-0.5", "number"),
            ("1E+2", "number"),
            ("\"héllo\"", "string"),
        ] {
            let p = ok(text);
            assert!(p.lenient.is_empty(), "{text}");
            assert_eq!(p.value.type_name(), name);
            let start = text.len() - text.trim_start().len();
            assert_eq!(p.value.span, start..text.trim_end().len(), "{text}");
        }
        assert_eq!(
            ok("\"a\\u00e9\\ud83d\\ude00\"").value.as_str(),
            Some("aé😀")
        );
        let big = ok("123456789012345678901234567890");
        assert_eq!(big.value.as_number().unwrap().as_i64(), None);
        assert_eq!(
            big.value.as_number().unwrap().text,
            "123456789012345678901234567890"
        );
    }

    #[test]
    fn duplicate_keys_are_kept_and_last_wins() {
        let text = r#"{"a": 1, "A": 2, "a": 3}"#;
        let p = ok(text);
        let m = p.value.as_object().unwrap();
        assert_eq!(
            m.iter().map(|m| m.key.as_str()).collect::<Vec<_>>(),
            ["a", "A", "a"]
        );
        assert_eq!(p.value.get("a").unwrap().as_number().unwrap().text, "3");
        assert_eq!(p.value.member("a").unwrap().key_span, 17..20);
        assert_eq!(p.value.get("A").unwrap().as_number().unwrap().text, "2");
    }

    #[test]
    fn trailing_commas() {
        let text = "{\"a\": [1, 2, ], \"b\": 1 , }";
        let p = ok(text);
        assert_eq!(p.lenient.len(), 2);
        assert_eq!(p.lenient[0].kind, Leniency::TrailingComma);
        assert_eq!(p.lenient[0].span, 11..12);
        assert_eq!(p.lenient[1].span, 23..24);
        assert_eq!(p.value.get("a").unwrap().as_array().unwrap().len(), 2);
    }

    #[test]
    fn comments() {
        let text = "// head\n{ /* a */ \"a\": 1 // tail\r\n}";
        let p = ok(text);
        assert_eq!(
            uses(text, &p),
            [
                (Leniency::Comment, "// head".to_owned()),
                (Leniency::Comment, "/* a */".to_owned()),
                (Leniency::Comment, "// tail".to_owned()),
            ]
        );
        assert_eq!(p.value.get("a").unwrap().span, 23..24);
    }

    #[test]
    fn single_quotes_and_unquoted_keys() {
        let text = "{'a': 'x\"y', b_c: \"z\", $d: 1, 2: null, true: 'it''s'}";
        let e = err(text);
        assert_eq!(
            e.message,
            "expected ',' or '}' after a property value, found \"'\""
        );
        assert_eq!(e.span, 49..50, "{e:?}");
        let text = "{'a': 'x\"y', b_c: \"z\", $d: 1, 2: null, true: 'it'}";
        let p = ok(text);
        assert_eq!(
            uses(text, &p),
            [
                (Leniency::SingleQuotedString, "'a'".to_owned()),
                (Leniency::SingleQuotedString, "'x\"y'".to_owned()),
                (Leniency::UnquotedKey, "b_c".to_owned()),
                (Leniency::UnquotedKey, "$d".to_owned()),
                (Leniency::UnquotedKey, "2".to_owned()),
                (Leniency::UnquotedKey, "true".to_owned()),
                (Leniency::SingleQuotedString, "'it'".to_owned()),
            ]
        );
        let m = p.value.as_object().unwrap();
        assert_eq!(m[1].key, "b_c");
        assert_eq!(m[0].value.as_str(), Some("x\"y"));
        assert_eq!(m[3].key, "2");
        assert_eq!(m[4].key, "true");
    }

    #[test]
    fn raw_line_breaks_and_control_characters_in_strings() {
        let text = "{\"a\": \"one\ntwo\r\nthree\", \"b\": \"x\ty\tz\", \"c\": \"p\r\nq\"}";
        let p = ok(text);
        assert_eq!(
            uses(text, &p),
            [
                (Leniency::LineBreakInString, "\n".to_owned()),
                (Leniency::ControlCharInString, "\t".to_owned()),
                (Leniency::LineBreakInString, "\r\n".to_owned()),
            ]
        );
        assert_eq!(p.lenient[0].span, 10..11);
        assert_eq!(p.lenient[1].span.start, text.find('\t').unwrap());
        assert_eq!(
            p.value.get("a").unwrap().as_str(),
            Some("one\ntwo\r\nthree")
        );
        assert_eq!(p.value.get("b").unwrap().as_str(), Some("x\ty\tz"));
    }

    #[test]
    fn non_ascii_whitespace() {
        let text = "{\u{a0}\"a\":\u{202f}\u{a0} 1,\u{b}\"b\": \"\u{a0}\"}";
        let p = ok(text);
        assert_eq!(
            uses(text, &p),
            [
                (Leniency::NonAsciiWhitespace, "\u{a0}".to_owned()),
                (Leniency::NonAsciiWhitespace, "\u{202f}\u{a0}".to_owned()),
                (Leniency::NonAsciiWhitespace, "\u{b}".to_owned()),
            ]
        );
        assert_eq!(p.value.get("b").unwrap().as_str(), Some("\u{a0}"));
        // zero-width space and a byte-order mark are not whitespace, for Json.NET either
        assert!(parse("[1,\u{200b}2]", ParseOptions::default()).is_err());
        assert!(parse("\u{feff}{}", ParseOptions::default()).is_err());
    }

    #[test]
    fn truncation_markers() {
        let cases: &[(&str, &[&str])] = &[
            (r#"{ "value": [ { "id": "1" }, ... ] }"#, &["..."]),
            (r#"{ "id": "1", ... }"#, &["..."]),
            (r#"{ "value": [ ... ] }"#, &["..."]),
            (r#"{ "value": [ … ] }"#, &["…"]),
            (r#"[ ..., 2 ]"#, &["..."]),
            (r#"[ 1, ..., 2 ]"#, &["..."]),
            (r#"[ 1 ..., 2 ]"#, &["..."]),
            (r#"[ ..., ... ]"#, &["...", "..."]),
            (r#"[ 1, …, …… ]"#, &["…", "……"]),
            (r#"{ ..., "a": 1, .... }"#, &["...", "...."]),
            ("[1, /* c */ ...\n]", &["..."]),
        ];
        for (text, markers) in cases {
            let p = ok_trunc(text);
            let found: Vec<_> = uses(text, &p)
                .into_iter()
                .filter(|(k, _)| *k != Leniency::Comment)
                .collect();
            let want: Vec<_> = markers
                .iter()
                .map(|m| (Leniency::TruncationMarker, m.to_string()))
                .collect();
            assert_eq!(found, want, "{text}");
            let e = parse(text, ParseOptions::default()).unwrap_err();
            assert!(text[e.span.clone()].contains(['.', '…']), "{text}: {e:?}");
        }
        let text = r#"{ "value": [ { "id": "1" }, ... ] }"#;
        let v = ok_trunc(text).value;
        let items = v.get("value").unwrap().as_array().unwrap();
        assert_eq!(items.len(), 1);
        assert_eq!(items[0].span, 13..26);
        assert_eq!(v.span, 0..text.len());
        let v = ok_trunc(r#"[ 1, ..., 2 ]"#).value;
        assert_eq!(v.as_array().unwrap().len(), 2);

        // a genuine trailing comma after a marker is still reported, at the right comma
        let text = "[1, ..., ]";
        let p = ok_trunc(text);
        assert_eq!(
            p.lenient
                .iter()
                .map(|l| (l.kind, l.span.clone()))
                .collect::<Vec<_>>(),
            [
                (Leniency::TruncationMarker, 4..7),
                (Leniency::TrailingComma, 7..8)
            ]
        );

        // "..." is a string, not a marker
        let p = ok(r#"["..."]"#);
        assert!(p.lenient.is_empty());

        // markers cannot replace a single value, and `..` is not a marker
        let opts = ParseOptions {
            allow_truncation: true,
        };
        for text in [r#"{"a": ...}"#, "...", "[..]", r#"{"a" ...}"#, "[1, 2...]"] {
            assert!(parse(text, opts).is_err(), "{text}");
        }
        let e = parse(r#"{"a": ...}"#, opts).unwrap_err();
        assert_eq!(e.message, "expected a value after ':', found '...'");
        assert_eq!(e.span, 6..9);
    }

    #[test]
    fn errors_point_at_the_offending_token() {
        let cases: &[(&str, &str, Range<usize>)] = &[
            ("", "empty JSON", 0..0),
            (" \n\t ", "empty JSON", 0..4),
            (
                r#"{"a": 1 "b": 2}"#,
                "expected ',' or '}' after a property value, found '\"'",
                8..9,
            ),
            (
                "[1 2]",
                "expected ',' or ']' after an array element, found '2'",
                3..4,
            ),
            ("[1,,2]", "expected a value after ',', found ','", 3..4),
            (
                r#"{"a":1,,}"#,
                "expected a property name after ',', found ','",
                7..8,
            ),
            ("[,1]", "expected a value or ']', found ','", 1..2),
            (
                r#"{"a": 1]"#,
                "expected ',' or '}' after a property value, found ']'",
                7..8,
            ),
            (
                "[1}",
                "expected ',' or ']' after an array element, found '}'",
                2..3,
            ),
            (
                r#"{"a": 1"#,
                "unexpected end of input: expected ',' or '}' after a property value",
                7..7,
            ),
            (
                "[",
                "unexpected end of input: expected a value or ']'",
                1..1,
            ),
            (
                r#"{"a""#,
                "unexpected end of input: expected ':' after the property name",
                4..4,
            ),
            (
                r#"{"a" 1}"#,
                "expected ':' after the property name, found '1'",
                5..6,
            ),
            (r#"{"a": }"#, "expected a value after ':', found '}'", 6..7),
            (
                "{1.5.2: 1}",
                "expected a property name or '}', found '1.5.2'",
                1..6,
            ),
            (
                "{} []",
                "expected the end of input after the JSON value, found '['",
                3..4,
            ),
            ("]", "expected a JSON value, found ']'", 0..1),
            ("[tru]", "expected a value or ']', found 'tru'", 1..4),
            ("[NaN]", "expected a value or ']', found 'NaN'", 1..4),
            ("[01]", "invalid number '01'", 1..3),
            ("[1.]", "invalid number '1.'", 1..3),
            ("[-]", "invalid number '-'", 1..2),
            ("[0x1F]", "invalid number '0x1F'", 1..5),
            ("[.5]", "expected a value or ']', found '.5'", 1..3),
            ("[+1]", "expected a value or ']', found '+1'", 1..3),
            (
                "[1, \"ab",
                "unterminated string: missing closing '\"'",
                4..5,
            ),
            ("['ab]", "unterminated string: missing closing \"'\"", 1..2),
            ("[1 /* x", "unterminated block comment: missing '*/'", 3..5),
            (
                "[1 / 2]",
                "expected ',' or ']' after an array element, found '/'",
                3..4,
            ),
            ("[\u{1}]", "expected a value or ']', found U+0001", 1..2),
            ("[a\u{a0}]", "expected a value or ']', found 'a'", 1..2),
            ("[\"a\\q\"]", "invalid escape sequence in a string", 3..5),
            (
                "[\"\\u12\"]",
                "invalid escape in a string: expected four hex digits after '\\u'",
                2..4,
            ),
            (
                "[\"\\ud800\"] [",
                "invalid unicode escape in a string: unpaired high surrogate",
                2..4,
            ),
            (
                "{\"a\": \"é\\é\"}",
                "invalid escape sequence in a string",
                9..12,
            ),
            ("[\"\\x41\"]", "invalid escape sequence in a string", 2..4),
            (
                "{\"a\": \"b,\n \"c\": 1}",
                "expected ',' or '}' after a property value, found 'c' (the string before it \
                 runs across a line break; is its closing quote missing?)",
                12..13,
            ),
        ];
        for (text, message, span) in cases {
            let e = err(text);
            assert_eq!(
                (e.message.as_str(), e.span.clone()),
                (*message, span.clone()),
                "{text:?}"
            );
        }
        // the error text is what Display shows
        assert_eq!(
            err("[").to_string(),
            "unexpected end of input: expected a value or ']'"
        );
    }

    #[test]
    fn nesting_depth_is_bounded() {
        for n in [MAX_DEPTH + 1, 100_000] {
            let text = format!("{}{}", "[".repeat(n), "]".repeat(n));
            let e = err(&text);
            assert_eq!(e.message, "JSON nested deeper than 256 levels");
            assert_eq!(e.span, MAX_DEPTH..MAX_DEPTH + 1);

            let text = format!("{}1{}", "{\"a\":".repeat(n), "}".repeat(n));
            let e = err(&text);
            assert_eq!(e.message, "JSON nested deeper than 256 levels");
            assert_eq!(e.span, MAX_DEPTH * 5..MAX_DEPTH * 5 + 1);

            // unclosed, too
            assert_eq!(err(&"[{\"a\":".repeat(n)).message, depth_message());
        }
        let text = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        let p = ok(&text);
        assert_eq!(p.value.span, 0..text.len());
        let text = format!("{}1{}", "{\"a\":".repeat(MAX_DEPTH), "}".repeat(MAX_DEPTH));
        ok(&text);
        // wide is fine
        let text = format!("[{}1]", "1, ".repeat(100_000));
        assert_eq!(ok(&text).value.as_array().unwrap().len(), 100_001);
    }

    #[test]
    fn describes() {
        assert_eq!(Leniency::TrailingComma.describe(), "trailing comma");
        assert_eq!(Leniency::UnquotedKey.to_string(), "unquoted property name");
        assert_eq!(describe_found("'"), "\"'\"");
        assert_eq!(describe_found("\u{a0}"), "U+00A0");
        assert_eq!(
            describe_found(&"x".repeat(30)),
            format!("'{}…'", "x".repeat(24))
        );
    }

    fn check_spans(text: &str, opts: ParseOptions) {
        let ok_span = |r: &Range<usize>| {
            r.start <= r.end
                && r.end <= text.len()
                && text.is_char_boundary(r.start)
                && text.is_char_boundary(r.end)
        };
        fn walk(v: &JsonValue, f: &dyn Fn(&Range<usize>) -> bool) {
            assert!(f(&v.span), "value span {:?}", v.span);
            match &v.kind {
                JsonKind::Array(items) => items.iter().for_each(|i| walk(i, f)),
                JsonKind::Object(members) => {
                    for m in members {
                        assert!(f(&m.key_span), "key span {:?}", m.key_span);
                        walk(&m.value, f);
                    }
                }
                _ => {}
            }
        }
        match parse(text, opts) {
            Ok(p) => {
                walk(&p.value, &ok_span);
                for l in &p.lenient {
                    assert!(ok_span(&l.span), "{l:?}");
                }
            }
            Err(e) => {
                assert!(ok_span(&e.span), "{e:?}");
                assert!(!e.message.is_empty());
            }
        }
    }

    /// Our value as `serde_json`'s, for comparing with a strict parser.
    fn to_serde(v: &JsonValue) -> serde_json::Value {
        match &v.kind {
            JsonKind::Null => serde_json::Value::Null,
            JsonKind::Bool(b) => serde_json::Value::Bool(*b),
            JsonKind::Number(n) => serde_json::from_str(&n.text).unwrap(),
            JsonKind::String(s) => serde_json::Value::String(s.clone()),
            JsonKind::Array(items) => items.iter().map(to_serde).collect(),
            JsonKind::Object(members) => {
                let mut map = serde_json::Map::new();
                for m in members {
                    map.insert(m.key.clone(), to_serde(&m.value));
                }
                serde_json::Value::Object(map)
            }
        }
    }

    const JSONISH: &str = "[\\[\\]{}:,\"' \n\r\t/*.…a-f0-9eE+\\-\\\\u\u{a0}\u{1}tnrl]{0,40}";

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn never_panics_and_spans_are_valid(text in any::<String>(), trunc in any::<bool>()) {
            check_spans(&text, ParseOptions { allow_truncation: trunc });
        }

        #[test]
        fn json_like_text_has_valid_spans(text in JSONISH, trunc in any::<bool>()) {
            check_spans(&text, ParseOptions { allow_truncation: trunc });
        }

        /// Strict JSON (as serde_json sees it) parses with no leniency and the same value,
        /// and anything accepted with no leniency is strict JSON.
        #[test]
        fn agrees_with_serde_json_on_strict_json(text in JSONISH) {
            let ours = parse(&text, ParseOptions::default());
            match serde_json::from_str::<serde_json::Value>(&text) {
                Ok(theirs) => {
                    let p = ours.expect("strict JSON must parse");
                    prop_assert!(p.lenient.is_empty(), "{:?}", p.lenient);
                    prop_assert_eq!(to_serde(&p.value), theirs);
                }
                Err(e) => {
                    if let Ok(p) = ours {
                        let skip = e.to_string().contains("out of range");
                        prop_assert!(skip || !p.lenient.is_empty(), "serde_json: {}", e);
                    }
                }
            }
        }

        #[test]
        fn generated_json_round_trips(value in arb_json()) {
            let text = serde_json::to_string_pretty(&value).unwrap();
            let p = parse(&text, ParseOptions::default()).unwrap();
            prop_assert!(p.lenient.is_empty());
            // compare with serde_json's reading of the same text: its float parsing does not
            // always round-trip, and both sides go through it
            let reread: serde_json::Value = serde_json::from_str(&text).unwrap();
            prop_assert_eq!(to_serde(&p.value), reread);
        }
    }

    fn arb_json() -> impl Strategy<Value = serde_json::Value> {
        let leaf = prop_oneof![
            Just(serde_json::Value::Null),
            any::<bool>().prop_map(serde_json::Value::Bool),
            any::<i64>().prop_map(|n| serde_json::json!(n)),
            (-1e6f64..1e6).prop_map(|n| serde_json::json!(n)),
            any::<String>().prop_map(serde_json::Value::String),
        ];
        leaf.prop_recursive(6, 64, 8, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..8).prop_map(serde_json::Value::Array),
                prop::collection::vec((any::<String>(), inner), 0..8)
                    .prop_map(|kv| serde_json::Value::Object(kv.into_iter().collect())),
            ]
        })
    }

    /// Parses every `<!-- { ... } -->` annotation in the Graph docs corpus.
    #[test]
    fn graph_docs_annotations() {
        let root =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpora/graph-docs");
        if !root.is_dir() {
            let reason = format!("corpus not found at {}", root.display());
            if std::env::var("CI").is_ok_and(|v| v == "true") {
                panic!("{reason} (required when CI=true)");
            }
            eprintln!("skipping graph_docs_annotations: {reason}");
            return;
        }
        let mut files = Vec::new();
        let mut dirs = vec![root.clone()];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path.extension().is_some_and(|e| e == "md") {
                    files.push(path);
                }
            }
        }
        files.sort();
        let (mut strict, mut lenient_only, mut pages) = (0, 0, 0);
        let mut kinds = std::collections::BTreeMap::<Leniency, usize>::new();
        let mut invalid = Vec::new();
        let mut lenient_examples = Vec::new();
        for path in &files {
            let Ok(doc) = std::fs::read_to_string(path) else {
                continue;
            };
            pages += 1;
            let mut rest = doc.as_str();
            while let Some(open) = rest.find("<!--") {
                let after = &rest[open + 4..];
                let Some(close) = after.find("-->") else {
                    break;
                };
                let body = after[..close].trim();
                rest = &after[close + 3..];
                if !body.starts_with('{') {
                    continue;
                }
                let name = path
                    .strip_prefix(&root)
                    .unwrap_or(path)
                    .display()
                    .to_string();
                match parse(body, ParseOptions::default()) {
                    Ok(p) if p.lenient.is_empty() => strict += 1,
                    Ok(p) => {
                        lenient_only += 1;
                        for l in &p.lenient {
                            *kinds.entry(l.kind).or_default() += 1;
                        }
                        let what: Vec<_> = p.lenient.iter().map(|l| l.kind.describe()).collect();
                        lenient_examples.push(format!("{name}: {}", what.join(", ")));
                    }
                    Err(e) => {
                        let head: String = body.chars().take(80).collect();
                        invalid.push(format!("{name}: {} at {:?}: {head:?}", e.message, e.span));
                    }
                }
            }
        }
        println!(
            "graph-docs annotations in {pages} pages: {} total, {strict} strict, \
             {lenient_only} lenient-only, {} invalid",
            strict + lenient_only + invalid.len(),
            invalid.len()
        );
        println!("leniencies used: {kinds:?}");
        for l in &lenient_examples {
            println!("  lenient: {l}");
        }
        for i in &invalid {
            println!("  invalid: {i}");
        }
        assert!(invalid.len() <= 15, "{} annotations invalid", invalid.len());
    }
}
