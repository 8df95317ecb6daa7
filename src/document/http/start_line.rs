//! The first line of a block: a request line or a status line, and what follows it.

use std::ops::Range;

use super::headers::headers_and_body;
use super::lines::{problem, quote, spanned, tokens, Line, Lines};
use super::model::{
    HttpProblem, HttpRequest, HttpResponse, ProblemKind, Spanned, METHODS, VERSIONS,
};
use super::reasons::reason_code;
use crate::document::starts_with_ignore_case;

pub(super) const EXAMPLE_REQUEST: &str = "`GET https://graph.microsoft.com/v1.0/me`";
pub(super) const EXAMPLE_STATUS: &str = "`HTTP/1.1 200 OK`";

pub(super) enum FirstLine {
    Request(Vec<Range<usize>>),
    Status(Vec<Range<usize>>),
    Other(Vec<Range<usize>>),
}

pub(super) fn first_line(content: &str, lines: &mut Lines<'_>) -> Result<Line, HttpProblem> {
    lines.find(|l| !l.is_blank()).ok_or_else(|| {
        problem(
            ProblemKind::Empty,
            format!(
                "empty HTTP block; expected a request line such as {EXAMPLE_REQUEST} \
                 or a status line such as {EXAMPLE_STATUS}"
            ),
            0..content.len(),
        )
    })
}

pub(super) fn classify(content: &str, line: &Line) -> FirstLine {
    let tokens = tokens(content, line.text_range());
    let first = &content[tokens[0].clone()];
    if is_status_line(content, first, &tokens) {
        FirstLine::Status(tokens)
    } else if is_request_line(first, &tokens) {
        FirstLine::Request(tokens)
    } else {
        FirstLine::Other(tokens)
    }
}

/// `HTTP/…`, `HTTP1.1 …` or `HTTP 201 …`.
fn is_status_line(content: &str, first: &str, tokens: &[Range<usize>]) -> bool {
    if !starts_with_ignore_case(first, "HTTP") {
        return false;
    }
    match first.as_bytes().get(4) {
        Some(b'/') => true,
        Some(c) => c.is_ascii_digit(),
        None => tokens
            .get(1)
            .is_some_and(|t| content.as_bytes()[t.start].is_ascii_digit()),
    }
}

/// A known method in any case, or an upper-case word followed by a target.
fn is_request_line(first: &str, tokens: &[Range<usize>]) -> bool {
    if !first.bytes().all(|b| b.is_ascii_alphabetic()) || first.eq_ignore_ascii_case("HTTP") {
        return false;
    }
    known_method(first).is_some()
        || (tokens.len() > 1 && first.bytes().all(|b| b.is_ascii_uppercase()))
}

fn known_method(word: &str) -> Option<&'static str> {
    METHODS
        .iter()
        .copied()
        .find(|m| m.eq_ignore_ascii_case(word))
}

pub(super) fn not_http(content: &str, line: &Line, tokens: &[Range<usize>]) -> HttpProblem {
    let text = line.text(content);
    let first = &content[tokens[0].clone()];
    if first.starts_with('/') || first.contains("://") {
        problem(
            ProblemKind::MethodMissing,
            format!(
                "request line {} has no method; write the method first, e.g. {}",
                quote(text),
                quote(&format!("GET {text}"))
            ),
            line.text_range(),
        )
    } else {
        problem(
            ProblemKind::NotHttp,
            format!(
                "expected a request line such as {EXAMPLE_REQUEST} or a status line such as \
                 {EXAMPLE_STATUS}, found {}",
                quote(text)
            ),
            line.text_range(),
        )
    }
}

/// Splits the tokens after a method into the target and a trailing `HTTP/x.y`; `None` when
/// there is no target.
pub(super) fn target_and_version(
    content: &str,
    rest: &[Range<usize>],
) -> Option<(Range<usize>, Option<Range<usize>>)> {
    let (last, before) = rest.split_last()?;
    if starts_with_ignore_case(&content[last.clone()], "HTTP/") {
        let first = before.first()?;
        Some((
            first.start..before[before.len() - 1].end,
            Some(last.clone()),
        ))
    } else {
        Some((rest[0].start..last.end, None))
    }
}

/// A problem when `version` is not one of [`VERSIONS`].
fn check_version(content: &str, span: Range<usize>) -> Option<HttpProblem> {
    let version = &content[span.clone()];
    if VERSIONS.contains(&version) {
        return None;
    }
    let upper = version.to_ascii_uppercase();
    let normalized = match upper.strip_prefix("HTTP") {
        Some(rest) if !rest.starts_with('/') => format!("HTTP/{rest}"),
        _ => upper,
    };
    let message = if VERSIONS.contains(&normalized.as_str()) {
        format!(
            "malformed HTTP version {}; write `{normalized}`",
            quote(version)
        )
    } else {
        format!(
            "unsupported HTTP version {}; use `HTTP/1.1` (or `HTTP/1.0`, `HTTP/2`)",
            quote(version)
        )
    };
    Some(problem(ProblemKind::VersionInvalid, message, span))
}

// ---------------------------------------------------------------------------------------
// Requests

pub(super) fn finish_request(
    content: &str,
    lines: Lines<'_>,
    first: &Line,
    tokens: &[Range<usize>],
) -> HttpRequest {
    let mut problems = Vec::new();
    let method = spanned(content, tokens[0].clone());
    check_method(&method, &mut problems);

    let (target, version) = match target_and_version(content, &tokens[1..]) {
        Some((target, version)) => (spanned(content, target), version),
        None => {
            problems.push(problem(
                ProblemKind::TargetMissing,
                format!(
                    "request line {} has no target; write the URL after the method, e.g. {}",
                    quote(first.text(content)),
                    quote(&format!("{} /me", method.value))
                ),
                first.text_range(),
            ));
            let version = tokens.get(1).cloned();
            let at = method.span.end;
            (
                Spanned {
                    value: String::new(),
                    span: at..at,
                },
                version,
            )
        }
    };
    if let Some(v) = &version {
        problems.extend(check_version(content, v.clone()));
    }
    let (headers, body) = headers_and_body(content, lines, &mut problems);
    HttpRequest {
        line: first.text_range(),
        method,
        target,
        version: version.map(|v| spanned(content, v)),
        headers,
        body,
        problems,
    }
}

fn check_method(method: &Spanned<String>, problems: &mut Vec<HttpProblem>) {
    let text = method.value.as_str();
    match known_method(text) {
        Some(upper) if upper != text => problems.push(problem(
            ProblemKind::MethodCase,
            format!("method `{text}` must be upper case: `{upper}`"),
            method.span.clone(),
        )),
        Some(_) => {}
        None => {
            let upper = text.to_ascii_uppercase();
            let closest = METHODS
                .iter()
                .map(|m| (strsim::levenshtein(m, &upper), *m))
                .min()
                .filter(|(distance, _)| *distance <= 2);
            let message = match closest {
                Some((_, m)) => format!("unknown method {}; did you mean `{m}`?", quote(text)),
                None => format!(
                    "unknown method {}; use GET, POST, PUT, PATCH, DELETE, HEAD or OPTIONS",
                    quote(text)
                ),
            };
            problems.push(problem(
                ProblemKind::MethodUnknown,
                message,
                method.span.clone(),
            ));
        }
    }
}

// ---------------------------------------------------------------------------------------
// Responses

pub(super) fn finish_response(
    content: &str,
    lines: Lines<'_>,
    first: &Line,
    tokens: &[Range<usize>],
) -> HttpResponse {
    let mut problems = Vec::new();
    let version = spanned(content, tokens[0].clone());
    if version.value.eq_ignore_ascii_case("HTTP") {
        let rest = tokens
            .get(1)
            .map_or("", |t| &content[t.start..first.text_end]);
        problems.push(problem(
            ProblemKind::VersionMissing,
            format!(
                "status line {} has no HTTP version; write {}",
                quote(first.text(content)),
                quote(&format!("HTTP/1.1 {rest}"))
            ),
            version.span.clone(),
        ));
    } else {
        problems.extend(check_version(content, version.span.clone()));
    }

    let mut status = None;
    // Where the reason phrase starts, if there is one.
    let mut reason_from = tokens.get(2).map(|t| t.start);
    match tokens.get(1) {
        None => problems.push(problem(
            ProblemKind::StatusMissing,
            format!(
                "status line {} has no status code; write it after the version, e.g. \
                 `{} 200 OK`",
                quote(first.text(content)),
                version.value
            ),
            first.text_range(),
        )),
        Some(code) if !content.as_bytes()[code.start].is_ascii_digit() => {
            reason_from = Some(code.start);
            let reason = &content[code.start..first.text_end];
            let example = match reason_code(reason) {
                Some(c) => quote(&format!("{} {c} {reason}", version.value)),
                None => quote(&format!("{} 200 OK", version.value)),
            };
            problems.push(problem(
                ProblemKind::StatusMissing,
                format!(
                    "status line {} has no status code; write it before the reason phrase, \
                     e.g. {example}",
                    quote(first.text(content))
                ),
                first.text_range(),
            ));
        }
        Some(code) => match check_status(&content[code.clone()]) {
            Ok(value) => {
                status = Some(Spanned {
                    value,
                    span: code.clone(),
                });
            }
            Err((kind, message)) => problems.push(problem(kind, message, code.clone())),
        },
    }
    let reason = reason_from.map(|start| spanned(content, start..first.text_end));

    let (headers, body) = headers_and_body(content, lines, &mut problems);
    HttpResponse {
        line: first.text_range(),
        version,
        status,
        reason,
        headers,
        body,
        problems,
    }
}

/// Validates a status code token that starts with a digit.
fn check_status(code: &str) -> Result<u16, (ProblemKind, String)> {
    if code.bytes().all(|b| b.is_ascii_digit()) {
        return match code.parse::<u16>() {
            Ok(value) if code.len() == 3 && (100..=599).contains(&value) => Ok(value),
            _ => Err((
                ProblemKind::StatusOutOfRange,
                format!(
                    "status code {} is out of range; status codes have three digits, \
                     from 100 to 599",
                    quote(code)
                ),
            )),
        };
    }
    let digits = code.bytes().take_while(u8::is_ascii_digit).count();
    let (number, rest) = code.split_at(digits);
    let message = if digits == 3 && rest.chars().all(char::is_alphabetic) {
        format!(
            "status code {} is not a number; put a space between the code and the reason \
             phrase: {}",
            quote(code),
            quote(&format!("{number} {rest}"))
        )
    } else {
        format!(
            "status code {} is not a number; write a three-digit code such as `200`",
            quote(code)
        )
    };
    Err((ProblemKind::StatusNotNumeric, message))
}
