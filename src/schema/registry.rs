//! The type registry: every resource of the doc set with its properties, built once.
//!
//! A resource is a `resource` annotation bound to a JSON fence. Its properties come from the
//! example JSON (names and example-declared types) and, when the page defines exactly one
//! resource, from the page's Properties and Relationships tables (names and table-declared
//! types). Base types are resolved and cycles cut while building, so every later walk up an
//! inheritance chain terminates.
//!
//! Types live in scopes: the part of a page's path up to a version folder (`v1.0`, `beta`,
//! `v2`), so that a repository holding several API versions — each defining
//! `microsoft.graph.user` — does not see duplicates. Pages outside any version folder share
//! the root scope, and a lookup from a scope without types of its own searches the others.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::OnceLock;

use regex::Regex;

use super::declared::{self, Declared};
use super::tables::{enum_tables, EnumTable, TableKind, TableRules};
use crate::document::json::{self, JsonError, JsonValue, ParseOptions};
use crate::document::{Annotation, Document};

/// One property of a resource.
#[derive(Debug, Clone)]
pub struct Property {
    /// The name, as written.
    pub name: String,
    /// The declared type (table and example merged).
    pub declared: Declared,
    /// Where the property's key is in the resource JSON (page offsets), if it is there.
    pub json_key: Option<Range<usize>>,
    /// The table row that describes it, if any.
    pub table_row: Option<Range<usize>>,
    /// The kind of the table that describes it.
    pub table_kind: Option<TableKind>,
    /// The text of the row's Type cell, markup removed ("" without a row).
    pub table_type: String,
}

impl Property {
    /// Whether the property is a navigation property (described under Relationships).
    pub fn is_navigation(&self) -> bool {
        self.table_kind == Some(TableKind::Relationships)
    }

    /// Where the property is declared: its table row, else its JSON key.
    pub fn declaration(&self) -> Option<Range<usize>> {
        self.table_row.clone().or_else(|| self.json_key.clone())
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
    /// The scope (see the module documentation).
    pub scope: usize,
    /// The `baseType` as written.
    pub base_name: Option<String>,
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
    by_name: HashMap<String, usize>,
}

impl ResourceType {
    /// The property named exactly `name`, defined on this type itself.
    pub fn own_property(&self, name: &str) -> Option<&Property> {
        self.by_name.get(name).map(|&i| &self.properties[i])
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
    /// The types, in document order.
    pub types: Vec<ResourceType>,
    /// Resource annotations that define no type.
    pub invalid: Vec<InvalidResource>,
    scopes: Vec<String>,
    /// Lower-cased qualified name → definitions in path order (all scopes).
    by_name: HashMap<String, Vec<usize>>,
    /// Lower-cased short name → definitions in path order (all scopes).
    by_short_name: HashMap<String, Vec<usize>>,
    by_doc: HashMap<usize, Vec<usize>>,
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
    /// The page that documents it.
    pub doc: usize,
}

/// Longest inheritance chain walked (a guard; cycles are already cut).
const MAX_CHAIN: usize = 64;

impl Registry {
    /// Builds the registry from every parsed page of the doc set.
    pub fn build(documents: &[Document], rules: &TableRules) -> Registry {
        let mut registry = Registry::default();
        for page in read_pages(documents, rules) {
            let docset_path = &documents[page.doc].docset_path;
            registry.add_page(page, docset_path);
        }
        registry.index_names(documents);
        registry.resolve_bases();
        registry
    }

    fn scope_id(&mut self, docset_path: &str) -> usize {
        let scope = scope_of(docset_path);
        match self.scopes.iter().position(|s| *s == scope) {
            Some(i) => i,
            None => {
                self.scopes.push(scope.to_string());
                self.scopes.len() - 1
            }
        }
    }

    fn add_page(&mut self, page: PageDefinitions, docset_path: &str) {
        let scope = self.scope_id(docset_path);
        let mut defined = Vec::new();
        for mut resource in page.resources {
            resource.scope = scope;
            defined.push(self.types.len());
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
                doc: page.doc,
            });
        }
        if !defined.is_empty() {
            self.by_doc.insert(page.doc, defined);
        }
    }

    fn index_names(&mut self, documents: &[Document]) {
        let mut order: Vec<usize> = (0..self.types.len()).collect();
        order.sort_by(|&a, &b| {
            let (ta, tb) = (&self.types[a], &self.types[b]);
            (&documents[ta.doc].docset_path, ta.annotation)
                .cmp(&(&documents[tb.doc].docset_path, tb.annotation))
        });
        for t in order {
            let lower = self.types[t].name.to_ascii_lowercase();
            let short = declared::short_name(&lower).to_string();
            self.by_name.entry(lower).or_default().push(t);
            self.by_short_name.entry(short).or_default().push(t);
        }
        for definitions in self.by_name.values() {
            for &t in definitions {
                let scope = self.types[t].scope;
                let same: Vec<usize> = definitions
                    .iter()
                    .copied()
                    .filter(|&o| self.types[o].scope == scope)
                    .collect();
                self.types[t].first = same[0];
                self.types[t].twins = same.into_iter().filter(|&o| o != t).collect();
            }
        }
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
        for t in 0..self.types.len() {
            if let Some(base) = self.types[t].base {
                self.types[base].derived.push(t);
            }
        }
    }

    /// The type named `name` (qualified or short, `#` and case ignored) as seen from `scope`:
    /// the first definition in that scope, else in the root scope (types shared by all
    /// versions); from the root scope, or a page in no known scope, in any scope.
    pub fn lookup(&self, scope: usize, name: &str) -> Option<usize> {
        let (name, _) = declared::unwrap_type_name(name);
        let lower = name.to_ascii_lowercase();
        let definitions = match self.by_name.get(&lower) {
            Some(found) => found,
            None if !lower.contains('.') => self.by_short_name.get(&lower)?,
            None => return None,
        };
        self.in_visible_scopes(scope, |s| {
            definitions
                .iter()
                .copied()
                .find(|&t| self.types[t].scope == s)
        })
    }

    /// The first answer of `find` for the scopes visible from `scope`, in order: the scope
    /// itself, then the root scope; from the root scope (or a page in no known scope), the
    /// root scope, then every other.
    fn in_visible_scopes<T>(&self, scope: usize, find: impl Fn(usize) -> Option<T>) -> Option<T> {
        let root = self.scopes.iter().position(|s| s.is_empty());
        if scope < self.scopes.len() && Some(scope) != root {
            return find(scope).or_else(|| root.and_then(&find));
        }
        root.and_then(&find)
            .or_else(|| (0..self.scopes.len()).find_map(&find))
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

    /// The scope of a page (by its doc-set path).
    pub fn scope_of_page(&self, docset_path: &str) -> usize {
        let scope = scope_of(docset_path);
        self.scopes
            .iter()
            .position(|s| s == scope)
            .unwrap_or(usize::MAX)
    }

    /// Whether any type is defined at all (types cannot be judged unknown otherwise).
    pub fn is_empty(&self) -> bool {
        self.types.is_empty()
    }

    /// The types defined on a page.
    pub fn defined_in(&self, doc: usize) -> &[usize] {
        self.by_doc.get(&doc).map_or(&[], Vec::as_slice)
    }

    /// The defined type closest to a misspelt `name` as seen from `scope` (see
    /// [`Registry::lookup`]), for did-you-mean help.
    pub fn suggest(&self, scope: usize, name: &str) -> Option<&str> {
        let root = self.scopes.iter().position(|s| s.is_empty());
        let any = scope >= self.scopes.len() || Some(scope) == root;
        let (name, _) = declared::unwrap_type_name(name);
        let (namespace, short) = name.rsplit_once('.').unwrap_or(("", name));
        // Typos are compared within the namespace, on the short names: cheap on doc sets with
        // thousands of types. `closest` accepts a distance of a third of the length, so names
        // whose length differs by more cannot qualify.
        let limit = (short.chars().count() / 3).max(1);
        let visible = || {
            self.types.iter().filter(move |t| {
                (any || t.scope == scope || Some(t.scope) == root)
                    && t.name
                        .rsplit_once('.')
                        .map_or("", |(ns, _)| ns)
                        .eq_ignore_ascii_case(namespace)
            })
        };
        let shorts = visible()
            .map(|t| declared::short_name(&t.name))
            .filter(|n| could_be_within(n, short, limit));
        let best = crate::suggest::closest(short, shorts)?;
        visible()
            .find(|t| declared::short_name(&t.name) == best)
            .map(|t| t.name.as_str())
    }

    /// The inheritance chain of `t`: `t` itself, then its bases. A definition without a
    /// base takes the base of another definition of the same type.
    pub fn chain(&self, t: usize) -> impl Iterator<Item = &ResourceType> {
        let mut current = Some(t);
        std::iter::from_fn(move || {
            let ty = &self.types[current?];
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
        let candidates = self.by_short_name.get(&name.to_ascii_lowercase())?;
        self.in_visible_scopes(scope, |s| {
            let in_scope = || {
                candidates
                    .iter()
                    .copied()
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
            std::iter::once(ty).chain(ty.twins.iter().map(move |&o| &self.types[o]))
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
        let sup = &self.types[sup];
        self.chain(sub).any(|ty| std::ptr::eq(ty, sup))
    }
}

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

/// The scope of a doc-set path: everything up to and including its first version folder
/// (`api-reference/v1.0`), or "" when it has none.
pub fn scope_of(docset_path: &str) -> &str {
    let mut end = 0;
    for segment in docset_path.split('/') {
        let next = end + segment.len();
        if is_version(segment) {
            return &docset_path[..next];
        }
        end = next + 1;
        if end > docset_path.len() {
            break;
        }
    }
    ""
}

fn is_version(segment: &str) -> bool {
    if segment.eq_ignore_ascii_case("beta") {
        return true;
    }
    let Some(rest) = segment.strip_prefix(['v', 'V']) else {
        return false;
    };
    !rest.is_empty()
        && rest.starts_with(|c: char| c.is_ascii_digit())
        && rest.chars().all(|c| c.is_ascii_digit() || c == '.')
}

/// What one page defines.
struct PageDefinitions {
    doc: usize,
    resources: Vec<ResourceType>,
    invalid: Vec<InvalidResource>,
    enums: Vec<EnumTable>,
    namespace: String,
}

/// Reads the definitions of every page, in page order. The work is shared among as many
/// threads as the run uses: plain scoped threads, not rayon tasks, because this runs inside a
/// `OnceLock` initialiser that rayon workers may be waiting on.
fn read_pages(documents: &[Document], rules: &TableRules) -> Vec<PageDefinitions> {
    // Small doc sets are not worth a thread.
    let threads = match documents.len() {
        0..256 => 1,
        _ => rayon::current_num_threads().clamp(1, 16),
    };
    // Worker `k` reads every `threads`-th page from the `k`-th on: resource pages cluster in
    // folders, so contiguous chunks would be uneven.
    let read = |k: usize| -> Vec<PageDefinitions> {
        documents
            .iter()
            .enumerate()
            .skip(k)
            .step_by(threads)
            .filter_map(|(d, doc)| read_page(d, doc, rules))
            .collect()
    };
    if threads == 1 {
        return read(0);
    }
    let mut pages: Vec<PageDefinitions> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads).map(|k| scope.spawn(move || read(k))).collect();
        workers
            .into_iter()
            .flat_map(|w| {
                w.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    });
    pages.sort_by_key(|p| p.doc);
    pages
}

/// The resources of one page (`None` when it has none).
fn read_page(d: usize, doc: &Document, rules: &TableRules) -> Option<PageDefinitions> {
    let annotations: Vec<usize> = doc
        .annotations
        .iter()
        .enumerate()
        .filter(|(_, a)| !a.is_page && a.is("resource"))
        .filter(|(_, a)| {
            a.code_block
                .is_some_and(|b| doc.code_blocks.get(b).is_some_and(|b| b.is_json()))
        })
        .map(|(i, _)| i)
        .collect();
    let enums = if doc.tables.is_empty() {
        Vec::new()
    } else {
        enum_tables(doc)
    };
    if annotations.is_empty() && enums.is_empty() {
        return None;
    }
    let mut page = PageDefinitions {
        doc: d,
        resources: Vec::new(),
        invalid: Vec::new(),
        namespace: if enums.is_empty() {
            String::new()
        } else {
            page_namespace(&doc.text).to_string()
        },
        enums,
    };
    for a in annotations {
        match read_resource(doc, d, a) {
            Ok(resource) => page.resources.push(resource),
            Err(message) => page.invalid.push(InvalidResource {
                doc: d,
                annotation: a,
                message,
            }),
        }
    }
    if let [only] = &mut page.resources[..] {
        merge_tables(only, doc, rules);
        // Pages often say so in prose and forget `openType` in the annotation.
        only.open |= says_open_type(&doc.text);
    }
    Some(page)
}

/// Reads one resource definition (its scope is set when it joins the registry); `Err` with a
/// message when it defines no type.
fn read_resource(doc: &Document, d: usize, a: usize) -> Result<ResourceType, String> {
    let annotation = &doc.annotations[a];
    let name = resource_name(annotation)?;
    let base_name = match annotation.get("baseType") {
        Some(v) if v.is_null() => None,
        Some(v) => Some(v.as_str().unwrap_or("").trim().to_string()),
        None => None,
    };
    let strings = |key: &str| -> Vec<String> {
        annotation
            .get(key)
            .and_then(JsonValue::as_array)
            .map(|items| {
                items
                    .iter()
                    .filter_map(JsonValue::as_str)
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default()
    };
    let mut resource = ResourceType {
        name,
        doc: d,
        annotation: a,
        scope: 0,
        base_name,
        base: None,
        in_cycle: false,
        open: flag(annotation, "openType"),
        optional: strings("optionalProperties"),
        nullable: annotation
            .get("nullableProperties")
            .is_some()
            .then(|| strings("nullableProperties")),
        key_property: annotation.get_str("keyProperty").map(str::to_string),
        properties: Vec::new(),
        has_properties_table: false,
        defect: None,
        twins: Vec::new(),
        first: 0,
        derived: Vec::new(),
        by_name: HashMap::new(),
    };
    let Some(block) = annotation.code_block.and_then(|b| doc.code_blocks.get(b)) else {
        return Ok(resource);
    };
    let content = doc.slice(&block.content);
    let options = ParseOptions {
        allow_truncation: true,
    };
    match json::parse(content, options) {
        Err(error) => resource.defect = Some(ResourceDefect::InvalidJson(error)),
        Ok(parsed) => match parsed.value.as_object() {
            None => resource.defect = Some(ResourceDefect::NotAnObject(parsed.value.type_name())),
            Some(members) => {
                for member in members.iter().filter(|m| !m.key.contains('@')) {
                    let key = block.content.start + member.key_span.start
                        ..block.content.start + member.key_span.end;
                    resource.add(Property {
                        name: member.key.clone(),
                        declared: declared::from_example(&member.value),
                        json_key: Some(key),
                        table_row: None,
                        table_kind: None,
                        table_type: String::new(),
                    });
                }
            }
        },
    }
    Ok(resource)
}

/// The type a resource annotation defines: `@type` wins over `@odata.type`, as in ApiDoctor.
fn resource_name(annotation: &Annotation) -> Result<String, String> {
    let value = annotation
        .get("@type")
        .or_else(|| annotation.get("@odata.type"));
    let Some(value) = value else {
        return Err(
            "the resource annotation has no `@odata.type`; add the name of the type it defines, such as \"microsoft.graph.user\"".into(),
        );
    };
    let Some(text) = value.as_str() else {
        return Err(format!(
            "the resource's `@odata.type` is a {}, not a string; write the type name in quotes",
            value.type_name()
        ));
    };
    let (name, collection) = declared::unwrap_type_name(text);
    if name.is_empty() {
        return Err(
            "the resource's `@odata.type` is empty; write the name of the type it defines".into(),
        );
    }
    if collection {
        return Err(format!(
            "the resource's `@odata.type` is the collection {text:?}; a resource defines a single type, write {name:?}"
        ));
    }
    Ok(name.to_string())
}

/// A boolean annotation flag; the string `"true"` counts, as Json.NET converts it.
pub fn flag(annotation: &Annotation, key: &str) -> bool {
    match annotation.get(key) {
        Some(v) => v.as_bool().unwrap_or_else(|| {
            v.as_str()
                .is_some_and(|s| s.trim().eq_ignore_ascii_case("true"))
        }),
        None => false,
    }
}

impl ResourceType {
    fn add(&mut self, property: Property) {
        if let Some(&i) = self.by_name.get(&property.name) {
            // A repeated key: the last one wins, as in Json.NET.
            self.properties[i] = property;
            return;
        }
        self.by_name
            .insert(property.name.clone(), self.properties.len());
        self.properties.push(property);
    }
}

/// The namespace a page declares on a `Namespace: microsoft.graph` line, or "".
fn page_namespace(text: &str) -> &str {
    static PATTERN: OnceLock<Regex> = OnceLock::new();
    PATTERN
        .get_or_init(|| Regex::new(r"(?m)^Namespace:\s*([A-Za-z][\w.]*)").expect("valid pattern"))
        .captures(text)
        .and_then(|c| c.get(1))
        .map_or("", |m| m.as_str())
}

/// Whether a page's prose calls its type an open type ("This is an Open Type", "this is an
/// [open type](…)").
fn says_open_type(text: &str) -> bool {
    // A plain search for the rare words first; a case-insensitive regex over every resource
    // page would cost more than the rest of the page's reading.
    let bytes = text.as_bytes();
    memchr::memmem::find_iter(bytes, b"pen ").any(|at| {
        let Some(start) = at.checked_sub(1) else {
            return false;
        };
        let word = bytes.get(start..start + 9).unwrap_or(b"");
        if !word.eq_ignore_ascii_case(b"open type") {
            return false;
        }
        // Before it: "is a " or "is an ", then any of `[`, `_`, `*`.
        let before = &bytes[..start];
        let before = before
            .iter()
            .rposition(|b| !matches!(b, b'[' | b'_' | b'*'))
            .map_or(&before[..0], |end| &before[..=end]);
        [&b"is an "[..], &b"is a "[..]].iter().any(|lead| {
            before.len() >= lead.len()
                && before[before.len() - lead.len()..].eq_ignore_ascii_case(lead)
                && (before.len() == lead.len()
                    || !before[before.len() - lead.len() - 1].is_ascii_alphanumeric())
        })
    })
}

/// Adds the rows of the page's Properties and Relationships tables to its only resource.
fn merge_tables(resource: &mut ResourceType, doc: &Document, rules: &TableRules) {
    for table in &doc.tables {
        let Some(kind) = rules.kind(doc, table) else {
            continue;
        };
        let rows = rules.rows(&doc.text, table);
        // A Properties table whose rows were all removed still says what the type has.
        let header_only = table.rows.is_empty();
        resource.has_properties_table |=
            kind == TableKind::Properties && (!rows.is_empty() || header_only);
        if rows.is_empty() {
            continue;
        }
        for mut row in rows.into_iter().filter(|r| !r.name.contains('@')) {
            let table_type = declared::from_table_cell(&row.type_text);
            let text = doc.slice(&row.row);
            row.row.end = row.row.start + text.trim_end().len();
            match resource.by_name.get(&row.name) {
                Some(&i) => {
                    let property = &mut resource.properties[i];
                    let example = std::mem::replace(&mut property.declared, Declared::Unknown);
                    property.declared = Declared::merge(table_type, example);
                    property.table_row = Some(row.row);
                    property.table_kind = Some(kind);
                    property.table_type = row.type_text;
                }
                None => resource.add(Property {
                    name: row.name,
                    declared: table_type,
                    json_key: None,
                    table_row: Some(row.row),
                    table_kind: Some(kind),
                    table_type: row.type_text,
                }),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bag_distance_bounds_edit_distance() {
        assert!(could_be_within("entity", "entty", 1));
        assert!(could_be_within("user", "usre", 1));
        assert!(!could_be_within("user", "group", 2));
        assert!(!could_be_within("a", "abcdef", 2));
        assert!(could_be_within("é", "e", 1));
    }

    #[test]
    fn prose_can_declare_open_types() {
        assert!(says_open_type("This is an _open type_ that represents"));
        assert!(says_open_type("It is an Open Type. It is part of"));
        assert!(says_open_type(
            "hence this is an [open type](/aspnet/odata)"
        ));
        assert!(!says_open_type(
            "This type is used in the open type [plannerAssignments]"
        ));
    }

    #[test]
    fn scopes_end_at_version_folders() {
        assert_eq!(
            scope_of("api-reference/v1.0/resources/user.md"),
            "api-reference/v1.0"
        );
        assert_eq!(
            scope_of("api-reference/beta/api/user-get.md"),
            "api-reference/beta"
        );
        assert_eq!(scope_of("docs/rest-api/resources/driveitem.md"), "");
        assert_eq!(scope_of("v2/user.md"), "v2");
        assert_eq!(scope_of("concepts/v-next.md"), "");
        assert_eq!(scope_of(""), "");
    }
}
