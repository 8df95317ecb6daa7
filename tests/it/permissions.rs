//! Permission settings that a fixture folder cannot show on its own: the `[permissions]
//! known-scopes` list (inline and as a file), the `most-to-least` order, and the
//! `doclint scopes` command.

use std::path::Path;

use assert_cmd::Command;
use doclint::config::LoadOptions;
use doclint::CheckOptions;

const PAGE: &str = "---
title: Get widget
description: Get a widget.
doc_type: apiPageType
---

# Get widget

Get a widget.

## Permissions

|Permission type|Permissions (from most to least privileged)|
|:---|:---|
|Delegated (work or school account)|Widget.ReadWrite, Widget.Raed|
|Delegated (personal Microsoft account)|Not supported.|
|Application|Widget.Read.All|

## HTTP request

<!-- { \"blockType\": \"ignored\" } -->
```http
GET /widgets/{id}
```
";

fn doc_set(config: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temporary directory");
    std::fs::write(dir.path().join("doclint.toml"), config).expect("config written");
    std::fs::write(dir.path().join("widget-get.md"), PAGE).expect("page written");
    dir
}

/// (line, rule, help) of every diagnostic of a check of `dir` with its own configuration.
fn check(dir: &Path) -> Vec<(u32, &'static str, Option<String>)> {
    let options = CheckOptions {
        load: LoadOptions {
            config: Some(dir.join("doclint.toml")),
            ..Default::default()
        },
        paths: vec![dir.to_path_buf()],
        threads: 1,
        ..Default::default()
    };
    let report = doclint::check(&options).expect("a valid configuration");
    report
        .diagnostics
        .into_iter()
        .map(|d| (d.location.line, d.rule.id(), d.help))
        .collect()
}

#[test]
fn known_scopes_list_reports_every_other_scope() {
    let dir = doc_set(
        "[permissions]\norder = \"most-to-least\"\nknown-scopes = [\"Widget.Read\", \"Widget.ReadWrite\", \"Widget.Read.All\"]\n",
    );
    assert_eq!(
        check(dir.path()),
        vec![(15, "DL606", Some("did you mean `Widget.Read`?".to_string()))]
    );
}

#[test]
fn known_scopes_file_is_read_relative_to_the_config() {
    let dir = doc_set("[permissions]\nknown-scopes = \"scopes.txt\"\n");
    std::fs::write(
        dir.path().join("scopes.txt"),
        "# the allowlist\nWidget.Read\nWidget.ReadWrite\n\nWidget.Read.All\n",
    )
    .expect("list written");
    let found: Vec<(u32, &str)> = check(dir.path())
        .into_iter()
        .map(|(l, r, _)| (l, r))
        .collect();
    // The default order is least-to-most, so the header is reported too.
    assert_eq!(found, vec![(13, "DL603"), (15, "DL606")]);
}

#[test]
fn a_missing_known_scopes_file_is_a_config_error() {
    let dir = doc_set("[permissions]\nknown-scopes = \"missing.txt\"\n");
    let options = CheckOptions {
        load: LoadOptions {
            config: Some(dir.path().join("doclint.toml")),
            ..Default::default()
        },
        paths: vec![dir.path().to_path_buf()],
        threads: 1,
        ..Default::default()
    };
    let error = doclint::check(&options).expect_err("the file is missing");
    assert!(error.to_string().contains("known-scopes file"), "{error}");
}

#[test]
fn an_unknown_order_is_a_config_error() {
    let dir = doc_set("[permissions]\norder = \"random\"\n");
    Command::cargo_bin("doclint")
        .expect("binary built")
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicates::str::contains("DL905"));
}

#[test]
fn scopes_command_lists_scopes_and_comments_out_typos() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let table = |scopes: &str| {
        PAGE.replace("from most to least", "from least to most")
            .replace("Widget.ReadWrite, Widget.Raed", scopes)
    };
    for i in 0..3 {
        std::fs::write(
            dir.path().join(format!("page{i}.md")),
            table("Group.ReadWrite.All"),
        )
        .expect("page written");
    }
    std::fs::write(dir.path().join("typo.md"), table("Group.Read.WriteAll")).expect("page written");
    let output = Command::cargo_bin("doclint")
        .expect("binary built")
        .args(["scopes", "--no-config"])
        .arg(dir.path())
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert_eq!(
        String::from_utf8_lossy(&output),
        "# Group.Read.WriteAll  (likely a typo of Group.ReadWrite.All; left out)\nGroup.ReadWrite.All\nWidget.Read.All\n"
    );
}
