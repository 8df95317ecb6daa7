//! A docs pull request is untrusted input: it cannot make doclint run code, read outside its
//! checkout, forge CI output or lose findings (issue: security and faults). Each test plays
//! one attack or fault through the command line.

#![cfg(unix)]

use std::path::{Path, PathBuf};
use std::time::Duration;

use assert_cmd::Command;
use serde_json::Value;

use crate::common::git;

fn doclint(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("doclint").expect("the doclint binary");
    cmd.current_dir(dir)
        .env_remove("GITHUB_STEP_SUMMARY")
        .env_remove("NO_COLOR")
        .timeout(Duration::from_secs(60));
    cmd
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn write(dir: &Path, name: &str, content: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, content).unwrap();
    path
}

fn symlink(target: impl AsRef<Path>, link: impl AsRef<Path>) {
    std::os::unix::fs::symlink(target, link).unwrap();
}

fn mkfifo(path: &Path) {
    let status = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo runs");
    assert!(status.success(), "mkfifo {}", path.display());
}

/// A clean page with the required front matter.
const PAGE: &str =
    "---\ntitle: Widgets\ndescription: All about widgets.\n---\n\n# Widgets\n\nText.\n";

/// A page with one broken link (DL401 on line 7).
const BROKEN: &str =
    "---\ntitle: Pages\ndescription: About pages.\n---\n\n# Pages\n\nSee [the guide](missing.md).\n";

/// A temporary repository root (with a `.git` folder) holding `pages`.
fn repo(pages: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    for (name, content) in pages {
        write(dir.path(), name, content);
    }
    dir
}

/// The JSON report of a run, its exit code and its stderr.
fn json_run(cmd: &mut Command) -> (i32, Value, String) {
    let out = cmd.args(["--format", "json"]).output().unwrap();
    let stderr = text(&out.stderr);
    let json = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}\n{stderr}", text(&out.stdout)));
    (out.status.code().unwrap_or(-1), json, stderr)
}

/// Runs `script` in `sh` in `dir`, with `$0` the doclint binary.
fn shell(dir: &Path, script: &str) -> std::process::Output {
    std::process::Command::new("sh")
        .arg("-c")
        .arg(script)
        .arg(assert_cmd::cargo::cargo_bin("doclint"))
        .current_dir(dir)
        .output()
        .unwrap()
}

/// A file-size limit of 1 KB stands in for a disk that fills up during a write.
const FULL_DISK: &str = "trap '' XFSZ; ulimit -f 1; exec \"$0\"";

fn findings(json: &Value) -> Vec<(String, String)> {
    json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["path"].as_str().unwrap().to_string(),
                d["rule"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

// ---------------------------------------------------------------------------------------
// --diff-base

/// A repository whose `main` has a clean doc set and whose checked-out branch adds a page with
/// a broken link and, inside `docs/`, git's own repository files: a planted repository whose
/// config names an fsmonitor command (which touches the returned marker) and whose history
/// already holds the page, so that a diff taken there hides it.
fn planted_repository() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("repo");
    write(&root, "docs/index.md", PAGE);
    git(&root, &["init", "--quiet"]);
    git(&root, &["add", "."]);
    git(&root, &["commit", "--quiet", "-m", "docs"]);
    git(&root, &["checkout", "--quiet", "-b", "pull-request"]);

    let planted = dir.path().join("planted");
    write(&planted, "page.md", BROKEN);
    git(&planted, &["init", "--quiet"]);
    git(&planted, &["add", "."]);
    git(&planted, &["commit", "--quiet", "-m", "page"]);
    let docs = root.join("docs");
    for part in ["HEAD", "objects", "refs"] {
        let status = std::process::Command::new("cp")
            .arg("-R")
            .arg(planted.join(".git").join(part))
            .arg(&docs)
            .status()
            .unwrap();
        assert!(status.success());
    }
    let marker = dir.path().join("fsmonitor-ran");
    write(
        &docs,
        "config",
        &format!(
            "[core]\n\trepositoryformatversion = 0\n\tbare = false\n\tworktree = .\n\tfsmonitor = \"touch '{}'\"\n",
            marker.display()
        ),
    );
    write(&docs, "page.md", BROKEN);
    git(&root, &["add", "."]);
    git(&root, &["commit", "--quiet", "-m", "pull request"]);
    (dir, marker)
}

#[test]
fn a_planted_repository_runs_no_command_and_hides_no_finding() {
    let (dir, marker) = planted_repository();
    let root = dir.path().join("repo");
    let (code, json, stderr) = json_run(doclint(&root).args(["--diff-base", "main", "docs"]));
    assert!(!marker.exists(), "the planted fsmonitor command ran");
    assert_eq!(
        findings(&json),
        [("docs/page.md".to_string(), "DL401".to_string())],
        "{stderr}"
    );
    assert_eq!(code, 1, "{stderr}");

    // Run from inside the planted folder, git must refuse it rather than use it.
    let out = doclint(&root.join("docs"))
        .args(["--diff-base", "main", "."])
        .output()
        .unwrap();
    assert!(!marker.exists(), "the planted fsmonitor command ran");
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("bare repository"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn a_git_directory_elsewhere_is_refused() {
    let (dir, marker) = planted_repository();
    let root = dir.path().join("repo");
    let out = doclint(&root)
        .args(["--diff-base", "main", "docs"])
        .env("GIT_DIR", dir.path().join("planted/.git"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("is not its .git folder"),
        "{}",
        text(&out.stderr)
    );
    assert!(!marker.exists());
}

#[test]
fn diff_base_keeps_fault_findings_and_says_when_no_page_was_found() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "docs/index.md", PAGE);
    git(root, &["init", "--quiet"]);
    git(root, &["add", "."]);
    git(root, &["commit", "--quiet", "-m", "docs"]);
    // Unchanged since main: a page that cannot be read (a link to itself, a loop).
    std::fs::remove_file(root.join("docs/index.md")).unwrap();
    symlink("index.md", root.join("docs/index.md"));
    git(root, &["add", "."]);
    git(root, &["commit", "--quiet", "-m", "loop"]);
    git(root, &["checkout", "--quiet", "-b", "pull-request"]);
    let (code, json, stderr) = json_run(doclint(root).args(["--diff-base", "main", "docs"]));
    let rules: Vec<String> = findings(&json).into_iter().map(|(_, r)| r).collect();
    assert_eq!(rules, ["DL903"], "{stderr}");
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("no Markdown pages found under docs"),
        "{stderr}"
    );
}

// ---------------------------------------------------------------------------------------
// Symbolic links

#[test]
fn symlinks_out_of_the_checkout_are_not_read() {
    let outside = tempfile::tempdir().unwrap();
    write(
        outside.path(),
        "creds.md",
        "---\ntitle: x\ndescription: y\napi_token: s3cr3t-t0ken\n---\n# Secret\n\ntext\n",
    );
    write(
        outside.path(),
        "dir/walked.md",
        "# Walked outside\n\n## Empty outside section\n",
    );
    write(
        outside.path(),
        "bashrc",
        "# alias secret-alias='curl evil'\n\n## export HIDDEN_VALUE=1\n",
    );
    let dir = repo(&[
        ("docs/index.md", PAGE),
        (
            "doclint.toml",
            "[front-matter]\nallowed = { api_token = [\"x\"] }\n",
        ),
    ]);
    let docs = dir.path().join("docs");
    symlink(outside.path().join("creds.md"), docs.join("creds.md"));
    symlink(outside.path().join("dir"), docs.join("outside"));
    symlink(outside.path().join("bashrc"), docs.join("bashrc.md"));
    let out = doclint(dir.path())
        .args(["--format", "json", "docs"])
        .output()
        .unwrap();
    let stdout = text(&out.stdout);
    for secret in ["s3cr3t", "Walked outside", "secret-alias", "HIDDEN_VALUE"] {
        assert!(!stdout.contains(secret), "{secret} leaked:\n{stdout}");
    }
    let json: Value = serde_json::from_str(&stdout).unwrap();
    let mut found = findings(&json);
    found.sort();
    let expected: Vec<(String, String)> = ["docs/bashrc.md", "docs/creds.md", "docs/outside"]
        .iter()
        .map(|p| (p.to_string(), "DL903".to_string()))
        .collect();
    assert_eq!(found, expected);
    assert_eq!(out.status.code(), Some(1));

    // Named on the command line, a link out of the doc set is not read either.
    let (code, json, _) = json_run(doclint(dir.path()).arg("docs/creds.md"));
    assert_eq!(
        findings(&json),
        [("docs/creds.md".to_string(), "DL903".to_string())]
    );
    assert_eq!(code, 1);
}

// ---------------------------------------------------------------------------------------
// Configuration paths

/// Runs doclint on `docs` of a repository whose doclint.toml is `config`; returns the exit
/// code and stderr.
fn with_config(dir: &Path, config: &str) -> (i32, String) {
    write(dir, "doclint.toml", config);
    let out = doclint(dir).arg("docs").output().unwrap();
    (out.status.code().unwrap_or(-1), text(&out.stderr))
}

#[test]
fn configuration_paths_stay_in_the_repository() {
    let outside = tempfile::tempdir().unwrap();
    let secret = write(outside.path(), "scopes.txt", "Secret.Scope.Leaked\n");
    let dir = repo(&[(
        "docs/index.md",
        "---\ntitle: a\ndescription: b\n---\n# A\n\n## Permissions\n\n| Permission type | Permissions (from least to most privileged) |\n|:--|:--|\n| Delegated (work or school account) | Secret.Scope.Leakd |\n| Application | Not supported. |\n",
    )]);
    let root = dir.path();
    symlink(&secret, root.join("linked-scopes.txt"));
    symlink("/dev/zero", root.join("zero.txt"));
    mkfifo(&root.join("fifo.txt"));
    let cases = [
        format!(
            "[permissions]\nknown-scopes = {:?}\n",
            secret.display().to_string()
        ),
        "[permissions]\nknown-scopes = \"linked-scopes.txt\"\n".to_string(),
        "[permissions]\nknown-scopes = \"/dev/zero\"\n".to_string(),
        "[permissions]\nknown-scopes = \"zero.txt\"\n".to_string(),
        "[permissions]\nknown-scopes = \"fifo.txt\"\n".to_string(),
        "root = \"/\"\n".to_string(),
        "root = \"..\"\n".to_string(),
        "[repos]\n\"other\" = \"/\"\n".to_string(),
        format!("[[metadata]]\ncsdl = {:?}\n", secret.display().to_string()),
        "[[metadata]]\ncsdl = \"zero.txt\"\n".to_string(),
        format!(
            "[repos]\n\"other\" = {:?}\n",
            outside.path().display().to_string()
        ),
    ];
    for config in &cases {
        let (code, stderr) = with_config(root, config);
        assert_eq!(code, 2, "{config}: {stderr}");
        assert!(
            stderr.contains("DL905/config-invalid"),
            "{config}: {stderr}"
        );
        assert!(
            !stderr.contains("Secret.Scope.Leaked"),
            "{config}: {stderr}"
        );
    }
    // Inside the repository, a known-scopes file is read as before.
    write(root, "scopes/known.txt", "Secret.Scope.Leakd\n");
    let (code, stderr) = with_config(root, "[permissions]\nknown-scopes = \"scopes/known.txt\"\n");
    assert_eq!(code, 0, "{stderr}");
}

#[test]
fn a_configuration_file_linked_out_of_the_repository_is_refused() {
    let outside = tempfile::tempdir().unwrap();
    let config = write(outside.path(), "doclint.toml", "[rules]\nDL101 = \"off\"\n");
    let dir = repo(&[("docs/index.md", PAGE)]);
    symlink(&config, dir.path().join("doclint.toml"));
    let out = doclint(dir.path()).arg("docs").output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("DL905/config-invalid"));
}

// ---------------------------------------------------------------------------------------
// Files that are not regular files

#[test]
fn fifos_and_devices_are_never_read() {
    let dir = repo(&[("docs/index.md", PAGE)]);
    let docs = dir.path().join("docs");
    mkfifo(&docs.join("fifo.md"));
    symlink("/dev/zero", docs.join("zero.md"));
    // Walked, named, and named through a link: each is DL903, none blocks or eats memory.
    for args in [
        vec!["docs"],
        vec!["docs/fifo.md"],
        vec!["docs/zero.md"],
        vec!["/dev/zero"],
    ] {
        let (code, json, stderr) = json_run(doclint(dir.path()).args(&args));
        let rules: Vec<String> = findings(&json).into_iter().map(|(_, r)| r).collect();
        assert!(
            !rules.is_empty() && rules.iter().all(|r| r == "DL903"),
            "{args:?}: {rules:?} {stderr}"
        );
        assert_eq!(code, 1, "{args:?}: {stderr}");
    }
    // The publishing config through a link to /dev/zero is an error, not a silent skip.
    symlink(
        "/dev/zero",
        docs.join(".openpublishing.publish.config.json"),
    );
    write(dir.path(), "docs/doclint.toml", "");
    let out = doclint(dir.path()).arg("docs").output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("publishing configuration"));
}

#[test]
fn an_ignore_file_that_is_not_a_regular_file_is_not_read() {
    let dir = repo(&[("docs/index.md", PAGE), ("docs/sub/page.md", PAGE)]);
    symlink("/dev/zero", dir.path().join("docs/sub/.gitignore"));
    let (code, json, stderr) = json_run(doclint(dir.path()).arg("docs"));
    assert_eq!(
        findings(&json),
        [("docs/sub/.gitignore".to_string(), "DL903".to_string())],
        "{stderr}"
    );
    assert_eq!(code, 1);
}

// ---------------------------------------------------------------------------------------
// Writing the report

#[test]
fn a_full_disk_is_an_error_never_a_silent_partial_report() {
    let dir = repo(&[("docs/index.md", BROKEN)]);
    let full = || {
        std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap()
    };
    for format in ["json", "sarif", "concise", "github", "junit"] {
        let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("doclint"))
            .args(["--format", format, "docs"])
            .current_dir(dir.path())
            .stdout(full())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{format}");
        assert!(
            text(&out.stderr).contains("cannot write to standard output"),
            "{format}: {}",
            text(&out.stderr)
        );
    }
    let out = doclint(dir.path())
        .args(["--format", "sarif=/dev/full", "--format", "json", "docs"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("cannot write the report to /dev/full"));
    // Closed standard output.
    let out = shell(dir.path(), "exec \"$0\" --format json docs >&-");
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("standard output"));
    // A closed pipe is not an error: `doclint | head` exits as usual.
    let dir = many_broken_pages();
    let out = std::process::Command::new("bash")
        .arg("-c")
        .arg("\"$0\" --format json docs | head -c 1 > /dev/null; echo \"${PIPESTATUS[0]}\"")
        .arg(assert_cmd::cargo::cargo_bin("doclint"))
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(text(&out.stdout).trim(), "1", "{}", text(&out.stderr));
    assert!(
        !text(&out.stderr).contains("cannot write"),
        "{}",
        text(&out.stderr)
    );
}

/// A repository of 200 pages, each with findings: a report larger than a pipe holds.
fn many_broken_pages() -> tempfile::TempDir {
    let pages: Vec<(String, String)> = (0..200)
        .map(|i| {
            (
                format!("docs/p{i}.md"),
                format!("# Page {i}\n\n[x](gone{i}.md)\n"),
            )
        })
        .collect();
    let pages: Vec<(&str, &str)> = pages
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    repo(&pages)
}

#[test]
fn a_report_file_is_replaced_whole_or_not_at_all() {
    let dir = repo(&[("docs/index.md", BROKEN)]);
    let report = write(dir.path(), "report.sarif", "previous report\n");
    let out = shell(
        dir.path(),
        &format!("{FULL_DISK} --format sarif=report.sarif docs"),
    );
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("cannot write the report to report.sarif"));
    assert_eq!(
        std::fs::read_to_string(&report).unwrap(),
        "previous report\n"
    );
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn a_baseline_is_replaced_whole_or_not_at_all() {
    let dir = repo(&[("docs/index.md", BROKEN)]);
    let baseline = write(dir.path(), "baseline.json", "[]\n");
    let out = shell(
        dir.path(),
        &format!("{FULL_DISK} --write-baseline baseline.json docs"),
    );
    // One finding fits in 1 KB: the write succeeds and replaces the file.
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(std::fs::read_to_string(&baseline)
        .unwrap()
        .contains("DL401"));

    let dir = many_broken_pages();
    let baseline = write(dir.path(), "baseline.json", "[]\n");
    let out = shell(
        dir.path(),
        &format!("{FULL_DISK} --write-baseline baseline.json docs"),
    );
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("cannot write the baseline"));
    assert_eq!(std::fs::read_to_string(&baseline).unwrap(), "[]\n");
}

#[test]
fn concurrent_baseline_writes_leave_a_valid_file() {
    // Two doc sets of different sizes write the same baseline at the same time.
    let dir = many_broken_pages();
    write(dir.path(), "small/a.md", BROKEN);
    let bin = assert_cmd::cargo::cargo_bin("doclint");
    let write_baseline = |docs: &str| {
        std::process::Command::new(&bin)
            .args(["--write-baseline", "baseline.json", docs])
            .current_dir(dir.path())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap()
    };
    let read = || {
        let written = std::fs::read_to_string(dir.path().join("baseline.json")).unwrap();
        serde_json::from_str::<Vec<Value>>(&written)
            .unwrap_or_else(|e| panic!("an invalid baseline ({e}):\n{written}"))
            .len()
    };
    assert!(write_baseline("small").wait().unwrap().success());
    let small = read();
    assert!(write_baseline("docs").wait().unwrap().success());
    let large = read();
    for _ in 0..20 {
        let runs: Vec<std::process::Child> = ["docs", "small", "docs", "small"]
            .iter()
            .map(|docs| write_baseline(docs))
            .collect();
        for mut run in runs {
            assert!(run.wait().unwrap().success());
        }
        let entries = read();
        assert!(entries == small || entries == large, "{entries}");
    }
}

// ---------------------------------------------------------------------------------------
// Output that outside text cannot forge

/// Whether any line of `output` starts a GitHub workflow command.
fn forges_a_command(output: &str) -> bool {
    output
        .lines()
        .any(|line| line.trim_start().starts_with("::"))
}

#[test]
fn configuration_and_baseline_text_stays_on_its_line_on_stderr() {
    let dir = repo(&[("docs/index.md", PAGE)]);
    for config in [
        "[rules]\n\"x\\n::warning title=fake::rule\" = \"off\"\n",
        "[[overrides]]\npaths = [\"x\\n::warning title=fake::glob[\"]\n",
        "[permissions]\nknown-scopes = \"x\\n::warning title=fake::scopes\"\n",
        "[repos]\n\"x\\n::warning title=fake::repo\" = \"/\"\n",
    ] {
        let (code, stderr) = with_config(dir.path(), config);
        assert_eq!(code, 2, "{config}: {stderr}");
        assert!(!forges_a_command(&stderr), "{config}:\n{stderr}");
    }
    std::fs::remove_file(dir.path().join("doclint.toml")).unwrap();
    write(
        dir.path(),
        "baseline.json",
        r#"[{"fingerprint":"f","path":"p\n::error::path","rule":"R\n::error::rule","line":1,"message":"m\n::error::m"}, "fp\n::error::fp"]"#,
    );
    let out = doclint(dir.path())
        .args(["--baseline", "baseline.json", "docs"])
        .output()
        .unwrap();
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("2 baseline entries no longer occur"),
        "{stderr}"
    );
    assert!(!forges_a_command(&stderr), "{stderr}");
}

/// Text with terminal control sequences: set the window title, clear the screen, ring the
/// bell, an 8-bit CSI, and a line that would be a workflow command.
const HOSTILE: &str = "\u{1b}]0;pwned\u{7}\u{1b}[2J\u{9b}31m\n::error::forged";

#[test]
fn control_characters_in_names_and_page_text_are_escaped() {
    let name = "a\n::error::x\u{1b}[31m.md";
    let page = format!(
        "---\ntitle: x\ndescription: y\ndoc_type: \"{}\"\n---\n# T\n\nSee [x](gone{}.md).\n",
        HOSTILE.replace('\n', "\\n"),
        "\u{1b}]0;t\u{7}"
    );
    let dir = repo(&[("docs/index.md", PAGE)]);
    write(dir.path(), &format!("docs/{name}"), &page);
    for format in ["concise", "human", "github", "junit", "statistics"] {
        let args: &[&str] = if format == "statistics" {
            &["--statistics", "--color", "never", "docs"]
        } else {
            &["--format", format, "--color", "never", "docs"]
        };
        let out = doclint(dir.path()).args(args).output().unwrap();
        let stdout = text(&out.stdout);
        assert_eq!(
            out.status.code(),
            Some(1),
            "{format}: {}",
            text(&out.stderr)
        );
        assert!(
            !stdout.contains(['\u{1b}', '\u{7}', '\u{9b}']),
            "{format}: {stdout:?}"
        );
        let commands = stdout.lines().filter(|line| line.starts_with("::")).count();
        let expected = if format == "github" {
            stdout.lines().count()
        } else {
            0
        };
        assert_eq!(commands, expected, "{format}:\n{stdout}");
        if format != "statistics" {
            assert!(stdout.contains("\\u{1b}"), "{format}:\n{stdout}");
        }
    }
}

#[test]
fn the_step_summary_shows_page_text_as_text() {
    let dir = repo(&[(
        "docs/index.md",
        "---\ntitle: x\ndescription: y\ndoc_type: \"x` <img src=https://e.example/a.png> ![i](https://e.example/b.png) [l](https://e.example)\"\n---\nIntro <img src=https://e.example/c.png> ![j](https://e.example/d.png)\n\n# T\n\nText.\n",
    )]);
    let summary = dir.path().join("summary.md");
    let out = doclint(dir.path())
        .args(["--format", "github", "docs"])
        .env("GITHUB_STEP_SUMMARY", &summary)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let written = std::fs::read_to_string(&summary).unwrap();
    let findings = &written[written.find("| Location").expect("a findings table")..];
    assert!(
        findings.contains("DL105") && findings.contains("DL706"),
        "{written}"
    );
    for raw in ["<img", "![", "](https://", "` <"] {
        assert!(!findings.contains(raw), "{raw} in:\n{written}");
    }
}

#[test]
fn a_finding_far_along_a_long_line_is_shown_clipped() {
    let line = format!("{}[x](gone.md)\n", "x".repeat(70_000));
    let page =
        format!("---\ntitle: t\ndescription: d\n---\n# T\n\n{line}\n## More\n\n[y](gone2.md)\n");
    let dir = repo(&[("docs/index.md", &page)]);
    let out = doclint(dir.path())
        .args(["--format", "human", "--color", "never", "docs"])
        .output()
        .unwrap();
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(stdout.contains("docs/index.md:7:70001"), "{stdout}");
    assert!(stdout.contains("docs/index.md:11:1"), "{stdout}");
    assert!(stdout.len() < 10_000, "{} bytes", stdout.len());
}

#[test]
fn many_findings_on_one_line_make_a_report_of_proportional_size() {
    // 3,000 links on a line of 39,780 characters: short of the columns where the renderer
    // used to panic, so only the size of the report is at stake.
    let links: String = (0..3000).map(|i| format!("[{i}](g{i}) ")).collect();
    assert!(links.len() < 65_535);
    let page = format!("---\ntitle: t\ndescription: d\n---\n# T\n\n{links}\n");
    let dir = repo(&[("docs/index.md", &page)]);
    let out = doclint(dir.path())
        .args(["--format", "human", "--color", "never", "docs"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert_eq!(stdout.matches("DL401/link-target-missing").count(), 3000);
    // About a kilobyte a finding; the whole line for each was 235 MB.
    assert!(stdout.len() < 3000 * 2048, "{} bytes", stdout.len());
}
