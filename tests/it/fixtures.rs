//! The fixture tests: every folder under `testdata/rules/` is a small doc set whose pages mark
//! the findings they must produce, and doclint must report exactly those — nothing missing,
//! nothing extra. There is one test per rule, named after it (`cargo test --test it
//! fixtures::DL401`); it runs the rule's folder with `--select` of that rule and of any other
//! rule its markers name, and snapshots the human output (source lines included) in the folder's
//! `findings.snap` (review changes with `cargo insta review`). So a rule's catalogue entry,
//! its family's code and its folder are all there is to it.
//!
//! Markers (STYLE.md): `<!-- expect: DL401 -->` at the end of a line expects DL401 on that line;
//! `DL312@+3` expects it three lines below the marker, `DL103@1` on line 1. In front matter a
//! YAML comment `# expect: DL104` does the same, and so does a `// expect: DL322` comment at the
//! end of a line of a JSON file (ApiDoctor's scenario files allow comments). Each rule folder
//! also holds a `clean*.md` page that must not trigger anything.
//!
//! Fixes: in the folder of a rule with a fix, a page that the rule's fixes change has the text
//! they must produce beside it, in `<page>.fixed` (as clippy's `.fixed` files).

use crate::common;

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
    let json = Regex::new(r"//\s*expect:\s*(.*)$").unwrap();
    let is_json = path.extension().is_some_and(|e| e == "json");
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
        if is_json {
            lists.extend(json.captures_iter(line).map(|c| c[1].to_string()));
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

/// The pages and JSON files of a fixture folder, which may mark findings.
fn marked_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(marked_files(&path));
        } else if path.extension().is_some_and(|e| e == "md" || e == "json") {
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

/// Rules without a folder: they need a file system or a bug to fire, and tests/cli.rs covers
/// them.
const WITHOUT_FOLDER: [&str; 3] = ["DL903", "DL904", "DL905"];

/// Rules whose findings are about the other rules' findings (an unused suppression), so their
/// folders run every rule.
const EVERY_RULE: [&str; 1] = ["DL901"];

/// Runs the fixture folder of rule `id` and checks that it reports exactly what its pages mark,
/// that it marks a finding of the rule, and that it has a `clean*.md` page.
fn check_rule(id: &str) {
    let dir = common::repo().join("testdata/rules").join(id);
    if !dir.is_dir() {
        assert!(
            WITHOUT_FOLDER.contains(&id),
            "rule {id} has no testdata/rules/{id} folder"
        );
        return;
    }
    let files = marked_files(&dir);
    let expected: BTreeSet<Expectation> =
        files.iter().flat_map(|p| markers(p, &display(p))).collect();
    assert!(
        expected.iter().any(|(_, _, rule)| rule == id),
        "testdata/rules/{id} marks no {id} finding"
    );
    let clean = files.iter().any(|p| {
        p.file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("clean")
    });
    assert!(clean, "testdata/rules/{id} has no clean*.md case");

    let selected: Vec<String> = if EVERY_RULE.contains(&id) {
        Vec::new()
    } else {
        let rules: BTreeSet<String> = std::iter::once(id.to_string())
            .chain(expected.iter().map(|(_, _, rule)| rule.clone()))
            .collect();
        rules.into_iter().collect()
    };
    let report = common::check_folder_selecting(&dir, selected);
    let actual: BTreeSet<Expectation> = report
        .diagnostics
        .iter()
        .map(|d| (d.location.path.clone(), d.location.line, d.rule.to_string()))
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
    assert!(
        missing.is_empty() && extra.is_empty(),
        "testdata/rules/{id}:\n  missing: {missing:?}\n  extra: {extra:#?}"
    );
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(&dir);
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.bind(|| {
        let text = doclint::report::human::render(&report, false, 100);
        insta::assert_snapshot!("findings", text);
    });
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
        let options = common::folder_options(&dir, Vec::new());
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

macro_rules! fixture {
    ($id:ident) => {
        #[test]
        #[allow(non_snake_case)]
        fn $id() {
            check_rule(stringify!($id));
        }
    };
}

include!(concat!(env!("OUT_DIR"), "/fixture_tests.rs"));

#[test]
fn every_folder_names_a_rule() {
    for dir in rule_folders() {
        let folder = dir.file_name().unwrap().to_string_lossy().into_owned();
        let rule = doclint::rule::Rule::from_key(&folder);
        assert!(
            rule.is_some_and(|r| r.id() == folder),
            "testdata/rules/{folder} names no rule id in rules.toml"
        );
    }
}
