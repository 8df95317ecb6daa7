//! Structure rules: DL701, DL702, DL704, DL706, DL708.

use super::Context;
use crate::diagnostic::Finding;
use crate::document::{BlockKind, Document};
use crate::rule::Rule;

/// Checks headings, sections and tables.
pub fn check(cx: &mut Context<'_>) {
    let doc = cx.doc;
    heading_levels(cx, doc);
    if !doc.kind.fragment {
        h1_count(cx, doc);
        text_before_heading(cx, doc);
    }
    empty_sections(cx, doc);
    table_columns(cx, doc);
}

fn heading_levels(cx: &mut Context<'_>, doc: &Document) {
    let mut previous: Option<u8> = None;
    for heading in doc.headings.iter().filter(|h| h.tab.is_none()) {
        if let Some(prev) = previous {
            if heading.level > prev + 1 {
                let hashes = "#".repeat(usize::from(prev) + 1);
                cx.report(Finding::new(
                    Rule::HeadingLevelSkip,
                    heading.span.clone(),
                    format!(
                        "heading level {} follows level {prev}, skipping a level; use `{hashes} {}`",
                        heading.level, heading.text
                    ),
                ));
            }
        }
        previous = Some(heading.level);
    }
}

fn h1_count(cx: &mut Context<'_>, doc: &Document) {
    let h1s: Vec<_> = doc.h1s().collect();
    match h1s.as_slice() {
        [] => {
            let span = doc
                .headings
                .iter()
                .find(|h| h.tab.is_none())
                .map_or(0..0, |h| h.span.clone());
            cx.report(Finding::new(
                Rule::HeadingH1Count,
                span,
                "the page has no H1 heading; add one `# Title` line at the top",
            ));
        }
        [_] => {}
        [_, rest @ ..] => {
            for h1 in rest {
                cx.report(
                    Finding::new(
                        Rule::HeadingH1Count,
                        h1.span.clone(),
                        format!(
                            "`# {}` is a second H1 heading; a page has exactly one, use `##`",
                            h1.text
                        ),
                    )
                    .with_related(doc.related(h1s[0].span.clone(), "the first H1")),
                );
            }
        }
    }
}

fn text_before_heading(cx: &mut Context<'_>, doc: &Document) {
    // Without headings DL702 says it all; with a broken front matter its lines are not text.
    let broken_front_matter = doc
        .front_matter
        .as_ref()
        .is_some_and(|fm| fm.error.is_some());
    if doc.headings.is_empty() || broken_front_matter {
        return;
    }
    for block in &doc.blocks {
        match block.kind {
            BlockKind::Heading(_) => break,
            BlockKind::Paragraph
            | BlockKind::List
            | BlockKind::Table
            | BlockKind::CodeBlock
            | BlockKind::BlockQuote => {
                let line = doc
                    .lines
                    .line_range(&doc.text, doc.lines.line_of(block.span.start));
                cx.report(Finding::new(
                    Rule::TextBeforeHeading,
                    line.clone(),
                    format!(
                        "text before the page's first heading: {}; move it below the H1",
                        quote_excerpt(&doc.text[line])
                    ),
                ));
                break;
            }
            _ => {}
        }
    }
}

fn empty_sections(cx: &mut Context<'_>, doc: &Document) {
    for (i, block) in doc.blocks.iter().enumerate() {
        let BlockKind::Heading(h) = block.kind else {
            continue;
        };
        let heading = &doc.headings[h];
        if heading.tab.is_some() {
            continue;
        }
        let next = doc.blocks[i + 1..]
            .iter()
            .find(|b| b.kind != BlockKind::Comment);
        let empty = match next {
            None => true,
            Some(b) => match b.kind {
                BlockKind::Heading(n) => {
                    let next = &doc.headings[n];
                    next.tab.is_none() && next.level <= heading.level
                }
                _ => false,
            },
        };
        if empty {
            cx.report(Finding::new(
                Rule::SectionEmpty,
                heading.span.clone(),
                format!(
                    "the section `{} {}` is empty; write its content or remove the heading",
                    "#".repeat(usize::from(heading.level)),
                    heading.text
                ),
            ));
        }
    }
}

fn table_columns(cx: &mut Context<'_>, doc: &Document) {
    for table in &doc.tables {
        let header = table.header.written_cells;
        if let Some(delimiter) = table.delimiter_mismatch {
            cx.report(Finding::new(
                Rule::TableColumnCount,
                table.header.span.clone(),
                format!(
                    "the table header has {header} cells but its delimiter row has {delimiter}, so it is not rendered as a table; give both the same number of cells"
                ),
            ));
            continue;
        }
        for row in &table.rows {
            if row.written_cells != header {
                let hint = if row.written_cells > header {
                    "; escape a literal `|` inside a cell as `\\|`"
                } else {
                    ""
                };
                cx.report(Finding::new(
                    Rule::TableColumnCount,
                    row.span.clone(),
                    format!(
                        "the table row has {} cells but the header has {header}{hint}",
                        row.written_cells
                    ),
                ));
            }
        }
    }
}

/// The text quoted for a message, shortened to 60 characters.
pub(crate) fn quote_excerpt(text: &str) -> String {
    let text = text.trim();
    let mut out: String = text.chars().take(60).collect();
    if out.len() < text.len() {
        out.push('…');
    }
    format!("\"{out}\"")
}
