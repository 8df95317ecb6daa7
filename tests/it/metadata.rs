//! `--metadata`: drifts planted in a doc set that agrees with its service metadata are found
//! where they were planted, the metadata governs only the pages its glob names, a broken
//! metadata file stops the run with a position, and without metadata nothing changes.

use crate::common;

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use doclint::config::LoadOptions;
use doclint::{CheckOptions, Report};
use predicates::prelude::*;

fn docs() -> PathBuf {
    common::repo().join("testdata/metadata/docs")
}

fn csdl() -> PathBuf {
    common::repo().join("testdata/metadata/widgets.xml")
}

fn check(dir: &Path, metadata: &[String]) -> Report {
    let options = CheckOptions {
        load: LoadOptions {
            no_config: true,
            metadata: metadata.to_vec(),
            ..Default::default()
        },
        paths: vec![dir.to_path_buf()],
        threads: 2,
        ..Default::default()
    };
    doclint::check(&options).unwrap_or_else(|e| panic!("{e}"))
}

fn copy_docs() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    for entry in std::fs::read_dir(docs()).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, dir.path().join(path.file_name().unwrap())).unwrap();
    }
    dir
}

/// The rows of a page's Properties table: (0-based line, name, type cell).
fn property_rows(text: &str) -> Vec<(usize, String, String)> {
    let mut rows = Vec::new();
    let mut in_properties = false;
    for (i, line) in text.lines().enumerate() {
        if line.starts_with('#') {
            in_properties = line.trim_start_matches('#').trim() == "Properties";
            continue;
        }
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        if in_properties && cells.len() > 3 && !cells[1].starts_with(':') && cells[1] != "Property"
        {
            rows.push((i, cells[1].to_string(), cells[2].to_string()));
        }
    }
    rows
}

#[test]
fn the_clean_doc_set_agrees_with_its_metadata() {
    let report = check(&docs(), &[csdl().display().to_string()]);
    let found: Vec<String> = report
        .diagnostics
        .iter()
        .map(|d| {
            format!(
                "{}:{} {} {}",
                d.location.path, d.location.line, d.rule, d.message
            )
        })
        .collect();
    assert!(found.is_empty(), "{found:#?}");
}

/// Every row of every Properties table is renamed (DL821 on the row), retyped String ↔ Int32
/// (DL822 on the row) and deleted (DL823 on the page, naming the property), one at a time.
#[test]
fn planted_drifts_are_found_where_they_were_planted() {
    let metadata = [csdl().display().to_string()];
    let mut planted = 0;
    let mut misses = Vec::new();
    for page in ["widget.md", "part.md", "callrecords-session.md"] {
        let original = std::fs::read_to_string(docs().join(page)).unwrap();
        for (line, name, cell) in property_rows(&original) {
            let lines: Vec<&str> = original.lines().collect();
            let mut mutations: Vec<(&str, Vec<String>, Option<u32>, String)> = Vec::new();
            let renamed = format!("{name}Renamed");
            let mut edited: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
            edited[line] = edited[line].replacen(&name, &renamed, 1);
            mutations.push((
                "DL821",
                edited,
                Some(u32::try_from(line + 1).unwrap()),
                renamed,
            ));
            let retyped = match cell.as_str() {
                "String" => Some("Int32"),
                "Int32" => Some("String"),
                _ => None,
            };
            if let Some(retyped) = retyped {
                let mut edited: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
                edited[line] =
                    edited[line].replacen(&format!("| {cell} |"), &format!("| {retyped} |"), 1);
                mutations.push((
                    "DL822",
                    edited,
                    Some(u32::try_from(line + 1).unwrap()),
                    name.clone(),
                ));
            }
            // `id` is inherited from `entity`, whose own page documents it: a page may leave
            // it out.
            if name != "id" {
                let mut edited: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
                edited.remove(line);
                mutations.push(("DL823", edited, None, name.clone()));
            }
            for (rule, text, at, subject) in mutations {
                planted += 1;
                let dir = copy_docs();
                std::fs::write(dir.path().join(page), text.join("\n") + "\n").unwrap();
                let report = check(dir.path(), &metadata);
                let hit = report.diagnostics.iter().any(|d| {
                    d.rule == rule
                        && d.location.path.ends_with(page)
                        && at.is_none_or(|line| d.location.line == line)
                        && d.message.contains(&format!("`{subject}`"))
                });
                if !hit {
                    misses.push(format!("{rule} for `{subject}` in {page} (line {at:?})"));
                }
            }
        }
    }
    assert!(planted >= 20, "only {planted} drifts planted");
    assert!(misses.is_empty(), "missed: {misses:#?}");
}

#[test]
fn without_metadata_the_metadata_rules_stay_silent() {
    let dir = copy_docs();
    let text = std::fs::read_to_string(dir.path().join("part.md")).unwrap();
    std::fs::write(
        dir.path().join("part.md"),
        text.replace("| label | String |", "| label | Int32 |"),
    )
    .unwrap();
    let without = check(dir.path(), &[]);
    assert!(without
        .diagnostics
        .iter()
        .all(|d| d.rule.family() != doclint::rule::Family::Metadata));
    let with = check(dir.path(), &[csdl().display().to_string()]);
    assert!(with.diagnostics.iter().any(|d| d.rule == "DL822"));
}

/// A row the page marks as deprecated is a warning; a key only the JSON example shows, next
/// to a Properties table, is left to the schema rules (it may be a dictionary's placeholder).
#[test]
fn deprecated_rows_warn_and_example_only_keys_are_not_judged() {
    let dir = copy_docs();
    let text = std::fs::read_to_string(dir.path().join("part.md")).unwrap();
    let text = text
        .replace(
            "| kind | [partKind](#partkind-values) | What kind of part it is. |",
            "| kind | [partKind](#partkind-values) | What kind of part it is. |\n| _size (deprecated) | Int32 | Removed; use the catalogue. |",
        )
        .replace("\"label\": \"String\",", "\"label\": \"String\",\n  \"someKey\": \"String\",");
    std::fs::write(dir.path().join("part.md"), text).unwrap();
    let report = check(dir.path(), &[csdl().display().to_string()]);
    let metadata: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| d.rule.family() == doclint::rule::Family::Metadata)
        .collect();
    assert_eq!(metadata.len(), 1, "{metadata:#?}");
    let deprecated = metadata[0];
    assert_eq!(deprecated.rule, "DL821");
    assert!(
        deprecated.message.contains("`_size`"),
        "{}",
        deprecated.message
    );
    assert_eq!(deprecated.severity, doclint::severity::Severity::Warning);
}

/// A type documented on several pages has its undocumented properties reported once, on the
/// page named after it, even when another page comes first in path order.
#[test]
fn undocumented_properties_are_reported_on_the_page_named_after_the_type() {
    let dir = copy_docs();
    let widget = std::fs::read_to_string(dir.path().join("widget.md")).unwrap();
    std::fs::write(
        dir.path().join("widget.md"),
        widget.replace("| weight | Int32 | The weight in grams. |\n", ""),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("aaa-widget.md"),
        "# widget resource type\n\nNamespace: microsoft.graph\n\nA widget, as another product sees it.\n\n\
         ## Properties\n\n| Property | Type | Description |\n|:--|:--|:--|\n| id | String | The identifier. |\n\n\
         ## JSON representation\n\n<!-- {\n  \"blockType\": \"resource\",\n  \"@odata.type\": \"microsoft.graph.widget\"\n} -->\n\
         ```json\n{\n  \"id\": \"String\"\n}\n```\n",
    )
    .unwrap();
    let report = check(dir.path(), &[csdl().display().to_string()]);
    let undocumented: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| d.rule == "DL823")
        .map(|d| {
            (
                d.location.path.rsplit('/').next().unwrap().to_string(),
                d.message.clone(),
            )
        })
        .collect();
    assert_eq!(undocumented.len(), 1, "{undocumented:#?}");
    assert_eq!(undocumented[0].0, "widget.md", "{undocumented:#?}");
    assert!(undocumented[0].1.contains("`weight`"), "{undocumented:#?}");
}

/// A renamed row whose new name is far from the old one in spelling but contains it is
/// pointed at the service's property that the page no longer documents.
#[test]
fn a_renamed_row_suggests_the_undocumented_property_it_contains() {
    let dir = copy_docs();
    let text = std::fs::read_to_string(dir.path().join("part.md")).unwrap();
    std::fs::write(
        dir.path().join("part.md"),
        text.replace("| label | String |", "| labelText | String |"),
    )
    .unwrap();
    let report = check(dir.path(), &[csdl().display().to_string()]);
    let unknown = report
        .diagnostics
        .iter()
        .find(|d| d.rule == "DL821")
        .expect("DL821 for labelText");
    assert!(
        unknown
            .help
            .as_deref()
            .is_some_and(|h| h.contains("`label`")),
        "{unknown:#?}"
    );
}

#[test]
fn a_glob_limits_the_pages_the_metadata_governs() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    let trigger = common::repo().join("testdata/rules/DL822/trigger.md");
    for folder in ["v1", "v2"] {
        std::fs::create_dir(dir.path().join(folder)).unwrap();
        std::fs::copy(&trigger, dir.path().join(folder).join("part.md")).unwrap();
    }
    let report = check(dir.path(), &[format!("v1/**={}", csdl().display())]);
    let paths: Vec<&str> = report
        .diagnostics
        .iter()
        .filter(|d| d.rule == "DL822")
        .map(|d| d.location.path.as_str())
        .collect();
    assert_eq!(paths.len(), 2, "{paths:?}");
    assert!(paths.iter().all(|p| p.ends_with("v1/part.md")), "{paths:?}");
}

#[test]
fn a_malformed_metadata_file_is_dl905_with_its_position() {
    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("broken.xml");
    std::fs::write(
        &broken,
        "<edmx:Edmx xmlns:edmx=\"http://docs.oasis-open.org/odata/ns/edmx\">\n  <edmx:DataServices>\n</edmx:Edmx>\n",
    )
    .unwrap();
    Command::cargo_bin("doclint")
        .unwrap()
        .arg(docs())
        .arg("--no-config")
        .arg("--metadata")
        .arg(&broken)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("broken.xml:3:"))
        .stderr(predicate::str::contains(
            "error[DL905/config-invalid] invalid metadata (CSDL)",
        ));
    Command::cargo_bin("doclint")
        .unwrap()
        .arg(docs())
        .arg("--no-config")
        .arg("--metadata")
        .arg(dir.path().join("missing.xml"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "cannot read the metadata (CSDL) file",
        ));
}

#[test]
fn a_configured_metadata_file_must_stay_inside_the_repository() {
    let outer = tempfile::tempdir().unwrap();
    let repo = outer.path().join("repo");
    std::fs::create_dir_all(repo.join(".git")).unwrap();
    std::fs::copy(csdl(), outer.path().join("outside.xml")).unwrap();
    std::fs::copy(docs().join("part.md"), repo.join("part.md")).unwrap();
    std::fs::write(
        repo.join("doclint.toml"),
        "[[metadata]]\ncsdl = \"../outside.xml\"\n",
    )
    .unwrap();
    Command::cargo_bin("doclint")
        .unwrap()
        .arg(&repo)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("outside.xml is outside"));
    std::fs::copy(csdl(), repo.join("inside.xml")).unwrap();
    std::fs::write(
        repo.join("doclint.toml"),
        "[[metadata]]\npaths = [\"*.md\"]\ncsdl = \"inside.xml\"\n",
    )
    .unwrap();
    Command::cargo_bin("doclint")
        .unwrap()
        .arg(&repo)
        .assert()
        .code(0);
}
