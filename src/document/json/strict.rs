//! The fast path for strict JSON, the common case: annotations and example bodies are nearly
//! always plain JSON with no escapes. It builds the same tree as the lenient parse, and gives
//! up (`None`) at anything it does not handle (escapes, control characters, other whitespace,
//! any extension, any error, deep nesting), which then goes to the lenient parse.

use super::value::{JsonKind, JsonMember, JsonNumber, JsonValue};

/// Nesting deeper than this goes to the lenient parse (which bounds it before recursing).
const MAX_NESTING: usize = 64;

/// The value of `text` when it is strict JSON without escapes, else `None`.
pub(super) fn parse(text: &str) -> Option<JsonValue> {
    let mut parser = Strict {
        text,
        bytes: text.as_bytes(),
        pos: 0,
        depth: 0,
        items: Vec::new(),
        members: Vec::new(),
    };
    parser.skip_whitespace();
    let value = parser.value()?;
    parser.skip_whitespace();
    (parser.pos == parser.bytes.len()).then_some(value)
}

struct Strict<'t> {
    text: &'t str,
    bytes: &'t [u8],
    pos: usize,
    depth: usize,
    /// The elements of the arrays being read, innermost last: an array's own are moved into
    /// a boxed slice of exactly their number when it closes (no growing list per array).
    items: Vec<JsonValue>,
    /// The members of the objects being read, likewise.
    members: Vec<JsonMember>,
}

impl Strict<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn skip_whitespace(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    /// Consumes `byte` (after whitespace), or gives up.
    fn expect(&mut self, byte: u8) -> Option<()> {
        self.skip_whitespace();
        (self.peek() == Some(byte)).then(|| self.pos += 1)
    }

    fn value(&mut self) -> Option<JsonValue> {
        let start = self.pos;
        let kind = match self.peek()? {
            b'{' => self.object()?,
            b'[' => self.array()?,
            b'"' => JsonKind::String(self.string()?.into()),
            b't' => self.word("true", JsonKind::Bool(true))?,
            b'f' => self.word("false", JsonKind::Bool(false))?,
            b'n' => self.word("null", JsonKind::Null)?,
            b'-' | b'0'..=b'9' => self.number()?,
            _ => return None,
        };
        Some(JsonValue::new(kind, start..self.pos))
    }

    fn word(&mut self, word: &str, kind: JsonKind) -> Option<JsonKind> {
        if !self.text[self.pos..].starts_with(word) {
            return None;
        }
        self.pos += word.len();
        // `trueish` is not `true`.
        if self
            .peek()
            .is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_')
        {
            return None;
        }
        Some(kind)
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`, kept as written.
    fn number(&mut self) -> Option<JsonKind> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.peek()? {
            b'0' => self.pos += 1,
            b'1'..=b'9' => self.digits(),
            _ => return None,
        }
        let mut is_integer = true;
        if self.peek() == Some(b'.') {
            self.pos += 1;
            is_integer = false;
            self.some_digits()?;
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.pos += 1;
            is_integer = false;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            self.some_digits()?;
        }
        if self
            .peek()
            .is_some_and(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'+' | b'-'))
        {
            return None;
        }
        Some(JsonKind::Number(JsonNumber {
            text: self.text[start..self.pos].into(),
            is_integer,
        }))
    }

    fn digits(&mut self) {
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.pos += 1;
        }
    }

    fn some_digits(&mut self) -> Option<()> {
        let start = self.pos;
        self.digits();
        (self.pos > start).then_some(())
    }

    /// A double-quoted string without escapes or control characters: its text.
    fn string(&mut self) -> Option<&str> {
        let start = self.pos + 1;
        let rest = &self.bytes[start..];
        let end = start + memchr::memchr2(b'"', b'\\', rest)?;
        if self.bytes[end] != b'"' || self.bytes[start..end].iter().any(|&b| b < 0x20) {
            return None;
        }
        self.pos = end + 1;
        Some(&self.text[start..end])
    }

    fn nest(&mut self) -> Option<()> {
        self.depth += 1;
        (self.depth <= MAX_NESTING).then_some(())
    }

    fn array(&mut self) -> Option<JsonKind> {
        self.nest()?;
        self.pos += 1;
        let first = self.items.len();
        self.skip_whitespace();
        if self.peek() == Some(b']') {
            self.pos += 1;
        } else {
            loop {
                self.skip_whitespace();
                let item = self.value()?;
                self.items.push(item);
                self.skip_whitespace();
                match self.peek()? {
                    b',' => self.pos += 1,
                    b']' => {
                        self.pos += 1;
                        break;
                    }
                    _ => return None,
                }
            }
        }
        self.depth -= 1;
        Some(JsonKind::Array(self.items.drain(first..).collect()))
    }

    fn object(&mut self) -> Option<JsonKind> {
        self.nest()?;
        self.pos += 1;
        let first = self.members.len();
        self.skip_whitespace();
        if self.peek() == Some(b'}') {
            self.pos += 1;
        } else {
            loop {
                self.skip_whitespace();
                if self.peek() != Some(b'"') {
                    return None;
                }
                let key_start = self.pos;
                let key = self.string()?.into();
                let key_span = key_start..self.pos;
                self.expect(b':')?;
                self.skip_whitespace();
                let value = self.value()?;
                self.members.push(JsonMember::new(key, key_span, value));
                self.skip_whitespace();
                match self.peek()? {
                    b',' => self.pos += 1,
                    b'}' => {
                        self.pos += 1;
                        break;
                    }
                    _ => return None,
                }
            }
        }
        self.depth -= 1;
        Some(JsonKind::Object(self.members.drain(first..).collect()))
    }
}
