//! Permission rules: DL601–DL608, on API reference pages ([`crate::docset::permissions::is_reference_page`]).
//!
//! The Permissions section of each API page is parsed once, for the whole doc set, in
//! [`crate::docset::PermissionIndex`]; these rules read it from the index. When the table comes
//! from an include, findings point at the include directive and name the included file, with
//! the place in that file as a related location.

use std::collections::HashMap;
use std::ops::Range;

use super::Context;
use crate::config::PermissionOrder;
use crate::diagnostic::{Finding, Severity};
use crate::docset::PagePermissions;
use crate::document::permissions::{
    EntryKind, PermissionRow, PermissionTable, ScopeCell, ScopeEntry, StatedOrder, TableLayout,
};
use crate::document::Document;
use crate::fix::{Fix, TextEdit};
use crate::rule::Rule;

/// Checks the Permissions section of an API page.
pub fn check(cx: &mut Context<'_>) {
    let doc = cx.doc;
    let Some(page) = cx.d.and_then(|d| cx.index.page_permissions(doc, d)) else {
        return;
    };
    let page = &page;
    let Some(section) = &page.section else {
        section_missing(cx, doc);
        return;
    };
    let Some(place) = Place::of(cx, doc, page) else {
        return;
    };
    if page.tables().is_empty() {
        if !section.unrendered_table {
            table_missing(cx, doc, page);
        }
        return;
    }
    let types = &cx.settings.permission_types;
    for table in page.tables() {
        if table.scope_columns.is_empty() {
            cx.report(place.finding(
                Rule::PermissionsTableMalformed,
                table.header_span.clone(),
                format!(
                    "the permissions table has no column of permissions: its header is {}; write `Permission type | Permissions ({})`",
                    quote(&header_text(table)),
                    order_phrase(cx.settings.permission_order)
                ),
            ));
            continue;
        }
        header_order(cx, &place, table);
        row_types(cx, &place, table, types);
        missing_types(cx, &place, table, types);
        cells(cx, &place, table);
    }
    request_scopes(cx, doc, page);
}

/// Where a page's permission tables are written: in the page, or in an included file.
struct Place<'a> {
    source: &'a Document,
    include: Option<Range<usize>>,
}

impl<'a> Place<'a> {
    fn of(
        cx: &Context<'a>,
        page: &'a Document,
        permissions: &PagePermissions,
    ) -> Option<Place<'a>> {
        match &permissions.included {
            None => Some(Place {
                source: page,
                include: None,
            }),
            Some(included) => Some(Place {
                source: cx.index.document(&included.document)?,
                include: Some(page.includes.get(included.include)?.span.clone()),
            }),
        }
    }

    /// A finding at `span` of the table's file, moved to the include directive when the table
    /// is included.
    fn finding(&self, rule: Rule, span: Range<usize>, message: String) -> Finding {
        match &self.include {
            None => Finding::new(rule, span, message),
            Some(include) => Finding::new(
                rule,
                include.clone(),
                format!("{message} (in the included {})", self.source.docset_path()),
            )
            .with_related(self.source.related(span, "here in the included file")),
        }
    }

    /// A related location in the table's file.
    fn related(&self, span: Range<usize>, what: &str) -> crate::diagnostic::Related {
        self.source.related(span, what)
    }

    /// The text of a span of the table's file.
    fn slice(&self, span: &Range<usize>) -> &str {
        self.source.slice(span)
    }
}

fn section_missing(cx: &mut Context<'_>, doc: &Document) {
    let title = cx
        .docset
        .permission_titles
        .first()
        .map_or("Permissions", String::as_str);
    let span = doc.h1s().next().map_or(0..0, |h| h.span());
    cx.report(Finding::new(
        Rule::PermissionsSectionMissing,
        span,
        format!(
            "the API page has no `## {title}` section; add one with a table of the permissions needed to call the API"
        ),
    ));
}

fn table_missing(cx: &mut Context<'_>, doc: &Document, page: &PagePermissions) {
    let Some(section) = &page.section else {
        return;
    };
    let heading = &doc.headings[section.heading];
    let detail = match section.other_tables.first() {
        Some(&t) => format!(
            "; its table {} is not a permissions table",
            quote(doc.slice(&doc.tables[t].header.span()).trim())
        ),
        None if !section.includes.is_empty() => {
            "; none of its includes holds a permissions table".to_string()
        }
        None => String::new(),
    };
    cx.report(Finding::new(
        Rule::PermissionsTableMalformed,
        heading.span(),
        format!(
            "the `{}` section has no permissions table{detail}; add a `Permission type | Permissions ({})` table with one row per permission type",
            heading.text,
            order_phrase(cx.settings.permission_order)
        ),
    ));
}

fn header_order(cx: &mut Context<'_>, place: &Place<'_>, table: &PermissionTable) {
    let wanted = cx.settings.permission_order;
    for cell in &table.header {
        let Some((stated, span)) = &cell.order else {
            continue;
        };
        let matches = matches!(
            (stated, wanted),
            (StatedOrder::LeastToMost, PermissionOrder::LeastToMost)
                | (StatedOrder::MostToLeast, PermissionOrder::MostToLeast)
        );
        if !matches {
            let finding = place
                .finding(
                    Rule::PermissionsHeaderOrder,
                    span.clone(),
                    format!(
                        "the header says the scopes are listed {}, but this doc set lists them {}",
                        quote(place.slice(span)),
                        order_phrase(wanted)
                    ),
                )
                .with_help(format!(
                    "write `Permissions ({})` and list each row's scopes in that order",
                    order_phrase(wanted)
                ));
            cx.report(finding);
        }
    }
}

fn row_types(cx: &mut Context<'_>, place: &Place<'_>, table: &PermissionTable, types: &[String]) {
    // Each label with whether its row grants anything (a header label: always).
    let labels: Vec<(&str, Range<usize>, bool)> = match table.layout {
        TableLayout::TypesInRows => table
            .rows
            .iter()
            .filter_map(|r| r.label.as_ref().map(|l| (l, grants_scopes(r))))
            .map(|(l, grants)| (l.text.as_str(), l.span.clone(), grants))
            .collect(),
        TableLayout::TypesInColumns => table
            .scope_columns
            .iter()
            .filter_map(|&c| table.header.get(c))
            .map(|h| (h.text.as_str(), h.span.clone(), true))
            .collect(),
    };
    for (label, span, grants) in labels {
        let end = span.end;
        if types.iter().any(|t| t.eq_ignore_ascii_case(label)) {
            continue;
        }
        let unclosed = label.matches('(').count() > label.matches(')').count();
        let closed = format!("{label})");
        let closes_into_type = unclosed && types.iter().any(|t| t.eq_ignore_ascii_case(&closed));
        let detail = if unclosed {
            " (its parenthesis is not closed)"
        } else {
            ""
        };
        let mut finding = place.finding(
            Rule::PermissionsRowTypeUnknown,
            span,
            format!(
                "{} is not a permission type{detail}; use one of {}",
                quote(label),
                types
                    .iter()
                    .map(|t| quote(t))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        );
        let close = crate::suggest::closest(label, types.iter().map(String::as_str));
        let fixable = closes_into_type && place.include.is_none();
        if let Some(close) = close.filter(|_| !fixable) {
            finding = finding.with_help(format!("did you mean {}?", quote(close)));
        }
        if closes_into_type {
            // Only the closing parenthesis is missing: the row's type is unambiguous, and a row
            // that grants nothing loses nothing when a tool skips it.
            if !grants {
                finding = finding.with_max_severity(Severity::Warning);
            }
            if fixable {
                finding = finding.with_fix(Fix::safe(
                    format!("write {}", quote(&closed)),
                    vec![TextEdit::insert(end, ")")],
                ));
            }
        }
        cx.report(finding);
    }
}

/// Whether a row lists any scope (not only "Not supported." or placeholders).
fn grants_scopes(row: &PermissionRow) -> bool {
    row.cells
        .iter()
        .flat_map(|c| &c.entries)
        .any(|e| !matches!(e.kind, EntryKind::NotSupported | EntryKind::Empty))
}

/// DL602: a table with a `Permission type` column names every configured type (a type the API
/// does not support gets `Not supported.`). Not judged when a row has an unknown type: DL605
/// reports that row, which is usually the missing type misspelt.
fn missing_types(
    cx: &mut Context<'_>,
    place: &Place<'_>,
    table: &PermissionTable,
    types: &[String],
) {
    if table.layout != TableLayout::TypesInRows {
        return;
    }
    let labels: Vec<&str> = table
        .rows
        .iter()
        .filter_map(|r| r.label.as_ref())
        .map(|l| l.text.as_str())
        .collect();
    let known = |label: &str| types.iter().any(|t| t.eq_ignore_ascii_case(label));
    if labels.is_empty() || !labels.iter().all(|l| known(l)) {
        return;
    }
    let missing: Vec<String> = types
        .iter()
        .filter(|t| !labels.iter().any(|l| l.eq_ignore_ascii_case(t)))
        .map(|t| quote(t))
        .collect();
    if !missing.is_empty() {
        // The table is there and reads right; it only leaves a type unsaid.
        cx.report(
            place
                .finding(
                    Rule::PermissionsTableMalformed,
                    table.header_span.clone(),
                    format!(
                        "the permissions table has no row for {}; add it, with `Not supported.` if the API does not support that type",
                        missing.join(" or ")
                    ),
                )
                .with_max_severity(Severity::Warning),
        );
    }
}

fn cells(cx: &mut Context<'_>, place: &Place<'_>, table: &PermissionTable) {
    for (r, row) in table.rows.iter().enumerate() {
        // An Intune "by workflow" row leaves its cell empty and lists the scopes in the
        // indented rows under it.
        let grouped = row.label.is_some()
            && table
                .rows
                .get(r + 1)
                .is_some_and(|next| next.label.is_none());
        let label = row.label.as_ref().map(|l| l.text.as_str());
        for cell in &row.cells {
            for entry in &cell.entries {
                match &entry.kind {
                    EntryKind::Placeholder => placeholder(cx, place, entry),
                    EntryKind::Empty if !grouped => empty_cell(cx, place, entry, label),
                    _ => {}
                }
            }
            unknown_scopes(cx, place, cell);
            duplicate_scopes(cx, place, cell);
        }
    }
}

fn placeholder(cx: &mut Context<'_>, place: &Place<'_>, entry: &ScopeEntry) {
    cx.report(place.finding(
        Rule::PermissionsTodo,
        entry.span.clone(),
        format!(
            "the permissions cell holds the placeholder {}; list the scopes, or write `Not supported.`",
            quote(&entry.text)
        ),
    ));
}

fn empty_cell(cx: &mut Context<'_>, place: &Place<'_>, entry: &ScopeEntry, label: Option<&str>) {
    let whose = label.map_or(String::new(), |l| format!(" for {}", quote(l)));
    cx.report(place.finding(
        Rule::PermissionsTodo,
        entry.span.clone(),
        format!("the permissions cell{whose} is empty; list the scopes, or write `Not supported.`"),
    ));
}

fn unknown_scopes(cx: &mut Context<'_>, place: &Place<'_>, cell: &ScopeCell) {
    if !cx.enabled(Rule::PermissionsScopeUnknown) {
        return;
    }
    let known = cx.settings.known_scopes.as_deref();
    let usage = cx.index.permissions.usage_in(cx.docset_id);
    for entry in &cell.entries {
        let names: &[String] = match &entry.kind {
            EntryKind::Scope => std::slice::from_ref(&entry.text),
            EntryKind::SpaceSeparated(names) => {
                cx.report(
                    place
                        .finding(
                            Rule::PermissionsScopeUnknown,
                            entry.span.clone(),
                            format!(
                                "{} is not a scope but {} scopes separated by spaces",
                                quote(&entry.text),
                                names.len()
                            ),
                        )
                        .with_help(format!("separate them with commas: `{}`", names.join(", "))),
                );
                names
            }
            EntryKind::Prose(names) => {
                if misplaced_space(cx, place, entry) {
                    continue;
                }
                names
            }
            _ => continue,
        };
        for name in names {
            let finding = match known {
                Some(list) => not_in_list(place, entry, name, list),
                // Without an allowlist, typos show only against the whole doc set's usage.
                None if !cx.index.complete => None,
                None => usage.likely_intended(name).map(|intended| {
                    place
                        .finding(
                            Rule::PermissionsScopeUnknown,
                            entry.span.clone(),
                            format!(
                                "{} is not a known scope: it appears on {} of the doc set, {} on {}",
                                quote(name),
                                pages(usage.pages(name)),
                                quote(intended),
                                pages(usage.pages(intended))
                            ),
                        )
                        .with_help(format!("did you mean {}?", quote(intended)))
                }),
            };
            if let Some(finding) = finding {
                cx.report(finding);
            }
        }
    }
}

/// `Directory AccessAsUser.All`: a space where a scope has a dot. Returns whether it reported.
fn misplaced_space(cx: &mut Context<'_>, place: &Place<'_>, entry: &ScopeEntry) -> bool {
    let words: Vec<&str> = entry.text.split_whitespace().collect();
    if !(2..=3).contains(&words.len()) {
        return false;
    }
    let joined = words.join(".");
    let known = match cx.settings.known_scopes.as_deref() {
        Some(list) => list.contains(&joined),
        None => {
            cx.index.complete
                && cx
                    .index
                    .permissions
                    .usage_in(cx.docset_id)
                    .is_common(&joined)
        }
    };
    if known {
        cx.report(
            place
                .finding(
                    Rule::PermissionsScopeUnknown,
                    entry.span.clone(),
                    format!(
                        "{} is not a scope: it has a space where a dot belongs",
                        quote(&entry.text)
                    ),
                )
                .with_help(format!("did you mean {}?", quote(&joined))),
        );
    }
    known
}

fn not_in_list(
    place: &Place<'_>,
    entry: &ScopeEntry,
    name: &str,
    list: &[String],
) -> Option<Finding> {
    if list.iter().any(|s| s == name) {
        return None;
    }
    let mut finding = place.finding(
        Rule::PermissionsScopeUnknown,
        entry.span.clone(),
        format!(
            "{} is not in the `[permissions] known-scopes` list",
            quote(name)
        ),
    );
    if let Some(close) = closest_scope(name, list.iter().map(String::as_str)) {
        finding = finding.with_help(format!("did you mean {}?", quote(close)));
    }
    Some(finding)
}

fn duplicate_scopes(cx: &mut Context<'_>, place: &Place<'_>, cell: &ScopeCell) {
    let mut seen: HashMap<String, Range<usize>> = HashMap::new();
    for entry in cell.entries.iter().filter(|e| e.kind == EntryKind::Scope) {
        let key = entry.text.to_lowercase();
        match seen.get(&key) {
            Some(first) => {
                let finding = place
                    .finding(
                        Rule::PermissionsScopeDuplicate,
                        entry.span.clone(),
                        format!(
                            "{} is listed twice in this cell; remove the repetition",
                            quote(&entry.text)
                        ),
                    )
                    .with_related(place.related(first.clone(), "first listed here"));
                cx.report(finding);
            }
            None => {
                seen.insert(key, entry.span.clone());
            }
        }
    }
}

/// DL608: the `scopes` of request annotations must be in the page's table.
fn request_scopes(cx: &mut Context<'_>, doc: &Document, page: &PagePermissions) {
    if !cx.enabled(Rule::RequestScopeNotInPermissions) {
        return;
    }
    let table_scopes: Vec<&str> = page
        .tables()
        .iter()
        .flat_map(|t| t.scopes().map(|(name, _)| name))
        .collect();
    if table_scopes.is_empty() {
        return;
    }
    for annotation in doc.annotations.iter().filter(|a| a.is("request")) {
        let Some(member) = annotation.value().and_then(|v| v.member("scopes")) else {
            continue;
        };
        let Some(value) = member.value.as_str() else {
            continue;
        };
        let value_span = annotation.abs(&member.value.span());
        let raw = doc.slice(&value_span);
        for scope in value.split_whitespace() {
            if table_scopes.iter().any(|s| s.eq_ignore_ascii_case(scope)) {
                continue;
            }
            // Point at the scope itself when the JSON string is written without escapes.
            let span = match raw.get(1..raw.len().saturating_sub(1)) {
                Some(inner) if inner == value => {
                    inner.find(scope).map_or(value_span.clone(), |at| {
                        value_span.start + 1 + at..value_span.start + 1 + at + scope.len()
                    })
                }
                _ => value_span.clone(),
            };
            let mut finding = Finding::new(
                Rule::RequestScopeNotInPermissions,
                span,
                format!(
                    "the request's scope {} is not in the page's permissions table",
                    quote(scope)
                ),
            );
            if let Some(close) = closest_scope(scope, table_scopes.iter().copied()) {
                finding = finding.with_help(format!("did you mean {}?", quote(close)));
            }
            cx.report(finding);
        }
    }
}

/// The scope closest to `name` (case-insensitive), if at most three edits away: scope names
/// share most of their text, so the general did-you-mean threshold suggests unrelated scopes.
fn closest_scope<'a>(name: &str, scopes: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let lower = name.to_lowercase();
    scopes
        .into_iter()
        .map(|s| (strsim::damerau_levenshtein(&lower, &s.to_lowercase()), s))
        .filter(|(d, _)| *d <= 3)
        .min_by_key(|(d, _)| *d)
        .map(|(_, s)| s)
}

fn header_text(table: &PermissionTable) -> String {
    table
        .header
        .iter()
        .map(|h| h.text.as_str())
        .collect::<Vec<_>>()
        .join(" | ")
}

fn order_phrase(order: PermissionOrder) -> &'static str {
    match order {
        PermissionOrder::LeastToMost => "from least to most privileged",
        PermissionOrder::MostToLeast => "from most to least privileged",
    }
}

fn pages(n: usize) -> String {
    if n == 1 {
        "1 page".into()
    } else {
        format!("{n} pages")
    }
}

fn quote(text: &str) -> String {
    format!("`{text}`")
}
