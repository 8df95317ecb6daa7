//! Where a run's configuration file and checkout root are.
//!
//! The configuration is `--config FILE`, else the first `doclint.toml` or `.doclint.toml`
//! found walking up from the first checked path (stopping at a folder holding `.git`). The root
//! — the base of root-relative links and of every doc-set path — is `root` from that file, else
//! its folder; without one, the checked directory (the common parent of several), and for named
//! files the top of their checkout: the nearest folder above them holding `.git`, else one
//! holding DocFX's publishing config, so that a copy without git history resolves the same way.

use std::path::{Path, PathBuf};

use super::{ConfigError, ConfigPaths, CONFIG_NAMES};

/// The DocFX publishing config, which sits at the top of a docs repository.
pub const PUBLISH_CONFIG: &str = ".openpublishing.publish.config.json";

/// Finds `doclint.toml` or `.doclint.toml` walking up from the first checked path, stopping at
/// a directory that holds `.git` (or at the file-system root).
pub fn find_config(paths: &[PathBuf]) -> Option<PathBuf> {
    let start = first_folder(paths);
    let mut dir = Some(start.as_path());
    while let Some(current) = dir {
        for name in CONFIG_NAMES {
            let candidate = current.join(name);
            if candidate.is_file() {
                return Some(candidate);
            }
        }
        if current.join(".git").exists() {
            return None;
        }
        dir = current.parent();
    }
    None
}

/// Reads a configuration file's text (a regular file of bounded size that no symbolic link
/// leads out of its repository).
pub fn read_config_text(path: &Path) -> Result<String, ConfigError> {
    ConfigPaths::of(path).check_source()?;
    crate::files::read_text(path, crate::files::CONFIG_LIMIT).map_err(|e| ConfigError {
        path: path.to_path_buf(),
        line: 0,
        column: 0,
        message: format!("cannot read the configuration file: {e}"),
    })
}

/// The root of a run (canonical), and whether it is the top of a checkout rather than a folder
/// inside one: it comes from a configuration file (`config`: the file, and its `root` setting
/// already resolved), or holds `.git` or the publishing config.
pub fn root(config: Option<(&Path, Option<PathBuf>)>, paths: &[PathBuf]) -> (PathBuf, bool) {
    let (root, configured) = match config {
        Some((_, Some(root))) => (root, true),
        Some((path, None)) => (parent(path).to_path_buf(), true),
        // Named files resolve against the top of their checkout, as a run over the whole
        // tree would; directories are their own root.
        None if !paths.is_empty() && paths.iter().all(|p| p.is_file()) => (
            checkout_top(paths).unwrap_or_else(|| common_directory(paths)),
            false,
        ),
        None => (common_directory(paths), false),
    };
    let root = std::fs::canonicalize(&root).unwrap_or(root);
    let top = configured || is_checkout_top(&root);
    (root, top)
}

/// Whether a folder is the top of a docs checkout: it holds `.git` or the publishing config.
pub fn is_checkout_top(dir: &Path) -> bool {
    dir.join(".git").exists() || dir.join(PUBLISH_CONFIG).is_file()
}

/// The top of the checkout holding the first checked path: the nearest folder above it that
/// holds `.git`, else the nearest that holds the publishing config.
fn checkout_top(paths: &[PathBuf]) -> Option<PathBuf> {
    let start = first_folder(paths);
    let nearest = |marker: &str| {
        start
            .ancestors()
            .find(|dir| dir.join(marker).exists())
            .map(Path::to_path_buf)
    };
    nearest(".git").or_else(|| nearest(PUBLISH_CONFIG))
}

/// The real folder of the first checked path.
fn first_folder(paths: &[PathBuf]) -> PathBuf {
    let start = paths.first().cloned().unwrap_or_else(|| PathBuf::from("."));
    real_folder(&start)
}

/// The real path of a checked folder, or of the folder a checked file is named in (a file's
/// own symbolic link is not followed: where it leads does not move the doc set).
fn real_folder(path: &Path) -> PathBuf {
    let folder = if path.is_dir() { path } else { parent(path) };
    std::fs::canonicalize(folder).unwrap_or_else(|_| folder.to_path_buf())
}

/// The folder of a file (`.` for a bare file name).
pub(crate) fn parent(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// The deepest directory containing every checked path.
fn common_directory(paths: &[PathBuf]) -> PathBuf {
    let dirs: Vec<PathBuf> = paths.iter().map(|p| real_folder(p)).collect();
    let Some(first) = dirs.first() else {
        return std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    };
    let mut common = first.clone();
    for dir in &dirs[1..] {
        while !dir.starts_with(&common) {
            if !common.pop() {
                break;
            }
        }
    }
    common
}

/// 1-based line and column of a byte offset.
pub(crate) fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = crate::source::floor_char_boundary(text, offset);
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn touch(path: &Path) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, "").unwrap();
    }

    #[test]
    fn named_files_resolve_against_the_top_of_their_checkout() {
        let dir = tempfile::tempdir().unwrap();
        let top = std::fs::canonicalize(dir.path()).unwrap();
        let page = top.join("api-reference/v1.0/api/a.md");
        touch(&page);
        touch(&top.join("api-reference/v1.0/api/b.md"));
        // No marker: the folder of the files.
        let (root, is_top) = root(None, std::slice::from_ref(&page));
        assert_eq!(root, top.join("api-reference/v1.0/api"));
        assert!(!is_top);
        // The publishing config marks the top of a copy without `.git`.
        touch(&top.join(PUBLISH_CONFIG));
        let named = [page.clone(), top.join("api-reference/v1.0/api/b.md")];
        assert_eq!(super::root(None, &named), (top.clone(), true));
        // `.git` wins over a publishing config further down.
        std::fs::create_dir_all(top.join("api-reference/.git")).unwrap();
        assert_eq!(super::root(None, &named).0, top.join("api-reference"));
        // Directories are their own root.
        let folder = [top.join("api-reference/v1.0")];
        assert_eq!(
            super::root(None, &folder),
            (top.join("api-reference/v1.0"), false)
        );
    }

    #[test]
    fn the_configuration_is_found_walking_up_to_git() {
        let dir = tempfile::tempdir().unwrap();
        let top = std::fs::canonicalize(dir.path()).unwrap();
        touch(&top.join("a/b/page.md"));
        assert_eq!(find_config(&[top.join("a/b/page.md")]), None);
        touch(&top.join(".doclint.toml"));
        assert_eq!(
            find_config(&[top.join("a/b")]),
            Some(top.join(".doclint.toml"))
        );
        std::fs::create_dir_all(top.join("a/.git")).unwrap();
        assert_eq!(find_config(&[top.join("a/b/page.md")]), None);
        let config = top.join("a/doclint.toml");
        touch(&config);
        let (root, is_top) = root(Some((&config, Some(top.join("a/b")))), &[]);
        assert_eq!(root, top.join("a/b"));
        assert!(is_top);
    }

    #[test]
    fn positions_count_characters() {
        assert_eq!(line_column("ab\ncé\nx", 6), (2, 3));
        assert_eq!(line_column("", 5), (1, 1));
    }
}
