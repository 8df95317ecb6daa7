//! The parsed request and response, and the problems found in them.

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

pub(super) fn find_header<'h>(headers: &'h [Header], name: &str) -> Option<&'h Header> {
    headers
        .iter()
        .find(|h| h.name.value.eq_ignore_ascii_case(name))
}
