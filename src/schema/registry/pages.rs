//! Reading what each page defines: its resources (from `resource` annotations, their JSON
//! examples and the page's property tables), the resources that cannot be read, and its enum
//! tables.

use foldhash::{HashMap, HashMapExt};
use std::sync::OnceLock;

use rayon::prelude::*;
use regex::Regex;

use super::{InvalidResource, Property, ResourceDefect, ResourceType};
use crate::document::json::{self, JsonValue, ParseOptions};
use crate::document::{Annotation, Document};
use crate::memory::exact;
use crate::schema::declared::{self, Declared};
use crate::schema::prose;
use crate::schema::tables::{enum_tables, EnumTable, TableKind, TableRules};
use crate::source::Span;

/// What one page defines: its resources, the resource annotations that define none, and its
/// enum tables. Read while the page's text is at hand, which for a page whose text is dropped
/// after the parse is in the parse worker ([`PageDefinitions::read`]); the registry gives the
/// definitions their document number when it is built.
#[derive(Debug)]
pub struct PageDefinitions {
    pub(super) doc: usize,
    #[allow(clippy::vec_box, reason = "the registry takes each type in its box")]
    pub(super) resources: Vec<Box<ResourceType>>,
    pub(super) invalid: Vec<InvalidResource>,
    pub(super) enums: Vec<EnumTable>,
    pub(super) namespace: String,
}

impl PageDefinitions {
    /// What `doc` defines, its tables read by `rules` (`None` when it defines nothing); the
    /// document number is given when the registry takes the definitions.
    pub fn read(doc: &Document, rules: &TableRules) -> Option<PageDefinitions> {
        read_page(0, doc, rules)
    }

    /// The definitions, as those of document `d`.
    fn numbered(mut self: Box<Self>, d: usize) -> Box<PageDefinitions> {
        self.doc = d;
        for resource in &mut self.resources {
            resource.doc = d;
        }
        for invalid in &mut self.invalid {
            invalid.doc = d;
        }
        self
    }
}

/// Per document, what the parse worker read of it (see [`PageDefinitions::read`]): `None`
/// for a page whose text the registry reads itself, `Some(None)` for a page read there that
/// defines nothing.
pub type ReadInWorker = Vec<Option<Option<Box<PageDefinitions>>>>;

/// Reads the definitions of every page, in page order, side by side on the run's threads
/// (rayon balances the resource pages, which cluster in folders, with the index's other work);
/// those of the pages the parse worker read (`read`, by document number) are taken from there,
/// in the boxes it made (a list of the definitions themselves would be fresh memory taken
/// while every page is in memory).
#[allow(clippy::vec_box, reason = "boxes the workers made")]
pub(super) fn read_pages<'r>(
    documents: &[Document],
    rules: &(dyn Fn(usize) -> &'r TableRules + Sync),
    mut read: ReadInWorker,
) -> Vec<Box<PageDefinitions>> {
    read.resize_with(documents.len(), || None);
    let mut pages: Vec<Box<PageDefinitions>> = documents
        .par_iter()
        .zip(&read)
        .enumerate()
        .filter(|(_, (_, worked_out))| worked_out.is_none())
        .filter_map(|(d, (doc, _))| read_page(d, doc, rules(d)).map(Box::new))
        .collect();
    let read_here = pages.len();
    pages.extend(
        read.into_iter()
            .enumerate()
            .filter_map(|(d, page)| Some(page??.numbered(d))),
    );
    if read_here > 0 && pages.len() > read_here {
        // Two lists, each in page order: merged by a stable sort.
        pages.sort_by_key(|p| p.doc);
    }
    pages
}

/// Whether an annotation is a resource's, over a JSON block.
fn is_resource_block(doc: &Document, a: &Annotation) -> bool {
    !a.is_page
        && a.is("resource")
        && a.code_block()
            .is_some_and(|b| doc.code_blocks.get(b).is_some_and(|b| b.is_json()))
}

/// The resources of one page (`None` when it has none).
pub(super) fn read_page(d: usize, doc: &Document, rules: &TableRules) -> Option<PageDefinitions> {
    let annotations: Vec<usize> = doc
        .annotations
        .iter()
        .enumerate()
        .filter(|(_, a)| is_resource_block(doc, a))
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
        // Room for exactly the page's resources: every page's definitions are alive together
        // until the registry takes them, and a resource is large.
        resources: Vec::with_capacity(annotations.len()),
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
            Ok(resource) => page.resources.push(Box::new(resource)),
            Err(message) => page.invalid.push(InvalidResource {
                doc: d,
                annotation: a,
                message,
            }),
        }
    }
    if let [only] = &mut page.resources[..] {
        merge_tables(only, doc, rules);
        // Pages often say so in prose and forget `openType` or `baseType` in the annotation.
        only.open |= prose::says_open_type(&doc.text);
        if only.base_name.is_none() {
            only.prose_bases = prose::base_type_candidates(doc);
        }
    }
    // The properties live as long as the registry; where they are declared is worked out
    // while the page's text is at hand.
    for resource in &mut page.resources {
        resource.properties = exact(std::mem::take(&mut resource.properties));
        resource.sort_properties();
        for property in &mut resource.properties {
            property.declared_at = property.declaration().map(|span| doc.span_pos(&span));
        }
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
        annotation_at: doc.span_pos(&annotation.span()),
        scope: 0,
        base_name,
        base_from_prose: false,
        prose_bases: Vec::new(),
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
        sorted: Box::default(),
    };
    let Some(block) = annotation.code_block().and_then(|b| doc.code_blocks.get(b)) else {
        return Ok(resource);
    };
    let content = doc.slice(&block.content());
    let options = ParseOptions {
        allow_truncation: true,
    };
    match json::parse(content, options) {
        Err(error) => resource.defect = Some(ResourceDefect::InvalidJson(error)),
        Ok(parsed) => match parsed.value.as_object() {
            None => resource.defect = Some(ResourceDefect::NotAnObject(parsed.value.type_name())),
            Some(members) => {
                for member in members.iter().filter(|m| !m.key.contains('@')) {
                    let key = block.content().start + member.key_span().start
                        ..block.content().start + member.key_span().end;
                    resource.add(Property {
                        name: member.key.to_string(),
                        declared: declared::from_example(&member.value),
                        json_key: Some(Span::new(key)),
                        table_row: None,
                        table_kind: None,
                        table_type: Box::default(),
                        description_cell: None,
                        declared_at: None,
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
    /// Orders the properties by name for [`ResourceType::own_property`], once the page is
    /// read, and frees the map of names used while reading it.
    fn sort_properties(&mut self) {
        let mut sorted: Vec<u32> = (0..self.properties.len())
            .map(crate::source::saturating_u32)
            .collect();
        sorted.sort_unstable_by(|&a, &b| {
            self.properties[a as usize]
                .name
                .cmp(&self.properties[b as usize].name)
        });
        self.sorted = sorted.into_boxed_slice();
        self.by_name = HashMap::new();
    }

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
        .get_or_init(|| Regex::new(r"(?m)^Namespace:\s*[A-Za-z][\w.]*").expect("valid pattern"))
        .find(text)
        // The name is what follows `Namespace:` and the white space (it starts with a letter).
        .map_or("", |m| {
            m.as_str()["Namespace:".len()..].trim_start_matches(char::is_whitespace)
        })
}

/// Adds the rows of the page's Properties and Relationships tables to its only resource.
fn merge_tables(resource: &mut ResourceType, doc: &Document, rules: &TableRules) {
    for table in &doc.tables {
        let Some(kind) = rules.kind(doc, table) else {
            continue;
        };
        let rows = rules.typed_rows(&doc.text, table);
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
                    property.table_row = Some(Span::new(row.row));
                    property.table_kind = Some(kind);
                    property.table_type = row.type_text.into();
                    property.description_cell = row.description_cell.map(Span::new);
                }
                None => resource.add(Property {
                    name: row.name,
                    declared: table_type,
                    json_key: None,
                    table_row: Some(Span::new(row.row)),
                    table_kind: Some(kind),
                    table_type: row.type_text.into(),
                    description_cell: row.description_cell.map(Span::new),
                    declared_at: None,
                }),
            }
        }
    }
}
