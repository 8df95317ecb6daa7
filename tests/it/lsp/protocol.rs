//! The parts of the protocol around the findings: the client's settings, position encodings,
//! progress and cancellation while the index builds.

use serde_json::{json, Value};

use super::client::{uri, Client};
use super::{doc_set, has, line_of, PAGE};

fn codes(diagnostics: &[Value]) -> Vec<&str> {
    let mut codes: Vec<&str> = diagnostics
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    codes.sort_unstable();
    codes.dedup();
    codes
}

/// `initializationOptions` choose the rules; `workspace/didChangeConfiguration` changes them
/// and the configuration file (a path relative to the workspace folder), and the open pages
/// are checked again.
#[test]
fn settings_choose_the_rules_and_the_configuration() {
    let dir = doc_set();
    let root = dir.path().canonicalize().unwrap();
    std::fs::write(root.join("quiet.toml"), "[rules]\nDL403 = \"off\"\n").unwrap();
    let page = root.join("page.md");
    // Started elsewhere: the configuration path is found from the workspace folder.
    let elsewhere = tempfile::tempdir().unwrap();
    let mut client = Client::start(elsewhere.path());
    client.initialize(&root, json!({ "select": ["DL303"] }));
    client.open(&page, PAGE);
    let only = client.diagnostics(&uri(&page), |_| true);
    assert_eq!(codes(&only), ["DL303"]);
    let progress = |kind: &'static str| {
        move |m: &Value| m["method"] == "$/progress" && m["params"]["value"]["kind"] == kind
    };
    client.wait_for("the index begun", progress("begin"));
    client.wait_for("the index built", progress("end"));
    // Settings that name none of doclint's (Neovim sends `{}` at start) start no new index.
    client.notify(
        "workspace/didChangeConfiguration",
        json!({ "settings": {} }),
    );
    let hover = json!({
        "textDocument": { "uri": uri(&page) },
        "position": { "line": 0, "character": 0 },
    });
    let id = client.request("textDocument/hover", hover.clone());
    client.response(id);
    assert!(!client.has_unread(progress("begin")));

    let settings = json!({ "settings": { "doclint": { "ignore": ["http-reason-phrase"] } } });
    client.notify("workspace/didChangeConfiguration", settings);
    let id = client.request("textDocument/hover", hover);
    client.response(id);
    assert!(client.has_unread(progress("begin")), "a new index is built");
    let ignored = client.diagnostics(&uri(&page), |d| has(d, "DL403"));
    assert!(!has(&ignored, "DL303"), "{ignored:?}");

    let settings = json!({ "settings": { "config": "quiet.toml" } });
    client.notify("workspace/didChangeConfiguration", settings);
    let configured = client.diagnostics(&uri(&page), |d| has(d, "DL303"));
    assert!(!has(&configured, "DL403"), "{configured:?}");
    assert_eq!(client.shutdown().code(), Some(0));
}

/// A page whose findings and fixes sit after non-ASCII text on their line.
fn non_ascii_page() -> String {
    PAGE.replace(
        "Delete a widget. See [the details](other.md#details).",
        "Café 😀 中文: see [the details](other.md#details) and [widgets](Other.md).",
    )
}

/// The byte offset of a position in `text`, its character counted in UTF-8 bytes or UTF-16
/// units.
fn offset(text: &str, at: &Value, utf8: bool) -> usize {
    let line = usize::try_from(at["line"].as_u64().unwrap()).unwrap();
    let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
    let wanted = usize::try_from(at["character"].as_u64().unwrap()).unwrap();
    let mut units = 0;
    for (i, c) in text[start..].char_indices() {
        if units >= wanted {
            return start + i;
        }
        units += if utf8 { c.len_utf8() } else { c.len_utf16() };
    }
    text.len()
}

/// The text a range covers.
fn covered<'t>(text: &'t str, range: &Value, utf8: bool) -> &'t str {
    &text[offset(text, &range["start"], utf8)..offset(text, &range["end"], utf8)]
}

/// Positions count UTF-16 units unless the client offers UTF-8: diagnostics, the edits of
/// quick fixes and the ranges of changes all land on the right characters after é, 😀 and 中.
#[test]
fn positions_count_the_units_the_client_and_server_agree_on() {
    for (offered, utf8) in [(json!(null), false), (json!(["utf-8", "utf-16"]), true)] {
        let dir = doc_set();
        let root = dir.path().canonicalize().unwrap();
        let page = root.join("page.md");
        let text = non_ascii_page();
        let mut client = Client::start(&root);
        let capabilities = json!({ "general": { "positionEncodings": offered } });
        let init = client.initialize_with(&root, json!({}), capabilities);
        let expected = if utf8 { "utf-8" } else { "utf-16" };
        assert_eq!(init["capabilities"]["positionEncoding"], expected);

        client.open(&page, &text);
        let first = client.diagnostics(&uri(&page), |d| has(d, "DL402") && has(d, "DL403"));
        let anchor = first.iter().find(|d| d["code"] == "DL403").unwrap();
        assert_eq!(
            covered(&text, &anchor["range"], utf8),
            "[the details](other.md#details)"
        );
        let case = first.iter().find(|d| d["code"] == "DL402").unwrap();
        assert_eq!(covered(&text, &case["range"], utf8), "[widgets](Other.md)");

        // The quick fix's edit, applied with the same units, rewrites exactly the link.
        let id = client.request(
            "textDocument/codeAction",
            json!({
                "textDocument": { "uri": uri(&page) },
                "range": case["range"],
                "context": { "diagnostics": [case] },
            }),
        );
        let actions = client.response(id);
        let quickfix = actions
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["diagnostics"][0]["code"] == "DL402")
            .unwrap_or_else(|| panic!("no quick fix for DL402 in {actions}"));
        let edits = quickfix["edit"]["changes"][uri(&page)].as_array().unwrap();
        assert_eq!(edits.len(), 1, "{edits:?}");
        let (start, end) = (
            offset(&text, &edits[0]["range"]["start"], utf8),
            offset(&text, &edits[0]["range"]["end"], utf8),
        );
        let mut fixed = text.clone();
        fixed.replace_range(start..end, edits[0]["newText"].as_str().unwrap());
        assert_eq!(fixed, text.replace("(Other.md)", "(other.md)"));

        // The same edit as a change of the buffer: that finding goes, the other stays put.
        let edit = &edits[0];
        let new_text = edit["newText"].as_str().unwrap();
        client.change(&page, 2, edit["range"].clone(), new_text);
        let second = client.diagnostics(&uri(&page), |d| !has(d, "DL402"));
        let kept = second.iter().find(|d| d["code"] == "DL403").unwrap();
        assert_eq!(kept["range"], anchor["range"]);

        // Text typed at the start of the line moves the finding by its width in those units.
        let line = line_of(&text, "Café");
        let start = json!({ "line": line, "character": 0 });
        client.change(&page, 3, json!({ "start": start, "end": start }), "ü😀");
        let third = client.diagnostics(&uri(&page), |d| {
            d.iter()
                .any(|d| d["code"] == "DL403" && d["range"] != anchor["range"])
        });
        let moved = third.iter().find(|d| d["code"] == "DL403").unwrap();
        let width = if utf8 { 6 } else { 3 };
        assert_eq!(
            moved["range"]["start"]["character"].as_u64().unwrap(),
            anchor["range"]["start"]["character"].as_u64().unwrap() + width
        );
        assert_eq!(client.shutdown().code(), Some(0));
    }
}

/// While a large doc set is indexed the client sees progress; requests wait for the index,
/// and a waiting request the client cancels is answered as cancelled at once.
#[test]
fn progress_and_cancellation_while_the_index_builds() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    let pages = 3000;
    for n in 0..pages {
        let text = format!(
            "---\ntitle: Page {n}\ndescription: Page {n}.\n---\n\n# Page {n}\n\n## Details\n\nSee [the next page](page{}.md#details).\n",
            (n + 1) % pages
        );
        std::fs::write(root.join(format!("page{n}.md")), text).unwrap();
    }
    let mut client = Client::start(&root);
    client.initialize(&root, json!({}));
    let hover = json!({
        "textDocument": { "uri": uri(&root.join("page0.md")) },
        "position": { "line": 0, "character": 0 },
    });
    let cancelled = client.request("textDocument/hover", hover.clone());
    let answered = client.request("textDocument/hover", hover);
    client.notify("$/cancelRequest", json!({ "id": cancelled }));

    let created = client.wait_for("progress created", |m| {
        m["method"] == "window/workDoneProgress/create"
    });
    let token = created["params"]["token"].clone();
    let begin = client.wait_for("progress begun", |m| {
        m["method"] == "$/progress" && m["params"]["value"]["kind"] == "begin"
    });
    assert_eq!(begin["params"]["token"], token);
    let is_end = |m: &Value| m["method"] == "$/progress" && m["params"]["value"]["kind"] == "end";
    let reply = client.wait_for("the cancelled request's answer", |m| {
        m["id"] == json!(cancelled) && m.get("method").is_none()
    });
    assert_eq!(reply["error"]["code"], json!(-32800), "{reply}");
    assert!(
        !client.has_unread(is_end),
        "the request was cancelled only after the index was built"
    );
    let end = client.wait_for("progress ended", is_end);
    assert_eq!(end["params"]["token"], token);
    let message = end["params"]["value"]["message"].as_str().unwrap();
    assert_eq!(message, format!("{pages} pages indexed"));
    assert_eq!(client.response(answered), Value::Null);
    assert_eq!(client.shutdown().code(), Some(0));
}
