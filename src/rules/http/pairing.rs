//! Which response belongs to which request: DL304 request-unpaired, DL305 response-unpaired,
//! DL306 request-name-duplicate.
//!
//! A response with a `name` pairs with the earlier request of that name on the same page (each
//! name of a list, as ApiDoctor does); a response without one pairs with the nearest preceding
//! request that has no response yet. Everything ApiDoctor drops silently is reported here.

use std::cell::Cell;
use std::ops::Range;

use foldhash::{HashMap, HashMapExt};

use super::{Example, Message, Page, Role};
use crate::diagnostic::{Finding, Related, Severity, Violation};
use crate::docset::RequestName;
use crate::document::http::ProblemKind;
use crate::document::{Annotation, Document};
use crate::fix::{Fix, TextEdit};
use crate::rule::Rule;
use crate::rules::Context;
use crate::suggest::Budget;

/// Pairs the page's responses with its requests and reports what does not pair.
pub(super) fn check(cx: &mut Context<'_>, page: &Page<'_>) {
    let examples = &page.examples;
    let lookup = Lookup::new(page);
    // For each example that is a request: the response paired with it.
    let mut response_of: Vec<Option<usize>> = vec![None; examples.len()];
    // Requests seen so far that may still be free; the nearest is last.
    let mut free: Vec<usize> = Vec::new();
    let mut unpaired_responses = Vec::new();
    for (i, example) in examples.iter().enumerate() {
        if example.role == Role::Request {
            free.push(i);
        }
        if example.role != Role::Response || holds_request(example) {
            // A request annotated as a response is DL302's; it pairs with nothing.
            continue;
        }
        let names = example.annotation.names();
        let paired = if names.is_empty() {
            while free.last().is_some_and(|&j| response_of[j].is_some()) {
                free.pop();
            }
            match free.pop() {
                Some(request) => {
                    response_of[request] = Some(i);
                    true
                }
                None => {
                    report_alone(cx, page, &lookup, i, &response_of);
                    false
                }
            }
        } else {
            let mut any = false;
            for (name, span) in names {
                any |= pair_by_name(cx, page, &lookup, i, name, span, &mut response_of);
            }
            any
        };
        if !paired {
            unpaired_responses.push(i);
        }
    }
    for (i, example) in examples.iter().enumerate() {
        if example.role == Role::Request && response_of[i].is_none() {
            unpaired_request(cx, page, &lookup, i, &unpaired_responses);
        }
    }
    // A doc-set rule: with only named files loaded, other pages' names are unknown.
    if cx.enabled(Rule::RequestNameDuplicate) && cx.index.complete {
        for (i, example) in examples.iter().enumerate() {
            if example.role == Role::Request {
                duplicate_name(cx, page, i);
            }
        }
    }
}

/// The page's requests indexed for pairing, so that a page with many examples pairs them in
/// about linear time.
struct Lookup<'p> {
    /// Indices of the request examples, in page order.
    requests: Vec<usize>,
    /// Indices of the response blocks that hold a request, in page order.
    mislabelled: Vec<usize>,
    /// Request indices by name, in page order.
    by_name: HashMap<&'p str, Vec<usize>>,
    /// Request indices by ASCII-lower-cased name, in page order.
    by_lower_name: HashMap<String, Vec<usize>>,
    /// Request names, sorted and without repeats, for a did-you-mean.
    names: Vec<&'p str>,
    /// The page's skipped request blocks, and the first of each name.
    skipped: &'p [(Range<usize>, Option<&'p Annotation>)],
    skipped_by_name: HashMap<&'p str, usize>,
    /// Did-you-means left on this page.
    suggestions: Cell<Budget>,
}

impl<'p> Lookup<'p> {
    fn new(page: &'p Page<'_>) -> Lookup<'p> {
        let mut lookup = Lookup {
            requests: Vec::new(),
            mislabelled: Vec::new(),
            by_name: HashMap::new(),
            by_lower_name: HashMap::new(),
            names: Vec::new(),
            skipped: &page.skipped_requests,
            skipped_by_name: HashMap::new(),
            suggestions: Cell::default(),
        };
        for (i, (_, annotation)) in page.skipped_requests.iter().enumerate() {
            if let Some(name) = annotation.and_then(|a| a.name()) {
                lookup.skipped_by_name.entry(name).or_insert(i);
            }
        }
        for (i, example) in page.examples.iter().enumerate() {
            if holds_request(example) {
                lookup.mislabelled.push(i);
            }
            if example.role != Role::Request {
                continue;
            }
            lookup.requests.push(i);
            if let Some(name) = example.annotation.name() {
                lookup.by_name.entry(name).or_default().push(i);
                lookup
                    .by_lower_name
                    .entry(name.to_ascii_lowercase())
                    .or_default()
                    .push(i);
            }
        }
        lookup.names = lookup.by_name.keys().copied().collect();
        lookup.names.sort_unstable();
        lookup
    }

    /// The first request named exactly `name`.
    fn named(&self, name: &str) -> Option<usize> {
        self.by_name.get(name).map(|r| r[0])
    }

    /// The request whose name is closest to `name`, for a did-you-mean (while the page's
    /// budget of suggestions lasts).
    fn closest_name(&self, name: &str) -> Option<(usize, &str)> {
        let mut budget = self.suggestions.get();
        let granted = budget.take();
        self.suggestions.set(budget);
        if !granted {
            return None;
        }
        let close = crate::suggest::closest_sorted(name, &self.names)?;
        Some((self.named(close)?, close))
    }

    /// The first skipped request block named `name`, with its annotation.
    fn skipped_named(&self, name: &str) -> Option<&'p (Range<usize>, Option<&'p Annotation>)> {
        self.skipped_by_name.get(name).map(|&i| &self.skipped[i])
    }

    /// The first request whose name equals `name` ignoring ASCII case.
    fn named_ignoring_case(&self, name: &str) -> Option<usize> {
        self.by_lower_name
            .get(&name.to_ascii_lowercase())
            .map(|r| r[0])
    }
}

/// The items of `indices` (sorted) strictly between `after` and `before`.
fn between(indices: &[usize], after: usize, before: usize) -> &[usize] {
    let start = indices.partition_point(|&i| i <= after);
    let end = indices.partition_point(|&i| i < before).max(start);
    &indices[start..end]
}

/// Reports an unnamed response that finds no free request before it: why it is alone.
fn report_alone(
    cx: &mut Context<'_>,
    page: &Page<'_>,
    lookup: &Lookup<'_>,
    response: usize,
    response_of: &[Option<usize>],
) {
    let examples = &page.examples;
    let doc = page.doc;
    let example = &examples[response];
    let before = lookup.requests.partition_point(|&j| j < response);
    let last_request = before.checked_sub(1).map(|k| lookup.requests[k]);
    // What lies between this response and the example before it explains why it is alone.
    let since = response
        .checked_sub(1)
        .map_or(0, |previous| examples[previous].block.span().end);
    let between_blocks = since..example.block.span().start;
    let skipped =
        lying_within(&page.skipped_requests, &between_blocks, |(span, _)| span).next_back();
    let finding = if let Some((fence, annotation)) = skipped {
        let block_type = annotation.map(|a| a.block_type().unwrap_or("(no blockType)"));
        let violation = ResponseUnpaired::AfterSkippedRequest {
            block_type,
            line: doc.position(fence.start).line,
        };
        let what = if block_type.is_some() {
            "the request block"
        } else {
            "the unannotated request"
        };
        let finding =
            Finding::of(&violation, example.line()).with_related(doc.related(fence.clone(), what));
        deliberately_skipped(finding, block_type)
    } else if let Some(broken) = lying_within(&page.unreadable, &between_blocks, |s| s).next_back()
    {
        let violation = ResponseUnpaired::AfterUnreadableRequest {
            line: doc.position(broken.start).line,
        };
        Finding::of(&violation, example.line()).with_related(unreadable_related(doc, broken))
    } else if let Some(request) = last_request {
        // Every earlier request has a response, the last one included.
        let mislabelled = between(&lookup.mislabelled, request, response)
            .last()
            .map(|&j| doc.position(examples[j].line().start).line);
        let violation = ResponseUnpaired::SecondResponse {
            name: None,
            mislabelled,
        };
        let mut finding = Finding::of(&violation, example.line())
            .with_related(doc.related(examples[request].line(), "the request"));
        if let Some(earlier) = response_of[request] {
            finding = finding.with_related(doc.related(examples[earlier].line(), "its response"));
        }
        // Another outcome of the same call (an error, a second page of results) shown on
        // purpose: the page reads right, only its validation is lost. A request annotated as
        // a response is a mistake, and stays an error.
        if mislabelled.is_none() {
            finding = finding.with_max_severity(Severity::Warning);
        }
        finding
    } else {
        Finding::of(&ResponseUnpaired::NoRequestBefore, example.line())
    };
    cx.report(finding);
}

/// A response after a request its author annotated `ignored` is left unvalidated on purpose,
/// along with its request; one after a request with no annotation at all shares that
/// request's defect, which is reported there (DL206). Both are warnings, not errors.
fn deliberately_skipped(finding: Finding, request_block_type: Option<&str>) -> Finding {
    match request_block_type {
        Some(t) if !t.eq_ignore_ascii_case("ignored") => finding,
        _ => finding.with_max_severity(Severity::Warning),
    }
}

/// Whether a response block holds a request instead.
fn holds_request(example: &Example<'_>) -> bool {
    matches!(&example.message, Message::Invalid(p) if p.kind == ProblemKind::RequestInResponse)
}

/// The items of `items` (in page order, not overlapping) whose spans lie within `range`.
fn lying_within<'s, T>(
    items: &'s [T],
    range: &Range<usize>,
    span: impl Fn(&T) -> &Range<usize> + Copy,
) -> impl DoubleEndedIterator<Item = &'s T> {
    let start = items.partition_point(|item| span(item).start < range.start);
    let end = items.partition_point(|item| span(item).start < range.end);
    let end_limit = range.end;
    items[start..end.max(start)]
        .iter()
        .filter(move |item| span(item).end <= end_limit)
}

/// The block at `fence`, whose annotation does not parse (its own DL201 finding says why).
fn unreadable_related(doc: &Document, fence: &Range<usize>) -> Related {
    doc.related(fence.clone(), "the block whose annotation does not parse")
}

/// Pairs a response with the earlier request called `name`.
fn pair_by_name(
    cx: &mut Context<'_>,
    page: &Page<'_>,
    lookup: &Lookup<'_>,
    response: usize,
    name: &str,
    name_span: Range<usize>,
    response_of: &mut [Option<usize>],
) -> bool {
    let examples = &page.examples;
    let doc = page.doc;
    let example = &examples[response];
    let name_related = || doc.related(name_span.clone(), "the response's name");
    let first_named = lookup.named(name);
    if let Some(request) = first_named.filter(|&j| j < response) {
        let Some(earlier) = response_of[request] else {
            response_of[request] = Some(response);
            return true;
        };
        let violation = ResponseUnpaired::SecondResponse {
            name: Some(name),
            mislabelled: None,
        };
        cx.report(
            Finding::of(&violation, example.line())
                .with_related(doc.related(examples[request].line(), "the request"))
                .with_related(doc.related(examples[earlier].line(), "its response")),
        );
        return false;
    }
    let skipped = lookup
        .skipped_named(name)
        .filter(|(fence, _)| fence.end <= example.block.span().start);
    if let Some((fence, annotation)) = skipped {
        let block_type = annotation
            .and_then(|a| a.block_type())
            .unwrap_or("(no blockType)");
        let violation = ResponseUnpaired::NamesSkippedRequest {
            name,
            block_type,
            line: doc.position(fence.start).line,
        };
        let finding = Finding::of(&violation, example.line())
            .with_related(name_related())
            .with_related(doc.related(fence.clone(), "the request block"));
        cx.report(deliberately_skipped(finding, Some(block_type)));
        return false;
    }
    let (violation, request) =
        if let Some(j) = lookup.named_ignoring_case(name).filter(|&j| j < response) {
            let actual = examples[j].annotation.name().unwrap_or_default();
            (ResponseUnpaired::NameCaseDiffers { name, actual }, Some(j))
        } else if let Some(j) = first_named.filter(|&j| j > response) {
            (ResponseUnpaired::NamesLaterRequest { name }, Some(j))
        } else {
            let closest = lookup.closest_name(name);
            let violation = ResponseUnpaired::NamesNoRequest {
                name,
                closest: closest.map(|(_, n)| n),
            };
            (violation, closest.map(|(j, _)| j))
        };
    let mut finding = Finding::of(&violation, example.line()).with_related(name_related());
    if let Some(j) = request {
        finding = finding.with_related(doc.related(examples[j].line(), "the request"));
    }
    cx.report(finding);
    false
}

/// DL304: a request that no response pairs with.
fn unpaired_request(
    cx: &mut Context<'_>,
    page: &Page<'_>,
    lookup: &Lookup<'_>,
    request: usize,
    unpaired: &[usize],
) {
    let doc = page.doc;
    let examples = &page.examples;
    let example = &examples[request];
    let next_request = between(&lookup.requests, request, usize::MAX)
        .first()
        .copied();
    let until = next_request.map_or(doc.text.len(), |j| examples[j].block.span().start);
    let after = example.block.span().end..until;
    let below = |indices: &[usize]| {
        between(indices, request, next_request.unwrap_or(usize::MAX))
            .first()
            .copied()
    };
    let (why, related) = if !example.block.closed {
        (WhyNoResponse::UnclosedFence, None)
    } else if let Some(response) = below(unpaired) {
        let related = doc.related(examples[response].line(), "the unpaired response");
        (WhyNoResponse::ResponseNamesAnother, Some(related))
    } else if let Some(mislabelled) = below(&lookup.mislabelled) {
        let related = doc.related(
            examples[mislabelled].line(),
            "the block annotated as a response",
        );
        (WhyNoResponse::ResponseHoldsRequest, Some(related))
    } else if let Some(broken) = lying_within(&page.unreadable, &after, |s| s).next() {
        let line = doc.position(broken.start).line;
        (
            WhyNoResponse::UnreadableResponse { line },
            Some(unreadable_related(doc, broken)),
        )
    } else {
        (WhyNoResponse::NoResponse, None)
    };
    let violation = RequestUnpaired {
        name: example.annotation.name(),
        why,
    };
    let mut finding = Finding::of(&violation, example.line());
    if let Some(related) = related {
        finding = finding.with_related(related);
    }
    cx.report(finding);
}

/// DL306: the request's name is used by another request of the doc set too.
fn duplicate_name(cx: &mut Context<'_>, page: &Page<'_>, request: usize) {
    let example = &page.examples[request];
    let Some(name) = example.annotation.name() else {
        return;
    };
    let index = cx.index;
    let Some(uses) = index.request_name_uses(cx.docset_id, name) else {
        return;
    };
    let span = example.annotation.name_span();
    let mut counted = uses.filter(|u| {
        index
            .docsets
            .lints(index.documents[u.document].docset_path(), cx.settings)
    });
    let Some(first) = counted.next() else {
        return;
    };
    let first_doc = &index.documents[first.document];
    let on_this_page = cx.d == Some(first.document);
    if on_this_page && first.span == span {
        return;
    }
    let later: Vec<&RequestName> = counted.collect();
    let Some(nth) = later
        .iter()
        .position(|u| cx.d == Some(u.document) && u.span == span)
    else {
        return;
    };
    let place = if on_this_page {
        "an earlier request on this page".to_string()
    } else {
        format!("a request in {}", first_doc.display())
    };
    let violation = RequestNameDuplicate {
        name,
        place: &place,
    };
    let new_name = free_name(cx, name, nth + 1);
    let fix = rename(page, request, name, &new_name);
    cx.report(
        Finding::of(&violation, span)
            .with_related(
                first
                    .at
                    .related(first_doc.display(), "the first request with this name"),
            )
            .with_fix(fix),
    );
}

/// The `nth` (from 1) of the names `name_1`, `name_2`… that no request of the doc set uses,
/// as ApiDoctor's `deduplicate-example-names` renames: the second request of a name becomes
/// `name_1`, the third `name_2`, skipping names already taken.
fn free_name(cx: &Context<'_>, name: &str, nth: usize) -> String {
    (1..)
        .map(|n| format!("{name}_{n}"))
        .filter(|candidate| !cx.index.request_name_used(cx.docset_id, candidate))
        .nth(nth - 1)
        .unwrap_or_else(|| name.to_string())
}

/// The unsafe fix that renames the request to `new_name`, with the responses of the page that
/// name it (those after it and before the next request of its name): other tools (snippet
/// generators, tests) may know the old name.
fn rename(page: &Page<'_>, request: usize, name: &str, new_name: &str) -> Fix {
    let examples = &page.examples;
    let quoted = serde_json::Value::from(new_name).to_string();
    let mut edits = vec![TextEdit::replace(
        examples[request].annotation.name_span(),
        quoted.clone(),
    )];
    for example in &examples[request + 1..] {
        match example.role {
            Role::Request if example.annotation.name() == Some(name) => break,
            Role::Response => edits.extend(
                example
                    .annotation
                    .names()
                    .into_iter()
                    .filter(|(n, _)| *n == name)
                    .map(|(_, span)| TextEdit::replace(span, quoted.clone())),
            ),
            _ => {}
        }
    }
    let what = if edits.len() > 1 {
        " and its response"
    } else {
        ""
    };
    Fix::needs_review(format!("rename the request{what} to {quoted}"), edits)
}

/// DL305: why a response pairs with no request.
enum ResponseUnpaired<'a> {
    /// The block before it is a request annotated `block_type` (`None`: not annotated), so
    /// it is skipped; `line` is that block's line.
    AfterSkippedRequest {
        block_type: Option<&'a str>,
        line: u32,
    },
    /// The block before it has an annotation that does not parse, on `line`.
    AfterUnreadableRequest { line: u32 },
    /// The request it pairs with (named `name`, or the one above) already has a response;
    /// `mislabelled` is the line of a block between them annotated as a response that holds
    /// a request.
    SecondResponse {
        name: Option<&'a str>,
        mislabelled: Option<u32>,
    },
    /// No request comes before it on the page.
    NoRequestBefore,
    /// It names a request whose block is annotated `block_type` on `line`, so skipped.
    NamesSkippedRequest {
        name: &'a str,
        block_type: &'a str,
        line: u32,
    },
    /// It names `name`, but the request above is named `actual`, which differs in case only.
    NameCaseDiffers { name: &'a str, actual: &'a str },
    /// It names a request that comes after it.
    NamesLaterRequest { name: &'a str },
    /// It names a request the page does not have; `closest` is a near name if there is one.
    NamesNoRequest {
        name: &'a str,
        closest: Option<&'a str>,
    },
}

impl Violation for ResponseUnpaired<'_> {
    const RULE: Rule = Rule::ResponseUnpaired;

    fn message(&self) -> String {
        match self {
            ResponseUnpaired::AfterSkippedRequest { block_type, .. } => {
                let how = match block_type {
                    Some(block_type) => format!("annotated `{block_type}`"),
                    None => "without an annotation".to_string(),
                };
                format!("this response follows a request {how}, so it pairs with no request and is never validated")
            }
            ResponseUnpaired::AfterUnreadableRequest { .. } => {
                "this response pairs with no request, so it is never validated".to_string()
            }
            ResponseUnpaired::SecondResponse { name: None, .. } => {
                "second response to the request above, which already has a response, so this one is never validated".to_string()
            }
            ResponseUnpaired::SecondResponse {
                name: Some(name), ..
            } => format!(
                "second response to request \"{name}\", which already has a response, so this one is never validated"
            ),
            ResponseUnpaired::NoRequestBefore => {
                "this response has no request before it on the page, so it pairs with nothing and is never validated".to_string()
            }
            ResponseUnpaired::NamesSkippedRequest {
                name, block_type, ..
            } => format!(
                "this response names request \"{name}\", which is annotated `{block_type}`, so it pairs with no request and is never validated"
            ),
            ResponseUnpaired::NameCaseDiffers { name, actual } => format!(
                "this response names request \"{name}\", but the request above is named \"{actual}\"; names are case-sensitive"
            ),
            ResponseUnpaired::NamesLaterRequest { name } => format!(
                "this response names request \"{name}\", which comes after it on the page; a response pairs only with an earlier request"
            ),
            ResponseUnpaired::NamesNoRequest { name, .. } => format!(
                "this response names request \"{name}\", but no request on this page has that name, so it pairs with nothing"
            ),
        }
    }

    fn help(&self) -> Option<String> {
        Some(match self {
            ResponseUnpaired::AfterSkippedRequest {
                block_type: Some(block_type),
                line,
            } => format!(
                "annotate the block on line {line} as a `request` (with a `name`), or annotate this response `{block_type}` too"
            ),
            ResponseUnpaired::AfterSkippedRequest {
                block_type: None,
                line,
            } => format!(
                "add `<!-- {{ \"blockType\": \"request\", \"name\": \"…\" }} -->` above the block on line {line}"
            ),
            ResponseUnpaired::AfterUnreadableRequest { line } => unreadable(*line, "a request"),
            ResponseUnpaired::SecondResponse {
                mislabelled: Some(line),
                ..
            } => format!(
                "the block on line {line} is annotated as a response but holds a request; annotate it `\"blockType\": \"request\"`"
            ),
            ResponseUnpaired::SecondResponse {
                mislabelled: None, ..
            } => "if it shows another outcome of the same call, give it its own request block, or annotate it `ignored`".to_string(),
            ResponseUnpaired::NoRequestBefore => {
                "move the response below its request, or annotate it `ignored` if it has no request".to_string()
            }
            ResponseUnpaired::NamesSkippedRequest {
                block_type, line, ..
            } => format!(
                "annotate the block on line {line} as a `request`, or annotate this response `{block_type}` too"
            ),
            ResponseUnpaired::NameCaseDiffers { actual, .. } => format!("write \"{actual}\""),
            ResponseUnpaired::NamesLaterRequest { .. } => {
                "move the response below its request".to_string()
            }
            ResponseUnpaired::NamesNoRequest {
                closest: Some(closest),
                ..
            } => format!("did you mean \"{closest}\"?"),
            ResponseUnpaired::NamesNoRequest { closest: None, .. } => {
                "name a request of this page, or remove the name to pair with the request above"
                    .to_string()
            }
        })
    }
}

/// DL304: a request that no response pairs with, named `name` if it has a name.
struct RequestUnpaired<'a> {
    name: Option<&'a str>,
    why: WhyNoResponse,
}

/// What the text after an unpaired request shows about its missing response.
enum WhyNoResponse {
    /// The request's fence is never closed, so it swallows what follows.
    UnclosedFence,
    /// A response below names another request.
    ResponseNamesAnother,
    /// The block below is annotated as a response but holds a request.
    ResponseHoldsRequest,
    /// A block below has an annotation that does not parse, on `line`.
    UnreadableResponse { line: u32 },
    /// Nothing: the response is missing.
    NoResponse,
}

impl Violation for RequestUnpaired<'_> {
    const RULE: Rule = Rule::RequestUnpaired;

    fn message(&self) -> String {
        match self.name {
            Some(name) => {
                format!("request \"{name}\" has no response, so its example is never validated")
            }
            None => "this request has no response, so its example is never validated".to_string(),
        }
    }

    fn help(&self) -> Option<String> {
        Some(match self.why {
            WhyNoResponse::UnclosedFence => "the request's code fence is never closed, so it swallows the text after it (the response included); close it with ```".to_string(),
            WhyNoResponse::ResponseNamesAnother => {
                "the response below names another request; give it this request's name".to_string()
            }
            WhyNoResponse::ResponseHoldsRequest => "the block below is annotated as a response but holds a request; put the response in its own block".to_string(),
            WhyNoResponse::UnreadableResponse { line } => unreadable(line, "the response"),
            WhyNoResponse::NoResponse => "add an annotated response block (`<!-- { \"blockType\": \"response\" } -->`) after it".to_string(),
        })
    }
}

/// DL306: request name `name` is taken by an earlier request, at `place`.
struct RequestNameDuplicate<'a> {
    name: &'a str,
    place: &'a str,
}

impl Violation for RequestNameDuplicate<'_> {
    const RULE: Rule = Rule::RequestNameDuplicate;

    fn message(&self) -> String {
        let RequestNameDuplicate { name, place } = self;
        format!("request name \"{name}\" is already used by {place}; request names must be unique across the doc set")
    }

    fn help(&self) -> Option<String> {
        Some("rename one of them (snippet and test tooling look requests up by name)".to_string())
    }
}

/// The help for a block whose annotation on `line` does not parse, so that it is not read as
/// `what`.
fn unreadable(line: u32, what: &str) -> String {
    format!(
        "the annotation of the block on line {line} is not valid JSON, so that block is not read as {what}; fix the annotation"
    )
}
