//! Bodies: DL312 http-body-invalid-json, DL313 http-body-lenient-json, DL314
//! http-content-type-missing.

use std::ops::Range;

use super::{Example, Page, Role};
use crate::diagnostic::Finding;
use crate::document::http::Header;
use crate::document::json::{self, Leniency, LenientUse, ParseOptions};
use crate::fix::{Fix, TextEdit};
use crate::rule::Rule;
use crate::rules::Context;

/// Parses each example's JSON body once and reports what is wrong with it.
pub(super) fn check(cx: &mut Context<'_>, page: &Page<'_>) {
    if !(cx.enabled(Rule::HttpBodyInvalidJson)
        || cx.enabled(Rule::HttpBodyLenientJson)
        || cx.enabled(Rule::HttpContentTypeMissing))
    {
        return;
    }
    for example in &page.examples {
        // An unclosed fence swallowed what follows it: that is not the body (DL304 says so).
        if !example.block.closed {
            continue;
        }
        let (headers, line) = match (example.request(), example.response()) {
            (Some(r), _) => (&r.headers, &r.line),
            (_, Some(r)) => (&r.headers, &r.line),
            _ => continue,
        };
        let Some(body) = example.body(page.doc) else {
            continue;
        };
        check_body(cx, page, example, headers, &body, line);
    }
}

fn check_body(
    cx: &mut Context<'_>,
    page: &Page<'_>,
    example: &Example<'_>,
    headers: &[Header],
    body: &Range<usize>,
    line: &Range<usize>,
) {
    let doc = page.doc;
    let text = doc.slice(&example.at(body));
    let content_type = headers
        .iter()
        .find(|h| h.name.value.eq_ignore_ascii_case("Content-Type"));
    match content_type {
        Some(header) if !is_json_type(&header.value.value) => return,
        Some(_) => {}
        None if !text.starts_with(['{', '[']) => return,
        None => cx.report(
            Finding::new(
                Rule::HttpContentTypeMissing,
                example.at(line),
                "this example has a JSON body but no Content-Type header",
            )
            .with_help("add `Content-Type: application/json` after the first line")
            .with_related(doc.related(example.at(body), "the body")),
        ),
    }
    let options = ParseOptions {
        allow_truncation: example.role == Role::Response && example.truncated(),
    };
    let base = example.at(body).start;
    // The shared parse allows truncation markers; where this example does not, it stands only
    // when it met none (the option matters nowhere else).
    let shared = cx.json_body(text, base);
    let own;
    let parsed = match &*shared {
        Ok(p)
            if !options.allow_truncation
                && p.lenient
                    .iter()
                    .any(|l| l.kind == Leniency::TruncationMarker) =>
        {
            own = json::parse(text, options);
            &own
        }
        Err(_) if !options.allow_truncation => {
            own = json::parse(text, options);
            &own
        }
        result => result,
    };
    match parsed {
        Err(error) => {
            let span = base + error.span.start..base + error.span.end;
            let mut finding = Finding::new(
                Rule::HttpBodyInvalidJson,
                span,
                format!("the body is not valid JSON: {}", error.message),
            );
            if example.role == Role::Response
                && !options.allow_truncation
                && (text.contains("...") || text.contains('…'))
            {
                finding = finding.with_help(
                    "if `...` marks elided content, annotate the response `\"truncated\": true`",
                );
            }
            cx.report(finding);
        }
        Ok(parsed) => {
            for lenient in parsed
                .lenient
                .iter()
                .filter(|l| l.kind != Leniency::TruncationMarker)
            {
                let span = base + lenient.span.start..base + lenient.span.end;
                let mut finding = Finding::new(
                    Rule::HttpBodyLenientJson,
                    span.clone(),
                    format!(
                        "the body is not strict JSON ({}); only lenient parsers such as Json.NET accept it",
                        lenient.kind.describe()
                    ),
                )
                .with_help(strict_fix(lenient.kind));
                if let Some(fix) = make_strict(text, lenient, base) {
                    finding = finding.with_fix(fix);
                }
                cx.report(finding);
            }
        }
    }
}

/// Whether a Content-Type value names JSON (`application/json`, `…+json`, with parameters).
pub(super) fn is_json_type(value: &str) -> bool {
    let media = value
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    media == "application/json" || media == "text/json" || media.ends_with("+json")
}

/// The safe fix for the lenient constructs whose strict form means the same: a trailing comma
/// is deleted, and non-standard whitespace between tokens becomes plain spaces. `body` is the
/// body's text, which starts at byte `base` of the page.
fn make_strict(body: &str, lenient: &LenientUse, base: usize) -> Option<Fix> {
    let written = body.get(lenient.span.clone())?;
    let span = base + lenient.span.start..base + lenient.span.end;
    match lenient.kind {
        Leniency::TrailingComma if written == "," => Some(Fix::safe(
            "remove the trailing comma",
            vec![TextEdit::delete(span)],
        )),
        Leniency::NonAsciiWhitespace if written.chars().all(char::is_whitespace) => {
            let spaces = " ".repeat(written.chars().count());
            Some(Fix::safe(
                "replace the whitespace with plain spaces",
                vec![TextEdit::replace(span, spaces)],
            ))
        }
        _ => None,
    }
}

/// How to write a lenient construct as strict JSON.
fn strict_fix(kind: Leniency) -> &'static str {
    match kind {
        Leniency::TrailingComma => "remove the comma",
        Leniency::Comment => {
            "remove the comment; JSON has none (explain the value in the text instead)"
        }
        Leniency::SingleQuotedString => "use double quotes",
        Leniency::UnquotedKey => "put the property name in double quotes",
        Leniency::LineBreakInString => "write the line break as `\\n`",
        Leniency::ControlCharInString => "escape the character (a tab as `\\t`)",
        Leniency::NonAsciiWhitespace => "replace it with a plain space",
        Leniency::TruncationMarker => "annotate the response `\"truncated\": true`",
    }
}
