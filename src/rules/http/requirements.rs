//! DL320 http-api-requirements: example requests and responses against the doc set's
//! ApiDoctor `api-requirements` configuration (allowed methods, maximum URL length, standard
//! request headers, request and response content types).

use serde_json::Value;

use super::{Example, Page, Role};
use crate::diagnostic::{Finding, Severity};
use crate::rule::Rule;
use crate::rules::Context;

/// The requirements, read from the configuration.
struct Requirements {
    methods: Vec<String>,
    max_url_length: Option<usize>,
    headers: Vec<String>,
    case_sensitive_headers: bool,
    request_types: Vec<String>,
    response_types: Vec<String>,
}

impl Requirements {
    fn read(config: &Value) -> Requirements {
        let strings = |value: Option<&Value>| -> Vec<String> {
            value
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .map(|s| s.trim().to_string())
                .collect()
        };
        let request = config.get("httpRequest");
        let response = config.get("httpResponse");
        Requirements {
            methods: strings(request.and_then(|r| r.get("httpMethods"))),
            max_url_length: request
                .and_then(|r| r.get("maxUrlLength"))
                .and_then(Value::as_u64)
                .and_then(|n| usize::try_from(n).ok()),
            headers: strings(request.and_then(|r| r.get("standardHeaders"))),
            case_sensitive_headers: config
                .get("caseSensativeHeaders")
                .or_else(|| config.get("caseSensitiveHeaders"))
                .and_then(Value::as_bool)
                .unwrap_or(false),
            request_types: strings(request.and_then(|r| r.get("contentTypes"))),
            response_types: strings(response.and_then(|r| r.get("contentTypes"))),
        }
    }
}

/// Checks the page's example requests and responses against the doc set's requirements.
pub(super) fn check(cx: &mut Context<'_>, page: &Page<'_>) {
    if !cx.enabled(Rule::HttpApiRequirements) {
        return;
    }
    let Some(config) = cx.docset.apidoctor.api_requirements.as_ref() else {
        return;
    };
    let requirements = Requirements::read(config);
    for example in &page.examples {
        match example.role {
            Role::Request => request(cx, &requirements, example),
            Role::Response => response(cx, &requirements, example),
        }
    }
}

fn request(cx: &mut Context<'_>, requirements: &Requirements, example: &Example<'_>) {
    let Some(request) = example.request() else {
        return;
    };
    let method = &request.method.value;
    if !requirements.methods.is_empty()
        && !requirements
            .methods
            .iter()
            .any(|m| m.eq_ignore_ascii_case(method))
    {
        cx.report(Finding::new(
            Rule::HttpApiRequirements,
            example.at(&request.method.span),
            format!(
                "the method `{method}` is not one the API allows ({}), as the doc set's api-requirements configuration says",
                requirements.methods.join(", ")
            ),
        ));
    }
    let length = request.target.value.chars().count();
    if let Some(max) = requirements.max_url_length.filter(|&max| length > max) {
        cx.report(Finding::new(
            Rule::HttpApiRequirements,
            example.at(&request.target.span),
            format!(
                "the URL is {length} characters long, more than the {max} the doc set's api-requirements configuration allows"
            ),
        ));
    }
    for header in &request.headers {
        let name = &header.name.value;
        let standard = requirements.headers.iter().any(|h| {
            if requirements.case_sensitive_headers {
                h == name
            } else {
                h.eq_ignore_ascii_case(name)
            }
        });
        if !requirements.headers.is_empty() && !standard {
            cx.report(
                Finding::new(
                    Rule::HttpApiRequirements,
                    example.at(&header.name.span),
                    format!(
                        "the request header `{name}` is not one of the standard headers the doc set's api-requirements configuration lists"
                    ),
                )
                .with_help("add it to `standardHeaders` if the API documents it, or drop it from the example")
                .with_max_severity(Severity::Warning),
            );
        }
    }
    if let Some(header) = request.header("Content-Type") {
        content_type(cx, example, header, &requirements.request_types, "request");
    }
}

fn response(cx: &mut Context<'_>, requirements: &Requirements, example: &Example<'_>) {
    if let Some(header) = example.response().and_then(|r| r.header("Content-Type")) {
        content_type(
            cx,
            example,
            header,
            &requirements.response_types,
            "response",
        );
    }
}

/// A Content-Type whose media type (parameters dropped) is not in `allowed`.
fn content_type(
    cx: &mut Context<'_>,
    example: &Example<'_>,
    header: &crate::document::http::Header,
    allowed: &[String],
    what: &str,
) {
    let value = &header.value.value;
    let media = value.split(';').next().unwrap_or("").trim();
    if allowed.is_empty()
        || media.is_empty()
        || allowed.iter().any(|a| a.eq_ignore_ascii_case(media))
    {
        return;
    }
    cx.report(
        Finding::new(
            Rule::HttpApiRequirements,
            example.at(&header.value.span),
            format!(
                "the {what} content type `{media}` is not one the doc set's api-requirements configuration allows ({})",
                allowed.join(", ")
            ),
        )
        .with_max_severity(Severity::Warning),
    );
}
