//! Where a page is: its file on disk, its path as reported and its path in the doc set, kept
//! in one string. Every page keeps its paths for the whole run, and the three usually share
//! their end (the doc-set path ends both others), so a page holds one allocation for them, not
//! three.

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::source::Span;

/// A page's file, its display path and its doc-set path.
#[derive(Debug, Clone, Default)]
pub struct PagePaths {
    /// The display path and the doc-set path: one string when one ends the other, else both
    /// side by side.
    text: Box<str>,
    /// Where the display path is in `text`.
    display: Span,
    /// Where the doc-set path is in `text`.
    docset: Span,
    /// The file on disk.
    file: File,
}

/// Where a page's file is.
#[derive(Debug, Clone, Default)]
enum File {
    /// None (the default page of nothing).
    #[default]
    None,
    /// The doc-set path below this directory, whose text is the file's path up to a `/`.
    Below(Arc<Path>),
    /// A path of its own.
    Own(Box<Path>),
}

impl PagePaths {
    /// The paths of the file at `path`, reported as `display`, at `docset_path` in its doc
    /// set.
    pub fn new(path: PathBuf, display: String, docset_path: &str) -> PagePaths {
        PagePaths::with_file(File::Own(path.into_boxed_path()), display, docset_path)
    }

    /// [`PagePaths::new`] for a file of the directory `root` (shared by all its pages): when
    /// `path` is `root`, a `/` and `docset_path`, the page keeps no copy of `path`.
    pub fn below(root: &Arc<Path>, path: &Path, display: String, docset_path: &str) -> PagePaths {
        let file = if is_joined(path, root, docset_path) {
            File::Below(Arc::clone(root))
        } else {
            File::Own(path.into())
        };
        PagePaths::with_file(file, display, docset_path)
    }

    fn with_file(file: File, display: String, docset: &str) -> PagePaths {
        let (text, display_at, docset_at) = if display.ends_with(docset) {
            let len = display.len();
            (exact_str(display), 0..len, len - docset.len()..len)
        } else if docset.ends_with(&display) {
            let len = docset.len();
            (Box::from(docset), len - display.len()..len, 0..len)
        } else {
            let both = [&display, docset].concat();
            let (d, len) = (display.len(), both.len());
            (both.into_boxed_str(), 0..d, d..len)
        };
        PagePaths {
            text,
            display: Span::new(display_at),
            docset: Span::new(docset_at),
            file,
        }
    }

    /// The file as found on disk.
    pub fn path(&self) -> PathBuf {
        match &self.file {
            File::None => PathBuf::new(),
            File::Below(root) => root.join(self.docset_path()),
            File::Own(path) => path.to_path_buf(),
        }
    }

    /// The path as reported: relative to the working directory, `/` separators.
    pub fn display(&self) -> &str {
        self.slice(self.display.range())
    }

    /// The path relative to the doc-set root, `/` separators.
    pub fn docset_path(&self) -> &str {
        self.slice(self.docset.range())
    }

    /// Whether the file is `dir` or lies under it ([`crate::paths::is_within`]).
    pub fn is_within(&self, dir: &Path) -> bool {
        match &self.file {
            // The usual question: a page of the walked root, about that root.
            File::Below(root) if root.as_os_str() == dir.as_os_str() => true,
            _ => crate::paths::is_within(&self.path(), dir),
        }
    }

    fn slice(&self, range: Range<usize>) -> &str {
        self.text.get(range).unwrap_or("")
    }
}

/// `text` in an allocation of exactly its length (see [`crate::memory::exact`]).
fn exact_str(text: String) -> Box<str> {
    if text.capacity() == text.len() {
        text.into_boxed_str()
    } else {
        Box::from(text.as_str())
    }
}

/// Whether the text of `path` is the text of `root`, a `/` and `docset_path`.
fn is_joined(path: &Path, root: &Path, docset_path: &str) -> bool {
    let (path, root) = (
        path.as_os_str().as_encoded_bytes(),
        root.as_os_str().as_encoded_bytes(),
    );
    std::path::MAIN_SEPARATOR == '/'
        && !root.is_empty()
        && !docset_path.is_empty()
        && path.len() == root.len() + 1 + docset_path.len()
        && path.starts_with(root)
        && path[root.len()] == b'/'
        && path.ends_with(docset_path.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(paths: &PagePaths) -> (PathBuf, &str, &str) {
        (paths.path(), paths.display(), paths.docset_path())
    }

    /// A walked file: one string holds the display and doc-set paths, the file is the root's.
    #[test]
    fn a_file_below_the_root_shares_its_paths() {
        let root: Arc<Path> = Path::new("/repo/docs").into();
        let file = Path::new("/repo/docs/api/user-get.md");
        let paths = PagePaths::below(
            &root,
            file,
            "docs/api/user-get.md".into(),
            "api/user-get.md",
        );
        assert!(matches!(paths.file, File::Below(_)));
        assert_eq!(&*paths.text, "docs/api/user-get.md");
        assert_eq!(
            parts(&paths),
            (
                file.to_path_buf(),
                "docs/api/user-get.md",
                "api/user-get.md"
            )
        );
        // The working directory below the root: the display path ends the doc-set path.
        let paths = PagePaths::below(&root, file, "user-get.md".into(), "api/user-get.md");
        assert_eq!(&*paths.text, "api/user-get.md");
        assert_eq!(parts(&paths).1, "user-get.md");
        assert!(paths.is_within(&root) && paths.is_within(Path::new("/repo/docs/api")));
        assert!(!paths.is_within(Path::new("/repo/docs/api/user")));
    }

    /// Paths that share no end, or a file that is not the root joined with its doc-set path,
    /// are kept as they are.
    #[test]
    fn other_paths_are_kept_whole() {
        let root: Arc<Path> = Path::new("/repo").into();
        let file = Path::new("/elsewhere/a.md");
        let paths = PagePaths::below(&root, file, "../elsewhere/a.md".into(), "x/b.md");
        assert!(matches!(paths.file, File::Own(_)));
        assert_eq!(
            parts(&paths),
            (file.to_path_buf(), "../elsewhere/a.md", "x/b.md")
        );
        let dotted = Path::new("/repo/./a.md");
        let paths = PagePaths::below(&root, dotted, "a.md".into(), "a.md");
        assert_eq!(paths.path(), dotted);
        let none = PagePaths::default();
        assert_eq!(parts(&none), (PathBuf::new(), "", ""));
    }
}
