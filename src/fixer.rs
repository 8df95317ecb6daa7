//! `--fix` and `--diff`: check, apply the fixes the diagnostics carry, check again, and repeat
//! until nothing changes; then write the fixed pages or show them as a unified diff.
//!
//! Every round runs on the fixed texts held in memory (the run's overlay), so a page is written
//! once, at the end, whatever the number of rounds. Of two fixes that touch the same text, the
//! first (in report order) is applied and the other waits for the next round, where it is made
//! again against the new text if it is still needed.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostic, Edit};
use crate::files;
use crate::fix::{apply, non_overlapping, TextEdit};
use crate::pipeline::{self, CheckOptions, RunError};
use crate::report::Report;

/// The most rounds of fixes a run applies (a fix that keeps producing new ones stops here).
pub const MAX_ROUNDS: usize = 10;

/// A page the fixes changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FixedFile {
    /// The file on disk.
    pub path: PathBuf,
    /// The path as reported (relative to the working directory, `/` separators).
    pub display: String,
    /// Its text before the first fix (with its byte-order mark, if any).
    pub original: String,
    /// Its text after the last.
    pub fixed: String,
}

/// What a fixing run did.
#[derive(Debug)]
pub struct Outcome {
    /// The check of the fixed pages: what is left.
    pub report: Report,
    /// The pages changed, by path.
    pub files: Vec<FixedFile>,
    /// How many fixes were applied.
    pub applied: usize,
    /// How many rounds applied fixes.
    pub rounds: usize,
}

/// Checks the paths of `options`, applies the fixes of the diagnostics that `wanted` accepts,
/// and checks again, until a round changes nothing or [`MAX_ROUNDS`] rounds have applied
/// fixes. Nothing is written: the fixed texts are in the outcome.
pub fn fix(
    options: &CheckOptions,
    wanted: impl Fn(&Diagnostic) -> bool,
) -> Result<Outcome, RunError> {
    let mut options = options.clone();
    let mut originals: BTreeMap<PathBuf, (String, String)> = BTreeMap::new();
    let mut applied = 0;
    let mut rounds = 0;
    loop {
        let report = pipeline::check(&options)?;
        let round = if rounds < MAX_ROUNDS {
            fix_round(&report, &wanted, &mut options, &mut originals)
        } else {
            0
        };
        if round == 0 {
            let files = originals
                .into_iter()
                .filter_map(|(path, (display, original))| {
                    let fixed = options.overlay.remove(&path)?;
                    (fixed != original).then_some(FixedFile {
                        path,
                        display,
                        original,
                        fixed,
                    })
                })
                .collect();
            return Ok(Outcome {
                report,
                files,
                applied,
                rounds,
            });
        }
        applied += round;
        rounds += 1;
    }
}

/// One round: the wanted fixes of each page that do not overlap an earlier one, applied to the
/// page's text in the overlay. Returns how many fixes were applied.
fn fix_round(
    report: &Report,
    wanted: &impl Fn(&Diagnostic) -> bool,
    options: &mut CheckOptions,
    originals: &mut BTreeMap<PathBuf, (String, String)>,
) -> usize {
    // Fixes by page, in report order.
    let mut pages: BTreeMap<&Path, (&str, Vec<Vec<TextEdit>>)> = BTreeMap::new();
    for diagnostic in report.diagnostics.iter().filter(|d| wanted(d)) {
        let (Some(fix), Some(path)) = (&diagnostic.fix, &diagnostic.source) else {
            continue;
        };
        let edits = fix.edits.iter().map(Edit::text_edit).collect();
        pages
            .entry(path)
            .or_insert_with(|| (&diagnostic.location.path, Vec::new()))
            .1
            .push(edits);
    }
    let mut applied = 0;
    for (path, (display, fixes)) in pages {
        let text = match options.overlay.get(path) {
            Some(text) => text.clone(),
            None => match read_text(path) {
                Some(text) => text,
                None => continue,
            },
        };
        let (bom, body) = split_bom(&text);
        let fixes: Vec<Vec<TextEdit>> = fixes
            .into_iter()
            .filter(|edits| edits.iter().any(|e| !e.is_noop(body)))
            .collect();
        let picked = non_overlapping(fixes.iter().map(Vec::as_slice));
        let edits: Vec<TextEdit> = picked.iter().flat_map(|&i| fixes[i].clone()).collect();
        let Ok(fixed) = apply(body, &edits) else {
            continue;
        };
        if fixed == body {
            continue;
        }
        applied += picked.len();
        originals
            .entry(path.to_path_buf())
            .or_insert_with(|| (display.to_string(), text.clone()));
        options
            .overlay
            .insert(path.to_path_buf(), format!("{bom}{fixed}"));
    }
    applied
}

/// A page's text, or `None` when it cannot be read as UTF-8 (such a page has no fixes).
fn read_text(path: &Path) -> Option<String> {
    files::read_text(path, files::PAGE_LIMIT).ok()
}

/// A text's byte-order mark (or nothing) and the rest: diagnostics count from after the mark.
fn split_bom(text: &str) -> (&str, &str) {
    match text.strip_prefix('\u{feff}') {
        Some(rest) => ("\u{feff}", rest),
        None => ("", text),
    }
}

impl FixedFile {
    /// Writes the fixed text over the file, atomically (a temporary file beside it, renamed
    /// over it) and with the file's permissions; refuses when the file no longer holds the
    /// text the fixes were made for.
    pub fn write(&self) -> Result<(), String> {
        let name = &self.display;
        let current = files::read(&self.path, files::PAGE_LIMIT)
            .map_err(|e| format!("cannot read {name}: {e}"))?;
        if current != self.original.as_bytes() {
            return Err(format!(
                "{name} changed while it was being fixed; it was left as it is"
            ));
        }
        files::write_atomically(&self.path, |out| out.write_all(self.fixed.as_bytes()))
            .map_err(|e| format!("cannot write {name}: {e}"))
    }

    /// The change as a unified diff with `a/` and `b/` paths relative to the working directory,
    /// as `git apply` reads it.
    pub fn unified_diff(&self) -> String {
        similar::TextDiff::from_lines(&self.original, &self.fixed)
            .unified_diff()
            .context_radius(3)
            .header(
                &format!("a/{}", self.display),
                &format!("b/{}", self.display),
            )
            .to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixed(original: &str, fixed: &str) -> FixedFile {
        FixedFile {
            path: PathBuf::from("a.md"),
            display: "docs/a.md".into(),
            original: original.into(),
            fixed: fixed.into(),
        }
    }

    #[test]
    fn diffs_name_both_sides_and_keep_line_endings() {
        let diff = fixed("one\r\ntwo\r\n", "one\r\nTwo\r\n").unified_diff();
        assert_eq!(
            diff,
            "--- a/docs/a.md\n+++ b/docs/a.md\n@@ -1,2 +1,2 @@\n one\r\n-two\r\n+Two\r\n"
        );
        let diff = fixed("a\nb", "a\nc").unified_diff();
        assert!(
            diff.ends_with("-b\n\\ No newline at end of file\n+c\n\\ No newline at end of file\n"),
            "{diff}"
        );
    }

    #[test]
    fn writes_replace_the_file_and_keep_its_permissions() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("page.md");
        std::fs::write(&path, "old\n").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
        }
        let mut file = fixed("old\n", "new\n");
        file.path = path.clone();
        file.write().unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new\n");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o640);
        }
        // Only the page is left in the folder.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        // A page that changed since it was read is not overwritten.
        let error = file.write().unwrap_err();
        assert!(
            error.contains("changed while it was being fixed"),
            "{error}"
        );
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new\n");
    }
}
