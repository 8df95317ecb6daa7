//! The result of a run and the formats it is printed in.

pub mod baseline;
pub mod concise;
pub mod escape;
pub mod github;
pub mod human;
pub mod json;
pub mod junit;
pub mod sarif;
pub mod snippet;
pub mod statistics;

use std::time::Duration;

use crate::diagnostic::{Diagnostic, Severity};
use crate::rule::Rule;

/// A file whose text reporters may show.
#[derive(Debug, Clone)]
pub struct Source {
    /// The path as reported.
    pub display: String,
    /// The text.
    pub text: String,
}

/// Counts for the summary line and the JSON `summary` object.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    /// Files linted.
    pub files: usize,
    /// Diagnostics at error severity.
    pub errors: usize,
    /// Diagnostics at warning severity.
    pub warnings: usize,
    /// Diagnostics at info severity.
    pub infos: usize,
    /// Diagnostics hidden by suppressions.
    pub suppressed: usize,
    /// Baseline entries that no longer occur (only when a baseline is used).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baseline_stale: Option<usize>,
}

/// Everything a run found.
#[derive(Debug, Default)]
pub struct Report {
    /// Diagnostics, sorted by path, line, column and rule.
    pub diagnostics: Vec<Diagnostic>,
    /// Source texts, indexed by `Diagnostic::file`; none when the run was told that the
    /// report quotes no text (`CheckOptions::without_sources`).
    pub sources: Vec<Source>,
    /// Files linted.
    pub files: usize,
    /// The paths of the checked files, as reported, sorted.
    pub checked: Vec<String>,
    /// Diagnostics hidden by suppressions (inline, legacy and baseline).
    pub suppressed: usize,
    /// With `--baseline`: the baseline entries that no longer occur.
    pub stale_baseline: Option<Vec<baseline::Entry>>,
    /// Wall time of the run.
    pub elapsed: Duration,
    /// Wall time of each phase of the run, in order (walk, parse, index, lint, sort).
    pub phases: Vec<(&'static str, Duration)>,
    /// The doc-set index the run built (page texts moved to `sources`), kept with the report
    /// so that the caller decides when to free it.
    pub index: Option<Box<crate::docset::Index>>,
}

impl Report {
    /// The counts of the report.
    pub fn summary(&self) -> Summary {
        let count = |s: Severity| self.diagnostics.iter().filter(|d| d.severity == s).count();
        Summary {
            files: self.files,
            errors: count(Severity::Error),
            warnings: count(Severity::Warning),
            infos: count(Severity::Info),
            suppressed: self.suppressed,
            baseline_stale: self.stale_baseline.as_ref().map(Vec::len),
        }
    }

    /// Whether an internal error (DL904) happened: the run exits 2.
    pub fn has_internal_error(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.rule == Rule::InternalError)
    }

    /// The source of a diagnostic, if it has one.
    pub fn source(&self, diagnostic: &Diagnostic) -> Option<&Source> {
        diagnostic.file.and_then(|file| self.sources.get(file))
    }

    /// `N errors, M warnings in K files (T s)`.
    pub fn summary_line(&self) -> String {
        let s = self.summary();
        let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
        let mut counts = vec![plural(s.errors, "error"), plural(s.warnings, "warning")];
        if s.infos > 0 {
            counts.push(plural(s.infos, "info"));
        }
        let mut line = format!("{} in {}", counts.join(", "), plural(s.files, "file"));
        if s.suppressed > 0 {
            line.push_str(&format!(", {} suppressed", s.suppressed));
        }
        format!("{line} ({:.2} s)", self.elapsed.as_secs_f64())
    }
}

/// Writes `bytes` to `path` atomically: into a temporary file beside it, renamed into place,
/// so that readers never see a partial file. The message of an error names the file.
pub fn write_atomically(path: &std::path::Path, bytes: &[u8]) -> Result<(), String> {
    use std::io::Write;
    let name = path
        .file_name()
        .map_or_else(|| "output".into(), |n| n.to_string_lossy().into_owned());
    let temporary = path.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
    let written = std::fs::File::create(&temporary).and_then(|mut file| {
        file.write_all(bytes)?;
        file.sync_all()
    });
    let renamed = written.and_then(|()| std::fs::rename(&temporary, path));
    renamed.map_err(|error| {
        let _ = std::fs::remove_file(&temporary);
        format!("cannot write {}: {error}", path.display())
    })
}

/// Text from a page made safe to print: control characters escaped (`\u{1b}`).
pub fn escape_controls(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_control() {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    out
}
