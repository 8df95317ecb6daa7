//! doclint on the real corpora (`../shared/corpora`), with no configuration of their own: no
//! panic, no internal error, and findings in the bands and patterns measured on them (see
//! `../shared/research/corpus-facts.md`), not exact totals.

use crate::common;

use std::collections::BTreeMap;

use doclint::config::LoadOptions;
use doclint::diagnostic::{Diagnostic, Severity};
use doclint::{CheckOptions, Report};

fn check(name: &str) -> Option<Report> {
    let path = common::corpus(name)?;
    let options = CheckOptions {
        load: LoadOptions::default(),
        paths: vec![path],
        ..Default::default()
    };
    Some(doclint::check(&options).expect("the corpus config imports cleanly"))
}

fn counts(report: &Report) -> BTreeMap<&'static str, usize> {
    let mut counts = BTreeMap::new();
    for d in &report.diagnostics {
        *counts.entry(d.rule.id()).or_insert(0) += 1;
    }
    counts
}

fn of<'r>(report: &'r Report, rule: &str) -> Vec<&'r Diagnostic> {
    report
        .diagnostics
        .iter()
        .filter(|d| d.rule == rule)
        .collect()
}

/// The doc set of a page of the Graph repository: its API version, or `concepts`.
fn graph_docset(path: &str) -> &str {
    let path = path.split("microsoft-graph-docs/").last().unwrap_or(path);
    for version in ["api-reference/v1.0/", "api-reference/beta/"] {
        if path.starts_with(version) {
            return version;
        }
    }
    path.split('/').next().unwrap_or("")
}

#[test]
fn microsoft_graph_docs() {
    let Some(report) = check("microsoft-graph-docs") else {
        return;
    };
    let counts = counts(&report);
    eprintln!(
        "microsoft-graph-docs: {} files, {:?}, counts per rule: {counts:?}",
        report.files,
        report.summary()
    );
    assert_eq!(counts.get("DL904"), None, "internal errors");
    // The DocFX content of `concepts` and `api-reference` less the ApiDoctor skip lists.
    assert!(
        (11_000..=12_500).contains(&report.files),
        "{} files",
        report.files
    );
    // Files outside the DocFX content (the repository's README, NOTICES, notfound.md, the
    // top-level includes) are link targets, not pages.
    let outside: Vec<&str> = report
        .diagnostics
        .iter()
        .map(|d| d.location.path.as_str())
        .filter(|p| {
            let p = p.split("microsoft-graph-docs/").last().unwrap_or(p);
            !p.starts_with("concepts/") && !p.starts_with("api-reference/")
        })
        .collect();
    assert!(
        outside.is_empty(),
        "findings outside the doc sets: {outside:?}"
    );
    // Request names are unique per doc set: v1.0 and beta (and concept pages) may share one.
    let duplicates = of(&report, "DL306");
    for d in &duplicates {
        let other = d
            .related
            .first()
            .map_or(d.location.path.as_str(), |r| r.location.path.as_str());
        assert_eq!(
            graph_docset(&d.location.path),
            graph_docset(other),
            "{}",
            d.message
        );
    }
    assert!(
        (40..=90).contains(&duplicates.len()),
        "{} DL306",
        duplicates.len()
    );
    // Concept pages are held to their own doc set's front matter, not the API versions'
    // `requiredYamlHeaders`.
    let keys = of(&report, "DL103");
    assert!(keys
        .iter()
        .all(|d| graph_docset(&d.location.path) != "concepts"));
    assert!(keys.len() <= 30, "{} DL103", keys.len());
    // The help on a missing target never blames a partial checkout: this is the whole repo.
    for d in of(&report, "DL401") {
        let help = d.help.as_deref().unwrap_or("");
        assert!(!help.contains("not checked out"), "{help}");
    }
    // With full Json.NET leniency two code-block annotations still fail.
    assert!(
        (1..=3).contains(&counts.get("DL201").copied().unwrap_or(0)),
        "DL201"
    );
    assert!(report.summary().errors < 8_264, "{:?}", report.summary());
}

#[test]
fn onedrive_docs() {
    let Some(report) = check("onedrive-api-docs") else {
        return;
    };
    let counts = counts(&report);
    eprintln!(
        "onedrive-api-docs: {} files, counts per rule: {counts:?}",
        report.files
    );
    assert_eq!(
        counts.get("DL904"),
        None,
        "internal errors on onedrive-api-docs"
    );
    assert!(report.files > 150);
    // ApiDoctor's test fixtures (`tests/*.md`) lie outside the DocFX content of `docs/`.
    assert!(
        report
            .diagnostics
            .iter()
            .all(|d| !d.location.path.contains("/tests/")),
        "a test fixture was linted"
    );
    let errors = report
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    assert!(errors <= 40, "{errors} errors");
}
