//! The doc-set index: every file of the checkout and every parsed page, with everything the
//! cross-file rules read — file lookups, the include graph, anchors, request names, the
//! permission tables and scopes, the type registry. Built in one step ([`Index::build`]) after
//! parsing, and only read afterwards.

pub mod anchors;
pub mod files;
pub mod includes;
pub mod permissions;
pub mod requests;
pub mod resolve;

use std::borrow::Cow;
use std::path::PathBuf;
use std::sync::OnceLock;

use foldhash::HashMap;
use rayon::prelude::*;

use crate::config::Settings;
use crate::document::{Document, LinkKind};
use crate::schema::{Registry, TableRules};
pub use anchors::Anchors;
pub use files::{FileEntry, Files};
pub use includes::IncludeGraph;
pub use permissions::{PagePermissions, PermissionIndex, ScopeUsage};
pub use requests::{RequestName, RequestNames};
pub use resolve::{LinkSettings, Repositories, Resolver, Target};

/// What the index is built from.
pub struct Input<'a> {
    /// The checkout root: relative links of pages outside it are not checked.
    pub root: PathBuf,
    /// Every file under the root.
    pub files: Files,
    /// The parsed pages (linted ones and the others the run needs).
    pub documents: Vec<Document>,
    /// Indices into `documents` of the pages to lint, sorted by path.
    pub linted: Vec<usize>,
    /// Whether every page under the root was parsed (false for named files).
    pub complete: bool,
    /// The run's settings.
    pub settings: &'a Settings,
    /// The files of cross-repository checkouts.
    pub repositories: Repositories,
    /// Whether to work out which pages nothing links to or includes (DL411).
    pub orphans: bool,
}

/// The doc-set index.
#[derive(Debug, Default)]
pub struct Index {
    /// The checkout root.
    pub root: PathBuf,
    /// Every file under the root.
    pub files: Files,
    /// Parsed pages (linted ones and the others of the doc set).
    pub documents: Vec<Document>,
    /// Indices into `documents` of the pages to lint, sorted by path.
    pub linted: Vec<usize>,
    /// Whether every page of the doc set was parsed. With only named files (pre-commit) just
    /// the pages they need are, and doc-set-wide rules (duplicate names across pages, orphans,
    /// rare scopes) must not run.
    pub complete: bool,
    /// The permission tables of API pages and the scopes they use.
    pub permissions: PermissionIndex,
    /// The resources and enums the pages define.
    pub schema: Registry,
    /// Who includes whom.
    pub includes: IncludeGraph,
    /// Request names used more than once.
    pub requests: RequestNames,
    /// The files of cross-repository checkouts.
    pub repositories: Repositories,
    /// The run's link settings.
    pub links: LinkSettings,
    /// DocFX tab ids by lower-cased id: each spelling with its number of tabs, most used first.
    tab_ids: HashMap<String, Vec<(String, usize)>>,
    /// Per document, whether another page links to it or includes it (when asked for).
    referenced: Option<Vec<bool>>,
    /// Per document, its anchors: a cache filled on first use, since most pages are never the
    /// target of an anchor link and the sets would cost more memory than the rest of the index.
    anchors: Vec<OnceLock<Anchors>>,
}

impl Index {
    /// Builds the index: attaches the documents to their files, resolves the include graph
    /// and marks included pages as fragments, then reads permissions, types, request names,
    /// tab ids and (when asked) references, side by side.
    pub fn build(input: Input<'_>) -> Index {
        let Input {
            root,
            mut files,
            mut documents,
            linted,
            complete,
            settings,
            repositories,
            orphans,
        } = input;
        files.attach(documents.iter().map(|d| d.docset_path.as_str()));
        let includes = IncludeGraph::build(&documents, &files);
        for target in includes.targets() {
            documents[target].kind.fragment = true;
        }
        let titles = settings.permission_titles();
        let table_rules = TableRules::from_config(settings.apidoctor.table_definitions.as_ref());
        let ((permissions, schema), (requests, (tab_ids, referenced))) = rayon::join(
            || {
                rayon::join(
                    || PermissionIndex::build(&documents, &files, &titles),
                    || Registry::build(&documents, &table_rules),
                )
            },
            || {
                rayon::join(
                    || RequestNames::build(&documents),
                    || {
                        rayon::join(
                            || tab_ids(&documents),
                            || orphans.then(|| referenced(&documents, &files)),
                        )
                    },
                )
            },
        );
        let links = LinkSettings::new(
            &settings.link_ignores(),
            settings
                .repositories()
                .into_iter()
                .map(|(name, _)| name)
                .collect(),
        );
        Index {
            anchors: (0..documents.len()).map(|_| OnceLock::new()).collect(),
            root,
            files,
            documents,
            linted,
            complete,
            permissions,
            schema,
            includes,
            requests,
            repositories,
            links,
            tab_ids,
            referenced,
        }
    }

    /// The documents that document `d`'s includes resolve to, in the order of the includes.
    pub fn included_documents(&self, d: usize) -> &[usize] {
        self.includes.included(d)
    }

    /// Whether following includes from document `d` leads into a cycle.
    pub fn reaches_include_cycle(&self, d: usize) -> bool {
        self.includes.reaches_cycle(d)
    }

    /// Every use of a request name that more than one request uses, in document order;
    /// `None` for a name used once (or not at all).
    pub fn request_name_uses(&self, name: &str) -> Option<&[RequestName]> {
        self.requests.uses(name)
    }

    /// The file at exactly this path.
    pub fn file(&self, docset_path: &str) -> Option<&FileEntry> {
        self.files.get(docset_path)
    }

    /// The parsed document at exactly this path.
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

    /// The DocFX tab ids of the doc set (`# [C#](#tab/csharp)` → `csharp`), by lower-cased id:
    /// each spelling with the number of tabs that use it, most used first.
    pub fn tab_ids(&self) -> &HashMap<String, Vec<(String, usize)>> {
        &self.tab_ids
    }

    /// The anchors of a parsed document.
    pub fn anchors(&self, document: usize) -> &Anchors {
        self.anchors[document].get_or_init(|| {
            let doc = &self.documents[document];
            Anchors::collect(
                doc,
                Some(document),
                self.included_documents(document),
                &self.documents,
                |d| self.included_documents(d),
            )
        })
    }

    /// The anchors of a page, cached when the page belongs to the index.
    pub fn anchors_of<'s>(&'s self, doc: &Document) -> Cow<'s, Anchors> {
        match self.document_index(doc) {
            Some(d) => Cow::Borrowed(self.anchors(d)),
            None => {
                let first: Vec<usize> = doc
                    .includes
                    .iter()
                    .filter_map(|i| includes::target(&self.files, &doc.docset_path, &i.target))
                    .collect();
                Cow::Owned(Anchors::collect(doc, None, &first, &self.documents, |d| {
                    self.included_documents(d)
                }))
            }
        }
    }

    /// Whether another page of the doc set links to this document or includes it (`true`
    /// when that was not worked out).
    pub fn is_referenced(&self, document: usize) -> bool {
        self.referenced
            .as_ref()
            .and_then(|r| r.get(document).copied())
            .unwrap_or(true)
    }
}

/// The tab ids of every page, by lower-cased id, each spelling with its count, most used first.
fn tab_ids(documents: &[Document]) -> HashMap<String, Vec<(String, usize)>> {
    let mut counts: HashMap<String, HashMap<&str, usize>> = HashMap::default();
    for id in documents
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
}

/// Per document, whether another page links to it or includes it.
fn referenced(documents: &[Document], files: &Files) -> Vec<bool> {
    let targets: Vec<usize> = documents
        .par_iter()
        .enumerate()
        .filter(|(d, doc)| files.get(&doc.docset_path).and_then(|f| f.document) == Some(*d))
        .flat_map_iter(|(d, doc)| {
            let dests = doc
                .links
                .iter()
                .filter(|l| l.kind != LinkKind::Email)
                .map(|l| l.dest.as_str())
                .chain(doc.includes.iter().map(|i| i.target.as_str()));
            dests
                .filter_map(|dest| includes::target(files, &doc.docset_path, dest))
                .filter(|&t| t != d)
                .collect::<Vec<_>>()
        })
        .collect();
    let mut referenced = vec![false; documents.len()];
    for d in targets {
        referenced[d] = true;
    }
    referenced
}
