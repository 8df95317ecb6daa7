//! `{"version":1,"diagnostics":[…],"summary":{…}}`.

use std::io::Write;

mod text;

use rayon::prelude::*;
use serde::Serialize;
use serde_json::ser::Formatter;

use super::Report;
use crate::diagnostic::Diagnostic;

/// How many diagnostics are rendered side by side before they are written: enough to keep the
/// threads busy, few enough that the text of a large report is never all in memory.
const BATCH: usize = 2048;

/// How many diagnostics one thread renders at a time.
const CHUNK: usize = 64;

/// Writes the report as JSON (`version`, `diagnostics`, `summary`), pretty-printed with two
/// spaces, with a trailing newline, straight to `out` (a large report is never held in memory
/// as text). The diagnostics are rendered in parallel, batch by batch, into buffers that every
/// batch uses again (new ones for each would be freed on another thread than the one that
/// made them, which leaves the allocator holding on to them for a while).
pub fn write(report: &Report, out: impl Write) -> std::io::Result<()> {
    let mut out = std::io::BufWriter::with_capacity(1 << 16, out);
    out.write_all(b"{\n  \"version\": 1,\n  \"diagnostics\": ")?;
    if report.diagnostics.is_empty() {
        out.write_all(b"[]")?;
    } else {
        out.write_all(b"[\n")?;
        let mut texts: Vec<Vec<u8>> = Vec::new();
        for (b, batch) in report.diagnostics.chunks(BATCH).enumerate() {
            let chunks = batch.len().div_ceil(CHUNK);
            if texts.len() < chunks {
                texts.resize_with(chunks, Vec::new);
            }
            let texts = &mut texts[..chunks];
            texts
                .par_iter_mut()
                .zip(batch.par_chunks(CHUNK))
                .for_each(|(text, items)| render_items(text, items));
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
    pretty(&mut summary, &report.summary(), 1)?;
    out.write_all(&summary)?;
    out.write_all(b"\n}\n")?;
    out.flush()
}

/// Diagnostics as items of the pretty-printed `diagnostics` array, in place of what `out`
/// held: each indented two levels, separated by `,\n`.
fn render_items(out: &mut Vec<u8>, items: &[Diagnostic]) {
    out.clear();
    out.reserve(items.len() * 1024);
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.extend_from_slice(b",\n");
        }
        out.extend_from_slice(b"    ");
        text::diagnostic(out, item, 2);
    }
}

/// Appends `value` pretty-printed with two spaces as it would be printed `level` levels deep
/// in a larger document: every line but the first indented by `level` more steps.
fn pretty(out: &mut Vec<u8>, value: &impl Serialize, level: usize) -> serde_json::Result<()> {
    let formatter = Nested {
        level,
        has_value: false,
    };
    value.serialize(&mut serde_json::Serializer::with_formatter(out, formatter))
}

/// `serde_json`'s pretty printing (two spaces a level) starting `level` levels deep, so that a
/// value is written in place inside a larger pretty-printed document, without re-indenting its
/// text afterwards.
struct Nested {
    level: usize,
    has_value: bool,
}

impl Nested {
    fn indent<W: ?Sized + Write>(&self, writer: &mut W) -> std::io::Result<()> {
        for _ in 0..self.level {
            writer.write_all(b"  ")?;
        }
        Ok(())
    }

    fn open<W: ?Sized + Write>(&mut self, writer: &mut W, bracket: &[u8]) -> std::io::Result<()> {
        self.level += 1;
        self.has_value = false;
        writer.write_all(bracket)
    }

    fn close<W: ?Sized + Write>(&mut self, writer: &mut W, bracket: &[u8]) -> std::io::Result<()> {
        self.level -= 1;
        if self.has_value {
            writer.write_all(b"\n")?;
            self.indent(writer)?;
        }
        writer.write_all(bracket)
    }

    fn item<W: ?Sized + Write>(&self, writer: &mut W, first: bool) -> std::io::Result<()> {
        writer.write_all(if first { b"\n" } else { b",\n" })?;
        self.indent(writer)
    }
}

impl Formatter for Nested {
    fn begin_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        self.open(writer, b"[")
    }

    fn end_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        self.close(writer, b"]")
    }

    fn begin_array_value<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.item(writer, first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, _writer: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        self.open(writer, b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        self.close(writer, b"}")
    }

    fn begin_object_key<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.item(writer, first)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        writer.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _writer: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }
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

    /// Every field of a diagnostic filled, strings that need escapes included.
    #[test]
    fn every_field_is_written_as_serde_json_writes_it() {
        use crate::diagnostic::{Edit, Related, ReportedFix};
        use crate::fix::Applicability;
        let page = "# A\n\n[a](missing.md)\n";
        let mut report = crate::pipeline::check_source("a \"b\".md", page.as_bytes());
        let mut full = report.diagnostics[0].clone();
        full.message = "tab\there, quote \" and back\\slash, \u{1} and é".to_string();
        full.help = Some("line\nbreak".to_string());
        assert!(full.apidoctor().is_some(), "{:?}", full.rule);
        let location = full.location.clone();
        full.related = vec![
            Related {
                location: location.clone(),
                message: "one".to_string(),
            },
            Related {
                location: location.clone(),
                message: String::new(),
            },
        ];
        full.fix = Some(Box::new(ReportedFix {
            applicability: Applicability::Unsafe,
            message: "write `x`".to_string(),
            edits: vec![Edit {
                location,
                new_text: "x\r\n".to_string(),
                span: 0..1,
            }],
        }));
        let mut no_edits = full.clone();
        no_edits.fix.as_mut().unwrap().edits.clear();
        report.diagnostics = vec![full, no_edits];
        assert_eq!(render(&report), reference(&report));
    }
}
