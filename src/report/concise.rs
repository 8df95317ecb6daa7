//! `path:line:col: severity[DL401/link-target-missing] message`, one diagnostic a line.

use std::fmt::Write;

use super::{escape, Report};
use crate::diagnostic::Diagnostic;

/// Renders the report in the concise format.
pub fn render(report: &Report) -> String {
    let mut out = String::new();
    for d in &report.diagnostics {
        let _ = writeln!(out, "{}", line(d));
    }
    out
}

/// One diagnostic on one line, whatever the page put in its name or the text it quotes.
pub fn line(d: &Diagnostic) -> String {
    let message = d.message.replace(['\n', '\r'], " ");
    format!(
        "{}:{}:{}: {}[{}/{}] {}",
        escape::line(&d.location.path),
        d.location.line,
        d.location.column,
        d.severity,
        d.rule,
        d.name,
        escape::line(&message)
    )
}
