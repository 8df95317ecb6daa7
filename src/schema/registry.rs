//! The type registry: every resource of the doc set with its properties, built once.
//!
//! A resource is a `resource` annotation bound to a JSON fence. Its properties come from the
//! example JSON (names and example-declared types) and, when the page defines exactly one
//! resource, from the page's Properties and Relationships tables (names and table-declared
//! types). Base types are resolved and cycles cut while building, so every later walk up an
//! inheritance chain terminates.
//!
//! Types live in scopes, one per doc set (the caller says which page is in which), so that a
//! repository holding several API versions — each defining `microsoft.graph.user` — does not
//! see duplicates. A closed scope (an API version) sees only its own types; a lookup from an
//! open scope (a doc set of concept pages) searches it first, then every other scope.

mod pages;
mod update;

use foldhash::HashMap;
use std::ops::Range;

use super::declared::{self, Declared};
use super::tables::{TableKind, TableRules};
use crate::diagnostic::SpanPos;
use crate::document::json::JsonError;
use crate::document::Document;
use crate::source::{saturating_u32, Span};
pub use pages::flag;
use pages::{read_page, read_pages};
pub use pages::{PageDefinitions, ReadInWorker};

/// One property of a resource. Every resource of the doc set keeps its properties for the
/// whole run, so the spans are `u32`s (see [`Span`]) and the type text is boxed: 136 bytes
/// instead of 176.
#[derive(Debug, Clone)]
pub struct Property {
    /// The name, as written.
    pub name: String,
    /// The declared type (table and example merged).
    pub declared: Declared,
    /// See [`Property::json_key`].
    json_key: Option<Span>,
    /// See [`Property::table_row`].
    table_row: Option<Span>,
    /// The kind of the table that describes it.
    pub table_kind: Option<TableKind>,
    /// The text of the row's Type cell, markup removed ("" without a row).
    pub table_type: Box<str>,
    /// Where the description cell of its table row is, if it has one (its text is read only
    /// by the OpenAPI export: see [`Property::description`]).
    description_cell: Option<Span>,
    /// Where [`Property::declaration`] is, for the related locations of other pages' findings.
    pub declared_at: Option<SpanPos>,
}

impl Property {
    /// Where the property's key is in the resource JSON (page offsets), if it is there.
    pub fn json_key(&self) -> Option<Range<usize>> {
        self.json_key.map(Span::range)
    }

    /// The table row that describes it, if any.
    pub fn table_row(&self) -> Option<Range<usize>> {
        self.table_row.map(Span::range)
    }

    /// Whether the property is a navigation property (described under Relationships).
    pub fn is_navigation(&self) -> bool {
        self.table_kind == Some(TableKind::Relationships)
    }

    /// The description cell of its table row, markup removed ("" when there is none); `page`
    /// is the text of the page that defines the type.
    pub fn description(&self, page: &str) -> String {
        self.description_cell
            .map(|cell| super::tables::plain_text(page.get(cell.range()).unwrap_or("")))
            .unwrap_or_default()
    }

    /// Where the property is declared: its table row, else its JSON key.
    pub fn declaration(&self) -> Option<Range<usize>> {
        self.table_row().or_else(|| self.json_key())
    }
}

/// Why a resource definition cannot be used as written (DL801).
#[derive(Debug, Clone)]
pub enum ResourceDefect {
    /// The example JSON does not parse.
    InvalidJson(JsonError),
    /// The example JSON is not an object.
    NotAnObject(&'static str),
}

/// A resource type defined by a `resource` block.
#[derive(Debug, Clone)]
pub struct ResourceType {
    /// The type name as written (`microsoft.graph.driveItem`).
    pub name: String,
    /// The defining page (index into the index's documents).
    pub doc: usize,
    /// The `resource` annotation (index into the page's annotations).
    pub annotation: usize,
    /// Where the annotation is, for the related locations of other pages' findings.
    pub annotation_at: SpanPos,
    /// The scope (see the module documentation).
    pub scope: usize,
    /// The `baseType` as written, or the base type the page's prose names when the
    /// annotation has none (see `base_from_prose`).
    pub base_name: Option<String>,
    /// Whether the base type comes from the page's introduction ("Inherits from
    /// [directoryObject](directoryobject.md)") because the annotation names none.
    pub base_from_prose: bool,
    /// The names the page's introduction gives as base type, for a definition without
    /// `baseType` (the first that names a type is taken).
    prose_bases: Vec<String>,
    /// The resolved base type; `None` when absent, unknown or part of a cycle.
    pub base: Option<usize>,
    /// Whether the base type is part of an inheritance cycle.
    pub in_cycle: bool,
    /// `openType: true`.
    pub open: bool,
    /// `optionalProperties`.
    pub optional: Vec<String>,
    /// `nullableProperties`: when given, the only properties that may be `null`.
    pub nullable: Option<Vec<String>>,
    /// `keyProperty`.
    pub key_property: Option<String>,
    /// The properties, JSON order first, then table-only ones.
    pub properties: Vec<Property>,
    /// Whether the page's tables were merged (the page defines only this resource) and one
    /// of them is a Properties table.
    pub has_properties_table: bool,
    /// What is wrong with the definition, if anything.
    pub defect: Option<ResourceDefect>,
    /// Other definitions of the same type in the same scope (DL802); their properties count
    /// as documented for validation.
    pub twins: Vec<usize>,
    /// The first definition of the type in its scope (in path order): this one, or the one
    /// it duplicates.
    pub first: usize,
    /// The types whose `baseType` is this one.
    pub derived: Vec<usize>,
    /// While the page is read, the property of each name (a repeated name replaces the
    /// property); empty once it is read.
    by_name: HashMap<String, usize>,
    /// The properties in the order of their names, which are all different: every type lives
    /// as long as the registry, and a sorted list of `u32`s is about a tenth of a map of
    /// names (see [`ResourceType::own_property`]).
    sorted: Box<[u32]>,
}

impl ResourceType {
    /// The property named exactly `name`, defined on this type itself.
    pub fn own_property(&self, name: &str) -> Option<&Property> {
        let at = self
            .sorted
            .binary_search_by(|&i| self.properties[i as usize].name.as_str().cmp(name))
            .ok()?;
        Some(&self.properties[self.sorted[at] as usize])
    }
}

/// A `resource` annotation that defines no type (DL801).
#[derive(Debug, Clone)]
pub struct InvalidResource {
    /// The page.
    pub doc: usize,
    /// The annotation.
    pub annotation: usize,
    /// What is wrong.
    pub message: String,
}

/// Every resource type of the doc set.
#[derive(Debug, Default)]
pub struct Registry {
    /// The types, in document order. Each in a box of its own, made by the parse worker that
    /// read it: gathered into one list of types, a large one at that, they would be copied into
    /// fresh memory while every page is still in memory, the blocks they leave scattered
    /// among the pages' models (at 100k pages, 12 MB more at the run's peak).
    #[allow(clippy::vec_box, reason = "boxes the workers made")]
    pub types: Vec<Box<ResourceType>>,
    /// Resource annotations that define no type.
    pub invalid: Vec<InvalidResource>,
    /// Per scope, whether it defines any type or enum.
    defining: Vec<bool>,
    /// Per scope, whether its lookups stay inside it.
    closed: Vec<bool>,
    /// The types (all scopes) by lower-cased qualified name, each name's definitions in path
    /// order (see [`Registry::named`]): at 100k pages a map of lower-cased names to lists took
    /// 4-5 MB, and two more maps (short names, types by page) as much again, all taken when the
    /// index is built, with every page in memory.
    by_name: Box<[(Box<str>, u32)]>,
    /// The types by lower-cased short name, as [`Registry::by_name`].
    by_short_name: Box<[(Box<str>, u32)]>,
    /// Enums documented in tables.
    pub enums: Vec<EnumType>,
    /// Lower-cased enum name → enums in path order (all scopes).
    enums_by_name: HashMap<String, Vec<usize>>,
}

/// An enum type documented by a table of members.
#[derive(Debug, Clone)]
pub struct EnumType {
    /// The name (`riskLevel`).
    pub name: String,
    /// The namespace the page declares (`Namespace: microsoft.graph`), or "".
    pub namespace: String,
    /// The scope.
    pub scope: usize,
    /// The member names.
    pub members: Vec<String>,
    /// The table row of each member.
    pub member_rows: Vec<Range<usize>>,
    /// The table's header row.
    pub header: Range<usize>,
    /// Where the header row is, for the related locations of other pages' findings.
    pub header_at: SpanPos,
    /// The page that documents it.
    pub doc: usize,
}

/// How a scope reads its tables, and whether it is closed: an API version whose examples only
/// its own types describe.
#[derive(Debug, Clone, Default)]
pub struct ScopeKind {
    /// How its Properties, Relationships and enum tables are read.
    pub rules: TableRules,
    /// Whether its lookups stay inside it.
    pub closed: bool,
}

/// Whether a page defines resources or enums (reading its tables by `rules`): whether the
/// registry depends on it.
pub fn defines_types(doc: &Document, rules: &TableRules) -> bool {
    read_page(0, doc, rules).is_some()
}

/// Longest inheritance chain walked (a guard; cycles are already cut).
const MAX_CHAIN: usize = 64;

impl Registry {
    /// Builds the registry from the parsed pages: `scopes[d]` is the scope of document `d`
    /// (scopes are numbered from 0), and `kinds[s]` says how scope `s` reads its tables and
    /// whether it is closed. The definitions of the pages in `read` were read by the parse
    /// worker, before it dropped their text; the other pages are read here.
    pub fn build(
        documents: &[Document],
        read: ReadInWorker,
        scopes: &[usize],
        kinds: &[ScopeKind],
    ) -> Registry {
        let mut registry = Registry {
            defining: vec![false; scopes.iter().max().map_or(0, |&s| s + 1)],
            closed: kinds.iter().map(|k| k.closed).collect(),
            ..Registry::default()
        };
        let fallback = TableRules::default();
        let rules_of = |d: usize| {
            scopes
                .get(d)
                .and_then(|&s| kinds.get(s))
                .map_or(&fallback, |k| &k.rules)
        };
        let pages = read_pages(documents, &rules_of, read);
        // Sized once: grown by doubling, the list would hold up to twice its memory while
        // every page is still in memory.
        registry
            .types
            .reserve_exact(pages.iter().map(|p| p.resources.len()).sum());
        for page in pages {
            let scope = scopes.get(page.doc).copied().unwrap_or(0);
            registry.add_page(*page, scope);
        }
        registry.index_names(documents);
        registry.resolve_bases();
        registry
    }

    fn add_page(&mut self, page: PageDefinitions, scope: usize) {
        if !page.resources.is_empty() || !page.enums.is_empty() {
            if self.defining.len() <= scope {
                self.defining.resize(scope + 1, false);
            }
            self.defining[scope] = true;
        }
        for mut resource in page.resources {
            resource.scope = scope;
            self.types.push(resource);
        }
        self.invalid.extend(page.invalid);
        for table in page.enums {
            let e = self.enums.len();
            self.enums_by_name
                .entry(table.name.to_ascii_lowercase())
                .or_default()
                .push(e);
            self.enums.push(EnumType {
                name: table.name,
                namespace: page.namespace.clone(),
                scope,
                members: table.members,
                member_rows: table.member_rows,
                header: table.header,
                header_at: table.header_at,
                doc: page.doc,
            });
        }
    }

    fn index_names(&mut self, documents: &[Document]) {
        let mut order: Vec<usize> = (0..self.types.len()).collect();
        order.sort_by(|&a, &b| {
            let (ta, tb) = (&self.types[a], &self.types[b]);
            (documents[ta.doc].docset_path(), ta.annotation)
                .cmp(&(documents[tb.doc].docset_path(), tb.annotation))
        });
        let sorted = |key: fn(&str) -> &str| -> Box<[(Box<str>, u32)]> {
            let mut sorted: Vec<(Box<str>, u32)> = order
                .iter()
                .map(|&t| {
                    let lower = key(&self.types[t].name).to_ascii_lowercase();
                    (lower.into_boxed_str(), saturating_u32(t))
                })
                .collect();
            // Stable: each name's definitions stay in path order.
            sorted.sort_by(|a, b| a.0.cmp(&b.0));
            sorted.into_boxed_slice()
        };
        self.by_name = sorted(|name| name);
        self.by_short_name = sorted(declared::short_name);
        let by_name = std::mem::take(&mut self.by_name);
        for same_name in by_name.chunk_by(|a, b| a.0 == b.0) {
            for &(_, t) in same_name {
                let scope = self.types[t as usize].scope;
                let same: Vec<usize> = same_name
                    .iter()
                    .map(|&(_, o)| o as usize)
                    .filter(|&o| self.types[o].scope == scope)
                    .collect();
                let t = t as usize;
                self.types[t].first = same[0];
                self.types[t].twins = same.into_iter().filter(|&o| o != t).collect();
            }
        }
        self.by_name = by_name;
    }

    /// The definitions in path order of the types whose name is `lower` (lower-cased) in the
    /// list `sorted` by such names (see [`Registry::by_name`]).
    fn named<'s>(sorted: &'s [(Box<str>, u32)], lower: &str) -> &'s [(Box<str>, u32)] {
        let start = sorted.partition_point(|(name, _)| &**name < lower);
        let len = sorted[start..].partition_point(|(name, _)| &**name == lower);
        &sorted[start..start + len]
    }

    fn resolve_bases(&mut self) {
        for t in 0..self.types.len() {
            let resolved = self.types[t]
                .base_name
                .as_deref()
                .and_then(|name| self.lookup(self.types[t].scope, name));
            self.types[t].base = resolved.filter(|&b| b != t);
            if resolved == Some(t) {
                self.types[t].in_cycle = true;
            }
        }
        // Each type has at most one base, so a walk from every type finds every cycle.
        let mut state = vec![0u8; self.types.len()]; // 0 new, 1 on the current walk, 2 done
        for start in 0..self.types.len() {
            let mut path: Vec<usize> = Vec::new();
            let mut current = Some(start);
            while let Some(t) = current {
                match state[t] {
                    2 => break,
                    1 => {
                        let from = path.iter().position(|&p| p == t).unwrap_or(0);
                        for &member in &path[from..] {
                            self.types[member].in_cycle = true;
                        }
                        break;
                    }
                    _ => {
                        state[t] = 1;
                        path.push(t);
                        current = self.types[t].base;
                    }
                }
            }
            for &t in &path {
                state[t] = 2;
            }
        }
        for ty in &mut self.types {
            if ty.in_cycle {
                ty.base = None;
            }
        }
        self.resolve_prose_bases();
        for t in 0..self.types.len() {
            if let Some(base) = self.types[t].base {
                self.types[base].derived.push(t);
            }
        }
    }

    /// Gives a type whose annotation names no base the first type its page's introduction
    /// names as its base, unless that would close an inheritance cycle.
    fn resolve_prose_bases(&mut self) {
        for t in 0..self.types.len() {
            let scope = self.types[t].scope;
            let base = self.types[t]
                .prose_bases
                .iter()
                .filter_map(|name| self.lookup(scope, name))
                .find(|&b| b != t && !self.base_chain(b).any(|above| above == t));
            if let Some(base) = base {
                let name = self.types[base].name.clone();
                let ty = &mut self.types[t];
                ty.base = Some(base);
                ty.base_from_prose = true;
                ty.base_name = Some(name);
            }
        }
    }

    /// `t` and the types above it, following resolved bases only (cycles are already cut).
    fn base_chain(&self, t: usize) -> impl Iterator<Item = usize> + '_ {
        std::iter::successors(Some(t), |&b| self.types[b].base).take(MAX_CHAIN)
    }

    /// The type named `name` (qualified or short, `#` and case ignored) as seen from `scope`:
    /// the first definition in that scope, else (from an open scope) in any other.
    pub fn lookup(&self, scope: usize, name: &str) -> Option<usize> {
        let (name, _) = declared::unwrap_type_name(name);
        let lower = name.to_ascii_lowercase();
        let mut definitions = Registry::named(&self.by_name, &lower);
        if definitions.is_empty() {
            if lower.contains('.') {
                return None;
            }
            definitions = Registry::named(&self.by_short_name, &lower);
        }
        self.in_visible_scopes(scope, |s| {
            definitions
                .iter()
                .map(|&(_, t)| t as usize)
                .find(|&t| self.types[t].scope == s)
        })
    }

    /// Whether the qualified type name `name` (`#` and case ignored) lies in a namespace that
    /// some type of `scope` is defined in; a name without a namespace always does. A type of
    /// another namespace (`oneDrive.error` inside a Graph response) cannot be judged by the
    /// doc set.
    pub fn knows_namespace(&self, scope: usize, name: &str) -> bool {
        let (name, _) = declared::unwrap_type_name(name);
        let Some((namespace, _)) = name.rsplit_once('.') else {
            return true;
        };
        self.types.iter().any(|t| {
            t.scope == scope
                && t.name
                    .rsplit_once('.')
                    .is_some_and(|(ns, _)| ns.eq_ignore_ascii_case(namespace))
        })
    }

    /// The first answer of `find` for the scopes visible from `scope`: the scope itself,
    /// then, from an open scope, every other in order.
    fn in_visible_scopes<T>(&self, scope: usize, find: impl Fn(usize) -> Option<T>) -> Option<T> {
        find(scope).or_else(|| {
            if self.is_closed(scope) {
                return None;
            }
            (0..self.defining.len())
                .filter(|&s| s != scope)
                .find_map(&find)
        })
    }

    /// Whether lookups from a scope stay inside it.
    pub fn is_closed(&self, scope: usize) -> bool {
        self.closed.get(scope).copied().unwrap_or(false)
    }

    /// Whether a scope defines any type or enum.
    pub fn defines(&self, scope: usize) -> bool {
        self.defining.get(scope).copied().unwrap_or(false)
    }

    /// The enum named `name` (qualified or short, case ignored) as seen from `scope` (as in
    /// [`Registry::lookup`]), preferring one of `namespace` (or of the name's own namespace).
    pub fn lookup_enum(&self, scope: usize, namespace: &str, name: &str) -> Option<&EnumType> {
        let (qualifier, short) = name.rsplit_once('.').unwrap_or((namespace, name));
        let candidates = self.enums_by_name.get(&short.to_ascii_lowercase())?;
        self.in_visible_scopes(scope, |s| {
            let in_scope = || {
                candidates
                    .iter()
                    .map(|&e| &self.enums[e])
                    .filter(move |e| e.scope == s)
            };
            in_scope()
                .find(|e| e.namespace.eq_ignore_ascii_case(qualifier))
                .or_else(|| in_scope().next())
        })
    }

    /// Whether any type is defined at all (types cannot be judged unknown otherwise).
    pub fn is_empty(&self) -> bool {
        self.types.is_empty()
    }

    /// The types defined on a page (the types are in page order).
    pub fn defined_in(&self, doc: usize) -> Range<usize> {
        let start = self.types.partition_point(|t| t.doc < doc);
        start..start + self.types[start..].partition_point(|t| t.doc == doc)
    }

    /// The defined type a misspelt `name` most likely means, as seen from `scope` (see
    /// [`Registry::lookup`]), for did-you-mean help; `None` rather than a poor guess.
    ///
    /// Only types of the name's namespace count, by short name and ignoring case: first the
    /// one type whose name only adds to it (`used` → `usedInsight`, `builtInUserFlowAttribute`
    /// → `identityBuiltInUserFlowAttribute`), then a type within two edits (`widgetSise` →
    /// `widgetSize`, `users` → `user`). Further away is another name, not a typo:
    /// `workbookOperationStatus` is a type the doc set lacks, not `workbookOperation`.
    pub fn suggest(&self, scope: usize, name: &str) -> Option<&str> {
        let any = !self.is_closed(scope);
        let (name, _) = declared::unwrap_type_name(name);
        let (namespace, short) = name.rsplit_once('.').unwrap_or(("", name));
        let wanted = short.to_ascii_lowercase();
        let visible = || {
            self.types.iter().filter(move |t| {
                (any || t.scope == scope)
                    && t.name
                        .rsplit_once('.')
                        .map_or("", |(ns, _)| ns)
                        .eq_ignore_ascii_case(namespace)
            })
        };
        let full = |short_name: &str| {
            visible()
                .find(|t| declared::short_name(&t.name) == short_name)
                .map(|t| t.name.as_str())
        };
        if wanted.chars().count() >= 4 {
            let mut longer: Vec<&str> = visible()
                .map(|t| declared::short_name(&t.name))
                .filter(|n| {
                    // `wanted` is lower case: compare bytes ignoring ASCII case, without a
                    // lower-cased copy of every type name.
                    let (name, wanted) = (n.as_bytes(), wanted.as_bytes());
                    name.len() > wanted.len()
                        && (name[..wanted.len()].eq_ignore_ascii_case(wanted)
                            || name[name.len() - wanted.len()..].eq_ignore_ascii_case(wanted))
                })
                .collect();
            longer.sort_unstable();
            longer.dedup();
            if let [only] = longer.as_slice() {
                return full(only);
            }
        }
        // Typos are compared within the namespace, on the short names: cheap on doc sets with
        // thousands of types.
        let limit = (short.chars().count() / 3).clamp(1, TYPO_EDITS);
        let shorts = visible()
            .map(|t| declared::short_name(&t.name))
            .filter(|n| could_be_within(n, short, limit));
        let best = crate::suggest::closest(short, shorts)?;
        let distance = strsim::osa_distance(&wanted, &best.to_ascii_lowercase());
        (distance <= TYPO_EDITS).then(|| full(best)).flatten()
    }

    /// The inheritance chain of `t`: `t` itself, then its bases. A definition without a
    /// base takes the base of another definition of the same type.
    pub fn chain(&self, t: usize) -> impl Iterator<Item = &ResourceType> {
        let mut current = Some(t);
        std::iter::from_fn(move || {
            let ty: &ResourceType = &self.types[current?];
            current = ty
                .base
                .or_else(|| ty.twins.iter().find_map(|&o| self.types[o].base));
            Some(ty)
        })
        .take(MAX_CHAIN)
    }

    /// Like [`Registry::lookup`], but a short name (`mediaStream`) is first tried in
    /// `namespace` (`microsoft.graph.callRecords`), so that same-named types of different
    /// namespaces are told apart.
    pub fn lookup_near(&self, scope: usize, namespace: &str, name: &str) -> Option<usize> {
        if name.contains('.') || namespace.is_empty() {
            return self.lookup(scope, name);
        }
        let candidates = Registry::named(&self.by_short_name, &name.to_ascii_lowercase());
        self.in_visible_scopes(scope, |s| {
            let in_scope = || {
                candidates
                    .iter()
                    .map(|&(_, t)| t as usize)
                    .filter(move |&t| self.types[t].scope == s)
            };
            let in_namespace = |t: &usize| {
                self.types[*t]
                    .name
                    .rsplit_once('.')
                    .is_some_and(|(ns, _)| ns.eq_ignore_ascii_case(namespace))
            };
            in_scope().find(in_namespace).or_else(|| in_scope().next())
        })
    }

    /// The inheritance chain of `t` with every other definition of each type in it.
    fn chain_with_twins(&self, t: usize) -> impl Iterator<Item = &ResourceType> {
        self.chain(t).flat_map(move |ty| {
            std::iter::once(ty).chain(ty.twins.iter().map(move |&o| &*self.types[o]))
        })
    }

    /// The property `name` of `t` or of one of its bases (any definition of them), with the
    /// type that defines it.
    pub fn property(&self, t: usize, name: &str) -> Option<(&ResourceType, &Property)> {
        self.chain_with_twins(t)
            .find_map(|ty| ty.own_property(name).map(|p| (ty, p)))
    }

    /// Whether a type derived from `t` (at any depth, any definition) has the property
    /// `name`: an object that does not name its type may be an instance of that subtype.
    pub fn subtype_has(&self, t: usize, name: &str) -> bool {
        let mut pending: Vec<usize> = std::iter::once(t)
            .chain(self.types[t].twins.iter().copied())
            .collect();
        let mut seen = std::collections::HashSet::new();
        while let Some(current) = pending.pop() {
            if !seen.insert(current) {
                continue;
            }
            for &sub in &self.types[current].derived {
                if self.types[sub].own_property(name).is_some() {
                    return true;
                }
                pending.push(sub);
                pending.extend(self.types[sub].twins.iter().copied());
            }
        }
        false
    }

    /// Every property name `t` and its bases document (for did-you-mean suggestions).
    pub fn property_names(&self, t: usize) -> impl Iterator<Item = &str> {
        self.chain_with_twins(t)
            .flat_map(|ty| ty.properties.iter().map(|p| p.name.as_str()))
    }

    /// The properties `t` and its bases (any definition of them) describe: the rows of their
    /// Properties and Relationships tables, and the example's properties of a definition
    /// without a Properties table. A property shown only in an example next to a table is
    /// not described.
    pub fn described_names(&self, t: usize) -> impl Iterator<Item = &str> {
        self.chain_with_twins(t).flat_map(|ty| {
            ty.properties
                .iter()
                .filter(|p| p.table_row.is_some() || !ty.has_properties_table)
                .map(|p| p.name.as_str())
        })
    }

    /// Whether `t` or a base is an open type.
    pub fn is_open(&self, t: usize) -> bool {
        self.chain_with_twins(t).any(|ty| ty.open)
    }

    /// Whether `name` may be `null` on `t`: always, unless `t` or a base lists its nullable
    /// properties (`nullableProperties`) and none of the lists names it.
    pub fn is_nullable(&self, t: usize, name: &str) -> bool {
        let mut lists = self
            .chain_with_twins(t)
            .filter_map(|ty| ty.nullable.as_ref())
            .peekable();
        lists.peek().is_none() || lists.any(|list| list.iter().any(|n| n == name))
    }

    /// The names `t` and its bases list in `optionalProperties`.
    pub fn optional_properties(&self, t: usize) -> impl Iterator<Item = &str> {
        self.chain_with_twins(t)
            .flat_map(|ty| ty.optional.iter().map(String::as_str))
    }

    /// Whether `sub` is `sup` or derives from it.
    pub fn derives_from(&self, sub: usize, sup: usize) -> bool {
        let sup: &ResourceType = &self.types[sup];
        self.chain(sub).any(|ty| std::ptr::eq(ty, sup))
    }
}

/// The most edits a misspelt type name is taken to hold: more, and the name is more likely
/// another type than a typo of this one.
const TYPO_EDITS: usize = 2;

/// A cheap lower bound on the edit distance of two words: their lengths, and the letters one
/// has and the other lacks (bag distance); `false` means the distance is surely over `limit`.
pub fn could_be_within(a: &str, b: &str, limit: usize) -> bool {
    if a.len().abs_diff(b.len()) > limit {
        return false;
    }
    if !a.is_ascii() || !b.is_ascii() {
        return true;
    }
    let mut counts = [0i32; 128];
    for c in a.bytes() {
        counts[usize::from(c.to_ascii_lowercase())] += 1;
    }
    for c in b.bytes() {
        counts[usize::from(c.to_ascii_lowercase())] -= 1;
    }
    let (surplus, deficit) =
        counts.iter().fold(
            (0, 0),
            |(s, d), &n| {
                if n > 0 {
                    (s + n, d)
                } else {
                    (s, d - n)
                }
            },
        );
    usize::try_from(surplus.max(deficit)).unwrap_or(usize::MAX) <= limit
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every resource keeps its properties for the whole run.
    #[test]
    fn a_property_is_small() {
        assert_eq!(size_of::<Property>(), 136);
    }

    #[test]
    fn bag_distance_bounds_edit_distance() {
        assert!(could_be_within("entity", "entty", 1));
        assert!(could_be_within("user", "usre", 1));
        assert!(!could_be_within("user", "group", 2));
        assert!(!could_be_within("a", "abcdef", 2));
        assert!(could_be_within("é", "e", 1));
    }

    #[test]
    fn scopes_keep_versions_apart_and_empty_scopes_see_all() {
        let page = |path: &str, name: &str| {
            let text = format!(
                "# {name}\n\n<!-- {{ \"blockType\": \"resource\", \"@odata.type\": \"microsoft.graph.{name}\" }} -->\n```json\n{{ \"id\": \"x\" }}\n```\n"
            );
            Document::parse(path.into(), path.into(), path.into(), text, false)
        };
        let documents = vec![
            page("v1.0/user.md", "user"),
            page("beta/user.md", "user"),
            page("beta/group.md", "group"),
            Document::parse(
                "c.md".into(),
                "c.md".into(),
                "c.md".into(),
                "# C\n".into(),
                false,
            ),
        ];
        let closed = ScopeKind {
            rules: TableRules::default(),
            closed: true,
        };
        let kinds = vec![closed.clone(), closed, ScopeKind::default()];
        let registry = Registry::build(&documents, Vec::new(), &[0, 1, 1, 2], &kinds);
        let user = registry.lookup(0, "microsoft.graph.user").unwrap();
        assert_eq!(registry.types[user].doc, 0);
        assert_eq!(
            registry.types[user].first, user,
            "no duplicate across scopes"
        );
        assert_eq!(registry.lookup(0, "group"), None);
        assert!(registry.defines(1) && !registry.defines(2));
        assert_eq!(registry.types[registry.lookup(2, "group").unwrap()].doc, 2);
    }

    /// A type's own properties are found by exact name once the page is read: a repeated
    /// JSON key keeps its last value, and a table-only property is there too.
    #[test]
    fn own_properties_are_found_by_exact_name() {
        let text = "# t\n\n<!-- { \"blockType\": \"resource\", \"@odata.type\": \"microsoft.graph.t\" } -->\n```json\n{ \"zeta\": \"String\", \"alpha\": \"String\", \"zeta\": 1, \"Beta\": true }\n```\n\n## Properties\n\n| Property | Type | Description |\n|:---|:---|:---|\n| gamma | String | G. |\n";
        let documents = vec![Document::parse(
            "t.md".into(),
            "t.md".into(),
            "t.md".into(),
            text.into(),
            false,
        )];
        let registry = Registry::build(&documents, Vec::new(), &[0], &[ScopeKind::default()]);
        let t = &registry.types[registry.lookup(0, "microsoft.graph.t").unwrap()];
        let names: Vec<&str> = t.properties.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["zeta", "alpha", "Beta", "gamma"]);
        for name in names {
            assert_eq!(t.own_property(name).map(|p| p.name.as_str()), Some(name));
        }
        assert!(t.own_property("beta").is_none() && t.own_property("delta").is_none());
        let zeta = t.own_property("zeta").unwrap();
        assert_eq!(
            zeta.declared,
            declared::from_example(
                &crate::document::json::parse("1", Default::default())
                    .unwrap()
                    .value
            )
        );
    }
}
