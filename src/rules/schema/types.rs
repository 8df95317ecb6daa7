//! DL811 type-unknown and DL812 response-type-missing: the type names a page writes outside
//! the `@odata.type` of its bodies (table Type cells, `@odata.type` inside a resource's JSON),
//! and the 2xx JSON responses that name no type at all.

use std::ops::Range;

use super::super::Context;
use crate::diagnostic::{Finding, Severity};
use crate::document::http;
use crate::document::json::{self, JsonValue, ParseOptions};
use crate::document::Table;
use crate::rule::Rule;
use crate::schema::declared::{self, Declared};
use crate::schema::tables::TableKind;
use crate::schema::Registry;

/// Section headings whose tables declare the types of parameters or request-body properties
/// (ApiDoctor's `PathParameters` and `RequestObjectProperties` tables), lower-cased.
const PARAMETER_SECTIONS: &[&str] = &[
    "request body",
    "parameters",
    "path parameters",
    "function parameters",
    "action parameters",
];

/// Type cells that name no type but say "some object" (`Object`, `Dictionary`): they
/// document an open shape, not a missing definition.
const GENERIC: &[&str] = &[
    "object",
    "dictionary",
    "complextype",
    "entity",
    "any",
    "none",
    "void",
    "null",
    "map",
    "array",
    "collection",
    "enum",
    "flags",
    "resource",
    "numeric",
    "error",
];

/// DL811: the custom types a page's Properties, Relationships and parameter tables name, and
/// the `@odata.type` values nested in its resources' JSON, that no resource or enum of the
/// page's doc set defines.
pub(super) fn unknown_types(cx: &mut Context<'_>, registry: &Registry) {
    if !cx.enabled(Rule::TypeUnknown) {
        return;
    }
    let doc = cx.doc;
    let scope = cx.index.schema_scope(cx.docset_id, None);
    if !registry.defines(scope) {
        return;
    }
    for table in &doc.tables {
        if !declares_types(cx, table) {
            continue;
        }
        for row in cx.docset.table_rules.typed_rows(&doc.text, table) {
            let Some(cell) = row.type_cell.clone() else {
                continue;
            };
            let declared = declared::from_table_cell(&row.type_text);
            let Some(name) = named(&declared) else {
                continue;
            };
            let link = link_destination(doc.slice(&cell));
            if let Some(finding) = unknown(cx, registry, scope, name, cell, link, "the table") {
                cx.report(finding);
            }
        }
    }
    if let Some(d) = cx.d {
        for t in registry.defined_in(d) {
            nested_types(cx, registry, scope, registry.types[t].annotation);
        }
    }
}

/// Whether a table is one whose Type column names property or parameter types.
fn declares_types(cx: &Context<'_>, table: &Table) -> bool {
    let doc = cx.doc;
    if matches!(
        cx.docset.table_rules.kind(doc, table),
        Some(TableKind::Properties | TableKind::Relationships)
    ) {
        return true;
    }
    table
        .heading()
        .and_then(|h| doc.section_heading(h))
        .is_some_and(|h| {
            let text = doc.headings[h].text.trim().to_ascii_lowercase();
            PARAMETER_SECTIONS.contains(&text.as_str())
        })
}

/// The named (non-primitive) type a declaration is about, collections unwrapped.
fn named(declared: &Declared) -> Option<&str> {
    match declared {
        Declared::Named(name) => Some(name),
        Declared::Collection(inner) => named(inner),
        _ => None,
    }
}

/// A DL811 finding when `name`, written at `span` (in a cell that links to `link`, if it
/// does), names no type of `scope`. A type documented on a page without a `resource` block
/// (the linked page, or `resources/<name>.md` of the doc set) is that page's problem, and a
/// namespace the doc set has no type in cannot be judged. The finding is an error when the
/// name is a likely typo (a defined type is within two edits, or the linked page defines
/// another type), else a warning: an enum described only in prose, or a type whose page is
/// missing.
fn unknown(
    cx: &Context<'_>,
    registry: &Registry,
    scope: usize,
    name: &str,
    span: Range<usize>,
    link: Option<&str>,
    place: &str,
) -> Option<Finding> {
    let short = declared::short_name(name);
    let lower = name.to_ascii_lowercase();
    if GENERIC.contains(&short.to_ascii_lowercase().as_str())
        || lower.starts_with("odata.")
        || lower.starts_with("edm.")
        || declared::primitive_keyword(short).is_some()
    {
        return None;
    }
    if registry.lookup(scope, name).is_some() || registry.lookup_enum(scope, "", name).is_some() {
        return None;
    }
    if !registry.knows_namespace(scope, name) {
        return None;
    }
    let linked = link
        .and_then(|dest| crate::docset::resolve::local_path(cx.doc.docset_path(), dest))
        .and_then(|path| cx.index.file(&path)?.document);
    let own_page = format!(
        "{}resources/{}.md",
        match cx.docset.root.as_str() {
            "" => String::new(),
            root => format!("{root}/"),
        },
        short.to_ascii_lowercase()
    );
    let page = linked.or_else(|| cx.index.file(&own_page)?.document);
    let page_name = match linked {
        Some(_) => "the linked page".to_string(),
        None => format!("`resources/{}.md`", short.to_ascii_lowercase()),
    };
    let page_types: Vec<&str> = page
        .map(|d| registry.defined_in(d))
        .unwrap_or_default()
        .map(|t| registry.types[t].name.as_str())
        .collect();
    if page.is_some() && page_types.is_empty() {
        return None;
    }
    // A likely typo: the linked page (or the type's own page) defines another type, or the
    // registry has a suggestion (a type within two edits, or the one type whose name only adds
    // to this one).
    let (help, typo) = match page_types.as_slice() {
        [] => match registry.suggest(scope, name) {
            Some(close) => (Some(format!("did you mean `{close}`?")), true),
            None => (None, false),
        },
        types => (
            Some(format!(
                "{page_name} defines {}",
                types
                    .iter()
                    .map(|t| format!("`{t}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
            true,
        ),
    };
    let mut finding = Finding::new(
        Rule::TypeUnknown,
        span,
        format!(
            "{place} names the type `{name}`, which no resource or enum of this doc set defines; fix the name or document the type"
        ),
    );
    if let Some(help) = help {
        finding = finding.with_help(help);
    }
    if !typo {
        finding = finding.with_max_severity(Severity::Warning);
    }
    Some(finding)
}

/// The destination of the first inline link in a table cell (`[x](x.md)` → `x.md`).
fn link_destination(cell: &str) -> Option<&str> {
    let start = cell.find("](")? + 2;
    let rest = &cell[start..];
    let end = rest.find(')')?;
    rest[..end].split_whitespace().next()
}

/// The `@odata.type` values inside a resource's JSON (below its top level).
fn nested_types(cx: &mut Context<'_>, registry: &Registry, scope: usize, annotation: usize) {
    let Some((block, json)) = super::resource_json(cx, annotation) else {
        return;
    };
    let Ok(parsed) = json.as_ref() else {
        return;
    };
    let mut found = Vec::new();
    if let Some(members) = parsed.value.as_object() {
        for member in members {
            collect_types(&member.value, &mut found);
        }
    }
    for (name, span) in found {
        let (name, _) = declared::unwrap_type_name(name);
        let at = block.content().start + span.start..block.content().start + span.end;
        if let Some(finding) = unknown(cx, registry, scope, name, at, None, "the resource's JSON") {
            cx.report(finding);
        }
    }
}

/// Every `@odata.type` string value in `value` and below, with its span.
fn collect_types<'v>(value: &'v JsonValue, out: &mut Vec<(&'v str, Range<usize>)>) {
    if let Some(items) = value.as_array() {
        for item in items {
            collect_types(item, out);
        }
    } else if let Some(members) = value.as_object() {
        for member in members {
            match member.value.as_str() {
                Some(name) if &*member.key == "@odata.type" => {
                    out.push((name, member.value.span()));
                }
                _ => collect_types(&member.value, out),
            }
        }
    }
}

/// DL812: a 2xx response whose body is JSON but whose annotation names no `@odata.type`, so
/// nothing validates it.
pub(super) fn untyped_responses(cx: &mut Context<'_>) {
    if !cx.enabled(Rule::ResponseTypeMissing) {
        return;
    }
    let doc = cx.doc;
    for block in &doc.code_blocks {
        let Some(annotation) = block.annotation().and_then(|a| doc.annotations.get(a)) else {
            continue;
        };
        if !annotation.is("response") || !block.is_http() {
            continue;
        }
        let typed = ["@odata.type", "@type"]
            .iter()
            .any(|key| annotation.get(key).is_some());
        if typed {
            continue;
        }
        let content = doc.slice(&block.content());
        let Ok(response) = http::parse_response(content) else {
            continue;
        };
        if !response
            .status
            .as_ref()
            .is_some_and(|s| (200..300).contains(&s.value))
        {
            continue;
        }
        let json_type = response
            .header("Content-Type")
            .is_none_or(|h| h.value.value.to_ascii_lowercase().contains("json"));
        let Some(body) = response.body.and_then(|b| content.get(b)) else {
            continue;
        };
        let opens = body.trim_start().starts_with(['{', '[']);
        let options = ParseOptions {
            allow_truncation: true,
        };
        if !json_type || !opens || json::parse(body, options).is_err() {
            continue;
        }
        cx.report(Finding::new(
            Rule::ResponseTypeMissing,
            annotation.span(),
            "the response has a JSON body but its annotation names no `@odata.type`, so the body is checked against nothing; add \"@odata.type\" (the returned type, `Collection(…)` for a list)",
        ));
    }
}
