//! `--fix`, `--unsafe-fixes` and `--diff` on the command line: what is written, what is
//! printed, line endings and byte-order marks kept, `git apply` reading the diff, exit codes.

use std::path::Path;
use std::process::Output;

use assert_cmd::Command;

/// doclint run in `dir` (paths in its output are relative to it).
fn doclint(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("doclint").unwrap();
    cmd.current_dir(dir)
        .env_remove("GITHUB_STEP_SUMMARY")
        .arg("--no-config");
    cmd
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A page with a reason phrase in the wrong case, a status line without one, and a link whose
/// target differs in case, with `\n` or `\r\n` line endings (whose names its requests).
fn page(eol: &str) -> String {
    let name = if eol == "\n" { "lf" } else { "crlf" };
    [
        "---",
        "title: Delete widget",
        "description: Delete a widget.",
        "---",
        "",
        "# Delete widget",
        "",
        "See [the guide](Guide.md).",
        "",
        &format!("<!-- {{ \"blockType\": \"request\", \"name\": \"delete_{name}\", \"sampleKeys\": [\"1\"] }} -->"),
        "```http",
        "DELETE https://graph.microsoft.com/v1.0/widgets/1",
        "```",
        "",
        "<!-- { \"blockType\": \"response\" } -->",
        "```http",
        "HTTP/1.1 204 no content",
        "```",
        "",
        &format!("<!-- {{ \"blockType\": \"request\", \"name\": \"delete_{name}_2\", \"sampleKeys\": [\"2\"] }} -->"),
        "```http",
        "DELETE https://graph.microsoft.com/v1.0/widgets/2",
        "```",
        "",
        "<!-- { \"blockType\": \"response\" } -->",
        "```http",
        "HTTP/1.1 204",
        "```",
        "",
    ]
    .join(eol)
}

const GUIDE: &str = "---\ntitle: Guide\ndescription: The guide.\n---\n\n# Guide\n\nAll is well.\n";

/// A doc set: `crlf.md` (CRLF, with a byte-order mark), `lf.md`, `guide.md` (no finding).
fn docset() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("crlf.md"),
        format!("\u{feff}{}", page("\r\n")),
    )
    .unwrap();
    std::fs::write(dir.path().join("lf.md"), page("\n")).unwrap();
    std::fs::write(dir.path().join("guide.md"), GUIDE).unwrap();
    dir
}

fn read(dir: &Path, name: &str) -> String {
    std::fs::read_to_string(dir.join(name)).unwrap()
}

fn fixed(eol: &str) -> String {
    page(eol)
        .replace("Guide.md", "guide.md")
        .replace("204 no content", "204 No Content")
        .replace(
            &format!("HTTP/1.1 204{eol}"),
            &format!("HTTP/1.1 204 No Content{eol}"),
        )
}

#[test]
fn fix_writes_the_safe_fixes_and_keeps_line_endings_and_the_bom() {
    let dir = docset();
    let output = doclint(dir.path()).args(["--fix", "."]).output().unwrap();
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("fixed 6 findings in 2 files"), "{stderr}");
    assert_eq!(text(&output.stdout), "", "nothing is left to report");
    assert_eq!(read(dir.path(), "lf.md"), fixed("\n"));
    assert_eq!(
        read(dir.path(), "crlf.md"),
        format!("\u{feff}{}", fixed("\r\n"))
    );
    assert_eq!(read(dir.path(), "guide.md"), GUIDE);
    // Nothing but the pages is left behind.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 3);

    // A second run has nothing to do.
    let again = doclint(dir.path()).args(["--fix", "."]).output().unwrap();
    assert_eq!(again.status.code(), Some(0));
    assert!(
        !text(&again.stderr).contains("fixed"),
        "{}",
        text(&again.stderr)
    );
    assert_eq!(read(dir.path(), "lf.md"), fixed("\n"));
}

#[test]
fn a_check_says_how_many_findings_fix_would_repair() {
    let dir = docset();
    let output = doclint(dir.path()).arg(".").output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains("6 findings fixable with `--fix`"),
        "{stderr}"
    );
}

#[test]
fn diff_writes_nothing_and_git_apply_accepts_it() {
    let dir = docset();
    let output = doclint(dir.path()).args(["--diff", "."]).output().unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stderr));
    let diff = text(&output.stdout);
    assert!(diff.starts_with("--- a/crlf.md\n+++ b/crlf.md\n"), "{diff}");
    assert!(diff.contains("--- a/lf.md\n+++ b/lf.md\n"), "{diff}");
    assert!(
        diff.contains("-HTTP/1.1 204 no content\r\n+HTTP/1.1 204 No Content\r\n"),
        "{diff}"
    );
    assert!(!diff.contains("a/guide.md"), "{diff}");
    assert!(text(&output.stderr).contains("--fix would fix 6 findings in 2 files"));
    assert_eq!(
        read(dir.path(), "lf.md"),
        page("\n"),
        "--diff writes nothing"
    );

    let patch = dir.path().join("fixes.patch");
    std::fs::write(&patch, &diff).unwrap();
    let git = |args: &[&str]| -> Output {
        std::process::Command::new("git")
            .args(args)
            .current_dir(dir.path())
            .output()
            .expect("git is installed")
    };
    let check = git(&["apply", "--check", "fixes.patch"]);
    assert!(check.status.success(), "{}", text(&check.stderr));
    let apply = git(&["apply", "fixes.patch"]);
    assert!(apply.status.success(), "{}", text(&apply.stderr));
    assert_eq!(read(dir.path(), "lf.md"), fixed("\n"));
    assert_eq!(
        read(dir.path(), "crlf.md"),
        format!("\u{feff}{}", fixed("\r\n"))
    );

    // Nothing left to fix: no diff, exit 0.
    std::fs::remove_file(&patch).unwrap();
    let output = doclint(dir.path()).args(["--diff", "."]).output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(text(&output.stdout), "");
}

#[test]
fn fix_reports_what_is_left_and_exits_on_it() {
    let dir = docset();
    // A finding without a fix stays, and fails the run.
    std::fs::write(
        dir.path().join("guide.md"),
        GUIDE.replace("All is well.", "See [nothing](missing.md)."),
    )
    .unwrap();
    let output = doclint(dir.path()).args(["--fix", "."]).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stdout = text(&output.stdout);
    assert!(
        stdout.contains("guide.md:8:5: error[DL401/link-target-missing]"),
        "{stdout}"
    );
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
}

#[test]
fn json_carries_each_fix_with_its_edits() {
    let dir = docset();
    let output = doclint(dir.path())
        .args(["--format", "json", "lf.md"])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let diagnostics = json["diagnostics"].as_array().unwrap();
    assert_eq!(diagnostics.len(), 3);
    let link = &diagnostics[0];
    assert_eq!(link["rule"], "DL402");
    assert_eq!(
        link["fix"],
        serde_json::json!({
            "applicability": "safe",
            "message": "write `guide.md`",
            "edits": [{
                "path": "lf.md", "line": 8, "column": 17, "end_line": 8, "end_column": 25,
                "new_text": "guide.md"
            }]
        })
    );
    let insertion = &diagnostics[2]["fix"]["edits"][0];
    assert_eq!(
        (
            &insertion["line"],
            &insertion["column"],
            &insertion["end_column"]
        ),
        (&27.into(), &13.into(), &13.into())
    );
    assert_eq!(insertion["new_text"], " No Content");
}

#[test]
fn a_page_changed_during_the_run_is_not_overwritten() {
    let dir = docset();
    let file = doclint::fixer::FixedFile {
        path: dir.path().join("lf.md"),
        display: "lf.md".into(),
        original: "something else".into(),
        fixed: "fixed".into(),
    };
    assert!(file.write().is_err());
    assert_eq!(read(dir.path(), "lf.md"), page("\n"));
}

#[test]
fn unused_suppressions_go_but_a_narrowed_run_keeps_what_it_cannot_judge() {
    let dir = tempfile::tempdir().unwrap();
    let page = "---\ntitle: Guide\ndescription: The guide.\n---\n\n# Guide\n\n\
                See [x](missing.md). <!-- doclint-disable-line -->\n\n\
                See [y](missing.md). <!-- doclint-disable-line DL401 -->\n\n\
                All is well. <!-- doclint-disable-line -->\n";
    std::fs::write(dir.path().join("guide.md"), page).unwrap();
    // Only DL901 runs: no rule the comments name ran, so none of them is judged.
    let narrowed = doclint(dir.path())
        .args(["--fix", "--select", "DL901", "."])
        .output()
        .unwrap();
    assert_eq!(
        narrowed.status.code(),
        Some(0),
        "{}",
        text(&narrowed.stderr)
    );
    assert_eq!(read(dir.path(), "guide.md"), page);
    // Every rule runs: the comment that silences nothing goes, the others stay.
    let output = doclint(dir.path()).args(["--fix", "."]).output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert_eq!(
        read(dir.path(), "guide.md"),
        page.replace("All is well. <!-- doclint-disable-line -->", "All is well.")
    );
}
