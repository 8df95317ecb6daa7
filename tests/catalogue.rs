//! The rule catalogue (`rules.toml`) is the single source of truth: it lists exactly the rules
//! the code reports, in id order, with the names of DESIGN.md, and the README's rule table is
//! generated from it.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use doclint::config::Catalogue;
use regex::Regex;

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn catalogue_lists_exactly_the_rules_the_code_reports() {
    let literal = Regex::new(r#""(DL\d{3})""#).unwrap();
    let mut files = Vec::new();
    rust_files(&common::repo().join("src"), &mut files);
    let used: BTreeSet<String> = files
        .iter()
        .flat_map(|f| {
            let text = std::fs::read_to_string(f).unwrap();
            literal
                .captures_iter(&text)
                .map(|c| c[1].to_string())
                .collect::<Vec<_>>()
        })
        .collect();
    let listed: BTreeSet<String> = Catalogue::builtin()
        .rules()
        .iter()
        .map(|r| r.id.clone())
        .collect();
    // DL905 is printed by the configuration error path rather than reported as a finding.
    let missing_in_code: Vec<_> = listed
        .difference(&used)
        .filter(|id| *id != "DL905")
        .collect();
    let missing_in_catalogue: Vec<_> = used.difference(&listed).collect();
    assert!(
        missing_in_code.is_empty(),
        "rules.toml lists rules the code never reports: {missing_in_code:?}"
    );
    assert!(
        missing_in_catalogue.is_empty(),
        "the code reports rules missing from rules.toml: {missing_in_catalogue:?}"
    );
}

#[test]
fn catalogue_is_sorted_and_complete() {
    let rules = Catalogue::builtin().rules();
    let ids: Vec<&str> = rules.iter().map(|r| r.id.as_str()).collect();
    let mut sorted = ids.clone();
    sorted.sort_unstable();
    assert_eq!(ids, sorted, "rules.toml must list rules in id order");
    for rule in rules {
        for (field, value) in [
            ("summary", &rule.summary),
            ("why", &rule.why),
            ("example", &rule.example),
            ("fix", &rule.fix),
        ] {
            assert!(!value.trim().is_empty(), "{} has an empty {field}", rule.id);
        }
        assert!(
            rule.summary
                .chars()
                .next()
                .is_some_and(|c| !c.is_uppercase()),
            "{}: summaries start lower-case",
            rule.id
        );
    }
}

/// Ids and names are a contract (DESIGN.md §7): every rule we ship has the name DESIGN gives it.
#[test]
fn names_match_the_design() {
    let design = common::repo().join("../shared/DESIGN.md");
    let Ok(text) = std::fs::read_to_string(&design) else {
        assert!(
            std::env::var("CI").map_or(true, |v| v != "true"),
            "../shared/DESIGN.md is missing in CI"
        );
        eprintln!("skipping: {} is missing", design.display());
        return;
    };
    let pair = Regex::new(r"\b(DL\d{3}) ([a-z0-9]+(?:-[a-z0-9]+)+)").unwrap();
    for caps in pair.captures_iter(&text) {
        if let Some(rule) = Catalogue::builtin().get(&caps[1]) {
            assert_eq!(
                rule.name, &caps[2],
                "{} is named {} in DESIGN.md",
                &caps[1], &caps[2]
            );
        }
    }
}

/// The README's rule table is `doclint rules --markdown`. Run with `UPDATE_README=1` to rewrite it.
#[test]
fn readme_rule_table_is_generated_from_the_catalogue() {
    let output = assert_cmd::Command::cargo_bin("doclint")
        .unwrap()
        .args(["rules", "--markdown"])
        .output()
        .unwrap();
    let table = String::from_utf8(output.stdout).unwrap();
    let path = common::repo().join("README.md");
    let readme = std::fs::read_to_string(&path).unwrap();
    let (start, end) = ("<!-- rules:start -->\n", "<!-- rules:end -->");
    let from = readme.find(start).expect("README has a rules:start marker") + start.len();
    let to = readme.find(end).expect("README has a rules:end marker");
    if readme[from..to] != table && std::env::var_os("UPDATE_README").is_some() {
        let updated = format!("{}{}{}", &readme[..from], table, &readme[to..]);
        std::fs::write(&path, updated).unwrap();
        return;
    }
    assert_eq!(
        readme[from..to],
        table,
        "the README rule table is stale: run UPDATE_README=1 cargo test --test catalogue"
    );
}
