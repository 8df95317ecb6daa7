//! Paths as users see them: relative to the working directory, with `/` separators.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

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

/// A directory whose many files are displayed: a file's displayed path is the directory's
/// (worked out once) joined with the file's path below it, which is what [`display`] gives.
#[derive(Debug, Clone)]
pub struct Root {
    /// The directory.
    pub dir: PathBuf,
    /// The directory, shared by the paths of its pages (see
    /// [`crate::document::PagePaths::below`]).
    pub shared: Arc<Path>,
    /// How the directory is displayed, when joining with it is exact: not when the working
    /// directory is the directory or lies inside it (its files may then be under the working
    /// directory, or share more of its path).
    shown: Option<String>,
}

impl Root {
    /// The directory `dir` (absolute, as walked).
    pub fn new(dir: &Path) -> Root {
        Root {
            dir: dir.to_path_buf(),
            shared: dir.into(),
            shown: (!is_within(current_dir(), dir)).then(|| display(dir)),
        }
    }

    /// [`display`] of `path`.
    pub fn display(&self, path: &Path) -> String {
        match (&self.shown, plain_below(path, &self.dir)) {
            (Some(shown), Some(below)) => {
                let mut text = String::with_capacity(shown.len() + 1 + below.len());
                text.push_str(shown);
                text.push('/');
                text.push_str(below);
                text
            }
            _ => display(path),
        }
    }
}

/// Whether `path` is `dir` or lies under it; a byte comparison for the usual case of paths
/// built from `dir`, and [`Path::starts_with`] otherwise.
pub fn is_within(path: &Path, dir: &Path) -> bool {
    strip_dir(path, dir).is_some() || path.starts_with(dir)
}

/// `path` below `dir` as `/`-separated text, by bytes, when that is what comparing them
/// component by component gives ([`Path::strip_prefix`]): `path`'s text is `dir`'s, a `/` and
/// only plain names (`..`, `.` or an empty name would be resolved or dropped component by
/// component), on a system whose separator is `/`.
pub fn plain_below<'p>(path: &'p Path, dir: &Path) -> Option<&'p str> {
    let below = text_below(path, dir)?;
    (std::path::MAIN_SEPARATOR == '/' && plain_names(below)).then_some(below)
}

/// Whether every `/`-separated name of `text` is a plain one: not empty, `.` or `..` (so the
/// empty text is not). By bytes: splitting at a `char` runs a searcher set up afresh for every
/// name.
pub fn plain_names(text: &str) -> bool {
    // Only a name of at most two bytes can be one of those: the separators are found with
    // `memchr`, and the bytes between two are compared only when they are that close.
    let bytes = text.as_bytes();
    let mut start = 0;
    for end in memchr::memchr_iter(b'/', bytes).chain([bytes.len()]) {
        if end - start <= 2 && matches!(&bytes[start..end], b"" | b"." | b"..") {
            return false;
        }
        start = end + 1;
    }
    true
}

/// `path` below `dir` when its text is `dir`'s text, a separator and more.
fn strip_dir<'p>(path: &'p Path, dir: &Path) -> Option<&'p Path> {
    text_below(path, dir).map(Path::new)
}

/// The text of `path` below `dir` ([`strip_dir`]), when `path` is UTF-8.
fn text_below<'p>(path: &'p Path, dir: &Path) -> Option<&'p str> {
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
    path.to_str().and_then(|text| text.get(start..))
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

    /// Joining with the displayed directory gives what comparing with the working directory
    /// does, for files below and outside the working directory.
    #[test]
    fn a_root_displays_its_files_as_display_does() {
        let cwd = current_dir();
        let outside = cwd
            .parent()
            .map_or_else(|| PathBuf::from("/"), Path::to_path_buf);
        for dir in [
            cwd.join("docs"),
            cwd.to_path_buf(),
            outside.join("elsewhere"),
            outside,
        ] {
            let root = Root::new(&dir);
            for below in ["a.md", "api/b c.md", "x/../y.md", "./z.md", "q//r.md"] {
                let path = dir.join(below);
                assert_eq!(root.display(&path), display(&path), "{}", path.display());
            }
            let foreign = Path::new("/elsewhere-entirely/p.md");
            assert_eq!(root.display(foreign), display(foreign));
        }
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

    #[test]
    fn only_plain_names_are_below_by_bytes() {
        let dir = Path::new("/a");
        assert_eq!(plain_below(Path::new("/a/b/c d.md"), dir), Some("b/c d.md"));
        assert_eq!(plain_below(Path::new("/a/.b/c..md"), dir), Some(".b/c..md"));
        for odd in [
            "/a/b//c.md",
            "/a/./c.md",
            "/a/b/../c.md",
            "/a/b/",
            "/a/b/.",
            "/a/..",
        ] {
            assert_eq!(plain_below(Path::new(odd), dir), None, "{odd}");
        }
    }
}
