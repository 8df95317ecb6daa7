//! The part of a page shown under a finding in the human format: the lines around the span,
//! clipped to a window of columns around it that fits the terminal, with control characters
//! made visible. A finding on a line of a megabyte shows a few hundred bytes of it, so a report
//! stays proportional to the number of findings, and page text can never reach the terminal raw.

use std::ops::Range;

use super::escape;
use crate::source::floor_char_boundary;

/// The most characters of a line shown, however wide the terminal.
const WIDTH: usize = 160;
/// The fewest characters of a line shown, however narrow the terminal.
const MIN_WIDTH: usize = 20;
/// How many characters before the span a clipped line keeps, at most.
const LEAD: usize = 40;
/// The most lines of a multi-line span shown.
pub const SPAN_LINES: usize = 8;
/// Marks a line cut short.
const CUT: &str = "…";

/// The text shown for a finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snippet {
    /// The lines shown, clipped and escaped, `\n`-separated.
    pub text: String,
    /// The finding's span within `text`.
    pub span: Range<usize>,
    /// The 0-based line of the page that `text` starts at.
    pub first_line: usize,
}

/// The snippet of `text` around `span`, which starts on the 0-based line `line`: the span's
/// lines (at most [`SPAN_LINES`]) and, when they are not clipped on the left, one line of
/// context on each side. No line shown is longer than `width` characters (within 20 to 160),
/// the cut marks included.
pub fn around(text: &str, span: Range<usize>, line: usize, width: usize) -> Snippet {
    let width = width.clamp(MIN_WIDTH, WIDTH);
    let start = floor_char_boundary(text, span.start.min(text.len()));
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let (content_end, mut next) = line_end(text, line_start);
    let start = start.min(content_end);
    let mut end = floor_char_boundary(text, span.end.clamp(start, text.len()));
    // A span that takes its line break along ends with its last line.
    if end > start && text[..end].ends_with('\n') {
        end -= 1;
    }
    let mut out = Snippet {
        text: String::new(),
        span: 0..0,
        first_line: line,
    };

    // The span's first line, from a little before the span when the line is long.
    let fits = forward_chars(text, line_start, content_end, width) == content_end;
    // A long line is shown from its start when the span's part of it still shows whole.
    let span_shows =
        forward_chars(text, line_start, content_end, width - 1) >= end.min(content_end);
    let window = if fits || span_shows {
        line_start
    } else {
        back_chars(text, start, line_start, LEAD.min(width / 3))
    };
    let clipped_left = window > line_start;
    if !clipped_left && line_start > 0 && line > 0 {
        let previous = text[..line_start - 1].rfind('\n').map_or(0, |i| i + 1);
        push_line(&mut out.text, text, previous, width);
        out.text.push('\n');
        out.first_line -= 1;
    }
    if clipped_left {
        out.text.push_str(CUT);
    }
    // Room is left for the cut marks: one on the left when there is one, one on the right.
    let budget = if fits {
        width
    } else {
        width - 1 - usize::from(clipped_left)
    };
    let shown = forward_chars(text, window, content_end, budget);
    out.span.start = out.text.len() + escaped_len(&text[window..start]);
    let mut span_end = None;
    if end <= next {
        // A span that ends in the line break ends with the line.
        end = end.min(content_end);
        span_end = Some(out.text.len() + escaped_len(&text[window..end.min(shown)]));
    }
    out.text.push_str(&escape::line(&text[window..shown]));
    if shown < content_end {
        out.text.push_str(CUT);
    }

    // The span's other lines, each from its start.
    let mut lines = 1;
    while span_end.is_none() && next < text.len() && lines < SPAN_LINES {
        let from = next + 1;
        let (content_end, line_break) = line_end(text, from);
        out.text.push('\n');
        if end <= line_break {
            end = end.min(content_end);
            let shown = line_shown(text, from, content_end, width);
            span_end = Some(out.text.len() + escaped_len(&text[from..end.min(shown)]));
        }
        push_line(&mut out.text, text, from, width);
        next = line_break;
        lines += 1;
    }
    out.span.end = span_end.unwrap_or(out.text.len()).max(out.span.start);

    // One line of context after, unless the span's line was clipped or the span cut short.
    if !clipped_left && span_end.is_some() && next < text.len() {
        let from = next + 1;
        out.text.push('\n');
        push_line(&mut out.text, text, from, width);
        next = line_end(text, from).1;
    }
    // The last line keeps its line break, so that an empty last line still shows.
    if next < text.len() {
        out.text.push('\n');
    }
    out
}

/// Where the line starting at `from` ends: the end of its text (before a `\r\n` or `\n`) and
/// the offset of its line break (the end of the page for the last line).
fn line_end(text: &str, from: usize) -> (usize, usize) {
    let line_break = text[from..].find('\n').map_or(text.len(), |i| from + i);
    let content = if text[from..line_break].ends_with('\r') {
        line_break - 1
    } else {
        line_break
    };
    (content, line_break)
}

/// The byte offset `count` characters before `offset`, but not before `floor`.
fn back_chars(text: &str, offset: usize, floor: usize, count: usize) -> usize {
    text[floor..offset]
        .char_indices()
        .rev()
        .take(count)
        .last()
        .map_or(offset, |(i, _)| floor + i)
}

/// The byte offset `count` characters after `offset`, but not past `ceiling`.
fn forward_chars(text: &str, offset: usize, ceiling: usize, count: usize) -> usize {
    text[offset..ceiling]
        .char_indices()
        .nth(count)
        .map_or(ceiling, |(i, _)| offset + i)
}

/// Where the part of the line from `from` to `content_end` that is shown ends: all of it when
/// it fits in `width` characters, else as much as leaves room for the cut mark.
fn line_shown(text: &str, from: usize, content_end: usize, width: usize) -> usize {
    match forward_chars(text, from, content_end, width) {
        all if all == content_end => all,
        _ => forward_chars(text, from, content_end, width - 1),
    }
}

/// Appends the line starting at `from` (without its line break), clipped to `width`
/// characters with its cut mark, with its control characters escaped.
fn push_line(out: &mut String, text: &str, from: usize, width: usize) {
    let (content_end, _) = line_end(text, from);
    let shown = line_shown(text, from, content_end, width);
    out.push_str(&escape::line(&text[from..shown]));
    if shown < content_end {
        out.push_str(CUT);
    }
}

/// The length of `part` once its control characters are escaped.
fn escaped_len(part: &str) -> usize {
    escape::line(part).len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snip(text: &str, span: Range<usize>) -> (String, String, usize) {
        let line = text[..span.start.min(text.len())].matches('\n').count();
        let snippet = around(text, span, line, WIDTH);
        let marked = snippet.text[snippet.span.clone()].to_string();
        (snippet.text, marked, snippet.first_line)
    }

    #[test]
    fn short_lines_keep_one_line_of_context() {
        let text = "a\nb [x](y) c\nd\ne\n";
        let (shown, marked, first) = snip(text, 4..10);
        assert_eq!(shown, "a\nb [x](y) c\nd\n");
        assert_eq!(marked, "[x](y)");
        assert_eq!(first, 0);
        let (shown, marked, first) = snip(text, 0..1);
        assert_eq!(
            (shown.as_str(), marked.as_str(), first),
            ("a\nb [x](y) c\n", "a", 0)
        );
        let (_, marked, first) = snip(text, 13..14);
        assert_eq!((marked.as_str(), first), ("d", 1));
    }

    #[test]
    fn a_long_line_is_clipped_around_the_span() {
        let mut text = "x".repeat(100_000);
        text.push_str("[broken](gone.md)");
        text.push_str(&"y".repeat(100_000));
        text.push_str("\nnext\n");
        let start = 100_000;
        let (shown, marked, first) = snip(&text, start..start + 17);
        assert_eq!(marked, "[broken](gone.md)");
        assert!(shown.starts_with(CUT) && shown.ends_with("…\n"), "{shown}");
        assert!(shown.chars().count() <= WIDTH + 1, "{}", shown.len());
        assert_eq!(first, 0);
    }

    #[test]
    fn no_line_is_wider_than_asked() {
        let long = format!("{}[x](y){}", "a".repeat(70), "b".repeat(70));
        let text = format!("{long}\n{long}\n{long}\n");
        let start = long.len() + 1 + 70;
        for width in [20, 40, 72, 80] {
            let snippet = around(&text, start..start + 6, 1, width);
            assert_eq!(&snippet.text[snippet.span.clone()], "[x](y)", "{width}");
            for line in snippet.text.lines() {
                assert!(line.chars().count() <= width, "{width}: {line}");
            }
        }
        // Context lines and the span's later lines are clipped too.
        let snippet = around(&text, 0..text.len(), 0, 40);
        assert_eq!(snippet.text.lines().count(), 3);
        assert!(snippet
            .text
            .lines()
            .all(|l| l.chars().count() == 40 && l.ends_with(CUT)));
        // A line that fits is shown whole, without a mark.
        let snippet = around("short [x](y)\n", 6..12, 0, 12);
        assert_eq!(snippet.text, "short [x](y)\n");
    }

    #[test]
    fn control_characters_are_escaped_and_the_span_follows() {
        let text = "before\n\u{1b}]0;title\u{7} [x](y)\r\nafter";
        let start = text.find('[').unwrap();
        let (shown, marked, _) = snip(text, start..start + 6);
        assert_eq!(shown, "before\n\\u{1b}]0;title\\u{7} [x](y)\nafter");
        assert_eq!(marked, "[x](y)");
    }

    #[test]
    fn multi_line_spans_show_their_lines() {
        let text = "a\n```\ncode\n```\nz\n";
        let (shown, marked, _) = snip(text, 2..14);
        assert_eq!(shown, "a\n```\ncode\n```\nz\n");
        assert_eq!(marked, "```\ncode\n```");
        let long: String = (0..20).map(|i| format!("line {i}\n")).collect();
        let (shown, _, _) = snip(&long, 0..long.len());
        assert_eq!(shown.lines().count(), SPAN_LINES);
    }

    #[test]
    fn spans_past_the_end_are_clamped() {
        let (shown, marked, _) = snip("abc", 2..10);
        assert_eq!((shown.as_str(), marked.as_str()), ("abc", "c"));
        let (_, marked, _) = snip("abc\n", 4..4);
        assert_eq!(marked, "");
    }
}
