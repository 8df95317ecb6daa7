//! `{"version":1,"diagnostics":[…],"summary":{…}}`.

use std::io::Write;

use rayon::prelude::*;

use super::Report;
use crate::diagnostic::Diagnostic;

/// How many diagnostics are rendered side by side before they are written: enough to keep the
/// threads busy, few enough that the text of a large report is never all in memory.
const BATCH: usize = 4096;

/// How many diagnostics one thread renders at a time.
const CHUNK: usize = 128;

/// Writes the report as JSON (`version`, `diagnostics`, `summary`), pretty-printed with two
/// spaces, with a trailing newline, straight to `out` (a large report is never held in memory
/// as text). The diagnostics are rendered in parallel.
pub fn write(report: &Report, out: impl Write) -> std::io::Result<()> {
    let mut out = std::io::BufWriter::with_capacity(1 << 16, out);
    out.write_all(b"{\n  \"version\": 1,\n  \"diagnostics\": ")?;
    if report.diagnostics.is_empty() {
        out.write_all(b"[]")?;
    } else {
        out.write_all(b"[\n")?;
        for (b, batch) in report.diagnostics.chunks(BATCH).enumerate() {
            let texts: Vec<Vec<u8>> = batch
                .par_chunks(CHUNK)
                .map(render_items)
                .collect::<Result<_, _>>()?;
            for (c, text) in texts.iter().enumerate() {
                if b > 0 || c > 0 {
                    out.write_all(b",\n")?;
                }
                out.write_all(text)?;
            }
        }
        out.write_all(b"\n  ]")?;
    }
    out.write_all(b",\n  \"summary\": ")?;
    let mut summary = Vec::new();
    indent_lines(
        &mut summary,
        &serde_json::to_vec_pretty(&report.summary())?,
        b"  ",
    );
    out.write_all(&summary)?;
    out.write_all(b"\n}\n")?;
    out.flush()
}

/// Diagnostics as items of the pretty-printed `diagnostics` array: each indented two levels,
/// separated by `,\n`.
fn render_items(items: &[Diagnostic]) -> serde_json::Result<Vec<u8>> {
    let mut out = Vec::with_capacity(items.len() * 768);
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.extend_from_slice(b",\n");
        }
        out.extend_from_slice(b"    ");
        indent_lines(&mut out, &serde_json::to_vec_pretty(item)?, b"    ");
    }
    Ok(out)
}

/// Appends pretty-printed JSON with `indent` added at the start of every line but the first.
/// JSON strings never hold a raw line break, so each line break is one between tokens.
fn indent_lines(out: &mut Vec<u8>, text: &[u8], indent: &[u8]) {
    let mut start = 0;
    for end in memchr::memchr_iter(b'\n', text) {
        out.extend_from_slice(&text[start..=end]);
        out.extend_from_slice(indent);
        start = end + 1;
    }
    out.extend_from_slice(&text[start..]);
}

/// Renders the report as JSON text (see [`write`]).
pub fn render(report: &Report) -> String {
    let mut text = Vec::new();
    // Writing to memory cannot fail, and serde_json writes only UTF-8.
    let _ = write(report, &mut text);
    String::from_utf8(text).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Summary;

    /// The whole report through `serde_json`'s own pretty printer.
    fn reference(report: &Report) -> String {
        #[derive(serde::Serialize)]
        struct Output<'a> {
            version: u32,
            diagnostics: &'a [Diagnostic],
            summary: Summary,
        }
        let output = Output {
            version: 1,
            diagnostics: &report.diagnostics,
            summary: report.summary(),
        };
        serde_json::to_string_pretty(&output).unwrap() + "\n"
    }

    #[test]
    fn the_output_is_serde_json_pretty_printing() {
        let page = "---\ntitle: x\n---\n# A\n\n## A\n\n[a](missing.md) [b](#nowhere)\n\n\
            <!-- { \"blockType\": \"request\", \"name\": \"n\" } -->\n```http\nGET /me\n```\n";
        let mut report = crate::pipeline::check_source("a.md", page.as_bytes());
        assert!(report.diagnostics.len() > 2, "{:?}", report.diagnostics);
        assert_eq!(render(&report), reference(&report));
        // Many diagnostics: several chunks and batches.
        let one = report.diagnostics.clone();
        for _ in 0..(2 * BATCH / one.len() + 1) {
            report.diagnostics.extend(one.iter().cloned());
        }
        report.stale_baseline = Some(Vec::new());
        assert_eq!(render(&report), reference(&report));
        report.diagnostics.clear();
        assert_eq!(render(&report), reference(&report));
    }
}
