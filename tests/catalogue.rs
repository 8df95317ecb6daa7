//! The rule catalogue (`rules.toml`) is the single source of truth: it lists exactly the rules
//! the code reports (`Rule` is generated from it), in id order, with the names of DESIGN.md,
//! and the README's rule table is generated from it.

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

/// `link-target-missing` → `LinkTargetMissing`, the name of the rule's `Rule` variant.
fn variant(name: &str) -> String {
    name.split('-')
        .map(|word| word[..1].to_ascii_uppercase() + &word[1..])
        .collect()
}

/// Every rule of the catalogue is reported somewhere (a report site naming a rule that is not
/// in the catalogue does not compile: `Rule` is generated from it).
#[test]
fn every_catalogued_rule_is_reported() {
    let named = Regex::new(r"\bRule::([A-Z][A-Za-z0-9]*)").unwrap();
    let mut files = Vec::new();
    rust_files(&common::repo().join("src"), &mut files);
    let used: BTreeSet<String> = files
        .iter()
        .filter(|f| !f.ends_with("rule.rs"))
        .flat_map(|f| {
            let text = std::fs::read_to_string(f).unwrap();
            named
                .captures_iter(&text)
                .map(|c| c[1].to_string())
                .collect::<Vec<_>>()
        })
        .collect();
    let unused: Vec<&str> = Catalogue::builtin()
        .rules()
        .iter()
        .filter(|r| !used.contains(&variant(&r.name)))
        .map(|r| r.id.as_str())
        .collect();
    assert!(
        unused.is_empty(),
        "rules.toml lists rules the code never reports: {unused:?}"
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
            ("remedy", &rule.remedy),
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
