//! DL318 http-url-segment-unknown: a URL segment after a typed segment that is no property,
//! relationship, function or action of that type (`/users/{id}/memberOff`), or that names a
//! property in another case (`/users/{id}/MemberOf` for `memberOf`).
//!
//! The URL is walked from its first segment: an entity set (typed by the pages that address
//! its members, else by its singular: `users` → `user`) or `me`, then keys, properties and
//! relationships, each giving the type of the next segment. The walk stops at anything it
//! cannot type (a function or action, a cast, `$value`, a path `root:/a.txt:`), so only
//! segments whose type is certain are judged. Either spelling may be the wrong one (resource
//! tables are misspelt too), so a finding names both. A name no property matches is reported
//! only when the type's properties are known in full (Properties tables all the way up its
//! bases, not an open type) and no page documents a function or action of that name; a
//! segment in parentheses or one that looks like a key is never reported as unknown.

use std::ops::Range;

use super::keys::literal_kind;
use super::{Page, Role};
use crate::diagnostic::Finding;
use crate::rule::Rule;
use crate::rules::Context;
use crate::schema::declared::{self, Declared};
use crate::schema::urls::api_segments;
use crate::schema::Registry;

/// Checks the segments of the page's example URLs and syntax lines.
pub(super) fn check(cx: &mut Context<'_>, page: &Page<'_>) {
    if !cx.enabled(Rule::HttpUrlSegmentUnknown) || cx.index.schema.is_empty() {
        return;
    }
    let mut targets: Vec<(&str, Range<usize>)> = page
        .templates
        .iter()
        .map(|t| (t.path.as_str(), t.path_span.clone()))
        .collect();
    for example in &page.examples {
        if example.role != Role::Request {
            continue;
        }
        if let Some(request) = example.request() {
            targets.push((
                request.target.value.as_str(),
                example.at(&request.target.span),
            ));
        }
    }
    for (target, span) in targets {
        if let Some(finding) = walk(cx, target, span) {
            cx.report(finding);
        }
    }
}

/// Walks one target; a finding for the first segment that matches a property only in case.
fn walk(cx: &Context<'_>, target: &str, span: Range<usize>) -> Option<Finding> {
    let registry = &cx.index.schema;
    let segments = api_segments(target);
    let version = target
        .split('/')
        .find(|s| s.eq_ignore_ascii_case("beta") || s.starts_with("v1"));
    let scope = cx.index.schema_scope(cx.docset_id, version);
    let (first, _) = *segments.first()?;
    let (name, keyed) = split_key(first);
    let (mut current, mut collection) = if name == "me" {
        (registry.lookup(scope, "user")?, false)
    } else {
        (entity_set(cx, scope, name)?, !keyed)
    };
    for &(segment, offset) in &segments[1..] {
        if collection {
            // A key (`{id}`, a literal) selects one member.
            if segment.starts_with('$') || segment.contains('.') || segment.contains('(') {
                return None;
            }
            collection = false;
            continue;
        }
        let (name, keyed) = split_key(segment);
        if name.is_empty() || name.starts_with('$') || name.contains(['.', '{', '=', ':']) {
            return None;
        }
        if let Some((_, property)) = registry.property(current, name) {
            let (next, many) = typed(registry, scope, &property.declared)?;
            current = next;
            collection = many && !keyed;
            continue;
        }
        if registry.subtype_has(current, name) {
            return None;
        }
        let ty = &registry.types[current];
        let type_name = declared::short_name(&ty.name);
        let start = span.start + offset;
        let at = start..start + name.len();
        if let Some(close) = registry
            .property_names(current)
            .find(|p| p.eq_ignore_ascii_case(name))
        {
            // A table row in lower case where the URL is camelCase is the likely culprit, and
            // every URL through the property shows it: say so, and point at the row.
            let help = if is_camel(name) && !close.bytes().any(|b| b.is_ascii_uppercase()) {
                format!(
                    "the {type_name} resource page is likely the one misspelt: property names are camelCase, so its table should say `{name}`"
                )
            } else {
                format!("write `{close}`, unless the resource page is the one misspelt")
            };
            let mut finding = Finding::new(
                Rule::HttpUrlSegmentUnknown,
                at,
                format!(
                    "the URL segment `{name}` and the {type_name} property `{close}` differ only in case; use one spelling (OData matches segments case-sensitively)"
                ),
            )
            .with_help(help);
            let declared = registry
                .property(current, close)
                .and_then(|(owner, property)| {
                    Some((cx.index.documents.get(owner.doc)?, property.declared_at?))
                });
            if let Some((page, at)) = declared {
                finding = finding.with_related(
                    at.related(page.display(), format!("`{close}` is declared here")),
                );
            }
            return Some(finding);
        }
        // `name(…)` that is no property is a function call or a key of something unknown; a
        // key where a property belongs means a property's table type lacks "collection".
        let identifier = name.starts_with(|c: char| c.is_ascii_alphabetic())
            && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
            && literal_kind(name).is_none();
        if keyed
            || !identifier
            || cx.index.url_names.is_operation(name)
            || !judged(registry, current)
        {
            return None;
        }
        let help = match crate::suggest::closest(name, registry.property_names(current)) {
            Some(close) => format!(
                "the {type_name} resource documents `{close}`: fix the URL, or the resource page if that is the one misspelt"
            ),
            None => format!(
                "fix the URL, or document `{name}` in the {type_name} resource's tables or on a page of its own"
            ),
        };
        let mut finding = Finding::new(
            Rule::HttpUrlSegmentUnknown,
            at,
            format!(
                "the URL segment `{name}` is no property, relationship, function or action of {type_name}"
            ),
        )
        .with_help(help);
        if let Some(page) = cx.index.documents.get(ty.doc) {
            finding = finding.with_related(
                ty.annotation_at
                    .related(page.display(), format!("the {type_name} resource")),
            );
        }
        return Some(finding);
    }
    None
}

/// Whether the properties of `t` are known in full, so that a name that is none of them is
/// wrong: every definition in its chain has a Properties table, its base types all resolve,
/// and it is not an open type (whose dynamic properties may be addressed too).
fn judged(registry: &Registry, t: usize) -> bool {
    let mut complete = true;
    let mut last_base = None;
    for ty in registry.chain(t) {
        complete &= ty.has_properties_table && !ty.in_cycle;
        last_base = Some(ty);
    }
    complete
        && last_base.is_some_and(|ty| ty.base_name.is_none() || ty.base.is_some())
        && !registry.is_open(t)
}

/// Whether a name is camelCase: a lower-case start and an upper-case letter further on.
fn is_camel(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_lowercase())
        && name.bytes().any(|b| b.is_ascii_uppercase())
}

/// A segment's name and whether it carries a key in parentheses (`items('x')`).
fn split_key(segment: &str) -> (&str, bool) {
    match segment.split_once('(') {
        Some((name, _)) => (name, true),
        None => (segment, false),
    }
}

/// The type of an entity set: the type whose API pages address its members (`contacts` →
/// `orgContact`, from `orgcontact-get.md`), preferring the set's singular when it is one of
/// them; else the singular alone (`users` → `user`, `policies` → `policy`).
fn entity_set(cx: &Context<'_>, scope: usize, name: &str) -> Option<usize> {
    let registry = &cx.index.schema;
    let singular = if let Some(stem) = name.strip_suffix("ies") {
        format!("{stem}y")
    } else {
        name.strip_suffix('s')?.to_string()
    };
    let names = &cx.index.url_names;
    let voted = names.entity_set_types(name);
    if voted.is_empty() || names.is_entity_set_type(name, &singular) {
        return registry.lookup(scope, &singular);
    }
    voted.iter().find_map(|t| registry.lookup(scope, t))
}

/// The resource type a property declares, and whether it is a collection of it.
fn typed(registry: &Registry, scope: usize, declared: &Declared) -> Option<(usize, bool)> {
    match declared {
        Declared::Named(name) => Some((registry.lookup(scope, name)?, false)),
        Declared::Collection(inner) => match inner.as_ref() {
            Declared::Named(name) => Some((registry.lookup(scope, name)?, true)),
            _ => None,
        },
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use crate::schema::urls::api_segments as segments;

    #[test]
    fn segments_skip_origin_version_and_query() {
        let target = "https://graph.microsoft.com/v1.0/users/{id}/MemberOf?$top=1";
        let found: Vec<&str> = segments(target).into_iter().map(|(s, _)| s).collect();
        assert_eq!(found, ["users", "{id}", "MemberOf"]);
        let (segment, at) = segments(target)[2];
        assert_eq!(&target[at..at + segment.len()], "MemberOf");
        let found: Vec<&str> = segments("/beta/me/drive")
            .into_iter()
            .map(|(s, _)| s)
            .collect();
        assert_eq!(found, ["me", "drive"]);
    }
}
