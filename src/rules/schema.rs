//! Schema rules: resources agree with their tables, and examples agree with resources.
//!
//! DL801 resource-invalid, DL802 resource-duplicate, DL803 resource-base-type-unknown and
//! DL809 resource-property-undescribed judge the resources a page defines; DL804
//! response-type-unknown, DL805 response-property-undocumented, DL806 response-property-type,
//! DL807 response-property-missing, DL808 response-collection-shape and DL810
//! response-body-expected judge its `response` and `example` bodies; DL811 type-unknown and
//! DL812 response-type-missing (in `types`) the type names it writes and leaves out, and DL813
//! resource-example-type (in `example`) a resource's JSON against its own table, and DL814
//! collection-empty-mismatch (in `collections`) `isEmpty` against the example's array; DL815
//! resource-unannotated a resource page whose Properties table defines nothing. The type
//! registry is built once per doc set (see [`crate::schema::Registry`]).

mod collections;
mod example;
mod types;

use std::ops::Range;
use std::rc::Rc;

use super::Context;
use crate::diagnostic::{Finding, Severity};
use crate::document::http;
use crate::document::json::{self, JsonValue, Leniency};
use crate::document::{Annotation, CodeBlock, Document};
use crate::rule::{Family, Rule};
use crate::schema::declared::{self, primitive_keyword, Declared};
use crate::schema::registry::{flag, ResourceDefect};
use crate::schema::{Registry, TableKind, Validator};

/// Checks the resources a page defines and the bodies it shows.
pub fn check(cx: &mut Context<'_>) {
    if !cx.family_enabled(Family::Schema) {
        return;
    }
    let registry = &cx.index.schema;
    if let Some(d) = cx.d {
        resources(cx, registry, d);
        example::check(cx, registry, d);
    }
    unannotated(cx);
    bodies(cx, registry);
    types::unknown_types(cx, registry);
    types::untyped_responses(cx);
    collections::check(cx);
}

/// The code block a resource annotation binds to and its JSON, parsed with truncation
/// (`...`) allowed and shared with the page's other reads of the block; `None` when the
/// annotation binds no block or its JSON does not parse.
fn resource_json<'a>(
    cx: &mut Context<'a>,
    annotation: usize,
) -> Option<(&'a CodeBlock, Rc<Result<json::Parsed, json::JsonError>>)> {
    let doc: &'a Document = cx.doc;
    let block = doc
        .annotations
        .get(annotation)?
        .code_block()
        .and_then(|b| doc.code_blocks.get(b))?;
    let parsed = cx.json_body(doc.slice(&block.content()), block.content().start);
    parsed.is_ok().then_some((block, parsed))
}

// ---------------------------------------------------------------------------------------
// Resources: DL801, DL802, DL803, DL809

fn resources(cx: &mut Context<'_>, registry: &Registry, d: usize) {
    let doc = cx.doc;
    for invalid in registry.invalid.iter().filter(|i| i.doc == d) {
        let annotation = &doc.annotations[invalid.annotation];
        let span = type_value_span(annotation).unwrap_or_else(|| annotation.span());
        cx.report(Finding::new(
            Rule::ResourceInvalid,
            span,
            invalid.message.clone(),
        ));
    }
    for t in registry.defined_in(d) {
        let ty = &registry.types[t];
        let annotation = &doc.annotations[ty.annotation];
        definition_defects(cx, registry, t, annotation);
        duplicates(cx, registry, t, annotation);
        base_type(cx, registry, t, annotation);
        base_only_in_prose(cx, registry, t, annotation);
        if ty.has_properties_table && ty.defect.is_none() {
            undescribed(cx, registry, t);
        }
    }
}

/// DL815: a resource page (by `doc_type`, or under a `resources` folder) with a Properties
/// table of typed rows but no `resource` annotation: the type is never defined, so neither its
/// table, nor its JSON representation, nor the responses that return it can be validated.
/// Reported once, at the table's header row.
fn unannotated(cx: &mut Context<'_>) {
    let doc = cx.doc;
    if !cx.enabled(Rule::ResourceUnannotated) || doc.kind.fragment {
        return;
    }
    let in_resources = doc
        .docset_path()
        .split('/')
        .any(|folder| folder == "resources");
    // An annotation that does not parse may be the resource one (DL201 reports it), and one
    // that names the type but is `ignored` leaves it out of validation on purpose.
    let left_out = |a: &Annotation| a.is("ignored") && a.get("@odata.type").is_some();
    if !(doc.kind.resource || in_resources)
        || doc
            .annotations
            .iter()
            .any(|a| a.is("resource") || a.value().is_none() || left_out(a))
    {
        return;
    }
    let rules = &cx.docset.table_rules;
    let Some(table) = doc.tables.iter().find(|table| {
        rules.kind(doc, table) == Some(TableKind::Properties)
            && rules
                .typed_rows(&doc.text, table)
                .iter()
                .any(|row| !row.type_text.trim().is_empty())
    }) else {
        return;
    };
    let row = &table.header.span();
    let header = row.start..row.start + doc.slice(row).trim_end().len();
    let name = doc
        .h1s()
        .next()
        .and_then(|h| h.text.trim().strip_suffix(" resource type"))
        .filter(|name| !name.contains(char::is_whitespace));
    let (what, odata_type) = match name {
        Some(name) => {
            let namespace = doc
                .text
                .lines()
                .find_map(|line| line.strip_prefix("Namespace:"))
                .map_or("microsoft.graph", str::trim);
            (
                format!("the {name} resource"),
                format!("{namespace}.{name}"),
            )
        }
        None => ("the resource".to_string(), "…".to_string()),
    };
    let where_to = if doc.code_blocks.iter().any(|b| &*b.language == "json") {
        "annotate the JSON representation block: on the line before it, put"
    } else {
        "add a JSON representation block of the resource's properties, annotated on the line before with"
    };
    cx.report(
        Finding::new(
            Rule::ResourceUnannotated,
            header,
            format!(
                "{what} has a Properties table but no `resource` annotation, so the type is never defined and neither its table nor the responses that return it can be validated"
            ),
        )
        .with_help(format!("{where_to} `<!-- {{ \"blockType\": \"resource\", \"@odata.type\": \"{odata_type}\" }} -->`")),
    );
}

/// DL801: unreadable example JSON, an empty `baseType`, a `keyProperty` that is no property.
fn definition_defects(
    cx: &mut Context<'_>,
    registry: &Registry,
    t: usize,
    annotation: &Annotation,
) {
    let doc = cx.doc;
    let ty = &registry.types[t];
    let content = annotation
        .code_block()
        .and_then(|b| doc.code_blocks.get(b))
        .map_or(0..0, |b| b.content());
    match &ty.defect {
        Some(ResourceDefect::InvalidJson(error)) => cx.report(Finding::new(
            Rule::ResourceInvalid,
            content.start + error.span.start..content.start + error.span.end,
            format!(
                "the {} resource example is not valid JSON: {}; the type's properties cannot be read",
                ty.name, error.message
            ),
        )),
        Some(ResourceDefect::NotAnObject(kind)) => cx.report(Finding::new(
            Rule::ResourceInvalid,
            content,
            format!(
                "the {} resource example is a JSON {kind}, not an object; show the resource as a JSON object of its properties",
                ty.name
            ),
        )),
        None => {}
    }
    if ty.base_name.as_deref() == Some("") {
        cx.report(Finding::new(
            Rule::ResourceInvalid,
            annotation.key_span("baseType"),
            "`baseType` is empty; name the base type (\"microsoft.graph.entity\") or remove the key",
        ));
    }
    if let Some(key) = &ty.key_property {
        let known = registry.property(t, key).is_some();
        // With an unreadable definition or an unresolved base, the key may be unseen.
        let readable = registry
            .chain(t)
            .all(|ty| ty.defect.is_none() && ty.base_name.is_none() == ty.base.is_none());
        if !known && readable {
            if let Some(entity) = implicit_entity(cx.doc, registry, t, key) {
                let entity = &registry.types[entity].name;
                cx.report(
                    Finding::new(
                        Rule::ResourceInvalid,
                        annotation.key_span("keyProperty"),
                        format!(
                            "`keyProperty` names `{key}`, which {} does not define: as an entity type it inherits `{key}` from {entity}, but its annotation names no `baseType`",
                            ty.name
                        ),
                    )
                    .with_help(format!(
                        "add \"baseType\": \"{entity}\" (or the entity type it derives from) to the annotation"
                    ))
                    .with_max_severity(Severity::Warning),
                );
                return;
            }
            let names = registry.property_names(t);
            let mut finding = Finding::new(
                Rule::ResourceInvalid,
                annotation.key_span("keyProperty"),
                format!(
                    "`keyProperty` names `{key}`, which is not a property of {} or its base types",
                    ty.name
                ),
            );
            if let Some(close) = crate::suggest::closest(key, names) {
                finding = finding.with_help(format!("did you mean `{close}`?"));
            }
            // The key matters only to tools that generate a schema from the pages; readers
            // and the checks of examples do not use it.
            cx.report(finding.with_max_severity(Severity::Warning));
        }
    }
}

/// The type a resource inherits its key from without saying so: Graph's entity types all
/// derive from `entity` (`microsoft.graph.entity`, which defines `id`), and pages often leave
/// `baseType` out. `Some` for a type whose inheritance chain ends without a base, documented
/// as an entity type (its page lists methods, or it has relationships), when `entity`
/// defines `key`.
fn implicit_entity(doc: &Document, registry: &Registry, t: usize, key: &str) -> Option<usize> {
    let ty = &registry.types[t];
    if registry.chain(t).last()?.base_name.is_some() {
        return None;
    }
    let entity = registry.lookup(ty.scope, "entity").filter(|&e| e != t)?;
    registry.types[entity].own_property(key)?;
    let navigation = registry
        .chain(t)
        .any(|ty| ty.properties.iter().any(|p| p.is_navigation()));
    (navigation || documents_methods(doc)).then_some(entity)
}

/// Whether a resource page lists methods (API operations): a table under a `Methods`
/// heading with at least one linked row. Complex types have none.
fn documents_methods(doc: &Document) -> bool {
    doc.tables.iter().any(|table| {
        table
            .heading()
            .is_some_and(|h| doc.headings[h].text.trim().eq_ignore_ascii_case("methods"))
            && table.rows.iter().any(|row| {
                let text = doc.slice(&row.span());
                text.contains("](") || text.contains("][")
            })
    })
}

/// DL801, as a warning: the page's introduction names a base type ("Inherits from
/// [directoryObject](directoryobject.md)") that its annotation leaves out. The registry reads
/// the prose, so responses are validated as they should be; the finding is reported once,
/// here, rather than at every response that shows a derived object.
fn base_only_in_prose(
    cx: &mut Context<'_>,
    registry: &Registry,
    t: usize,
    annotation: &Annotation,
) {
    let ty = &registry.types[t];
    let (true, Some(base)) = (ty.base_from_prose, ty.base) else {
        return;
    };
    let base = &registry.types[base].name;
    let span = type_value_span(annotation).unwrap_or_else(|| annotation.span());
    cx.report(
        Finding::new(
            Rule::ResourceInvalid,
            span,
            format!(
                "the page says {} inherits from {}, but its resource annotation names no `baseType`, so tools that read only the annotation (ApiDoctor, metadata generators) see no base type",
                declared::short_name(&ty.name),
                declared::short_name(base)
            ),
        )
        .with_help(format!("add \"baseType\": \"{base}\" to the annotation"))
        .with_max_severity(Severity::Warning),
    );
}

/// DL802: a type defined more than once in the same scope; reported on every definition
/// after the first (in path order).
fn duplicates(cx: &mut Context<'_>, registry: &Registry, t: usize, annotation: &Annotation) {
    let ty = &registry.types[t];
    let first = ty.first;
    if first == t {
        return;
    }
    let original = &registry.types[first];
    let first_doc = &cx.index.documents[original.doc];
    let casing = if original.name == ty.name {
        String::new()
    } else {
        format!(" (as {:?})", original.name)
    };
    let span = type_value_span(annotation).unwrap_or_else(|| annotation.span());
    let where_ = if original.doc == ty.doc {
        "earlier on this page".to_string()
    } else {
        format!("in {}", first_doc.display())
    };
    cx.report(
        Finding::new(
            Rule::ResourceDuplicate,
            span,
            format!(
                "the resource {} is already defined {where_}{casing}; keep one definition and link to it",
                ty.name
            ),
        )
        .with_related(
            original
                .annotation_at
                .related(first_doc.display(), "the first definition"),
        ),
    );
}

/// DL803: a `baseType` that names no resource, or an inheritance cycle.
fn base_type(cx: &mut Context<'_>, registry: &Registry, t: usize, annotation: &Annotation) {
    let ty = &registry.types[t];
    let Some(base) = ty.base_name.as_deref().filter(|b| !b.is_empty()) else {
        return;
    };
    let span = annotation
        .value_span("baseType")
        .unwrap_or_else(|| annotation.span());
    if ty.in_cycle {
        cx.report(Finding::new(
            Rule::ResourceBaseTypeUnknown,
            span,
            format!(
                "the base types of {} form a cycle ({}); a type cannot inherit from itself",
                ty.name,
                cycle_names(registry, t).join(" → ")
            ),
        ));
    } else if ty.base.is_none() {
        let mut finding = Finding::new(
            Rule::ResourceBaseTypeUnknown,
            span,
            format!(
                "the base type {base:?} of {} is not defined by any resource in the doc set",
                ty.name
            ),
        );
        if let Some(close) = registry.suggest(ty.scope, base) {
            finding = finding.with_help(format!("did you mean {close:?}?"));
        }
        cx.report(finding);
    }
}

/// The names around an inheritance cycle starting at `t`, back to `t`.
fn cycle_names(registry: &Registry, t: usize) -> Vec<String> {
    let mut names = vec![registry.types[t].name.clone()];
    let mut current = t;
    for _ in 0..64 {
        let ty = &registry.types[current];
        let Some(next) = ty
            .base_name
            .as_deref()
            .and_then(|b| registry.lookup(ty.scope, b))
        else {
            break;
        };
        names.push(registry.types[next].name.clone());
        if next == t {
            break;
        }
        current = next;
    }
    names
}

/// DL809: JSON properties no table row describes, and Properties rows the JSON lacks.
fn undescribed(cx: &mut Context<'_>, registry: &Registry, t: usize) {
    let ty = &registry.types[t];
    let described_above = |name: &str| {
        registry.chain(t).skip(1).any(|base| {
            base.own_property(name)
                .is_some_and(|p| p.table_row().is_some())
        })
    };
    let shown_above = |name: &str| {
        registry.chain(t).skip(1).any(|base| {
            base.own_property(name)
                .is_some_and(|p| p.json_key().is_some())
        })
    };
    let name = declared::short_name(&ty.name);
    // A JSON property and a table row whose names differ only in case are one property
    // misspelt on one side: one finding, at the JSON key.
    let table_only = |json_name: &str| {
        ty.properties.iter().find(|p| {
            p.json_key().is_none()
                && p.table_row().is_some()
                && p.name.eq_ignore_ascii_case(json_name)
        })
    };
    for property in &ty.properties {
        match (&property.json_key(), &property.table_row()) {
            (Some(key), None) if !described_above(&property.name) => {
                let message = match table_only(&property.name) {
                    Some(row) => format!(
                        "property `{}` in the {name} JSON is spelt `{}` in the table; use one spelling (JSON property names are case-sensitive)",
                        property.name, row.name
                    ),
                    None => format!(
                        "property `{}` is in the {name} JSON but no Properties or Relationships table describes it; add a table row",
                        property.name
                    ),
                };
                cx.report(Finding::new(
                    Rule::ResourcePropertyUndescribed,
                    key.clone(),
                    message,
                ));
            }
            (None, Some(row))
                if !property.is_navigation()
                    && !shown_above(&property.name)
                    && !ty.properties.iter().any(|p| {
                        p.json_key().is_some()
                            && p.table_row().is_none()
                            && p.name.eq_ignore_ascii_case(&property.name)
                    }) =>
            {
                cx.report(Finding::new(
                    Rule::ResourcePropertyUndescribed,
                    row.clone(),
                    format!(
                        "property `{}` is described in the table but missing from the {name} JSON representation; add it to the JSON",
                        property.name
                    ),
                ));
            }
            _ => {}
        }
    }
}

/// The page span of the annotation's `@type` / `@odata.type` value.
pub(crate) fn type_value_span(annotation: &Annotation) -> Option<Range<usize>> {
    annotation
        .value_span("@type")
        .or_else(|| annotation.value_span("@odata.type"))
}

// ---------------------------------------------------------------------------------------
// Bodies: DL804, DL805, DL806, DL807, DL808, DL810

/// A response or example body to validate.
struct Body<'a> {
    annotation: &'a Annotation,
    /// The declared type name (`Collection(…)` unwrapped) and where it is written.
    type_name: &'a str,
    type_span: Range<usize>,
    collection: bool,
    /// The JSON text and its page offset; `None` when the block has no body.
    json: Option<(&'a str, usize)>,
    /// Where to report a missing body.
    anchor: Range<usize>,
    what: &'static str,
}

fn bodies(cx: &mut Context<'_>, registry: &Registry) {
    let doc = cx.doc;
    let versions = request_versions(doc);
    let own = cx.index.schema_scope(cx.docset_id, None);
    let mut validator = Validator::new(&cx.index.documents, registry, own);
    for block in &doc.code_blocks {
        let Some(annotation) = block.annotation().and_then(|a| doc.annotations.get(a)) else {
            continue;
        };
        if let Some(body) = body_of(doc, block, annotation) {
            // The request before the body (else the page's first) says which API it shows.
            let version = versions
                .iter()
                .rev()
                .find(|(at, _)| *at < block.span().start)
                .or(versions.first())
                .map(|(_, v)| *v);
            let scope = cx.index.schema_scope(cx.docset_id, version);
            check_body(cx, &mut validator, registry, scope, &body);
        }
    }
}

/// The API version each request of the page calls (`v1.0` in `GET /v1.0/me` or
/// `https://graph.microsoft.com/v1.0/me`), with where the request block starts.
fn request_versions(doc: &Document) -> Vec<(usize, &str)> {
    doc.code_blocks
        .iter()
        .filter(|b| b.is_http())
        .filter(|b| {
            b.annotation()
                .and_then(|a| doc.annotations.get(a))
                .is_some_and(|a| a.is("request"))
        })
        .filter_map(|b| {
            let content = doc.slice(&b.content());
            let line = content.lines().find(|l| !l.trim().is_empty())?;
            let target = line.split_whitespace().nth(1)?;
            Some((b.span().start, api_version(target)?))
        })
        .collect()
}

/// The first path segment of a request target, where Microsoft Graph names the API version.
fn api_version(target: &str) -> Option<&str> {
    let path = match target.find("://") {
        Some(at) => {
            let rest = &target[at + 3..];
            &rest[rest.find('/')?..]
        }
        None => target,
    };
    path.trim_start_matches('/')
        .split(['/', '?', '#'])
        .next()
        .filter(|s| !s.is_empty())
}

fn body_of<'a>(
    doc: &'a Document,
    block: &CodeBlock,
    annotation: &'a Annotation,
) -> Option<Body<'a>> {
    let what = if annotation.is("response") {
        "the response"
    } else if annotation.is("example") {
        "the example"
    } else {
        return None;
    };
    let value = annotation.value()?;
    let member = value
        .member("@type")
        .or_else(|| value.member("@odata.type"))?;
    let written = member.value.as_str()?;
    let (type_name, collection) = declared::unwrap_type_name(written);
    if type_name.is_empty() {
        return None;
    }
    let content = doc.slice(&block.content());
    if flag(annotation, "expectError") {
        return None;
    }
    // A response is HTTP whatever its fence says, as ApiDoctor reads it (DL209 reports the
    // fence); a `json` fence may also hold the body alone.
    let response = match (what == "the response").then(|| http::parse_response(content)) {
        Some(Ok(response)) => Some(response),
        Some(Err(_)) if block.is_http() => return None,
        _ => None,
    };
    let (json, anchor) = if let Some(response) = response {
        // An error response carries an error object, whatever type the success returns.
        if response.status.as_ref().is_some_and(|s| s.value >= 400) {
            return None;
        }
        let content_type = response
            .header("Content-Type")
            .map(|h| h.value.value.to_ascii_lowercase());
        if content_type.is_some_and(|c| !c.contains("json")) {
            return None;
        }
        let json = response.body.and_then(|b| {
            let text = content.get(b.clone())?;
            (!text.trim().is_empty()).then_some((text, block.content().start + b.start))
        });
        (
            json,
            block.content().start + response.line.start..block.content().start + response.line.end,
        )
    } else if block.is_json() {
        let json = (!content.trim().is_empty()).then_some((content, block.content().start));
        (json, block.fence_line())
    } else {
        return None;
    };
    Some(Body {
        annotation,
        type_name,
        type_span: annotation.abs(&member.value.span()),
        collection: collection || flag(annotation, "isCollection"),
        json,
        anchor,
        what,
    })
}

fn check_body(
    cx: &mut Context<'_>,
    validator: &mut Validator<'_>,
    registry: &Registry,
    scope: usize,
    body: &Body<'_>,
) {
    let primitive = primitive_keyword(body.type_name);
    let Some((text, base)) = body.json else {
        if primitive != Some(crate::schema::Primitive::Any) {
            cx.report(Finding::new(
                Rule::ResponseBodyExpected,
                body.anchor.clone(),
                format!(
                    "{} declares the type {:?} but has no body; add the JSON body, or remove `@odata.type` if nothing is returned",
                    body.what, body.type_name
                ),
            ));
        }
        return;
    };
    // Bodies that are not JSON are the HTTP rules' business.
    let shared = cx.json_body(text, base);
    let Ok(parsed) = &*shared else {
        return;
    };
    let truncated = flag(body.annotation, "truncated")
        || parsed
            .lenient
            .iter()
            .any(|l| l.kind == Leniency::TruncationMarker);
    validator.start_body(base, truncated, body.what, scope);
    if let Some(p) = primitive {
        primitive_body(validator, &parsed.value, Declared::Primitive(p), body);
    } else if let Some(t) = registry.lookup(scope, body.type_name) {
        shape(cx, validator, registry, t, &parsed.value, body, base);
    } else if !registry.is_empty() {
        let mut finding = Finding::new(
            Rule::ResponseTypeUnknown,
            body.type_span.clone(),
            format!(
                "{} is typed {:?}, which no resource in the doc set defines",
                body.what, body.type_name
            ),
        );
        let close = validator
            .may_suggest()
            .then(|| registry.suggest(scope, body.type_name))
            .flatten();
        if let Some(close) = close {
            finding = finding.with_help(format!("did you mean {close:?}?"));
        }
        if !registry.knows_namespace(scope, body.type_name) {
            finding = finding.with_max_severity(Severity::Warning);
        }
        cx.report(finding);
    }
    for finding in validator.take_findings() {
        cx.report(finding);
    }
}

/// A body of a primitive type: OData wraps it as `{"value": …}`; other shapes are not checked.
fn primitive_body(
    validator: &mut Validator<'_>,
    value: &JsonValue,
    declared: Declared,
    body: &Body<'_>,
) {
    let Some(inner) = value.get("value") else {
        return;
    };
    let declared = if body.collection {
        Declared::Collection(Box::new(declared))
    } else {
        declared
    };
    validator.wrapped_value(inner, &declared, body.type_name);
}

/// DL808 and the per-item validation: a collection is an array, or an object whose
/// collection property (`value` unless `collectionProperty` says otherwise) is one.
fn shape(
    cx: &mut Context<'_>,
    validator: &mut Validator<'_>,
    registry: &Registry,
    t: usize,
    value: &JsonValue,
    body: &Body<'_>,
    base: usize,
) {
    let at = |span: &Range<usize>| base + span.start..base + span.end;
    let opening = |v: &JsonValue| base + v.span().start..base + v.span().start + 1;
    let name = declared::short_name(&registry.types[t].name);
    if body.collection {
        let property = body
            .annotation
            .get_str("collectionProperty")
            .unwrap_or("value");
        if let Some(items) = value.as_array() {
            items.iter().for_each(|item| validator.instance(item, t));
            return;
        }
        let Some(members) = value.as_object() else {
            return;
        };
        let Some(member) = value.member(property) else {
            cx.report(Finding::new(
                Rule::ResponseCollectionShape,
                opening(value),
                format!(
                    "{} is declared a collection of {name} but the body has no `{property}` array; wrap the items as {{\"{property}\": [ … ]}} or drop `isCollection`",
                    body.what
                ),
            ));
            return;
        };
        match member.value.as_array() {
            Some(items) => items.iter().for_each(|item| validator.instance(item, t)),
            None => cx.report(Finding::new(
                Rule::ResponseCollectionShape,
                at(&member.value.span()),
                format!(
                    "the collection property `{property}` holds {}, not an array of {name} objects",
                    crate::schema::validate::describe_value(&member.value)
                ),
            )),
        }
        for member in members
            .iter()
            .filter(|m| &*m.key != property && !m.key.contains('@'))
        {
            cx.report(Finding::new(
                Rule::ResponseCollectionShape,
                at(&member.key_span()),
                format!(
                    "`{}` sits beside the `{property}` array of a collection response; only `{property}` and `@odata.*` control information (`@odata.nextLink`, `@odata.count`) belong there",
                    member.key
                ),
            ));
        }
        return;
    }
    match value.as_array() {
        Some(_) => cx.report(Finding::new(
            Rule::ResponseCollectionShape,
            opening(value),
            format!(
                "{} body is an array but the annotation declares a single {name}; add `\"isCollection\": true` or show one object",
                body.what
            ),
        )),
        None if looks_like_collection(registry, t, value) => cx.report(Finding::new(
            Rule::ResponseCollectionShape,
            opening(value),
            format!(
                "{} body is a collection (a `value` array) but the annotation declares a single {name}; add `\"isCollection\": true`",
                body.what
            ),
        )),
        None => validator.instance(value, t),
    }
}

/// An object whose only property is a `value` array, for a type with no `value` property.
fn looks_like_collection(registry: &Registry, t: usize, value: &JsonValue) -> bool {
    let Some(members) = value.as_object() else {
        return false;
    };
    let value_array = value.get("value").is_some_and(|v| v.as_array().is_some());
    value_array
        && registry.property(t, "value").is_none()
        && members
            .iter()
            .all(|m| &*m.key == "value" || m.key.contains('@'))
}

#[cfg(test)]
mod tests {
    use super::api_version;

    #[test]
    fn the_api_version_is_the_first_path_segment() {
        assert_eq!(
            api_version("https://graph.microsoft.com/v1.0/me"),
            Some("v1.0")
        );
        assert_eq!(api_version("/beta/users?$top=1"), Some("beta"));
        assert_eq!(api_version("v1.0/me"), Some("v1.0"));
        assert_eq!(api_version("https://graph.microsoft.com"), None);
        assert_eq!(api_version("/"), None);
    }
}
