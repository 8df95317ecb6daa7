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

use std::fmt;
use std::ops::Range;

/// A value together with the byte range of the text it was parsed from.
///
/// Spans are relative to the block content passed to the parser and always lie on `char`
/// boundaries.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Spanned<T> {
    /// The parsed value.
    pub value: T,
    /// Where the value's text sits in the block content.
    pub span: Range<usize>,
}

/// A parsed HTTP code block: a request or a response, decided by its first non-blank line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HttpMessage {
    /// The block starts with a request line (`GET /me`).
    Request(HttpRequest),
    /// The block starts with a status line (`HTTP/1.1 200 OK`).
    Response(HttpResponse),
}

/// An example request: request line, headers and optional body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpRequest {
    /// The request line, without surrounding whitespace or the line ending.
    pub line: Range<usize>,
    /// The method as written (`GET`, or `get`, which is reported as a problem).
    pub method: Spanned<String>,
    /// Everything between the method and an optional trailing `HTTP/x.y`, trimmed; OData
    /// targets keep their spaces and quotes. Empty (with an empty span after the method)
    /// when the request line has no target, which is reported as a problem.
    pub target: Spanned<String>,
    /// The trailing `HTTP/x.y` token of the request line, if any.
    pub version: Option<Spanned<String>>,
    /// The header lines, in order.
    pub headers: Vec<Header>,
    /// The body: from its first non-blank character to its last non-whitespace character.
    /// `None` when the block has no body.
    pub body: Option<Range<usize>>,
    /// What is wrong with this request, in source order.
    pub problems: Vec<HttpProblem>,
}

/// An example response: status line, headers and optional body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpResponse {
    /// The status line, without surrounding whitespace or the line ending.
    pub line: Range<usize>,
    /// The version token as written: `HTTP/1.1`, `HTTP/2`, or just `HTTP` when the version
    /// is missing (reported as a problem).
    pub version: Spanned<String>,
    /// The status code; `None` when it is missing, not a number or out of range (each
    /// reported as a problem).
    pub status: Option<Spanned<u16>>,
    /// The reason phrase as written (`No Content`, `No content`…); `None` when absent. The
    /// parser does not judge it; compare it with [`reason_phrase`].
    pub reason: Option<Spanned<String>>,
    /// The header lines, in order.
    pub headers: Vec<Header>,
    /// The body: from its first non-blank character to its last non-whitespace character.
    /// `None` when the block has no body.
    pub body: Option<Range<usize>>,
    /// What is wrong with this response, in source order.
    pub problems: Vec<HttpProblem>,
}

/// One `Name: value` header line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    /// The header name as written, without whitespace.
    pub name: Spanned<String>,
    /// The value after the colon, trimmed; may be empty (then its span is empty too).
    pub value: Spanned<String>,
    /// The whole header line, without surrounding whitespace or the line ending.
    pub line: Range<usize>,
}

/// What kind of defect an [`HttpProblem`] describes; stable, for counting and filtering.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ProblemKind {
    /// The block holds nothing but whitespace.
    Empty,
    /// The first line is neither a request line nor a status line.
    NotHttp,
    /// The first line is a URL without a method (`https://graph.microsoft.com/v1.0/me`).
    MethodMissing,
    /// A request was expected but the block starts with a status line.
    ResponseInRequest,
    /// A response was expected but the block starts with a request line.
    RequestInResponse,
    /// A known method not written in upper case (`get`).
    MethodCase,
    /// A method outside GET, POST, PUT, PATCH, DELETE, HEAD and OPTIONS.
    MethodUnknown,
    /// A request line with a method but no target.
    TargetMissing,
    /// A status line without `/version` (`HTTP 201 Created`).
    VersionMissing,
    /// A version other than `HTTP/1.0`, `HTTP/1.1`, `HTTP/2` or `HTTP/2.0`.
    VersionInvalid,
    /// A status line without a status code.
    StatusMissing,
    /// A status code that is not a number (`2xx`, `200OK`).
    StatusNotNumeric,
    /// A numeric status code outside 100–599.
    StatusOutOfRange,
    /// A header name that is empty or contains spaces or other characters names cannot hold.
    HeaderNameInvalid,
    /// The body follows the headers without the blank line that must separate them.
    BlankLineMissing,
    /// A request block with more than one request line.
    ExtraRequestLine,
}

impl ProblemKind {
    /// A short stable kebab-case name, e.g. `blank-line-missing`.
    pub fn as_str(self) -> &'static str {
        match self {
            ProblemKind::Empty => "empty",
            ProblemKind::NotHttp => "not-http",
            ProblemKind::MethodMissing => "method-missing",
            ProblemKind::ResponseInRequest => "response-in-request",
            ProblemKind::RequestInResponse => "request-in-response",
            ProblemKind::MethodCase => "method-case",
            ProblemKind::MethodUnknown => "method-unknown",
            ProblemKind::TargetMissing => "target-missing",
            ProblemKind::VersionMissing => "version-missing",
            ProblemKind::VersionInvalid => "version-invalid",
            ProblemKind::StatusMissing => "status-missing",
            ProblemKind::StatusNotNumeric => "status-not-numeric",
            ProblemKind::StatusOutOfRange => "status-out-of-range",
            ProblemKind::HeaderNameInvalid => "header-name-invalid",
            ProblemKind::BlankLineMissing => "blank-line-missing",
            ProblemKind::ExtraRequestLine => "extra-request-line",
        }
    }
}

impl fmt::Display for ProblemKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A defect in an HTTP block: what is wrong, what would be right, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpProblem {
    /// The kind of defect.
    pub kind: ProblemKind,
    /// Lower-case message that quotes the offending text and says what would be right.
    pub message: String,
    /// The offending text (for something missing: the line it is missing from).
    pub span: Range<usize>,
}

impl fmt::Display for HttpProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for HttpProblem {}

/// One `METHOD /path` line of an "HTTP request" section's list of URL templates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxLine {
    /// The method (always one of the known upper-case methods).
    pub method: Spanned<String>,
    /// The path or URL template, trimmed; may contain spaces; a trailing `HTTP/x.y` is not
    /// part of it.
    pub path: Spanned<String>,
    /// The whole line, without surrounding whitespace or the line ending.
    pub line: Range<usize>,
}

/// The methods a request may use, in upper case.
pub const METHODS: [&str; 7] = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

/// The versions a request or status line may name.
pub const VERSIONS: [&str; 4] = ["HTTP/1.0", "HTTP/1.1", "HTTP/2", "HTTP/2.0"];

const EXAMPLE_REQUEST: &str = "`GET https://graph.microsoft.com/v1.0/me`";
const EXAMPLE_STATUS: &str = "`HTTP/1.1 200 OK`";

// ---------------------------------------------------------------------------------------
// Public entry points

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

/// The standard reason phrase of a status code, as registered with IANA (`204` →
/// `"No Content"`); `None` for unassigned codes.
pub fn reason_phrase(code: u16) -> Option<&'static str> {
    REASON_PHRASES
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, phrase)| *phrase)
}

/// Whether `reason` is the standard phrase for `code`, exactly (case included), or the name
/// an earlier RFC gave it (`422 Unprocessable Entity`, `413 Request Entity Too Large`).
pub fn is_standard_reason(code: u16, reason: &str) -> bool {
    reason_phrase(code) == Some(reason)
        || FORMER_REASON_PHRASES
            .iter()
            .any(|(c, phrase)| *c == code && *phrase == reason)
}

impl HttpRequest {
    /// The first header with this name, compared case-insensitively.
    pub fn header(&self, name: &str) -> Option<&Header> {
        find_header(&self.headers, name)
    }

    /// The target split at its first `?`: the path (or URL) and the query string without
    /// the `?`.
    pub fn path_and_query(&self) -> (&str, Option<&str>) {
        match self.target.value.split_once('?') {
            Some((path, query)) => (path, Some(query)),
            None => (&self.target.value, None),
        }
    }
}

impl HttpResponse {
    /// The first header with this name, compared case-insensitively.
    pub fn header(&self, name: &str) -> Option<&Header> {
        find_header(&self.headers, name)
    }
}

impl HttpMessage {
    /// The request or status line.
    pub fn line(&self) -> Range<usize> {
        match self {
            HttpMessage::Request(r) => r.line.clone(),
            HttpMessage::Response(r) => r.line.clone(),
        }
    }

    /// The header lines, in order.
    pub fn headers(&self) -> &[Header] {
        match self {
            HttpMessage::Request(r) => &r.headers,
            HttpMessage::Response(r) => &r.headers,
        }
    }

    /// The first header with this name, compared case-insensitively.
    pub fn header(&self, name: &str) -> Option<&Header> {
        find_header(self.headers(), name)
    }

    /// The body span, if there is a body.
    pub fn body(&self) -> Option<Range<usize>> {
        match self {
            HttpMessage::Request(r) => r.body.clone(),
            HttpMessage::Response(r) => r.body.clone(),
        }
    }

    /// What is wrong with the message, in source order.
    pub fn problems(&self) -> &[HttpProblem] {
        match self {
            HttpMessage::Request(r) => &r.problems,
            HttpMessage::Response(r) => &r.problems,
        }
    }
}

// ---------------------------------------------------------------------------------------
// Lines and tokens

/// One line of the content.
#[derive(Debug, Clone, Copy)]
struct Line {
    /// First byte of the line's text after leading whitespace.
    text_start: usize,
    /// One past the last non-whitespace byte (equal to `text_start` for a blank line).
    text_end: usize,
}

impl Line {
    fn is_blank(&self) -> bool {
        self.text_start == self.text_end
    }

    fn text_range(&self) -> Range<usize> {
        self.text_start..self.text_end
    }

    fn text<'a>(&self, content: &'a str) -> &'a str {
        &content[self.text_range()]
    }
}

/// Splits content at `\n`; a `\r` before it (and any other surrounding whitespace) is left
/// out of the text range.
struct Lines<'a> {
    content: &'a str,
    pos: usize,
}

impl<'a> Lines<'a> {
    fn new(content: &'a str) -> Self {
        Lines { content, pos: 0 }
    }
}

impl Iterator for Lines<'_> {
    type Item = Line;

    fn next(&mut self) -> Option<Line> {
        if self.pos >= self.content.len() {
            return None;
        }
        let start = self.pos;
        let end = match memchr::memchr(b'\n', &self.content.as_bytes()[start..]) {
            Some(i) => {
                self.pos = start + i + 1;
                start + i
            }
            None => {
                self.pos = self.content.len();
                self.content.len()
            }
        };
        let after_leading = self.content[start..end].trim_start();
        let text_start = end - after_leading.len();
        let text_end = text_start + after_leading.trim_end().len();
        Some(Line {
            text_start,
            text_end,
        })
    }
}

/// The whitespace-separated tokens of `range`.
fn tokens(content: &str, range: Range<usize>) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in content[range.clone()].char_indices() {
        let at = range.start + i;
        match (c.is_whitespace(), start) {
            (true, Some(s)) => {
                out.push(s..at);
                start = None;
            }
            (false, None) => start = Some(at),
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push(s..range.end);
    }
    out
}

fn spanned(content: &str, span: Range<usize>) -> Spanned<String> {
    Spanned {
        value: content[span.clone()].to_string(),
        span,
    }
}

fn problem(kind: ProblemKind, message: String, span: Range<usize>) -> HttpProblem {
    HttpProblem {
        kind,
        message,
        span,
    }
}

/// Quotes text for a message, shortened to a readable length.
fn quote(text: &str) -> String {
    const MAX_CHARS: usize = 80;
    match text.char_indices().nth(MAX_CHARS) {
        Some((cut, _)) => format!("`{}…`", &text[..cut]),
        None => format!("`{text}`"),
    }
}

fn starts_with_ignore_case(text: &str, prefix: &str) -> bool {
    text.len() >= prefix.len()
        && text.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
}

fn find_header<'h>(headers: &'h [Header], name: &str) -> Option<&'h Header> {
    headers
        .iter()
        .find(|h| h.name.value.eq_ignore_ascii_case(name))
}

// ---------------------------------------------------------------------------------------
// The first line

enum FirstLine {
    Request(Vec<Range<usize>>),
    Status(Vec<Range<usize>>),
    Other(Vec<Range<usize>>),
}

fn first_line(content: &str, lines: &mut Lines<'_>) -> Result<Line, HttpProblem> {
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

fn classify(content: &str, line: &Line) -> FirstLine {
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

fn not_http(content: &str, line: &Line, tokens: &[Range<usize>]) -> HttpProblem {
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
fn target_and_version(
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

fn finish_request(
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

fn finish_response(
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

/// The code whose standard reason phrase is `reason`, ignoring case.
fn reason_code(reason: &str) -> Option<u16> {
    REASON_PHRASES
        .iter()
        .find(|(_, phrase)| phrase.eq_ignore_ascii_case(reason))
        .map(|(code, _)| *code)
}

// ---------------------------------------------------------------------------------------
// Headers and body

/// Reads header lines up to the first blank line (or the first line that cannot be a
/// header), then the body.
fn headers_and_body(
    content: &str,
    mut lines: Lines<'_>,
    problems: &mut Vec<HttpProblem>,
) -> (Vec<Header>, Option<Range<usize>>) {
    let mut headers = Vec::new();
    let mut body_start = None;
    for line in lines.by_ref() {
        if line.is_blank() {
            break;
        }
        match header_line(content, &line, problems) {
            Some(header) => headers.push(header),
            None => {
                body_start = Some(line.text_start);
                break;
            }
        }
    }
    let body_start = body_start.or_else(|| lines.find(|l| !l.is_blank()).map(|l| l.text_start));
    let body = body_start.map(|start| start..content.trim_end().len());
    (headers, body)
}

/// Parses one line in header position. `None` means the line starts the body; the problem
/// saying so has been recorded.
fn header_line(content: &str, line: &Line, problems: &mut Vec<HttpProblem>) -> Option<Header> {
    let text = line.text(content);
    let starts_body = text.starts_with(['{', '[', '<', '"', '}', ']']);
    let first_word = text.split(char::is_whitespace).next().unwrap_or("");
    if METHODS.contains(&first_word) && first_word.len() < text.len() {
        problems.push(problem(
            ProblemKind::ExtraRequestLine,
            format!(
                "second request line {}; an example block holds one request (put each in \
                 its own block)",
                quote(text)
            ),
            line.text_range(),
        ));
        return None;
    }
    // A colon directly followed by `//` is a URL, not a header.
    let colon = text
        .find(':')
        .filter(|&i| !starts_body && !text[i + 1..].starts_with("//"));
    let Some(colon) = colon else {
        problems.push(problem(
            ProblemKind::BlankLineMissing,
            format!(
                "missing blank line between headers and body: {} is not a `Name: value` \
                 header, so the body starts here; add an empty line before it",
                quote(text)
            ),
            line.text_range(),
        ));
        return None;
    };

    let raw_name = &text[..colon];
    let name_text = raw_name.trim_end();
    let name_span = line.text_start..line.text_start + name_text.len();
    let after_colon = line.text_start + colon + 1;
    let value_text = content[after_colon..line.text_end].trim_start();
    let value_span = line.text_end - value_text.len()..line.text_end;
    if let Some(message) = header_name_problem(name_text, raw_name.len() != name_text.len(), text) {
        let span = if name_text.is_empty() {
            line.text_range()
        } else {
            name_span.clone()
        };
        problems.push(problem(ProblemKind::HeaderNameInvalid, message, span));
    }
    Some(Header {
        name: spanned(content, name_span),
        value: spanned(content, value_span),
        line: line.text_range(),
    })
}

/// What is wrong with a header name, if anything.
fn header_name_problem(name: &str, space_before_colon: bool, line: &str) -> Option<String> {
    if name.is_empty() {
        return Some(format!(
            "header {} has no name; write `Name: value`",
            quote(line)
        ));
    }
    if name.contains(char::is_whitespace) {
        let fixed: String = name.split_whitespace().collect::<Vec<_>>().join("-");
        return Some(format!(
            "header name {} contains a space; header names are single words such as {}",
            quote(name),
            quote(&fixed)
        ));
    }
    if let Some(bad) = name.chars().find(|&c| !is_token_char(c)) {
        return Some(format!(
            "header name {} contains `{bad}`, which header names cannot hold",
            quote(name)
        ));
    }
    if space_before_colon {
        return Some(format!(
            "space between header name {} and its colon; write {}",
            quote(name),
            quote(&format!("{name}:"))
        ));
    }
    None
}

/// RFC 9110 `tchar`.
fn is_token_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c)
}

// ---------------------------------------------------------------------------------------
// Reason phrases

/// The IANA HTTP Status Code Registry (unassigned and unused codes left out).
const REASON_PHRASES: &[(u16, &str)] = &[
    (100, "Continue"),
    (101, "Switching Protocols"),
    (102, "Processing"),
    (103, "Early Hints"),
    (200, "OK"),
    (201, "Created"),
    (202, "Accepted"),
    (203, "Non-Authoritative Information"),
    (204, "No Content"),
    (205, "Reset Content"),
    (206, "Partial Content"),
    (207, "Multi-Status"),
    (208, "Already Reported"),
    (226, "IM Used"),
    (300, "Multiple Choices"),
    (301, "Moved Permanently"),
    (302, "Found"),
    (303, "See Other"),
    (304, "Not Modified"),
    (305, "Use Proxy"),
    (307, "Temporary Redirect"),
    (308, "Permanent Redirect"),
    (400, "Bad Request"),
    (401, "Unauthorized"),
    (402, "Payment Required"),
    (403, "Forbidden"),
    (404, "Not Found"),
    (405, "Method Not Allowed"),
    (406, "Not Acceptable"),
    (407, "Proxy Authentication Required"),
    (408, "Request Timeout"),
    (409, "Conflict"),
    (410, "Gone"),
    (411, "Length Required"),
    (412, "Precondition Failed"),
    (413, "Content Too Large"),
    (414, "URI Too Long"),
    (415, "Unsupported Media Type"),
    (416, "Range Not Satisfiable"),
    (417, "Expectation Failed"),
    (421, "Misdirected Request"),
    (422, "Unprocessable Content"),
    (423, "Locked"),
    (424, "Failed Dependency"),
    (425, "Too Early"),
    (426, "Upgrade Required"),
    (428, "Precondition Required"),
    (429, "Too Many Requests"),
    (431, "Request Header Fields Too Large"),
    (451, "Unavailable For Legal Reasons"),
    (500, "Internal Server Error"),
    (501, "Not Implemented"),
    (502, "Bad Gateway"),
    (503, "Service Unavailable"),
    (504, "Gateway Timeout"),
    (505, "HTTP Version Not Supported"),
    (506, "Variant Also Negotiates"),
    (507, "Insufficient Storage"),
    (508, "Loop Detected"),
    (510, "Not Extended"),
    (511, "Network Authentication Required"),
];

/// Names that RFC 2616 and RFC 7231 gave before RFC 9110 renamed them.
const FORMER_REASON_PHRASES: &[(u16, &str)] = &[
    (413, "Payload Too Large"),
    (413, "Request Entity Too Large"),
    (414, "Request-URI Too Long"),
    (416, "Requested Range Not Satisfiable"),
    (422, "Unprocessable Entity"),
];

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The span of the `nth` (0-based) occurrence of `needle` in `haystack`.
    fn nth(haystack: &str, needle: &str, n: usize) -> Range<usize> {
        let start = haystack
            .match_indices(needle)
            .nth(n)
            .unwrap_or_else(|| panic!("{needle:?} not in {haystack:?}"))
            .0;
        start..start + needle.len()
    }

    fn at(haystack: &str, needle: &str) -> Range<usize> {
        nth(haystack, needle, 0)
    }

    fn request(content: &str) -> HttpRequest {
        parse_request(content).unwrap_or_else(|p| panic!("{content:?}: {p}"))
    }

    fn response(content: &str) -> HttpResponse {
        parse_response(content).unwrap_or_else(|p| panic!("{content:?}: {p}"))
    }

    fn kinds(problems: &[HttpProblem]) -> Vec<ProblemKind> {
        problems.iter().map(|p| p.kind).collect()
    }

    // --- requests ------------------------------------------------------------------------

    #[test]
    fn simple_request() {
        let r = request("GET https://graph.microsoft.com/v1.0/me\n");
        assert_eq!(r.line, 0..39);
        assert_eq!(r.method.value, "GET");
        assert_eq!(r.method.span, 0..3);
        assert_eq!(r.target.value, "https://graph.microsoft.com/v1.0/me");
        assert_eq!(r.target.span, 4..39);
        assert_eq!(r.version, None);
        assert!(r.headers.is_empty());
        assert_eq!(r.body, None);
        assert!(r.problems.is_empty());
    }

    #[test]
    fn request_with_version_headers_and_body() {
        let c = "POST /me/events HTTP/1.1\nContent-type: application/json\nContent-length: 12\n\n{\n  \"a\": 1\n}\n\n";
        let r = request(c);
        assert_eq!(r.target.value, "/me/events");
        assert_eq!(r.target.span, 5..15);
        let v = r.version.clone().unwrap();
        assert_eq!((v.value.as_str(), v.span), ("HTTP/1.1", 16..24));
        assert_eq!(r.headers.len(), 2);
        let h = &r.headers[0];
        assert_eq!(h.name.value, "Content-type");
        assert_eq!(h.name.span, 25..37);
        assert_eq!(h.value.value, "application/json");
        assert_eq!(h.value.span, 39..55);
        assert_eq!(h.line, 25..55);
        assert_eq!(r.headers[1].value.value, "12");
        assert_eq!(r.body, Some(at(c, "{").start..at(c, "}").end));
        assert!(r.problems.is_empty());
        assert_eq!(
            r.header("CONTENT-TYPE").unwrap().value.value,
            "application/json"
        );
        assert!(r.header("Prefer").is_none());
    }

    #[test]
    fn odata_target_keeps_spaces_and_quotes() {
        let c = "GET https://graph.microsoft.com/v1.0/users?$filter=startswith(displayName,'a') and x eq 'y'";
        let r = request(c);
        assert_eq!(r.target.span, 4..c.len());
        assert_eq!(r.target.value, &c[4..]);
        assert_eq!(
            r.path_and_query(),
            (
                "https://graph.microsoft.com/v1.0/users",
                Some("$filter=startswith(displayName,'a') and x eq 'y'")
            )
        );
        assert!(r.problems.is_empty());

        let c = "GET /users?$search=\"displayName:x\"  HTTP/1.1  ";
        let r = request(c);
        assert_eq!(r.target.value, "/users?$search=\"displayName:x\"");
        assert_eq!(r.target.span, 4..34);
        assert_eq!(r.version.unwrap().span, 36..44);
        assert_eq!(r.line, 0..44);
    }

    #[test]
    fn path_and_query_without_query() {
        let r = request("GET /me/drive/root:/a.txt:/content");
        assert_eq!(r.path_and_query(), ("/me/drive/root:/a.txt:/content", None));
    }

    #[test]
    fn crlf_leading_blank_lines_and_indentation() {
        let c = "\r\n  \r\n   GET /me HTTP/1.1\r\n   Prefer: a\r\n\r\n   body \r\n";
        let r = request(c);
        assert_eq!(r.line, at(c, "GET /me HTTP/1.1"));
        assert_eq!(r.method.span, at(c, "GET"));
        assert_eq!(r.target.span, at(c, "/me"));
        assert_eq!(r.headers[0].line, at(c, "Prefer: a"));
        assert_eq!(r.headers[0].value.span, nth(c, "a", 0));
        assert_eq!(r.body, Some(at(c, "body")));
        assert!(r.problems.is_empty());
    }

    #[test]
    fn lower_case_method() {
        let r = request("get /me");
        assert_eq!(kinds(&r.problems), [ProblemKind::MethodCase]);
        assert_eq!(r.problems[0].span, 0..3);
        assert_eq!(
            r.problems[0].message,
            "method `get` must be upper case: `GET`"
        );
        assert_eq!(r.method.value, "get");
    }

    #[test]
    fn unknown_method() {
        let r = request("MERGE /me");
        assert_eq!(kinds(&r.problems), [ProblemKind::MethodUnknown]);
        assert_eq!(r.problems[0].span, 0..5);
        assert!(r.problems[0]
            .message
            .starts_with("unknown method `MERGE`; use GET, POST"));

        let r = request("POTS /me/events");
        assert_eq!(
            r.problems[0].message,
            "unknown method `POTS`; did you mean `POST`?"
        );
    }

    #[test]
    fn missing_target() {
        let r = request("DELETE\n");
        assert_eq!(kinds(&r.problems), [ProblemKind::TargetMissing]);
        assert_eq!(r.problems[0].span, 0..6);
        assert_eq!(r.target.value, "");
        assert_eq!(r.target.span, 6..6);

        let r = request("GET HTTP/1.1");
        assert_eq!(kinds(&r.problems), [ProblemKind::TargetMissing]);
        assert_eq!(r.version.unwrap().span, 4..12);
    }

    #[test]
    fn request_version_checked() {
        let r = request("GET /me HTTP/1.2");
        assert_eq!(kinds(&r.problems), [ProblemKind::VersionInvalid]);
        assert_eq!(r.problems[0].span, 8..16);
        assert_eq!(
            r.problems[0].message,
            "unsupported HTTP version `HTTP/1.2`; use `HTTP/1.1` (or `HTTP/1.0`, `HTTP/2`)"
        );
        let r = request("GET /me http/1.1");
        assert_eq!(
            r.problems[0].message,
            "malformed HTTP version `http/1.1`; write `HTTP/1.1`"
        );
        for ok in ["HTTP/1.0", "HTTP/1.1", "HTTP/2", "HTTP/2.0"] {
            assert!(
                request(&format!("GET /me {ok}")).problems.is_empty(),
                "{ok}"
            );
        }
    }

    #[test]
    fn request_parser_rejects_response() {
        let p = parse_request("HTTP/1.1 200 OK\n").unwrap_err();
        assert_eq!(p.kind, ProblemKind::ResponseInRequest);
        assert_eq!(p.span, 0..15);
        assert!(p.message.contains("`HTTP/1.1 200 OK`"), "{}", p.message);
    }

    #[test]
    fn url_without_method() {
        let c = "https://graph.microsoft.com/v1.0/$metadata";
        let p = parse_request(c).unwrap_err();
        assert_eq!(p.kind, ProblemKind::MethodMissing);
        assert_eq!(p.span, 0..c.len());
        assert_eq!(
            p.message,
            "request line `https://graph.microsoft.com/v1.0/$metadata` has no method; \
             write the method first, e.g. `GET https://graph.microsoft.com/v1.0/$metadata`"
        );
    }

    #[test]
    fn neither_request_nor_response() {
        for c in [
            "{\n  \"a\": 1\n}",
            "No Content - 204",
            "HTTP code: 200 OK",
            "Prefer: x",
        ] {
            let p = parse_message(c).unwrap_err();
            assert_eq!(p.kind, ProblemKind::NotHttp, "{c}");
            assert_eq!(p.span, 0..c.find('\n').unwrap_or(c.len()), "{c}");
        }
        let p = parse_message(" \n\t\r\n").unwrap_err();
        assert_eq!(p.kind, ProblemKind::Empty);
        assert_eq!(p.span, 0..5);
        assert_eq!(parse_message("").unwrap_err().kind, ProblemKind::Empty);
    }

    #[test]
    fn body_without_blank_line() {
        let c = "POST /me/events\nContent-Type: application/json\n{\n  \"a\": 1\n}\n";
        let r = request(c);
        assert_eq!(r.headers.len(), 1);
        assert_eq!(kinds(&r.problems), [ProblemKind::BlankLineMissing]);
        assert_eq!(r.problems[0].span, at(c, "{"));
        assert!(r.problems[0]
            .message
            .starts_with("missing blank line between headers and body: `{`"));
        assert_eq!(r.body, Some(at(c, "{").start..at(c, "}").end));

        // Plain text after the request line, and JSON members.
        let c = "POST /x\nhello world\n";
        let r = request(c);
        assert_eq!(kinds(&r.problems), [ProblemKind::BlankLineMissing]);
        assert_eq!(r.body, Some(8..19));
        let c = "POST /x\n  \"a\": 1\n";
        assert_eq!(request(c).body, Some(10..16));
    }

    #[test]
    fn second_request_line() {
        let c = "GET /me\nGET /users/{id}\n";
        let r = request(c);
        assert_eq!(kinds(&r.problems), [ProblemKind::ExtraRequestLine]);
        assert_eq!(r.problems[0].span, 8..23);
        assert_eq!(r.body, Some(8..23));
        // A Graph path with colons is not a header either.
        let c = "GET /me\nGET /me/drive/root:/{item-path}:/workbook\n";
        assert_eq!(kinds(&request(c).problems), [ProblemKind::ExtraRequestLine]);
    }

    #[test]
    fn bad_header_names() {
        let c = "GET /me\nContent Type: a\n: b\nWarning : 199\nX\"y: 1\nOk:\n";
        let r = request(c);
        assert_eq!(r.headers.len(), 5);
        assert_eq!(
            kinds(&r.problems),
            [ProblemKind::HeaderNameInvalid; 4].to_vec()
        );
        assert_eq!(r.problems[0].span, at(c, "Content Type"));
        assert_eq!(
            r.problems[0].message,
            "header name `Content Type` contains a space; header names are single words such as `Content-Type`"
        );
        assert_eq!(r.problems[1].span, at(c, ": b"));
        assert_eq!(
            r.problems[1].message,
            "header `: b` has no name; write `Name: value`"
        );
        assert_eq!(r.problems[2].span, at(c, "Warning"));
        assert_eq!(
            r.problems[2].message,
            "space between header name `Warning` and its colon; write `Warning:`"
        );
        assert_eq!(r.headers[2].name.value, "Warning");
        assert_eq!(r.headers[2].value.value, "199");
        assert_eq!(r.problems[3].span, at(c, "X\"y"));
        // An empty value has an empty span right after the colon.
        let ok = &r.headers[4];
        assert_eq!(ok.value.value, "");
        assert_eq!(ok.value.span, c.len() - 1..c.len() - 1);
        assert_eq!(r.body, None);
    }

    #[test]
    fn url_line_is_not_a_header() {
        let c = "GET /me\nhttps://graph.microsoft.com/v1.0/me\n";
        let r = request(c);
        assert!(r.headers.is_empty());
        assert_eq!(kinds(&r.problems), [ProblemKind::BlankLineMissing]);
    }

    #[test]
    fn header_value_keeps_colons() {
        let c = "HTTP/1.1 201 Created\nLocation: https://x/y\n";
        let r = response(c);
        assert_eq!(r.headers[0].value.value, "https://x/y");
        assert_eq!(r.headers[0].value.span, at(c, "https://x/y"));
    }

    #[test]
    fn blank_lines_inside_body_are_kept() {
        let c = "HTTP/1.1 200 OK\n\n\n\n  --batch\n\n  part\n\n \n";
        let r = response(c);
        assert_eq!(r.body, Some(at(c, "--batch").start..at(c, "part").end));
    }

    // --- responses -----------------------------------------------------------------------

    #[test]
    fn simple_response() {
        let c = "HTTP/1.1 200 OK\nContent-type: application/json\n\n{\n  \"id\": \"1\"\n}";
        let r = response(c);
        assert_eq!(r.line, 0..15);
        assert_eq!(r.version.value, "HTTP/1.1");
        assert_eq!(r.version.span, 0..8);
        assert_eq!(
            r.status,
            Some(Spanned {
                value: 200,
                span: 9..12
            })
        );
        assert_eq!(r.reason.as_ref().unwrap().value, "OK");
        assert_eq!(r.reason.as_ref().unwrap().span, 13..15);
        assert_eq!(r.headers[0].name.value, "Content-type");
        assert!(r.header("content-TYPE").is_some());
        assert_eq!(r.body, Some(48..c.len()));
        assert!(r.problems.is_empty());
    }

    #[test]
    fn response_without_reason_and_http2() {
        let r = response("HTTP/2 204");
        assert_eq!(r.version.value, "HTTP/2");
        assert_eq!(r.status.unwrap().value, 204);
        assert_eq!(r.reason, None);
        assert!(r.problems.is_empty());
    }

    #[test]
    fn reason_phrase_variants_are_not_parser_problems() {
        let c = "HTTP/1.1 204 No content\r\n";
        let r = response(c);
        let reason = r.reason.unwrap();
        assert_eq!(reason.value, "No content");
        assert_eq!(reason.span, 13..23);
        assert!(r.problems.is_empty());
        assert!(!is_standard_reason(204, "No content"));
        assert!(is_standard_reason(204, "No Content"));
        assert!(is_standard_reason(422, "Unprocessable Entity"));
        assert!(is_standard_reason(422, "Unprocessable Content"));
        assert!(!is_standard_reason(202, "Accpted"));
    }

    #[test]
    fn status_line_without_version() {
        let c = "HTTP 201 Created\nContent-type: application/json\n\n{}";
        let r = response(c);
        assert_eq!(kinds(&r.problems), [ProblemKind::VersionMissing]);
        assert_eq!(r.problems[0].span, 0..4);
        assert_eq!(
            r.problems[0].message,
            "status line `HTTP 201 Created` has no HTTP version; write `HTTP/1.1 201 Created`"
        );
        assert_eq!(r.version.value, "HTTP");
        assert_eq!(r.status.unwrap().value, 201);
        assert_eq!(r.reason.unwrap().value, "Created");
        assert_eq!(r.body, Some(at(c, "{}")));
        assert!(matches!(parse_message(c), Ok(HttpMessage::Response(_))));
    }

    #[test]
    fn status_line_bad_versions() {
        let r = response("HTTP/1.2 200 OK");
        assert_eq!(kinds(&r.problems), [ProblemKind::VersionInvalid]);
        assert_eq!(r.problems[0].span, 0..8);
        let r = response("HTTP1.1 200 OK");
        assert_eq!(
            r.problems[0].message,
            "malformed HTTP version `HTTP1.1`; write `HTTP/1.1`"
        );
        let r = response("Http/1.1 200 OK");
        assert_eq!(
            r.problems[0].message,
            "malformed HTTP version `Http/1.1`; write `HTTP/1.1`"
        );
        assert_eq!(r.status.unwrap().value, 200);
        assert!(response("HTTP/1.0 200 OK").problems.is_empty());
        assert!(response("HTTP/2.0 200 OK").problems.is_empty());
    }

    #[test]
    fn status_code_missing() {
        let r = response("HTTP/1.1");
        assert_eq!(kinds(&r.problems), [ProblemKind::StatusMissing]);
        assert_eq!(r.problems[0].span, 0..8);
        assert_eq!(
            r.problems[0].message,
            "status line `HTTP/1.1` has no status code; write it after the version, e.g. `HTTP/1.1 200 OK`"
        );
        assert_eq!((r.status, r.reason), (None, None));

        let c = "HTTP/1.1 No Content";
        let r = response(c);
        assert_eq!(kinds(&r.problems), [ProblemKind::StatusMissing]);
        assert_eq!(
            r.problems[0].message,
            "status line `HTTP/1.1 No Content` has no status code; write it before the reason \
             phrase, e.g. `HTTP/1.1 204 No Content`"
        );
        assert_eq!(r.reason.unwrap().span, 9..19);

        let r = response("HTTP/1.1 <HTTP status code>");
        assert_eq!(kinds(&r.problems), [ProblemKind::StatusMissing]);
        assert_eq!(r.reason.unwrap().value, "<HTTP status code>");
    }

    #[test]
    fn status_code_not_numeric_or_out_of_range() {
        let r = response("HTTP/1.1 2xx Success");
        assert_eq!(kinds(&r.problems), [ProblemKind::StatusNotNumeric]);
        assert_eq!(r.problems[0].span, 9..12);
        assert_eq!(
            r.problems[0].message,
            "status code `2xx` is not a number; write a three-digit code such as `200`"
        );
        assert_eq!(r.status, None);
        assert_eq!(r.reason.unwrap().value, "Success");

        let r = response("HTTP/1.1 200OK");
        assert_eq!(
            r.problems[0].message,
            "status code `200OK` is not a number; put a space between the code and the reason phrase: `200 OK`"
        );

        for code in ["2000", "99", "600", "0200", "99999999"] {
            let c = format!("HTTP/1.1 {code} OK");
            let r = response(&c);
            assert_eq!(
                kinds(&r.problems),
                [ProblemKind::StatusOutOfRange],
                "{code}"
            );
            assert_eq!(r.problems[0].span, 9..9 + code.len());
            assert_eq!(r.status, None);
        }
        assert_eq!(response("HTTP/1.1 599").status.unwrap().value, 599);
        assert_eq!(response("HTTP/1.1 100").status.unwrap().value, 100);
    }

    #[test]
    fn response_parser_rejects_request_and_json() {
        let p = parse_response("POST /me\n").unwrap_err();
        assert_eq!(p.kind, ProblemKind::RequestInResponse);
        assert_eq!(p.span, 0..8);
        let p = parse_response("\n{\n}").unwrap_err();
        assert_eq!(p.kind, ProblemKind::NotHttp);
        assert_eq!(p.span, 1..2);
        assert_eq!(
            p.message,
            "expected a status line such as `HTTP/1.1 200 OK`, found `{`"
        );
    }

    #[test]
    fn response_body_without_blank_line() {
        let c = "HTTP/1.1 207 Multi-Status\n{\n  \"value\": []\n}";
        let r = response(c);
        assert_eq!(kinds(&r.problems), [ProblemKind::BlankLineMissing]);
        assert_eq!(r.body, Some(26..c.len()));
    }

    #[test]
    fn message_dispatch() {
        let m = parse_message("\n\nPATCH /me\n\n{}").unwrap();
        assert!(matches!(m, HttpMessage::Request(_)));
        assert_eq!(m.line(), 2..11);
        assert_eq!(m.body(), Some(13..15));
        let m = parse_message("HTTP/1.1 204 No Content\nX: y").unwrap();
        assert!(matches!(m, HttpMessage::Response(_)));
        assert_eq!(m.headers().len(), 1);
        assert!(m.header("x").is_some());
        assert!(m.problems().is_empty());
    }

    #[test]
    fn long_text_is_quoted_short() {
        let target = "a".repeat(500);
        let p = parse_message(&format!("/{target}")).unwrap_err();
        assert!(p.message.len() < 300, "{}", p.message);
        assert!(p.message.contains('…'));
    }

    #[test]
    fn unicode_whitespace_and_text() {
        // NBSP between tokens, non-ASCII in the target.
        let c = "GET\u{a0}/users/jürgen\u{a0}HTTP/1.1";
        let r = request(c);
        assert_eq!(r.target.value, "/users/jürgen");
        assert_eq!(r.target.span, at(c, "/users/jürgen"));
        assert_eq!(r.version.unwrap().span, at(c, "HTTP/1.1"));
    }

    // --- syntax lines --------------------------------------------------------------------

    #[test]
    fn syntax_lines() {
        let c = "\nPOST /drives/{driveId}/items/{itemId}/checkout\r\n\n  GET /users?$filter=a eq 'b'\nnot a line\nGET\nget /me\nGET https://graph.microsoft.com/v1.0/me HTTP/1.1\n";
        let lines = parse_syntax(c);
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[0].method.value, "POST");
        assert_eq!(lines[0].method.span, 1..5);
        assert_eq!(
            lines[0].path.value,
            "/drives/{driveId}/items/{itemId}/checkout"
        );
        assert_eq!(lines[0].path.span, 6..47);
        assert_eq!(lines[0].line, 1..47);
        assert_eq!(lines[1].path.value, "/users?$filter=a eq 'b'");
        assert_eq!(lines[1].line, at(c, "GET /users?$filter=a eq 'b'"));
        assert_eq!(lines[2].path.value, "https://graph.microsoft.com/v1.0/me");
        assert!(parse_syntax("").is_empty());
    }

    #[test]
    fn reason_phrases() {
        assert_eq!(reason_phrase(200), Some("OK"));
        assert_eq!(reason_phrase(202), Some("Accepted"));
        assert_eq!(reason_phrase(204), Some("No Content"));
        assert_eq!(reason_phrase(302), Some("Found"));
        assert_eq!(reason_phrase(429), Some("Too Many Requests"));
        assert_eq!(reason_phrase(306), None);
        assert_eq!(reason_phrase(299), None);
        assert_eq!(reason_phrase(0), None);
    }

    #[test]
    fn linear_on_big_input() {
        // A long line and many header lines stay fast.
        let big = format!(
            "GET /{}\n{}\n\n{}",
            "a ".repeat(200_000),
            "X: y\n".repeat(100_000),
            "{}\n".repeat(100_000)
        );
        let start = std::time::Instant::now();
        let r = request(&big);
        assert_eq!(r.headers.len(), 100_000);
        assert!(start.elapsed().as_secs() < 5);
    }

    // --- properties ----------------------------------------------------------------------

    fn check_span(content: &str, span: &Range<usize>) -> Result<(), TestCaseError> {
        prop_assert!(span.start <= span.end, "{span:?}");
        prop_assert!(span.end <= content.len(), "{span:?} > {}", content.len());
        prop_assert!(content.is_char_boundary(span.start), "{span:?}");
        prop_assert!(content.is_char_boundary(span.end), "{span:?}");
        Ok(())
    }

    fn check_spanned(content: &str, s: &Spanned<String>) -> Result<(), TestCaseError> {
        check_span(content, &s.span)?;
        prop_assert_eq!(&content[s.span.clone()], s.value.as_str());
        Ok(())
    }

    fn check_common(
        content: &str,
        line: &Range<usize>,
        headers: &[Header],
        body: &Option<Range<usize>>,
        problems: &[HttpProblem],
    ) -> Result<(), TestCaseError> {
        check_span(content, line)?;
        for h in headers {
            check_spanned(content, &h.name)?;
            check_spanned(content, &h.value)?;
            check_span(content, &h.line)?;
        }
        if let Some(b) = body {
            check_span(content, b)?;
            prop_assert!(b.start < b.end);
            prop_assert!(b.start >= line.end);
        }
        for p in problems {
            check_span(content, &p.span)?;
            prop_assert!(!p.message.is_empty());
        }
        Ok(())
    }

    fn check_message(content: &str) -> Result<(), TestCaseError> {
        match parse_message(content) {
            Ok(HttpMessage::Request(r)) => {
                check_spanned(content, &r.method)?;
                check_spanned(content, &r.target)?;
                if let Some(v) = &r.version {
                    check_spanned(content, v)?;
                }
                check_common(content, &r.line, &r.headers, &r.body, &r.problems)?;
                let _ = r.path_and_query();
            }
            Ok(HttpMessage::Response(r)) => {
                check_spanned(content, &r.version)?;
                if let Some(s) = &r.status {
                    check_span(content, &s.span)?;
                    prop_assert_eq!(content[s.span.clone()].parse::<u16>().ok(), Some(s.value));
                }
                if let Some(s) = &r.reason {
                    check_spanned(content, s)?;
                }
                check_common(content, &r.line, &r.headers, &r.body, &r.problems)?;
            }
            Err(p) => check_span(content, &p.span)?,
        }
        if let Err(p) = parse_request(content) {
            check_span(content, &p.span)?;
        }
        if let Err(p) = parse_response(content) {
            check_span(content, &p.span)?;
        }
        for s in parse_syntax(content) {
            check_spanned(content, &s.method)?;
            check_spanned(content, &s.path)?;
            check_span(content, &s.line)?;
        }
        Ok(())
    }

    /// Text built from pieces real blocks are made of, so the generator reaches deep paths.
    fn http_like() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            Just("GET".to_string()),
            Just("get".to_string()),
            Just("POST".to_string()),
            Just("HTTP".to_string()),
            Just("HTTP/1.1".to_string()),
            Just("Http/2".to_string()),
            Just("204".to_string()),
            Just("20x".to_string()),
            Just("99999".to_string()),
            Just(" ".to_string()),
            Just("\u{a0}".to_string()),
            Just("\u{3000}".to_string()),
            Just("\n".to_string()),
            Just("\r\n".to_string()),
            Just("\r".to_string()),
            Just(":".to_string()),
            Just("://".to_string()),
            Just("/me?$filter=a eq 'é'".to_string()),
            Just("{".to_string()),
            Just("\"".to_string()),
            Just("Content-Type".to_string()),
            Just("ü😀".to_string()),
            "\\PC{0,6}",
        ];
        proptest::collection::vec(piece, 0..40).prop_map(|v| v.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn never_panics_on_any_text(content in "\\PC*") {
            check_message(&content)?;
        }

        #[test]
        fn never_panics_on_http_like_text(content in http_like()) {
            check_message(&content)?;
        }
    }
}
