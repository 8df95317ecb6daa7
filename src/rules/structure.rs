//! Structure rules: DL701, DL702, DL704, DL706, DL708.

use super::Context;
use crate::diagnostic::{Finding, Severity};
use crate::document::{BlockKind, Document, Row, Table};
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
    for heading in doc.headings.iter().filter(|h| h.tab().is_none()) {
        if let Some(prev) = previous {
            if heading.level > prev + 1 {
                let hashes = "#".repeat(usize::from(prev) + 1);
                cx.report(Finding::new(
                    Rule::HeadingLevelSkip,
                    heading.span(),
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
                .find(|h| h.tab().is_none())
                .map_or(0..0, |h| h.span());
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
                        h1.span(),
                        format!(
                            "`# {}` is a second H1 heading; a page has exactly one, use `##`",
                            h1.text
                        ),
                    )
                    .with_related(doc.related(h1s[0].span(), "the first H1")),
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
                    .line_range(&doc.text, doc.lines.line_of(block.span().start));
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
        let heading = &doc.headings[h as usize];
        if heading.tab().is_some() {
            continue;
        }
        let next = doc.blocks[i + 1..]
            .iter()
            .find(|b| b.kind != BlockKind::Comment);
        let empty = match next {
            None => true,
            Some(b) => match b.kind {
                BlockKind::Heading(n) => {
                    let next = &doc.headings[n as usize];
                    next.tab().is_none() && next.level <= heading.level
                }
                _ => false,
            },
        };
        if empty {
            cx.report(Finding::new(
                Rule::SectionEmpty,
                heading.span(),
                format!(
                    "the section `{} {}` is empty; write its content or remove the heading",
                    "#".repeat(usize::from(heading.level)),
                    heading.text
                ),
            ));
        }
    }
}

/// DL704. A row with more cells than the header loses the extra ones (an error, unless they
/// are empty); a row with fewer renders padded with empty cells (a warning). A delimiter row
/// whose cell count differs from the header's is a warning: GitHub then renders no table, but
/// DocFX's pipe tables (Markdig) do not compare the two counts and render it. A group-label row
/// (`| **Device configuration** |`) heads the rows below it and is not a short row. When every
/// row agrees and only the header differs, the header is reported, once.
fn table_columns(cx: &mut Context<'_>, doc: &Document) {
    for table in &doc.tables {
        let header = table.header.written_cells();
        if let Some(delimiter) = table.delimiter_mismatch() {
            cx.report(
                Finding::new(
                    Rule::TableColumnCount,
                    table.header.span(),
                    format!(
                        "the table header has {header} cells but its delimiter row has {delimiter}, so GitHub does not render it as a table (DocFX does); give both the same number of cells"
                    ),
                )
                .with_max_severity(Severity::Warning),
            );
            continue;
        }
        let rows: Vec<&Row> = table
            .rows
            .iter()
            .filter(|row| !is_group_label(&doc.text, row))
            .collect();
        if !odd_header(cx, doc, table, &rows) {
            for row in rows {
                short_or_long_row(cx, doc, row, header);
            }
        }
    }
}

/// Reports the header of a table whose rows (two or more) all have one number of cells,
/// another than the header's; returns whether it did.
fn odd_header(cx: &mut Context<'_>, doc: &Document, table: &Table, rows: &[&Row]) -> bool {
    let header = table.header.written_cells();
    let [first, ..] = rows else {
        return false;
    };
    let body = first.written_cells();
    if rows.len() < 2 || body == header || rows.iter().any(|r| r.written_cells() != body) {
        return false;
    }
    let count = rows.len();
    let finding = if body < header {
        let cells: Vec<&str> = table.header.written(&doc.text).collect();
        let extra_empty = cells[body.min(cells.len())..]
            .iter()
            .all(|c| is_blank_cell(c));
        let (last, _) = last_cells(header - body);
        let fix = if extra_empty {
            format!("remove the header's empty {last}")
        } else {
            format!("give the rows the header's {header} cells, or remove the header's {last}")
        };
        Finding::new(
            Rule::TableColumnCount,
            table.header.span(),
            format!(
                "the table header has {header} cells but all {count} rows have {body}, so every row renders padded with empty cells; {fix}"
            ),
        )
        .with_max_severity(Severity::Warning)
    } else if rows
        .iter()
        .all(|r| r.written(&doc.text).skip(header).all(is_blank_cell))
    {
        Finding::new(
            Rule::TableColumnCount,
            table.header.span(),
            format!(
                "the table header has {header} cells but all {count} rows have {body}, the extra ones empty; remove the rows' empty {}",
                last_cells(body - header).0
            ),
        )
        .with_max_severity(Severity::Warning)
    } else {
        let (last, verb) = last_cells(body - header);
        let noun = if body - header == 1 { "cell" } else { "cells" };
        Finding::new(
            Rule::TableColumnCount,
            table.header.span(),
            format!(
                "the table header has {header} cells but all {count} rows have {body}, so the rows' {last} {verb} not rendered; add the missing header {noun}"
            ),
        )
    };
    cx.report(finding);
    true
}

fn short_or_long_row(cx: &mut Context<'_>, doc: &Document, row: &Row, header: usize) {
    let written = row.written_cells();
    if written == header {
        return;
    }
    let finding = if written < header {
        Finding::new(
            Rule::TableColumnCount,
            row.span(),
            format!(
                "the table row has {written} {} but the header has {header}, so it renders padded with empty cells; write the missing cells",
                if written == 1 { "cell" } else { "cells" }
            ),
        )
        .with_max_severity(Severity::Warning)
    } else if row.written(&doc.text).skip(header).all(is_blank_cell) {
        Finding::new(
            Rule::TableColumnCount,
            row.span(),
            format!(
                "the table row has {written} cells but the header has {header}; the extra cells are empty, remove them"
            ),
        )
        .with_max_severity(Severity::Warning)
    } else if split_in_code_only(doc.text.get(row.span()), written, header) {
        Finding::new(
            Rule::TableColumnCount,
            row.span(),
            format!(
                "GitHub splits this table row into {written} cells at the `|` inside a code span, but the header has {header}; DocFX keeps a code span whole, so only GitHub drops the row's {}",
                last_cells(written - header).0
            ),
        )
        .with_help("write the pipe as `&#124;` inside `<code>…</code>`, which both render as `|`")
        .with_max_severity(Severity::Warning)
    } else {
        let (last, verb) = last_cells(written - header);
        Finding::new(
            Rule::TableColumnCount,
            row.span(),
            format!(
                "the table row has {written} cells but the header has {header}, so its {last} {verb} not rendered; escape a literal `|` inside a cell as `\\|`"
            ),
        )
    };
    cx.report(finding);
}

/// For a row with more cells than the header only because GFM splits cells at pipes inside
/// code spans (DocFX's Markdig reads the code span first and keeps them in it).
fn split_in_code_only(line: Option<&str>, written: usize, header: usize) -> bool {
    let pipes = line.map_or(0, pipes_in_code_spans);
    pipes > 0 && written.saturating_sub(pipes) <= header
}

/// The unescaped pipes of `line` that lie inside code spans (a run of backticks up to the
/// next run of the same length).
fn pipes_in_code_spans(line: &str) -> usize {
    let bytes = line.as_bytes();
    let run_at = |i: usize| bytes[i..].iter().take_while(|&&b| b == b'`').count();
    let mut count = 0;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'`' => {
                let run = run_at(i);
                let start = i + run;
                let mut j = start;
                let mut close = None;
                while j < bytes.len() {
                    if bytes[j] != b'`' {
                        j += 1;
                        continue;
                    }
                    let n = run_at(j);
                    if n == run {
                        close = Some(j);
                        break;
                    }
                    j += n;
                }
                let Some(end) = close else {
                    i = start;
                    continue;
                };
                count += (start..end)
                    .filter(|&k| bytes[k] == b'|' && bytes[k - 1] != b'\\')
                    .count();
                i = end + run;
            }
            _ => i += 1,
        }
    }
    count
}

/// Whether a row labels the group of rows below it: written as a row (it starts with `|`),
/// with text only in its first cell, and that text a label — emphasised as a whole
/// (`**Onboarding**`) or several words (`Legal holds`, `Service&nbsp;endpoints:`), not a
/// property name whose other cells are missing.
fn is_group_label(page: &str, row: &Row) -> bool {
    let line = page.get(row.span()).unwrap_or("");
    if !line.trim_start().starts_with('|') {
        return false;
    }
    let mut cells = row.written(page);
    let label = cells.next().unwrap_or("").trim();
    if label.is_empty() || !cells.all(is_blank_cell) {
        return false;
    }
    let emphasised = ["**", "__", "*", "_"].iter().any(|mark| {
        label.len() > 2 * mark.len() && label.starts_with(mark) && label.ends_with(mark)
    });
    emphasised || label.contains(char::is_whitespace) || label.contains("&nbsp;")
}

/// Whether a cell holds nothing to render (whitespace or `&nbsp;`).
fn is_blank_cell(cell: &str) -> bool {
    if !cell.contains('&') {
        return cell.trim().is_empty();
    }
    cell.split("&nbsp;").all(|piece| piece.trim().is_empty())
}

/// "last cell" and "is", or "last 3 cells" and "are".
fn last_cells(n: usize) -> (String, &'static str) {
    if n == 1 {
        ("last cell".to_string(), "is")
    } else {
        (format!("last {n} cells"), "are")
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

#[cfg(test)]
mod tests {
    use super::pipes_in_code_spans;

    #[test]
    fn counts_only_unescaped_pipes_inside_code_spans() {
        assert_eq!(pipes_in_code_spans("| a | `x|y` | b |"), 1);
        assert_eq!(pipes_in_code_spans("| `a|b|c` | ``d|`e`` |"), 3);
        assert_eq!(pipes_in_code_spans("| `a\\|b` | \\`c|d` |"), 0);
        assert_eq!(pipes_in_code_spans("| `unclosed | x |"), 0);
        assert_eq!(pipes_in_code_spans("| *.plist | *.xml |"), 0);
    }
}
