//! Links and includes on the seed doc set, on variations of it in temporary folders, and on
//! the Microsoft Graph repository (skipped with a note when the corpus is absent, unless
//! `CI=true`).

use crate::common;

use std::path::{Path, PathBuf};

use doclint::config::LoadOptions;
use doclint::{CheckOptions, Report};

/// `../shared/seeds`, or `None` (with a note) when it is missing outside CI.
fn seeds() -> Option<PathBuf> {
    common::shared("seeds")
}

/// Runs doclint on `paths` with the configuration found from them (or none).
fn check(paths: &[&Path], whole_docset: bool) -> Report {
    let options = CheckOptions {
        load: LoadOptions::default(),
        paths: paths.iter().map(|p| p.to_path_buf()).collect(),
        threads: 2,
        whole_docset,
        ..Default::default()
    };
    doclint::check(&options).unwrap_or_else(|e| panic!("{e}"))
}

/// (file name, line, rule) of every diagnostic.
fn found(report: &Report) -> Vec<(String, u32, &'static str)> {
    report
        .diagnostics
        .iter()
        .map(|d| {
            let name = d.location.path.rsplit('/').next().unwrap_or("").to_string();
            (name, d.location.line, d.rule.id())
        })
        .collect()
}

fn count(report: &Report, rule: &str) -> usize {
    report.diagnostics.iter().filter(|d| d.rule == rule).count()
}

const BETA_PAGE: &str = "api-reference/beta/api/driveitem-checkout.md";

#[test]
fn seed_docset_reports_what_the_seeds_readme_expects() {
    let Some(seeds) = seeds() else { return };
    let report = check(&[&seeds.join("docset")], false);
    let found = found(&report);
    let beta = "driveitem-checkout.md".to_string();
    let stub = "driveitem-checkout-stub.md".to_string();
    assert!(found.contains(&(beta.clone(), 64, "DL405")), "{found:?}");
    assert!(found.contains(&(stub, 17, "DL401")), "{found:?}");
    for never in ["DL501", "DL404", "DL904", "DL504", "DL505"] {
        assert_eq!(count(&report, never), 0, "{never} in {found:?}");
    }
    let stub_link = report
        .diagnostics
        .iter()
        .find(|d| d.rule == "DL401" && d.location.path.ends_with("stub.md"))
        .unwrap();
    assert!(stub_link
        .message
        .contains("`/concepts/permissions-reference.md`"));
}

#[test]
fn beta_page_without_its_disclaimer_include_is_reported() {
    let Some(seeds) = seeds() else { return };
    let dir = tempfile::tempdir().unwrap();
    common::copy_tree(&seeds.join("docset"), dir.path());
    let page = dir.path().join(BETA_PAGE);
    let text = std::fs::read_to_string(&page).unwrap();
    let without: String = text
        .lines()
        .filter(|l| !l.contains("[!INCLUDE"))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_ne!(text.len(), without.len());
    std::fs::write(&page, without).unwrap();
    let report = check(&[dir.path()], false);
    let missing: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| d.rule == "DL504")
        .collect();
    assert_eq!(missing.len(), 1, "{:?}", found(&report));
    assert!(missing[0].location.path.ends_with("driveitem-checkout.md"));
    assert_eq!(missing[0].location.line, 9, "at the H1");
    assert!(missing[0]
        .help
        .as_deref()
        .unwrap()
        .contains("(../../includes/beta-disclaimer.md)"));
}

#[test]
fn loose_copy_checked_alone_includes_from_outside_its_docset() {
    let Some(seeds) = seeds() else { return };
    let report = check(&[&seeds.join("driveitem-checkout-beta.md")], false);
    let outside: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| d.rule == "DL506")
        .collect();
    assert_eq!(outside.len(), 1, "{:?}", found(&report));
    assert_eq!(outside[0].location.line, 11);
    assert!(outside[0]
        .message
        .contains("`../../includes/beta-disclaimer.md`"));
    assert_eq!(count(&report, "DL501"), 0);
}

/// A doc set written into a temporary folder.
fn docset(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

const PAGE: &str = "---\ntitle: Page\ndescription: A page.\n---\n\n# Page\n\n";

#[test]
fn case_insensitive_doc_sets_turn_case_mismatches_off() {
    let body = format!("{PAGE}See [the guide](guide.md).\n");
    let guide = format!("{PAGE}Back to [the page](page.md).\n");
    let files = [("page.md", body.as_str()), ("Guide.md", guide.as_str())];
    let strict = docset(&files);
    assert_eq!(count(&check(&[strict.path()], false), "DL402"), 1);
    let mut relaxed_files = files.to_vec();
    relaxed_files.push(("doclint.toml", "[links]\ncase-sensitive = false\n"));
    let relaxed = docset(&relaxed_files);
    let report = check(&[relaxed.path()], false);
    assert!(report.diagnostics.is_empty(), "{:?}", found(&report));
}

#[test]
fn configured_include_requirements_replace_the_defaults() {
    let config =
        "[[includes.require]]\npaths = [\"preview/**\"]\ninclude = \"preview-note.md\"\n\n\
                  [[includes.forbid]]\npaths = [\"stable/**\"]\ninclude = \"preview-note.md\"\n";
    let with_note = format!("{PAGE}[!INCLUDE [note](../includes/preview-note.md)]\n");
    let plain = format!("{PAGE}Text.\n");
    let dir = docset(&[
        ("doclint.toml", config),
        ("includes/preview-note.md", "A preview.\n"),
        ("preview/with.md", &with_note),
        ("preview/without.md", &plain),
        ("stable/with.md", &with_note),
        ("stable/without.md", &plain),
        // The default beta rule no longer applies once `[[includes.require]]` is set.
        ("beta/api/page.md", &plain),
    ]);
    let report = check(&[dir.path()], false);
    let mut found: Vec<(String, &str)> = report
        .diagnostics
        .iter()
        .map(|d| {
            (
                d.location
                    .path
                    .rsplit_once('/')
                    .map_or("", |(p, _)| p)
                    .to_string(),
                d.rule.id(),
            )
        })
        .map(|(dir, rule)| (dir.rsplit('/').next().unwrap_or("").to_string(), rule))
        .collect();
    found.sort();
    assert_eq!(
        found,
        vec![
            ("preview".to_string(), "DL504"),
            ("stable".to_string(), "DL505")
        ]
    );
}

#[test]
fn orphans_need_the_whole_docset() {
    let config = "[rules]\nDL411 = \"warning\"\n";
    let orphan = format!("{PAGE}Nobody links here.\n");
    let dir = docset(&[("doclint.toml", config), ("orphan.md", &orphan)]);
    let named = dir.path().join("orphan.md");
    assert_eq!(count(&check(&[&named], false), "DL411"), 0);
    assert_eq!(count(&check(&[&named], true), "DL411"), 1);
    assert_eq!(count(&check(&[dir.path()], false), "DL411"), 1);
}

#[test]
fn graph_repository_includes_resolve_and_links_are_counted() {
    let Some(graph) = common::corpus("microsoft-graph-docs") else {
        return;
    };
    let report = check(&[&graph], false);
    assert_eq!(count(&report, "DL501"), 0, "every include resolves");
    assert_eq!(count(&report, "DL502") + count(&report, "DL506"), 0);
    let case_only = count(&report, "DL402");
    assert!(
        (400..=800).contains(&case_only),
        "{case_only} case-only link targets"
    );
    // Root-relative links into folders the repository does not have say so, without blaming
    // a partial checkout: the root is the top of the repository.
    let missing_folders: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| d.rule == "DL401" && d.help.as_deref().is_some_and(|h| h.contains("no folder")))
        .collect();
    assert!(!missing_folders.is_empty());
    for d in missing_folders {
        let help = d.help.as_deref().unwrap_or("");
        assert!(help.starts_with("there is no folder `"), "{help}");
    }
}
