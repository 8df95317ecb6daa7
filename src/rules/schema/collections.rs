//! DL814 collection-empty-mismatch: a collection response or example whose `isEmpty`
//! annotation disagrees with its array.

use super::super::Context;
use crate::diagnostic::Finding;
use crate::document::http;
use crate::document::json::{self, JsonValue, Leniency, ParseOptions};
use crate::document::{Annotation, CodeBlock, Document};
use crate::rule::Rule;
use crate::schema::declared;
use crate::schema::registry::flag;

/// Checks every collection body of the page against its `isEmpty`.
pub(super) fn check(cx: &mut Context<'_>) {
    if !cx.enabled(Rule::CollectionEmptyMismatch) {
        return;
    }
    let doc = cx.doc;
    for block in &doc.code_blocks {
        let Some(annotation) = block.annotation().and_then(|a| doc.annotations.get(a)) else {
            continue;
        };
        if !(annotation.is("response") || annotation.is("example")) || !is_collection(annotation) {
            continue;
        }
        let Some((body, base)) = body(doc, block, annotation) else {
            continue;
        };
        let options = ParseOptions {
            allow_truncation: true,
        };
        let Ok(parsed) = json::parse(body, options) else {
            continue;
        };
        let property = annotation.get_str("collectionProperty").unwrap_or("value");
        let Some(items) = items(&parsed.value, property) else {
            continue;
        };
        let truncated = flag(annotation, "truncated")
            || parsed
                .lenient
                .iter()
                .any(|l| l.kind == Leniency::TruncationMarker);
        let empty = flag(annotation, "isEmpty");
        let at = base + items.span().start..base + items.span().end;
        let count = items.as_array().map_or(0, <[JsonValue]>::len);
        if empty && count > 0 {
            cx.report(
                Finding::new(
                    Rule::CollectionEmptyMismatch,
                    at,
                    format!(
                        "the annotation says `\"isEmpty\": true`, but the collection shows {count} item{}; remove `isEmpty` or the items",
                        if count == 1 { "" } else { "s" }
                    ),
                )
                .with_related(doc.related(annotation.key_span("isEmpty"), "the annotation")),
            );
        } else if !empty && count == 0 && !truncated {
            cx.report(Finding::new(
                Rule::CollectionEmptyMismatch,
                at,
                "the collection is empty, so the example shows nothing of its type; show an item, or say it is meant to be empty with `\"isEmpty\": true` in the annotation",
            ));
        }
    }
}

/// Whether the annotation declares a collection (`isCollection`, or a `Collection(…)` type).
fn is_collection(annotation: &Annotation) -> bool {
    flag(annotation, "isCollection")
        || ["@odata.type", "@type"]
            .iter()
            .filter_map(|key| annotation.get_str(key))
            .any(|t| declared::unwrap_type_name(t).1)
}

/// The JSON body of a response or example block, with its page offset.
fn body<'d>(
    doc: &'d Document,
    block: &CodeBlock,
    annotation: &Annotation,
) -> Option<(&'d str, usize)> {
    let content = doc.slice(&block.content());
    if annotation.is("response") && block.is_http() {
        let response = http::parse_response(content).ok()?;
        let range = response.body?;
        Some((
            content.get(range.clone())?,
            block.content().start + range.start,
        ))
    } else if block.is_json() {
        Some((content, block.content().start))
    } else {
        None
    }
}

/// The array of a collection body: the body itself, or its collection property.
fn items<'v>(value: &'v JsonValue, property: &str) -> Option<&'v JsonValue> {
    if value.as_array().is_some() {
        return Some(value);
    }
    value.get(property).filter(|v| v.as_array().is_some())
}
