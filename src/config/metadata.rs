//! The service metadata pages are held against: `--metadata [GLOB=]FILE` on the command line
//! and `[[metadata]]` in the configuration file, each CSDL file read once per run.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use globset::GlobSet;
use rayon::prelude::*;

use super::file::MetadataSection;
use super::{glob_set, ConfigError, Problems};
use crate::schema::csdl::Csdl;

/// A metadata file and the pages it governs.
#[derive(Debug, Clone)]
pub struct MetadataSource {
    /// The globs as written (empty: every checked page).
    pub paths: Vec<String>,
    globs: Option<GlobSet>,
    /// The file.
    pub file: PathBuf,
    /// The file's path as reports print it.
    pub display: String,
    /// Its types.
    pub csdl: Arc<Csdl>,
}

impl MetadataSource {
    /// Whether the page at this doc-set path is held against this file.
    pub fn governs(&self, docset_path: &str) -> bool {
        self.globs.as_ref().is_none_or(|g| g.is_match(docset_path))
    }
}

/// One `[GLOB=]FILE` before its file is read.
struct Binding {
    paths: Vec<String>,
    file: PathBuf,
}

/// Splits a `--metadata` value: `GLOB=FILE`, or a bare `FILE` (also when the whole value
/// names an existing file that happens to contain `=`).
fn parse_flag(value: &str) -> Binding {
    match value.split_once('=') {
        Some((glob, file)) if !Path::new(value).is_file() && !glob.is_empty() => Binding {
            paths: vec![glob.to_string()],
            file: PathBuf::from(file),
        },
        _ => Binding {
            paths: Vec::new(),
            file: PathBuf::from(value),
        },
    }
}

/// The metadata sources of a run: the command line's first (a page uses the first source
/// that governs it), then the configuration file's. `config` is the configuration file, whose
/// `csdl` paths are relative to it and must stay inside its repository.
pub fn load(
    flags: &[String],
    sections: &[MetadataSection],
    config: Option<&Path>,
) -> Result<Vec<MetadataSource>, ConfigError> {
    let mut bindings: Vec<(Binding, PathBuf)> = flags
        .iter()
        .map(|flag| (parse_flag(flag), PathBuf::from("--metadata")))
        .collect();
    if let Some(config) = config {
        let paths = super::ConfigPaths::of(config);
        for section in sections {
            let file = paths.resolve("[[metadata]] csdl", &section.csdl)?;
            // Shown as the file it is, without the `..` that led to it.
            let file = std::fs::canonicalize(&file).unwrap_or(file);
            let binding = Binding {
                paths: section.paths.clone().unwrap_or_default(),
                file,
            };
            bindings.push((binding, config.to_path_buf()));
        }
    }
    // Each distinct file is read and parsed once, in parallel with the others.
    let mut files: Vec<&PathBuf> = bindings.iter().map(|(b, _)| &b.file).collect();
    files.sort();
    files.dedup();
    let parsed: Vec<(&PathBuf, Arc<Csdl>)> = files
        .into_par_iter()
        .map(|file| read(file).map(|csdl| (file, Arc::new(csdl))))
        .collect::<Result<_, _>>()?;
    bindings
        .iter()
        .map(|(binding, source)| {
            let globs = if binding.paths.is_empty() {
                None
            } else {
                let mut problems = Problems::new(source, "");
                let globs = glob_set(&binding.paths, &[], &mut problems);
                if let Some(error) = problems.into_errors().into_iter().next() {
                    return Err(error);
                }
                Some(globs)
            };
            let csdl = parsed
                .iter()
                .find(|(f, _)| **f == binding.file)
                .map(|(_, c)| Arc::clone(c))
                .unwrap_or_default();
            Ok(MetadataSource {
                paths: binding.paths.clone(),
                globs,
                display: crate::paths::display(&binding.file),
                file: binding.file.clone(),
                csdl,
            })
        })
        .collect()
}

/// Reads and parses one metadata file; its problems are configuration errors at the file's
/// own line and column.
fn read(file: &Path) -> Result<Csdl, ConfigError> {
    let error = |line: u32, column: u32, message: String| ConfigError {
        path: file.to_path_buf(),
        line: line as usize,
        column: column as usize,
        message,
    };
    let bytes = crate::files::read(file, crate::files::PAGE_LIMIT)
        .map_err(|e| error(0, 0, format!("cannot read the metadata (CSDL) file: {e}")))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        error(
            0,
            0,
            format!(
                "the metadata (CSDL) file is not UTF-8 (invalid byte at offset {})",
                e.utf8_error().valid_up_to()
            ),
        )
    })?;
    Csdl::parse(text.trim_start_matches('\u{feff}')).map_err(|e| {
        error(
            e.line,
            e.column,
            format!("invalid metadata (CSDL): {}", e.message),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_split_into_glob_and_file() {
        let binding = parse_flag("api-reference/beta/**=beta.xml");
        assert_eq!(binding.paths, ["api-reference/beta/**"]);
        assert_eq!(binding.file, PathBuf::from("beta.xml"));
        let bare = parse_flag("v1.0_metadata.xml");
        assert!(bare.paths.is_empty());
        assert_eq!(bare.file, PathBuf::from("v1.0_metadata.xml"));
        assert!(parse_flag("=x.xml").paths.is_empty());
    }
}
