//! HTTP code blocks: the requests and responses of a REST API reference page.
//!
//! The functions here parse the *content* of an HTTP fenced code block (```` ```http ````,
//! ```` ```HTTP ````, ```` ```msgraph-interactive ````), i.e. the text between the fences,
//! into typed values. Every value carries a byte span relative to that content, so a rule can
//! point at the exact token that is wrong.
//!
//! The parser is tolerant of real pages: OData targets with spaces and quotes, CRLF line
//! endings, indented blocks, headers with no blank line before the body. It is also precise
//! about what is wrong: each defect becomes an [`HttpProblem`] naming the text and what would
//! be right. Whether a problem is reported, and how severely, is up to the rules.
//!
//! Every function is linear in the length of its input and never panics.

mod headers;
mod lines;
mod model;
mod reasons;
mod start_line;

pub use model::{
    Header, HttpMessage, HttpProblem, HttpRequest, HttpResponse, ProblemKind, Spanned, SyntaxLine,
    METHODS, VERSIONS,
};
pub use reasons::{is_standard_reason, reason_phrase};

use lines::{problem, quote, spanned, tokens, Lines};
use start_line::{
    classify, finish_request, finish_response, first_line, not_http, target_and_version, FirstLine,
    EXAMPLE_REQUEST, EXAMPLE_STATUS,
};

/// Parses a request or a response, decided by the first non-blank line.
///
/// Fails only when that line is neither a request line nor a status line (or the block is
/// empty); every other defect is recorded in the message's `problems`.
pub fn parse_message(content: &str) -> Result<HttpMessage, HttpProblem> {
    let mut lines = Lines::new(content);
    let first = first_line(content, &mut lines)?;
    match classify(content, &first) {
        FirstLine::Request(tokens) => Ok(HttpMessage::Request(finish_request(
            content, lines, &first, &tokens,
        ))),
        FirstLine::Status(tokens) => Ok(HttpMessage::Response(finish_response(
            content, lines, &first, &tokens,
        ))),
        FirstLine::Other(tokens) => Err(not_http(content, &first, &tokens)),
    }
}

/// Parses a request block. Fails when the block is empty or its first non-blank line is not
/// a request line (a status line included).
pub fn parse_request(content: &str) -> Result<HttpRequest, HttpProblem> {
    let mut lines = Lines::new(content);
    let first = first_line(content, &mut lines)?;
    match classify(content, &first) {
        FirstLine::Request(tokens) => Ok(finish_request(content, lines, &first, &tokens)),
        FirstLine::Status(_) => Err(problem(
            ProblemKind::ResponseInRequest,
            format!(
                "expected a request line such as {EXAMPLE_REQUEST}, found the status line {}; \
                 this block holds a response",
                quote(first.text(content))
            ),
            first.text_range(),
        )),
        FirstLine::Other(tokens) => Err(not_http(content, &first, &tokens)),
    }
}

/// Parses a response block. Fails when the block is empty or its first non-blank line is not
/// a status line (a request line included).
pub fn parse_response(content: &str) -> Result<HttpResponse, HttpProblem> {
    let mut lines = Lines::new(content);
    let first = first_line(content, &mut lines)?;
    match classify(content, &first) {
        FirstLine::Status(tokens) => Ok(finish_response(content, lines, &first, &tokens)),
        FirstLine::Request(_) => Err(problem(
            ProblemKind::RequestInResponse,
            format!(
                "expected a status line such as {EXAMPLE_STATUS}, found the request line {}; \
                 this block holds a request",
                quote(first.text(content))
            ),
            first.text_range(),
        )),
        FirstLine::Other(_) => Err(problem(
            ProblemKind::NotHttp,
            format!(
                "expected a status line such as {EXAMPLE_STATUS}, found {}",
                quote(first.text(content))
            ),
            first.text_range(),
        )),
    }
}

/// Collects the `METHOD path` lines of an "HTTP request" section's block of URL templates.
///
/// Blank lines and lines that are not an upper-case known method followed by a path are
/// skipped. The path runs to the end of the line (query strings may hold spaces), minus a
/// trailing `HTTP/x.y` token.
pub fn parse_syntax(content: &str) -> Vec<SyntaxLine> {
    let mut out = Vec::new();
    for line in Lines::new(content) {
        if line.is_blank() {
            continue;
        }
        let tokens = tokens(content, line.text_range());
        let Some(method) = tokens.first() else {
            continue;
        };
        if !METHODS.contains(&&content[method.clone()]) {
            continue;
        }
        if let Some((path, _version)) = target_and_version(content, &tokens[1..]) {
            out.push(SyntaxLine {
                method: spanned(content, method.clone()),
                path: spanned(content, path),
                line: line.text_range(),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests;
