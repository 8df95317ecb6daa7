//! One operation of the description: an API page's method at one of its URLs, with the
//! page's title, parameters (path, query, headers; see [`parameters`]), request body,
//! responses (see [`responses`]), examples and security.

mod parameters;
mod responses;

use std::collections::{BTreeSet, HashSet};
use std::ops::Range;

use oas3::spec::{
    Example, MediaType, MediaTypeExamples, ObjectOrReference, ObjectSchema, Operation, RequestBody,
    Schema, SchemaType as Type, SchemaTypeSet as TypeSet,
};

use super::paths::ApiPath;
use super::schemas::{any, object, Schemas};
use super::security::Security;
use super::Findings;
use crate::docset::Index;
use crate::document::http::Header;
use crate::document::json::{self, JsonValue, ParseOptions};
use crate::document::{starts_with_ignore_case, Document, Heading};
use crate::schema::declared;
use crate::schema::operations::{self as model, Example as Block};
use crate::schema::tables::{plain_text, TableRow, TableRules};
use parameters::header_parameters;
pub use responses::{answers_without_body, has_response_schema};

/// Builds operations, keeping what the whole description shares: operation ids in use, tags
/// and security schemes.
pub struct Builder<'a> {
    index: &'a Index,
    schemas: &'a Schemas<'a>,
    tables: TableRules,
    /// The security schemes met so far.
    pub security: Security,
    operation_ids: HashSet<String>,
    tags: BTreeSet<String>,
}

/// A parameter table of a page, by what its heading says it holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TableRole {
    Path,
    Query,
    Headers,
    Body,
}

impl<'a> Builder<'a> {
    /// A builder over the doc set's index and schemas.
    pub fn new(index: &'a Index, schemas: &'a Schemas<'a>, tables: TableRules) -> Builder<'a> {
        Builder {
            index,
            schemas,
            tables,
            security: Security::default(),
            operation_ids: HashSet::new(),
            tags: BTreeSet::new(),
        }
    }

    /// The tags used, sorted.
    pub fn tags(&self) -> Vec<String> {
        self.tags.iter().cloned().collect()
    }

    /// The operation `op` of page `doc` (document `d` of the index) at its URL `template`,
    /// read as `path`.
    pub fn operation(
        &mut self,
        doc: &Document,
        d: usize,
        op: &model::Operation,
        template: usize,
        path: &ApiPath,
        findings: &mut Findings,
    ) -> Operation {
        let tables = self.page_tables(doc);
        let tag = self.tag(doc);
        self.tags.insert(tag.clone());
        let mut parameters = self.path_parameters(path, &tables);
        parameters.extend(self.query_parameters(doc, &op.templates[template].path, &tables));
        parameters.extend(header_parameters(&tables));
        let security = self
            .index
            .page_permissions(doc, d)
            .map(|p| self.security.requirements(p.tables()))
            .unwrap_or_default();
        Operation {
            tags: vec![tag],
            summary: title(doc),
            description: doc
                .front_matter
                .as_ref()
                .and_then(|fm| fm.text("description"))
                .map(str::to_string),
            external_docs: None,
            operation_id: Some(self.operation_id(doc, op, template)),
            parameters: parameters
                .into_iter()
                .map(ObjectOrReference::Object)
                .collect(),
            request_body: self
                .request_body(doc, op, &tables, findings)
                .map(ObjectOrReference::Object),
            responses: Some(
                self.responses(doc, op, findings)
                    .into_iter()
                    .map(|(status, response)| (status, ObjectOrReference::Object(response)))
                    .collect(),
            ),
            callbacks: Default::default(),
            deprecated: None,
            security,
            servers: Vec::new(),
            extensions: Default::default(),
        }
    }

    /// The request name of an example at this URL, else of the method, else the page's file
    /// name; made unique with a numeric suffix.
    fn operation_id(&mut self, doc: &Document, op: &model::Operation, template: usize) -> String {
        let url = &op.templates[template].path;
        let matching = op.exchanges.iter().filter_map(|e| {
            let name = e.name(doc)?;
            let target = &e.request.message.target.value;
            same_shape(url, target).then_some(name)
        });
        let any_name = op.exchanges.iter().filter_map(|e| e.name(doc));
        let stem = doc.file_stem();
        let candidates: Vec<String> = matching
            .chain(any_name)
            .map(str::to_string)
            .chain([stem.to_string()])
            .collect();
        let chosen = candidates
            .into_iter()
            .find(|c| !c.is_empty() && !self.operation_ids.contains(c))
            .unwrap_or_else(|| {
                (2..)
                    .map(|n| format!("{stem}-{n}"))
                    .find(|c| !self.operation_ids.contains(c))
                    .expect("an unused suffix")
            });
        self.operation_ids.insert(chosen.clone());
        chosen
    }

    /// The resource a page documents, from its file name: the first part before the last
    /// that names a resource (`driveitem-get.md` → `driveItem`,
    /// `intune-books-managedebook-list.md` → `managedEBook`, spelled as the resource is),
    /// else the first part.
    fn tag(&self, doc: &Document) -> String {
        let file = doc.docset_path().rsplit('/').next().unwrap_or("");
        let stem = file.split('.').next().unwrap_or(file);
        let parts: Vec<&str> = stem.split('-').collect();
        let registry = self.schemas.registry;
        parts[..parts.len().saturating_sub(1).max(1)]
            .iter()
            .find_map(|part| registry.lookup(self.schemas.scope, part))
            .map_or_else(
                || parts[0].to_string(),
                |t| declared::short_name(&registry.types[t].name).to_string(),
            )
    }

    /// The parameter tables of a page.
    fn page_tables(&self, doc: &Document) -> Vec<(TableRole, Vec<TableRow>)> {
        doc.tables
            .iter()
            .filter_map(|table| {
                let heading = table
                    .heading()
                    .and_then(|h| doc.headings[..=h].iter().rev().find(|h| h.tab().is_none()))?;
                let role = table_role(&heading.text)?;
                Some((role, self.tables.rows(&doc.text, table)))
            })
            .collect()
    }

    /// The request body: the request body table's parameters as an object's properties, else
    /// the type the Request body section links to, with the request examples' bodies.
    fn request_body(
        &self,
        doc: &Document,
        op: &model::Operation,
        tables: &[(TableRole, Vec<TableRow>)],
        findings: &mut Findings,
    ) -> Option<RequestBody> {
        let bodies: Vec<(&Block<_>, Option<&str>, Range<usize>)> = op
            .exchanges
            .iter()
            .filter_map(|e| {
                let body = e.request.message.body.clone()?;
                Some((&e.request, e.name(doc), e.request.at(&body)))
            })
            .collect();
        let rows: Vec<&TableRow> = tables
            .iter()
            .filter(|(role, _)| *role == TableRole::Body)
            .flat_map(|(_, rows)| rows)
            .collect();
        let schema = if !rows.is_empty() {
            let mut body = ObjectSchema {
                schema_type: Some(TypeSet::Single(Type::Object)),
                ..Default::default()
            };
            for row in rows {
                let declared = declared::from_table_cell(&row.type_text);
                let schema = self.schemas.of(&declared, "").unwrap_or_else(|name| {
                    findings.add(
                        doc,
                        row.row.clone(),
                        format!(
                            "the type `{name}` of request body parameter `{}` is no resource or enum of the doc set; its schema is left open",
                            row.name
                        ),
                    );
                    any()
                });
                body.properties.insert(row.name.clone(), schema);
            }
            Some(object(body))
        } else {
            self.linked_type(doc, |t| starts_with_ignore_case(t, "request body"))
                .map(|(schema, _)| schema)
        };
        if schema.is_none() && bodies.is_empty() {
            return None;
        }
        let content_type = bodies
            .first()
            .and_then(|(block, _, _)| content_type(&block.message.headers))
            .unwrap_or_else(|| "application/json".into());
        let examples = examples(
            doc,
            bodies.iter().map(|(_, name, span)| (*name, span.clone())),
        );
        let schema = schema.or_else(|| Some(body_schema(&content_type)));
        Some(RequestBody {
            description: None,
            content: [(content_type, media_type(schema, examples))]
                .into_iter()
                .collect(),
            required: Some(true),
        })
    }
}

/// The role of a table under this heading, if it is a parameter table.
fn table_role(heading: &str) -> Option<TableRole> {
    let text = heading.trim().to_ascii_lowercase();
    Some(match text.as_str() {
        "request headers" | "optional request headers" => TableRole::Headers,
        "path parameters" | "function parameters" => TableRole::Path,
        "query parameters" | "optional query parameters" => TableRole::Query,
        "request body" => TableRole::Body,
        _ => return None,
    })
}

/// From the end of heading `h` to the next heading of the same or a higher level.
fn section_text(doc: &Document, h: usize) -> Range<usize> {
    let level = doc.headings[h].level;
    section_until(doc, h, |n| n.level <= level)
}

/// Like [`section_text`], but also ending at a subheading that opens another of the
/// sections an API page has (a `### Response` nested under `## Request body`), while the
/// section's own subheadings (`#### Response code` under `## Response`) stay in it.
fn section_prose(doc: &Document, h: usize) -> Range<usize> {
    let level = doc.headings[h].level;
    let own = section_kind(&doc.headings[h].text);
    section_until(doc, h, |n| {
        n.level <= level || section_kind(&n.text).is_some_and(|kind| Some(kind) != own)
    })
}

/// The section of an API page a heading opens, for those that follow one another.
fn section_kind(heading: &str) -> Option<&'static str> {
    ["request body", "response", "example"]
        .into_iter()
        .find(|kind| starts_with_ignore_case(heading.trim(), kind))
}

/// From the end of heading `h` to the next heading (not a tab) that `ends` accepts.
fn section_until(doc: &Document, h: usize, ends: impl Fn(&Heading) -> bool) -> Range<usize> {
    let heading = &doc.headings[h];
    let end = doc.headings[h + 1..]
        .iter()
        .find(|n| n.tab().is_none() && ends(n))
        .map_or(doc.text.len(), |n| n.span().start);
    heading.span().end..end.max(heading.span().end)
}

/// The page's title: the front matter's, else the H1.
fn title(doc: &Document) -> Option<String> {
    doc.front_matter
        .as_ref()
        .and_then(|fm| fm.text("title"))
        .map(str::to_string)
        .or_else(|| doc.h1s().next().map(|h| plain_text(&h.text)))
}

/// The namespace the page declares (`Namespace: microsoft.graph`), or "".
fn page_namespace(doc: &Document) -> &str {
    doc.text
        .lines()
        .take(40)
        .find_map(|l| l.strip_prefix("Namespace:"))
        .map_or("", str::trim)
}

/// Whether two URLs are the same but for placeholder and key values, compared segment by
/// segment without base URL and query.
fn same_shape(template: &str, example: &str) -> bool {
    let strip = |url: &str| -> Vec<String> {
        let url = crate::schema::urls::strip_query(url);
        let path = crate::schema::urls::split_origin(url).map_or(url, |(_, p)| p);
        path.trim_matches('/')
            .split('/')
            .map(|s| s.to_ascii_lowercase())
            .collect()
    };
    let (t, e) = (strip(template), strip(example));
    let offset = e.len().checked_sub(t.len());
    let Some(offset) = offset.filter(|&o| o <= 1) else {
        return false;
    };
    t.iter()
        .zip(&e[offset..])
        .all(|(t, e)| t == e || t.contains('{') || t.contains('<'))
}

fn content_type(headers: &[Header]) -> Option<String> {
    headers
        .iter()
        .find(|h| h.name.value.eq_ignore_ascii_case("content-type"))
        .map(|h| {
            h.value
                .value
                .split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        })
        .filter(|t| t.contains('/'))
}

/// A body that is not JSON: any text or bytes.
fn body_schema(content_type: &str) -> Schema {
    if content_type.contains("json") {
        return object(ObjectSchema {
            schema_type: Some(TypeSet::Single(Type::Object)),
            ..Default::default()
        });
    }
    object(ObjectSchema {
        schema_type: Some(TypeSet::Single(Type::String)),
        format: Some("binary".into()),
        ..Default::default()
    })
}

fn parse_json(doc: &Document, span: &Range<usize>) -> Option<JsonValue> {
    let options = ParseOptions {
        allow_truncation: true,
    };
    json::parse(doc.slice(span), options).ok().map(|p| p.value)
}

fn media_type(schema: Option<Schema>, examples: Option<MediaTypeExamples>) -> MediaType {
    MediaType {
        schema,
        examples,
        encoding: Default::default(),
        extensions: Default::default(),
    }
}

/// The JSON bodies as named examples (by request name, else `example`, numbered when taken).
fn examples<'n>(
    doc: &Document,
    bodies: impl Iterator<Item = (Option<&'n str>, Range<usize>)>,
) -> Option<MediaTypeExamples> {
    let mut map = oas3::Map::new();
    for (name, span) in bodies {
        let Some(value) = parse_json(doc, &span) else {
            continue;
        };
        let base = name.unwrap_or("example").to_string();
        let key = (1..)
            .map(|n| {
                if n == 1 {
                    base.clone()
                } else {
                    format!("{base}-{n}")
                }
            })
            .find(|k| !map.contains_key(k))
            .expect("an unused key");
        map.insert(
            key,
            ObjectOrReference::Object(Example {
                summary: None,
                description: None,
                value: Some(value.to_serde()),
                extensions: Default::default(),
            }),
        );
    }
    (!map.is_empty()).then_some(MediaTypeExamples::Examples { examples: map })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn example_urls_match_templates() {
        assert!(same_shape(
            "/users/{id}/events",
            "https://graph.microsoft.com/v1.0/users/abc/events?$top=2"
        ));
        assert!(!same_shape(
            "/me/events",
            "https://graph.microsoft.com/v1.0/users/abc/events"
        ));
    }
}
