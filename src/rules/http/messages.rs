//! Request and status lines: DL301 http-request-invalid, DL302 http-response-invalid,
//! DL303 http-reason-phrase.

use super::{Example, Message, Misplaced, Page, Role};
use crate::diagnostic::Finding;
use crate::document::http::{
    is_standard_reason, reason_phrase, HttpProblem, HttpResponse, ProblemKind,
};
use crate::fix::{Fix, TextEdit};
use crate::rule::Rule;
use crate::rules::Context;

/// Reports what the HTTP parser found wrong in each example, and non-standard reason phrases.
pub(super) fn check(cx: &mut Context<'_>, page: &Page<'_>) {
    for example in &page.examples {
        let rule = match example.role {
            Role::Request => Rule::HttpRequestInvalid,
            Role::Response => Rule::HttpResponseInvalid,
        };
        match &example.message {
            Message::Request(r) => report_problems(cx, example, rule, &r.problems),
            Message::Response(r) => {
                report_problems(cx, example, rule, &r.problems);
                reason(cx, example, r);
            }
            Message::Invalid(problem) => {
                report_problems(cx, example, rule, std::slice::from_ref(problem));
            }
            Message::NotHttp => {}
        }
        misplaced_body(cx, page, example, rule);
    }
}

/// Header lines or a second request after the blank line, which would be read as the body.
fn misplaced_body(cx: &mut Context<'_>, page: &Page<'_>, example: &Example<'_>, rule: Rule) {
    let Some((what, span)) = example.misplaced_body(page.doc) else {
        return;
    };
    // Without a blank line the parser has said it already.
    let problems = match &example.message {
        Message::Request(r) => &r.problems,
        Message::Response(r) => &r.problems,
        _ => return,
    };
    let explained = problems.iter().any(|p| {
        matches!(
            p.kind,
            ProblemKind::ExtraRequestLine | ProblemKind::BlankLineMissing
        )
    });
    if explained {
        return;
    }
    let text = page.doc.slice(&span).to_string();
    let message = match what {
        Misplaced::Headers => format!(
            "header `{text}` follows a blank line, so it reads as the body; put headers directly under the first line"
        ),
        Misplaced::Request => format!(
            "second request line `{text}`; an example block holds one request (put each in its own block)"
        ),
    };
    cx.report(Finding::new(rule, span, message));
}

fn report_problems(
    cx: &mut Context<'_>,
    example: &Example<'_>,
    rule: Rule,
    problems: &[HttpProblem],
) {
    for problem in problems {
        let span = if problem.span.is_empty() {
            example.line()
        } else {
            example.at(&problem.span)
        };
        cx.report(Finding::new(rule, span, problem.message.clone()));
    }
}

/// DL303: the reason phrase is not the standard one for the status code. The fix writes the
/// standard phrase; it is safe even where the phrase belongs to another status, since the
/// status code is what the example says (HTTP clients ignore the phrase).
fn reason(cx: &mut Context<'_>, example: &Example<'_>, response: &HttpResponse) {
    let Some(status) = &response.status else {
        return;
    };
    let Some(standard) = reason_phrase(status.value) else {
        return;
    };
    let version = &response.version.value;
    let fixed = format!("`{version} {} {standard}`", status.value);
    let finding = match &response.reason {
        Some(reason) if !is_standard_reason(status.value, &reason.value) => {
            let message = if reason.value.eq_ignore_ascii_case(standard) {
                format!(
                    "reason phrase `{}` is not capitalised as the standard one for {}; write {fixed}",
                    reason.value, status.value
                )
            } else if is_misspelling(&reason.value, standard) {
                format!(
                    "reason phrase `{}` is misspelt; write {fixed}",
                    reason.value
                )
            } else {
                format!(
                    "reason phrase `{}` does not belong to status {}, whose reason phrase is `{standard}`; write {fixed}",
                    reason.value, status.value
                )
            };
            let edit = TextEdit::replace(example.at(&reason.span), standard);
            Finding::new(Rule::HttpReasonPhrase, example.at(&reason.span), message)
                .with_fix(Fix::safe(format!("write {fixed}"), vec![edit]))
        }
        None if version.starts_with("HTTP/1") => {
            let edit = TextEdit::insert(example.at(&status.span).end, format!(" {standard}"));
            Finding::new(
                Rule::HttpReasonPhrase,
                example.at(&response.line),
                format!(
                    "status line `{version} {}` has no reason phrase, which ApiDoctor rejects; write {fixed}",
                    status.value
                ),
            )
            .with_fix(Fix::safe(format!("write {fixed}"), vec![edit]))
        }
        _ => return,
    };
    cx.report(finding);
}

/// Whether `reason` is a typo of `standard` (`Accpted` for `Accepted`), not another phrase.
fn is_misspelling(reason: &str, standard: &str) -> bool {
    let distance = strsim::damerau_levenshtein(&reason.to_lowercase(), &standard.to_lowercase());
    distance <= 2 && distance * 4 <= standard.len()
}
