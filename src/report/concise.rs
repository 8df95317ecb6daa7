//! `path:line:col: severity[DL401/link-target-missing] message`, one diagnostic a line.

use std::fmt::Write;

use super::Report;

/// Renders the report in the concise format.
pub fn render(report: &Report) -> String {
    let mut out = String::new();
    for d in &report.diagnostics {
        let message = d.message.replace(['\n', '\r'], " ");
        let _ = writeln!(
            out,
            "{}:{}:{}: {}[{}/{}] {}",
            d.location.path,
            d.location.line,
            d.location.column,
            d.severity,
            d.rule,
            d.name,
            message
        );
    }
    out
}
