//! The parsed JSON value and what [`parse`](super::parse) reports besides it.

use std::fmt;
use std::ops::Range;

use crate::source::Span;

/// Deepest nesting of arrays and objects that [`parse`](super::parse) accepts.
///
/// Deeper input is rejected with "JSON nested deeper than 256 levels" before any recursive
/// code runs, so hostile input cannot overflow the stack.
pub const MAX_DEPTH: usize = 256;

/// A parsed JSON value with the byte range it covers in the parsed text.
///
/// Annotations keep their values as long as their pages, so a value is small: 32 bytes, with
/// boxed strings and slices (a value never grows once parsed) and a span of two `u32`s (a
/// text is at most 4 GiB).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonValue {
    /// What the value is.
    pub kind: JsonKind,
    /// Where the value is (see [`JsonValue::span`]).
    span: Span,
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
    String(Box<str>),
    /// An array, elements in order.
    Array(Box<[JsonValue]>),
    /// An object, members in source order; duplicate keys are kept.
    Object(Box<[JsonMember]>),
}

/// A JSON number as written in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonNumber {
    /// The number's source text, such as `-12.5e3`.
    pub text: Box<str>,
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

/// One `key: value` member of an object (56 bytes: see [`JsonValue`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonMember {
    /// The property name, with escapes decoded.
    pub key: Box<str>,
    /// Where the property name is (see [`JsonMember::key_span`]).
    key_span: Span,
    /// The member's value.
    pub value: JsonValue,
}

impl JsonMember {
    /// The member `key: value` whose name is written at `key_span`.
    pub fn new(key: Box<str>, key_span: Range<usize>, value: JsonValue) -> JsonMember {
        JsonMember {
            key,
            key_span: Span::new(key_span),
            value,
        }
    }

    /// Byte range of the property name, including its quotes if it has any.
    pub fn key_span(&self) -> Range<usize> {
        self.key_span.range()
    }
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
    pub lenient: Box<[LenientUse]>,
}

impl JsonValue {
    /// A value of `kind` at `span`.
    pub fn new(kind: JsonKind, span: Range<usize>) -> JsonValue {
        JsonValue {
            kind,
            span: Span::new(span),
        }
    }

    /// Byte range of the value in the text; strings include their quotes and containers
    /// their brackets.
    pub fn span(&self) -> Range<usize> {
        self.span.range()
    }

    /// The value as a `serde_json` value (numbers that `serde_json` cannot hold become
    /// floating-point, or their text when not finite).
    pub fn to_serde(&self) -> serde_json::Value {
        match &self.kind {
            JsonKind::Null => serde_json::Value::Null,
            JsonKind::Bool(b) => serde_json::Value::Bool(*b),
            JsonKind::Number(n) => serde_json::from_str(&n.text).unwrap_or_else(|_| {
                n.as_f64()
                    .and_then(serde_json::Number::from_f64)
                    .map_or_else(
                        || serde_json::Value::String(n.text.to_string()),
                        serde_json::Value::Number,
                    )
            }),
            JsonKind::String(s) => serde_json::Value::String(s.to_string()),
            JsonKind::Array(items) => items.iter().map(JsonValue::to_serde).collect(),
            JsonKind::Object(members) => {
                let mut map = serde_json::Map::new();
                for m in members {
                    map.insert(m.key.to_string(), m.value.to_serde());
                }
                serde_json::Value::Object(map)
            }
        }
    }

    /// The value of member `key` if this is an object that has it.
    ///
    /// Keys are case-sensitive. When a key occurs more than once the last occurrence wins,
    /// as in Json.NET (the full list is in [`JsonValue::as_object`]).
    pub fn get(&self, key: &str) -> Option<&JsonValue> {
        self.member(key).map(|m| &m.value)
    }

    /// The member named `key` (the last one if repeated) if this is an object that has it.
    pub fn member(&self, key: &str) -> Option<&JsonMember> {
        self.as_object()?.iter().rev().find(|m| &*m.key == key)
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

/// The message for input nested deeper than [`MAX_DEPTH`].
pub(super) fn depth_message() -> String {
    format!("JSON nested deeper than {MAX_DEPTH} levels")
}
