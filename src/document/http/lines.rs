//! The block split into lines and tokens, and helpers to record what is wrong with them.

use std::ops::Range;

use super::model::{HttpProblem, ProblemKind, Spanned};

#[derive(Debug, Clone, Copy)]
pub(super) struct Line {
    /// First byte of the line's text after leading whitespace.
    pub(super) text_start: usize,
    /// One past the last non-whitespace byte (equal to `text_start` for a blank line).
    pub(super) text_end: usize,
}

impl Line {
    pub(super) fn is_blank(&self) -> bool {
        self.text_start == self.text_end
    }

    pub(super) fn text_range(&self) -> Range<usize> {
        self.text_start..self.text_end
    }

    pub(super) fn text<'a>(&self, content: &'a str) -> &'a str {
        &content[self.text_range()]
    }
}

/// Splits content at `\n`; a `\r` before it (and any other surrounding whitespace) is left
/// out of the text range.
pub(super) struct Lines<'a> {
    content: &'a str,
    pos: usize,
}

impl<'a> Lines<'a> {
    pub(super) fn new(content: &'a str) -> Self {
        Lines { content, pos: 0 }
    }
}

impl Iterator for Lines<'_> {
    type Item = Line;

    fn next(&mut self) -> Option<Line> {
        if self.pos >= self.content.len() {
            return None;
        }
        let start = self.pos;
        let end = match memchr::memchr(b'\n', &self.content.as_bytes()[start..]) {
            Some(i) => {
                self.pos = start + i + 1;
                start + i
            }
            None => {
                self.pos = self.content.len();
                self.content.len()
            }
        };
        let after_leading = self.content[start..end].trim_start();
        let text_start = end - after_leading.len();
        let text_end = text_start + after_leading.trim_end().len();
        Some(Line {
            text_start,
            text_end,
        })
    }
}

/// The whitespace-separated tokens of `range`.
pub(super) fn tokens(content: &str, range: Range<usize>) -> Vec<Range<usize>> {
    let text = &content[range.clone()];
    let base = range.start;
    if text.is_ascii() {
        // By bytes: the ASCII characters `char::is_whitespace` accepts are tab to carriage
        // return and the space (HTTP lines are nearly always ASCII, and decoding each
        // character costs more than the rest of the split).
        let bytes = text.as_bytes().iter().enumerate();
        let spaces = bytes.map(|(i, &b)| (base + i, matches!(b, b'\t'..=b'\r' | b' ')));
        return split_at_spaces(spaces, range.end);
    }
    let chars = text.char_indices();
    split_at_spaces(chars.map(|(i, c)| (base + i, c.is_whitespace())), range.end)
}

/// The runs between spaces of a text ending at `end`, given each character's offset and
/// whether it is a space.
fn split_at_spaces(chars: impl Iterator<Item = (usize, bool)>, end: usize) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = None;
    for (at, space) in chars {
        match (space, start) {
            (true, Some(s)) => {
                out.push(s..at);
                start = None;
            }
            (false, None) => start = Some(at),
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push(s..end);
    }
    out
}

pub(super) fn spanned(content: &str, span: Range<usize>) -> Spanned<String> {
    Spanned {
        value: content[span.clone()].to_string(),
        span,
    }
}

pub(super) fn problem(kind: ProblemKind, message: String, span: Range<usize>) -> HttpProblem {
    HttpProblem {
        kind,
        message,
        span,
    }
}

/// Quotes text for a message, shortened to a readable length.
pub(super) fn quote(text: &str) -> String {
    const MAX_CHARS: usize = 80;
    match text.char_indices().nth(MAX_CHARS) {
        Some((cut, _)) => format!("`{}…`", &text[..cut]),
        None => format!("`{text}`"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The split by bytes gives the tokens the split by characters gives.
    #[test]
    fn ascii_lines_split_as_characters_do() {
        for line in [
            "",
            " ",
            "GET /me",
            "  GET\t/me  HTTP/1.1 ",
            "a\x0bb\x0cc\rd\ne",
            "Content-Type: application/json",
            "\x1fx\x1f",
        ] {
            let whole = 0..line.len();
            let by_chars: Vec<Range<usize>> = {
                let mut out = Vec::new();
                let mut start = None;
                for (i, c) in line.char_indices() {
                    match (c.is_whitespace(), start) {
                        (true, Some(s)) => {
                            out.push(s..i);
                            start = None;
                        }
                        (false, None) => start = Some(i),
                        _ => {}
                    }
                }
                out.extend(start.map(|s| s..line.len()));
                out
            };
            assert_eq!(tokens(line, whole), by_chars, "{line:?}");
            let padded = format!("xx{line}");
            let shifted: Vec<Range<usize>> =
                by_chars.iter().map(|r| r.start + 2..r.end + 2).collect();
            assert_eq!(tokens(&padded, 2..padded.len()), shifted, "{line:?}");
        }
        // Not ASCII: U+00A0 is whitespace too.
        assert_eq!(tokens("a\u{a0}b c", 0..6), [0..1, 3..4, 5..6]);
    }
}
