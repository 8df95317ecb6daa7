//! `path:line:col: severity[DL401/link-target-missing] message`, one diagnostic a line, with the
//! help and the related places on indented lines below it (as ruff prints its help).

use std::fmt::Write;

use super::{escape, Report};
use crate::diagnostic::Diagnostic;

/// Renders the report in the concise format.
pub fn render(report: &Report) -> String {
    let mut out = String::new();
    for d in &report.diagnostics {
        write_diagnostic(&mut out, d);
    }
    out
}

/// One diagnostic on one line, whatever the page put in its name or the text it quotes.
pub fn line(d: &Diagnostic) -> String {
    format!(
        "{}:{}:{}: {}[{}/{}] {}",
        escape::line(&d.location.path),
        d.location.line,
        d.location.column,
        d.severity,
        d.rule,
        d.name(),
        one_line(&d.message)
    )
}

/// One diagnostic in the concise format: its [`line`], then `  help: …` and
/// `  related: path:line:col` lines, each of them one line whatever the page put in it.
pub fn write_diagnostic(out: &mut String, d: &Diagnostic) {
    let _ = writeln!(out, "{}", line(d));
    if let Some(help) = &d.help {
        let _ = writeln!(out, "  help: {}", one_line(help));
    }
    for r in &d.related {
        let _ = writeln!(
            out,
            "  {}: {}:{}:{}",
            one_line(&r.message),
            escape::line(&r.location.path),
            r.location.line,
            r.location.column
        );
    }
}

/// A message on one line: line breaks as spaces, other control characters escaped.
fn one_line(text: &str) -> String {
    escape::line(&text.replace(['\n', '\r'], " ")).into_owned()
}
