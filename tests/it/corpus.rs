//! doclint on the real corpora (`../shared/corpora`), with no configuration of their own: no
//! panic, no internal error, and findings in the bands and patterns measured on them (see
//! `../shared/research/corpus-facts.md`), not exact totals.

use crate::common;

use std::collections::{BTreeMap, BTreeSet};

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
    // Fragments that DocFX YAML pages include are fragments: no front matter of their own.
    let missing = of(&report, "DL101");
    assert!(
        missing
            .iter()
            .all(|d| !d.location.path.contains("quickstart-0")),
        "{:?}",
        missing.iter().map(|d| &d.location.path).collect::<Vec<_>>()
    );
    // A generator's region markers (`throttlinggenstart`) are not annotations to judge.
    assert!(of(&report, "DL204")
        .iter()
        .all(|d| !d.location.path.ends_with("concepts/throttling.md")));
    // With full Json.NET leniency two code-block annotations still fail.
    assert!(
        (1..=3).contains(&counts.get("DL201").copied().unwrap_or(0)),
        "DL201"
    );
    let errors = report.summary().errors;
    assert!((400..=1_500).contains(&errors), "{errors} errors");
    assert_publishing_patterns(&report);
}

/// The findings of one rule on one page of the Graph repository (`path` relative to its root).
fn on_page<'r>(report: &'r Report, rule: &str, path: &str) -> Vec<&'r Diagnostic> {
    of(report, rule)
        .into_iter()
        .filter(|d| d.location.path.ends_with(path))
        .collect()
}

/// The errors of one rule.
fn errors_of<'r>(report: &'r Report, rule: &str) -> Vec<&'r Diagnostic> {
    of(report, rule)
        .into_iter()
        .filter(|d| d.severity == Severity::Error)
        .collect()
}

/// The patterns that were false (or too loud) errors on the whole Graph repository before its
/// publishing conventions were understood, each checked where it showed and by its count.
fn assert_publishing_patterns(report: &Report) {
    // A beta page that writes the disclaimer's text out instead of including it meets the
    // requirement: a warning that names the include, never an error on the same page.
    let inline = on_page(report, "DL504", "beta/api/intune-apps-androidlobapp-get.md");
    assert!(
        !inline.is_empty() && inline.iter().all(|d| d.severity == Severity::Warning),
        "{inline:?}"
    );
    let missing: BTreeSet<&str> = errors_of(report, "DL504")
        .iter()
        .map(|d| d.location.path.as_str())
        .collect();
    assert!(missing.len() <= 300, "{} DL504 errors", missing.len());
    assert!(of(report, "DL504")
        .iter()
        .filter(|d| d.severity == Severity::Warning)
        .all(|d| !missing.contains(d.location.path.as_str())));
    // "Inherits from [directoryObject](directoryobject.md)" in a resource page's prose is its
    // base type, so responses of derived types are not rejected.
    assert!(on_page(
        report,
        "DL806",
        "beta/api/device-list-transitivememberof.md"
    )
    .is_empty());
    assert!(errors_of(report, "DL806").len() <= 200, "DL806");
    // One-cell bold group-label rows are not malformed rows; a stray header column is
    // reported once per table, as a warning (the rows render padded).
    assert!(on_page(report, "DL704", "intune-shared-deviceconfiguration.md").is_empty());
    let stray = on_page(report, "DL704", "v1.0/resources/searchrequest.md");
    assert!(
        stray.len() <= 1 && stray.iter().all(|d| d.severity != Severity::Error),
        "{stray:?}"
    );
    assert!(errors_of(report, "DL704").len() <= 80, "DL704");
    // A link written in the wrong case is reported once per target and page.
    let mut case_links = BTreeSet::new();
    for d in of(report, "DL402") {
        assert!(
            case_links.insert((d.location.path.as_str(), d.message.as_str())),
            "twice: {}",
            d.message
        );
    }
    assert!(!case_links.is_empty(), "DL402");
    // Severities that match the harm: what ApiDoctor accepts, or what renders fine, warns.
    for (rule, at_most) in [
        ("DL204", 0),
        ("DL205", 25),
        ("DL305", 20),
        ("DL602", 15),
        ("DL707", 40),
        ("DL801", 60),
    ] {
        let errors = errors_of(report, rule).len();
        assert!(errors <= at_most, "{errors} {rule} errors");
    }
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
    // ApiDoctor's test fixtures (`tests/*.md`) lie outside the DocFX content of `docs/`; its
    // test-scenario files there (`tests/*.json`) are linted.
    assert!(
        report
            .diagnostics
            .iter()
            .all(|d| !(d.location.path.contains("/tests/") && d.location.path.ends_with(".md"))),
        "a test fixture was linted"
    );
    let scenario_findings = |rule: &str| {
        report
            .diagnostics
            .iter()
            .filter(|d| d.rule == rule && d.location.path.contains("/tests/"))
            .count()
    };
    // `"Content-Type": …` in two request-parameters (a header needs its colon), and the
    // scenarios of requests the docs no longer have (bundles, tags, changes, …).
    assert_eq!(scenario_findings("DL322"), 2, "DL322 on the scenario files");
    assert!(
        scenario_findings("DL323") >= 20,
        "DL323 on the scenario files"
    );
    let errors = report
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    assert!(errors <= 40, "{errors} errors");
}

/// The findings of a report on the given pages, as compared between runs: the doc-set-wide
/// rules (duplicate request names, orphans, rare scopes, tab-id spellings across pages) left
/// out, since they run only on whole doc sets.
fn per_page_findings(report: &Report, pages: &[String]) -> Vec<String> {
    let mut findings: Vec<String> = report
        .diagnostics
        .iter()
        .filter(|d| pages.contains(&d.location.path))
        .filter(|d| !matches!(d.rule.id(), "DL306" | "DL411" | "DL606"))
        .filter(|d| !(d.rule == "DL707" && d.message.contains("tabs in the doc set use")))
        .map(|d| {
            format!(
                "{}:{}:{} {} {:?} {}",
                d.location.path,
                d.location.line,
                d.location.column,
                d.rule.id(),
                d.severity,
                d.message
            )
        })
        .collect();
    findings.sort();
    findings
}

/// `count` pages of a report's checked pages, picked with a small pseudo-random generator
/// from `seed`.
fn sample(report: &Report, count: usize, seed: u64) -> Vec<String> {
    let mut state = seed | 1;
    let mut pages = report.checked.clone();
    let mut picked = Vec::new();
    while picked.len() < count && !pages.is_empty() {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let at = usize::try_from(state % pages.len() as u64).unwrap_or(0);
        picked.push(pages.swap_remove(at));
    }
    picked
}

/// Named files (a pre-commit hook) get exactly the findings the directory run gives them.
fn assert_named_runs_match(dir: &std::path::Path, seed: u64) {
    let run = |paths: Vec<std::path::PathBuf>| {
        let options = CheckOptions {
            load: LoadOptions::default(),
            paths,
            ..Default::default()
        };
        doclint::check(&options).expect("the corpus config imports cleanly")
    };
    let whole = run(vec![dir.to_path_buf()]);
    let pages = sample(&whole, 50, seed);
    let named = run(pages.iter().map(std::path::PathBuf::from).collect());
    assert_eq!(named.files, pages.len());
    assert_eq!(
        per_page_findings(&named, &pages),
        per_page_findings(&whole, &pages),
        "{} (seed {seed}; set DOCLINT_SEED to repeat)",
        dir.display()
    );
}

/// A copy of `from` at `to`, by hard links where the file system allows them.
fn mirror(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            mirror(&entry.path(), &target);
        } else if std::fs::hard_link(entry.path(), &target).is_err() {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

#[test]
fn named_files_match_the_directory_run_with_and_without_git() {
    let Some(corpus) = common::corpus("microsoft-graph-docs") else {
        return;
    };
    let seed = std::env::var("DOCLINT_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(7, |d| d.as_secs())
        });
    // The corpus is a copy without `.git`: its publishing config marks the top.
    assert!(!corpus.join(".git").exists());
    assert_named_runs_match(&corpus, seed);
    let temp = tempfile::tempdir().unwrap();
    let checkout = temp.path().join("microsoft-graph-docs");
    mirror(&corpus, &checkout);
    std::fs::create_dir(checkout.join(".git")).unwrap();
    assert_named_runs_match(&checkout, seed);
}
