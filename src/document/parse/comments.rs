//! HTML comments, and the annotations among them bound to the code blocks they describe.

use std::ops::Range;
use std::sync::OnceLock;

use memchr::memmem::Finder;

use crate::document::annotation::Annotation;
use crate::document::model::{CodeBlock, Comment};

pub(super) fn is_comment_only(html: &str) -> bool {
    let mut rest = html.trim();
    while let Some(after) = rest.strip_prefix("<!--") {
        match comment_markers().1.find(after.as_bytes()) {
            Some(end) => rest = after[end + 3..].trim(),
            None => return true,
        }
    }
    rest.is_empty()
}

/// `html` with every comment replaced by spaces (offsets kept).
pub(super) fn blank_comments(html: &str) -> std::borrow::Cow<'_, str> {
    if !html.contains("<!--") {
        return std::borrow::Cow::Borrowed(html);
    }
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find("<!--") {
        out.push_str(&rest[..start]);
        let end = rest[start..]
            .find("-->")
            .map_or(rest.len(), |e| start + e + 3);
        out.extend(std::iter::repeat_n(' ', rest[start..end].len()));
        rest = &rest[end..];
    }
    out.push_str(rest);
    std::borrow::Cow::Owned(out)
}

/// HTML comments outside fenced code and code spans, found textually so that comments split
/// across several HTML events (or never closed) come out whole.
pub(super) fn find_comments(
    text: &str,
    from: usize,
    code_blocks: &[CodeBlock],
    code_spans: &[Range<usize>],
) -> Vec<Comment> {
    let inside = |offset: usize| {
        within(code_blocks, offset, CodeBlock::span) || within(code_spans, offset, |s| s.clone())
    };
    let mut comments = Vec::new();
    let (finder, close) = comment_markers();
    let mut offset = from;
    while let Some(found) = finder.find(&text.as_bytes()[offset..]) {
        let start = offset + found;
        if inside(start) {
            offset = start + 4;
            continue;
        }
        let inner_start = start + 4;
        let (inner_end, end, closed) = match close.find(&text.as_bytes()[inner_start..]) {
            Some(i) => (inner_start + i, inner_start + i + 3, true),
            None => (text.len(), text.len(), false),
        };
        comments.push(Comment::new(start..end, inner_start..inner_end, closed));
        offset = end;
    }
    comments
}

/// The searchers for `<!--` and `-->`, set up once for every page.
fn comment_markers() -> &'static (Finder<'static>, Finder<'static>) {
    static MARKERS: OnceLock<(Finder<'static>, Finder<'static>)> = OnceLock::new();
    MARKERS.get_or_init(|| (Finder::new(b"<!--"), Finder::new(b"-->")))
}

/// Binds each code-block annotation to the fenced block right after it (only whitespace between).
pub(super) fn bind_annotations(
    text: &str,
    annotations: &mut [Annotation],
    code_blocks: &mut [CodeBlock],
) {
    for (i, annotation) in annotations.iter_mut().enumerate() {
        if annotation.is_page || !annotation.closed {
            continue;
        }
        let next = code_blocks.partition_point(|b| b.span().start < annotation.span().end);
        let Some(block) = code_blocks.get_mut(next) else {
            continue;
        };
        let gap = &text[annotation.span().end..block.span().start];
        if gap.chars().all(char::is_whitespace) && block.annotation().is_none() {
            block.set_annotation(i);
            annotation.set_code_block(next);
        }
    }
}

/// Whether `offset` lies in one of `items`, whose spans are sorted and do not overlap.
pub(super) fn within<T>(items: &[T], offset: usize, span: impl Fn(&T) -> Range<usize>) -> bool {
    let after = items.partition_point(|item| span(item).start <= offset);
    after > 0 && offset < span(&items[after - 1]).end
}
