//! The outputs and integrations, through the command line: every `--format` on a doc set whose
//! findings quote `%`, `:`, `,` and line breaks (testdata/outputs/docs), SARIF validated
//! against the vendored SARIF 2.1.0 schema, the baseline round trip, `--diff-base` in a
//! temporary git repository, `pre-commit try-repo` of .pre-commit-hooks.yaml and actionlint on
//! the GitHub Action.
//!
//! The external tools come from `scripts/install-test-tools.sh` (in `.tools/venv/bin`); a
//! test that needs a missing tool is skipped with a printed reason, or fails when `CI=true`.

use crate::common::{self, git};

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use regex::Regex;
use serde_json::Value;

const DOCS: &str = "testdata/outputs/docs";

fn doclint() -> Command {
    let mut cmd = Command::cargo_bin("doclint").expect("the doclint binary");
    cmd.current_dir(common::repo())
        .env_remove("GITHUB_STEP_SUMMARY");
    cmd
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn json_file(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}\n{text}", path.display()))
}

fn run_tool(tool: &Path, args: &[&str], dir: &Path) -> Output {
    std::process::Command::new(tool)
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", tool.display()))
}

fn assert_success(output: &Output, what: &str) {
    assert!(
        output.status.success(),
        "{what} failed ({}):\n{}\n{}",
        output.status,
        text(&output.stdout),
        text(&output.stderr)
    );
}

/// Undoes GitHub's workflow-command escaping (`%25`, `%0D`, `%0A`, `%3A`, `%2C`).
fn unescape(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find('%') {
        out.push_str(&rest[..i]);
        let code = rest.get(i + 1..i + 3).expect("a complete %XX escape");
        out.push(match code {
            "25" => '%',
            "0D" => '\r',
            "0A" => '\n',
            "3A" => ':',
            "2C" => ',',
            other => panic!("unexpected escape %{other} in {s:?}"),
        });
        rest = &rest[i + 3..];
    }
    out.push_str(rest);
    out
}

/// The text a GitHub annotation or SARIF message carries for a JSON diagnostic: the message,
/// then the help and the related places.
fn annotation_text(d: &Value) -> String {
    let mut text = d["message"].as_str().unwrap().to_string();
    if let Some(help) = d["help"].as_str() {
        text.push_str(&format!("\nhelp: {help}"));
    }
    for r in d["related"].as_array().unwrap() {
        text.push_str(&format!(
            "\n{}: {}:{}:{}",
            r["message"].as_str().unwrap(),
            r["path"].as_str().unwrap(),
            r["line"],
            r["column"]
        ));
    }
    text
}

/// One run with every format: github on stdout, the others in files.
struct AllFormats {
    _dir: tempfile::TempDir,
    stdout: String,
    stderr: String,
    json: Value,
    sarif: Value,
    sarif_path: PathBuf,
    junit: String,
    step_summary: String,
}

fn all_formats() -> AllFormats {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("out.json");
    let sarif = dir.path().join("out.sarif");
    let junit = dir.path().join("out.xml");
    let summary = dir.path().join("summary.md");
    std::fs::write(&summary, "earlier step\n").unwrap();
    let output = doclint()
        .arg(DOCS)
        .args(["--format", "github"])
        .arg(format!("--format=json={}", json.display()))
        .arg(format!("--format=sarif={}", sarif.display()))
        .arg(format!("--format=junit={}", junit.display()))
        .env("GITHUB_STEP_SUMMARY", &summary)
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(1),
        "an error is reported: exit 1"
    );
    AllFormats {
        stdout: text(&output.stdout),
        stderr: text(&output.stderr),
        json: json_file(&json),
        sarif: json_file(&sarif),
        sarif_path: sarif,
        junit: std::fs::read_to_string(&junit).unwrap(),
        step_summary: std::fs::read_to_string(&summary).unwrap(),
        _dir: dir,
    }
}

#[test]
fn the_test_doc_set_quotes_the_characters_that_need_escaping() {
    let run = all_formats();
    let diagnostics = run.json["diagnostics"].as_array().unwrap();
    let messages: String = diagnostics
        .iter()
        .map(|d| d["message"].as_str().unwrap())
        .collect();
    for c in ['%', ':', ',', '\n'] {
        assert!(messages.contains(c), "no message quotes {c:?}: {messages}");
    }
    assert!(diagnostics
        .iter()
        .any(|d| !d["related"].as_array().unwrap().is_empty()));
    assert!(diagnostics.iter().any(|d| d["help"].is_string()));
    assert!(diagnostics
        .iter()
        .any(|d| d["path"].as_str().unwrap().contains(", 100%")));
    assert!(
        run.json["summary"].get("baseline_stale").is_none(),
        "no baseline, no count"
    );
}

#[test]
fn github_annotations_are_escaped_commands_and_nothing_else() {
    let run = all_formats();
    let diagnostics = run.json["diagnostics"].as_array().unwrap();
    let command = Regex::new(
        r"^::(error|warning|notice) file=([^,:]*),line=(\d+),col=(\d+),endLine=(\d+),endColumn=(\d+),title=([^,:]*)::([^\r\n]*)$",
    )
    .unwrap();
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(
        lines.len(),
        diagnostics.len(),
        "one command per diagnostic:\n{}",
        run.stdout
    );
    for (line, d) in lines.iter().zip(diagnostics) {
        let c = command
            .captures(line)
            .unwrap_or_else(|| panic!("not a well-escaped workflow command: {line}"));
        let severity = match d["severity"].as_str().unwrap() {
            "info" => "notice",
            other => other,
        };
        assert_eq!(&c[1], severity);
        assert_eq!(unescape(&c[2]), d["path"].as_str().unwrap());
        for (i, key) in [
            (3, "line"),
            (4, "column"),
            (5, "end_line"),
            (6, "end_column"),
        ] {
            assert_eq!(
                c[i].parse::<u64>().unwrap(),
                d[key].as_u64().unwrap(),
                "{key} of {line}"
            );
        }
        assert_eq!(
            unescape(&c[7]),
            format!(
                "{} {}",
                d["rule"].as_str().unwrap(),
                d["name"].as_str().unwrap()
            )
        );
        assert_eq!(unescape(&c[8]), annotation_text(d));
    }
    assert!(run
        .stdout
        .contains("file=testdata/outputs/docs/notes%2C 100%25.md,"));
    assert!(run
        .stdout
        .contains("`ms.prod: 100%25 widgets,%0Aand: gadgets%0A`"));
    assert!(
        run.stderr.contains("2 errors, 3 warnings in 4 files"),
        "summary on stderr: {}",
        run.stderr
    );
}

#[test]
fn the_step_summary_is_appended_as_markdown() {
    let run = all_formats();
    let summary = &run.step_summary;
    assert!(
        summary.starts_with("earlier step\n## doclint\n"),
        "{summary}"
    );
    assert!(summary.contains("2 errors, 3 warnings in 4 files"));
    assert!(summary.contains(
        "| [DL105](https://doclint.github.io/doclint/rules/DL105.html) | `front-matter-value-not-allowed` | warning | 1 |"
    ));
    assert!(summary.contains(
        "| testdata/outputs/docs/get-widget.md:4:10 | warning | DL105 front-matter-value-not-allowed | \\`ms.prod\\: 100% widgets,<br>and\\: gadgets<br>\\` is not an allowed value"
    ));
    let findings = summary
        .lines()
        .filter(|l| l.starts_with("| testdata/"))
        .count();
    assert_eq!(findings, 5);
}

#[test]
fn the_step_summary_lists_the_first_fifty_findings() {
    let dir = tempfile::tempdir().unwrap();
    let mut page = String::from(
        "---\ntitle: Many\ndescription: Many empty sections.\n---\n\n# Many\n\nText.\n\n",
    );
    for i in 0..55 {
        page.push_str(&format!("## Section {i}\n\n"));
    }
    std::fs::write(dir.path().join("many.md"), page).unwrap();
    let summary = dir.path().join("summary.md");
    let output = doclint()
        .current_dir(dir.path())
        .args(["--no-config", "--format", "github", "many.md"])
        .env("GITHUB_STEP_SUMMARY", &summary)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "warnings only: exit 0");
    assert_eq!(text(&output.stdout).lines().count(), 55);
    let summary = std::fs::read_to_string(&summary).unwrap();
    assert!(summary.contains("### First 50 of 55 findings"), "{summary}");
    assert_eq!(
        summary
            .lines()
            .filter(|l| l.starts_with("| many.md:"))
            .count(),
        50
    );
    assert!(summary.contains("5 more: see the annotations"));
}

#[test]
fn sarif_has_the_rules_the_results_and_their_fingerprints() {
    let run = all_formats();
    let sarif = &run.sarif;
    assert_eq!(sarif["version"], "2.1.0");
    assert!(sarif["$schema"]
        .as_str()
        .unwrap()
        .ends_with("sarif-schema-2.1.0.json"));
    let sarif_run = &sarif["runs"][0];
    let rules = sarif_run["tool"]["driver"]["rules"].as_array().unwrap();
    let catalogue = doclint::config::Catalogue::builtin().rules();
    assert_eq!(rules.len(), catalogue.len(), "every rule of the catalogue");
    for (rule, info) in rules.iter().zip(catalogue) {
        assert_eq!(rule["id"], info.id.as_str());
        assert_eq!(rule["name"], info.name.as_str());
        assert_eq!(rule["shortDescription"]["text"], info.summary.as_str());
        assert_eq!(rule["fullDescription"]["text"], info.why.as_str());
        let page = format!("/rules/{}.html", info.id);
        assert!(rule["helpUri"].as_str().unwrap().ends_with(&page));
        assert_eq!(
            rule["help"]["markdown"],
            doclint::rule_docs::page(info).as_str()
        );
        assert!(rule["defaultConfiguration"].is_object());
    }
    let diagnostics = run.json["diagnostics"].as_array().unwrap();
    let results = sarif_run["results"].as_array().unwrap();
    assert_eq!(results.len(), diagnostics.len());
    for (result, d) in results.iter().zip(diagnostics) {
        assert_eq!(result["ruleId"], d["rule"]);
        let index = usize::try_from(result["ruleIndex"].as_u64().unwrap()).unwrap();
        assert_eq!(rules[index]["id"], d["rule"]);
        let mut message = d["message"].as_str().unwrap().to_string();
        if let Some(help) = d["help"].as_str() {
            message.push_str(&format!("\nhelp: {help}"));
        }
        assert_eq!(result["message"]["text"].as_str().unwrap(), message);
        assert_eq!(
            result["partialFingerprints"]["doclint/v1"],
            d["fingerprint"]
        );
        let location = &result["locations"][0]["physicalLocation"];
        assert_eq!(location["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        let region = &location["region"];
        assert_eq!(region["startLine"], d["line"]);
        assert_eq!(region["startColumn"], d["column"]);
        assert_eq!(region["endLine"], d["end_line"]);
        assert_eq!(region["endColumn"], d["end_column"]);
        let related = result["relatedLocations"].as_array().map_or(0, Vec::len);
        assert_eq!(related, d["related"].as_array().unwrap().len());
    }
    let uris: Vec<&str> = results
        .iter()
        .map(|r| {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .unwrap()
        })
        .collect();
    assert!(
        uris.contains(&"testdata/outputs/docs/notes%2C%20100%25.md"),
        "{uris:?}"
    );
    let second_h1 = results.iter().find(|r| r["ruleId"] == "DL702").unwrap();
    let first_h1 = &second_h1["relatedLocations"][0];
    assert_eq!(first_h1["message"]["text"], "the first H1");
    assert_eq!(first_h1["physicalLocation"]["region"]["startLine"], 9);
}

#[test]
fn sarif_validates_against_the_sarif_2_1_0_schema() {
    let run = all_formats();
    let dir = tempfile::tempdir().unwrap();
    let clean = dir.path().join("clean.sarif");
    let output = doclint()
        .arg(format!("{DOCS}/list-widgets.md"))
        .arg(format!("--format=sarif={}", clean.display()))
        .output()
        .unwrap();
    assert_success(&output, "doclint on a clean page");
    assert_eq!(
        json_file(&clean)["runs"][0]["results"],
        serde_json::json!([])
    );
    // Findings with fixes: each result carries its fix as replacements.
    let fixes = dir.path().join("fixes.sarif");
    doclint()
        .args(["--no-config", "--select", "DL303", "testdata/rules/DL303"])
        .arg(format!("--format=sarif={}", fixes.display()))
        .output()
        .unwrap();
    let fixed = json_file(&fixes);
    let results = fixed["runs"][0]["results"].as_array().unwrap();
    assert!(!results.is_empty());
    for result in results {
        let change = &result["fixes"][0]["artifactChanges"][0];
        assert_eq!(
            change["artifactLocation"]["uri"],
            "testdata/rules/DL303/trigger.md"
        );
        let replacement = &change["replacements"][0];
        assert!(
            replacement["insertedContent"]["text"]
                .as_str()
                .is_some_and(|t| !t.is_empty()),
            "{result}"
        );
        assert_eq!(result["fixes"][0]["properties"]["applicability"], "safe");
    }
    let Some(check) = common::tool("check-jsonschema") else {
        return;
    };
    let schema = common::repo().join("testdata/sarif/sarif-schema-2.1.0.json");
    let schema = schema.to_str().unwrap();
    let files = [
        run.sarif_path.to_str().unwrap(),
        clean.to_str().unwrap(),
        fixes.to_str().unwrap(),
    ];
    let output = run_tool(
        &check,
        &["--schemafile", schema, files[0], files[1], files[2]],
        dir.path(),
    );
    assert_success(&output, "check-jsonschema on the SARIF output");

    // The validation can fail: a region without a start line is invalid SARIF.
    let mut broken = run.sarif.clone();
    let region = &mut broken["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"];
    region.as_object_mut().unwrap().remove("startLine");
    let broken_path = dir.path().join("broken.sarif");
    std::fs::write(&broken_path, broken.to_string()).unwrap();
    let output = run_tool(
        &check,
        &["--schemafile", schema, broken_path.to_str().unwrap()],
        dir.path(),
    );
    assert!(
        !output.status.success(),
        "the schema rejects a region without a start"
    );
}

#[test]
fn junit_has_one_testcase_per_checked_file() {
    let run = all_formats();
    let document = roxmltree::Document::parse(&run.junit).expect("well-formed XML");
    let root = document.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    let suites: Vec<_> = root
        .children()
        .filter(|n| n.has_tag_name("testsuite"))
        .collect();
    assert_eq!(suites.len(), 1);
    let suite = suites[0];
    let cases: Vec<_> = suite
        .children()
        .filter(|n| n.has_tag_name("testcase"))
        .collect();
    let names: Vec<&str> = cases.iter().map(|c| c.attribute("name").unwrap()).collect();
    assert_eq!(
        names,
        [
            "testdata/outputs/docs/get-gadget.md",
            "testdata/outputs/docs/get-widget.md",
            "testdata/outputs/docs/list-widgets.md",
            "testdata/outputs/docs/notes, 100%.md"
        ]
    );
    assert_eq!(suite.attribute("tests"), Some("4"));
    assert_eq!(
        suite.attribute("failures"),
        Some("2"),
        "only the pages with an error fail"
    );
    let child_text = |case: &roxmltree::Node, tag: &str| {
        case.children()
            .find(|n| n.has_tag_name(tag))
            .map(|n| n.text().unwrap_or("").to_string())
    };
    let gadget = child_text(&cases[0], "failure").unwrap();
    assert!(
        gadget.contains("  help: `descriptio` is present: is it a misspelling of `description`?"),
        "{gadget}"
    );
    let widget = &cases[1];
    assert_eq!(child_text(widget, "failure"), None);
    let out = child_text(widget, "system-out").unwrap();
    assert!(
        out.contains("`ms.prod: 100% widgets, and: gadgets ` is not an allowed value"),
        "{out}"
    );
    assert!(out.contains("the first H1: testdata/outputs/docs/get-widget.md:9:1"));
    assert_eq!(
        cases[2].children().filter(|n| n.is_element()).count(),
        0,
        "a clean page passes"
    );
    let notes = &cases[3];
    let failure = notes
        .children()
        .find(|n| n.has_tag_name("failure"))
        .unwrap();
    assert!(failure
        .attribute("message")
        .unwrap()
        .starts_with("DL101: the page has no YAML front matter"));
    assert!(failure
        .text()
        .unwrap()
        .contains("error[DL101/front-matter-missing]"));

    let output = doclint()
        .args([DOCS, "--format", "junit", "--fail-on", "warning"])
        .output()
        .unwrap();
    let xml = text(&output.stdout);
    let document = roxmltree::Document::parse(&xml).expect("well-formed XML");
    let suite = document.root_element().first_element_child().unwrap();
    assert_eq!(
        suite.attribute("failures"),
        Some("3"),
        "with --fail-on warning: {xml}"
    );
}

/// The concise format (the default off a terminal: pre-commit, CI logs, pipes) keeps the help
/// and the related places, indented under the finding.
#[test]
fn concise_output_shows_the_help_and_related_places() {
    let run = all_formats();
    let output = doclint()
        .args([DOCS, "--format", "concise"])
        .output()
        .unwrap();
    let concise = text(&output.stdout);
    let diagnostics = run.json["diagnostics"].as_array().unwrap();
    let mut expected = String::new();
    for d in diagnostics {
        expected.push_str(&format!(
            "{}:{}:{}: {}[{}/{}] {}\n",
            d["path"].as_str().unwrap(),
            d["line"],
            d["column"],
            d["severity"].as_str().unwrap(),
            d["rule"].as_str().unwrap(),
            d["name"].as_str().unwrap(),
            d["message"].as_str().unwrap().replace(['\n', '\r'], " ")
        ));
        if let Some(help) = d["help"].as_str() {
            expected.push_str(&format!("  help: {help}\n"));
        }
        for r in d["related"].as_array().unwrap() {
            expected.push_str(&format!(
                "  {}: {}:{}:{}\n",
                r["message"].as_str().unwrap(),
                r["path"].as_str().unwrap(),
                r["line"],
                r["column"]
            ));
        }
    }
    assert!(
        expected.contains("\n  help: "),
        "the test doc set has a help"
    );
    assert_eq!(concise, expected);
}

#[test]
fn only_one_format_may_print_to_stdout() {
    let output = doclint()
        .args([DOCS, "--format", "github", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("only one --format can print to standard output"));
    assert!(output.stdout.is_empty());
}

#[test]
fn statistics_leave_machine_formats_alone() {
    let output = doclint()
        .args([DOCS, "--format", "github", "--statistics"])
        .output()
        .unwrap();
    assert!(text(&output.stdout).lines().all(|l| l.starts_with("::")));
}

/// A copy of the output doc set in a temporary directory, for tests that change it.
fn docset_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let source = common::repo().join(DOCS);
    for entry in std::fs::read_dir(&source).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, dir.path().join(path.file_name().unwrap())).unwrap();
    }
    dir
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{} has no {from:?}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

/// Runs doclint in `dir` with JSON output; returns the exit code, the JSON and stderr.
fn json_run(dir: &Path, args: &[&str]) -> (i32, Value, String) {
    let output = doclint()
        .current_dir(dir)
        .args(args)
        .args(["--format", "json"])
        .output()
        .unwrap();
    let json: Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}\n{}", text(&output.stdout), text(&output.stderr)));
    (output.status.code().unwrap(), json, text(&output.stderr))
}

fn rules_and_lines(json: &Value) -> Vec<(String, u64)> {
    json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["rule"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn baseline_round_trip() {
    let dir = docset_copy();
    let output = doclint()
        .current_dir(dir.path())
        .args([".", "--write-baseline", "baseline.json"])
        .output()
        .unwrap();
    assert_success(&output, "--write-baseline");
    assert!(output.stdout.is_empty());
    assert!(text(&output.stderr).contains("wrote 5 findings to the baseline baseline.json"));
    let baseline = json_file(&dir.path().join("baseline.json"));
    assert_eq!(baseline.as_array().unwrap().len(), 5);

    // Re-running with the baseline reports nothing.
    let (code, json, stderr) = json_run(dir.path(), &[".", "--baseline", "baseline.json"]);
    assert_eq!((code, rules_and_lines(&json)), (0, vec![]), "{stderr}");
    assert_eq!(json["summary"]["baseline_stale"], 0);
    assert_eq!(json["summary"]["suppressed"], 5);

    // Lines move (text above every finding, front matter included): still nothing.
    let widget = dir.path().join("get-widget.md");
    edit(&widget, "ms.prod:", "ms.author: someone\nms.prod:");
    edit(
        &widget,
        "# Get widget\n",
        "# Get widget\n\nAn introduction.\n\n  Indented text.\n",
    );
    edit(&widget, "## Remarks", "  ## Remarks");
    edit(
        &dir.path().join("notes, 100%.md"),
        "# Notes\n",
        "# Notes\n\nMore notes.\n",
    );
    let (code, json, stderr) = json_run(dir.path(), &[".", "--baseline", "baseline.json"]);
    assert_eq!((code, rules_and_lines(&json)), (0, vec![]), "{stderr}");

    // One new defect: exactly one finding.
    let text_now = std::fs::read_to_string(&widget).unwrap();
    std::fs::write(&widget, format!("{text_now}\n## See also\n")).unwrap();
    let (_, json, _) = json_run(dir.path(), &[".", "--baseline", "baseline.json"]);
    let new_line = text_now.lines().count() as u64 + 2;
    assert_eq!(
        rules_and_lines(&json),
        vec![("DL708".to_string(), new_line)]
    );
    assert_eq!(json["summary"]["baseline_stale"], 0);

    // A baselined defect fixed: its entry is stale, listed on stderr, and the exit code
    // does not change.
    edit(
        &widget,
        "  ## Remarks\n",
        "  ## Remarks\n\nWidgets are cached.\n",
    );
    edit(&widget, "\n## See also\n", "\n");
    let (code, json, stderr) = json_run(dir.path(), &[".", "--baseline", "baseline.json"]);
    assert_eq!((code, rules_and_lines(&json)), (0, vec![]));
    assert_eq!(json["summary"]["baseline_stale"], 1);
    assert!(
        stderr.contains("baseline entry no longer occurs: get-widget.md:13: DL708 the section `## Remarks` is empty"),
        "{stderr}"
    );
    assert!(stderr.contains("1 baseline entry no longer occurs; shrink the baseline with --write-baseline baseline.json"));
}

#[test]
fn baseline_counts_identical_findings() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("twins.md");
    let twins = "---\ntitle: Twins\ndescription: Two empty sections.\n---\n\n# Twins\n\nText.\n\n## Remarks\n\n## Remarks\n\n## Details\n\nText.\n";
    std::fs::write(&page, twins).unwrap();
    let (_, json, _) = json_run(dir.path(), &["--no-config", "."]);
    let prints: Vec<&Value> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| &d["fingerprint"])
        .collect();
    assert_eq!(prints.len(), 2);
    assert_eq!(
        prints[0], prints[1],
        "identical findings share a fingerprint"
    );
    doclint()
        .current_dir(dir.path())
        .args(["--no-config", ".", "--write-baseline", "baseline.json"])
        .assert()
        .success();

    // A third identical finding is new: exactly one.
    edit(&page, "## Details", "## Remarks\n\n## Details");
    let (_, json, _) = json_run(
        dir.path(),
        &["--no-config", ".", "--baseline", "baseline.json"],
    );
    assert_eq!(rules_and_lines(&json).len(), 1);
    assert_eq!(json["summary"]["suppressed"], 2);

    // Down to one: one entry is stale.
    std::fs::write(
        &page,
        twins.replacen("## Remarks\n\n## Remarks", "## Remarks", 1),
    )
    .unwrap();
    let (_, json, stderr) = json_run(
        dir.path(),
        &["--no-config", ".", "--baseline", "baseline.json"],
    );
    assert_eq!(rules_and_lines(&json), vec![]);
    assert_eq!(json["summary"]["baseline_stale"], 1, "{stderr}");
}

#[test]
fn a_bad_baseline_is_a_clear_error() {
    let dir = docset_copy();
    std::fs::write(dir.path().join("baseline.json"), "{\"not\": \"a list\"}").unwrap();
    let output = doclint()
        .current_dir(dir.path())
        .args([".", "--baseline", "baseline.json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        text(&output.stderr).contains("the baseline baseline.json is invalid"),
        "{}",
        text(&output.stderr)
    );
    let output = doclint()
        .current_dir(dir.path())
        .args([".", "--baseline", "missing.json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("cannot read the baseline missing.json"));
}

#[test]
fn diff_base_reports_only_changed_lines() {
    let dir = docset_copy();
    let root = dir.path();
    git(root, &["init", "--quiet"]);
    git(root, &["add", "."]);
    git(root, &["commit", "--quiet", "-m", "docs"]);
    git(root, &["checkout", "--quiet", "-b", "feature"]);

    // Committed on the branch: a new empty section in get-widget.md, a line appended to the
    // page without front matter (whose DL101 is about the whole file).
    let widget = root.join("get-widget.md");
    let before = std::fs::read_to_string(&widget).unwrap();
    std::fs::write(&widget, format!("{before}\n## See also\n")).unwrap();
    let notes = root.join("notes, 100%.md");
    let text_now = std::fs::read_to_string(&notes).unwrap();
    std::fs::write(&notes, format!("{text_now}\nMore.\n")).unwrap();
    git(root, &["commit", "--quiet", "-am", "change"]);
    // Not committed: a changed heading line, and a new untracked page.
    edit(&widget, "# Widget properties", "# Widget property list");
    std::fs::write(root.join("new.md"), "# New\n\nNo front matter.\n").unwrap();

    let (code, json, stderr) = json_run(root, &[".", "--diff-base", "main"]);
    let found: Vec<(String, String, u64)> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["path"].as_str().unwrap().to_string(),
                d["rule"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
            )
        })
        .collect();
    let see_also = before.lines().count() as u64 + 2;
    let expected = [
        ("get-widget.md", "DL702", 15),
        ("get-widget.md", "DL708", see_also),
        ("new.md", "DL101", 1),
        ("notes, 100%.md", "DL101", 1),
    ];
    let expected: Vec<(String, String, u64)> = expected
        .iter()
        .map(|(p, r, l)| (p.to_string(), r.to_string(), *l))
        .collect();
    assert_eq!(found, expected, "{stderr}");
    assert_eq!(code, 1);

    // Without --diff-base the unchanged findings are there too.
    let (_, json, _) = json_run(root, &["."]);
    assert_eq!(json["diagnostics"].as_array().unwrap().len(), 7);

    let output = doclint()
        .current_dir(root)
        .args([".", "--diff-base", "no-such-branch"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        text(&output.stderr).contains("cannot find the merge base of \"no-such-branch\" and HEAD")
    );
}

#[test]
fn diff_base_outside_a_git_repository_is_a_clear_error() {
    let dir = docset_copy();
    let output = doclint()
        .current_dir(dir.path())
        .args([".", "--diff-base", "main"])
        .env("GIT_CEILING_DIRECTORIES", dir.path().parent().unwrap())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains("--diff-base needs a git repository"),
        "{stderr}"
    );
    assert!(output.stdout.is_empty());
}

#[test]
fn write_baseline_conflicts_with_filters() {
    let output = doclint()
        .args([DOCS, "--write-baseline", "x.json", "--baseline", "y.json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(!common::repo().join("x.json").exists());
}

#[test]
fn pre_commit_try_repo_runs_the_system_hook() {
    let Some(pre_commit) = common::tool("pre-commit") else {
        return;
    };
    let repo = common::repo();
    let manifest = run_tool(
        &pre_commit,
        &["validate-manifest", ".pre-commit-hooks.yaml"],
        &repo,
    );
    assert_success(&manifest, "pre-commit validate-manifest");

    let dir = docset_copy();
    let root = dir.path();
    std::fs::create_dir(root.join("drafts")).unwrap();
    std::fs::write(
        root.join("drafts/draft.md"),
        "# Draft\n\nNo front matter yet.\n",
    )
    .unwrap();
    let config = std::fs::read_to_string(root.join("doclint.toml")).unwrap();
    std::fs::write(
        root.join("doclint.toml"),
        format!("exclude = [\"drafts/**\"]\n{config}"),
    )
    .unwrap();
    git(root, &["init", "--quiet"]);
    git(root, &["add", "."]);

    let binary = PathBuf::from(env!("CARGO_BIN_EXE_doclint"));
    let path = std::env::join_paths(
        std::iter::once(binary.parent().unwrap().to_path_buf()).chain(std::env::split_paths(
            &std::env::var_os("PATH").unwrap_or_default(),
        )),
    )
    .unwrap();
    let try_repo = |files: &[&str]| {
        std::process::Command::new(&pre_commit)
            .args([
                "try-repo",
                repo.to_str().unwrap(),
                "doclint-system",
                "--color",
                "never",
            ])
            .args(files)
            .current_dir(root)
            .env("PATH", &path)
            .env("PRE_COMMIT_HOME", root.join(".pre-commit-home"))
            .env_remove("GIT_DIR")
            .output()
            .unwrap()
    };

    let all = try_repo(&["--all-files"]);
    let out = text(&all.stdout);
    assert_eq!(
        all.status.code(),
        Some(1),
        "the hook fails on the page without front matter:\n{out}\n{}",
        text(&all.stderr)
    );
    assert!(
        out.contains("notes, 100%.md:1:1: error[DL101/front-matter-missing]"),
        "{out}"
    );
    assert!(
        !out.contains("draft.md"),
        "excluded files stay excluded: {out}"
    );

    let clean = try_repo(&["--files", "list-widgets.md", "drafts/draft.md"]);
    assert_success(&clean, "the hook on a clean page and an excluded draft");
}

/// The `doclint-python` hook: pre-commit installs the repository's hook package, which pulls in
/// the doclint wheel (here one built from this checkout with maturin, offered to pip with
/// `PIP_FIND_LINKS`), and runs its binary.
#[test]
fn pre_commit_python_hook_installs_the_wheel() {
    let (Some(pre_commit), Some(maturin)) = (common::tool("pre-commit"), common::tool("maturin"))
    else {
        return;
    };
    let repo = common::repo();
    let wheels = tempfile::tempdir().unwrap();
    // The dev profile reuses what the tests built.
    let built = std::process::Command::new(&maturin)
        .args(["build", "--profile", "dev", "--out"])
        .arg(wheels.path())
        .current_dir(repo.join("python"))
        .output()
        .unwrap();
    assert_success(&built, "maturin build");

    let dir = docset_copy();
    let root = dir.path();
    git(root, &["init", "--quiet"]);
    git(root, &["add", "."]);
    let output = std::process::Command::new(&pre_commit)
        .args([
            "try-repo",
            repo.to_str().unwrap(),
            "doclint-python",
            "--color",
            "never",
            "--all-files",
        ])
        .current_dir(root)
        .env("PIP_FIND_LINKS", wheels.path())
        .env("PRE_COMMIT_HOME", root.join(".pre-commit-home"))
        .env_remove("GIT_DIR")
        .output()
        .unwrap();
    let out = text(&output.stdout);
    assert_eq!(
        output.status.code(),
        Some(1),
        "{out}\n{}",
        text(&output.stderr)
    );
    assert!(
        out.contains("notes, 100%.md:1:1: error[DL101/front-matter-missing]"),
        "{out}"
    );
}

#[test]
fn the_github_action_passes_its_linters() {
    let repo = common::repo();
    if let Some(check) = common::tool("check-jsonschema") {
        let output = run_tool(
            &check,
            &["--builtin-schema", "vendor.github-actions", "action.yml"],
            &repo,
        );
        assert_success(&output, "check-jsonschema on action.yml");
    }
    let Some(actionlint) = common::tool("actionlint") else {
        return;
    };
    let shellcheck = common::tool("shellcheck");
    let dir = tempfile::tempdir().unwrap();
    let workflows = dir.path().join(".github/workflows");
    std::fs::create_dir_all(&workflows).unwrap();
    // The documented example workflow, using the action from this checkout (`uses: ./`), so
    // that actionlint checks its inputs against action.yml.
    std::fs::copy(repo.join("action.yml"), dir.path().join("action.yml")).unwrap();
    let guide = std::fs::read_to_string(repo.join("docs/integrations.md")).unwrap();
    let example = guide
        .split("```yaml\n")
        .skip(1)
        .filter_map(|block| block.split("\n```").next())
        .find(|block| block.contains("uses: doclint/doclint@") && block.contains("\njobs:"))
        .expect("docs/integrations.md shows an example workflow using the action");
    let local = Regex::new(r"uses: doclint/doclint@\S+")
        .unwrap()
        .replace(example, "uses: ./");
    std::fs::write(workflows.join("docs.yml"), local.as_ref()).unwrap();
    // The action's own steps as a reusable workflow, so that actionlint checks their
    // expressions and (with shellcheck) their scripts.
    std::fs::write(
        workflows.join("action-steps.yml"),
        action_as_workflow(&repo.join("action.yml")),
    )
    .unwrap();
    // The release workflow as it is.
    std::fs::copy(
        repo.join(".github/workflows/release.yml"),
        workflows.join("release.yml"),
    )
    .unwrap();
    git(dir.path(), &["init", "--quiet"]);
    let mut args = vec!["-no-color", "-oneline"];
    let shellcheck_arg = shellcheck
        .as_ref()
        .map(|p| p.to_string_lossy().into_owned());
    if let Some(shellcheck) = &shellcheck_arg {
        args.extend(["-shellcheck", shellcheck]);
    }
    let output = run_tool(&actionlint, &args, dir.path());
    assert_success(
        &output,
        "actionlint on the example workflow, the action's steps and the release workflow",
    );

    // actionlint does check the inputs: an unknown one fails.
    let wrong = local.replace("sarif-file:", "sarif-path:");
    std::fs::write(workflows.join("docs.yml"), wrong).unwrap();
    let output = run_tool(&actionlint, &args, dir.path());
    assert!(
        !output.status.success(),
        "an input action.yml does not define is reported"
    );
    assert!(text(&output.stdout).contains("sarif-path"));
}

/// A reusable workflow (as JSON, which is YAML) running the composite action's steps, with the
/// action's inputs as workflow-call inputs.
fn action_as_workflow(action: &Path) -> String {
    let text = std::fs::read_to_string(action).unwrap();
    let action: Value = serde_saphyr::from_str(&text).expect("action.yml is YAML");
    let mut inputs = serde_json::Map::new();
    for (name, input) in action["inputs"].as_object().expect("the action has inputs") {
        let mut call_input = serde_json::json!({ "type": "string", "required": false });
        if let Some(default) = input.get("default") {
            call_input["default"] = default.clone();
        }
        inputs.insert(name.clone(), call_input);
    }
    let steps = action["runs"]["steps"].clone();
    serde_json::json!({
        "on": { "workflow_call": { "inputs": inputs } },
        "jobs": { "doclint": { "runs-on": "ubuntu-latest", "steps": steps } },
    })
    .to_string()
}

/// The action's install step (scripts/install-release.sh) against a release laid out as the
/// release workflow publishes it (served from `file://`): it installs the binary of the
/// action's version after checking its checksum, refuses one that does not match, and falls
/// back to building from source when the ref is no release tag or the release has no binary.
#[test]
fn the_action_installs_the_release_binary_and_checks_it() {
    let repo = common::repo();
    let version = env!("CARGO_PKG_VERSION");
    let tag = format!("v{version}");
    let dir = tempfile::tempdir().unwrap();
    let releases = dir.path().join("releases");
    let release = releases.join(&tag);
    std::fs::create_dir_all(&release).unwrap();
    // A stand-in binary, packaged by the release workflow's own script.
    let target = "x86_64-unknown-linux-musl";
    let build = dir.path().join("checkout");
    std::fs::create_dir_all(build.join(format!("target/{target}/release"))).unwrap();
    std::fs::create_dir_all(build.join("scripts")).unwrap();
    std::fs::copy(
        repo.join("scripts/package-release.sh"),
        build.join("scripts/package-release.sh"),
    )
    .unwrap();
    std::fs::write(build.join("README.md"), "doclint\n").unwrap();
    let fake = build.join(format!("target/{target}/release/doclint"));
    std::fs::write(&fake, "#!/bin/sh\necho doclint from the release\n").unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let packaged = std::process::Command::new("bash")
        .arg(build.join("scripts/package-release.sh"))
        .args([target, release.to_str().unwrap()])
        .output()
        .unwrap();
    assert_success(&packaged, "scripts/package-release.sh");
    let archive = format!("doclint-{target}.tar.gz");
    assert!(
        release.join(&archive).is_file() && release.join(format!("{archive}.sha256")).is_file()
    );

    let install = |action_path: &Path, arch: &str| {
        let runner = tempfile::tempdir().unwrap();
        let output_file = runner.path().join("output");
        let path_file = runner.path().join("path");
        let output = std::process::Command::new("bash")
            .arg(repo.join("scripts/install-release.sh"))
            .env("GITHUB_ACTION_PATH", action_path)
            .env("RUNNER_OS", "Linux")
            .env("RUNNER_ARCH", arch)
            .env("RUNNER_TEMP", runner.path())
            .env("GITHUB_OUTPUT", &output_file)
            .env("GITHUB_PATH", &path_file)
            .env("ACTION_REF", "")
            .env("ACTION_REPOSITORY", "")
            .env("DOCLINT_RELEASES", format!("file://{}", releases.display()))
            .output()
            .unwrap();
        let read = |p: &Path| std::fs::read_to_string(p).unwrap_or_default();
        (output, read(&output_file), read(&path_file), runner)
    };
    // The runner unpacks an action at .../OWNER/REPO/REF.
    let action = dir.path().join("_actions/doclint/doclint").join(&tag);
    std::fs::create_dir_all(&action).unwrap();
    std::fs::copy(repo.join("Cargo.toml"), action.join("Cargo.toml")).unwrap();

    let (output, outputs, path, _runner) = install(&action, "X64");
    assert_success(&output, "install-release.sh");
    assert_eq!(outputs, "source=release\n");
    let bin = PathBuf::from(path.trim()).join("doclint");
    let ran = std::process::Command::new(&bin).output().unwrap();
    assert_eq!(text(&ran.stdout), "doclint from the release\n");

    // A release file that does not match its checksum fails the step.
    let mut bytes = std::fs::read(release.join(&archive)).unwrap();
    bytes.push(0);
    std::fs::write(release.join(&archive), &bytes).unwrap();
    let (output, outputs, _, _runner) = install(&action, "X64");
    assert!(!output.status.success(), "a tampered archive is refused");
    assert!(
        text(&output.stdout).contains("checksum mismatch"),
        "{}",
        text(&output.stdout)
    );
    assert_eq!(outputs, "");

    // No binary for the platform, or a ref that is no release tag: build from source.
    let (output, outputs, _, _runner) = install(&action, "ARM64");
    assert_success(&output, "install-release.sh without a release file");
    assert_eq!(outputs, "source=build\n");
    let branch = dir.path().join("_actions/doclint/doclint/main");
    std::fs::create_dir_all(&branch).unwrap();
    std::fs::copy(repo.join("Cargo.toml"), branch.join("Cargo.toml")).unwrap();
    let (output, outputs, _, _runner) = install(&branch, "X64");
    assert_success(&output, "install-release.sh on a branch");
    assert_eq!(outputs, "source=build\n");
}

/// The repository's shell scripts pass shellcheck.
#[test]
fn shell_scripts_pass_shellcheck() {
    let Some(shellcheck) = common::tool("shellcheck") else {
        return;
    };
    let repo = common::repo();
    let mut scripts: Vec<String> = std::fs::read_dir(repo.join("scripts"))
        .unwrap()
        .map(|e| format!("scripts/{}", e.unwrap().file_name().to_string_lossy()))
        .filter(|name| name.ends_with(".sh"))
        .collect();
    scripts.push(".ci/run".into());
    let args: Vec<&str> = scripts.iter().map(String::as_str).collect();
    assert_success(
        &run_tool(&shellcheck, &args, &repo),
        "shellcheck on the scripts",
    );
}

/// The version is the same everywhere a release depends on it: Cargo.toml, the wheel (which
/// takes Cargo's), the pre-commit hook's package and its pin, and the install instructions.
#[test]
fn release_versions_are_in_step() {
    let repo = common::repo();
    let version = env!("CARGO_PKG_VERSION");
    let hook_package = std::fs::read_to_string(repo.join("pyproject.toml")).unwrap();
    assert!(
        hook_package.contains(&format!("\nversion = \"{version}\"\n")),
        "{hook_package}"
    );
    assert!(
        hook_package.contains(&format!("dependencies = [\"doclint=={version}\"]")),
        "{hook_package}"
    );
    let wheel = std::fs::read_to_string(repo.join("python/pyproject.toml")).unwrap();
    assert!(
        wheel.contains("dynamic = [\"version\"]")
            && wheel.contains("manifest-path = \"../Cargo.toml\"")
    );
    let readme = std::fs::read_to_string(repo.join("README.md")).unwrap();
    for wanted in [
        format!("pip install doclint=={version}"),
        format!("cargo install --locked doclint@{version}"),
        format!("releases/download/v{version}/"),
        format!("rev: v{version}"),
        format!("uses: doclint/doclint@v{version}"),
    ] {
        assert!(readme.contains(&wanted), "README.md lacks {wanted:?}");
    }
    let hooks = std::fs::read_to_string(repo.join(".pre-commit-hooks.yaml")).unwrap();
    for (id, language) in [
        ("doclint-python", "python"),
        ("doclint", "rust"),
        ("doclint-system", "system"),
    ] {
        let hook = hooks
            .split("- id: ")
            .find(|h| h.starts_with(&format!("{id}\n")))
            .unwrap_or_else(|| panic!("no {id} hook"));
        assert!(hook.contains(&format!("language: {language}\n")), "{hook}");
    }
}
