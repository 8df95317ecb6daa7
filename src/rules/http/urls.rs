//! Request URLs: DL307 http-base-url, DL308 http-url-not-in-syntax, DL309
//! http-placeholder-style.

use std::ops::Range;

use super::{Example, Page, Template};
use crate::diagnostic::Finding;
use crate::rule::Rule;
use crate::rules::Context;
use crate::schema::urls::{matches_pieces, pieces, split_origin, template_matches, Bases};

/// Checks example URLs against the allowed base URLs and the page's syntax, and placeholder
/// naming across the page.
pub(super) fn check(cx: &mut Context<'_>, page: &Page<'_>) {
    let docset = cx.docset;
    let bases = docset.bases();
    // Each syntax line's API paths, computed once per page when DL308 needs them.
    let mut syntax: Option<Vec<(&Template, Vec<String>)>> = None;
    for example in &page.examples {
        let Some(request) = example.request() else {
            continue;
        };
        if example.annotation.get_bool("opaqueUrl") == Some(true) {
            continue;
        }
        let target = &request.target.value;
        let Some(paths) = bases.paths(target) else {
            base_url(cx, example, bases);
            continue;
        };
        let compared = example.in_example_section && !example.in_syntax_section;
        if compared && !page.templates.is_empty() && cx.enabled(Rule::HttpUrlNotInSyntax) {
            let syntax = syntax.get_or_insert_with(|| {
                page.templates
                    .iter()
                    .filter_map(|t| Some((t, bases.paths(&t.path)?)))
                    .collect()
            });
            not_in_syntax(cx, page, example, &paths, syntax);
        }
    }
    if cx.enabled(Rule::HttpPlaceholderStyle) {
        placeholder_style(cx, page);
    }
}

// ---------------------------------------------------------------------------------------
// Base URLs

/// DL307: an absolute request URL under none of the allowed base URLs.
fn base_url(cx: &mut Context<'_>, example: &Example<'_>, bases: &Bases) {
    let Some(request) = example.request() else {
        return;
    };
    let target = &request.target.value;
    let mut finding = Finding::new(
        Rule::HttpBaseUrl,
        example.at(&request.target.span),
        format!(
            "request URL `{}` is not under an allowed base URL ({})",
            shorten(target),
            bases
                .written
                .iter()
                .map(|b| format!("`{b}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    );
    if let Some(base) = closest_base(target, &bases.written) {
        finding = finding.with_help(format!("did you mean `{base}`?"));
    } else {
        finding = finding.with_help(
            "use an allowed base URL, add this one to `[http] base-urls`, or set `\"opaqueUrl\": true` on a request to a URL the service returned",
        );
    }
    cx.report(finding);
}

/// The allowed base that `target` most likely meant: same host, and a first path segment
/// that differs only in case or by a typo (`V1.0`, `v1` for `v1.0`).
fn closest_base<'a>(target: &str, bases: &'a [String]) -> Option<&'a str> {
    let (origin, path) = split_origin(target)?;
    let segment = first_segment(path).to_ascii_lowercase();
    bases
        .iter()
        .filter_map(|base| {
            let (base_origin, base_path) = split_origin(base)?;
            if !origin.eq_ignore_ascii_case(base_origin) {
                return None;
            }
            let wanted = first_segment(base_path).to_ascii_lowercase();
            let distance = strsim::damerau_levenshtein(&segment, &wanted);
            (distance <= 2 && distance < wanted.len().max(1)).then_some((distance, base.as_str()))
        })
        .min()
        .map(|(_, base)| base)
}

fn first_segment(path: &str) -> &str {
    let path = path.strip_prefix('/').unwrap_or(path);
    path.split(['/', '?', '#']).next().unwrap_or("")
}

fn shorten(text: &str) -> String {
    const MAX_CHARS: usize = 100;
    match text.char_indices().nth(MAX_CHARS) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_string(),
    }
}

// ---------------------------------------------------------------------------------------
// Syntax templates

/// DL308: the example's method and path match no syntax line of the page.
fn not_in_syntax(
    cx: &mut Context<'_>,
    page: &Page<'_>,
    example: &Example<'_>,
    paths: &[String],
    syntax: &[(&Template, Vec<String>)],
) {
    let Some(request) = example.request() else {
        return;
    };
    let method = request.method.value.to_ascii_uppercase();
    let mut path_matches: Option<&Template> = None;
    for (template, candidates) in syntax {
        let matches = candidates
            .iter()
            .any(|t| paths.iter().any(|p| template_matches(t, p)));
        if matches {
            if template.method == method {
                return;
            }
            path_matches.get_or_insert(template);
        }
    }
    let doc = page.doc;
    let shown = format!("{} {}", request.method.value, request.target.value);
    let finding = match path_matches {
        Some(template) => Finding::new(
            Rule::HttpUrlNotInSyntax,
            example.at(&request.method.span),
            format!(
                "the HTTP request section lists this path for {} only, not for {}",
                methods_for(page, template),
                request.method.value
            ),
        )
        .with_help(format!(
            "the syntax line is `{} {}`",
            template.method, template.path
        ))
        .with_related(doc.related(template.line.clone(), "the syntax line")),
        None => {
            let mut finding = Finding::new(
                Rule::HttpUrlNotInSyntax,
                example.line(),
                format!(
                    "`{}` matches no URL of the page's HTTP request section",
                    shorten(&shown)
                ),
            );
            if let Some(template) = closest_template(syntax, &method, paths) {
                let advice = if has_literal_id(&template.path) {
                    "the syntax line holds a literal id where a `{placeholder}` belongs"
                } else {
                    "add the URL there or fix the example"
                };
                finding = finding
                    .with_help(format!(
                        "the closest syntax line is `{} {}`; {advice}",
                        template.method, template.path
                    ))
                    .with_related(
                        doc.related(template.path_span.clone(), "the closest syntax line"),
                    );
            }
            finding
        }
    };
    cx.report(finding);
}

/// Whether a path has a segment that looks like a GUID (`acdefc6b-2dc6-4e71-…`).
fn has_literal_id(path: &str) -> bool {
    path.split(['/', '(', ')', '\'', '=']).any(is_guid)
}

/// Whether a key is a GUID (`acdefc6b-2dc6-4e71-9a83-5f2406dee5bd`).
pub(super) fn is_guid(key: &str) -> bool {
    key.len() == 36
        && key.bytes().enumerate().all(|(i, b)| {
            if matches!(i, 8 | 13 | 18 | 23) {
                b == b'-'
            } else {
                b.is_ascii_hexdigit()
            }
        })
}

/// The methods the syntax lists for the same path as `template`, e.g. "`GET`, `PATCH`".
fn methods_for(page: &Page<'_>, template: &Template) -> String {
    let mut methods: Vec<&str> = page
        .templates
        .iter()
        .filter(|t| t.path == template.path)
        .map(|t| t.method.as_str())
        .collect();
    methods.dedup();
    join_words(methods.iter().map(|m| format!("`{m}`")).collect())
}

/// The syntax line most similar to the example: the same method first, then the most
/// segments that match position by position, then the closest segment count.
fn closest_template<'t>(
    syntax: &[(&'t Template, Vec<String>)],
    method: &str,
    paths: &[String],
) -> Option<&'t Template> {
    let path = paths.first()?;
    let path_segments: Vec<&str> = path.split('/').collect();
    syntax
        .iter()
        .filter_map(|(template, candidates)| {
            let candidate = candidates.first()?;
            let segments: Vec<&str> = candidate.split('/').collect();
            let matching = segments
                .iter()
                .zip(&path_segments)
                .filter(|(t, p)| matches_pieces(&pieces(t), p))
                .count();
            let length_gap = segments.len().abs_diff(path_segments.len());
            let key = (
                template.method == method,
                matching,
                std::cmp::Reverse(length_gap),
            );
            Some((key, *template))
        })
        .max_by_key(|(key, _)| *key)
        .map(|(_, template)| template)
}

// ---------------------------------------------------------------------------------------
// Placeholder style

/// How a placeholder name is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    /// `driveId`.
    Camel,
    /// `drive-id`.
    Kebab,
    /// `drive_id`.
    Snake,
}

impl Style {
    fn describe(self) -> &'static str {
        match self {
            Style::Camel => "camelCase",
            Style::Kebab => "kebab-case",
            Style::Snake => "snake_case",
        }
    }

    /// The name rewritten in this style.
    fn rewrite(self, name: &str) -> String {
        let mut words: Vec<String> = Vec::new();
        let mut current = String::new();
        let mut previous_lower = false;
        for c in name.chars() {
            if c == '-' || c == '_' {
                words.push(std::mem::take(&mut current));
                previous_lower = false;
                continue;
            }
            if c.is_ascii_uppercase() && previous_lower {
                words.push(std::mem::take(&mut current));
            }
            previous_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
            current.push(c);
        }
        words.push(current);
        let words: Vec<String> = words
            .into_iter()
            .filter(|w| !w.is_empty())
            .map(|w| w.to_ascii_lowercase())
            .collect();
        match self {
            Style::Kebab => words.join("-"),
            Style::Snake => words.join("_"),
            Style::Camel => words
                .iter()
                .enumerate()
                .map(|(i, w)| {
                    if i == 0 {
                        w.clone()
                    } else {
                        let mut chars = w.chars();
                        chars
                            .next()
                            .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
                            .unwrap_or_default()
                    }
                })
                .collect(),
        }
    }
}

/// The style of a placeholder name (the first alternative of `{id | userPrincipalName}`);
/// `None` for names that show no style (`id`, `Id`) or are not identifiers.
fn style_of(name: &str) -> Option<Style> {
    let first = name.split('|').next().unwrap_or(name).trim();
    // `{66f5a359-4659-…}` is a GUID in braces, not a placeholder.
    if !first.starts_with(|c: char| c.is_ascii_alphabetic())
        || !first
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return None;
    }
    let dash = first.contains('-');
    let underscore = first.contains('_');
    let bytes = first.as_bytes();
    let inner_upper = bytes
        .windows(2)
        .any(|w| (w[0].is_ascii_lowercase() || w[0].is_ascii_digit()) && w[1].is_ascii_uppercase());
    match (dash, underscore, inner_upper) {
        (true, false, _) => Some(Style::Kebab),
        (false, true, _) => Some(Style::Snake),
        (false, false, true) => Some(Style::Camel),
        _ => None,
    }
}

/// A placeholder written in a syntax line or an example URL.
struct Placeholder<'t> {
    /// The name between the braces.
    name: &'t str,
    /// The braces and name, in the page.
    span: Range<usize>,
    /// The line it is on (syntax line or request line), for grouping.
    line: Range<usize>,
    style: Style,
}

/// The styled placeholders of the text at `base` in the page.
fn placeholders<'t>(
    text: &'t str,
    base: usize,
    line: &Range<usize>,
    out: &mut Vec<Placeholder<'t>>,
) {
    let mut from = 0;
    while let Some(open) = text[from..].find('{').map(|i| from + i) {
        let Some(close) = text[open..].find('}').map(|i| open + i) else {
            break;
        };
        let name = &text[open + 1..close];
        if let Some(style) = style_of(name) {
            out.push(Placeholder {
                name,
                span: base + open..base + close + 1,
                line: line.clone(),
                style,
            });
        }
        from = close + 1;
    }
}

/// DL309: placeholder names of different styles on one page; reported on each line that uses
/// a style other than the page's most common one.
fn placeholder_style(cx: &mut Context<'_>, page: &Page<'_>) {
    let mut found = Vec::new();
    for template in &page.templates {
        placeholders(
            &template.path,
            template.path_span.start,
            &template.line,
            &mut found,
        );
    }
    // Requests in the HTTP request section are templates already.
    for example in page.examples.iter().filter(|e| !e.in_syntax_section) {
        if let Some(request) = example.request() {
            let span = example.at(&request.target.span);
            placeholders(
                &request.target.value,
                span.start,
                &example.line(),
                &mut found,
            );
        }
    }
    let Some(first) = found.first() else {
        return;
    };
    let count = |style: Style| found.iter().filter(|p| p.style == style).count();
    let styles = [Style::Camel, Style::Kebab, Style::Snake];
    if styles.iter().filter(|&&s| count(s) > 0).count() < 2 {
        return;
    }
    // The most common style wins; a tie goes to the style used first.
    let main = styles
        .iter()
        .copied()
        .max_by_key(|&s| (count(s), s == first.style))
        .unwrap_or(first.style);
    let Some(example_of_main) = found.iter().find(|p| p.style == main) else {
        return;
    };
    let doc = page.doc;
    let mut i = 0;
    while i < found.len() {
        let line = found[i].line.clone();
        let on_line: Vec<&Placeholder<'_>> =
            found[i..].iter().take_while(|p| p.line == line).collect();
        i += on_line.len();
        let odd: Vec<&&Placeholder<'_>> = on_line.iter().filter(|p| p.style != main).collect();
        let Some(head) = odd.first() else {
            continue;
        };
        let list = join_words(odd.iter().map(|p| format!("`{{{}}}`", p.name)).collect());
        let (noun, verb) = if odd.len() == 1 {
            ("placeholder", "uses")
        } else {
            ("placeholders", "use")
        };
        let renamed = join_words(
            odd.iter()
                .map(|p| format!("`{{{}}}`", main.rewrite(p.name)))
                .collect(),
        );
        let style = head.style.describe();
        cx.report(
            Finding::new(
                Rule::HttpPlaceholderStyle,
                head.span.clone(),
                format!(
                    "{noun} {list} {verb} {style}, but this page's placeholders are mostly {} (`{{{}}}`); use one style",
                    main.describe(),
                    example_of_main.name
                ),
            )
            .with_help(format!("write {renamed}"))
            .with_related(doc.related(example_of_main.span.clone(), format!("a {} placeholder", main.describe()))),
        );
    }
}

/// `a`, `a and b`, `a, b and c`.
fn join_words(words: Vec<String>) -> String {
    match words.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        Some((last, _)) => last.clone(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_match_instances() {
        assert!(template_matches(
            "/users/{id}/messages",
            "/users/abc/messages"
        ));
        assert!(template_matches(
            "/users/{id | userPrincipalName}",
            "/users/a@b.com"
        ));
        assert!(template_matches("/Users/{id}", "/users/x"));
        assert!(!template_matches("/users/{id}", "/users/a/b"));
        assert!(!template_matches("/users/{id}", "/users"));
        assert!(template_matches(
            "/me/drive/root:/{item-path}:/children",
            "/me/drive/root:/Documents/a b/c.txt:/children"
        ));
        assert!(template_matches(
            "/reports/getEmailActivityCounts(period='{period_value}')",
            "/reports/getEmailActivityCounts(period='D7')"
        ));
        assert!(!template_matches("/me/events", "/me/calendar"));
    }

    #[test]
    fn base_urls_are_stripped() {
        let bases = Bases::new(vec![
            "https://graph.microsoft.com/v1.0".into(),
            "https://graph.microsoft.com/beta/".into(),
            "/v1.0".into(),
        ]);
        assert_eq!(
            bases.paths("https://graph.microsoft.com/v1.0/me/events?$top=1"),
            Some(vec!["/me/events".to_string()])
        );
        assert_eq!(
            bases.paths("HTTPS://Graph.Microsoft.com/beta"),
            Some(vec!["/".to_string()])
        );
        assert!(bases.paths("https://graph.microsoft.com/V1.0/me").is_none());
        assert!(bases.paths("https://graph.microsoft.com/v1.0me").is_none());
        assert!(bases
            .paths("https://graph.microsoft.com/localtest/me")
            .is_none());
        let written = [
            "https://graph.microsoft.com/v1.0".to_string(),
            "https://graph.microsoft.com/beta".to_string(),
        ];
        let closest = |url| closest_base(url, &written);
        assert_eq!(
            closest("https://graph.microsoft.com/V1.0/me"),
            Some(written[0].as_str())
        );
        assert_eq!(
            closest("https://graph.microsoft.com/v1/me"),
            Some(written[0].as_str())
        );
        assert_eq!(closest("https://graph.microsoft.com/localtest/me"), None);
        assert_eq!(closest("https://example.com/v1.0/me"), None);
        assert_eq!(
            bases.paths("/v1.0/me"),
            Some(vec!["/v1.0/me".to_string(), "/me".to_string()])
        );
        assert_eq!(bases.paths("me/drive"), Some(vec!["/me/drive".to_string()]));
        assert_eq!(
            bases.paths("/me/drive/root/delta(token='a/b')"),
            Some(vec!["/me/drive/root/delta".to_string()])
        );

        let none = Bases::new(Vec::new());
        assert_eq!(
            none.paths("https://graph.microsoft.com/v1.0/me"),
            Some(vec!["/v1.0/me".to_string(), "/me".to_string()])
        );
    }

    #[test]
    fn styles() {
        assert_eq!(style_of("driveId"), Some(Style::Camel));
        assert_eq!(style_of("drive-id"), Some(Style::Kebab));
        assert_eq!(style_of("drive_id"), Some(Style::Snake));
        assert_eq!(style_of("id"), None);
        assert_eq!(style_of("Id"), None);
        assert_eq!(style_of("id | userPrincipalName"), None);
        assert_eq!(style_of("user-id | userPrincipalName"), Some(Style::Kebab));
        assert_eq!(style_of("a b"), None);
        assert_eq!(style_of("66f5a359-4659-4830-9070-00047ec6ac6e"), None);
        assert_eq!(Style::Camel.rewrite("drive-id"), "driveId");
        assert_eq!(Style::Kebab.rewrite("driveItemId"), "drive-item-id");
        assert_eq!(Style::Snake.rewrite("item-id"), "item_id");
    }
}
