//! File discovery with the `ignore` crate: `.gitignore` honoured, hidden files skipped, walked
//! in parallel; `.doclintignore` files (gitignore syntax) mark files that are not linted but
//! stay in the doc set as link and include targets.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use ignore::{WalkBuilder, WalkState};
use rayon::slice::ParallelSliceMut;

/// The name of doclint's own ignore file (gitignore syntax).
pub const IGNORE_FILE: &str = ".doclintignore";

/// Every file under `dir` that is not ignored, sorted, and the paths that could not be read
/// with why: unreadable directories, symlink loops, and what the walk refuses to read.
///
/// The files walked may come from a stranger: a symbolic link that leads outside `dir` is not
/// followed, a page that is not a regular file (a FIFO, a device) is not returned, and a
/// folder whose ignore file (`.gitignore`, `.ignore`) is not a regular file inside `dir` of a
/// sane size is not entered. Each of these is returned as a problem.
pub fn files_under(dir: &Path, threads: usize) -> (Vec<PathBuf>, Vec<(PathBuf, String)>) {
    let dir = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    let found = Mutex::new(Vec::new());
    let errors = Arc::new(Mutex::new(Vec::new()));
    // Ignore files above `dir` are read by the walker before anything else: when one is
    // unsafe, none above is read.
    let parents_problem = dir
        .ancestors()
        .find_map(|folder| unsafe_ignore_file(folder, &dir).map(|p| (folder, p)));
    let read_parents = parents_problem.is_none();
    if let Some((folder, problem)) = parents_problem {
        lock(&errors).push(problem);
        if folder == dir {
            return (Vec::new(), take(errors));
        }
    }
    let root = Arc::new(dir.clone());
    let refused = Arc::clone(&errors);
    WalkBuilder::new(&dir)
        .hidden(true)
        .parents(read_parents)
        .require_git(false)
        .follow_links(true)
        .threads(threads)
        .filter_entry(move |entry| match refusal(entry, &root) {
            Some(problem) => {
                lock(&refused).push(problem);
                false
            }
            None => true,
        })
        .build_parallel()
        .run(|| {
            Box::new(|entry| {
                match entry {
                    Ok(entry) if entry.file_type().is_some_and(|t| t.is_file()) => {
                        lock(&found).push(entry.into_path());
                    }
                    Ok(entry)
                        if is_page(entry.path())
                            && !entry.file_type().is_some_and(|t| t.is_dir()) =>
                    {
                        let problem = crate::files::check_regular(entry.path(), u64::MAX)
                            .err()
                            .map_or_else(
                                || "it is not a regular file".to_string(),
                                |e| e.to_string(),
                            );
                        lock(&errors).push((entry.into_path(), problem));
                    }
                    Ok(_) => {}
                    Err(error) => {
                        let path = error_path(&error).unwrap_or_else(|| dir.clone());
                        lock(&errors).push((path, describe(&error)));
                    }
                }
                WalkState::Continue
            })
        });
    let mut found = found.into_inner().unwrap_or_else(|e| e.into_inner());
    // Byte order is a total order too, and much cheaper than comparing path components. Side
    // by side: sorting a large checkout's paths (27,000 for Graph) on one core takes it tens
    // of milliseconds while the others wait.
    found.par_sort_unstable_by(|a, b| a.as_os_str().cmp(b.as_os_str()));
    (found, take(errors))
}

/// Why the walk does not enter or return `entry`: a symbolic link that leads outside `root`,
/// or a folder with an unsafe ignore file.
fn refusal(entry: &ignore::DirEntry, root: &Path) -> Option<(PathBuf, String)> {
    let path = entry.path();
    if entry.path_is_symlink() {
        // Links inside a followed folder are links too, so checking each link is enough for
        // every walked path to stay inside the root.
        let target = std::fs::canonicalize(path).ok()?;
        if !crate::paths::is_within(&target, root) {
            return Some((
                path.to_path_buf(),
                format!(
                    "it is a symbolic link to {}, outside the folder being checked; it was not read",
                    crate::report::escape::line(&crate::paths::display(&target))
                ),
            ));
        }
    }
    if entry.file_type().is_some_and(|t| t.is_dir()) {
        return unsafe_ignore_file(path, root);
    }
    None
}

/// The ignore file of `folder` that the walker must not read, with why: one that is not a
/// regular file of a sane size (`/dev/zero`, a FIFO) or that leads outside `root`.
fn unsafe_ignore_file(folder: &Path, root: &Path) -> Option<(PathBuf, String)> {
    [".gitignore", ".ignore"].iter().find_map(|name| {
        let file = folder.join(name);
        std::fs::symlink_metadata(&file).ok()?;
        let why = match crate::files::check_regular(&file, crate::files::CONFIG_LIMIT) {
            Err(error) => error.to_string(),
            Ok(_) => {
                let target = std::fs::canonicalize(&file).ok()?;
                let inside = crate::paths::is_within(&target, root)
                    || !crate::paths::is_within(folder, root);
                if inside {
                    return None;
                }
                format!(
                    "it is a symbolic link to {}, outside the folder being checked",
                    crate::report::escape::line(&crate::paths::display(&target))
                )
            }
        };
        Some((
            file,
            format!("the ignore file cannot be used ({why}); its folder was not checked"),
        ))
    })
}

/// The problems gathered by the walk, sorted.
fn take(errors: Arc<Mutex<Vec<(PathBuf, String)>>>) -> Vec<(PathBuf, String)> {
    let mut items = match Arc::try_unwrap(errors) {
        Ok(mutex) => mutex.into_inner().unwrap_or_else(|e| e.into_inner()),
        Err(shared) => std::mem::take(&mut *lock(&shared)),
    };
    items.sort();
    items
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
        let mut dirs: Vec<&Path> = files.iter().filter_map(|f| folder_of(f)).collect();
        dirs.push(root);
        // Files come sorted, so most repeats are neighbours: dropping those first leaves a few
        // hundred folders to sort. By bytes, much cheaper than by components: the walked
        // paths are built by joining names, so two spellings of one folder do not occur (and
        // one would only load its ignore file twice).
        let same = |a: &mut &Path, b: &mut &Path| a.as_os_str() == b.as_os_str();
        dirs.dedup_by(same);
        dirs.sort_unstable_by(|a, b| a.as_os_str().cmp(b.as_os_str()));
        dirs.dedup_by(same);
        let matchers = dirs
            .into_iter()
            .map(|dir| dir.join(IGNORE_FILE))
            .filter(|file| readable_inside(file, root))
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

/// The folder of a file, as [`Path::parent`] gives it: for the usual walked path (absolute,
/// UTF-8, ending in a plain name after a plain one) its text up to the last `/`, found without
/// splitting the path into components (this runs for every file of the checkout).
fn folder_of(path: &Path) -> Option<&Path> {
    let plain = path
        .to_str()
        .filter(|_| std::path::MAIN_SEPARATOR == '/')
        .and_then(|text| {
            let slash = memchr::memrchr(b'/', text.as_bytes())?;
            let (folder, name) = (&text[..slash], &text[slash + 1..]);
            let plain_name = !matches!(name, "" | "." | "..");
            let plain_folder =
                folder.starts_with('/') && !folder.ends_with('/') && !folder.ends_with("/.");
            (plain_name && plain_folder).then_some(folder)
        });
    match plain {
        Some(folder) => Some(Path::new(folder)),
        None => path.parent(),
    }
}

/// Whether `file` is a regular file of a sane size whose real path lies inside `root`.
fn readable_inside(file: &Path, root: &Path) -> bool {
    crate::files::check_regular(file, crate::files::CONFIG_LIMIT).is_ok()
        && std::fs::canonicalize(file).is_ok_and(|real| crate::paths::is_within(&real, root))
}

/// Whether a file is a Markdown page.
pub fn is_page(path: &Path) -> bool {
    // The usual path ends in a plain file name (not `/`, `.` or `..`): that name is what
    // follows the last `/`, found without splitting the whole path into components (this
    // runs for every file of the checkout, three times).
    let bytes = path.as_os_str().as_encoded_bytes();
    if std::path::MAIN_SEPARATOR == '/' && bytes.last().is_some_and(|&b| b != b'/' && b != b'.') {
        let name = memchr::memrchr(b'/', bytes).map_or(bytes, |slash| &bytes[slash + 1..]);
        // An extension needs a stem: `.md` alone has none.
        return name.len() > 3 && name[name.len() - 3..].eq_ignore_ascii_case(b".md");
    }
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("md"))
}

#[cfg(test)]
mod tests {
    use super::is_page;
    use std::path::Path;

    /// The folder of a file is what its components say.
    #[test]
    fn folders_are_what_the_components_say() {
        let paths = "/a/b.md,/a/b/c,/b.md,/,/a/./b.md,/a/.,/a/..,/a//b.md,/a/b/,a/b.md,b.md,,\
                     /a/./b/c.md,/a/../b.md,/a/.b,/é/ü.md,//a";
        for path in paths.split(',') {
            let path = std::path::Path::new(path);
            let bytes = |folder: Option<&Path>| folder.map(|f| f.as_os_str().to_owned());
            assert_eq!(
                bytes(super::folder_of(path)),
                bytes(path.parent()),
                "{}",
                path.display()
            );
        }
    }

    /// The byte test of the usual path says what the path's components say.
    #[test]
    fn pages_are_named_as_their_components_say() {
        // Comma-separated, the empty path among them.
        let paths = "/a/b.md,/a/B.MD,b.md,.md,/a/.md,/a/..md,/a/x.md.txt,/a/md,/a/b.md/,/a/b.md/.,\
                     /a/b.md/..,/a/.,..,.,,/,a.Md,/a.md//,/a/x.mdx,/a/x.m,/a/xmd";
        for path in paths.split(',') {
            let path = Path::new(path);
            let by_components = path
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("md"));
            assert_eq!(is_page(path), by_components, "{}", path.display());
        }
    }
}
