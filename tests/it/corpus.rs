//! doclint on the real corpora (`../shared/corpora`): no panic, no internal error, and finding
//! counts that agree with the measured facts of `../shared/research/corpus-facts.md` §10.

use crate::common;

use std::collections::BTreeMap;

use doclint::config::LoadOptions;
use doclint::{CheckOptions, Report};

fn check(name: &str) -> Option<Report> {
    let path = common::corpus(name)?;
    let options = CheckOptions {
        load: LoadOptions::default(),
        paths: vec![path],
        threads: 0,
        force_exclude: false,
        whole_docset: false,
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

#[test]
fn graph_docs_slice() {
    let Some(report) = check("graph-docs") else {
        return;
    };
    let counts = counts(&report);
    eprintln!(
        "graph-docs: {} files, counts per rule: {counts:?}",
        report.files
    );
    assert_eq!(counts.get("DL904"), None, "internal errors on graph-docs");
    // The imported ApiDoctor config (foldersToSkip: includes, templates) leaves 3,622 pages.
    assert_eq!(report.files, 3622);
    // With full Json.NET leniency one code-block annotation is still invalid, and about 24 are
    // valid only leniently (corpus-facts.md §10).
    assert_eq!(counts.get("DL201").copied().unwrap_or(0), 1);
    let lenient = counts.get("DL202").copied().unwrap_or(0);
    assert!((15..=40).contains(&lenient), "DL202 {lenient}");
    // The three `resourcePageType_` values in v1.0 resources.
    assert_eq!(counts.get("DL105").copied().unwrap_or(0), 6);
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
}
