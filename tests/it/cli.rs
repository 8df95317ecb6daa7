//! End-to-end tests of the command line: exit codes and every flag.

use crate::common;

use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;

fn doclint() -> Command {
    let mut cmd = Command::cargo_bin("doclint").unwrap();
    cmd.current_dir(common::repo()).env_remove("NO_COLOR");
    cmd
}

fn write(dir: &Path, name: &str, text: &str) {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

const CLEAN: &str =
    "---\ntitle: Widgets\ndescription: All about widgets.\n---\n\n# Widgets\n\nText.\n";
const WARNING_ONLY: &str = "---\ntitle: Widgets\ndescription: All about widgets.\n---\n\n# Widgets\n\n#### Deep\n\nText.\n";
const ERROR: &str = "# Widgets\n\nNo front matter.\n";

fn docset(pages: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    for (name, text) in pages {
        write(dir.path(), name, text);
    }
    dir
}

#[test]
fn exit_code_0_when_clean() {
    let dir = docset(&[("a.md", CLEAN)]);
    doclint()
        .arg(dir.path())
        .assert()
        .code(0)
        .stderr(predicate::str::contains("0 errors, 0 warnings in 1 file"));
}

#[test]
fn exit_code_1_on_errors_and_fail_on_warning() {
    let dir = docset(&[("a.md", ERROR)]);
    doclint()
        .arg(dir.path())
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "error[DL101/front-matter-missing]",
        ));
    let dir = docset(&[("a.md", WARNING_ONLY)]);
    doclint().arg(dir.path()).assert().code(0);
    doclint()
        .args(["--fail-on", "warning"])
        .arg(dir.path())
        .assert()
        .code(1);
}

/// No page under the checked path (ApiDoctor's NoDocumentsFound): a warning on stderr and in
/// the summary, which fails the run only with `--fail-on warning`.
#[test]
fn no_pages_found_is_a_warning() {
    let dir = docset(&[("notes.txt", "not a page")]);
    doclint()
        .arg(dir.path())
        .assert()
        .code(0)
        .stderr(
            predicate::str::contains("in 0 files")
                .and(predicate::str::contains("; no pages found")),
        )
        .stderr(predicate::str::contains(
            "warning: no Markdown pages found under ",
        ));
    doclint()
        .args(["--fail-on", "warning"])
        .arg(dir.path())
        .assert()
        .code(1);
}

#[test]
fn exit_code_2_on_usage_errors() {
    doclint()
        .arg("no/such/path")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("path not found: no/such/path"));
    doclint()
        .args(["--format", "xml", "."])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown output format \"xml\""));
    doclint()
        .args(["--select", "DL999", "testdata/sample-docs"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("DL999"));
    doclint()
        .args(["explain", "link-target-mising"])
        .assert()
        .code(2);
}

/// A flag that names something unknown is a usage error about the flag, not a configuration
/// error at a made-up position.
#[test]
fn unknown_rule_in_a_flag_is_a_usage_error() {
    doclint()
        .args(["--select", "linkz", "testdata/sample-docs"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(
            "error: --select: unknown rule, rule name or family \"linkz\"; did you mean \"links\"?\n",
        );
    doclint()
        .args(["--ignore", "DL401,nope-nope", "testdata/sample-docs"])
        .assert()
        .code(2)
        .stderr(
            predicate::str::starts_with("error: --ignore: unknown rule")
                .and(predicate::str::contains("DL905").not()),
        );
    doclint()
        .args(["--config", "no/such.toml", "testdata/sample-docs"])
        .assert()
        .code(2)
        .stderr("error: --config no/such.toml: no such file\n");
}

#[test]
fn a_mistyped_command_is_suggested() {
    doclint()
        .args(["explian", "DL401"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "unknown command \"explian\" (and no file or directory of that name); did you mean `doclint explain`?",
        ));
    // A real path that happens to look like a command is checked as a path.
    let dir = docset(&[("rule/a.md", CLEAN)]);
    doclint()
        .current_dir(dir.path())
        .arg("rule")
        .assert()
        .code(0);
}

#[test]
fn explain_lists_the_rules_of_a_family() {
    doclint()
        .args(["explain", "links"])
        .assert()
        .code(0)
        .stdout(
            predicate::str::contains("DL401  link-target-missing")
                .and(predicate::str::contains("DL412  link-not-checked"))
                .and(predicate::str::contains("DL501").not())
                .and(predicate::str::contains("did you mean").not()),
        );
    doclint()
        .args(["explain", "linkz"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("did you mean \"links\"?"));
}

#[test]
fn every_config_error_is_reported_in_one_run() {
    let config = "[link]\nignore = []\n\n[rules]\nsection-emty = \"off\"\nDL101 = \"loud\"\n\n[permissions]\norder = \"up\"\n\n[[overrides]]\npaths = [\"x{\"]\nrules = { linkz = \"off\" }\n";
    let dir = docset(&[("a.md", CLEAN), ("doclint.toml", config)]);
    let output = doclint().arg(dir.path()).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    let positions: Vec<&str> = stderr
        .lines()
        .map(|l| {
            let at = l.find("doclint.toml:").expect("a file position") + "doclint.toml:".len();
            l[at..].split(": ").next().unwrap()
        })
        .collect();
    assert_eq!(
        positions,
        ["1:2", "5:1", "6:9", "9:9", "12:10", "13:11"],
        "{stderr}"
    );
}

#[test]
fn config_syntax_error_is_dl905_with_position() {
    let dir = docset(&[
        ("a.md", CLEAN),
        ("doclint.toml", "[rules]\nDL101 = \"error\"\nexclude = [\n"),
    ]);
    doclint()
        .arg(dir.path())
        .assert()
        .code(2)
        .stdout("")
        .stderr(
            predicate::str::is_match(r"doclint\.toml:\d+:\d+: error\[DL905/config-invalid\] ")
                .unwrap(),
        );
}

#[test]
fn unknown_rule_name_in_config_names_file_and_line() {
    let dir = docset(&[
        ("a.md", CLEAN),
        ("doclint.toml", "[rules]\nsection-emty = \"off\"\n"),
    ]);
    doclint()
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("doclint.toml:2:1: error[DL905/config-invalid] unknown rule, rule name or family \"section-emty\""))
        .stderr(predicate::str::contains("did you mean"));
    let dir = docset(&[
        ("a.md", CLEAN),
        ("doclint.toml", "[rules]\nDL101 = \"loud\"\n"),
    ]);
    doclint()
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("doclint.toml:2:9:"));
    let dir = docset(&[("a.md", CLEAN), ("doclint.toml", "[link]\nignore = []\n")]);
    doclint()
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("doclint.toml:1:2:"));
}

#[test]
fn config_flags_choose_the_configuration() {
    let dir = docset(&[
        ("a.md", ERROR),
        (
            "doclint.toml",
            "[rules]\nDL101 = \"off\"\nDL702 = \"off\"\n",
        ),
    ]);
    doclint().arg(dir.path()).assert().code(0);
    doclint()
        .arg("--no-config")
        .arg(dir.path())
        .assert()
        .code(1);
    let other = docset(&[("other.toml", "[rules]\nfront-matter = \"warning\"\n")]);
    doclint()
        .arg("--config")
        .arg(other.path().join("other.toml"))
        .arg(dir.path())
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "warning[DL101/front-matter-missing]",
        ));
}

#[test]
fn select_and_ignore_by_id_name_and_family() {
    let dir = docset(&[("a.md", ERROR), ("b.md", WARNING_ONLY)]);
    let out = doclint()
        .args(["--select", "structure"])
        .arg(dir.path())
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("DL701") && !text.contains("DL101"), "{text}");
    let out = doclint()
        .args(["--ignore", "front-matter-missing,DL701"])
        .arg(dir.path())
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(!text.contains("DL101") && !text.contains("DL701"), "{text}");
}

#[test]
fn formats_and_files() {
    let dir = docset(&[("a.md", ERROR)]);
    let json_file = dir.path().join("out.json");
    let out = doclint()
        .args(["--format", "concise", "--format"])
        .arg(format!("json={}", json_file.display()))
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let concise = String::from_utf8(out.stdout).unwrap();
    assert!(
        concise.contains(":1:1: error[DL101/front-matter-missing]"),
        "{concise}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json_file).unwrap()).unwrap();
    assert_eq!(json["version"], 1);
    assert_eq!(json["summary"]["errors"], 1);
    let d = &json["diagnostics"][0];
    for key in [
        "rule",
        "name",
        "severity",
        "path",
        "line",
        "column",
        "end_line",
        "end_column",
        "message",
        "help",
        "apidoctor",
        "related",
        "fingerprint",
    ] {
        assert!(d.get(key).is_some(), "diagnostic lacks {key}: {d}");
    }
    doclint()
        .args(["--format", "human", "--color", "never"])
        .arg(dir.path())
        .assert()
        .code(1)
        .stdout(
            predicate::str::contains("DL101/front-matter-missing")
                .and(predicate::str::contains("1 error, 0 warnings in 1 file")),
        );
}

#[test]
fn colour_follows_flag_and_no_color() {
    let dir = docset(&[("a.md", ERROR)]);
    let coloured = doclint()
        .args(["--format", "human", "--color", "always"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&coloured.stdout).contains('\u{1b}'));
    let plain = doclint()
        .args(["--format", "human"])
        .env("NO_COLOR", "1")
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&plain.stdout).contains('\u{1b}'));
}

#[test]
fn quiet_and_statistics() {
    let dir = docset(&[("a.md", ERROR), ("b.md", ERROR)]);
    doclint()
        .arg("--quiet")
        .arg(dir.path())
        .assert()
        .code(1)
        .stderr("");
    doclint()
        .arg("--statistics")
        .arg(dir.path())
        .assert()
        .code(1)
        .stdout(predicate::str::is_match(r"^\s+2  DL101  front-matter-missing").unwrap());
}

#[test]
fn output_is_identical_between_thread_counts() {
    let run = |jobs: &str| {
        let out = doclint()
            .args(["--format", "json", "-j", jobs, "testdata/sample-docs"])
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    let one = run("1");
    assert!(one.contains("\"diagnostics\""));
    assert_eq!(one, run("8"));
    assert_eq!(one, run("2"));
}

#[test]
fn force_exclude_keeps_named_excluded_files_out() {
    let dir = docset(&[
        ("a.md", ERROR),
        ("skip/b.md", ERROR),
        ("doclint.toml", "exclude = [\"skip/**\"]\n"),
    ]);
    doclint()
        .arg(dir.path())
        .assert()
        .stdout(predicate::str::contains("skip").not());
    doclint().arg(dir.path().join("skip/b.md")).assert().code(1);
    doclint()
        .arg("--force-exclude")
        .arg(dir.path().join("skip/b.md"))
        .assert()
        .code(0);
}

#[test]
fn doclintignore_and_gitignore_are_honoured() {
    let linking = format!("{CLEAN}\nSee [generated](gen/b.md).\n");
    let dir = docset(&[
        ("a.md", &linking),
        ("gen/b.md", ERROR),
        ("tmp/c.md", ERROR),
        (".doclintignore", "gen/\n"),
        (".gitignore", "tmp/\n"),
    ]);
    // Ignored pages are not linted, but a .doclintignore'd page is still a valid link target.
    doclint()
        .args(["--format", "concise"])
        .arg(dir.path())
        .assert()
        .code(0)
        .stdout("");
}

#[test]
fn apidoctor_config_is_imported_unless_turned_off() {
    let config = r#"{ "schemaConfig": { "requiredYamlHeaders": ["title", "ms.prod"], "foldersToSkip": ["includes"] } }"#;
    let dir = docset(&[
        ("a.md", CLEAN),
        ("config/schema-config.json", config),
        ("includes/x.md", ERROR),
    ]);
    doclint().arg(dir.path()).assert().code(1).stdout(
        predicate::str::contains("no `ms.prod` key").and(predicate::str::contains("x.md").not()),
    );
    doclint()
        .arg("--no-apidoctor-config")
        .arg(dir.path())
        .assert()
        .stdout(predicate::str::contains("ms.prod").not());
}

/// ApiDoctor's `treatErrorsAsWarningsWorkloads`: the errors of pages whose path names one of
/// the workloads are warnings (Graph lists `intune`); other pages' errors stay errors, and
/// warnings stay warnings.
#[test]
fn apidoctor_workloads_treated_as_warnings_get_warnings() {
    let config = r#"{ "schemaConfig": { "requiredYamlHeaders": ["title", "ms.prod"], "treatErrorsAsWarningsWorkloads": ["Intune"] } }"#;
    let dir = docset(&[
        ("config/schema-config.json", config),
        ("intune-widget.md", CLEAN),
        ("widget.md", CLEAN),
    ]);
    let out = doclint()
        .args(["--format", "concise"])
        .arg(dir.path())
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("intune-widget.md:1:1: warning[DL103"),
        "{text}"
    );
    assert!(text.contains("widget.md:1:1: error[DL103"), "{text}");
    assert!(!text.contains("intune-widget.md:1:1: error"), "{text}");
    assert_eq!(out.status.code(), Some(1), "{text}");
}

#[test]
fn unreadable_and_non_utf8_files_are_reported_and_the_rest_checked() {
    let dir = docset(&[("a.md", ERROR)]);
    std::fs::write(dir.path().join("latin1.md"), b"# Caf\xe9\n").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(dir.path().join("gone.md"), dir.path().join("dangling.md")).unwrap();
    let out = doclint().arg(dir.path()).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("latin1.md:1:6: error[DL902/file-not-utf8]"),
        "{text}"
    );
    assert!(text.contains("a.md:1:1: error[DL101"), "{text}");
    #[cfg(unix)]
    assert!(
        text.contains("dangling.md:1:1: error[DL903/file-unreadable]"),
        "{text}"
    );
}

#[test]
fn subcommands_rules_explain_config() {
    doclint()
        .arg("rules")
        .assert()
        .code(0)
        .stdout(predicate::str::contains("DL101  front-matter-missing"));
    doclint()
        .args(["explain", "section-empty"])
        .assert()
        .code(0)
        .stdout(
            predicate::str::contains("DL708 section-empty").and(predicate::str::contains("Fix:")),
        );
    doclint().args(["explain", "DL708"]).assert().stdout(
        predicate::str::contains("Docs: https://")
            .and(predicate::str::contains("/rules/DL708.html")),
    );
    doclint()
        .args(["config", "testdata/sample-docs"])
        .assert()
        .code(0)
        .stdout(
            predicate::str::contains("from the checked directory").and(predicate::str::contains(
                "required = [\n    \"title\",\n    \"description\",\n    \"ms.prod\",\n    \"doc_type\",\n]",
            )),
        );
    doclint()
        .arg("--help")
        .assert()
        .code(0)
        .stdout(predicate::str::contains("--fail-on"));
}

/// `doclint config` writes a configuration that `--config` reads back to the same run, and says
/// where imported values came from. (The written file sits beside the doc set, as
/// `doclint config > doclint.toml` puts it: the paths a configuration names stay inside its
/// repository.)
#[test]
fn config_output_reads_back() {
    let dir = tempfile::tempdir().unwrap();
    common::copy_tree(
        &common::repo().join("testdata/sample-docs"),
        &dir.path().join("sample-docs"),
    );
    let run = |args: &[&str]| {
        let output = doclint()
            .current_dir(dir.path())
            .args(args)
            .arg("sample-docs")
            .output()
            .unwrap();
        (
            output.status.code(),
            String::from_utf8(output.stdout).unwrap(),
        )
    };
    let (code, effective) = run(&["config"]);
    assert_eq!(code, Some(0));
    assert!(effective.contains("\"ms.prod\""), "{effective}");
    std::fs::write(dir.path().join("effective.toml"), &effective).unwrap();
    let with_default = run(&["--format", "concise"]);
    let with_effective = run(&["--format", "concise", "--config", "effective.toml"]);
    assert_eq!(with_effective, with_default);
    assert_eq!(
        run(&["config", "--config", "effective.toml"])
            .1
            .lines()
            .skip(1)
            .collect::<Vec<_>>(),
        effective.lines().skip(1).collect::<Vec<_>>()
    );

    let schema = r#"{ "schemaConfig": { "requiredYamlHeaders": ["title", "ms.prod"], "baseUrls": ["https://x.test/v1"] } }"#;
    let docs = docset(&[("a.md", CLEAN), ("config/schema.json", schema)]);
    let output = doclint()
        .current_dir(docs.path())
        .args(["config", "."])
        .output()
        .unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        text.contains("from ApiDoctor configuration config/schema.json\n#   required front matter (imported): [title, ms.prod]\n#   base URLs (imported): [https://x.test/v1]\n"),
        "{text}"
    );
    assert!(!text.contains("\nrequired = "), "{text}");
}

#[test]
fn the_sample_doc_set_has_findings_and_no_internal_error() {
    doclint()
        .args(["--format", "concise", "testdata/sample-docs"])
        .assert()
        .code(1)
        .stdout(
            predicate::str::contains("DL904")
                .not()
                .and(predicate::str::contains("README.md").not()),
        );
}

#[test]
fn named_files_report_what_the_whole_run_reports_for_them() {
    let page = "---\ntitle: A\ndescription: B\n---\n\n# A\n\nSee [b](sub/b.md#b) and [c](/c.md).\n\n[!INCLUDE [n](includes/note.md)]\n\n#### Deep\n\nText.\n";
    let dir = docset(&[
        ("docs/a.md", page),
        (
            "docs/sub/b.md",
            "---\ntitle: B\ndescription: B\n---\n\n# B\n\nText.\n",
        ),
        ("c.md", ERROR),
        ("docs/includes/note.md", "Note.\n"),
    ]);
    let whole = doclint()
        .args(["--format", "concise"])
        .arg(dir.path())
        .output()
        .unwrap();
    let whole: Vec<String> = String::from_utf8(whole.stdout)
        .unwrap()
        .lines()
        .filter(|l| l.contains("docs/a.md"))
        .map(str::to_string)
        .collect();
    assert!(!whole.is_empty());
    let named = doclint()
        .args(["--format", "concise"])
        .arg(dir.path().join("docs/a.md"))
        .output()
        .unwrap();
    let named: Vec<String> = String::from_utf8(named.stdout)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect();
    assert_eq!(named, whole);
}

/// Human output: wrapped at the terminal's width (`COLUMNS`), source lines clipped to it, the
/// severity as a word, the place named once per finding, and counts per rule at the end when
/// there are many findings.
#[test]
fn human_output_fits_the_terminal_and_ends_with_counts_when_long() {
    let long = format!(
        "---\ntitle: A\ndescription: B\n---\n\n# A\n\n{}\n\n{} [at the end](gone.md).\n",
        (0..25)
            .map(|i| format!("See [page {i}](missing-page-with-a-rather-long-name-{i}.md)."))
            .collect::<Vec<_>>()
            .join("\n\n"),
        "A sentence long enough to run past the edge of any narrow terminal window. ".repeat(2)
    );
    let dir = docset(&[("a.md", &long), ("b.md", ERROR)]);
    let human = |columns: &str, path: &Path| {
        let output = doclint()
            .args(["--format", "human", "--color", "never"])
            .arg(path)
            .env("COLUMNS", columns)
            .output()
            .unwrap();
        String::from_utf8(output.stdout).unwrap()
    };
    let narrow = human("60", dir.path());
    assert!(
        narrow.contains("error[DL401/link-target-missing]"),
        "{narrow}"
    );
    // Every line stays within the width: the text doclint writes is wrapped, and source lines
    // and their underlines are clipped around the finding.
    for line in narrow.lines() {
        assert!(
            line.chars().count() <= 60,
            "{line:?} is wider than 60 columns"
        );
    }
    assert!(narrow.contains(" 58 │ …"), "{narrow}");
    let wide = human("200", dir.path());
    assert!(wide.lines().any(|l| l.chars().count() > 60));
    // The place is named once, in the snippet's header.
    assert_eq!(narrow.matches("a.md:8:5").count(), 1, "{narrow}");
    let counts = narrow
        .split("Findings by rule:\n")
        .nth(1)
        .expect("counts per rule after many findings");
    assert!(
        counts.starts_with("     26  DL401  link-target-missing"),
        "{counts}"
    );
    let few = human("100", &dir.path().join("b.md"));
    assert!(
        few.contains("error[DL101/front-matter-missing]") && !few.contains("Findings by rule"),
        "{few}"
    );
}
