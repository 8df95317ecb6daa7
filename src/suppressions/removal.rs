//! The edits that take an unused suppression out of a page (DL901's fixes): a whole comment
//! with the line it stood on, some rules out of a comment's list, or one string out of a page
//! annotation's `suppressions` list.

use std::ops::Range;

use crate::document::json::JsonValue;
use crate::document::Annotation;
use crate::fix::{line_at, line_before, line_ending, own_lines, TextEdit};

/// The edit that deletes the comment at `comment` so that the page renders as before: with its
/// line when nothing else stands on it (and one of the blank lines around it, so no double
/// blank line is left), else with the spaces that separate it from the rest of its line.
/// A comment on a line of its own between two lines of text separates two blocks; it becomes a
/// blank line, unless it is indented (in a list item a blank line would loosen the list): then
/// there is no edit.
pub(super) fn delete_comment(text: &str, comment: Range<usize>) -> Option<TextEdit> {
    let blank = |range: &Range<usize>| text[range.clone()].trim().is_empty();
    let Some(lines) = own_lines(text, comment.clone()) else {
        return Some(TextEdit::delete(with_spaces(text, comment)));
    };
    let before = line_before(text, lines.start);
    let after = line_at(text, lines.end);
    let text_before = before.as_ref().is_some_and(|l| !blank(l));
    let text_after = after.as_ref().is_some_and(|l| !blank(l));
    match (text_before, text_after) {
        (false, false) => {
            // Between blank lines (or the page's ends): take one of them along.
            let span = match (after, before) {
                (Some(after), _) => lines.start..after.end,
                (None, Some(before)) => before.start..lines.end,
                (None, None) => lines,
            };
            Some(TextEdit::delete(span))
        }
        (true, true) if text[lines.start..comment.start].is_empty() => {
            Some(TextEdit::replace(lines, line_ending(text)))
        }
        (true, true) => None,
        _ => Some(TextEdit::delete(lines)),
    }
}

/// `span` with the spaces and tabs before it (or, at the start of a line, after it).
fn with_spaces(text: &str, span: Range<usize>) -> Range<usize> {
    let is_space = |c: char| c == ' ' || c == '\t';
    let before = text[..span.start].trim_end_matches(is_space);
    if before.is_empty() || before.ends_with('\n') {
        let after = text[span.end..].trim_start_matches(is_space);
        span.start..text.len() - after.len()
    } else {
        before.len()..span.end
    }
}

/// The edit that rewrites a comment's list of rules (at `list`) without the words at `drop`:
/// the words left are joined as they were (by `, ` when the list used commas, else a space).
pub(super) fn drop_words(text: &str, list: Range<usize>, drop: &[Range<usize>]) -> TextEdit {
    let written = &text[list.clone()];
    let separator = if written.contains(',') { ", " } else { " " };
    let kept: Vec<&str> = words(written)
        .into_iter()
        .filter(|(at, word)| {
            let span = list.start + at..list.start + at + word.len();
            !drop.contains(&span)
        })
        .map(|(_, word)| word)
        .collect();
    TextEdit::replace(list, kept.join(separator))
}

/// The words of a comment's list of rules (separated by whitespace or commas), with their
/// offsets in `text`.
pub(super) fn words(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        if c.is_whitespace() || c == ',' {
            if let Some(s) = start.take() {
                out.push((s, &text[s..i]));
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(s) = start {
        out.push((s, &text[s..]));
    }
    out
}

/// The edit that deletes item `i` of the page annotation's `suppressions` list with the comma
/// that separates it from a neighbour; the last item left goes with its key.
pub(super) fn delete_item(
    annotation: &Annotation,
    items: &[JsonValue],
    i: usize,
) -> Option<TextEdit> {
    let item = items.get(i)?;
    let span = if let Some(next) = items.get(i + 1) {
        item.span().start..next.span().start
    } else if let Some(previous) = i.checked_sub(1).and_then(|p| items.get(p)) {
        previous.span().end..item.span().end
    } else {
        let members = annotation.value()?.as_object()?;
        let m = members.iter().position(|m| &*m.key == "suppressions")?;
        let member = &members[m];
        if let Some(next) = members.get(m + 1) {
            member.key_span().start..next.key_span().start
        } else if let Some(previous) = m.checked_sub(1).and_then(|p| members.get(p)) {
            previous.value.span().end..member.value.span().end
        } else {
            member.key_span().start..member.value.span().end
        }
    };
    Some(TextEdit::delete(annotation.abs(&span)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fix::apply;

    fn without(text: &str, comment: &str) -> Option<String> {
        let at = text.find(comment).unwrap();
        let edit = delete_comment(text, at..at + comment.len())?;
        Some(apply(text, &[edit]).unwrap())
    }

    #[test]
    fn a_comment_goes_without_changing_the_blocks_around_it() {
        let c = "<!-- doclint-disable -->";
        assert_eq!(without(&format!("a\n\n{c}\n\nb\n"), c).unwrap(), "a\n\nb\n");
        assert_eq!(without(&format!("a\n\n{c}\r\n"), c).unwrap(), "a\n");
        assert_eq!(without(&format!("{c}\n# T\n"), c).unwrap(), "# T\n");
        assert_eq!(
            without(&format!("a\r\n{c}\r\nb\r\n"), c).unwrap(),
            "a\r\n\r\nb\r\n"
        );
        assert_eq!(without(&format!("- a\n  {c}\n  b\n"), c), None);
        assert_eq!(without(&format!("x {c} y\n"), c).unwrap(), "x y\n");
        assert_eq!(
            without(&format!("{c}  <!-- n -->\n"), c).unwrap(),
            "<!-- n -->\n"
        );
        assert_eq!(without(&format!("## H {c}\n"), c).unwrap(), "## H\n");
    }

    #[test]
    fn dropped_rules_leave_the_others_as_written() {
        let text = "<!-- doclint-disable DL401, DL402 DL403 -- why -->";
        let list = text.find("DL401").unwrap()..text.find(" --").unwrap();
        let dl402 = text.find("DL402").unwrap();
        let drop = vec![Range {
            start: dl402,
            end: dl402 + 5,
        }];
        let edit = drop_words(text, list, &drop);
        assert_eq!(
            apply(text, &[edit]).unwrap(),
            "<!-- doclint-disable DL401, DL403 -- why -->"
        );
        assert_eq!(words(" a,b  c"), [(1, "a"), (3, "b"), (6, "c")]);
    }
}
