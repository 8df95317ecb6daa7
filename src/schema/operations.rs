//! The operations an API reference page documents: the URL templates of its "HTTP request"
//! section grouped by method, each with the page's example requests of that method and the
//! responses paired with them.
//!
//! Examples are the annotated `request` and `response` blocks, and HTTP blocks without an
//! annotation outside the HTTP request section (generated pages often leave them bare).
//! Pairing follows the annotations: a response with a `name` belongs to the earlier request of
//! that name, one without a name to the nearest preceding request that has no response yet.

use std::collections::HashMap;
use std::ops::Range;

use crate::document::http::{
    parse_message, parse_request, parse_response, parse_syntax, HttpMessage, HttpRequest,
    HttpResponse,
};
use crate::document::{Annotation, Document};

/// One method of an API page and the URLs it is documented at.
#[derive(Debug, Clone)]
pub struct Operation {
    /// The method, upper case.
    pub method: String,
    /// The URL templates of the HTTP request section for this method, in page order.
    pub templates: Vec<UrlTemplate>,
    /// The example requests of this method, each with its response, in page order.
    pub exchanges: Vec<Exchange>,
}

/// A `METHOD path` line of the HTTP request section.
#[derive(Debug, Clone)]
pub struct UrlTemplate {
    /// The path or URL template as written (query included).
    pub path: String,
    /// Where it is written in the page.
    pub span: Range<usize>,
}

/// An example request and the response paired with it.
#[derive(Debug, Clone)]
pub struct Exchange {
    /// The request.
    pub request: Example<HttpRequest>,
    /// Its response, if one pairs with it.
    pub response: Option<Example<HttpResponse>>,
}

/// An annotated example block, parsed.
#[derive(Debug, Clone)]
pub struct Example<M> {
    /// The index of its annotation in the page, if it has one.
    pub annotation: Option<usize>,
    /// Where the block's content starts in the page (the message's spans are relative to it).
    pub content_start: usize,
    /// The parsed message.
    pub message: M,
}

impl<M> Example<M> {
    /// The block's annotation, if it has one.
    pub fn annotation<'d>(&self, doc: &'d Document) -> Option<&'d Annotation> {
        self.annotation.and_then(|a| doc.annotations.get(a))
    }

    /// A span of the message made absolute in the page.
    pub fn at(&self, span: &Range<usize>) -> Range<usize> {
        self.content_start + span.start..self.content_start + span.end
    }
}

impl Exchange {
    /// The request's `name`, if it has one.
    pub fn name<'d>(&self, doc: &'d Document) -> Option<&'d str> {
        self.request.annotation(doc)?.name()
    }
}

/// The operations of a page, methods in the order the HTTP request section first lists them.
/// Pages without an HTTP request section have none.
pub fn read(doc: &Document) -> Vec<Operation> {
    let mut operations: Vec<Operation> = Vec::new();
    let mut requests: Vec<Example<HttpRequest>> = Vec::new();
    let mut responses: Vec<(usize, Example<HttpResponse>)> = Vec::new();
    let mut add_template = |method: &str, path: &str, span: Range<usize>| {
        let method = method.to_ascii_uppercase();
        let template = UrlTemplate {
            path: path.to_string(),
            span,
        };
        match operations.iter_mut().find(|o| o.method == method) {
            Some(operation) => operation.templates.push(template),
            None => operations.push(Operation {
                method,
                templates: vec![template],
                exchanges: Vec::new(),
            }),
        }
    };
    for block in doc.code_blocks.iter().filter(|b| b.is_http()) {
        let annotation = block.annotation().filter(|&a| a < doc.annotations.len());
        let role = annotation.map(|a| &doc.annotations[a]);
        let is_request = role.is_some_and(|a| a.is("request"));
        let content = doc.slice(&block.content());
        let start = block.content().start;
        let at = |span: &Range<usize>| start + span.start..start + span.end;
        if doc.in_http_request_section(block.span().start) {
            match parse_request(content) {
                Ok(request) if is_request => add_template(
                    &request.method.value,
                    &request.target.value,
                    at(&request.target.span),
                ),
                _ => {
                    for line in parse_syntax(content) {
                        add_template(&line.method.value, &line.path.value, at(&line.path.span));
                    }
                }
            }
            continue;
        }
        let block_type = role.map(|a| {
            if a.is("request") {
                "request"
            } else if a.is("response") {
                "response"
            } else {
                ""
            }
        });
        let message = match block_type {
            Some("request") => parse_request(content).map(HttpMessage::Request),
            Some("response") => parse_response(content).map(HttpMessage::Response),
            Some(_) => continue,
            None => parse_message(content),
        };
        match message {
            Ok(HttpMessage::Request(message)) => requests.push(Example {
                annotation,
                content_start: start,
                message,
            }),
            // Responses pair with the requests before them.
            Ok(HttpMessage::Response(message)) => responses.push((
                requests.len(),
                Example {
                    annotation,
                    content_start: start,
                    message,
                },
            )),
            Err(_) => {}
        }
    }
    let paired = pair(doc, &requests, &responses);
    let mut responses: Vec<Option<Example<HttpResponse>>> =
        responses.into_iter().map(|(_, r)| Some(r)).collect();
    for (request, response) in requests.into_iter().zip(paired) {
        let method = request.message.method.value.to_ascii_uppercase();
        let Some(operation) = operations.iter_mut().find(|o| o.method == method) else {
            continue;
        };
        operation.exchanges.push(Exchange {
            request,
            response: response.and_then(|r| responses[r].take()),
        });
    }
    operations
}

/// For each request, the index of the response that pairs with it. `responses` holds each
/// response with the number of requests before it.
fn pair(
    doc: &Document,
    requests: &[Example<HttpRequest>],
    responses: &[(usize, Example<HttpResponse>)],
) -> Vec<Option<usize>> {
    let mut response_of: Vec<Option<usize>> = vec![None; requests.len()];
    let mut by_name: HashMap<&str, usize> = HashMap::new();
    for (i, request) in requests.iter().enumerate() {
        if let Some(name) = request.annotation(doc).and_then(Annotation::name) {
            by_name.entry(name).or_insert(i);
        }
    }
    // Requests that may still be free, nearest last.
    let mut free: Vec<usize> = Vec::new();
    let mut seen = 0;
    for (r, (before, response)) in responses.iter().enumerate() {
        free.extend(seen..*before);
        seen = seen.max(*before);
        let names = response
            .annotation(doc)
            .map(Annotation::names)
            .unwrap_or_default();
        if names.is_empty() {
            while free.last().is_some_and(|&i| response_of[i].is_some()) {
                free.pop();
            }
            if let Some(i) = free.pop() {
                response_of[i] = Some(r);
            }
            continue;
        }
        for (name, _) in names {
            if let Some(&i) = by_name.get(name) {
                if i < *before && response_of[i].is_none() {
                    response_of[i] = Some(r);
                }
            }
        }
    }
    response_of
}
