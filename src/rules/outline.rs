//! Structure rules about a page's outline: DL703 document-outline and DL707 tab-group-invalid.
//!
//! DL703 checks headings against ApiDoctor's document-outline configuration for the page's
//! `doc_type` (errors for missing, wrongly cased and misspelt headings; warnings for headings
//! out of order) and, without one, API pages against the usual Graph layout (warnings only).
//! DL707 checks DocFX tab groups (`# [HTTP](#tab/http)` … `---`). DL709 (in `extra`) reports
//! the headings a configured outline has no place for.

mod extra;

use std::ops::Range;

use serde_json::Value;

use super::Context;
use crate::diagnostic::{Finding, Severity};
use crate::document::{BlockKind, Document, Heading};
use crate::fix::{Fix, TextEdit};
use crate::rule::Rule;

/// Checks the page's outline and its tab groups.
pub fn check(cx: &mut Context<'_>) {
    let outlined = cx.enabled(Rule::DocumentOutline) || cx.enabled(Rule::HeadingNotInOutline);
    if outlined && !cx.doc.kind.fragment {
        outline(cx);
    }
    if cx.enabled(Rule::TabGroupInvalid) {
        tab_groups(cx);
    }
}

// ---------------------------------------------------------------------------------------
// DL703 document-outline

/// One expected heading, or a condition over several.
#[derive(Debug, Clone, PartialEq)]
enum Item {
    Heading(Expected),
    /// `{"condition": "OR", "arguments": […]}`: one of the arguments must hold.
    AnyOf(Vec<Item>),
    /// `{"condition": "AND", "arguments": […]}`: all of them.
    AllOf(Vec<Item>),
}

/// An expected heading: title pattern (`Permissions`, `*`, `* values`, `prefix *`), level,
/// whether it is required, whether it may occur more than once (`allowMultiple`, or Graph's
/// `multiple`), and the headings expected under it.
#[derive(Debug, Clone, PartialEq)]
struct Expected {
    title: String,
    level: u8,
    required: bool,
    allow_multiple: bool,
    children: Vec<Item>,
}

impl Expected {
    fn new(title: &str, level: u8, required: bool) -> Self {
        Expected {
            title: title.to_string(),
            level,
            required,
            allow_multiple: false,
            children: Vec::new(),
        }
    }

    fn is_pattern(&self) -> bool {
        self.title.contains('*')
    }

    /// Whether `text` matches the title pattern exactly (case-sensitive).
    fn matches(&self, text: &str) -> bool {
        pattern_matches(&self.title, text)
    }
}

fn pattern_matches(pattern: &str, text: &str) -> bool {
    match pattern.split_once('*') {
        None => pattern == text,
        Some((prefix, suffix)) => {
            text.len() >= prefix.len() + suffix.len()
                && text.starts_with(prefix)
                && text.ends_with(suffix)
        }
    }
}

/// Reads a configured outline list; entries that are neither a heading nor a condition are
/// skipped.
fn parse_items(value: &Value) -> Vec<Item> {
    value
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(parse_item)
        .collect()
}

fn parse_item(value: &Value) -> Option<Item> {
    if let Some(condition) = value.get("condition").and_then(Value::as_str) {
        let arguments = parse_items(value.get("arguments")?);
        return Some(if condition.eq_ignore_ascii_case("and") {
            Item::AllOf(arguments)
        } else {
            Item::AnyOf(arguments)
        });
    }
    let title = value.get("title")?.as_str()?;
    let level = value.get("level").and_then(Value::as_u64).unwrap_or(2);
    let mut expected = Expected::new(
        title,
        u8::try_from(level.clamp(1, 6)).unwrap_or(2),
        value
            .get("required")
            .and_then(Value::as_bool)
            .unwrap_or(false),
    );
    expected.allow_multiple = ["allowMultiple", "multiple"]
        .iter()
        .any(|key| value.get(key).and_then(Value::as_bool) == Some(true));
    if let Some(children) = value.get("headers") {
        expected.children = parse_items(children);
    }
    Some(Item::Heading(expected))
}

/// The built-in outline for API pages: the Graph template's sections, in order.
fn default_api_outline() -> Vec<Item> {
    let h2 = |title: &str, required: bool| Item::Heading(Expected::new(title, 2, required));
    vec![
        h2("Permissions", false),
        h2("HTTP request", true),
        h2("Optional query parameters", false),
        h2("Request headers", false),
        h2("Request body", false),
        h2("Response", false),
        Item::AnyOf(vec![h2("Example", false), h2("Examples", false)]),
    ]
}

/// A problem with the outline, before it becomes a finding.
struct Problem {
    span: Range<usize>,
    message: String,
    /// Errors from a configured outline may stay errors; positions are always warnings.
    serious: bool,
    help: Option<String>,
    fix: Option<Fix>,
}

/// Walks expected items against the headings of one section.
struct OutlineCheck<'a> {
    /// The page's text.
    text: &'a str,
    headings: &'a [&'a Heading],
    problems: Vec<Problem>,
    /// Headings matched so far (to tell which alternative of a condition came closest).
    matched: usize,
}

impl OutlineCheck<'_> {
    /// Checks `items` against the headings `scope` (indices into `headings`); `owner` is where
    /// a missing heading is reported.
    fn items(&mut self, items: &[Item], scope: Range<usize>, owner: &Range<usize>) {
        let mut last: Option<usize> = None;
        for item in items {
            self.item(item, scope.clone(), owner, &mut last);
        }
    }

    fn item(
        &mut self,
        item: &Item,
        scope: Range<usize>,
        owner: &Range<usize>,
        last: &mut Option<usize>,
    ) {
        match item {
            Item::Heading(expected) => self.heading(expected, scope, owner, last),
            Item::AllOf(items) => {
                for item in items {
                    self.item(item, scope.clone(), owner, last);
                }
            }
            Item::AnyOf(items) => {
                // The first alternative that holds wins; if none does, report the one that came
                // closest.
                // closest: most headings matched, then fewest problems.
                let mut best: Option<(Vec<Problem>, Option<usize>, usize)> = None;
                for item in items {
                    let saved = std::mem::take(&mut self.problems);
                    let matched_before = self.matched;
                    let mut position = *last;
                    self.item(item, scope.clone(), owner, &mut position);
                    let problems = std::mem::replace(&mut self.problems, saved);
                    let matched = self.matched - matched_before;
                    self.matched = matched_before;
                    if problems.iter().all(|p| !p.serious) {
                        self.problems.extend(problems);
                        self.matched += matched;
                        *last = position;
                        return;
                    }
                    let closer = best.as_ref().is_none_or(|(b, _, m)| {
                        matched > *m || (matched == *m && problems.len() < b.len())
                    });
                    if closer {
                        best = Some((problems, position, matched));
                    }
                }
                if let Some((problems, position, matched)) = best {
                    self.problems.extend(problems);
                    self.matched += matched;
                    *last = position;
                }
            }
        }
    }

    fn heading(
        &mut self,
        expected: &Expected,
        scope: Range<usize>,
        owner: &Range<usize>,
        last: &mut Option<usize>,
    ) {
        let headings = self.headings;
        let found = scope
            .clone()
            .find(|&i| headings[i].level == expected.level && expected.matches(&headings[i].text));
        let Some(i) = found else {
            self.absent(expected, scope, owner);
            return;
        };
        self.matched += 1;
        match *last {
            Some(l) if i < l => self.problems.push(Problem {
                span: headings[i].span(),
                message: format!(
                    "the heading `{}` comes before `{}`, but the outline puts it after",
                    render(headings[i]),
                    render(headings[l])
                ),
                serious: false,
                help: None,
                fix: None,
            }),
            _ => *last = Some(i),
        }
        if !expected.children.is_empty() {
            let end = (i + 1..scope.end)
                .find(|&j| headings[j].level <= headings[i].level)
                .unwrap_or(scope.end);
            let span = headings[i].span();
            self.items(&expected.children, i + 1..end, &span);
        }
    }

    /// No heading matches `expected`: a wrongly cased or misspelt one, or a missing one.
    /// A heading that stands where the outline expects `expected` but is written differently.
    fn misnamed(&mut self, heading: &Heading, expected: &Expected, how: &str) {
        let fix = if how == CASE_ONLY {
            recase(self.text, heading, &expected.title)
        } else {
            None
        };
        self.problems.push(Problem {
            span: heading.span(),
            message: format!(
                "the heading `{}` {how} the outline's `{}`",
                render(heading),
                expected.title
            ),
            serious: true,
            help: Some(format!(
                "write `{} {}`",
                "#".repeat(usize::from(expected.level)),
                expected.title
            )),
            fix,
        });
    }

    fn absent(&mut self, expected: &Expected, scope: Range<usize>, owner: &Range<usize>) {
        let headings = self.headings;
        let same_level = || {
            scope
                .clone()
                .filter(|&i| headings[i].level == expected.level)
        };
        if !expected.is_pattern() {
            if let Some(i) =
                same_level().find(|&i| headings[i].text.eq_ignore_ascii_case(&expected.title))
            {
                self.misnamed(headings[i], expected, CASE_ONLY);
                return;
            }
            let title = expected.title.to_lowercase();
            let misspelt = same_level().find(|&i| {
                let text = &headings[i].text;
                // Cheap length test first: most headings are nowhere near the title.
                text.len() > 3 && crate::schema::registry::could_be_within(text, &title, 2) && {
                    let distance = strsim::osa_distance(&text.to_lowercase(), &title);
                    distance > 0 && distance < 3
                }
            });
            if let Some(i) = misspelt {
                self.misnamed(headings[i], expected, "looks like a misspelling of");
                return;
            }
        }
        if expected.required {
            let what = if expected.is_pattern() {
                format!(
                    "a level-{} heading matching `{}`",
                    expected.level, expected.title
                )
            } else {
                format!(
                    "the heading `{} {}`",
                    "#".repeat(usize::from(expected.level)),
                    expected.title
                )
            };
            self.problems.push(Problem {
                span: owner.clone(),
                message: format!("the page lacks {what}, which its outline requires"),
                serious: true,
                help: None,
                fix: None,
            });
        }
    }
}

/// How `misnamed` describes a heading that differs from the outline only in case.
const CASE_ONLY: &str = "differs in case from";

/// The safe fix that writes `title` over a heading's text that differs from it only in case,
/// when the text stands verbatim on the heading's first line (no inline markup or escapes).
/// The heading's anchor is lower-cased, so no link to it breaks.
fn recase(text: &str, heading: &Heading, title: &str) -> Option<Fix> {
    let line_end = text
        .get(heading.span())?
        .find(['\r', '\n'])
        .map_or(heading.span().end, |i| heading.span().start + i);
    let line = text.get(heading.span().start..line_end)?;
    let content = line.trim_start_matches([' ', '#']);
    let offset = line.len() - content.len();
    let mut found = content.match_indices(&*heading.text);
    let (at, _) = found.next()?;
    if found.next().is_some() || !heading.text.eq_ignore_ascii_case(title) {
        return None;
    }
    let start = heading.span().start + offset + at;
    Some(Fix::safe(
        format!("write `{} {title}`", "#".repeat(usize::from(heading.level))),
        vec![TextEdit::replace(start..start + heading.text.len(), title)],
    ))
}

fn render(heading: &Heading) -> String {
    format!(
        "{} {}",
        "#".repeat(usize::from(heading.level)),
        heading.text
    )
}

/// The outline a page is checked against: the configured one for its `doc_type` (`true`), or
/// the built-in one for API pages (`false`). As in ApiDoctor, only the front matter's
/// `doc_type` says which outline applies; concept pages that show requests are not API
/// reference pages.
fn outline_for(cx: &Context<'_>) -> Option<(Vec<Item>, bool)> {
    let page_type = cx.doc.doc_type()?.trim().to_string();
    if let Some(Value::Object(config)) = &cx.docset.outline {
        let configured = config
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(&page_type))
            .map(|(_, items)| parse_items(items));
        if let Some(items) = configured {
            return Some((items, true));
        }
    }
    // A page that defines a resource is a resource page whatever its `doc_type` says; the
    // API template does not fit it.
    (page_type.eq_ignore_ascii_case("apiPageType") && !cx.doc.kind.resource)
        .then(|| (default_api_outline(), false))
}

fn outline(cx: &mut Context<'_>) {
    let Some((items, configured)) = outline_for(cx) else {
        return;
    };
    let doc = cx.doc;
    let headings: Vec<&Heading> = doc.headings.iter().filter(|h| h.tab().is_none()).collect();
    let owner = doc.h1s().next().map_or(0..0, |h| h.span());
    let mut check = OutlineCheck {
        text: &doc.text,
        headings: &headings,
        problems: Vec::new(),
        matched: 0,
    };
    check.items(&items, 0..headings.len(), &owner);
    if configured {
        let page_type = doc.doc_type().unwrap_or_default().trim();
        extra::check(cx, &items, &headings, page_type);
    }
    let source = if configured {
        "the doc set's document outline"
    } else {
        "the usual API page outline (no outline is configured)"
    };
    for problem in check.problems {
        let severity = if configured && problem.serious {
            Severity::Error
        } else {
            Severity::Warning
        };
        let mut finding = Finding::new(
            Rule::DocumentOutline,
            problem.span,
            format!("{} ({source})", problem.message),
        )
        .with_max_severity(severity);
        if let Some(help) = problem.help {
            finding = finding.with_help(help);
        }
        if let Some(fix) = problem.fix {
            finding = finding.with_fix(fix);
        }
        cx.report(finding);
    }
}

// ---------------------------------------------------------------------------------------
// DL707 tab-group-invalid

/// A run of tab headings closed by `---` (or not).
struct TabGroup<'a> {
    tabs: Vec<&'a Heading>,
    /// What ended the group when it is not closed: a heading, or the end of the page.
    interrupted_by: Option<Option<&'a Heading>>,
}

impl TabGroup<'_> {
    fn ids(&self) -> impl Iterator<Item = &str> {
        self.tabs.iter().filter_map(|t| t.tab())
    }
}

fn groups(doc: &Document) -> Vec<TabGroup<'_>> {
    let mut groups = Vec::new();
    let mut open: Option<TabGroup<'_>> = None;
    for block in &doc.blocks {
        match block.kind {
            BlockKind::Heading(h) => {
                let heading = &doc.headings[h as usize];
                if heading.tab().is_some() {
                    open.get_or_insert_with(|| TabGroup {
                        tabs: Vec::new(),
                        interrupted_by: None,
                    })
                    .tabs
                    .push(heading);
                } else if let Some(group) = open.as_mut() {
                    // A deeper heading is content of the current tab, as in DocFX; one at the
                    // tab's level or above ends the group.
                    if heading.level <= group.tabs[0].level {
                        group.interrupted_by = Some(Some(heading));
                        groups.extend(open.take());
                    }
                }
            }
            BlockKind::Rule => groups.extend(open.take()),
            _ => {}
        }
    }
    if let Some(mut group) = open {
        group.interrupted_by = Some(None);
        groups.push(group);
    }
    groups
}

fn tab_groups(cx: &mut Context<'_>) {
    let doc = cx.doc;
    let groups = groups(doc);
    let Some(first) = groups.first() else {
        return;
    };
    let first_ids: Vec<&str> = first.ids().collect();
    for (n, group) in groups.iter().enumerate() {
        unclosed(cx, group);
        let misordered = !http_first(cx, doc, group);
        duplicates(cx, group);
        if is_api_page(doc) {
            outside_examples(cx, doc, group);
            single_tab(cx, group);
        }
        // Concept pages may hold unrelated groups (install steps, then code samples); a group
        // already reported for not starting with HTTP is not reported again for its order.
        if n > 0 && is_api_page(doc) && !misordered {
            consistent(cx, group, &first_ids, first.tabs[0]);
        }
    }
    case_drift(cx, &groups);
}

/// A page whose front matter says `doc_type: apiPageType` (as in ApiDoctor, whose tab checks
/// cover only those).
fn is_api_page(doc: &Document) -> bool {
    doc.doc_type()
        .is_some_and(|t| t.eq_ignore_ascii_case("apiPageType"))
}

fn tab_label(tab: &Heading) -> String {
    format!("# [{}](#tab/{})", tab.text, tab.tab().unwrap_or(""))
}

fn unclosed(cx: &mut Context<'_>, group: &TabGroup<'_>) {
    let Some(end) = group.interrupted_by else {
        return;
    };
    let first = group.tabs[0];
    let last = group.tabs[group.tabs.len() - 1];
    let (what, related) = match end {
        Some(heading) => (
            format!("before the heading `{}`", render(heading)),
            Some(
                cx.doc
                    .related(heading.span(), "the heading that ends the group"),
            ),
        ),
        None => ("before the end of the page".to_string(), None),
    };
    let mut finding = Finding::new(
        Rule::TabGroupInvalid,
        first.span(),
        format!(
            "the tab group that starts with `{}` is not closed: no `---` line follows its last tab `{}` {what}, so DocFX puts everything up to there in that tab",
            tab_label(first),
            tab_label(last)
        ),
    )
    .with_help("end the group with a `---` line after the last tab's content");
    if let Some(related) = related {
        finding = finding.with_related(related);
    }
    cx.report(finding);
}

/// Reports a group on an API page (or with an HTTP tab) that does not start with the HTTP
/// tab; `false` when it reported.
/// On an API page, a tab group before the Examples section: DocFX tabs show the code
/// samples of an example; elsewhere the page's sections are the same for every language.
fn outside_examples(cx: &mut Context<'_>, doc: &Document, group: &TabGroup<'_>) {
    let first = group.tabs[0];
    let in_examples = doc
        .headings
        .iter()
        .take_while(|h| h.span().start < first.span().start)
        .any(|h| {
            h.tab().is_none()
                && h.text
                    .trim_start()
                    .get(..7)
                    .is_some_and(|w| w.eq_ignore_ascii_case("example"))
        });
    if in_examples {
        return;
    }
    cx.report(
        Finding::new(
            Rule::TabGroupInvalid,
            first.span(),
            format!(
                "the tab group that starts with `{}` comes before the Examples section; on API pages tab groups hold the code samples of an example",
                tab_label(first)
            ),
        )
        .with_help("move the group under an `## Examples` heading, or drop the tabs")
        .with_max_severity(Severity::Warning),
    );
}

/// A closed tab group with a single tab: DocFX shows a tab strip with nothing to switch to.
fn single_tab(cx: &mut Context<'_>, group: &TabGroup<'_>) {
    if group.tabs.len() != 1 || group.interrupted_by.is_some() {
        return;
    }
    let tab = group.tabs[0];
    cx.report(
        Finding::new(
            Rule::TabGroupInvalid,
            tab.span(),
            format!(
                "the tab group has only the tab `{}`; a group of one tab shows a tab strip with nothing to switch to",
                tab_label(tab)
            ),
        )
        .with_help("add the other languages' tabs, or remove the tab heading and its `---` line")
        .with_max_severity(Severity::Warning),
    );
}

fn http_first(cx: &mut Context<'_>, doc: &Document, group: &TabGroup<'_>) -> bool {
    let has_http = group.ids().any(|id| id.eq_ignore_ascii_case("http"));
    let first = group.tabs[0];
    if !(is_api_page(doc) || has_http) || first.tab() == Some("http") {
        return true;
    }
    cx.report(
        Finding::new(
            Rule::TabGroupInvalid,
            first.span(),
            format!(
                "the tab group starts with `{}`; on API pages the HTTP tab comes first",
                tab_label(first)
            ),
        )
        .with_help("start the group with `# [HTTP](#tab/http)` and the request block"),
    );
    false
}

fn duplicates(cx: &mut Context<'_>, group: &TabGroup<'_>) {
    for (i, tab) in group.tabs.iter().enumerate() {
        let id = tab.tab().unwrap_or("");
        if let Some(earlier) = group.tabs[..i].iter().find(|t| t.tab() == Some(id)) {
            cx.report(
                Finding::new(
                    Rule::TabGroupInvalid,
                    tab.span(),
                    format!("the tab `{}` appears twice in its group", tab_label(tab)),
                )
                .with_related(cx.doc.related(earlier.span(), "the first tab with this id")),
            );
        }
    }
}

/// Later groups use the first group's tabs, in its order and spelling.
fn consistent(cx: &mut Context<'_>, group: &TabGroup<'_>, first_ids: &[&str], first_tab: &Heading) {
    let mut previous: Option<usize> = None;
    for tab in &group.tabs {
        let id = tab.tab().unwrap_or("");
        let position = first_ids.iter().position(|f| *f == id);
        let problem = match position {
            None => match first_ids.iter().find(|f| f.eq_ignore_ascii_case(id)) {
                Some(spelling) => Some((format!(
                    "the tab id `{id}` differs in case from `{spelling}` in the page's first tab group; DocFX keeps tabs in sync only when their ids are identical"
                ), false)),
                None => Some((format!(
                    "the tab `{}` is not in the page's first tab group ({}); every group offers the same tabs",
                    tab_label(tab),
                    first_ids.join(", ")
                ), false)),
            },
            Some(p) if previous.is_some_and(|q| p < q) => Some((format!(
                "the tab `{}` is out of order: the page's first tab group has the order {}",
                tab_label(tab),
                first_ids.join(", ")
            ), true)),
            Some(_) => None,
        };
        if let Some(p) = position {
            previous = Some(p);
        }
        if let Some((message, order_only)) = problem {
            let mut finding = Finding::new(Rule::TabGroupInvalid, tab.span(), message)
                .with_related(cx.doc.related(first_tab.span(), "the first tab group"));
            if order_only {
                // Every tab is there and renders; only the reader's expectation suffers.
                finding = finding.with_max_severity(Severity::Warning);
            }
            cx.report(finding);
        }
    }
}

/// A tab id spelt differently from the same id everywhere else in the doc set.
fn case_drift(cx: &mut Context<'_>, groups: &[TabGroup<'_>]) {
    // A doc-set rule: with only named files loaded, other pages' tabs are unknown.
    if !cx.index.complete {
        return;
    }
    let spellings = cx.index.tab_ids(cx.docset_id);
    let first_ids: Vec<&str> = groups[0].ids().collect();
    let mut reported: Vec<&str> = Vec::new();
    for tab in groups.iter().flat_map(|g| g.tabs.iter()) {
        let id = tab.tab().unwrap_or("");
        // Within the page, the first group decides (see `consistent`).
        let page_drift = is_api_page(cx.doc)
            && !first_ids.contains(&id)
            && first_ids.iter().any(|f| f.eq_ignore_ascii_case(id));
        if page_drift || reported.contains(&id) {
            continue;
        }
        let Some(usage) = spellings.get(&id.to_lowercase()) else {
            continue;
        };
        let Some((dominant, count)) = usage.first() else {
            continue;
        };
        let own = usage.iter().find(|(s, _)| s == id).map_or(0, |(_, n)| *n);
        // Only a clear majority spelling is the doc set's convention.
        if dominant != id && *count >= 2 * own.max(1) {
            reported.push(id);
            cx.report(
                Finding::new(
                    Rule::TabGroupInvalid,
                    tab.span(),
                    format!(
                        "the tab id `{id}` differs in case from `{dominant}`, which {count} tabs in the doc set use; DocFX keeps the reader's tab choice only across identical ids"
                    ),
                )
                .with_help(format!("write `#tab/{dominant}`"))
                .with_max_severity(Severity::Warning),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_match_like_apidoctor() {
        assert!(pattern_matches("Members", "Members"));
        assert!(!pattern_matches("Members", "members"));
        assert!(pattern_matches("*", "anything"));
        assert!(pattern_matches("* values", "riskLevel values"));
        assert!(!pattern_matches("* values", "values list"));
        assert!(pattern_matches("Example *", "Example 1: get"));
        assert!(!pattern_matches("* enum type", ""));
    }

    #[test]
    fn configured_outlines_parse() {
        let config: Value = serde_json::from_str(
            r#"[{"condition": "OR", "arguments": [
                 {"title": "* values", "level": 3, "required": true, "multiple": true},
                 {"title": "* enum type", "level": 1, "required": true,
                  "headers": [{"title": "Members", "level": 2, "required": true}]}]},
               {"level": 2}]"#,
        )
        .unwrap();
        let items = parse_items(&config);
        assert_eq!(items.len(), 1);
        let Item::AnyOf(arguments) = &items[0] else {
            panic!("expected a condition");
        };
        let Item::Heading(enum_type) = &arguments[1] else {
            panic!("expected a heading");
        };
        assert_eq!(
            (
                enum_type.title.as_str(),
                enum_type.level,
                enum_type.required
            ),
            ("* enum type", 1, true)
        );
        assert_eq!(
            enum_type.children,
            vec![Item::Heading(Expected::new("Members", 2, true))]
        );
    }
}
