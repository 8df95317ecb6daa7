//! DL318 http-url-segment-unknown: a URL segment after a typed segment that names a property
//! of that type in another case (`/users/{id}/MemberOf` for `memberOf`).
//!
//! The URL is walked from its first segment: an entity set (`users` → `user`) or `me`, then
//! keys, properties and relationships, each giving the type of the next segment. The walk
//! stops at anything it cannot type (a function or action, a cast, `$value`), so only
//! segments whose type is certain are judged. Either spelling may be the wrong one (resource
//! tables are misspelt too), so the finding names both. A segment that matches no property at
//! all may be a bound function or action documented on another page, which the type registry
//! does not know, so it is not reported.

use std::ops::Range;

use super::{Page, Role};
use crate::diagnostic::Finding;
use crate::rule::Rule;
use crate::rules::Context;
use crate::schema::declared::{self, Declared};
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

/// The path segments of a target after its origin and API version, each with its offset in
/// the target; the query is dropped.
fn segments(target: &str) -> Vec<(&str, usize)> {
    let start = match target.find("://") {
        Some(at) => target[at + 3..]
            .find('/')
            .map_or(target.len(), |p| at + 3 + p),
        None => 0,
    };
    let end = target[start..]
        .find(['?', '#'])
        .map_or(target.len(), |p| start + p);
    let mut out = Vec::new();
    let mut offset = start;
    for segment in target[start..end].split('/') {
        if !segment.is_empty() {
            out.push((segment, offset));
        }
        offset += segment.len() + 1;
    }
    let versioned = out.first().is_some_and(|(first, _)| {
        first.eq_ignore_ascii_case("beta")
            || (first.starts_with(['v', 'V'])
                && first[1..].starts_with(|c: char| c.is_ascii_digit()))
    });
    if versioned {
        out.remove(0);
    }
    out
}

/// Walks one target; a finding for the first segment that matches a property only in case.
fn walk(cx: &Context<'_>, target: &str, span: Range<usize>) -> Option<Finding> {
    let registry = &cx.index.schema;
    let segments = segments(target);
    let version = target
        .split('/')
        .find(|s| s.eq_ignore_ascii_case("beta") || s.starts_with("v1"));
    let scope = cx.index.schema_scope(cx.doc, version);
    let (first, _) = *segments.first()?;
    let (name, keyed) = split_key(first);
    let (mut current, mut collection) = if name == "me" {
        (registry.lookup(scope, "user")?, false)
    } else {
        (entity_set(registry, scope, name)?, !keyed)
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
        let ty = &registry.types[current];
        let close = registry
            .property_names(current)
            .find(|p| p.eq_ignore_ascii_case(name))?;
        if registry.subtype_has(current, name) {
            return None;
        }
        let start = span.start + offset;
        return Some(
            Finding::new(
                Rule::HttpUrlSegmentUnknown,
                start..start + name.len(),
                format!(
                    "the URL segment `{name}` and the {} property `{close}` differ only in case; use one spelling (OData matches segments case-sensitively)",
                    declared::short_name(&ty.name)
                ),
            )
            .with_help(format!(
                "write `{close}`, unless the resource page is the one misspelt"
            )),
        );
    }
    None
}

/// A segment's name and whether it carries a key in parentheses (`items('x')`).
fn split_key(segment: &str) -> (&str, bool) {
    match segment.split_once('(') {
        Some((name, _)) => (name, true),
        None => (segment, false),
    }
}

/// The type of an entity set: `users` → `user`, `policies` → `policy`.
fn entity_set(registry: &Registry, scope: usize, name: &str) -> Option<usize> {
    let singular = if let Some(stem) = name.strip_suffix("ies") {
        format!("{stem}y")
    } else {
        name.strip_suffix('s')?.to_string()
    };
    registry.lookup(scope, &singular)
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
    use super::segments;

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
