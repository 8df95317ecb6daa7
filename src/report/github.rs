//! GitHub Actions: one workflow command per diagnostic
//! (`::error file=…,line=…,col=…,endLine=…,endColumn=…,title=DL401 link-target-missing::msg`),
//! and a Markdown job summary for `$GITHUB_STEP_SUMMARY`.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::Report;
use crate::diagnostic::{Diagnostic, Severity};
use crate::rule_docs::rule_url;

/// How many findings the job summary lists.
pub const SUMMARY_FINDINGS: usize = 50;

/// Renders one workflow command per diagnostic.
pub fn render(report: &Report) -> String {
    let mut out = String::new();
    for d in &report.diagnostics {
        let _ = writeln!(
            out,
            "::{} file={},line={},col={},endLine={},endColumn={},title={}::{}",
            command(d.severity),
            escape_property(&d.location.path),
            d.location.line,
            d.location.column,
            d.location.end_line,
            d.location.end_column,
            escape_property(&format!("{} {}", d.rule, d.name())),
            escape_data(&annotation_text(d)),
        );
    }
    out
}

fn command(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    }
}

/// The message, the help and the related places, one per line.
fn annotation_text(d: &Diagnostic) -> String {
    let mut text = d.message.clone();
    if let Some(help) = &d.help {
        let _ = write!(text, "\nhelp: {help}");
    }
    for r in &d.related {
        let _ = write!(
            text,
            "\n{}: {}:{}:{}",
            r.message, r.location.path, r.location.line, r.location.column
        );
    }
    text
}

/// Escapes a command's message: `%`, CR and LF, and other control characters as `\u{1b}`.
pub fn escape_data(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in super::escape::text(text).chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            _ => out.push(c),
        }
    }
    out
}

/// Escapes a command property: as a message, and also `:` and `,`.
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// The Markdown job summary: the summary line, counts per rule, and the first
/// [`SUMMARY_FINDINGS`] findings as a table.
pub fn step_summary(report: &Report) -> String {
    let mut out = String::from("## doclint\n\n");
    let _ = writeln!(out, "{}\n", report.summary_line());
    if report.diagnostics.is_empty() {
        return out;
    }
    out.push_str("| Rule | Name | Severity | Count |\n|---|---|---|---:|\n");
    let mut counts: BTreeMap<(&str, &str), (Severity, usize)> = BTreeMap::new();
    for d in &report.diagnostics {
        let entry = counts
            .entry((d.rule.id(), d.name()))
            .or_insert((d.severity, 0));
        entry.0 = entry.0.max(d.severity);
        entry.1 += 1;
    }
    for ((rule, name), (severity, count)) in counts {
        let _ = writeln!(
            out,
            "| [{rule}]({}) | `{name}` | {severity} | {count} |",
            rule_url(rule)
        );
    }
    let total = report.diagnostics.len();
    let shown = total.min(SUMMARY_FINDINGS);
    if shown < total {
        let _ = writeln!(out, "\n### First {shown} of {total} findings\n");
    } else {
        out.push_str("\n### Findings\n\n");
    }
    out.push_str("| Location | Severity | Rule | Message |\n|---|---|---|---|\n");
    for d in report.diagnostics.iter().take(SUMMARY_FINDINGS) {
        let _ = writeln!(
            out,
            "| {}:{}:{} | {} | {} {} | {} |",
            cell(&d.location.path),
            d.location.line,
            d.location.column,
            d.severity,
            d.rule,
            d.name(),
            cell(&d.message)
        );
    }
    if shown < total {
        let _ = writeln!(
            out,
            "\n{} more: see the annotations, or the SARIF upload in code scanning.",
            total - shown
        );
    }
    out
}

/// Text for a Markdown table cell, shown as it is written: HTML and Markdown syntax escaped
/// (a quoted value cannot close a code span, add an image or a link, or end the cell), line
/// breaks as `<br>`, other control characters as `\u{1b}`.
fn cell(text: &str) -> String {
    let text = text.replace("\r\n", "\n");
    let mut out = String::with_capacity(text.len() + 16);
    for c in super::escape::text(&text).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\n' | '\r' => out.push_str("<br>"),
            // What marks up text within a line: code, emphasis, links and images, the cell's
            // end, strike-through, maths, and `:` and `@`, which start automatic links.
            '\\' | '`' | '*' | '_' | '[' | ']' | '!' | '|' | '~' | '$' | ':' | '@' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_follows_the_workflow_command_rules() {
        assert_eq!(escape_data("100%\r\nok: a,b"), "100%25%0D%0Aok: a,b");
        assert_eq!(escape_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
        assert_eq!(cell("a | b\r\nc"), "a \\| b<br>c");
        assert_eq!(
            cell("`x` <img src=y> ![i](u) https://e"),
            "\\`x\\` &lt;img src=y&gt; \\!\\[i\\](u) https\\://e"
        );
    }
}
