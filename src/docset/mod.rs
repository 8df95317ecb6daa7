//! Doc sets and the index of a checkout: every file and every parsed page, the doc sets they
//! belong to (see [`discovery`]), and everything the cross-file rules read — file lookups, the
//! include graph, anchors, request names, the permission tables and scopes, the type registry.
//! Built in one step ([`Index::build`]) after parsing, and only read afterwards. Links and
//! includes resolve across the whole checkout; request names, types, scope statistics and tab
//! ids are counted per doc set.

pub mod anchors;
pub mod contribution;
pub mod discovery;
pub mod docfx;
pub mod files;
pub mod includes;
pub mod permissions;
pub mod redirections;
mod release;
pub mod requests;
pub mod resolve;
pub mod scenario_files;
pub mod sets;
mod update;
pub mod url_names;
pub mod wording;
pub mod yaml_pages;

use std::borrow::Cow;
use std::path::PathBuf;
use std::sync::OnceLock;

use foldhash::HashMap;
use rayon::prelude::*;

use crate::config::Settings;
use crate::document::{Document, LinkKind};
use crate::schema::{Registry, ScopeKind};
pub use anchors::{Anchors, IncludedIds};
pub use contribution::{Contribution, Contributions};
pub use files::{FileEntry, Files};
pub use includes::IncludeGraph;
pub use permissions::{PagePermissions, PermissionIndex, ScopeUsage};
pub use redirections::{Redirect, Redirections};
pub use release::{keep_outline, policy_includes, read_for_outline_only};
pub use requests::{RequestName, RequestNames};
pub use resolve::{LinkSettings, Repositories, Resolver, Target};
pub use sets::{DocSet, DocSetId, DocSets, Origin};
pub use url_names::UrlNames;
pub use wording::Wordings;
pub use yaml_pages::YamlPage;

/// What the index is built from.
pub struct Input<'a> {
    /// The checkout root: relative links of pages outside it are not checked.
    pub root: PathBuf,
    /// Every file under the root.
    pub files: Files,
    /// The doc sets of the checkout.
    pub docsets: DocSets,
    /// The parsed pages (linted ones and the others the run needs).
    pub documents: Vec<Document>,
    /// What the index reads of the text of the pages whose text was dropped after the parse.
    pub contributions: Contributions,
    /// The DocFX YAML pages that include fragments.
    pub yaml_pages: Vec<YamlPage>,
    /// Indices into `documents` of the pages to lint, sorted by path.
    pub linted: Vec<usize>,
    /// Whether the run lints whole doc sets (false for named files), so that the doc-set-wide
    /// rules run.
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
    /// The doc sets of the checkout.
    pub docsets: DocSets,
    /// Parsed pages (linted ones and the others of the doc set).
    pub documents: Vec<Document>,
    /// The YAML pages that include fragments (kept so that the include graph can be resolved
    /// again when a page changes).
    yaml_pages: Vec<YamlPage>,
    /// Indices into `documents` of the pages to lint, sorted by path.
    pub linted: Vec<usize>,
    /// Whether the run lints whole doc sets. With only named files (pre-commit) every page is
    /// still parsed and indexed, so a named page gets the findings a directory run gives it,
    /// but the doc-set-wide rules (duplicate names across pages, orphans, rare scopes, tab-id
    /// spellings) do not run.
    pub complete: bool,
    /// The permission tables of API pages and the scopes they use.
    pub permissions: PermissionIndex,
    /// The resources and enums the pages define.
    pub schema: Registry,
    /// Who includes whom.
    pub includes: IncludeGraph,
    /// Request names used more than once.
    pub requests: RequestNames,
    /// What the API pages say about URL segments: function and action names, entity sets.
    pub url_names: UrlNames,
    /// The prose words of the includes an include policy names.
    pub wordings: Wordings,
    /// The files of cross-repository checkouts.
    pub repositories: Repositories,
    /// The run's link settings.
    pub links: LinkSettings,
    /// Per document, its doc set.
    membership: Vec<DocSetId>,
    /// Per doc set, DocFX tab ids by lower-cased id: each spelling with its number of tabs,
    /// most used first.
    tab_ids: Vec<HashMap<String, Vec<(String, usize)>>>,
    /// Per document, how many links and includes of other pages lead to it (when asked for).
    referenced: Option<Vec<u32>>,
    /// The anchor ids of the include targets, of which the anchors of the pages that include
    /// them are made.
    included_ids: IncludedIds,
    /// Per document, its anchors: a cache filled on first use, since most pages are never the
    /// target of an anchor link and the sets would cost more memory than the rest of the index
    /// (boxed, so that an empty slot is a pointer, not an empty set).
    anchors: Vec<OnceLock<Box<Anchors>>>,
}

impl Index {
    /// Builds the index: attaches the documents to their files, resolves the include graph
    /// and marks included pages as fragments, then reads permissions, types, request names,
    /// URL names, tab ids and (when asked) references, side by side.
    pub fn build(input: Input<'_>) -> Index {
        let Input {
            root,
            mut files,
            docsets,
            mut documents,
            contributions,
            yaml_pages,
            linted,
            complete,
            settings,
            repositories,
            orphans,
        } = input;
        files.attach(documents.par_iter().map(|d| d.docset_path()));
        let includes = IncludeGraph::build(&documents, &files, &yaml_pages);
        for target in includes.targets() {
            documents[target].kind.fragment = true;
        }
        read_included_texts_again(&mut documents, &includes);
        let included_ids = IncludedIds::build(&documents, &includes);
        let membership: Vec<DocSetId> = documents
            .par_iter()
            .enumerate()
            .map(|(d, doc)| match files.get(doc.docset_path()) {
                Some(file) if file.document == Some(d) => docsets.of(doc.docset_path()),
                _ => docsets.all().len(),
            })
            .collect();
        let ids = docsets.ids();
        let titles = permission_titles(&docsets);
        let kinds = scope_kinds(&docsets);
        // Each part of the index takes its part of the contributions, letting go of a page's
        // as it counts it.
        let Contributions {
            url_facts,
            permissions: own_scopes,
            request_names,
            definitions,
        } = contributions;
        let ((permissions, schema), ((requests, url_names), ((tab_ids, wordings), referenced))) =
            rayon::join(
                || {
                    rayon::join(
                        || {
                            PermissionIndex::build(
                                &documents,
                                own_scopes,
                                &files,
                                &membership,
                                &titles,
                            )
                        },
                        || Registry::build(&documents, definitions, &membership, &kinds),
                    )
                },
                || {
                    rayon::join(
                        || {
                            rayon::join(
                                || RequestNames::build(&documents, &membership, request_names),
                                || UrlNames::build(&documents, url_facts),
                            )
                        },
                        || {
                            rayon::join(
                                || {
                                    (
                                        tab_ids(&documents, &membership, ids),
                                        Wordings::build(&documents, &files, settings),
                                    )
                                },
                                || {
                                    orphans.then(|| {
                                        referenced(&documents, &files, includes.yaml_targets())
                                    })
                                },
                            )
                        },
                    )
                },
            );
        let links = LinkSettings::new(
            &docsets.link_ignores,
            settings
                .repositories
                .iter()
                .map(|r| r.name.clone())
                .collect(),
        );
        Index {
            anchors: (0..documents.len()).map(|_| OnceLock::new()).collect(),
            included_ids,
            yaml_pages,
            root,
            files,
            docsets,
            membership,
            documents,
            linted,
            complete,
            permissions,
            schema,
            includes,
            requests,
            url_names,
            wordings,
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

    /// Every use of a request name that more than one request of doc set `docset` uses, in
    /// document order; `None` for a name used once there (or not at all).
    pub fn request_name_uses(
        &self,
        docset: DocSetId,
        name: &str,
    ) -> Option<impl Iterator<Item = &RequestName>> {
        self.requests.uses(docset, name)
    }

    /// Whether a request of doc set `docset` is named `name`.
    pub fn request_name_used(&self, docset: DocSetId, name: &str) -> bool {
        self.requests.is_used(docset, name)
    }

    /// The doc set of a document of the index.
    pub fn docset_of(&self, document: usize) -> DocSetId {
        self.membership
            .get(document)
            .copied()
            .unwrap_or(self.docsets.all().len())
    }

    /// The scope a body of a page of doc set `own` is checked in: the page's doc set when that
    /// is an API version; else the API version whose root names the version the request calls
    /// (`v1.0` in `https://graph.microsoft.com/v1.0/me`); else the page's own doc set, which
    /// sees its own types, then every doc set's.
    pub fn schema_scope(&self, own: DocSetId, version: Option<&str>) -> DocSetId {
        if self.schema.is_closed(own) {
            return own;
        }
        version
            .and_then(|v| {
                self.docsets.all().iter().enumerate().find(|(id, set)| {
                    set.version().eq_ignore_ascii_case(v)
                        && self.schema.is_closed(*id)
                        && self.schema.defines(*id)
                })
            })
            .map_or(own, |(id, _)| id)
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

    /// The DocFX tab ids of a doc set (`# [C#](#tab/csharp)` → `csharp`), by lower-cased id:
    /// each spelling with the number of tabs that use it, most used first.
    pub fn tab_ids(&self, docset: DocSetId) -> &HashMap<String, Vec<(String, usize)>> {
        static NONE: OnceLock<HashMap<String, Vec<(String, usize)>>> = OnceLock::new();
        self.tab_ids
            .get(docset)
            .unwrap_or_else(|| NONE.get_or_init(HashMap::default))
    }

    /// The anchors of a parsed document.
    pub fn anchors(&self, document: usize) -> &Anchors {
        self.anchors[document].get_or_init(|| {
            let doc = &self.documents[document];
            Box::new(Anchors::collect(
                doc,
                Some(document),
                self.included_documents(document),
                |d| self.included_documents(d),
                |d| self.included_ids.of(d),
            ))
        })
    }

    /// The anchors of a page: document `d` of the index (cached), or a page outside it
    /// (`None`), whose includes may lead to pages no page of the index includes (read here).
    pub fn anchors_of<'s>(&'s self, doc: &Document, d: Option<usize>) -> Cow<'s, Anchors> {
        match d {
            Some(d) => Cow::Borrowed(self.anchors(d)),
            None => {
                let first: Vec<usize> = doc
                    .includes
                    .iter()
                    .filter_map(|i| includes::target(&self.files, doc.docset_path(), &i.target))
                    .collect();
                let read: HashMap<usize, Box<[Box<str>]>> = first
                    .iter()
                    .map(|&t| (t, anchors::own_ids(&self.documents[t]).collect()))
                    .collect();
                Cow::Owned(Anchors::collect(
                    doc,
                    None,
                    &first,
                    |d| self.included_documents(d),
                    |d| match read.get(&d) {
                        Some(ids) => ids,
                        None => self.included_ids.of(d),
                    },
                ))
            }
        }
    }

    /// The permission tables of page `doc`, document `d` of the index, when it is an API
    /// reference page, read from the page (and the file it includes them from); `None` for
    /// other pages.
    pub fn page_permissions(&self, doc: &Document, d: usize) -> Option<PagePermissions> {
        permissions::is_reference_page(doc).then(|| {
            let titles = &self.docsets.get(self.docset_of(d)).permission_titles;
            permissions::page_permissions(doc, &self.documents, &self.files, titles)
        })
    }

    /// Whether another page of the doc set links to this document or includes it (`true`
    /// when that was not worked out).
    pub fn is_referenced(&self, document: usize) -> bool {
        self.referenced
            .as_ref()
            .and_then(|r| r.get(document))
            .is_none_or(|&n| n > 0)
    }
}

/// Puts back the text of included pages that was dropped after their parse: the pages that
/// include them read it (permission tables, wording). A file that cannot be read again keeps
/// no text; its own checks report it.
fn read_included_texts_again(documents: &mut [Document], includes: &IncludeGraph) {
    let dropped: Vec<usize> = includes
        .targets()
        .filter(|&t| documents[t].text_dropped())
        .collect();
    let texts: Vec<(usize, Option<String>)> = dropped
        .par_iter()
        .map_init(crate::files::Folders::default, |folders, &t| {
            (t, documents[t].read_text_again(folders).ok().flatten())
        })
        .collect();
    for (t, text) in texts {
        if let Some(text) = text {
            documents[t].put_text_back(text);
        }
    }
}

/// Per doc set, the headings that open a Permissions section.
fn permission_titles(docsets: &DocSets) -> Vec<Vec<String>> {
    (0..docsets.ids())
        .map(|s| docsets.get(s).permission_titles.clone())
        .collect()
}

/// Per doc set, how the type registry reads its tables and whether it is closed.
fn scope_kinds(docsets: &DocSets) -> Vec<ScopeKind> {
    (0..docsets.ids())
        .map(|s| ScopeKind {
            rules: docsets.get(s).table_rules.clone(),
            closed: docsets.get(s).is_api_version(),
        })
        .collect()
}

/// Per doc set, the tab ids of its pages, by lower-cased id, each spelling with its count,
/// most used first.
fn tab_ids(
    documents: &[Document],
    membership: &[DocSetId],
    ids: usize,
) -> Vec<HashMap<String, Vec<(String, usize)>>> {
    let mut counts: Vec<HashMap<String, HashMap<&str, usize>>> = vec![HashMap::default(); ids];
    for (doc, &set) in documents.iter().zip(membership) {
        for id in doc.headings.iter().filter_map(|h| h.tab()) {
            *counts[set.min(ids - 1)]
                .entry(id.to_lowercase())
                .or_default()
                .entry(id)
                .or_default() += 1;
        }
    }
    counts
        .into_iter()
        .map(|by_id| {
            by_id
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
        .collect()
}

/// Per document, how many links and includes of other pages lead to it (`from_yaml`: the
/// documents YAML pages include, counted once each).
fn referenced(documents: &[Document], files: &Files, from_yaml: &[usize]) -> Vec<u32> {
    let targets: Vec<usize> = documents
        .par_iter()
        .enumerate()
        .flat_map_iter(|(d, doc)| references(d, doc, files))
        .collect();
    let mut referenced = vec![0u32; documents.len()];
    for d in targets.into_iter().chain(from_yaml.iter().copied()) {
        referenced[d] = referenced[d].saturating_add(1);
    }
    referenced
}

/// The documents that the links and includes of document `d` lead to (itself left out), one
/// entry per link or include; none for a document that is not the file at its path.
fn references(d: usize, doc: &Document, files: &Files) -> Vec<usize> {
    if files.get(doc.docset_path()).and_then(|f| f.document) != Some(d) {
        return Vec::new();
    }
    doc.links
        .iter()
        .filter(|l| l.kind != LinkKind::Email)
        .map(|l| &*l.dest)
        .chain(doc.includes.iter().map(|i| i.target.as_str()))
        .filter_map(|dest| includes::target(files, doc.docset_path(), dest))
        .filter(|&t| t != d)
        .collect()
}
