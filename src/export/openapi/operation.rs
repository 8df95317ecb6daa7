//! One operation of the description: an API page's method at one of its URLs, with the
//! page's title, parameters (path, query, headers), request body, responses, examples and
//! security.

use std::collections::{BTreeSet, HashSet};
use std::ops::Range;

use oas3::spec::{
    Example, MediaType, MediaTypeExamples, ObjectOrReference, ObjectSchema, Operation, Parameter,
    ParameterIn, RequestBody, Response, Schema, SchemaType as Type, SchemaTypeSet as TypeSet,
};

use super::paths::ApiPath;
use super::schemas::{self, any, array, object, Schemas};
use super::security::Security;
use super::Findings;
use crate::document::http::{reason_phrase, Header};
use crate::document::json::{self, JsonKind, JsonValue, ParseOptions};
use crate::document::{starts_with_ignore_case, Annotation, Document};
use crate::index::Index;
use crate::schema::declared::{self, Declared};
use crate::schema::operations::{self as model, Example as Block};
use crate::schema::tables::{plain_text, TableRow, TableRules};

/// OData system query options a page may say it supports.
const ODATA_OPTIONS: [&str; 10] = [
    "$select",
    "$expand",
    "$filter",
    "$orderby",
    "$top",
    "$skip",
    "$count",
    "$search",
    "$format",
    "$skipToken",
];

/// Example bodies: the request name and where the body is.
type Bodies<'n> = Vec<(Option<&'n str>, Range<usize>)>;

/// How deep a schema inferred from an example goes.
const MAX_INFERRED_DEPTH: usize = 8;

/// Headers OpenAPI describes elsewhere (security, media types) and ignores as parameters.
const IGNORED_HEADERS: [&str; 3] = ["authorization", "content-type", "accept"];

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

    /// The operation `op` of page `doc` at its URL `template`, read as `path`.
    pub fn operation(
        &mut self,
        doc: &Document,
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
            .permissions
            .page(doc)
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
        let stem = doc
            .docset_path
            .rsplit('/')
            .next()
            .unwrap_or("")
            .trim_end_matches(".md")
            .to_string();
        let candidates: Vec<String> = matching
            .chain(any_name)
            .map(str::to_string)
            .chain([stem.clone()])
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

    /// The resource a page documents, from its file name (`driveitem-get.md` → `driveItem`,
    /// spelled as the resource is).
    fn tag(&self, doc: &Document) -> String {
        let stem = doc.docset_path.rsplit('/').next().unwrap_or("");
        let prefix = stem.split(['-', '.']).next().unwrap_or(stem);
        match self.schemas.registry.lookup(self.schemas.scope, prefix) {
            Some(t) => declared::short_name(&self.schemas.registry.types[t].name).to_string(),
            None => prefix.to_string(),
        }
    }

    /// The parameter tables of a page.
    fn page_tables(&self, doc: &Document) -> Vec<(TableRole, Vec<TableRow>)> {
        doc.tables
            .iter()
            .filter_map(|table| {
                let heading = table
                    .heading
                    .and_then(|h| doc.headings[..=h].iter().rev().find(|h| h.tab.is_none()))?;
                let role = table_role(&heading.text)?;
                Some((role, self.tables.rows(&doc.text, table)))
            })
            .collect()
    }

    fn path_parameters(
        &self,
        path: &ApiPath,
        tables: &[(TableRole, Vec<TableRow>)],
    ) -> Vec<Parameter> {
        path.parameters
            .iter()
            .map(|p| {
                let written = p.written.split('|').next().unwrap_or("").trim();
                let row = [
                    p.function_parameter.as_deref(),
                    Some(written),
                    Some(p.name.as_str()),
                ]
                .into_iter()
                .flatten()
                .find_map(|name| find_row(tables, TableRole::Path, name));
                let description = match (row, p.written.as_str()) {
                    (Some(row), _) if !row.description.is_empty() => Some(row.description.clone()),
                    (_, written) if written != p.name => {
                        Some(format!("The docs write `{{{written}}}`."))
                    }
                    _ => None,
                };
                parameter(
                    &p.name,
                    ParameterIn::Path,
                    true,
                    description,
                    self.row_schema(row),
                )
            })
            .collect()
    }

    /// The schema of a parameter row's type (a string when the row gives none or it does not
    /// resolve).
    fn row_schema(&self, row: Option<&TableRow>) -> Schema {
        let declared = row.map_or(Declared::Unknown, |r| {
            declared::from_table_cell(&r.type_text)
        });
        match declared {
            Declared::Unknown => schemas::primitive(declared::Primitive::String),
            declared => self
                .schemas
                .of(&declared, "")
                .unwrap_or_else(|_| schemas::primitive(declared::Primitive::String)),
        }
    }

    /// Query parameters: those the URL writes (`?startDateTime={start}`; required unless an
    /// OData option), the rows of the query parameter tables, and the OData options the
    /// query parameter section names.
    fn query_parameters(
        &self,
        doc: &Document,
        url: &str,
        tables: &[(TableRole, Vec<TableRow>)],
    ) -> Vec<Parameter> {
        let mut out: Vec<Parameter> = Vec::new();
        let add = |out: &mut Vec<Parameter>, parameter: Parameter| {
            if !out
                .iter()
                .any(|p| p.name.eq_ignore_ascii_case(&parameter.name))
            {
                out.push(parameter);
            }
        };
        if let Some((_, query)) = url.split_once('?') {
            for pair in query.split('&') {
                let name = pair.split('=').next().unwrap_or("").trim();
                if !is_parameter_name(name) {
                    continue;
                }
                let row = find_row(tables, TableRole::Query, name);
                let description = row.map(|r| r.description.clone()).filter(|d| !d.is_empty());
                let required = !name.starts_with('$');
                add(
                    &mut out,
                    parameter(
                        name,
                        ParameterIn::Query,
                        required,
                        description,
                        self.row_schema(row),
                    ),
                );
            }
        }
        for row in tables
            .iter()
            .filter(|(role, _)| *role == TableRole::Query)
            .flat_map(|(_, rows)| rows)
            .filter(|r| is_parameter_name(&r.name))
        {
            let description = Some(row.description.clone()).filter(|d| !d.is_empty());
            let required = says_required(&row.description);
            add(
                &mut out,
                parameter(
                    &row.name,
                    ParameterIn::Query,
                    required,
                    description,
                    self.row_schema(Some(row)),
                ),
            );
        }
        for option in odata_options(doc) {
            let string = schemas::primitive(declared::Primitive::String);
            add(
                &mut out,
                parameter(option, ParameterIn::Query, false, None, string),
            );
        }
        out
    }

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

    /// The responses: one per status the examples show, with the schema their annotation
    /// names; without examples, the status and resource the Response section's prose names.
    fn responses(
        &self,
        doc: &Document,
        op: &model::Operation,
        findings: &mut Findings,
    ) -> Vec<(String, Response)> {
        let mut out: Vec<(String, Response, Bodies)> = Vec::new();
        for exchange in &op.exchanges {
            let Some(response) = &exchange.response else {
                continue;
            };
            let message = &response.message;
            let Some(status) = message.status.as_ref().map(|s| s.value) else {
                continue;
            };
            let key = status.to_string();
            let body = message.body.as_ref().map(|b| response.at(b));
            if let Some(existing) = out.iter_mut().find(|(k, _, _)| *k == key) {
                if let Some(body) = body {
                    existing.2.push((exchange.name(doc), body));
                }
                continue;
            }
            let annotation = response.annotation(doc);
            let parsed = body.as_ref().and_then(|b| parse_json(doc, b));
            let mut schema = self.response_schema(
                doc,
                annotation,
                parsed.as_ref(),
                findings,
                response.at(&message.line),
            );
            let content_type =
                content_type(&message.headers).unwrap_or_else(|| "application/json".into());
            if schema.is_none() && body.is_some() && parsed.is_none() {
                schema = Some(body_schema(&content_type));
            }
            let description =
                describe_status(status, message.reason.as_ref().map(|r| r.value.clone()));
            let mut content = oas3::Map::new();
            if body.is_some() || schema.is_some() {
                content.insert(content_type, media_type(schema, None));
            }
            let examples = body.into_iter().map(|b| (exchange.name(doc), b)).collect();
            out.push((key, response_of(description, content), examples));
        }
        if out.is_empty() {
            return vec![self.prose_response(doc)];
        }
        out.into_iter()
            .map(|(status, mut response, bodies)| {
                if let Some(media) = response.content.values_mut().next() {
                    media.examples = examples(doc, bodies.into_iter());
                }
                (status, response)
            })
            .collect()
    }

    /// The response the Response section's prose describes: "returns a `200 OK` response
    /// code and a [user](../resources/user.md) object" (a collection when it says so).
    fn prose_response(&self, doc: &Document) -> (String, Response) {
        let section = doc
            .headings
            .iter()
            .position(|h| h.tab.is_none() && is_response_heading(h.text.trim()))
            .map(|h| section_text(doc, h));
        let status = section.and_then(|text| status_in(doc.slice(&text)));
        let (code, reason) = status.unwrap_or((200, None));
        let description = describe_status(code, reason);
        let mut content = oas3::Map::new();
        if (200..300).contains(&code) && code != 204 {
            if let Some((single, collection)) = self.linked_type(doc, is_response_heading) {
                let schema = if collection {
                    value_wrapper(array(single), &[])
                } else {
                    single
                };
                content.insert(
                    "application/json".to_string(),
                    media_type(Some(schema), None),
                );
            }
        }
        (code.to_string(), response_of(description, content))
    }

    /// The schema of a response: the type its annotation names (or the body's
    /// `@odata.type`, or the resource the Response section links to), an array for a
    /// collection, in OData's `value` wrapper where the body shows one; without a type, the
    /// shape of the example body.
    fn response_schema(
        &self,
        doc: &Document,
        annotation: Option<&Annotation>,
        body: Option<&JsonValue>,
        findings: &mut Findings,
        at: Range<usize>,
    ) -> Option<Schema> {
        let written = annotation
            .and_then(|a| a.get_str("@odata.type"))
            .or_else(|| body?.get("@odata.type")?.as_str())
            .map(str::trim)
            .filter(|w| !w.is_empty());
        let flagged = annotation.and_then(|a| a.get_bool("isCollection")) == Some(true);
        let (single, collection) = match written {
            Some(written) => {
                let (name, collection) = declared::unwrap_type_name(written);
                let Some(single) = self.schemas.named(name, page_namespace(doc)) else {
                    findings.add(
                        doc,
                        at,
                        format!("the response type `{written}` is no resource or enum of the doc set; the response has no schema"),
                    );
                    return None;
                };
                (single, collection || flagged)
            }
            None => match self.linked_type(doc, is_response_heading) {
                Some((single, collection)) => (single, collection || flagged),
                None => return body.map(|b| self.inferred(b, 0)),
            },
        };
        let members = body.and_then(JsonValue::as_object).unwrap_or(&[]);
        let wrapped = members.iter().any(|m| m.key == "value")
            && members
                .iter()
                .all(|m| m.key == "value" || m.key.contains('@'));
        let odata: Vec<&str> = members
            .iter()
            .map(|m| m.key.as_str())
            .filter(|k| k.starts_with("@odata."))
            .collect();
        Some(match (collection, body.map(|b| b.as_array().is_some())) {
            (true, Some(true)) => array(single),
            (true, _) => value_wrapper(array(single), &odata),
            (false, _) if wrapped => value_wrapper(single, &odata),
            (false, _) => single,
        })
    }

    /// A schema with the shape of an example value: objects with their properties (a
    /// `$ref` where an object names a type of the doc set in `@odata.type`), arrays of their
    /// first item, and the JSON types of the values.
    fn inferred(&self, value: &JsonValue, depth: usize) -> Schema {
        let typed = |ty: Type| {
            object(ObjectSchema {
                schema_type: Some(TypeSet::Single(ty)),
                ..Default::default()
            })
        };
        match &value.kind {
            JsonKind::Null => any(),
            JsonKind::Bool(_) => typed(Type::Boolean),
            JsonKind::Number(n) if n.is_integer => typed(Type::Integer),
            JsonKind::Number(_) => typed(Type::Number),
            JsonKind::String(_) => typed(Type::String),
            JsonKind::Array(items) => array(
                items
                    .first()
                    .filter(|_| depth < MAX_INFERRED_DEPTH)
                    .map_or_else(any, |item| self.inferred(item, depth + 1)),
            ),
            JsonKind::Object(members) => {
                let named = value
                    .get("@odata.type")
                    .and_then(JsonValue::as_str)
                    .and_then(|t| self.schemas.named(declared::unwrap_type_name(t).0, ""));
                if let Some(named) = named {
                    return named;
                }
                let mut schema = ObjectSchema {
                    schema_type: Some(TypeSet::Single(Type::Object)),
                    ..Default::default()
                };
                if depth < MAX_INFERRED_DEPTH {
                    for member in members {
                        let property = self.inferred(&member.value, depth + 1);
                        schema.properties.insert(member.key.clone(), property);
                    }
                }
                object(schema)
            }
        }
    }

    /// The type of the first link to a resource page in the section whose heading satisfies
    /// `heading`, with whether the prose before the link says "collection".
    fn linked_type(
        &self,
        doc: &Document,
        heading: impl Fn(&str) -> bool,
    ) -> Option<(Schema, bool)> {
        let h = doc
            .headings
            .iter()
            .position(|h| h.tab.is_none() && h.level <= 2 && heading(h.text.trim()))?;
        let section = section_text(doc, h);
        let dir = doc.docset_path.rsplit_once('/').map_or("", |(d, _)| d);
        doc.links
            .iter()
            .filter(|l| l.span.start >= section.start && l.span.end <= section.end)
            .find_map(|link| {
                let target = link.dest.split(['#', '?']).next()?;
                if !target.to_ascii_lowercase().ends_with(".md") || target.contains("://") {
                    return None;
                }
                let joined = if dir.is_empty() {
                    target.to_string()
                } else {
                    format!("{dir}/{target}")
                };
                let target_doc = self.index.document(&crate::paths::normalize(&joined)?)?;
                let d = self.index.document_index(target_doc)?;
                let &t = self.schemas.registry.defined_in(d).first()?;
                let name = &self.schemas.registry.types[self.schemas.registry.types[t].first].name;
                let before = doc
                    .slice(&(section.start..link.span.start))
                    .to_ascii_lowercase();
                let sentence = before.rsplit(['.', '\n']).next().unwrap_or("");
                Some((
                    schemas::reference(&schemas::component_name(name)),
                    sentence.contains("collection"),
                ))
            })
    }
}

fn response_of(description: String, content: oas3::Map<String, MediaType>) -> Response {
    Response {
        description: Some(description),
        headers: Default::default(),
        content,
        links: Default::default(),
        extensions: Default::default(),
    }
}

/// A response's description: the reason phrase as written, else the standard one.
fn describe_status(code: u16, written: Option<String>) -> String {
    written
        .or_else(|| reason_phrase(code).map(str::to_string))
        .unwrap_or_else(|| format!("status {code}"))
}

/// Whether an operation has a schema for a successful response.
pub fn has_response_schema(operation: &Operation) -> bool {
    operation
        .responses
        .iter()
        .flatten()
        .any(|(status, response)| {
            status.starts_with('2')
                && matches!(response, ObjectOrReference::Object(r)
                if r.content.values().any(|m| m.schema.is_some()))
        })
}

/// Whether a heading opens the Response section.
fn is_response_heading(text: &str) -> bool {
    starts_with_ignore_case(text, "response")
}

/// Whether every successful or redirecting response of an operation has no body.
pub fn answers_without_body(operation: &Operation) -> bool {
    let mut answers = operation
        .responses
        .iter()
        .flatten()
        .filter(|(status, _)| status.starts_with(['2', '3']))
        .peekable();
    answers.peek().is_some()
        && answers.all(|(_, response)| matches!(response, ObjectOrReference::Object(r) if r.content.is_empty()))
}

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

fn find_row<'t>(
    tables: &'t [(TableRole, Vec<TableRow>)],
    role: TableRole,
    name: &str,
) -> Option<&'t TableRow> {
    tables
        .iter()
        .filter(|(r, _)| *r == role)
        .flat_map(|(_, rows)| rows)
        .find(|row| row.name.eq_ignore_ascii_case(name))
}

fn header_parameters(tables: &[(TableRole, Vec<TableRow>)]) -> Vec<Parameter> {
    let mut out: Vec<Parameter> = Vec::new();
    for row in tables
        .iter()
        .filter(|(role, _)| *role == TableRole::Headers)
        .flat_map(|(_, rows)| rows)
    {
        let name = row.name.trim_end_matches(':');
        if !is_parameter_name(name)
            || IGNORED_HEADERS.contains(&name.to_ascii_lowercase().as_str())
            || out.iter().any(|p| p.name.eq_ignore_ascii_case(name))
        {
            continue;
        }
        let text = [row.type_text.as_str(), row.description.as_str()]
            .iter()
            .filter(|t| !t.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(" ");
        let required = says_required(&text);
        let description = Some(text).filter(|t| !t.is_empty());
        out.push(parameter(
            name,
            ParameterIn::Header,
            required,
            description,
            schemas::primitive(declared::Primitive::String),
        ));
    }
    out
}

fn parameter(
    name: &str,
    location: ParameterIn,
    required: bool,
    description: Option<String>,
    schema: Schema,
) -> Parameter {
    Parameter {
        name: name.to_string(),
        location,
        description,
        required: Some(required),
        deprecated: None,
        allow_empty_value: None,
        style: None,
        explode: None,
        allow_reserved: None,
        schema: Some(schema),
        example: None,
        examples: Default::default(),
        content: None,
        extensions: Default::default(),
    }
}

/// Whether a name can be a parameter's: letters, digits, `$`, `-`, `_` and `.`.
fn is_parameter_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '$' | '-' | '_' | '.'))
}

/// Whether a description says the parameter is required ("Required.", not "Optional").
fn says_required(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    lower.contains("required") && !lower.contains("optional") && !lower.contains("not required")
}

/// The OData query options the page's query parameter section mentions.
fn odata_options(doc: &Document) -> Vec<&'static str> {
    let Some(h) = doc
        .headings
        .iter()
        .position(|h| h.tab.is_none() && table_role(&h.text) == Some(TableRole::Query))
    else {
        return Vec::new();
    };
    let text = doc.slice(&section_text(doc, h));
    ODATA_OPTIONS
        .into_iter()
        .filter(|option| {
            text.match_indices(option).any(|(i, _)| {
                !text[i + option.len()..]
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_alphanumeric())
            })
        })
        .collect()
}

/// From the end of heading `h` to the next heading of the same or a higher level.
fn section_text(doc: &Document, h: usize) -> Range<usize> {
    let heading = &doc.headings[h];
    let end = doc.headings[h + 1..]
        .iter()
        .find(|n| n.tab.is_none() && n.level <= heading.level)
        .map_or(doc.text.len(), |n| n.span.start);
    heading.span.end..end.max(heading.span.end)
}

/// The first status code in prose (`200 OK`, `204 No Content`), with its reason phrase when
/// written.
fn status_in(text: &str) -> Option<(u16, Option<String>)> {
    let bytes = text.as_bytes();
    (0..bytes.len().saturating_sub(2)).find_map(|i| {
        let code = text.get(i..i + 3)?;
        let boundary_before = i == 0 || !bytes[i - 1].is_ascii_alphanumeric();
        let after = text[i + 3..].chars().next();
        if !boundary_before || !code.bytes().all(|b| b.is_ascii_digit()) || after != Some(' ') {
            return None;
        }
        let code: u16 = code.parse().ok()?;
        let phrase = reason_phrase(code)?;
        let rest = text[i + 4..].trim_start();
        let written = starts_with_ignore_case(rest, phrase).then(|| phrase.to_string());
        written.is_some().then_some((code, written))
    })
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

/// OData's `{"value": …}` wrapper, with the `@odata.*` annotations the example shows.
fn value_wrapper(value: Schema, odata: &[&str]) -> Schema {
    let mut wrapper = ObjectSchema {
        schema_type: Some(TypeSet::Single(Type::Object)),
        ..Default::default()
    };
    for key in odata {
        wrapper.properties.insert(
            (*key).to_string(),
            schemas::primitive(declared::Primitive::String),
        );
    }
    wrapper.properties.insert("value".into(), value);
    object(wrapper)
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
    fn statuses_in_prose() {
        assert_eq!(
            status_in("returns a `200 OK` response code and a [user](x.md)"),
            Some((200, Some("OK".into())))
        );
        assert_eq!(
            status_in("returns `204 No Content`."),
            Some((204, Some("No Content".into())))
        );
        assert_eq!(status_in("see 1200 items"), None);
    }

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

    #[test]
    fn required_in_descriptions() {
        assert!(says_required("Bearer {token}. Required."));
        assert!(!says_required("Optional. Not required."));
    }
}
