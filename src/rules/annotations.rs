//! Code-block annotation rules: DL201–DL206 and DL209.
//!
//! The page annotation (`"type": "#page.annotation"`) has rules of its own (DL207, DL208).

use super::Context;
use crate::diagnostic::{Finding, Severity};
use crate::document::json::{JsonKind, JsonValue};
use crate::document::{Annotation, CodeBlock, Document};
use crate::fix::{line_ending, Fix, TextEdit};
use crate::rule::Rule;

/// The block types ApiDoctor knows.
pub const BLOCK_TYPES: &[&str] = &[
    "request",
    "response",
    "resource",
    "example",
    "ignored",
    "samples",
    "simulatedResponse",
    "testParams",
    "permissions",
    "unknown",
];

/// What a known key's value must be.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Expect {
    Bool,
    String,
    StringList,
    StringOrList,
    Any,
}

/// Every code-block annotation key ApiDoctor reads, with the type of its value.
const KEYS: &[(&str, Expect)] = &[
    ("blockType", Expect::String),
    ("@odata.type", Expect::String),
    ("@type", Expect::String),
    ("@type.aka", Expect::String),
    ("name", Expect::StringOrList),
    ("truncated", Expect::Bool),
    ("isCollection", Expect::Bool),
    ("collectionProperty", Expect::String),
    ("isEmpty", Expect::Bool),
    ("expectError", Expect::Bool),
    ("optionalProperties", Expect::StringList),
    ("nullableProperties", Expect::StringList),
    ("baseType", Expect::String),
    ("abstract", Expect::Bool),
    ("openType", Expect::Bool),
    ("keyProperty", Expect::String),
    ("isMediaEntity", Expect::Bool),
    ("sampleKeys", Expect::StringList),
    ("scopes", Expect::String),
    ("apiVersions", Expect::String),
    ("tags", Expect::String),
    ("isComposable", Expect::Bool),
    ("idempotent", Expect::Bool),
    ("target", Expect::String),
    ("opaqueUrl", Expect::Bool),
    ("longRunningResponseType", Expect::String),
    ("@odata.annotations", Expect::Any),
    ("requestUrls", Expect::Any),
    ("mergePermissions", Expect::Any),
    ("navigationProperty", Expect::Any),
    ("type", Expect::String),
];

/// Checks every code-block annotation of the page and every unannotated example block.
pub fn check(cx: &mut Context<'_>) {
    let doc = cx.doc;
    for annotation in doc.annotations.iter().filter(|a| !a.is_page) {
        check_annotation(cx, doc, annotation);
    }
    if doc.kind.api && !doc.kind.fragment && cx.enabled(Rule::CodeBlockUnannotated) {
        for block in doc.code_blocks.iter().filter(|b| b.annotation().is_none()) {
            unannotated(cx, doc, block);
        }
    }
}

fn check_annotation(cx: &mut Context<'_>, doc: &Document, annotation: &Annotation) {
    if !annotation.closed {
        cx.report(Finding::new(
            Rule::AnnotationInvalidJson,
            annotation.span().start..annotation.span().start + 4,
            "the annotation comment is never closed; end it with `-->`",
        ));
        return;
    }
    let parsed = match &annotation.parsed {
        Ok(parsed) => parsed,
        Err(error) => {
            cx.report(Finding::new(
                Rule::AnnotationInvalidJson,
                annotation.abs(&error.span),
                format!("the annotation is not valid JSON: {}", error.message),
            ));
            return;
        }
    };
    for lenient in &parsed.lenient {
        cx.report(Finding::new(
            Rule::AnnotationLenientJson,
            annotation.abs(&lenient.span),
            format!(
                "the annotation is valid only as lenient JSON ({}); write strict JSON, which every parser accepts",
                lenient.kind.describe()
            ),
        ));
    }
    let Some(members) = parsed.value.as_object() else {
        cx.report(Finding::new(
            Rule::AnnotationBadValue,
            annotation.abs(&parsed.value.span()),
            format!(
                "the annotation is a JSON {} but must be an object",
                parsed.value.type_name()
            ),
        ));
        return;
    };
    for member in members {
        let known = KEYS
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(&member.key));
        match known {
            None => {
                let mut finding = Finding::new(
                    Rule::AnnotationUnknownKey,
                    annotation.abs(&member.key_span()),
                    format!(
                        "unknown annotation key \"{}\"; ApiDoctor ignores it",
                        member.key
                    ),
                );
                if let Some(close) =
                    crate::suggest::closest(&member.key, KEYS.iter().map(|(k, _)| *k))
                {
                    finding = finding.with_help(format!("did you mean \"{close}\"?"));
                }
                cx.report(finding);
            }
            Some((key, expect)) => {
                if let Some(problem) = type_problem(&member.value, *expect) {
                    let mut finding = Finding::new(
                        Rule::AnnotationBadValue,
                        annotation.abs(&member.value.span()),
                        format!("\"{key}\" {problem}"),
                    );
                    if *expect == Expect::Bool && quoted_bool(&member.value).is_some() {
                        // Json.NET converts "true" to true: ApiDoctor reads it as meant.
                        finding = finding.with_max_severity(Severity::Warning);
                    }
                    cx.report(finding);
                }
            }
        }
    }
    let Some(block_type) = annotation.block_type() else {
        return;
    };
    if !BLOCK_TYPES
        .iter()
        .any(|t| t.eq_ignore_ascii_case(block_type))
    {
        let close = crate::suggest::closest(block_type, BLOCK_TYPES.iter().copied());
        if annotation.code_block().is_none() && close.is_none() {
            // Not above a code block, ApiDoctor never reads it as an annotation: another
            // tool's marker (`{ "blockType": "throttlinggenstart" }` brackets generated text).
            return;
        }
        let mut finding = Finding::new(
            Rule::AnnotationBadValue,
            annotation.key_span("blockType"),
            format!(
                "unknown blockType \"{block_type}\"; use one of {}",
                BLOCK_TYPES
                    .iter()
                    .map(|t| format!("\"{t}\""))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        );
        if let Some(close) = close {
            finding = finding.with_help(format!("did you mean \"{close}\"?"));
        }
        cx.report(finding);
        return;
    }
    let Some(block_index) = annotation.code_block() else {
        let mut finding = Finding::new(
            Rule::AnnotationWithoutCodeBlock,
            annotation.span(),
            format!(
                "the \"{block_type}\" annotation is not followed by a fenced code block; move it directly above the block it describes"
            ),
        );
        if block_type.eq_ignore_ascii_case("ignored") {
            // Nothing goes unvalidated: the block it meant to exempt is checked instead.
            finding = finding.with_max_severity(Severity::Warning);
        }
        cx.report(finding);
        return;
    };
    let block = &doc.code_blocks[block_index];
    let (wanted, fits) = match block_type.to_ascii_lowercase().as_str() {
        "request" | "response" => (HTTP_FENCE, block.is_http()),
        "resource" => ("a `json` fence", block.is_json()),
        _ => return,
    };
    if !fits {
        let language = if block.language.is_empty() {
            "no language".to_string()
        } else {
            format!("`{}`", block.language)
        };
        let mut finding = Finding::new(
            Rule::AnnotationLanguageMismatch,
            block.fence_line(),
            format!("a \"{block_type}\" block must be {wanted}, but this fence has {language}"),
        )
        .with_related(doc.related(annotation.key_span("blockType"), "the annotation"));
        if wanted == HTTP_FENCE {
            // Requests and responses are parsed whatever the fence says; only the
            // highlighting (and Graph Explorer's "try it") is lost.
            finding = finding.with_max_severity(Severity::Warning);
        }
        cx.report(finding);
    }
}

/// What a request or response block's fence must be.
const HTTP_FENCE: &str = "an `http` fence";

fn type_problem(value: &JsonValue, expect: Expect) -> Option<String> {
    let is_string = |v: &JsonValue| matches!(v.kind, JsonKind::String(_));
    let ok = match (&value.kind, expect) {
        (JsonKind::Null, _) | (_, Expect::Any) => true,
        (JsonKind::Bool(_), Expect::Bool) => true,
        (JsonKind::String(_), Expect::String | Expect::StringOrList) => true,
        (JsonKind::Array(items), Expect::StringList | Expect::StringOrList) => {
            items.iter().all(is_string)
        }
        _ => false,
    };
    if ok {
        return None;
    }
    Some(match (expect, &value.kind) {
        (Expect::Bool, JsonKind::String(s)) if quoted_bool(value).is_some() => format!(
            "must be a boolean, not the string \"{s}\"; write {} without quotes",
            s.to_ascii_lowercase()
        ),
        (Expect::Bool, _) => format!(
            "must be a boolean (true or false), not a {}",
            value.type_name()
        ),
        (Expect::String, _) => format!("must be a string, not a {}", value.type_name()),
        (Expect::StringList, _) => {
            format!("must be a list of strings, not a {}", value.type_name())
        }
        (Expect::StringOrList, _) => format!(
            "must be a string or a list of strings, not a {}",
            value.type_name()
        ),
        (Expect::Any, _) => return None,
    })
}

/// The boolean a string `"true"` or `"false"` (any case) stands for.
fn quoted_bool(value: &JsonValue) -> Option<bool> {
    let text = value.as_str()?;
    if text.eq_ignore_ascii_case("true") {
        Some(true)
    } else if text.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

fn unannotated(cx: &mut Context<'_>, doc: &Document, block: &CodeBlock) {
    if !(block.is_http() || block.is_json()) {
        return;
    }
    // The syntax list under "HTTP request" is a template, not an example.
    let section = doc
        .heading_before(block.span().start)
        .map(|h| doc.headings[h].text.to_ascii_lowercase());
    if section.as_deref() == Some("http request") {
        return;
    }
    let mut finding = Finding::new(
        Rule::CodeBlockUnannotated,
        block.fence_line(),
        format!(
            "the `{}` code block has no annotation, so it is not validated; add `<!-- {{ \"blockType\": \"…\" }} -->` above it (request, response, resource, example or ignored)",
            block.language
        ),
    );
    if let Some(fix) = annotate_ignored(doc, block) {
        finding = finding.with_fix(fix);
    }
    cx.report(finding);
}

/// The unsafe fix that annotates the block as `ignored`, on a line of its own above the fence
/// with the fence line's indentation and `>` markers; none when the fence shares its line with
/// a list marker. Unsafe: the block may be an example that should be validated instead.
fn annotate_ignored(doc: &Document, block: &CodeBlock) -> Option<Fix> {
    let text = doc.text.as_str();
    let start = text
        .get(..block.fence_line().start)?
        .rfind('\n')
        .map_or(0, |i| i + 1);
    let prefix = &text[start..block.fence_line().start];
    if !prefix.chars().all(|c| c.is_whitespace() || c == '>') {
        return None;
    }
    let annotation = r#"<!-- { "blockType": "ignored" } -->"#;
    Some(Fix::needs_review(
        "annotate the block as `ignored`",
        vec![TextEdit::insert(
            start,
            format!("{prefix}{annotation}{}", line_ending(text)),
        )],
    ))
}
