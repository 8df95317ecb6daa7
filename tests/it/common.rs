//! Helpers shared by the integration tests.

use std::path::{Path, PathBuf};
use std::time::Duration;

use doclint::config::LoadOptions;
use doclint::{CheckOptions, Report};

/// The repository root (tests run from it).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Whether missing requirements fail tests: `CI=true`, as `.ci/run` sets it.
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true")
}

/// Something a test needs is missing: under CI (`ci`) the test fails, since CI installs every
/// tool and has `../shared`; elsewhere the test is skipped with the reason printed.
pub fn missing<T>(ci: bool, what: &str, how: &str) -> Option<T> {
    if ci {
        panic!("{what} is missing, and CI=true: {how}");
    }
    eprintln!("skipping: {what} is missing; {how}");
    None
}

/// A path under `../shared` (the corpora, the seeds, DESIGN.md), or `None` (see [`missing`]).
pub fn shared(path: &str) -> Option<PathBuf> {
    let full = repo().join("../shared").join(path);
    if full.exists() {
        return Some(full);
    }
    missing(
        in_ci(),
        &full.display().to_string(),
        "CI and a full test run need ../shared beside the checkout",
    )
}

/// A corpus folder under `../shared/corpora`, or `None` (see [`missing`]).
pub fn corpus(name: &str) -> Option<PathBuf> {
    shared(&format!("corpora/{name}"))
}

/// An external test tool from `.tools/venv/bin` (or PATH), or `None` (see [`missing`]).
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
    missing(
        in_ci(),
        name,
        "scripts/install-test-tools.sh installs it (.ci/run runs it)",
    )
}

/// Copies a folder tree (small doc sets only).
pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
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

/// Runs one ignored test of this binary (`module::name`) in a process of its own and fails if
/// it fails: for measurements (CPU time, peak memory) that the tests running beside it in this
/// process would distort.
pub fn in_own_process(name: &str) {
    let output = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            name,
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    eprint!("{stderr}");
    assert!(
        output.status.success() && stdout.contains("1 passed"),
        "{name} failed in its own process:\n{stdout}\n{stderr}"
    );
}

/// Under CI a missing requirement fails the test instead of skipping it.
#[test]
fn a_missing_requirement_fails_under_ci() {
    let failed = std::panic::catch_unwind(|| missing::<()>(true, "a tool", "install it"));
    assert!(failed.is_err());
    assert_eq!(missing::<()>(false, "a tool", "install it"), None);
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
