//! The ApiDoctor test-scenario files a run lints: JSON files that write a `scenarios` or
//! `canned-requests` key, read once and parsed as Json.NET reads them.
//!
//! ApiDoctor loads every JSON file under its `--path` whose top level has one of those keys;
//! doclint lints the ones under the checked paths (or named), within the checkout, that the
//! configuration does not exclude. A file that does not parse even leniently is kept with its
//! error: ApiDoctor silently skips it, which is worth a finding.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::document::json::JsonError;
use crate::document::scenarios::{looks_like_scenarios, ScenarioFile};
use crate::source::LineIndex;

/// A scenario file as read.
pub struct ScenarioSource {
    /// The path as reported.
    pub display: String,
    /// The path relative to the checkout root, `/` separated.
    pub docset_path: String,
    /// The text.
    pub text: String,
    /// Its line index.
    pub lines: LineIndex,
    /// The scenarios and canned requests, or why the text does not parse.
    pub parsed: Result<ScenarioFile, JsonError>,
}

/// Whether a path names a JSON file that may be a scenario file (DocFX's publishing files are
/// not).
pub fn is_candidate(path: &Path) -> bool {
    // The usual path ends in a plain file name (not `/`, `.` or `..`): that name is what
    // follows the last `/`, found without splitting the whole path into components (this
    // runs for every file of the checkout).
    let bytes = path.as_os_str().as_encoded_bytes();
    if std::path::MAIN_SEPARATOR == '/' && bytes.last().is_some_and(|&b| b != b'/' && b != b'.') {
        let name = memchr::memrchr(b'/', bytes).map_or(bytes, |slash| &bytes[slash + 1..]);
        // An extension needs a stem: `.json` alone has none.
        let json = name.len() > 5 && name[name.len() - 5..].eq_ignore_ascii_case(b".json");
        return json && !name.starts_with(b".openpublishing.");
    }
    by_components(path)
}

/// [`is_candidate`] by the path's components.
fn by_components(path: &Path) -> bool {
    let json = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    let publishing = path
        .file_name()
        .is_some_and(|n| n.to_string_lossy().starts_with(".openpublishing."));
    json && !publishing
}

/// Reads the scenario files among `candidates` (files inside the checkout at `root`), in
/// parallel; files that are not scenario files, or cannot be read, are left out.
pub fn read(root: &Path, candidates: &[PathBuf]) -> Vec<ScenarioSource> {
    let mut sources: Vec<ScenarioSource> = candidates
        .par_iter()
        .filter_map(|path| {
            let text = crate::files::read_text(path, crate::files::CONFIG_LIMIT).ok()?;
            if !looks_like_scenarios(&text) {
                return None;
            }
            let parsed = match ScenarioFile::parse(&text) {
                Ok(Some(file)) => Ok(file),
                Ok(None) => return None,
                Err(error) => Err(error),
            };
            let display = crate::paths::display(path);
            Some(ScenarioSource {
                docset_path: path
                    .strip_prefix(root)
                    .map_or_else(|_| display.clone(), crate::paths::to_slash),
                display,
                lines: LineIndex::new(&text),
                text,
                parsed,
            })
        })
        .collect();
    sources.sort_by(|a, b| a.docset_path.cmp(&b.docset_path));
    sources
}

#[cfg(test)]
mod tests {
    use super::{by_components, is_candidate};
    use std::path::Path;

    #[test]
    fn candidates_by_name_are_those_by_components() {
        for path in [
            "/a/b.json",
            "/a/b.JSON",
            "b.json",
            "/a/.json",
            "/a/..json",
            "/a/x.json.md",
            "/a/.openpublishing.redirection.json",
            "/a/.OpenPublishing.x.json",
            "/a/b.json/",
            "/a/b.json/.",
            "/a/b.json/..",
            "/a//c.json",
            "/a/json",
            "",
            "/",
        ] {
            let path = Path::new(path);
            assert_eq!(
                is_candidate(path),
                by_components(path),
                "{}",
                path.display()
            );
        }
    }
}
