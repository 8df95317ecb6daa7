//! The fixture test: every folder under `testdata/rules/` is a small doc set whose pages mark
//! the findings they must produce, and doclint must report exactly those — nothing missing,
//! nothing extra.
//!
//! Markers (STYLE.md): `<!-- expect: DL401 -->` at the end of a line expects DL401 on that line;
//! `DL312@+3` expects it three lines below the marker, `DL103@1` on line 1. In front matter a
//! YAML comment `# expect: DL104` does the same. Each rule folder also holds a `clean*.md` page
//! that must not trigger anything.
//!
//! Fixes: in the folder of a rule with a fix, a page that the rule's fixes change has the text
//! they must produce beside it, in `<page>.fixed` (as clippy's `.fixed` files).

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use doclint::rule::Rule;
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
    let exempt = ["DL903", "DL904", "DL905"]; // need a file system or a bug; covered in tests/cli.rs
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

/// Files under `dir` whose name ends with `suffix`, sorted.
fn files_ending(dir: &Path, suffix: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(files_ending(&path, suffix));
        } else if path.to_string_lossy().ends_with(suffix) {
            out.push(path);
        }
    }
    out.sort();
    out
}

/// The fixes of each folder's rule (safe and unsafe), applied until nothing changes, turn each
/// page they change into its `<page>.fixed` text; a rule whose catalogue entry has a `fix` has
/// at least one such page, a rule without one changes nothing, and no finding of the rule is
/// left with a fix that was not applied.
#[test]
fn every_fix_gives_the_fixed_text() {
    let mut failures = Vec::new();
    for dir in rule_folders() {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let rule = Rule::from_key(&name).unwrap();
        let options = common::folder_options(&dir);
        let outcome = doclint::fixer::fix(&options, |d| d.rule == rule && d.fix.is_some())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let mut expected: BTreeSet<PathBuf> = files_ending(&dir, ".md.fixed").into_iter().collect();
        if rule.fix().is_some() && expected.is_empty() {
            failures.push(format!(
                "{name}: rules.toml says the rule has a fix, but testdata/rules/{name} has no `.md.fixed` page"
            ));
        }
        for file in &outcome.files {
            let fixed_path = PathBuf::from(format!("{}.fixed", file.path.display()));
            expected.remove(&fixed_path);
            match std::fs::read_to_string(&fixed_path) {
                Ok(text) if text == file.fixed => {}
                Ok(text) => failures.push(format!(
                    "{}: the fixes give\n{}\nbut {} holds\n{}",
                    display(&file.path),
                    file.fixed,
                    display(&fixed_path),
                    text
                )),
                Err(_) => failures.push(format!(
                    "{}: the fixes change it, but there is no {} with the expected text; they give\n{}",
                    display(&file.path),
                    display(&fixed_path),
                    file.fixed
                )),
            }
        }
        for unchanged in expected {
            failures.push(format!(
                "{}: the page's fixes changed nothing",
                display(&unchanged)
            ));
        }
        let left: Vec<String> = outcome
            .report
            .diagnostics
            .iter()
            .filter(|d| d.rule == rule && d.fix.is_some())
            .map(|d| format!("{}:{}", d.location.path, d.location.line))
            .collect();
        if !left.is_empty() {
            failures.push(format!("{name}: fixes left unapplied at {left:?}"));
        }
    }
    assert!(
        failures.is_empty(),
        "fix mismatches:\n{}",
        failures.join("\n")
    );
}

/// A fix is no safer than the catalogue says the rule's fixes are at best, and only rules the
/// catalogue says have a fix make one.
#[test]
fn fixes_match_the_catalogue() {
    for dir in rule_folders() {
        for d in common::check_folder(&dir).diagnostics {
            let Some(fix) = &d.fix else { continue };
            let declared = d.rule.fix().unwrap_or_else(|| {
                panic!(
                    "{}:{}: {} has a fix, but rules.toml gives the rule no `fix`",
                    d.location.path, d.location.line, d.rule
                )
            });
            assert!(
                fix.applicability >= declared,
                "{}:{}: a {} fix of {}, whose rules.toml entry says `fix = \"{declared}\"`",
                d.location.path,
                d.location.line,
                fix.applicability,
                d.rule
            );
            assert!(
                !fix.edits.is_empty() && !fix.message.is_empty(),
                "{}:{}: an empty fix",
                d.location.path,
                d.location.line
            );
        }
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
