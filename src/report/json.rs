//! `{"version":1,"diagnostics":[…],"summary":{…}}`.

use std::io::Write;

use serde::Serialize;

use super::{Report, Summary};
use crate::diagnostic::Diagnostic;

#[derive(Serialize)]
struct Output<'a> {
    version: u32,
    diagnostics: &'a [Diagnostic],
    summary: Summary,
}

/// Writes the report as JSON (`version`, `diagnostics`, `summary`), with a trailing newline, straight to `out`
/// (a large report is never held in memory as text).
pub fn write(report: &Report, mut out: impl Write) -> std::io::Result<()> {
    let output = Output {
        version: 1,
        diagnostics: &report.diagnostics,
        summary: report.summary(),
    };
    serde_json::to_writer_pretty(&mut out, &output)?;
    out.write_all(b"\n")
}

/// Renders the report as JSON text (see [`write`]).
pub fn render(report: &Report) -> String {
    let mut text = Vec::new();
    // Writing to memory cannot fail, and serde_json writes only UTF-8.
    let _ = write(report, &mut text);
    String::from_utf8(text).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}
