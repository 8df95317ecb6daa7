//! The doc-set index: every file under the root and every parsed page, with the lookups that
//! cross-file rules need. Built once, after parsing, and only read afterwards.

use foldhash::{HashMap, HashMapExt};
use std::ops::Range;
use std::sync::OnceLock;

use rayon::prelude::*;

use crate::document::Document;
use crate::resolve::Targets;
use crate::schema::{Registry, TableRules};

/// A file of the doc set (any kind: pages, images, configs).
#[derive(Debug, Clone)]
pub struct FileEntry {
    /// Path relative to the root, `/` separators.
    pub docset_path: String,
    /// The index of its parsed document, for pages that were parsed.
    pub document: Option<usize>,
}

/// The doc-set index.
#[derive(Debug, Default)]
pub struct Index {
    /// Every file under the root, sorted by path.
    pub files: Vec<FileEntry>,
    /// Parsed pages (linted ones and the others of the doc set).
    pub documents: Vec<Document>,
    /// Indices into `documents` of the pages to lint, sorted by path.
    pub linted: Vec<usize>,
    /// The permission tables of API pages and the scopes they use (filled by the pipeline
    /// right after the build, see `PermissionIndex::build`).
    pub permissions: crate::scopes::PermissionIndex,
    /// Link-target lookups: folders, file names, anchors, incoming references.
    pub targets: Targets,
    /// Whether every page of the doc set was parsed. With only named files (pre-commit) just
    /// the pages they need are, and doc-set-wide rules (duplicate names across pages, orphans,
    /// rare scopes) must not run.
    pub complete: bool,
    by_path: HashMap<String, usize>,
    by_lower_path: HashMap<String, Vec<usize>>,
    duplicate_request_names: HashMap<String, Vec<RequestName>>,
    schema: OnceLock<Registry>,
    tab_ids: OnceLock<HashMap<String, Vec<(String, usize)>>>,
    /// Per document, the documents its includes resolve to (built on first use).
    include_edges: OnceLock<Vec<Vec<usize>>>,
    /// Per document, whether an include cycle is reachable from it (built on first use).
    reaches_cycle: OnceLock<Vec<bool>>,
}

/// Where a request annotation's `name` is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestName {
    /// The index of the page in [`Index::documents`].
    pub document: usize,
    /// The `name` value in the page's text.
    pub span: Range<usize>,
}

impl Index {
    /// Builds the index from every file path under the root (relative, `/` separated) and the
    /// parsed documents; `linted` flags which documents are linted.
    pub fn build(paths: Vec<String>, documents: Vec<Document>, linted: Vec<usize>) -> Index {
        let mut files: Vec<FileEntry> = paths
            .into_iter()
            .map(|docset_path| FileEntry {
                docset_path,
                document: None,
            })
            .collect();
        files.sort_by(|a, b| a.docset_path.cmp(&b.docset_path));
        files.dedup_by(|a, b| a.docset_path == b.docset_path);
        let mut by_path = HashMap::with_capacity(files.len());
        let mut by_lower_path: HashMap<String, Vec<usize>> = HashMap::with_capacity(files.len());
        for (i, file) in files.iter().enumerate() {
            by_path.insert(file.docset_path.clone(), i);
            by_lower_path
                .entry(file.docset_path.to_lowercase())
                .or_default()
                .push(i);
        }
        for (d, doc) in documents.iter().enumerate() {
            if let Some(&i) = by_path.get(&doc.docset_path) {
                files[i].document = Some(d);
            }
        }
        let (targets, duplicate_request_names) = rayon::join(
            || Targets::build(&files, documents.len()),
            || duplicate_request_names(&documents),
        );
        Index {
            files,
            documents,
            linted,
            permissions: Default::default(),
            targets,
            complete: true,
            by_path,
            by_lower_path,
            duplicate_request_names,
            schema: OnceLock::new(),
            tab_ids: OnceLock::new(),
            include_edges: OnceLock::new(),
            reaches_cycle: OnceLock::new(),
        }
    }

    /// The documents that document `d`'s includes resolve to, in the order of the includes
    /// (those that resolve to no parsed page left out). Resolved once for the whole doc set,
    /// so that walks of the include graph do not resolve the same paths again.
    pub fn included_documents(&self, d: usize) -> &[usize] {
        let edges = self.include_edges.get_or_init(|| {
            self.documents
                .par_iter()
                .map(|doc| crate::resolve::included_documents(self, doc).collect())
                .collect()
        });
        &edges[d]
    }

    /// Whether following includes from document `d` leads into a cycle (through `d` itself or
    /// further on). Computed for the whole doc set at once, in one depth-first walk of the
    /// include graph, so that pages need not walk it again when there is no cycle to find.
    pub fn reaches_include_cycle(&self, d: usize) -> bool {
        self.reaches_cycle
            .get_or_init(|| {
                let edges: Vec<&[usize]> = (0..self.documents.len())
                    .map(|d| self.included_documents(d))
                    .collect();
                reaching_cycles(&edges)
            })
            .get(d)
            .copied()
            .unwrap_or(false)
    }

    /// Every use of a request name that more than one request of the doc set uses, in
    /// document order; `None` for a name used once (or not at all).
    pub fn request_name_uses(&self, name: &str) -> Option<&[RequestName]> {
        self.duplicate_request_names.get(name).map(Vec::as_slice)
    }

    /// The file at exactly this doc-set path.
    pub fn file(&self, docset_path: &str) -> Option<&FileEntry> {
        self.by_path.get(docset_path).map(|&i| &self.files[i])
    }

    /// Files whose path matches case-insensitively.
    pub fn files_ignoring_case(&self, docset_path: &str) -> impl Iterator<Item = &FileEntry> {
        self.by_lower_path
            .get(&docset_path.to_lowercase())
            .into_iter()
            .flatten()
            .map(|&i| &self.files[i])
    }

    /// The parsed document at exactly this doc-set path.
    pub fn document(&self, docset_path: &str) -> Option<&Document> {
        self.file(docset_path)
            .and_then(|f| f.document)
            .map(|d| &self.documents[d])
    }

    /// The index of a document of this index in `documents` (`None` for other documents).
    pub fn document_index(&self, doc: &Document) -> Option<usize> {
        let size = std::mem::size_of::<Document>().max(1);
        let offset =
            (doc as *const Document as usize).checked_sub(self.documents.as_ptr() as usize)?;
        (offset % size == 0 && offset / size < self.documents.len()).then_some(offset / size)
    }

    /// The type registry of the doc set, built on first use (once, whichever rule asks first)
    /// with the table rules of ApiDoctor's `tableDefinitions` when given.
    pub fn schema(&self, table_definitions: Option<&serde_json::Value>) -> &Registry {
        self.schema.get_or_init(|| {
            Registry::build(&self.documents, &TableRules::from_config(table_definitions))
        })
    }

    /// The DocFX tab ids of the doc set (`# [C#](#tab/csharp)` → `csharp`), by lower-cased id:
    /// each spelling with the number of tabs that use it, most used first.
    pub fn tab_ids(&self) -> &HashMap<String, Vec<(String, usize)>> {
        self.tab_ids.get_or_init(|| {
            let mut counts: HashMap<String, HashMap<&str, usize>> = HashMap::new();
            for id in self
                .documents
                .iter()
                .flat_map(|d| d.headings.iter().filter_map(|h| h.tab.as_deref()))
            {
                *counts
                    .entry(id.to_lowercase())
                    .or_default()
                    .entry(id)
                    .or_default() += 1;
            }
            counts
                .into_iter()
                .map(|(lower, spellings)| {
                    let mut spellings: Vec<(String, usize)> = spellings
                        .into_iter()
                        .map(|(s, n)| (s.to_string(), n))
                        .collect();
                    spellings.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
                    (lower, spellings)
                })
                .collect()
        })
    }
}

/// The request names (ApiDoctor method identifiers) used by more than one request block.
fn duplicate_request_names(documents: &[Document]) -> HashMap<String, Vec<RequestName>> {
    let mut uses: HashMap<String, Vec<RequestName>> = HashMap::new();
    for (d, doc) in documents.iter().enumerate() {
        for annotation in &doc.annotations {
            if annotation.code_block.is_none() || !annotation.is("request") {
                continue;
            }
            let Some(name) = annotation.name() else {
                continue;
            };
            uses.entry(name.to_string()).or_default().push(RequestName {
                document: d,
                span: annotation.name_span(),
            });
        }
    }
    uses.retain(|_, list| list.len() > 1);
    uses
}

/// For each node of a directed graph, whether a cycle is reachable from it: an iterative
/// depth-first walk that marks a node when one of its edges closes a cycle or leads to a node
/// already marked.
fn reaching_cycles(edges: &[&[usize]]) -> Vec<bool> {
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        New,
        OnPath,
        Done,
    }
    let mut state = vec![State::New; edges.len()];
    let mut reaches = vec![false; edges.len()];
    for root in 0..edges.len() {
        if state[root] != State::New {
            continue;
        }
        // Each frame: a node and how many of its edges were followed.
        let mut stack: Vec<(usize, usize)> = vec![(root, 0)];
        state[root] = State::OnPath;
        while let Some(&mut (node, ref mut next)) = stack.last_mut() {
            let Some(&target) = edges[node].get(*next) else {
                state[node] = State::Done;
                stack.pop();
                if let Some(&(parent, _)) = stack.last() {
                    reaches[parent] |= reaches[node];
                }
                continue;
            };
            *next += 1;
            match state[target] {
                State::New => {
                    state[target] = State::OnPath;
                    stack.push((target, 0));
                }
                State::OnPath => reaches[node] = true,
                State::Done => reaches[node] |= reaches[target],
            }
        }
    }
    reaches
}

#[cfg(test)]
mod tests {
    use super::reaching_cycles;

    #[test]
    fn nodes_that_lead_into_cycles() {
        // 0 → 1 → 2 → 1 (a cycle), 3 → 0, 4 → 5 (no cycle), 6 → 6 (a loop), 7 → 2.
        let edges: Vec<&[usize]> = vec![&[1], &[2], &[1], &[0], &[5], &[], &[6], &[2]];
        assert_eq!(
            reaching_cycles(&edges),
            vec![true, true, true, true, false, false, true, true]
        );
    }
}
