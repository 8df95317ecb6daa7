//! File discovery with the `ignore` crate: `.gitignore` and `.doclintignore` honoured, hidden
//! files skipped, walked in parallel.

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
        .add_custom_ignore_filename(IGNORE_FILE)
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

/// Whether a file is a Markdown page.
pub fn is_page(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("md"))
}
