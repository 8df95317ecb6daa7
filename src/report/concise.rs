//! `path:line:col: severity[DL401/link-target-missing] message`, one diagnostic a line, with the
//! help and the related places on indented lines below it (as ruff prints its help).

use std::fmt::Write;

use super::Report;
use crate::diagnostic::Diagnostic;

/// Renders the report in the concise format.
pub fn render(report: &Report) -> String {
    let mut out = String::new();
    for d in &report.diagnostics {
        write_diagnostic(&mut out, d);
    }
    out
}

/// One diagnostic in the concise format: its line, then `  help: …` and `  related: path:line:col`
/// lines.
pub fn write_diagnostic(out: &mut String, d: &Diagnostic) {
    let one_line = |text: &str| text.replace(['\n', '\r'], " ");
    let _ = writeln!(
        out,
        "{}:{}:{}: {}[{}/{}] {}",
        d.location.path,
        d.location.line,
        d.location.column,
        d.severity,
        d.rule,
        d.name,
        one_line(&d.message)
    );
    if let Some(help) = &d.help {
        let _ = writeln!(out, "  help: {}", one_line(help));
    }
    for r in &d.related {
        let _ = writeln!(
            out,
            "  {}: {}:{}:{}",
            one_line(&r.message),
            r.location.path,
            r.location.line,
            r.location.column
        );
    }
}
