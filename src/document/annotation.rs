//! `<!-- { … } -->` annotations: code-block annotations and the page annotation.

use std::ops::Range;

use super::json::{self, JsonError, JsonValue, Parsed};
use crate::source::{saturating_u32, Span};

/// An HTML comment whose text starts with `{`. A page has several and keeps them for the whole
/// run: 72 bytes, with `u32` offsets (a page is at most 4 GiB) and the rare parse error boxed.
#[derive(Debug, Clone)]
pub struct Annotation {
    /// The whole comment (see [`Annotation::span`]).
    span: Span,
    /// Offset of the JSON text in the page; JSON spans are relative to it.
    json_base: u32,
    /// The parsed JSON, or why it does not parse even leniently.
    pub parsed: Result<Parsed, Box<JsonError>>,
    /// Whether this is the page annotation (`"type": "#page.annotation"`).
    pub is_page: bool,
    /// Whether the comment is closed by `-->`.
    pub closed: bool,
    /// The index of the fenced code block it binds to (see [`Annotation::code_block`]).
    code_block: Option<u32>,
}

impl Annotation {
    /// Parses the comment text `inner` (which starts at `inner_start` in the page).
    pub fn parse(text: &str, span: Range<usize>, inner: Range<usize>, closed: bool) -> Annotation {
        let raw = &text[inner.clone()];
        let trimmed_start = raw.len() - raw.trim_start().len();
        let json_text = raw.trim();
        let json_base = inner.start + trimmed_start;
        let parsed = json::parse(json_text, json::ParseOptions::default()).map_err(Box::new);
        let is_page = match &parsed {
            Ok(p) => p
                .value
                .get("type")
                .and_then(JsonValue::as_str)
                .is_some_and(|t| t.eq_ignore_ascii_case("#page.annotation")),
            Err(_) => json_text.to_ascii_lowercase().contains("#page.annotation"),
        };
        Annotation {
            span: Span::new(span),
            json_base: saturating_u32(json_base),
            parsed,
            is_page,
            closed,
            code_block: None,
        }
    }

    /// The whole comment.
    pub fn span(&self) -> Range<usize> {
        self.span.range()
    }

    /// The index of the fenced code block it binds to, if any.
    pub fn code_block(&self) -> Option<usize> {
        self.code_block.map(|i| i as usize)
    }

    /// Binds the annotation to the fenced code block of index `block`.
    pub fn set_code_block(&mut self, block: usize) {
        self.code_block = Some(saturating_u32(block));
    }

    /// The root JSON value, when it parsed.
    pub fn value(&self) -> Option<&JsonValue> {
        self.parsed.as_ref().ok().map(|p| &p.value)
    }

    /// The value of a top-level key, when the JSON parsed.
    pub fn get(&self, key: &str) -> Option<&JsonValue> {
        self.value().and_then(|v| v.get(key))
    }

    /// A string value of a top-level key.
    pub fn get_str(&self, key: &str) -> Option<&str> {
        self.get(key).and_then(JsonValue::as_str)
    }

    /// The `blockType` value, when it is a string.
    pub fn block_type(&self) -> Option<&str> {
        self.get_str("blockType")
    }

    /// Whether the block type is `name` (case-insensitive, as ApiDoctor compares it).
    pub fn is(&self, name: &str) -> bool {
        self.block_type()
            .is_some_and(|b| b.eq_ignore_ascii_case(name))
    }

    /// A boolean value of a top-level key (`None` if absent or not a boolean).
    pub fn get_bool(&self, key: &str) -> Option<bool> {
        self.get(key).and_then(JsonValue::as_bool)
    }

    /// The request name(s): `name` as a string, or the first string of a list.
    pub fn name(&self) -> Option<&str> {
        let value = self.get("name")?;
        value.as_str().or_else(|| {
            value
                .as_array()
                .and_then(|a| a.first())
                .and_then(JsonValue::as_str)
        })
    }

    /// The page span of the value [`Annotation::name`] returns (or of the `name` key, or of
    /// the comment).
    pub fn name_span(&self) -> Range<usize> {
        let Some(value) = self.get("name") else {
            return self.key_span("name");
        };
        let first = value.as_array().and_then(|a| a.first()).unwrap_or(value);
        self.abs(&first.span())
    }

    /// The names a response lists in `name`: the string, or every string of the list, each
    /// with its page span. Empty when there is no `name`.
    pub fn names(&self) -> Vec<(&str, Range<usize>)> {
        let Some(value) = self.get("name") else {
            return Vec::new();
        };
        let items = value.as_array().unwrap_or(std::slice::from_ref(value));
        items
            .iter()
            .filter_map(|v| v.as_str().map(|s| (s, self.abs(&v.span()))))
            .collect()
    }

    /// A span of the JSON, made absolute in the page.
    pub fn abs(&self, span: &Range<usize>) -> Range<usize> {
        let base = self.json_base as usize;
        base + span.start..base + span.end
    }

    /// The page span of a top-level key's value, when the key is there.
    pub fn value_span(&self, key: &str) -> Option<Range<usize>> {
        let member = self.value()?.member(key)?;
        Some(self.abs(&member.value.span()))
    }

    /// The page span of a top-level key (or of the comment when the key is absent).
    pub fn key_span(&self, key: &str) -> Range<usize> {
        self.value()
            .and_then(|v| v.member(key))
            .map_or_else(|| self.span(), |m| self.abs(&m.key_span()))
    }
}

#[cfg(test)]
mod tests {
    use super::Annotation;

    /// An annotation is small (a page keeps its annotations for the whole run), and its
    /// offsets read back as they were given.
    #[test]
    fn annotations_are_small_and_keep_their_offsets() {
        assert_eq!(std::mem::size_of::<Annotation>(), 72);
        let text = r#"<!-- { "blockType": "request", "name": "a" } -->"#;
        let mut annotation = Annotation::parse(text, 0..text.len(), 4..text.len() - 3, true);
        annotation.set_code_block(3);
        assert_eq!(annotation.span(), 0..text.len());
        assert_eq!(annotation.code_block(), Some(3));
        assert_eq!(&text[annotation.name_span()], r#""a""#);
        assert_eq!(&text[annotation.key_span("blockType")], r#""blockType""#);
    }
}
