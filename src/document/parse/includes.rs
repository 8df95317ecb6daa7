//! `[!INCLUDE]` directives, and the paragraphs that hold nothing else.

use std::ops::Range;
use std::sync::OnceLock;

use regex::Regex;

use super::comments::within;
use crate::document::model::{Block, BlockKind, CodeBlock, Comment, Include, MalformedInclude};

/// `[!INCLUDE [label](path)]` directives outside code blocks, code spans and comments.
pub(super) fn find_includes(
    text: &str,
    from: usize,
    code_blocks: &[CodeBlock],
    code_spans: &[Range<usize>],
    comments: &[Comment],
) -> (Vec<Include>, Vec<MalformedInclude>) {
    static INCLUDE: OnceLock<Regex> = OnceLock::new();
    let include = INCLUDE.get_or_init(|| {
        Regex::new(
            r#"(?i)^\[!INCLUDE\s*\[([^\]\n]*)\]\(\s*<?([^)\s>]*)>?(?:\s+"[^"]*")?\s*\)\s*\]"#,
        )
        .expect("valid regex")
    });
    let inside = |offset: usize| {
        within(code_blocks, offset, |b| &b.span)
            || within(code_spans, offset, |s| s)
            || within(comments, offset, |c| &c.span)
    };
    let mut includes = Vec::new();
    let mut malformed = Vec::new();
    let lower = text.as_bytes();
    let finder = memchr::memmem::Finder::new(b"[!");
    let mut offset = from;
    while let Some(found) = finder.find(&lower[offset..]) {
        let start = offset + found;
        offset = start + 2;
        let rest = &text[start..];
        if rest.len() < 10
            || !rest.as_bytes()[2..9].eq_ignore_ascii_case(b"include")
            || inside(start)
        {
            continue;
        }
        // A directive is short and never spans a blank line: matching on at most the rest of
        // the paragraph, and 4 KB, keeps each match short however long the page is.
        let mut end = memchr::memmem::find(rest.as_bytes(), b"\n\n").unwrap_or(rest.len());
        end = end.min(4096);
        while !rest.is_char_boundary(end) {
            end -= 1;
        }
        // Find the match with the fast engine first: capturing on the whole slice would make
        // the capture engine set up state for all of it.
        let matched = include.find(&rest[..end]).map(|m| m.end());
        match matched.and_then(|m| include.captures(&rest[..m])) {
            Some(caps) => {
                let all = caps.get(0).expect("group 0");
                let target = caps.get(2).expect("group 2");
                includes.push(Include {
                    span: start..start + all.end(),
                    label: caps[1].trim().to_string(),
                    target: target.as_str().to_string(),
                    target_span: start + target.start()..start + target.end(),
                });
                offset = start + all.end();
            }
            None => {
                let line_end = rest.find('\n').unwrap_or(rest.len());
                malformed.push(MalformedInclude {
                    span: start..start + rest[..line_end].trim_end().len(),
                });
            }
        }
    }
    (includes, malformed)
}

/// Paragraphs that consist only of include directives are recorded as such.
pub(super) fn classify_include_paragraphs(
    mut blocks: Vec<Block>,
    includes: &[Include],
    text: &str,
) -> Vec<Block> {
    for block in blocks.iter_mut().filter(|b| b.kind == BlockKind::Paragraph) {
        // Includes are sorted: look only at those that start inside the block.
        let first = includes.partition_point(|i| i.span.start < block.span.start);
        if includes
            .get(first)
            .is_none_or(|i| i.span.start >= block.span.end)
        {
            continue;
        }
        let inside = includes[first..]
            .iter()
            .take_while(|i| i.span.start < block.span.end)
            .filter(|i| i.span.end <= block.span.end);
        let mut rest = text[block.span.clone()].to_string();
        let mut any = false;
        for include in inside {
            let local = include.span.start - block.span.start..include.span.end - block.span.start;
            rest.replace_range(local.clone(), &" ".repeat(local.len()));
            any = true;
        }
        if any && rest.trim().is_empty() {
            block.kind = BlockKind::IncludeParagraph;
        }
    }
    blocks
}
