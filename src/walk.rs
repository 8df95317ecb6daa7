//! File discovery with the `ignore` crate: `.gitignore` honoured, hidden files skipped, walked
//! in parallel; `.doclintignore` files (gitignore syntax) mark files that are not linted but
//! stay in the doc set as link and include targets.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use ignore::{WalkBuilder, WalkState};

/// The name of doclint's own ignore file (gitignore syntax).
pub const IGNORE_FILE: &str = ".doclintignore";

/// Every file under `dir` that is not ignored, sorted. Unreadable directories and symlink loops
/// are skipped (the walker reports them as errors, which are returned alongside).
pub fn files_under(dir: &Path, threads: usize) -> (Vec<PathBuf>, Vec<(PathBuf, String)>) {
    let found = Mutex::new(Vec::new());
    let errors = Mutex::new(Vec::new());
    WalkBuilder::new(dir)
        .hidden(true)
        .require_git(false)
        .follow_links(true)
        .threads(threads)
        .build_parallel()
        .run(|| {
            Box::new(|entry| {
                match entry {
                    Ok(entry) if entry.file_type().is_some_and(|t| t.is_file()) => {
                        lock(&found).push(entry.into_path());
                    }
                    Ok(_) => {}
                    Err(error) => {
                        let path = error_path(&error).unwrap_or_else(|| dir.to_path_buf());
                        lock(&errors).push((path, describe(&error)));
                    }
                }
                WalkState::Continue
            })
        });
    let mut found = found.into_inner().unwrap_or_else(|e| e.into_inner());
    found.sort();
    let mut errors = errors.into_inner().unwrap_or_else(|e| e.into_inner());
    errors.sort();
    (found, errors)
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

fn error_path(error: &ignore::Error) -> Option<PathBuf> {
    match error {
        ignore::Error::WithPath { path, .. } => Some(path.clone()),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_path(err)
        }
        ignore::Error::Loop { child, .. } => Some(child.clone()),
        _ => None,
    }
}

/// What went wrong walking, without the path (the diagnostic carries it).
fn describe(error: &ignore::Error) -> String {
    match error {
        ignore::Error::WithPath { err, .. }
        | ignore::Error::WithDepth { err, .. }
        | ignore::Error::WithLineNumber { err, .. } => describe(err),
        ignore::Error::Loop { ancestor, .. } => {
            format!(
                "it is a symbolic link back to its ancestor {}",
                crate::paths::display(ancestor)
            )
        }
        ignore::Error::Io(io) if io.kind() == std::io::ErrorKind::NotFound => {
            "it does not exist (a broken symbolic link?)".to_string()
        }
        ignore::Error::Io(io) if io.kind() == std::io::ErrorKind::PermissionDenied => {
            "permission denied".to_string()
        }
        other => other.to_string(),
    }
}

/// The `.doclintignore` files of a doc set, each matching relative to its own folder.
#[derive(Debug, Default)]
pub struct DoclintIgnore {
    matchers: Vec<ignore::gitignore::Gitignore>,
}

impl DoclintIgnore {
    /// Reads every `.doclintignore` in `root` and in the folders that hold `files`.
    pub fn load(root: &Path, files: &[PathBuf]) -> DoclintIgnore {
        let mut dirs: Vec<&Path> = files.iter().filter_map(|f| f.parent()).collect();
        dirs.push(root);
        dirs.sort();
        dirs.dedup();
        let matchers = dirs
            .into_iter()
            .map(|dir| dir.join(IGNORE_FILE))
            .filter(|file| file.is_file())
            .filter_map(|file| {
                let (matcher, _error) = ignore::gitignore::Gitignore::new(&file);
                (!matcher.is_empty()).then_some(matcher)
            })
            .collect();
        DoclintIgnore { matchers }
    }

    /// Whether a file is excluded from linting by a `.doclintignore`.
    pub fn excludes(&self, path: &Path) -> bool {
        self.matchers.iter().any(|m| {
            path.starts_with(m.path()) && m.matched_path_or_any_parents(path, false).is_ignore()
        })
    }
}

/// Whether a file is a Markdown page.
pub fn is_page(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("md"))
}
