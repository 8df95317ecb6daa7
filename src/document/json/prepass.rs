//! The linear pre-pass: checks the structure so that errors say what was expected, bounds the
//! nesting depth, records the extensions the parse tree does not show, and marks truncation
//! markers to blank out.

use std::ops::Range;

use super::text::describe_found;
use super::value::{depth_message, JsonError, Leniency, LenientUse, ParseOptions, MAX_DEPTH};

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

pub(super) struct PrePass<'a> {
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
    pub(super) lenient: Vec<LenientUse>,
    /// Byte ranges to overwrite with spaces before jsonc-parser sees the text.
    pub(super) blanks: Vec<Range<usize>>,
    /// The last string had a raw line break in it.
    broken_string: bool,
    /// The token before the current one was a string with a raw line break in it, which
    /// usually means a closing quote is missing.
    after_broken_string: bool,
}

impl<'a> PrePass<'a> {
    pub(super) fn new(text: &'a str, opts: ParseOptions) -> Self {
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

    pub(super) fn run(&mut self) -> Result<(), JsonError> {
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
