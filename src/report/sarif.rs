//! SARIF 2.1.0, for GitHub code scanning and other SARIF viewers: the tool driver lists every
//! rule of the catalogue; each result has a relative artifact URI, a region with start and
//! end, the diagnostic's fingerprint, its related locations and its fix.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde_json::{json, Value};

use super::Report;
use crate::config::{Catalogue, RuleInfo};
use crate::diagnostic::{Diagnostic, Level, Location, Related, ReportedFix, Severity};
use crate::rule_docs;

/// The schema the output declares (and is tested against).
pub const SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// The base that artifact URIs are relative to: the directory doclint ran in.
const SRCROOT: &str = "%SRCROOT%";

/// Renders the report as a SARIF 2.1.0 log with one run, with a trailing newline.
pub fn render(report: &Report) -> String {
    let catalogue = Catalogue::builtin().rules();
    let rules: Vec<Value> = catalogue.iter().map(rule).collect();
    let results: Vec<Value> = report.diagnostics.iter().map(result).collect();
    let log = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "doclint",
                    "version": env!("CARGO_PKG_VERSION"),
                    "semanticVersion": env!("CARGO_PKG_VERSION"),
                    "informationUri": env!("CARGO_PKG_REPOSITORY"),
                    "rules": rules,
                }
            },
            "invocations": [{ "executionSuccessful": !report.has_internal_error() }],
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    let mut text = serde_json::to_string_pretty(&log)
        .unwrap_or_else(|e| format!("{{\"version\":\"2.1.0\",\"runs\":[],\"error\":\"{e}\"}}"));
    text.push('\n');
    text
}

/// A catalogue rule as a SARIF reporting descriptor.
fn rule(info: &RuleInfo) -> Value {
    let configuration = match info.default_level() {
        Level::Off => json!({ "enabled": false }),
        Level::On(severity) => json!({ "level": level(severity) }),
    };
    let mut properties = json!({ "tags": [info.family] });
    if let Some(code) = &info.apidoctor {
        properties["apidoctor"] = json!(code);
    }
    json!({
        "id": info.id,
        "name": info.name,
        "shortDescription": { "text": info.summary },
        "fullDescription": { "text": info.why },
        "help": { "text": rule_docs::remedy(info), "markdown": rule_docs::page(info) },
        "helpUri": rule_docs::rule_url(&info.id),
        "defaultConfiguration": configuration,
        "properties": properties,
    })
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// A diagnostic as a SARIF result; its `ruleIndex` is its rule's place in the driver's rules
/// (which list the catalogue in order).
fn result(d: &Diagnostic) -> Value {
    let mut text = d.message.clone();
    if let Some(help) = &d.help {
        text.push_str("\nhelp: ");
        text.push_str(help);
    }
    let mut result = json!({
        "ruleId": d.rule,
        "level": level(d.severity),
        "message": { "text": text },
        "locations": [location(&d.location)],
        "partialFingerprints": { "doclint/v1": d.fingerprint },
    });
    result["ruleIndex"] = json!(d.rule.index());
    if !d.related.is_empty() {
        result["relatedLocations"] = d
            .related
            .iter()
            .enumerate()
            .map(|(id, r)| related(id, r))
            .collect();
    }
    if let Some(fix) = &d.fix {
        result["fixes"] = json!([sarif_fix(fix)]);
    }
    result
}

/// A fix as a SARIF fix object: its edits as replacements, grouped by file (one file for
/// doclint's fixes, the page of the finding), and its applicability as a property.
fn sarif_fix(fix: &ReportedFix) -> Value {
    let mut changes: Vec<(&str, Vec<Value>)> = Vec::new();
    for edit in &fix.edits {
        let replacement = json!({
            "deletedRegion": region(&edit.location),
            "insertedContent": { "text": edit.new_text },
        });
        let path = edit.location.path.as_str();
        match changes.iter_mut().find(|(p, _)| *p == path) {
            Some((_, replacements)) => replacements.push(replacement),
            None => changes.push((path, vec![replacement])),
        }
    }
    let changes: Vec<Value> = changes
        .into_iter()
        .map(|(path, replacements)| {
            json!({
                "artifactLocation": { "uri": uri_path(path), "uriBaseId": SRCROOT },
                "replacements": replacements,
            })
        })
        .collect();
    json!({
        "description": { "text": fix.message },
        "artifactChanges": changes,
        "properties": { "applicability": fix.applicability },
    })
}

fn related(id: usize, r: &Related) -> Value {
    let mut location = location(&r.location);
    location["id"] = json!(id);
    location["message"] = json!({ "text": r.message });
    location
}

/// A physical location: a relative URI and a region (line, column, end line, end column,
/// 1-based; SARIF's end column is exclusive, as doclint's is).
fn location(at: &Location) -> Value {
    json!({
        "physicalLocation": {
            "artifactLocation": { "uri": uri_path(&at.path), "uriBaseId": SRCROOT },
            "region": region(at),
        }
    })
}

/// A region (1-based, the end exclusive; an empty region is an insertion point).
fn region(at: &Location) -> Value {
    let line = at.line.max(1);
    let column = at.column.max(1);
    let end_line = at.end_line.max(line);
    let end_column = if end_line == line {
        at.end_column.max(column)
    } else {
        at.end_column.max(1)
    };
    json!({
        "startLine": line,
        "startColumn": column,
        "endLine": end_line,
        "endColumn": end_column,
    })
}

/// Bytes a URI path segment may not hold as they are: everything but unreserved characters
/// (and `/`, which separates the segments).
const NOT_IN_PATH: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'/');

/// A `/`-separated relative path as a URI reference: every byte other than unreserved
/// characters and `/` percent-encoded (so `:` in a file name is never read as a scheme).
pub fn uri_path(path: &str) -> String {
    utf8_percent_encode(path, NOT_IN_PATH).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_percent_encoded() {
        assert_eq!(uri_path("docs/a b%:c.md"), "docs/a%20b%25%3Ac.md");
        assert_eq!(uri_path("../x/é.md"), "../x/%C3%A9.md");
    }
}
