//! HTTP example rules: DL301–DL321.
//!
//! A page's HTTP blocks are read once into a [`Page`]: the annotated request and response
//! blocks (the examples, parsed with [`crate::document::http`]) and the `METHOD path` lines
//! of its "HTTP request" section (the syntax). Each submodule checks one aspect:
//!
//! * [`messages`]: request and status lines (DL301–DL303),
//! * [`pairing`]: which response belongs to which request (DL304–DL306),
//! * [`urls`]: base URLs, syntax templates and placeholders (DL307–DL309),
//! * [`agreement`]: status codes, bodies and annotations agreeing (DL310, DL311, DL315–DL317),
//! * [`bodies`]: JSON bodies and their Content-Type (DL312–DL314),
//! * [`segments`]: URL segments against the properties of the types they follow (DL318),
//! * [`keys`]: literal keys in example URLs against `sampleKeys` (DL319),
//! * [`requirements`]: examples against the doc set's `api-requirements` (DL320),
//! * [`multipart`]: `multipart/*` bodies split into parts (DL321).

mod agreement;
mod bodies;
mod keys;
mod messages;
mod multipart;
mod pairing;
mod requirements;
mod segments;
mod urls;

use std::ops::Range;

use super::Context;
use crate::document::http::{
    parse_request, parse_response, parse_syntax, HttpProblem, HttpRequest, HttpResponse,
    ProblemKind, METHODS,
};
use crate::document::{starts_with_ignore_case, Annotation, CodeBlock, Document};
use crate::rule::Family;

/// Checks the HTTP examples and syntax of the page.
pub fn check(cx: &mut Context<'_>) {
    if !cx.family_enabled(Family::Http) {
        return;
    }
    let page = Page::read(cx.doc);
    if page.examples.is_empty() && page.templates.is_empty() {
        return;
    }
    messages::check(cx, &page);
    pairing::check(cx, &page);
    urls::check(cx, &page);
    agreement::check(cx, &page);
    bodies::check(cx, &page);
    keys::check(cx, &page);
    segments::check(cx, &page);
    requirements::check(cx, &page);
    multipart::check(cx, &page);
}

/// Whether an example block is a request or a response, as its annotation says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Role {
    /// `"blockType": "request"`.
    Request,
    /// `"blockType": "response"`.
    Response,
}

/// What an example block holds once parsed.
#[derive(Debug)]
pub(super) enum Message {
    /// A request block that parsed as a request.
    Request(HttpRequest),
    /// A response block that parsed as a response.
    Response(HttpResponse),
    /// The block is not what its annotation says (DL301 / DL302 report why).
    Invalid(HttpProblem),
    /// The block is in another fence than `http` and holds no HTTP at all (DL209 reports
    /// the fence); only pairing looks at the block.
    NotHttp,
}

/// An annotated request or response block.
#[derive(Debug)]
pub(super) struct Example<'d> {
    /// Request or response.
    pub role: Role,
    /// The fenced code block.
    pub block: &'d CodeBlock,
    /// Its annotation.
    pub annotation: &'d Annotation,
    /// The parsed content.
    pub message: Message,
    /// Whether the block sits in the "HTTP request" section: a request there documents a
    /// URL of the API (it is one of the page's templates) rather than exemplifying one.
    pub in_syntax_section: bool,
    /// Whether the block sits in an example section (`## Examples`, `### Request`): only
    /// such requests are compared with the syntax, since other sections may document URLs
    /// of their own.
    pub in_example_section: bool,
}

impl Example<'_> {
    /// A span of the block content, made absolute in the page.
    pub fn at(&self, span: &Range<usize>) -> Range<usize> {
        self.block.content().start + span.start..self.block.content().start + span.end
    }

    /// Where findings about the whole block point: its request or status line, else its
    /// first content line, else its fence line.
    pub fn line(&self) -> Range<usize> {
        match &self.message {
            Message::Request(r) => self.at(&r.line),
            Message::Response(r) => self.at(&r.line),
            Message::Invalid(p) if p.span.start < p.span.end => self.at(&p.span),
            _ => self.block.fence_line(),
        }
    }

    /// The parsed request, if this is a valid request block.
    pub fn request(&self) -> Option<&HttpRequest> {
        match &self.message {
            Message::Request(r) => Some(r),
            _ => None,
        }
    }

    /// The parsed response, if this is a valid response block.
    pub fn response(&self) -> Option<&HttpResponse> {
        match &self.message {
            Message::Response(r) => Some(r),
            _ => None,
        }
    }

    /// Whether the annotation says `"truncated": true`.
    pub fn truncated(&self) -> bool {
        self.annotation.get_bool("truncated") == Some(true)
    }

    /// The body's span in the content, unless what follows the blank line is not a body
    /// (see [`Example::misplaced_body`]).
    pub fn body(&self, doc: &Document) -> Option<Range<usize>> {
        let body = match &self.message {
            Message::Request(r) => r.body.clone(),
            Message::Response(r) => r.body.clone(),
            _ => None,
        }?;
        match self.misplaced_body(doc) {
            Some(_) => None,
            None => Some(body),
        }
    }

    /// What the text after the blank line is when it is not a body: header lines (a blank
    /// line crept in under the request line) or a second request. With the page span of its
    /// first line.
    pub fn misplaced_body(&self, doc: &Document) -> Option<(Misplaced, Range<usize>)> {
        let body = match &self.message {
            Message::Request(r) => r.body.as_ref(),
            Message::Response(r) => r.body.as_ref(),
            _ => None,
        }?;
        let span = self.at(body);
        let text = doc.slice(&span);
        let first = text.lines().next().unwrap_or("").trim_end();
        let first_span = span.start..span.start + first.len();
        let mut words = first.split_whitespace();
        let is_request =
            words.next().is_some_and(|w| METHODS.contains(&w)) && words.next().is_some();
        if is_request {
            Some((Misplaced::Request, first_span))
        } else if text
            .lines()
            .filter(|l| !l.trim().is_empty())
            .all(is_header_line)
        {
            Some((Misplaced::Headers, first_span))
        } else {
            None
        }
    }
}

/// What stands where a body should be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Misplaced {
    /// Header lines after a blank line.
    Headers,
    /// Another request line.
    Request,
}

/// Whether a line reads as a `Name: value` header (`Prefer: odata.maxpagesize=2`).
fn is_header_line(line: &str) -> bool {
    let line = line.trim();
    let Some((name, value)) = line.split_once(':') else {
        return false;
    };
    !name.is_empty()
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && !value.starts_with("//")
        && !value.trim().is_empty()
}

/// One `METHOD path` line of the page's "HTTP request" section, with page spans.
#[derive(Debug)]
pub(super) struct Template {
    /// The method, upper case.
    pub method: String,
    /// The path or URL template as written.
    pub path: String,
    /// Where the path is written.
    pub path_span: Range<usize>,
    /// The whole line.
    pub line: Range<usize>,
}

/// The HTTP blocks of a page, parsed once.
#[derive(Debug)]
pub(super) struct Page<'d> {
    /// The page.
    pub doc: &'d Document,
    /// Annotated request and response blocks, in page order.
    pub examples: Vec<Example<'d>>,
    /// Request blocks that are not examples: HTTP fences outside the "HTTP request" section
    /// whose content starts with a request line and whose annotation is another block type
    /// (`ignored`, `example`…) or missing (`None`), in page order, each with its fence line.
    /// Pairing explains with them why a response has no request.
    pub skipped_requests: Vec<(Range<usize>, Option<&'d Annotation>)>,
    /// HTTP fences whose annotation is not valid JSON (DL201 reports it), in page order: the
    /// fence line of each. Pairing explains with them why a block was not read.
    pub unreadable: Vec<Range<usize>>,
    /// The syntax lines of the "HTTP request" section, in page order.
    pub templates: Vec<Template>,
}

impl<'d> Page<'d> {
    /// Reads the page's HTTP blocks.
    pub fn read(doc: &'d Document) -> Page<'d> {
        let mut page = Page {
            doc,
            examples: Vec::new(),
            skipped_requests: Vec::new(),
            unreadable: Vec::new(),
            templates: Vec::new(),
        };
        for block in &doc.code_blocks {
            let annotation = block.annotation().and_then(|a| doc.annotations.get(a));
            let role = annotation.and_then(|a| {
                if a.is("request") {
                    Some(Role::Request)
                } else if a.is("response") {
                    Some(Role::Response)
                } else {
                    None
                }
            });
            match (annotation, role) {
                (Some(annotation), Some(role)) => {
                    let example = Example {
                        role,
                        block,
                        annotation,
                        message: parse(doc, block, role),
                        in_syntax_section: doc.in_http_request_section(block.span().start),
                        in_example_section: in_example_section(doc, block.span().start),
                    };
                    if let (true, Some(request)) = (example.in_syntax_section, example.request()) {
                        page.templates.push(Template {
                            method: request.method.value.to_ascii_uppercase(),
                            path: request.target.value.clone(),
                            path_span: example.at(&request.target.span),
                            line: example.at(&request.line),
                        });
                    }
                    page.examples.push(example);
                }
                // Other fences hold requests only when an annotation or no language says so.
                (None, _) if !block.is_http() && !block.language.is_empty() => {}
                _ if block.is_http() && doc.in_http_request_section(block.span().start) => {
                    if page.read_syntax(block) == 1 {
                        page.skip_request(block, annotation);
                    }
                }
                (Some(annotation), None) if annotation.parsed.is_err() => {
                    if block.is_http() {
                        page.unreadable.push(block.fence_line());
                    }
                }
                (Some(annotation), None) => page.skip_request(block, Some(annotation)),
                (None, _) => page.skip_request(block, None),
            }
        }
        page
    }

    /// Records `block` as a request that is not an example, if it holds exactly one request
    /// with a known method.
    fn skip_request(&mut self, block: &CodeBlock, annotation: Option<&'d Annotation>) {
        let Ok(request) = parse_request(self.doc.slice(&block.content())) else {
            return;
        };
        let one_request = !request
            .problems
            .iter()
            .any(|p| p.kind == ProblemKind::ExtraRequestLine);
        if one_request && METHODS.contains(&request.method.value.as_str()) {
            self.skipped_requests.push((block.fence_line(), annotation));
        }
    }

    /// Adds the block's syntax lines to the templates; returns how many it has.
    fn read_syntax(&mut self, block: &CodeBlock) -> usize {
        let base = block.content().start;
        let at = |span: &Range<usize>| base + span.start..base + span.end;
        let lines = parse_syntax(self.doc.slice(&block.content()));
        let count = lines.len();
        for line in lines {
            self.templates.push(Template {
                method: line.method.value,
                path: line.path.value,
                path_span: at(&line.path.span),
                line: at(&line.line),
            });
        }
        count
    }
}

/// Reads an annotated block as its role says. ApiDoctor parses a request or response whatever
/// its fence's language (DL209 reports the fence); a block in another fence that does not even
/// start like HTTP is left to DL209 alone.
fn parse(doc: &Document, block: &CodeBlock, role: Role) -> Message {
    let content = doc.slice(&block.content());
    let parsed = match role {
        Role::Request => parse_request(content).map(Message::Request),
        Role::Response => parse_response(content).map(Message::Response),
    };
    match parsed {
        Ok(message) => message,
        Err(problem) if !block.is_http() && problem.kind == ProblemKind::NotHttp => {
            Message::NotHttp
        }
        Err(problem) => Message::Invalid(problem),
    }
}

/// Whether `offset` lies in an example section: an enclosing heading mentions "example"
/// (`## Examples`, `### Example 2: …`) or starts with "request" (`#### Request`).
fn in_example_section(doc: &Document, offset: usize) -> bool {
    doc.in_section(offset, |text| {
        starts_with_ignore_case(text, "request") || text.to_ascii_lowercase().contains("example")
    })
}
