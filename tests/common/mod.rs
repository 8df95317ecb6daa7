//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::time::Duration;

use doclint::config::LoadOptions;
use doclint::{CheckOptions, Report};

/// The repository root (tests run from it).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A corpus folder under `../shared/corpora`, or `None` (with a printed reason) when it is
/// missing outside CI. In CI (`CI=true`) a missing corpus fails the test.
pub fn corpus(name: &str) -> Option<PathBuf> {
    let path = repo().join("../shared/corpora").join(name);
    if path.is_dir() {
        return Some(path);
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!(
            "corpus {} is missing, and CI=true: the corpora are required in CI",
            path.display()
        );
    }
    eprintln!(
        "skipping: corpus {} is missing (set up ../shared to run this test)",
        path.display()
    );
    None
}

/// Checks a doc-set folder with its own `doclint.toml` if it has one, else with no config.
pub fn check_folder(dir: &Path) -> Report {
    check_folder_selecting(dir, Vec::new())
}

/// Like [`check_folder`], with `--select` of `rules` (all rules when empty).
pub fn check_folder_selecting(dir: &Path, rules: Vec<String>) -> Report {
    doclint::check(&folder_options(dir, rules)).unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
}

/// The options that check a doc-set folder with its own `doclint.toml` if it has one, else with
/// no config, selecting `rules` (all rules when empty).
pub fn folder_options(dir: &Path, rules: Vec<String>) -> CheckOptions {
    let config = ["doclint.toml", ".doclint.toml"]
        .iter()
        .map(|n| dir.join(n))
        .find(|p| p.is_file());
    CheckOptions {
        load: LoadOptions {
            no_config: config.is_none(),
            config,
            select: rules,
            ..Default::default()
        },
        paths: vec![dir.to_path_buf()],
        threads: 2,
        force_exclude: false,
        whole_docset: false,
        ..Default::default()
    }
}

/// An external test tool from `.tools/venv/bin` (or PATH), or `None` with a printed reason
/// when it is missing outside CI.
pub fn tool(name: &str) -> Option<PathBuf> {
    let local = repo().join(".tools/venv/bin").join(name);
    if local.is_file() {
        return Some(local);
    }
    let on_path = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join(name))
            .find(|p| p.is_file())
    });
    if on_path.is_some() {
        return on_path;
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{name} is missing and CI=true: run scripts/install-test-tools.sh first");
    }
    eprintln!("skipping: {name} is missing; run scripts/install-test-tools.sh to install it");
    None
}

/// CPU time (user and system, all threads) this process has used so far (Linux only): unlike
/// wall time, it does not grow when other processes share the machine.
pub fn cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The fields after the command name, which is in parentheses and may hold spaces.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    // The kernel reports in clock ticks of USER_HZ, 100 a second on every Linux platform.
    Some(Duration::from_millis(ticks * 10))
}

/// Runs git in `dir` with a fixed identity, no signing, `main` as the first branch and no
/// system configuration; panics with git's message when it fails.
pub fn git(dir: &Path, args: &[&str]) {
    let output = std::process::Command::new("git")
        .args([
            "-c",
            "user.name=doclint",
            "-c",
            "user.email=doclint@example.com",
        ])
        .args([
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .expect("git runs");
    assert!(
        output.status.success(),
        "git {args:?} failed ({}):\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
}
