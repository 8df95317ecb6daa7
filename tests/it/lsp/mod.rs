//! `doclint lsp` driven as an editor drives it: JSON-RPC over pipes.

mod client;
mod protocol;

use std::path::Path;

use client::{range, uri, Client};
use serde_json::{json, Value};

const PAGE: &str = "---
title: Delete widget
description: Delete a widget.
---

# Delete widget

Delete a widget. See [the details](other.md#details).

## HTTP request

<!-- { \"blockType\": \"request\", \"name\": \"delete_widget\" } -->
```http
DELETE https://graph.microsoft.com/v1.0/widgets/1
```

## Response

<!-- { \"blockType\": \"response\" } -->
```http
HTTP/1.1 204 No content
```
";

const OTHER: &str = "---
title: Widgets
description: What widgets are.
---

# Widgets

Widgets are small. Deleting one: [delete](page.md).
";

/// The 0-based line of the first line of `text` that contains `needle`.
fn line_of(text: &str, needle: &str) -> u32 {
    u32::try_from(text.lines().position(|l| l.contains(needle)).unwrap()).unwrap()
}

fn rules_of(diagnostics: &[Value]) -> Vec<(String, u64)> {
    let mut rules: Vec<(String, u64)> = diagnostics
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["range"]["start"]["line"].as_u64().unwrap(),
            )
        })
        .collect();
    rules.sort();
    rules
}

/// A text with LSP edits applied (the text is ASCII: characters are bytes).
fn apply(text: &str, edits: &[Value]) -> String {
    let offset = |at: &Value| {
        let line = usize::try_from(at["line"].as_u64().unwrap()).unwrap();
        let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
        start + usize::try_from(at["character"].as_u64().unwrap()).unwrap()
    };
    let mut spans: Vec<(usize, usize, &str)> = edits
        .iter()
        .map(|e| {
            let (start, end) = (offset(&e["range"]["start"]), offset(&e["range"]["end"]));
            (start, end, e["newText"].as_str().unwrap())
        })
        .collect();
    spans.sort_by_key(|s| std::cmp::Reverse(s.0));
    let mut out = text.to_string();
    for (start, end, new) in spans {
        out.replace_range(start..end, new);
    }
    out
}

fn has(diagnostics: &[Value], rule: &str) -> bool {
    diagnostics.iter().any(|d| d["code"] == rule)
}

fn doc_set() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("page.md"), PAGE).unwrap();
    std::fs::write(dir.path().join("other.md"), OTHER).unwrap();
    dir
}

#[test]
fn findings_follow_the_edits_of_open_pages() {
    let dir = doc_set();
    let root = dir.path().canonicalize().unwrap();
    let (page, other) = (root.join("page.md"), root.join("other.md"));
    let mut client = Client::start(&root);
    let init = client.initialize(&root, json!({}));
    assert_eq!(init["capabilities"]["textDocumentSync"], json!(2));
    assert_eq!(init["capabilities"]["hoverProvider"], json!(true));
    assert!(init["capabilities"]["codeActionProvider"].is_object());

    // Both findings, on their lines, with the rule as code and its documentation.
    client.open(&page, PAGE);
    let first = client.diagnostics(&uri(&page), |d| has(d, "DL303") && has(d, "DL403"));
    let rules = rules_of(&first);
    let status = line_of(PAGE, "HTTP/1.1 204");
    let link = line_of(PAGE, "other.md#details");
    assert!(
        rules.contains(&("DL303".into(), status.into())),
        "{rules:?}"
    );
    assert!(rules.contains(&("DL403".into(), link.into())), "{rules:?}");
    let reason = first.iter().find(|d| d["code"] == "DL303").unwrap();
    assert_eq!(reason["severity"], json!(2));
    assert_eq!(reason["source"], "doclint");
    assert_eq!(
        reason["codeDescription"]["href"],
        doclint::rule_docs::rule_url("DL303"),
        "the link is the rule's page"
    );

    // Hover on the finding explains the rule; on the link, says where it leads.
    let id = client.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": uri(&page) }, "position": { "line": status, "character": 15 } }),
    );
    let hover = client.response(id);
    let text = hover["contents"]["value"].as_str().unwrap();
    assert!(text.contains("DL303 http-reason-phrase"), "{text}");
    let column = PAGE
        .lines()
        .nth(link as usize)
        .unwrap()
        .find("other.md")
        .unwrap();
    let id = client.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": uri(&page) }, "position": { "line": link, "character": column } }),
    );
    let hover = client.response(id);
    let text = hover["contents"]["value"].as_str().unwrap();
    assert!(text.contains("`other.md`"), "{text}");
    assert!(text.contains("no heading or anchor"), "{text}");

    // The quick fix writes the standard phrase; applied as the editor would, that finding
    // goes and the other stays.
    let id = client.request(
        "textDocument/codeAction",
        json!({
            "textDocument": { "uri": uri(&page) },
            "range": reason["range"],
            "context": { "diagnostics": [reason] },
        }),
    );
    let actions = client.response(id);
    let quickfix = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["kind"] == "quickfix" && a["diagnostics"][0]["code"] == "DL303")
        .unwrap_or_else(|| panic!("no quick fix for DL303 in {actions}"));
    assert_eq!(quickfix["isPreferred"], json!(true));
    let edits = quickfix["edit"]["changes"][uri(&page)].as_array().unwrap();
    let fixed = apply(PAGE, edits);
    assert!(fixed.contains("\nHTTP/1.1 204 No Content\n"), "{fixed}");
    assert_eq!(fixed.lines().count(), PAGE.lines().count());
    for (n, edit) in edits.iter().enumerate() {
        let version = i32::try_from(n).unwrap() + 2;
        client.change(
            &page,
            version,
            edit["range"].clone(),
            edit["newText"].as_str().unwrap(),
        );
    }
    let second = client.diagnostics(&uri(&page), |d| !has(d, "DL303"));
    assert!(has(&second, "DL403"), "{second:?}");

    // The heading typed into the other page, unsaved, clears the anchor finding.
    client.open(&other, OTHER);
    let end = u32::try_from(OTHER.lines().count()).unwrap();
    client.change(&other, 2, range(end, 0, 0), "\n## Details\n\nMore.\n");
    let third = client.diagnostics(&uri(&page), |d| !has(d, "DL403"));
    assert!(!has(&third, "DL303"), "{third:?}");
    assert_eq!(
        std::fs::read_to_string(&other).unwrap(),
        OTHER,
        "nothing is saved"
    );

    let status = client.shutdown();
    assert_eq!(status.code(), Some(0));
}

#[test]
fn exit_without_shutdown_is_exit_code_1() {
    let dir = doc_set();
    let mut client = Client::start(dir.path());
    client.initialize(dir.path(), json!({}));
    client.notify("exit", Value::Null);
    let status = client.shutdown_status_after_exit();
    assert_eq!(status.code(), Some(1));
}

/// The server and the command line report the same findings for a saved page.
#[test]
fn the_server_reports_what_the_command_line_reports() {
    let docs = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/sample-docs");
    let root = docs.canonicalize().unwrap();
    let options = doclint::CheckOptions {
        paths: vec![root.clone()],
        threads: 2,
        ..Default::default()
    };
    let report = doclint::check(&options).unwrap();
    let mut client = Client::start(&root);
    client.initialize(&root, json!({}));
    let pages = [
        "api-reference/v1.0/api/widget-delete.md",
        "api-reference/v1.0/api/widget-get.md",
        "api-reference/v1.0/resources/widget.md",
        "concepts/widgets-overview.md",
    ];
    let mut compared = 0;
    for page in pages {
        let path = root.join(page);
        let text = std::fs::read_to_string(&path).unwrap();
        client.open(&path, &text);
        let published = client.diagnostics(&uri(&path), |_| true);
        let mut server: Vec<(String, u64, String)> = published
            .iter()
            .map(|d| {
                (
                    d["code"].as_str().unwrap().to_string(),
                    d["range"]["start"]["line"].as_u64().unwrap() + 1,
                    d["message"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        let mut cli: Vec<(String, u64, String)> = report
            .diagnostics
            .iter()
            .filter(|d| d.location.path.ends_with(page))
            .map(|d| {
                let mut message = d.message.clone();
                if let Some(help) = &d.help {
                    message.push_str("\nhelp: ");
                    message.push_str(help);
                }
                (d.rule.id().to_string(), u64::from(d.location.line), message)
            })
            .collect();
        server.sort();
        cli.sort();
        assert_eq!(server, cli, "{page}");
        compared += cli.len();
    }
    assert!(compared > 0, "the sample pages have findings to compare");
    assert_eq!(client.shutdown().code(), Some(0));
}
