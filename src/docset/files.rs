//! Every file of the checkout (pages, images, configs), by path: exactly, ignoring case, by
//! folder and by file name. Paths are relative to the checkout root, `/` separated.
//!
//! Each path is stored once, in its entry: the lookups by path, by lower-cased path and by
//! file name are tables of entry numbers whose keys are read from the entries (a doc set of
//! 100,000 files would otherwise hold every path four times, with a list per key). Entry
//! numbers are `u32`s: a checkout of four billion files is out of reach of the walk anyway.

use std::hash::BuildHasher;

use foldhash::fast::RandomState;
use foldhash::{HashMap, HashSet};
use hashbrown::HashTable;
use rayon::prelude::*;

use crate::source::saturating_u32;

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
    /// The entry of each path.
    by_path: HashTable<u32>,
    /// The entries of each lower-cased path.
    by_lower_path: Chains,
    /// Files directly in each folder, by lower-cased folder path (`""` for the root).
    by_folder: HashMap<String, Vec<usize>>,
    /// Every folder that holds a file at any depth, lower-cased.
    folders: HashSet<String>,
    /// The entries of each lower-cased file name.
    by_name: Chains,
    hasher: RandomState,
}

/// Entries grouped by a lower-cased key read from their paths (the whole path or the file
/// name): the first and last entry of each key in a table, each entry linked to the next of
/// its key.
#[derive(Debug)]
struct Chains {
    /// Per key, its first and last entry.
    ends: HashTable<(u32, u32)>,
    /// Per entry, the next entry with its key (`u32::MAX`: none).
    next: Vec<u32>,
    /// Gives the key of a lower-cased path.
    key: Key,
}

/// Gives the key of a lower-cased path (the whole path, or its file name).
type Key = fn(&str) -> &str;

impl Default for Chains {
    fn default() -> Chains {
        Chains::new(0, whole)
    }
}

impl Chains {
    /// Empty chains for `entries` entries, keyed by `key`.
    fn new(entries: usize, key: Key) -> Chains {
        Chains {
            ends: HashTable::with_capacity(entries),
            next: vec![u32::MAX; entries],
            key,
        }
    }

    /// The chains of the sorted entries keyed by `key`, given their lower-cased paths.
    fn build(key: Key, lower: &[String], hasher: &RandomState, entries: &[FileEntry]) -> Chains {
        let mut chains = Chains::new(entries.len(), key);
        for (i, lower_path) in lower.iter().enumerate() {
            chains.push(i, lower_path, hasher, entries);
        }
        chains
    }

    /// Adds entry `i`, whose path lower-cased is `lower_path`, after the entries added before.
    fn push(&mut self, i: usize, lower_path: &str, hasher: &RandomState, entries: &[FileEntry]) {
        let key = self.key;
        let lower = key(lower_path);
        let hash = hasher.hash_one(lower);
        let i = saturating_u32(i);
        let found = self.ends.find_mut(hash, |&(first, _)| {
            has_key(lower, &entries[first as usize].docset_path, key)
        });
        match found {
            Some((_, last)) => {
                self.next[*last as usize] = i;
                *last = i;
            }
            None => {
                self.ends.insert_unique(hash, (i, i), |&(first, _)| {
                    hasher.hash_one(key(&entries[first as usize].docset_path.to_lowercase()))
                });
            }
        }
    }

    /// The entries whose key is `lower` (a key of a lower-cased path), in entry order.
    fn get<'c>(
        &'c self,
        lower: &str,
        hasher: &RandomState,
        entries: &[FileEntry],
    ) -> impl Iterator<Item = usize> + 'c {
        let first = self
            .ends
            .find(hasher.hash_one(lower), |&(first, _)| {
                has_key(lower, &entries[first as usize].docset_path, self.key)
            })
            .map(|&(first, _)| first);
        std::iter::successors(first, |&e| {
            Some(self.next[e as usize]).filter(|&n| n != u32::MAX)
        })
        .map(|e| e as usize)
    }
}

/// Whether `key` of `path` lower-cased is `lower`, without lower-casing an ASCII path.
fn has_key(lower: &str, path: &str, key: Key) -> bool {
    if path.is_ascii() {
        let written = key(path);
        lower.len() == written.len()
            && lower
                .bytes()
                .zip(written.bytes())
                .all(|(l, w)| l == w.to_ascii_lowercase())
    } else {
        key(&path.to_lowercase()) == lower
    }
}

/// The whole path, as the key of the lookup by lower-cased path.
fn whole(path: &str) -> &str {
    path
}

impl Files {
    /// Indexes these paths (relative to the root, `/` separated; duplicates dropped).
    pub fn new(mut paths: Vec<String>) -> Files {
        paths.sort_unstable();
        paths.dedup();
        let entries: Vec<FileEntry> = paths
            .into_iter()
            .map(|docset_path| FileEntry {
                docset_path,
                document: None,
            })
            .collect();
        let hasher = RandomState::default();
        let lower: Vec<String> = entries
            .par_iter()
            .map(|entry| entry.docset_path.to_lowercase())
            .collect();
        // The four lookups are built side by side.
        let ((by_path, by_lower_path), (by_name, (by_folder, folders))) = rayon::join(
            || {
                rayon::join(
                    || exact_lookup(&entries, &hasher),
                    || Chains::build(whole, &lower, &hasher, &entries),
                )
            },
            || {
                rayon::join(
                    || Chains::build(file_name, &lower, &hasher, &entries),
                    || folder_lookups(&lower),
                )
            },
        );
        Files {
            entries,
            by_path,
            by_lower_path,
            by_folder,
            folders,
            by_name,
            hasher,
        }
    }

    /// Records which parsed document each file is (by the documents' paths).
    pub(crate) fn attach<'d>(&mut self, paths: impl Iterator<Item = &'d str>) {
        for (d, path) in paths.enumerate() {
            if let Some(i) = self.index_of(path) {
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
        self.index_of(path).map(|i| &self.entries[i])
    }

    /// The number of the entry at exactly this path.
    fn index_of(&self, path: &str) -> Option<usize> {
        self.by_path
            .find(self.hasher.hash_one(path), |&e| {
                self.entries[e as usize].docset_path == path
            })
            .map(|&e| e as usize)
    }

    /// Files whose path matches case-insensitively.
    pub fn ignoring_case(&self, path: &str) -> impl Iterator<Item = &FileEntry> {
        self.by_lower_path
            .get(&path.to_lowercase(), &self.hasher, &self.entries)
            .map(|i| &self.entries[i])
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
            .get(&name.to_lowercase(), &self.hasher, &self.entries)
            .map(|i| &self.entries[i])
    }
}

/// The entry of each path, over the sorted entries.
fn exact_lookup(entries: &[FileEntry], hasher: &RandomState) -> HashTable<u32> {
    let mut by_path = HashTable::with_capacity(entries.len());
    for (i, entry) in entries.iter().enumerate() {
        let path = entry.docset_path.as_str();
        by_path.insert_unique(hasher.hash_one(path), saturating_u32(i), |&e: &u32| {
            hasher.hash_one(entries[e as usize].docset_path.as_str())
        });
    }
    by_path
}

/// The files directly in each folder and every folder that holds a file, over the sorted
/// entries' lower-cased paths. A folder key is allocated only the first time it is seen.
fn folder_lookups(lower: &[String]) -> (HashMap<String, Vec<usize>>, HashSet<String>) {
    let mut by_folder: HashMap<String, Vec<usize>> = HashMap::default();
    let mut folders: HashSet<String> = HashSet::default();
    for (i, lower) in lower.iter().enumerate() {
        let folder = parent(lower);
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
    }
    (by_folder, folders)
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

    /// Entries that share a lower-cased path or file name come back in path order, also
    /// when their paths are not ASCII.
    #[test]
    fn groups_paths_and_names_ignoring_case_in_path_order() {
        let files = Files::new(vec![
            "b/Ä.md".into(),
            "a/ä.md".into(),
            "A/Ä.md".into(),
            "c/x.md".into(),
            "C/X.md".into(),
        ]);
        let paths = |found: Vec<&FileEntry>| -> Vec<String> {
            found.into_iter().map(|f| f.docset_path.clone()).collect()
        };
        assert_eq!(
            paths(files.named("ä.MD").collect()),
            ["A/Ä.md", "a/ä.md", "b/Ä.md"]
        );
        assert_eq!(
            paths(files.ignoring_case("a/Ä.md").collect()),
            ["A/Ä.md", "a/ä.md"]
        );
        assert_eq!(
            paths(files.ignoring_case("c/x.MD").collect()),
            ["C/X.md", "c/x.md"]
        );
        assert_eq!(files.named("y.md").count(), 0);
        assert!(files.get("a/ä.md").is_some() && files.get("a/Ä.md").is_none());
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
