//! The fixture test: every folder under `testdata/rules/` is a small doc set whose pages mark
//! the findings they must produce, and doclint must report exactly those — nothing missing,
//! nothing extra.
//!
//! Markers (STYLE.md): `<!-- expect: DL401 -->` at the end of a line expects DL401 on that line;
//! `DL312@+3` expects it three lines below the marker, `DL103@1` on line 1. In front matter a
//! YAML comment `# expect: DL104` does the same. Each rule folder also holds a `clean*.md` page
//! that must not trigger anything.

use crate::common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use regex::Regex;

type Expectation = (String, u32, String);

fn markers(path: &Path, display: &str) -> BTreeSet<Expectation> {
    let bytes = std::fs::read(path).expect("readable fixture");
    let text = String::from_utf8_lossy(&bytes);
    let html = Regex::new(r"<!--\s*expect:\s*([^>]*?)\s*-->").unwrap();
    let yaml = Regex::new(r"#\s*expect:\s*(.*)$").unwrap();
    let mut out = BTreeSet::new();
    let mut in_front_matter = false;
    for (i, line) in text.lines().enumerate() {
        let number = u32::try_from(i + 1).unwrap();
        if number == 1 && line.trim_end() == "---" {
            in_front_matter = true;
            continue;
        }
        if in_front_matter && (line.trim_end() == "---" || line.trim_end() == "...") {
            in_front_matter = false;
        }
        let mut lists: Vec<String> = html.captures_iter(line).map(|c| c[1].to_string()).collect();
        if in_front_matter {
            lists.extend(yaml.captures_iter(line).map(|c| c[1].to_string()));
        }
        for list in lists {
            for item in list.split([' ', ',']).filter(|s| !s.is_empty()) {
                let (rule, target) = match item.split_once('@') {
                    Some((rule, at)) if at.starts_with('+') || at.starts_with('-') => {
                        let delta: i64 = at
                            .parse()
                            .unwrap_or_else(|_| panic!("bad marker {item} in {display}"));
                        let line = u32::try_from(i64::from(number) + delta)
                            .unwrap_or_else(|_| panic!("marker {item} above line 1 in {display}"));
                        (rule, line)
                    }
                    Some((rule, at)) => (
                        rule,
                        at.parse()
                            .unwrap_or_else(|_| panic!("bad marker {item} in {display}")),
                    ),
                    None => (item, number),
                };
                out.insert((display.to_string(), target, rule.to_string()));
            }
        }
    }
    out
}

fn md_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(md_files(&path));
        } else if path.extension().is_some_and(|e| e == "md") {
            out.push(path);
        }
    }
    out.sort();
    out
}

fn rule_folders() -> Vec<PathBuf> {
    let root = common::repo().join("testdata/rules");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

fn display(path: &Path) -> String {
    path.strip_prefix(common::repo())
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

#[test]
fn every_fixture_reports_exactly_what_it_marks() {
    let mut failures = Vec::new();
    for dir in rule_folders() {
        let report = common::check_folder(&dir);
        let actual: BTreeSet<Expectation> = report
            .diagnostics
            .iter()
            .map(|d| (d.location.path.clone(), d.location.line, d.rule.to_string()))
            .collect();
        let expected: BTreeSet<Expectation> = md_files(&dir)
            .iter()
            .flat_map(|p| markers(p, &display(p)))
            .collect();
        let missing: Vec<_> = expected.difference(&actual).collect();
        let extra: Vec<_> = report
            .diagnostics
            .iter()
            .filter(|d| {
                !expected.contains(&(d.location.path.clone(), d.location.line, d.rule.to_string()))
            })
            .map(|d| {
                format!(
                    "{}:{}: {} {}",
                    d.location.path, d.location.line, d.rule, d.message
                )
            })
            .collect();
        if !missing.is_empty() || !extra.is_empty() {
            failures.push(format!(
                "{}:\n  missing: {missing:?}\n  extra: {extra:#?}",
                display(&dir)
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "fixture mismatches:\n{}",
        failures.join("\n")
    );
}

#[test]
fn every_rule_has_a_triggering_and_a_clean_fixture() {
    let exempt = ["DL903", "DL904", "DL905"]; // need a file system or a bug; covered in tests/it/cli.rs
    let folders: Vec<String> = rule_folders()
        .iter()
        .map(|d| d.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    for rule in doclint::config::Catalogue::builtin().rules() {
        if exempt.contains(&rule.id.as_str()) {
            continue;
        }
        assert!(
            folders.contains(&rule.id),
            "rule {} has no testdata/rules/{} folder",
            rule.id,
            rule.id
        );
        let dir = common::repo().join("testdata/rules").join(&rule.id);
        let files = md_files(&dir);
        let triggers = files
            .iter()
            .flat_map(|p| markers(p, &display(p)))
            .any(|(_, _, r)| r == rule.id);
        assert!(
            triggers,
            "testdata/rules/{} marks no {} finding",
            rule.id, rule.id
        );
        let clean = files.iter().any(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("clean")
        });
        assert!(clean, "testdata/rules/{} has no clean*.md case", rule.id);
    }
    for folder in &folders {
        assert!(
            doclint::config::Catalogue::builtin().get(folder).is_some(),
            "testdata/rules/{folder} names no rule in rules.toml"
        );
    }
}

/// The JSON output for every fixture folder, as insta snapshots (review changes with
/// `cargo insta review`).
#[test]
fn fixture_json_snapshots() {
    for dir in rule_folders() {
        let report = common::check_folder(&dir);
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        insta::assert_snapshot!(name, doclint::report::json::render(&report));
    }
}
