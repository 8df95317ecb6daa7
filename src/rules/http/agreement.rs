//! Examples agreeing with their annotation and the page's prose: DL310
//! http-status-prose-mismatch, DL311 http-no-content-with-body, DL315 http-get-with-body,
//! DL316 response-truncated-without-body, DL317 request-sample-key-missing.

use std::ops::Range;
use std::sync::OnceLock;

use regex::Regex;

use super::{Example, Page, Role};
use crate::diagnostic::{Finding, Severity};
use crate::document::http::reason_phrase;
use crate::document::json::JsonValue;
use crate::document::Document;
use crate::rule::Rule;
use crate::rules::Context;

/// Checks each example against its annotation, and response status codes against the prose.
pub(super) fn check(cx: &mut Context<'_>, page: &Page<'_>) {
    let prose = if cx.enabled(Rule::HttpStatusProseMismatch) {
        ProseCodes::new(prose_status_codes(page.doc))
    } else {
        ProseCodes::default()
    };
    // Where the text that introduces the current example starts: after the previous response.
    let mut intro_start = 0;
    for example in &page.examples {
        match example.role {
            Role::Request => {
                get_with_body(cx, page.doc, example);
                sample_keys(cx, page.doc, example);
            }
            Role::Response => {
                let intro = intro_start
                    ..example
                        .annotation
                        .span()
                        .start
                        .min(example.block.span().start);
                status_vs_prose(cx, page.doc, example, &prose, intro);
                no_content_with_body(cx, page.doc, example);
                truncated_without_body(cx, page.doc, example);
                intro_start = example.block.span().end;
            }
        }
    }
}

/// DL311: a 204 or 304 response with a body.
fn no_content_with_body(cx: &mut Context<'_>, doc: &Document, example: &Example<'_>) {
    let Some(response) = example.response() else {
        return;
    };
    let (Some(status), Some(body)) = (&response.status, example.body(doc)) else {
        return;
    };
    if !matches!(status.value, 204 | 304) {
        return;
    }
    let span = example.at(&body);
    let mut finding = Finding::new(
        Rule::HttpNoContentWithBody,
        example.at(&response.line),
        format!(
            "a {} response has no body, but this example shows one",
            status.value
        ),
    )
    .with_help(match status.value {
        204 => "remove the body, or use `200 OK` if the call returns content",
        _ => "remove the body",
    })
    .with_related(doc.related(span.clone(), "the body"));
    if is_empty_object(doc.slice(&span)) {
        // `{ }` shows no data: the example still says there is nothing to read.
        finding = finding.with_max_severity(Severity::Warning);
    }
    cx.report(finding);
}

/// Whether a body is an empty JSON object (`{}`, `{ }`, across lines).
fn is_empty_object(body: &str) -> bool {
    let inner = body
        .trim()
        .strip_prefix('{')
        .and_then(|b| b.strip_suffix('}'));
    inner.is_some_and(|inner| inner.trim().is_empty())
}

/// DL315: a GET or HEAD request with a body.
fn get_with_body(cx: &mut Context<'_>, doc: &Document, example: &Example<'_>) {
    let Some(request) = example.request() else {
        return;
    };
    let method = request.method.value.to_ascii_uppercase();
    let Some(body) = example.body(doc) else {
        return;
    };
    if method != "GET" && method != "HEAD" {
        return;
    }
    cx.report(
        Finding::new(
            Rule::HttpGetWithBody,
            example.at(&request.line),
            format!("a {method} request has a body, which servers ignore or reject"),
        )
        .with_help("remove the body, or use the method the API takes a body with (POST)")
        .with_related(doc.related(example.at(&body), "the body")),
    );
}

/// DL316: a response annotated `truncated` that has no body to truncate.
fn truncated_without_body(cx: &mut Context<'_>, doc: &Document, example: &Example<'_>) {
    let Some(response) = example.response() else {
        return;
    };
    if example.body(doc).is_some() || !example.truncated() {
        return;
    }
    let status = doc.slice(&example.at(&response.line)).to_string();
    cx.report(
        Finding::new(
            Rule::ResponseTruncatedWithoutBody,
            example.at(&response.line),
            format!("the response `{status}` is annotated `\"truncated\": true` but has no body to truncate"),
        )
        .with_help("remove `\"truncated\": true` from the annotation")
        .with_related(doc.related(example.annotation.key_span("truncated"), "the annotation")),
    );
}

/// DL317: a `sampleKeys` entry that does not occur in the request.
fn sample_keys(cx: &mut Context<'_>, doc: &Document, example: &Example<'_>) {
    let Some(keys) = example
        .annotation
        .get("sampleKeys")
        .and_then(JsonValue::as_array)
    else {
        return;
    };
    let content = doc.slice(&example.block.content()).to_lowercase();
    let decoded = percent_decode(&content);
    for key in keys {
        let Some(text) = key.as_str() else {
            continue;
        };
        let lower = text.to_lowercase();
        if content.contains(&lower) || decoded.contains(&lower) {
            continue;
        }
        cx.report(
            Finding::new(
                Rule::RequestSampleKeyMissing,
                example.annotation.abs(&key.span()),
                format!("sample key \"{text}\" does not occur in the request"),
            )
            .with_help("sample keys must be literal text of the request (an id in its URL); fix the key or the request")
            .with_related(doc.related(example.line(), "the request")),
        );
    }
}

/// `%xx` escapes decoded (invalid ones kept as written), lower-cased.
fn percent_decode(text: &str) -> String {
    percent_encoding::percent_decode_str(text)
        .decode_utf8_lossy()
        .to_lowercase()
}

// ---------------------------------------------------------------------------------------
// Status codes in the prose

/// A success status code a "Response" section's prose names, where, and which part of the
/// page it speaks for.
struct ProseStatus {
    code: u16,
    span: Range<usize>,
    /// The section that holds the Response heading (`## Response` speaks for the page,
    /// `### Response` under `## Cancel the upload session` for that section only).
    scope: Range<usize>,
}

/// The 2xx and 3xx status codes named in the prose of the page's "Response" sections, such as
/// "returns a `201 Created` response code". A code counts when the standard reason phrase or
/// the words "response"/"status" follow it, so "200 items" does not, and not when its
/// sentence is about an error ("if an error occurred, … returns a `207` status code").
fn prose_status_codes(doc: &Document) -> Vec<ProseStatus> {
    static CODE: OnceLock<Regex> = OnceLock::new();
    let code = CODE.get_or_init(|| Regex::new(r"\b([23]\d\d)\b").expect("valid regex"));
    // The section headings, by their index in the page's headings.
    let headings: Vec<usize> = (0..doc.headings.len())
        .filter(|&i| doc.headings[i].tab().is_none())
        .collect();
    let mut out = Vec::new();
    for (n, &h) in headings.iter().enumerate() {
        let heading = &doc.headings[h];
        let title = heading.text.trim();
        if !(title.eq_ignore_ascii_case("response") || title.eq_ignore_ascii_case("responses")) {
            continue;
        }
        let end = headings
            .get(n + 1)
            .map_or(doc.text.len(), |&next| doc.headings[next].span().start);
        let section = heading.span().end.min(end)..end;
        let scope = heading.parent().map_or(0..doc.text.len(), |parent| {
            let parent = &doc.headings[parent];
            parent.span().start..parent.section_end()
        });
        let text = doc.slice(&section);
        // The group is the whole match (`\b` is zero-width): `find_iter` needs no captures.
        for m in code.find_iter(text) {
            let at = section.start + m.start();
            let Ok(value) = m.as_str().parse::<u16>() else {
                continue;
            };
            if names_status(value, &text[m.end()..])
                && !about_error(&text[..m.start()])
                && !doc.in_code_or_comment(at)
            {
                out.push(ProseStatus {
                    code: value,
                    span: at..section.start + m.end(),
                    scope: scope.clone(),
                });
            }
        }
    }
    out
}

/// Whether the sentence that ends with `before` is about an error case.
fn about_error(before: &str) -> bool {
    let sentence_start = before.rfind(['.', '!', '?', '\n']).map_or(0, |i| i + 1);
    mentions_error(&before[sentence_start..])
}

fn mentions_error(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    lower.contains("error") || lower.contains("fail")
}

/// Whether the text after a number makes it a status code: its reason phrase, or
/// "response"/"status", follows (backticks and spaces between allowed).
fn names_status(code: u16, after: &str) -> bool {
    let after = after.trim_start_matches(['`', '*', ' ']);
    let starts_with_word = |word: &str| {
        after.len() >= word.len()
            && after.as_bytes()[..word.len()].eq_ignore_ascii_case(word.as_bytes())
            && !after
                .as_bytes()
                .get(word.len())
                .is_some_and(u8::is_ascii_alphanumeric)
    };
    reason_phrase(code).is_some_and(starts_with_word)
        || starts_with_word("response")
        || starts_with_word("status")
}

/// Whether the text that introduces an example (from the previous response, or the last
/// heading, to the example) presents it as an error case: "If an error occurred, it returns
/// the following response".
fn introduced_as_error(doc: &Document, intro: Range<usize>) -> bool {
    let after_heading = doc
        .heading_before(intro.end)
        .map_or(0, |h| doc.headings[h].span().end);
    let start = intro.start.max(after_heading).min(intro.end);
    mentions_error(doc.slice(&(start..intro.end)))
}

/// DL310: a success response whose status code the Response prose does not name.
fn status_vs_prose(
    cx: &mut Context<'_>,
    doc: &Document,
    example: &Example<'_>,
    prose: &ProseCodes,
    intro: Range<usize>,
) {
    let Some(status) = example.response().and_then(|r| r.status.as_ref()) else {
        return;
    };
    let scopes = prose.around(example.block.span().start);
    let Some(first) = scopes.iter().map(|s| &s.first).min_by_key(|f| f.start) else {
        return;
    };
    if !(200..400).contains(&status.value)
        || scopes.iter().any(|s| s.codes.contains(&status.value))
        || introduced_as_error(doc, intro)
    {
        return;
    }
    let mut codes: Vec<u16> = scopes
        .iter()
        .flat_map(|s| s.codes.iter().copied())
        .collect();
    codes.sort_unstable();
    codes.dedup();
    let said: Vec<String> = codes.iter().map(|c| format!("`{c}`")).collect();
    cx.report(
        Finding::new(
            Rule::HttpStatusProseMismatch,
            example.at(&status.span),
            format!(
                "the example responds {}, but the Response section says the call returns {}",
                status.value,
                said.join(" or ")
            ),
        )
        .with_help("make the prose and the example agree on the status code")
        .with_related(doc.related(first.clone(), "the status code in the prose")),
    );
}

/// The status codes the prose names, gathered by the part of the page they speak for, so
/// that finding those that speak for an example does not scan the whole page's codes (a page
/// of a thousand API sections under one title would make that quadratic).
#[derive(Default)]
struct ProseCodes {
    /// By start, an enclosing scope before the scopes inside it.
    scopes: Vec<ScopeCodes>,
}

/// The codes named for one part of the page.
struct ScopeCodes {
    scope: Range<usize>,
    /// Where the first of them is named.
    first: Range<usize>,
    /// The codes, sorted, each once.
    codes: Vec<u16>,
    /// The nearest scope that holds this one (section scopes nest, never overlap).
    parent: Option<usize>,
}

impl ProseCodes {
    fn new(mut found: Vec<ProseStatus>) -> ProseCodes {
        found.sort_by_key(|p| (p.scope.start, std::cmp::Reverse(p.scope.end), p.span.start));
        let mut scopes: Vec<ScopeCodes> = Vec::new();
        // The scopes holding the one being added, innermost last.
        let mut open: Vec<usize> = Vec::new();
        for p in found {
            if let Some(last) = scopes.last_mut().filter(|s| s.scope == p.scope) {
                last.codes.push(p.code);
                continue;
            }
            while open
                .last()
                .is_some_and(|&o| scopes[o].scope.end <= p.scope.start)
            {
                open.pop();
            }
            open.push(scopes.len());
            scopes.push(ScopeCodes {
                parent: open.iter().rev().nth(1).copied(),
                scope: p.scope,
                first: p.span,
                codes: vec![p.code],
            });
        }
        for s in &mut scopes {
            s.codes.sort_unstable();
            s.codes.dedup();
        }
        ProseCodes { scopes }
    }

    /// The scopes that hold the offset `at`, innermost first.
    fn around(&self, at: usize) -> Vec<&ScopeCodes> {
        // The last scope starting at or before `at`; any other that holds `at` holds it too.
        let after = self.scopes.partition_point(|s| s.scope.start <= at);
        let mut next = after.checked_sub(1);
        let mut out = Vec::new();
        while let Some(i) = next {
            let s = &self.scopes[i];
            if s.scope.contains(&at) {
                out.push(s);
            }
            next = s.parent;
        }
        out
    }
}
