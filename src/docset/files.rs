//! Every file of the checkout (pages, images, configs), by path: exactly, ignoring case, by
//! folder and by file name. Paths are relative to the checkout root, `/` separated.

use foldhash::{HashMap, HashMapExt, HashSet};

/// A file of the checkout.
#[derive(Debug, Clone)]
pub struct FileEntry {
    /// Path relative to the root, `/` separators.
    pub docset_path: String,
    /// The index of its parsed document, for pages that were parsed.
    pub document: Option<usize>,
}

/// The files of the checkout and the lookups on them.
#[derive(Debug, Default)]
pub struct Files {
    /// Every file, sorted by path.
    entries: Vec<FileEntry>,
    by_path: HashMap<String, usize>,
    by_lower_path: HashMap<String, Vec<usize>>,
    /// Files directly in each folder, by lower-cased folder path (`""` for the root).
    by_folder: HashMap<String, Vec<usize>>,
    /// Every folder that holds a file at any depth, lower-cased.
    folders: HashSet<String>,
    /// Files by lower-cased file name.
    by_name: HashMap<String, Vec<usize>>,
}

impl Files {
    /// Indexes these paths (relative to the root, `/` separated; duplicates dropped).
    pub fn new(mut paths: Vec<String>) -> Files {
        paths.sort_unstable();
        paths.dedup();
        // The exact lookup and the ones that ignore case are built side by side.
        let (by_path, (by_lower_path, by_folder, folders, by_name)) = rayon::join(
            || {
                let mut by_path = HashMap::with_capacity(paths.len());
                for (i, path) in paths.iter().enumerate() {
                    by_path.insert(path.clone(), i);
                }
                by_path
            },
            || lower_case_lookups(&paths),
        );
        let entries = paths
            .into_iter()
            .map(|docset_path| FileEntry {
                docset_path,
                document: None,
            })
            .collect();
        Files {
            entries,
            by_path,
            by_lower_path,
            by_folder,
            folders,
            by_name,
        }
    }

    /// Records which parsed document each file is (by the documents' paths).
    pub(crate) fn attach<'d>(&mut self, paths: impl Iterator<Item = &'d str>) {
        for (d, path) in paths.enumerate() {
            if let Some(&i) = self.by_path.get(path) {
                self.entries[i].document = Some(d);
            }
        }
    }

    /// Every file, sorted by path.
    pub fn all(&self) -> &[FileEntry] {
        &self.entries
    }

    /// The file at exactly this path.
    pub fn get(&self, path: &str) -> Option<&FileEntry> {
        self.by_path.get(path).map(|&i| &self.entries[i])
    }

    /// Files whose path matches case-insensitively.
    pub fn ignoring_case(&self, path: &str) -> impl Iterator<Item = &FileEntry> {
        self.by_lower_path
            .get(&path.to_lowercase())
            .into_iter()
            .flatten()
            .map(|&i| &self.entries[i])
    }

    /// The file at `path`: the exact match, else the first that matches ignoring case; the
    /// flag says whether the match was exact.
    pub fn find(&self, path: &str) -> Option<(&FileEntry, bool)> {
        if let Some(file) = self.get(path) {
            return Some((file, true));
        }
        self.ignoring_case(path).next().map(|f| (f, false))
    }

    /// Whether a folder holds any file at any depth, ignoring case.
    pub fn has_folder(&self, folder: &str) -> bool {
        self.folders.contains(&folder.to_lowercase())
    }

    /// The file in a folder (ignoring case) whose name is closest to `name`, other than the
    /// file `except` (the linking page), for a did-you-mean.
    pub fn closest_in_folder(&self, folder: &str, name: &str, except: &str) -> Option<&FileEntry> {
        let files: Vec<&FileEntry> = self
            .by_folder
            .get(&folder.to_lowercase())?
            .iter()
            .map(|&i| &self.entries[i])
            .filter(|f| f.docset_path != except)
            .collect();
        let best = crate::suggest::closest(name, files.iter().map(|f| file_name(&f.docset_path)))?;
        files
            .into_iter()
            .find(|f| file_name(&f.docset_path) == best)
    }

    /// Files anywhere with this file name (ignoring case).
    pub fn named(&self, name: &str) -> impl Iterator<Item = &FileEntry> {
        self.by_name
            .get(&name.to_lowercase())
            .into_iter()
            .flatten()
            .map(|&i| &self.entries[i])
    }
}

/// The lookups that ignore case, over sorted paths: files by lower-cased path, by folder and by
/// name, and every folder that holds a file. A key is allocated only the first time it is seen.
#[allow(clippy::type_complexity)]
fn lower_case_lookups(
    paths: &[String],
) -> (
    HashMap<String, Vec<usize>>,
    HashMap<String, Vec<usize>>,
    HashSet<String>,
    HashMap<String, Vec<usize>>,
) {
    let mut by_lower_path: HashMap<String, Vec<usize>> = HashMap::with_capacity(paths.len());
    let mut by_folder: HashMap<String, Vec<usize>> = HashMap::default();
    let mut folders: HashSet<String> = HashSet::default();
    let mut by_name: HashMap<String, Vec<usize>> = HashMap::default();
    for (i, path) in paths.iter().enumerate() {
        let lower = path.to_lowercase();
        push(&mut by_name, file_name(&lower), i);
        let folder = parent(&lower);
        if let Some(files) = by_folder.get_mut(folder) {
            // A folder seen before: it and its parents are recorded already.
            files.push(i);
        } else {
            by_folder.insert(folder.to_string(), vec![i]);
            let mut folder = folder;
            while !folders.contains(folder) {
                folders.insert(folder.to_string());
                if folder.is_empty() {
                    break;
                }
                folder = parent(folder);
            }
        }
        push(&mut by_lower_path, &lower, i);
    }
    (by_lower_path, by_folder, folders, by_name)
}

/// Adds `i` to the list under `key`, allocating the key only when it is new.
fn push(map: &mut HashMap<String, Vec<usize>>, key: &str, i: usize) {
    match map.get_mut(key) {
        Some(list) => list.push(i),
        None => {
            map.insert(key.to_string(), vec![i]);
        }
    }
}

/// The folder part of a doc-set path (`""` for a file at the root).
pub fn parent(docset_path: &str) -> &str {
    memchr::memrchr(b'/', docset_path.as_bytes()).map_or("", |slash| &docset_path[..slash])
}

/// The file-name part of a path.
pub fn file_name(path: &str) -> &str {
    path.rsplit_once('/').map_or(path, |(_, name)| name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files() -> Files {
        Files::new(vec![
            "api/b.md".into(),
            "api/A.md".into(),
            "img/x.png".into(),
            "api/b.md".into(),
        ])
    }

    #[test]
    fn finds_exactly_then_ignoring_case() {
        let files = files();
        assert_eq!(files.all().len(), 3);
        assert!(files.find("api/b.md").is_some_and(|(_, exact)| exact));
        let (found, exact) = files.find("API/a.md").unwrap();
        assert_eq!((found.docset_path.as_str(), exact), ("api/A.md", false));
        assert!(files.find("api/c.md").is_none());
    }

    #[test]
    fn knows_every_folder_above_a_file_whatever_the_order_of_discovery() {
        let files = Files::new(vec![
            "A/B/c/x.md".into(),
            "a/b/y.md".into(),
            "a/d/z.md".into(),
            "top.md".into(),
        ]);
        for folder in ["", "a", "A/b", "a/B/C", "a/d"] {
            assert!(files.has_folder(folder), "{folder}");
        }
        assert!(!files.has_folder("a/b/c/x.md") && !files.has_folder("b"));
        // Files directly in a folder, and by path, ignoring case.
        let close = files.closest_in_folder("a/b", "y.md", "").unwrap();
        assert_eq!(close.docset_path, "a/b/y.md");
        assert_eq!(files.ignoring_case("a/b/C/X.MD").count(), 1);
    }

    #[test]
    fn knows_folders_and_names() {
        let files = files();
        assert!(files.has_folder("API") && files.has_folder("") && !files.has_folder("doc"));
        assert_eq!(files.named("a.md").count(), 1);
        let close = files.closest_in_folder("api", "bb.md", "api/A.md").unwrap();
        assert_eq!(close.docset_path, "api/b.md");
    }
}
