//! `{"version":1,"diagnostics":[…],"summary":{…}}`.

use serde::Serialize;

use super::{Report, Summary};
use crate::diagnostic::Diagnostic;

#[derive(Serialize)]
struct Output<'a> {
    version: u32,
    diagnostics: &'a [Diagnostic],
    summary: Summary,
}

/// Renders the report as JSON (DESIGN.md §6), with a trailing newline.
pub fn render(report: &Report) -> String {
    let output = Output {
        version: 1,
        diagnostics: &report.diagnostics,
        summary: report.summary(),
    };
    let mut text =
        serde_json::to_string_pretty(&output).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"));
    text.push('\n');
    text
}
