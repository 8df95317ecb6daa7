//! `[!INCLUDE]` directives, and the paragraphs that hold nothing else.

use std::ops::Range;
use std::sync::OnceLock;

use memchr::memmem::Finder;

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
    let inside = |offset: usize| {
        within(code_blocks, offset, CodeBlock::span)
            || within(code_spans, offset, |s| s.clone())
            || within(comments, offset, Comment::span)
    };
    let mut includes = Vec::new();
    let mut malformed = Vec::new();
    let lower = text.as_bytes();
    let (finder, blank_line) = include_markers();
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
        let mut end = blank_line.find(rest.as_bytes()).unwrap_or(rest.len());
        end = end.min(4096);
        while !rest.is_char_boundary(end) {
            end -= 1;
        }
        match directive(&rest[..end]) {
            Some(found) => {
                includes.push(Include {
                    span: start..start + found.end,
                    label: rest[found.label].trim().to_string(),
                    target: rest[found.target.clone()].to_string(),
                    target_span: start + found.target.start..start + found.target.end,
                });
                offset = start + found.end;
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

/// The searchers for `[!` and for a blank line (`\n\n`), set up once for every page.
fn include_markers() -> &'static (Finder<'static>, Finder<'static>) {
    static MARKERS: OnceLock<(Finder<'static>, Finder<'static>)> = OnceLock::new();
    MARKERS.get_or_init(|| (Finder::new(b"[!"), Finder::new(b"\n\n")))
}

/// Where the parts of an include directive are, relative to its start.
#[derive(Debug, PartialEq, Eq)]
struct Directive {
    /// Where the directive ends.
    end: usize,
    /// The label between the inner brackets (untrimmed).
    label: Range<usize>,
    /// The target path.
    target: Range<usize>,
}

/// The include directive at the start of `text`, which starts with `[!` and `include` in any
/// case: `[!INCLUDE` and optional whitespace, `[label]` (no `]` or line break inside), then
/// `(` directly, optional whitespace, the path (optionally in `<…>`; no `)`, `>` or whitespace
/// inside), an optional `"title"` after whitespace, `)`, and `]`, whitespace allowed before
/// each of the closing `)` and `]`. Whitespace is Unicode whitespace. `None` when the text
/// does not have that form.
fn directive(text: &str) -> Option<Directive> {
    let bytes = text.as_bytes();
    let at = |p: usize, byte: u8| bytes.get(p) == Some(&byte);
    let skip_whitespace = |p: usize| {
        p + text[p..]
            .find(|c: char| !c.is_whitespace())
            .unwrap_or(text.len() - p)
    };
    let mut p = skip_whitespace("[!include".len());
    if !at(p, b'[') {
        return None;
    }
    let label_start = p + 1;
    p = label_start + memchr::memchr2(b']', b'\n', &bytes[label_start..])?;
    if !at(p, b']') || !at(p + 1, b'(') {
        return None;
    }
    let label = label_start..p;
    p = skip_whitespace(p + 2);
    if at(p, b'<') {
        p += 1;
    }
    let target_start = p;
    p += text[p..]
        .find(|c: char| c == ')' || c == '>' || c.is_whitespace())
        .unwrap_or(text.len() - p);
    let target = target_start..p;
    if at(p, b'>') {
        p += 1;
    }
    let after = skip_whitespace(p);
    p = if after > p && at(after, b'"') {
        // A title; without its closing quote nothing else can follow the path either.
        let close = after + 1 + memchr::memchr(b'"', &bytes[after + 1..])?;
        skip_whitespace(close + 1)
    } else {
        after
    };
    if !at(p, b')') {
        return None;
    }
    p = skip_whitespace(p + 1);
    if !at(p, b']') {
        return None;
    }
    Some(Directive {
        end: p + 1,
        label,
        target,
    })
}

/// Paragraphs that consist only of include directives are recorded as such.
pub(super) fn classify_include_paragraphs(
    mut blocks: Vec<Block>,
    includes: &[Include],
    text: &str,
) -> Vec<Block> {
    for block in blocks.iter_mut().filter(|b| b.kind == BlockKind::Paragraph) {
        // Includes are sorted: look only at those that start inside the block.
        let first = includes.partition_point(|i| i.span.start < block.span().start);
        if includes
            .get(first)
            .is_none_or(|i| i.span.start >= block.span().end)
        {
            continue;
        }
        let inside = includes[first..]
            .iter()
            .take_while(|i| i.span.start < block.span().end)
            .filter(|i| i.span.end <= block.span().end);
        // The paragraph is blank but for its includes: the text before, between and after them
        // is whitespace.
        let blank = |from: usize, to: usize| from >= to || text[from..to].trim().is_empty();
        let mut covered = block.span().start;
        let mut any = false;
        let mut only_includes = true;
        for include in inside {
            only_includes &= blank(covered, include.span.start);
            covered = covered.max(include.span.end);
            any = true;
        }
        if any && only_includes && blank(covered, block.span().end) {
            block.kind = BlockKind::IncludeParagraph;
        }
    }
    blocks
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The grammar of a directive as a regular expression: [`directive`] must agree with it.
    fn by_regex(text: &str) -> Option<Directive> {
        let include = regex::Regex::new(
            r#"(?i)^\[!INCLUDE\s*\[([^\]\n]*)\]\(\s*<?([^)\s>]*)>?(?:\s+"[^"]*")?\s*\)\s*\]"#,
        )
        .unwrap();
        include.captures(text).map(|caps| Directive {
            end: caps.get(0).unwrap().end(),
            label: caps.get(1).unwrap().range(),
            target: caps.get(2).unwrap().range(),
        })
    }

    #[test]
    fn directives_parse_as_the_grammar_says() {
        let cases = [
            "[!INCLUDE [a](b.md)]",
            "[!include[ a b ]( <b.md> )]",
            "[!INCLUDE [a](b.md \"title\")]",
            "[!INCLUDE [a](b.md \"ti)tle\" )  ] after",
            "[!INCLUDE [a](b.md \"unclosed)]",
            "[!INCLUDE [a](b.md\"t\")]",
            "[!INCLUDE [a] (b.md)]",
            "[!INCLUDE [a](b c.md)]",
            "[!INCLUDE [a\nb](c.md)]",
            "[!INCLUDE [a](<>)]",
            "[!INCLUDE [a](<)]",
            "[!INCLUDE [a](>)]",
            "[!INCLUDE [a]()]",
            "[!INCLUDE [a](<<b>>)]",
            "[!INCLUDE\u{a0}[a](\u{2003}b.md\u{2003})\u{3000}]",
            "[!INCLUDE [a](b.md)",
            "[!INCLUDE [a](\"x\")]",
            "[!INCLUDE [a](b.md \"t\"x)]",
            "[!INCLUDE [a](b.md \"t\"\n)\n]",
            "[!INCLUDEx[a](b)]",
            "[!INCLUDE [é](ü.md)]",
        ];
        for case in cases {
            assert_eq!(directive(case), by_regex(case), "{case:?}");
        }
    }

    proptest! {
        #[test]
        fn directives_agree_with_the_grammar(
            text in "\\[!(INCLUDE|include|Include)[ \\[\\]()<>\"ab.\n\u{a0}\u{2003}é]{0,24}"
        ) {
            prop_assert_eq!(directive(&text), by_regex(&text));
        }
    }
}
