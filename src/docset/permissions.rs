//! The permissions of every API page and the scopes they use, built with the index. The
//! permission rules read a page's tables from here, DL606 compares a page's scopes with those
//! of the whole doc set, and `doclint scopes` lists them.

use std::collections::{BTreeSet, HashMap, HashSet};

use rayon::prelude::*;

use super::files::Files;
use crate::document::permissions::{self, PermissionTable, PermissionsSection};
use crate::document::Document;
use crate::suggest;

/// A scope used on at most this many pages may be a typo …
const RARE_PAGES: usize = 2;
/// … of a scope used on at least this many pages (and three times as many) …
const COMMON_PAGES: usize = 3;
/// … that is at most this many edits away (Damerau-Levenshtein, case-sensitive).
const TYPO_DISTANCE: usize = 2;

/// The permission tables of one API page.
#[derive(Debug, Clone)]
pub struct PagePermissions {
    /// The Permissions section, when the page has one.
    pub section: Option<PermissionsSection>,
    /// When the section holds no table of its own: the include that brings one in.
    pub included: Option<IncludedTables>,
}

/// Permission tables that a page includes from another file.
#[derive(Debug, Clone)]
pub struct IncludedTables {
    /// The index of the include directive in the page.
    pub include: usize,
    /// The doc-set path of the included file.
    pub document: String,
    /// Its permission tables.
    pub tables: Vec<PermissionTable>,
}

impl PagePermissions {
    /// The tables that apply to the page, wherever they are written.
    pub fn tables(&self) -> &[PermissionTable] {
        match (&self.included, &self.section) {
            (Some(included), _) => &included.tables,
            (None, Some(section)) => &section.tables,
            (None, None) => &[],
        }
    }
}

/// How many pages use each scope, and which rarely used scopes look like typos.
#[derive(Debug, Default)]
pub struct ScopeUsage {
    pages: HashMap<String, usize>,
    intended: HashMap<String, String>,
}

impl ScopeUsage {
    /// Counts the scopes of pages given as the distinct scope numbers of each (`names`: the
    /// name of each number).
    fn count<'a>(names: &[&'a str], pages: impl Iterator<Item = &'a [u32]>) -> ScopeUsage {
        let mut by_number = vec![0usize; names.len()];
        for scopes in pages {
            for &n in scopes {
                by_number[n as usize] += 1;
            }
        }
        let counts: HashMap<&str, usize> = names
            .iter()
            .zip(by_number)
            .filter(|&(_, n)| n > 0)
            .map(|(&name, n)| (name, n))
            .collect();
        let common: Vec<(&str, usize)> = counts
            .iter()
            .filter(|(_, &n)| n >= COMMON_PAGES)
            .map(|(&s, &n)| (s, n))
            .collect();
        // A typo usually has an odd segment: one no common scope has, and either no other
        // scope at all (`WriteAll`, `Userflow`) or a near-copy of a common scope's segment
        // (`Al`, which two typos may share: `Group.Read.Al`, `Files.Read.Al`). A legitimate
        // rare scope is made of known parts (`Mail.Send` is two edits from `Mail.Read`), or of
        // a new word other scopes share (`Send` in `Mail.Send` and `ChatMessage.Send`).
        let common_segments: HashSet<&str> = common
            .iter()
            .flat_map(|(scope, _)| scope.split('.'))
            .collect();
        let mut users: HashMap<&str, usize> = HashMap::new();
        for scope in counts.keys() {
            for segment in scope.split('.') {
                *users.entry(segment).or_default() += 1;
            }
        }
        let odd = |segment: &str| {
            let limit = (segment.chars().count() / 3).max(1);
            !common_segments.contains(segment)
                && (users.get(segment) == Some(&1)
                    || common_segments
                        .iter()
                        .any(|c| suggest::distance_within(segment, c, limit).is_some()))
        };
        let intended = counts
            .iter()
            .filter(|(_, &n)| n <= RARE_PAGES)
            .filter(|(rare, _)| rare.split('.').any(odd))
            .filter_map(|(rare, &n)| {
                likely_intended(rare, n, &common).map(|c| (rare.to_string(), c.to_string()))
            })
            .collect();
        ScopeUsage {
            pages: counts
                .into_iter()
                .map(|(s, n)| (s.to_string(), n))
                .collect(),
            intended,
        }
    }

    /// The number of pages whose permission tables name `scope` (exact spelling).
    pub fn pages(&self, scope: &str) -> usize {
        self.pages.get(scope).copied().unwrap_or(0)
    }

    /// For a scope used on one or two pages that is a small edit away from a scope used on
    /// many: that scope.
    pub fn likely_intended(&self, scope: &str) -> Option<&str> {
        self.intended.get(scope).map(String::as_str)
    }

    /// Whether `scope` is used on many pages.
    pub fn is_common(&self, scope: &str) -> bool {
        self.pages(scope) >= COMMON_PAGES
    }

    /// Every scope used, sorted case-insensitively, each with its likely intended name when it
    /// looks like a typo.
    pub fn list(&self) -> Vec<(&str, Option<&str>)> {
        let sorted: BTreeSet<(String, &str)> = self
            .pages
            .keys()
            .map(|s| (s.to_lowercase(), s.as_str()))
            .collect();
        sorted
            .into_iter()
            .map(|(_, s)| (s, self.likely_intended(s)))
            .collect()
    }
}

/// The common scope closest to `rare`, if any is within the typo distance and used on at least
/// three times as many pages.
fn likely_intended<'a>(
    rare: &str,
    rare_pages: usize,
    common: &[(&'a str, usize)],
) -> Option<&'a str> {
    let length = rare.chars().count();
    common
        .iter()
        .filter(|(c, n)| {
            *n >= 3 * rare_pages && c.chars().count().abs_diff(length) <= TYPO_DISTANCE
        })
        .filter_map(|(c, n)| Some((suggest::distance_within(rare, c, TYPO_DISTANCE)?, *n, *c)))
        .filter(|(d, _, _)| *d >= 1)
        .min_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)).then(a.2.cmp(b.2)))
        .map(|(_, _, c)| c)
}

/// The scopes of every API page, by document, and the doc set's scope usage. A page's tables
/// themselves are read again when the page is checked ([`page_permissions`]): kept for every
/// page, they would take more memory than the rest of the index. A page's scopes are numbers
/// into one list of scope names, so that a scope's name is kept once, not once per page.
#[derive(Debug, Default)]
pub struct PermissionIndex {
    /// The name of every scope that some page names, each once, with its number.
    names: ScopeNames,
    /// By document: the page's doc set and the numbers of the scopes its tables name, each
    /// once, in increasing order (`None` for a page that is not an API reference page).
    pages: Vec<Option<(usize, Box<[u32]>)>>,
    /// How often each scope is used, over every doc set.
    pub usage: ScopeUsage,
    /// How often each scope is used, per doc set.
    by_docset: Vec<ScopeUsage>,
}

/// How many pages' scopes are read side by side before their names are numbered: the names
/// read are held only that long.
const READ_AT_ONCE: usize = 1024;

impl PermissionIndex {
    /// Reads the Permissions section of every API page and counts the scopes, over all and
    /// per doc set: `docsets[d]` is the doc set of document `d`, and `titles[s]` the headings
    /// that open a Permissions section in doc set `s`. The scopes of a page whose text was
    /// dropped after its parse come from `worked_out` (per document, those read in the parse
    /// worker; the list may end early), each let go of once numbered.
    pub(super) fn build(
        documents: &[Document],
        mut worked_out: Vec<Option<OwnScopes>>,
        files: &Files,
        docsets: &[usize],
        titles: &[Vec<String>],
    ) -> PermissionIndex {
        let default_titles = vec!["Permissions".to_string()];
        let reference: Vec<usize> = (0..documents.len())
            .filter(|&d| is_reference_page(&documents[d]))
            .collect();
        let mut index = PermissionIndex {
            pages: std::iter::repeat_with(|| None)
                .take(documents.len())
                .collect(),
            ..PermissionIndex::default()
        };
        for pages in reference.chunks(READ_AT_ONCE) {
            let own: Vec<Option<OwnScopes>> = pages
                .iter()
                .map(|&d| worked_out.get_mut(d).and_then(Option::take))
                .collect();
            let read: Vec<Vec<Box<str>>> = pages
                .par_iter()
                .zip(own)
                .map(|(&d, own)| {
                    let doc = &documents[d];
                    match own {
                        Some(own) => own.scopes(doc, documents, files),
                        None => {
                            let set = docsets.get(d).copied().unwrap_or(usize::MAX);
                            let titles = titles.get(set).unwrap_or(&default_titles);
                            distinct_scopes(&page_permissions(doc, documents, files, titles))
                        }
                    }
                })
                .collect();
            for (&d, scopes) in pages.iter().zip(read) {
                let set = docsets.get(d).copied().unwrap_or(usize::MAX);
                index.pages[d] = Some((set, index.names.numbers(&scopes)));
            }
        }
        index.count_scopes(titles.len());
        index
    }

    /// Counts the scopes again, over all doc sets and per doc set (`docsets`: how many).
    fn count_scopes(&mut self, docsets: usize) {
        let names = self.names.by_number();
        let pages = &self.pages;
        let names = &names;
        let (usage, by_docset) = rayon::join(
            || ScopeUsage::count(names, pages.iter().flatten().map(|(_, scopes)| &**scopes)),
            || {
                (0..docsets)
                    .into_par_iter()
                    .map(|s| {
                        ScopeUsage::count(
                            names,
                            pages
                                .iter()
                                .flatten()
                                .filter(|(set, _)| *set == s)
                                .map(|(_, scopes)| &**scopes),
                        )
                    })
                    .collect()
            },
        );
        self.usage = usage;
        self.by_docset = by_docset;
    }

    /// Reads the permissions of `pages` (documents whose text changed, or that include one
    /// that did) again; the scopes are counted again only when a page's set of scopes changed.
    pub fn update(
        &mut self,
        pages: &[usize],
        documents: &[Document],
        files: &Files,
        docsets: &[usize],
        titles: &[Vec<String>],
    ) {
        let default_titles = vec!["Permissions".to_string()];
        let mut recount = false;
        for &d in pages {
            let doc = &documents[d];
            let set = docsets.get(d).copied().unwrap_or(usize::MAX);
            let titles = titles.get(set).unwrap_or(&default_titles);
            let new = is_reference_page(doc).then(|| {
                let scopes = distinct_scopes(&page_permissions(doc, documents, files, titles));
                self.names.numbers(&scopes)
            });
            if self.pages.len() <= d {
                self.pages.resize_with(d + 1, || None);
            }
            let old = std::mem::take(&mut self.pages[d]);
            recount |= old.map(|(_, scopes)| scopes) != new;
            self.pages[d] = new.map(|scopes| (set, scopes));
        }
        if recount {
            self.count_scopes(titles.len());
        }
    }

    /// How often each scope is used in one doc set.
    pub fn usage_in(&self, docset: usize) -> &ScopeUsage {
        self.by_docset.get(docset).unwrap_or(&self.usage)
    }
}

/// The scopes a page's tables name, each once, sorted.
fn distinct_scopes(page: &PagePermissions) -> Vec<Box<str>> {
    let mut names: Vec<&str> = page
        .tables()
        .iter()
        .flat_map(|t| t.scopes().map(|(name, _)| name))
        .collect();
    names.sort_unstable();
    names.dedup();
    names.into_iter().map(Box::from).collect()
}

/// Scope names, each kept once and numbered in the order they were first seen.
#[derive(Debug, Default)]
struct ScopeNames {
    numbers: HashMap<Box<str>, u32>,
}

impl ScopeNames {
    /// The numbers of distinct `names`, in increasing order; new names are numbered.
    fn numbers(&mut self, names: &[Box<str>]) -> Box<[u32]> {
        let mut numbers: Vec<u32> = names.iter().map(|name| self.number(name)).collect();
        numbers.sort_unstable();
        numbers.into_boxed_slice()
    }

    /// The number of `name`, given one when it has none yet.
    fn number(&mut self, name: &str) -> u32 {
        if let Some(&n) = self.numbers.get(name) {
            return n;
        }
        let n = crate::source::saturating_u32(self.numbers.len());
        self.numbers.insert(name.into(), n);
        n
    }

    /// The name of each number.
    fn by_number(&self) -> Vec<&str> {
        let mut names = vec![""; self.numbers.len()];
        for (name, &n) in &self.numbers {
            names[n as usize] = name;
        }
        names
    }
}

/// Whether a page is an API reference page, the pages that document permissions: an API page
/// that defines no resource (a resource page with a wrong `doc_type` is still a resource page)
/// and is not an include fragment. A page without `doc_type` that is an API page only because
/// it shows requests must also have an `HTTP request` heading: tutorials and concept pages show
/// requests too, but do not follow the reference template.
pub fn is_reference_page(doc: &Document) -> bool {
    let kind = doc.kind;
    if !kind.api || kind.resource || kind.fragment {
        return false;
    }
    doc.doc_type().is_some()
        || doc
            .headings
            .iter()
            .any(|h| h.text.trim().eq_ignore_ascii_case("http request"))
}

/// The permission tables of an API reference page (see [`is_reference_page`]): its
/// Permissions section (`titles`: the headings that open one) and, when that holds no table of
/// its own, the tables of the file it includes there.
pub fn page_permissions(
    doc: &Document,
    documents: &[Document],
    files: &Files,
    titles: &[String],
) -> PagePermissions {
    let section = PermissionsSection::find(doc, titles);
    let included = section
        .as_ref()
        .filter(|s| takes_included(s))
        .and_then(|s| included_tables(doc, &s.includes, documents, files));
    PagePermissions { section, included }
}

/// Whether a Permissions section takes its tables from an include: it holds none of its own,
/// and no table-like block that is not rendered.
fn takes_included(section: &PermissionsSection) -> bool {
    section.tables.is_empty() && !section.unrendered_table
}

/// The permission tables of the first of the include directives `includes` (indices into
/// `doc`'s) whose file holds any.
fn included_tables(
    doc: &Document,
    includes: &[usize],
    documents: &[Document],
    files: &Files,
) -> Option<IncludedTables> {
    includes.iter().find_map(|&i| {
        let target = super::includes::target(files, doc.docset_path(), &doc.includes[i].target)?;
        let included = &documents[target];
        let tables = permissions::tables_in(included);
        (!tables.is_empty()).then(|| IncludedTables {
            include: i,
            document: included.docset_path().to_string(),
            tables,
        })
    })
}

/// What the permission index needs of a page's own text, read while the page is parsed (see
/// [`super::contribution`]).
#[derive(Debug)]
pub(super) enum OwnScopes {
    /// The distinct scopes of the page's own Permissions section (none without one).
    Scopes(Box<[Box<str>]>),
    /// The section takes its tables from an include: the indices of the include directives in
    /// it, resolved when the index is built.
    Included(Box<[usize]>),
}

impl OwnScopes {
    /// Reads the Permissions section of `doc` (`titles`: the headings that open one).
    pub(super) fn of(doc: &Document, titles: &[String]) -> OwnScopes {
        match PermissionsSection::find(doc, titles) {
            Some(section) if takes_included(&section) => {
                OwnScopes::Included(section.includes.into_boxed_slice())
            }
            section => OwnScopes::Scopes(
                distinct_scopes(&PagePermissions {
                    section,
                    included: None,
                })
                .into_boxed_slice(),
            ),
        }
    }

    /// The distinct scopes of page `doc`, as [`distinct_scopes`] of [`page_permissions`] gives
    /// them.
    fn scopes(self, doc: &Document, documents: &[Document], files: &Files) -> Vec<Box<str>> {
        match self {
            OwnScopes::Scopes(scopes) => scopes.into_vec(),
            OwnScopes::Included(includes) => distinct_scopes(&PagePermissions {
                section: None,
                included: included_tables(doc, &includes, documents, files),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{likely_intended, ScopeNames, ScopeUsage};

    /// A scope's name is kept once; pages hold numbers, counted by name.
    #[test]
    fn scope_names_are_numbered_once() {
        let mut names = ScopeNames::default();
        let a = names.numbers(&["User.Read".into(), "Mail.Send".into()]);
        let b = names.numbers(&["Mail.Send".into(), "Files.Read".into()]);
        assert_eq!((&*a, &*b), (&[0, 1][..], &[1, 2][..]));
        let by_number = names.by_number();
        assert_eq!(by_number, ["User.Read", "Mail.Send", "Files.Read"]);
        let usage = ScopeUsage::count(&by_number, [&*a, &*b].into_iter());
        let counts = ["Mail.Send", "User.Read", "Files.Read", "Nope"].map(|s| usage.pages(s));
        assert_eq!(counts, [2, 1, 1, 0]);
        assert_eq!(usage.list().len(), 3);
    }

    #[test]
    fn rare_scopes_near_common_ones_are_typos() {
        let common = [
            ("Group.ReadWrite.All", 40),
            ("Group.Read.All", 60),
            ("User.Read", 90),
        ];
        assert_eq!(
            likely_intended("Group.Read.WriteAll", 1, &common),
            Some("Group.ReadWrite.All")
        );
        assert_eq!(likely_intended("Mail.Send", 1, &common), None);
        assert_eq!(likely_intended("User.Read", 2, &common), None);
    }
}
