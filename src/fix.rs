//! Fixes: the text edits a rule attaches to a finding, and applying them to a text.
//!
//! A fix is a set of non-overlapping edits of the page the finding is in, with an
//! applicability: safe fixes leave the page meaning the same (`doclint --fix` applies them),
//! unsafe ones need a human look (`--unsafe-fixes`). The command line, the language server and
//! the tests all apply edits with [`apply`], and pick the fixes of one round with
//! [`non_overlapping`].

use std::fmt;
use std::ops::Range;

use serde::{Deserialize, Serialize};

/// Whether a fix may be applied without a human look.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Applicability {
    /// The page means the same afterwards and nothing else can break.
    Safe,
    /// Probably right, but worth a look (`--unsafe-fixes`).
    Unsafe,
}

impl Applicability {
    /// `safe` or `unsafe`.
    pub fn as_str(self) -> &'static str {
        match self {
            Applicability::Safe => "safe",
            Applicability::Unsafe => "unsafe",
        }
    }
}

/// How a user gets fixes of this applicability applied, as a sentence.
pub fn availability(applicability: Applicability) -> &'static str {
    match applicability {
        Applicability::Safe => "`doclint --fix` does this for you.",
        Applicability::Unsafe => {
            "`doclint --fix --unsafe-fixes` does this for you; review the change."
        }
    }
}

impl fmt::Display for Applicability {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One edit of a text: the bytes of `span` replaced by `new_text` (an empty span inserts, an
/// empty `new_text` deletes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextEdit {
    /// Byte range in the text.
    pub span: Range<usize>,
    /// What replaces it.
    pub new_text: String,
}

impl TextEdit {
    /// Replaces `span` with `new_text`.
    pub fn replace(span: Range<usize>, new_text: impl Into<String>) -> Self {
        TextEdit {
            span,
            new_text: new_text.into(),
        }
    }

    /// Inserts `new_text` at byte `offset`.
    pub fn insert(offset: usize, new_text: impl Into<String>) -> Self {
        TextEdit::replace(offset..offset, new_text)
    }

    /// Deletes `span`.
    pub fn delete(span: Range<usize>) -> Self {
        TextEdit::replace(span, "")
    }

    /// Whether the edit leaves `text` as it is.
    pub fn is_noop(&self, text: &str) -> bool {
        text.get(self.span.clone()) == Some(self.new_text.as_str())
    }
}

/// A rule's fix for one finding: edits of the finding's page, what they do, and whether they
/// are safe.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fix<E = TextEdit> {
    /// Safe or unsafe.
    pub applicability: Applicability,
    /// What the fix does, lower-case and short, such as: write HTTP/1.1 204 No Content.
    pub message: String,
    /// The edits, none overlapping another.
    pub edits: Vec<E>,
}

impl Fix {
    /// A safe fix.
    pub fn safe(message: impl Into<String>, edits: Vec<TextEdit>) -> Self {
        Fix::new(Applicability::Safe, message, edits)
    }

    /// An unsafe fix: applied only with `--unsafe-fixes`.
    pub fn needs_review(message: impl Into<String>, edits: Vec<TextEdit>) -> Self {
        Fix::new(Applicability::Unsafe, message, edits)
    }

    /// A fix with the given applicability.
    pub fn new(
        applicability: Applicability,
        message: impl Into<String>,
        edits: Vec<TextEdit>,
    ) -> Self {
        Fix {
            applicability,
            message: message.into(),
            edits,
        }
    }
}

/// Why edits could not be applied to a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EditError {
    /// An edit reaches past the end of the text or splits a character.
    OutOfRange(Range<usize>),
    /// Two edits touch the same bytes (or insert at the same place).
    Overlap(Range<usize>, Range<usize>),
}

impl fmt::Display for EditError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EditError::OutOfRange(span) => {
                write!(f, "the edit of bytes {span:?} is outside the text")
            }
            EditError::Overlap(a, b) => write!(f, "the edits of bytes {a:?} and {b:?} overlap"),
        }
    }
}

impl std::error::Error for EditError {}

/// Whether two edits conflict: they share bytes, or insert at the same place (whose order
/// would be a guess).
fn conflict(a: &Range<usize>, b: &Range<usize>) -> bool {
    let (first, second) = if (a.start, a.end) <= (b.start, b.end) {
        (a, b)
    } else {
        (b, a)
    };
    first.end > second.start
        || (first.start == second.start && first.is_empty() && second.is_empty())
}

/// `text` with the edits applied. The edits may come in any order; they must lie within the
/// text, on character boundaries, and must not overlap.
pub fn apply(text: &str, edits: &[TextEdit]) -> Result<String, EditError> {
    let mut sorted: Vec<&TextEdit> = edits.iter().collect();
    sorted.sort_by(|a, b| {
        (a.span.start, a.span.end, &a.new_text).cmp(&(b.span.start, b.span.end, &b.new_text))
    });
    for edit in &sorted {
        let span = &edit.span;
        if span.start > span.end
            || span.end > text.len()
            || !text.is_char_boundary(span.start)
            || !text.is_char_boundary(span.end)
        {
            return Err(EditError::OutOfRange(span.clone()));
        }
    }
    // The same edit made twice (two findings repaired by one change) is made once.
    sorted.dedup();
    for pair in sorted.windows(2) {
        if conflict(&pair[0].span, &pair[1].span) {
            return Err(EditError::Overlap(
                pair[0].span.clone(),
                pair[1].span.clone(),
            ));
        }
    }
    let inserted: usize = sorted.iter().map(|e| e.new_text.len()).sum();
    let mut out = String::with_capacity(text.len() + inserted);
    let mut at = 0;
    for edit in sorted {
        out.push_str(&text[at..edit.span.start]);
        out.push_str(&edit.new_text);
        at = edit.span.end;
    }
    out.push_str(&text[at..]);
    Ok(out)
}

/// Picks, in order, the fixes whose edits overlap neither each other nor an edit picked
/// before: the first of two overlapping fixes wins, the other waits for the next round. An
/// edit identical to one picked before is no overlap (two findings repaired by one change).
/// Returns the indices of the picked fixes.
pub fn non_overlapping<'a>(fixes: impl IntoIterator<Item = &'a [TextEdit]>) -> Vec<usize> {
    let clash = |a: &TextEdit, b: &TextEdit| a != b && conflict(&a.span, &b.span);
    let mut taken: Vec<&TextEdit> = Vec::new();
    let mut picked = Vec::new();
    for (i, edits) in fixes.into_iter().enumerate() {
        let clashes = edits.iter().enumerate().any(|(j, e)| {
            edits[..j].iter().any(|other| clash(e, other)) || taken.iter().any(|t| clash(e, t))
        });
        if !clashes {
            taken.extend(edits);
            picked.push(i);
        }
    }
    picked
}

/// The line terminator a text uses: `\r\n` when its first line ends so, else `\n`. Edits that
/// add lines use it, so a CRLF file stays CRLF.
pub fn line_ending(text: &str) -> &'static str {
    match memchr::memchr(b'\n', text.as_bytes()) {
        Some(i) if i > 0 && text.as_bytes()[i - 1] == b'\r' => "\r\n",
        _ => "\n",
    }
}

/// The whole lines that hold `span`, line terminators included, when nothing but whitespace
/// shares them with it: deleting that range removes `span` and leaves no empty line behind.
pub fn own_lines(text: &str, span: Range<usize>) -> Option<Range<usize>> {
    let before = text.get(..span.start)?;
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    let end = if span.end > span.start && text.get(..span.end)?.ends_with('\n') {
        span.end
    } else {
        let rest = text.get(span.end..)?;
        rest.find('\n').map_or(text.len(), |i| span.end + i + 1)
    };
    let blank = |range: Range<usize>| text[range].trim().is_empty();
    (blank(start..span.start) && blank(span.end.min(end)..end)).then_some(start..end)
}

/// The line that ends where `offset` starts one (its terminator included), if any.
pub fn line_before(text: &str, offset: usize) -> Option<Range<usize>> {
    let before = text.get(..offset)?.strip_suffix('\n')?;
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    Some(start..offset)
}

/// The rest of the line from `offset` (its terminator included), if the text goes on there.
pub fn line_at(text: &str, offset: usize) -> Option<Range<usize>> {
    let rest = text.get(offset..).filter(|r| !r.is_empty())?;
    Some(offset..rest.find('\n').map_or(text.len(), |i| offset + i + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_apply_in_any_order() {
        let text = "HTTP/1.1 204 OK\r\nrest";
        let edits = [
            TextEdit::insert(text.len(), "!"),
            TextEdit::replace(13..15, "No Content"),
            TextEdit::delete(0..0),
        ];
        assert_eq!(
            apply(text, &edits[..2]).unwrap(),
            "HTTP/1.1 204 No Content\r\nrest!"
        );
        assert_eq!(
            apply("é", &[TextEdit::insert(1, "x")]),
            Err(EditError::OutOfRange(1..1))
        );
        assert_eq!(
            apply("ab", &[TextEdit::delete(1..3)]),
            Err(EditError::OutOfRange(1..3))
        );
        assert!(edits[2].is_noop(text));
    }

    #[test]
    fn overlapping_edits_are_refused() {
        let text = "abcdef";
        assert!(matches!(
            apply(text, &[TextEdit::delete(0..3), TextEdit::delete(2..4)]),
            Err(EditError::Overlap(..))
        ));
        assert!(matches!(
            apply(text, &[TextEdit::insert(2, "x"), TextEdit::insert(2, "y")]),
            Err(EditError::Overlap(..))
        ));
        // Touching edits do not overlap.
        assert_eq!(
            apply(
                text,
                &[TextEdit::delete(0..2), TextEdit::replace(2..3, "C")]
            )
            .unwrap(),
            "Cdef"
        );
    }

    #[test]
    fn the_first_of_overlapping_fixes_wins() {
        let fixes = [
            vec![TextEdit::delete(0..2)],
            vec![TextEdit::delete(1..3)],
            vec![TextEdit::delete(3..4), TextEdit::delete(5..6)],
            vec![TextEdit::delete(7..8), TextEdit::delete(7..9)],
            vec![TextEdit::delete(0..2)],
        ];
        assert_eq!(non_overlapping(fixes.iter().map(Vec::as_slice)), [0, 2, 4]);
        let twice = [TextEdit::delete(0..2), TextEdit::delete(0..2)];
        assert_eq!(apply("abc", &twice).unwrap(), "c");
    }

    #[test]
    fn own_lines_are_whole_lines_with_nothing_else_on_them() {
        let text = "a\r\n  [x]: y  \r\nb [z]: w\nlast";
        let x = text.find("[x]").unwrap();
        assert_eq!(own_lines(text, x..x + 6), Some(3..15));
        let z = text.find("[z]").unwrap();
        assert_eq!(own_lines(text, z..z + 6), None);
        assert_eq!(own_lines(text, 24..28), Some(24..28));
        assert_eq!(own_lines("a\nb\n", 2..4), Some(2..4));
        assert_eq!(line_before(text, 3), Some(0..3));
        assert_eq!(line_before(text, 0), None);
        assert_eq!(line_at(text, 15), Some(15..24));
        assert_eq!(line_at(text, text.len()), None);
    }

    #[test]
    fn line_endings_follow_the_first_line() {
        assert_eq!(line_ending("a\r\nb\n"), "\r\n");
        assert_eq!(line_ending("a\nb\r\n"), "\n");
        assert_eq!(line_ending("no line break"), "\n");
    }
}
