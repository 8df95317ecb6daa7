//! Paths as users see them: relative to the working directory, with `/` separators.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

fn current_dir() -> &'static Path {
    static CWD: OnceLock<PathBuf> = OnceLock::new();
    CWD.get_or_init(|| {
        std::env::current_dir()
            .and_then(std::fs::canonicalize)
            .unwrap_or_else(|_| PathBuf::from("."))
    })
}

/// `path` relative to the working directory (climbing with `..` when needed), `/` separated.
pub fn display(path: &Path) -> String {
    // The common case, a path under the working directory, without splitting components.
    if let Some(rest) = strip_dir(path, current_dir()) {
        return to_slash(rest);
    }
    let relative = relative_to(path, current_dir()).unwrap_or_else(|| path.to_path_buf());
    to_slash(&relative)
}

/// Whether `path` is `dir` or lies under it; a byte comparison for the usual case of paths
/// built from `dir`, and [`Path::starts_with`] otherwise.
pub fn is_within(path: &Path, dir: &Path) -> bool {
    strip_dir(path, dir).is_some() || path.starts_with(dir)
}

/// `path` below `dir` when its text is `dir`'s text, a separator and more.
fn strip_dir<'p>(path: &'p Path, dir: &Path) -> Option<&'p Path> {
    let (bytes, prefix) = (
        path.as_os_str().as_encoded_bytes(),
        dir.as_os_str().as_encoded_bytes(),
    );
    let rest = bytes.strip_prefix(prefix)?;
    let rest = rest
        .strip_prefix(b"/")
        .filter(|r| !r.is_empty() && !prefix.is_empty())?;
    // `rest` starts right after an ASCII `/`, so it is a valid encoded OS string.
    let start = bytes.len() - rest.len();
    path.to_str()
        .and_then(|text| text.get(start..))
        .map(Path::new)
}

/// `path` with `/` separators.
pub fn to_slash(path: &Path) -> String {
    let text = path.to_string_lossy();
    if std::path::MAIN_SEPARATOR == '\\' {
        text.replace('\\', "/")
    } else {
        text.into_owned()
    }
}

/// `path` relative to `base`, both absolute; `None` when they share no root. A relative `path`
/// is returned as it is.
pub fn relative_to(path: &Path, base: &Path) -> Option<PathBuf> {
    if !path.is_absolute() {
        return Some(path.to_path_buf());
    }
    if path.components().next() != base.components().next() {
        return None;
    }
    let relative = pathdiff::diff_paths(path, base)?;
    Some(if relative.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        relative
    })
}

/// Normalises `.` and `..` in a `/`-separated relative path; `None` if it climbs above its start.
/// (Unlike `path-clean`, which keeps leading `..`, this is how a link that leaves the doc-set
/// root is detected.)
pub fn normalize(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_climb() {
        let rel = relative_to(Path::new("/a/b/c.md"), Path::new("/a/d")).unwrap();
        assert_eq!(to_slash(&rel), "../b/c.md");
        assert_eq!(normalize("a/./b/../c.md").as_deref(), Some("a/c.md"));
        assert_eq!(normalize("../x"), None);
    }

    #[test]
    fn within_compares_whole_components() {
        assert!(is_within(Path::new("/a/b/c.md"), Path::new("/a/b")));
        assert!(is_within(Path::new("/a/b"), Path::new("/a/b")));
        assert!(!is_within(Path::new("/a/bc/d.md"), Path::new("/a/b")));
        assert!(is_within(Path::new("/a/b/c.md"), Path::new("/a/b/")));
        assert!(is_within(Path::new("/a/./b/c.md"), Path::new("/a/b")));
        assert_eq!(
            strip_dir(Path::new("/a/b/c d/é.md"), Path::new("/a/b")),
            Some(Path::new("c d/é.md"))
        );
        assert_eq!(strip_dir(Path::new("/a/bc"), Path::new("/a/b")), None);
    }
}
