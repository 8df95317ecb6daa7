//! The responses of an operation: the status, schema and examples of each response example,
//! or what the Response section's prose says the operation returns.

use std::ops::Range;

use oas3::spec::{
    MediaType, ObjectOrReference, ObjectSchema, Operation, Response, Schema, SchemaType as Type,
    SchemaTypeSet as TypeSet,
};

use super::{
    body_schema, content_type, examples, media_type, page_namespace, parse_json, section_prose,
    section_text, Builder,
};
use crate::document::http::reason_phrase;
use crate::document::json::{JsonKind, JsonValue};
use crate::document::{starts_with_ignore_case, Annotation, Document};
use crate::export::openapi::schemas::{self, any, array, object};
use crate::export::openapi::Findings;
use crate::schema::declared;
use crate::schema::operations as model;

/// Example bodies: the request name and where the body is.
type Bodies<'n> = Vec<(Option<&'n str>, Range<usize>)>;

/// How deep a schema inferred from an example goes.
const MAX_INFERRED_DEPTH: usize = 8;

impl Builder<'_> {
    /// The responses: one per status the examples show, with the schema their annotation
    /// names; without examples, the status and resource the Response section's prose names.
    pub(super) fn responses(
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
            .position(|h| h.tab().is_none() && is_response_heading(h.text.trim()))
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
        let wrapped = members.iter().any(|m| &*m.key == "value")
            && members
                .iter()
                .all(|m| &*m.key == "value" || m.key.contains('@'));
        let odata: Vec<&str> = members
            .iter()
            .map(|m| &*m.key)
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
                        schema.properties.insert(member.key.to_string(), property);
                    }
                }
                object(schema)
            }
        }
    }

    /// The type of the first link to a resource page in the prose of the section whose
    /// heading satisfies `heading` (up to its first subheading), with whether the prose
    /// before the link says "collection".
    pub(super) fn linked_type(
        &self,
        doc: &Document,
        heading: impl Fn(&str) -> bool,
    ) -> Option<(Schema, bool)> {
        let h = doc
            .headings
            .iter()
            .position(|h| h.tab().is_none() && h.level <= 2 && heading(h.text.trim()))?;
        let section = section_prose(doc, h);
        let dir = doc.docset_path().rsplit_once('/').map_or("", |(d, _)| d);
        doc.links
            .iter()
            .filter(|l| l.span().start >= section.start && l.span().end <= section.end)
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
                let d = self
                    .index
                    .file(&crate::paths::normalize(&joined)?)?
                    .document?;
                let t = self.schemas.registry.defined_in(d).next()?;
                let name = &self.schemas.registry.types[self.schemas.registry.types[t].first].name;
                let before = doc
                    .slice(&(section.start..link.span().start))
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
}
