//! DL322 scenario-invalid and DL323 scenario-method-unknown: ApiDoctor's test-scenario files,
//! checked offline.
//!
//! ApiDoctor validates a scenario file only while it calls the live service, and only for the
//! scenarios it runs; a malformed key then fails the run, and a scenario whose `method` names
//! no documented request is never run at all. Both are visible in the file itself. Nothing in
//! a scenario file is ever executed here: `#…` keys (C# code ApiDoctor evaluates) are only
//! recognised as keys.

use std::ops::Range;

use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};

use crate::diagnostic::{Finding, Related, Severity, SpanPos, Violation};
use crate::docset::Index;
use crate::document::json::JsonError;
use crate::document::scenarios::{RequestDefinition, Role, ScenarioFile, Spanned};
use crate::rule::Rule;

/// Where a request-parameters, capture or expectation key (or a capture value) puts or reads a
/// value, as ApiDoctor tells from its shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Placeholder {
    /// `{name}`: a placeholder of the URL; `!url`: the whole URL.
    Url,
    /// `[name]`: a value a setup request stored.
    StoredValue,
    /// `!body`: the whole body.
    Body,
    /// `!body.base64`: the whole body, base64-encoded.
    BodyBase64,
    /// `Name:`: a header.
    Header,
    /// `$…`: a JSON path into the body.
    Json,
    /// `#…`: C# code that ApiDoctor evaluates (never run here).
    Code,
    /// Anything else.
    Invalid,
}

impl Placeholder {
    /// ApiDoctor's reading of a key, in its order (`{}` and `[]` need a name inside).
    fn of(key: &str) -> Placeholder {
        let long = key.chars().count() > 2;
        if long && key.starts_with('{') && key.ends_with('}') {
            Placeholder::Url
        } else if long && key.starts_with('[') && key.ends_with(']') {
            Placeholder::StoredValue
        } else if key == "!body" {
            Placeholder::Body
        } else if key == "!body.base64" {
            Placeholder::BodyBase64
        } else if key == "!url" {
            Placeholder::Url
        } else if key.len() > 1 && key.ends_with(':') {
            Placeholder::Header
        } else if key.starts_with('$') {
            Placeholder::Json
        } else if key.starts_with('#') {
            Placeholder::Code
        } else {
            Placeholder::Invalid
        }
    }
}

/// What a scenario file names that must exist elsewhere: the request names of the checkout's
/// pages (ApiDoctor's methods), the names of other annotated blocks (which are no methods),
/// and the canned requests of every scenario file.
pub struct Names<'a> {
    requests: HashSet<&'a str>,
    /// Other named blocks: document index, where the `name` value is and the block type.
    others: HashMap<&'a str, (usize, SpanPos, &'a str)>,
    canned: HashSet<&'a str>,
}

impl<'a> Names<'a> {
    /// Collects the names from the index's pages and the scenario files.
    pub fn new(index: &'a Index, files: impl IntoIterator<Item = &'a ScenarioFile>) -> Self {
        let mut names = Names {
            requests: HashSet::new(),
            others: HashMap::new(),
            canned: HashSet::new(),
        };
        for (d, doc) in index.documents.iter().enumerate() {
            for annotation in doc.annotations.iter().filter(|a| a.code_block().is_some()) {
                let Some(name) = annotation.name() else {
                    continue;
                };
                if annotation.is("request") {
                    names.requests.insert(name);
                } else if let Some(kind) = annotation.block_type() {
                    names
                        .others
                        .entry(name)
                        .or_insert_with(|| (d, doc.span_pos(&annotation.name_span()), kind));
                }
            }
        }
        for file in files {
            names
                .canned
                .extend(file.canned_names.iter().map(String::as_str));
        }
        names
    }
}

/// A place a finding relates to.
pub enum Place {
    /// A place in the page with this index in the index's documents.
    Page(usize, SpanPos),
    /// A span of the scenario file itself.
    File(Range<usize>),
}

/// Checks one scenario file; `related` turns a place into a related location.
pub fn check(
    file: &ScenarioFile,
    names: &Names<'_>,
    related: &dyn Fn(Place, String) -> Related,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    for request in &file.requests {
        invalid(request, &mut findings);
    }
    unknown_methods(file, names, related, &mut findings);
    findings
}

/// DL322: what ApiDoctor rejects in a request definition before (or instead of) sending it.
enum ScenarioInvalid<'a> {
    /// Both `http-request` and `method` (`HttpRequestAndMethodSpecified`).
    RequestAndMethod { method: &'a str },
    /// A setup request with none of `method`, `http-request` and `canned-request`.
    NoRequest,
    /// A request-parameters key that is no placeholder, or a stored value
    /// (`HttpRequestParameterInvalid`).
    Parameter { key: &'a str, kind: Placeholder },
    /// A capture key not in square brackets (`OutputValueKeyNameIncorrect`).
    CaptureKey { key: &'a str },
    /// A capture value that reads nothing from a response (`OutputValueValueIncorrect`).
    CaptureSource { source: &'a str },
    /// An expectation key that reads nothing from the response (`InvalidExpectationKey`).
    Expectation { key: &'a str },
    /// A request-parameters or capture value that is an array or an object.
    NotString { kind: &'a str },
    /// The file is not JSON, even as Json.NET reads it.
    NotJson { error: &'a JsonError },
}

impl Violation for ScenarioInvalid<'_> {
    const RULE: Rule = Rule::ScenarioInvalid;

    fn message(&self) -> String {
        match self {
            ScenarioInvalid::RequestAndMethod { method } => format!(
                "the request gives both `http-request` and `method` (`{method}`), which exclude each other"
            ),
            ScenarioInvalid::NoRequest => {
                "the test-setup request names no request: it has no `method`, `http-request` or `canned-request`".into()
            }
            ScenarioInvalid::Parameter { key, kind: Placeholder::StoredValue } => format!(
                "the request-parameters key `{key}` is a stored value, which a request parameter cannot set"
            ),
            ScenarioInvalid::Parameter { key, .. } => format!(
                "the request-parameters key `{key}` says nothing about where its value goes in the request"
            ),
            ScenarioInvalid::CaptureKey { key } => format!(
                "the capture key `{key}` is no stored-value name: stored values are written in square brackets"
            ),
            ScenarioInvalid::CaptureSource { source } => format!(
                "the capture value `{source}` reads nothing from the response"
            ),
            ScenarioInvalid::Expectation { key } => format!(
                "the expectation key `{key}` reads nothing from the response, so the expectation is never checked"
            ),
            ScenarioInvalid::NotString { kind } => format!(
                "the value is an {kind} where ApiDoctor reads a string, so it cannot load the scenario file at all"
            ),
            ScenarioInvalid::NotJson { error } => format!(
                "the scenario file is not valid JSON, even with the comments and trailing commas ApiDoctor accepts: {error}; ApiDoctor skips the file"
            ),
        }
    }

    fn help(&self) -> Option<String> {
        match self {
            ScenarioInvalid::RequestAndMethod { .. } => Some(
                "keep `method` to call the documented request, or `http-request` for a raw one".into(),
            ),
            ScenarioInvalid::NoRequest => Some(
                "name a documented request (`method`), a canned request (`canned-request`) or write one (`http-request`)".into(),
            ),
            ScenarioInvalid::Parameter { key, kind } => Some(match kind {
                Placeholder::StoredValue => format!(
                    "a URL placeholder is written in braces, `{{{name}}}`; a stored value is read as a value: `\"{{{name}}}\": \"{key}\"`",
                    name = &key[1..key.len() - 1]
                ),
                _ if is_header_name(key) => format!("a request header is written with a colon: `{key}:`"),
                _ => "keys are `{placeholder}` or `!url` (the URL), `Name:` (a header), `$.path` (the JSON body), `!body` or `!body.base64` (the whole body), or `#…` (C# code)".into(),
            }),
            ScenarioInvalid::CaptureKey { key } => Some(format!("write `[{}]`", key.trim_matches(['[', ']']))),
            ScenarioInvalid::CaptureSource { .. } | ScenarioInvalid::Expectation { .. } => Some(
                "read a JSON path of the body (`$.id`), a header (`Location:`) or the whole body (`!body`)".into(),
            ),
            ScenarioInvalid::NotString { .. } => {
                Some("write the value as a string (a JSON body as `!body` text)".into())
            }
            ScenarioInvalid::NotJson { .. } => None,
        }
    }
}

/// DL322 for a scenario file that does not parse, at the error.
pub fn unparsable(error: &JsonError) -> Finding {
    Finding::of(&ScenarioInvalid::NotJson { error }, error.span.clone())
}

/// Whether a key reads like an HTTP header name (`Content-Type`, `If-Match`).
fn is_header_name(key: &str) -> bool {
    key.contains('-')
        && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        && key.starts_with(|c: char| c.is_ascii_uppercase())
}

fn invalid(request: &RequestDefinition, findings: &mut Vec<Finding>) {
    let mut report = |violation: ScenarioInvalid<'_>, span: &Range<usize>| {
        let finding = Finding::of(&violation, span.clone());
        // ApiDoctor only warns about an expectation key; the test still runs.
        findings.push(match violation {
            ScenarioInvalid::Expectation { .. } => finding.with_max_severity(Severity::Warning),
            _ => finding,
        });
    };
    if let (Some(method), Some(_)) = (&request.method, &request.http_request) {
        report(
            ScenarioInvalid::RequestAndMethod {
                method: &method.text,
            },
            &method.span,
        );
    }
    if request.role == Role::Setup
        && request.method.is_none()
        && request.http_request.is_none()
        && request.canned_request.is_none()
    {
        report(
            ScenarioInvalid::NoRequest,
            &(request.span.start..request.span.start + 1),
        );
    }
    for key in &request.parameters {
        let kind = Placeholder::of(&key.text);
        if matches!(kind, Placeholder::Invalid | Placeholder::StoredValue) {
            report(
                ScenarioInvalid::Parameter {
                    key: &key.text,
                    kind,
                },
                &key.span,
            );
        }
    }
    for capture in &request.captures {
        if Placeholder::of(&capture.key.text) != Placeholder::StoredValue {
            report(
                ScenarioInvalid::CaptureKey {
                    key: &capture.key.text,
                },
                &capture.key.span,
            );
        }
        // Only a JSON path, a header or the body can be read from a response.
        if let Some(source) = &capture.source {
            if !matches!(
                Placeholder::of(&source.text),
                Placeholder::Json | Placeholder::Header | Placeholder::Body
            ) {
                report(
                    ScenarioInvalid::CaptureSource {
                        source: &source.text,
                    },
                    &source.span,
                );
            }
        }
    }
    for key in &request.expectations {
        if matches!(
            Placeholder::of(&key.text),
            Placeholder::Invalid | Placeholder::StoredValue | Placeholder::Url
        ) {
            report(ScenarioInvalid::Expectation { key: &key.text }, &key.span);
        }
    }
    for value in &request.not_strings {
        report(
            ScenarioInvalid::NotString { kind: &value.text },
            &value.span,
        );
    }
}

/// DL323: a `method` or `canned-request` that names nothing.
struct ScenarioMethodUnknown<'a> {
    name: &'a str,
    /// What names it (at its first use in the file).
    target: Target,
    /// How many times the file names it.
    uses: usize,
    /// A request name that differs only in case or in `-` against `_`.
    similar: Option<&'a str>,
    /// The block type of a block that has the name but is no request.
    block: Option<&'a str>,
}

/// What names a request in a scenario file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    /// A scenario's `method`: the request it tests.
    ScenarioMethod,
    /// A setup or canned request's `method`.
    SetupMethod,
    /// A `canned-request`.
    Canned,
}

impl Violation for ScenarioMethodUnknown<'_> {
    const RULE: Rule = Rule::ScenarioMethodUnknown;

    fn message(&self) -> String {
        let name = self.name;
        let what = match self.target {
            Target::Canned => format!("the canned request `{name}` is defined in no scenario file"),
            Target::ScenarioMethod => format!("the scenario's method `{name}`"),
            Target::SetupMethod => format!("the test-setup method `{name}`"),
        };
        let named = match (self.target, self.block) {
            (Target::Canned, _) => String::new(),
            (_, Some(block)) => {
                format!(" names a code block annotated `{block}`, which is no request")
            }
            (_, None) => " is the name of no request annotation".to_string(),
        };
        let outcome = match self.target {
            Target::ScenarioMethod => "ApiDoctor never runs the scenario",
            _ => "the scenario fails when ApiDoctor runs it",
        };
        let times = if self.uses > 1 {
            format!(" (named {} times in this file)", self.uses)
        } else {
            String::new()
        };
        format!("{what}{named}, so {outcome}{times}")
    }

    fn help(&self) -> Option<String> {
        if let Some(similar) = self.similar {
            return Some(format!("a request is named `{similar}`"));
        }
        Some(match (self.target, self.block) {
            (Target::Canned, _) => {
                "name a canned request that a scenario file defines under `canned-requests`".into()
            }
            (_, Some(_)) => "annotate the block as a request again, or remove the scenario or disable it (`\"enabled\": false`)".into(),
            (_, None) => "name the request as its annotation does, or remove the scenario or disable it (`\"enabled\": false`)".into(),
        })
    }
}

fn unknown_methods(
    file: &ScenarioFile,
    names: &Names<'_>,
    related: &dyn Fn(Place, String) -> Related,
    findings: &mut Vec<Finding>,
) {
    // Each unknown name once per file, at its first use, with the others related.
    let mut unknown: Vec<(Target, &Spanned, Vec<&Spanned>)> = Vec::new();
    for request in file.requests.iter().filter(|r| r.enabled) {
        let method = match request.role {
            Role::Scenario => Target::ScenarioMethod,
            Role::Setup | Role::Canned => Target::SetupMethod,
        };
        let targets = [
            (method, &request.method),
            (Target::Canned, &request.canned_request),
        ];
        for (target, spanned) in targets {
            let Some(spanned) = spanned else { continue };
            let name = spanned.text.as_str();
            let known = if target == Target::Canned {
                names.canned.contains(name)
            } else {
                names.requests.contains(name)
            };
            if known {
                continue;
            }
            let canned = target == Target::Canned;
            match unknown
                .iter_mut()
                .find(|(t, first, _)| (*t == Target::Canned) == canned && first.text == name)
            {
                Some((_, _, more)) => more.push(spanned),
                None => unknown.push((target, spanned, Vec::new())),
            }
        }
    }
    for (target, first, more) in unknown {
        let name = first.text.as_str();
        let method = target != Target::Canned;
        let other = method.then(|| names.others.get(name)).flatten();
        let violation = ScenarioMethodUnknown {
            name,
            target,
            uses: more.len() + 1,
            similar: method.then(|| similar(name, &names.requests)).flatten(),
            block: other.map(|(_, _, kind)| *kind),
        };
        let mut finding = Finding::of(&violation, first.span.clone());
        if let Some((d, at, kind)) = other {
            finding = finding.with_related(related(
                Place::Page(*d, *at),
                format!("the block named `{name}`, annotated `{kind}`"),
            ));
        }
        for again in more {
            finding = finding.with_related(related(
                Place::File(again.span.clone()),
                format!("`{name}` again"),
            ));
        }
        findings.push(finding);
    }
}

/// The request name that differs from `name` only in case or in `-` against `_`.
fn similar<'a>(name: &str, requests: &HashSet<&'a str>) -> Option<&'a str> {
    let fold = |s: &str| s.to_ascii_lowercase().replace('_', "-");
    let wanted = fold(name);
    let mut found: Vec<&'a str> = requests
        .iter()
        .copied()
        .filter(|r| fold(r) == wanted)
        .collect();
    found.sort_unstable();
    found.first().copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_read_by_their_shape_in_apidoctor_order() {
        let cases = [
            ("{item-id}", Placeholder::Url),
            ("!url", Placeholder::Url),
            ("{}", Placeholder::Invalid),
            ("[item-id]", Placeholder::StoredValue),
            ("[x]:", Placeholder::Header),
            ("[]", Placeholder::Invalid),
            ("!body", Placeholder::Body),
            ("!body.base64", Placeholder::BodyBase64),
            ("!bodies", Placeholder::Invalid),
            ("If-Match:", Placeholder::Header),
            (":", Placeholder::Invalid),
            ("$.value[0].id", Placeholder::Json),
            ("#Guid.NewGuid()", Placeholder::Code),
            ("Content-Type", Placeholder::Invalid),
        ];
        for (key, expected) in cases {
            assert_eq!(Placeholder::of(key), expected, "{key}");
        }
        assert!(is_header_name("Content-Type"));
        assert!(!is_header_name("item-id"));
    }
}
