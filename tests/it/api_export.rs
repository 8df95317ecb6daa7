//! `doclint export openapi`: the description of a small doc set written for it (a snapshot),
//! JSON and YAML holding the same document, openapi-spec-validator accepting what is written,
//! and the descriptions of the Graph docs (`../shared/corpora/microsoft-graph-docs`): their
//! size and completeness, validity, and paths that start at the entity sets and singletons
//! the service's CSDL (`../shared/corpora/msgraph-metadata`) declares.

use crate::common;

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use doclint::config::LoadOptions;
use doclint::export::openapi::{self, Export};
use doclint::CheckOptions;
use serde_json::Value;

const DOCS: &str = "testdata/export/openapi/docs";

fn export(dir: &Path) -> Export {
    let options = CheckOptions {
        load: LoadOptions::default(),
        paths: vec![dir.to_path_buf()],
        threads: 2,
        ..Default::default()
    };
    openapi::export(&options).unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
}

fn as_value(export: &Export) -> Value {
    serde_json::to_value(&export.document).expect("the description serialises")
}

/// The YAML text read back as JSON values (with budgets for a description of the whole
/// Graph API, far above those for front matter).
fn yaml_value(text: &str) -> Value {
    let mut budget = serde_saphyr::budget::Budget::default();
    budget.max_nodes = usize::MAX;
    budget.max_events = usize::MAX;
    budget.max_total_scalar_bytes = usize::MAX;
    budget.max_reader_input_bytes = None;
    let mut options = serde_saphyr::Options::default();
    options.budget = Some(budget);
    serde_saphyr::from_str_with_options(text, options).expect("the YAML parses")
}

/// Runs openapi-spec-validator's command on a file and demands that it accepts it.
fn assert_valid(validator: &Path, file: &Path) {
    expect_accepted(std::process::Command::new(validator).arg(file), file);
}

/// The validator's checks through its Python API, on the file read with `json`. Its command
/// reads every file with a YAML loader and resolves each reference against the file's URL:
/// on the Graph beta description that is a third of its time (57 s instead of 37 s of CPU,
/// the longest part of the test suite) for the same validation.
fn assert_valid_json(validator: &Path, file: &Path) {
    const VALIDATE: &str = "import json, sys\n\
        from openapi_spec_validator import validate\n\
        with open(sys.argv[1], encoding='utf-8') as f:\n    validate(json.load(f))\n";
    let mut command = std::process::Command::new(python_of(validator));
    command.args(["-c", VALIDATE]).arg(file);
    expect_accepted(&mut command, file);
}

/// The Python the validator's command runs with: the one beside it in its virtual environment,
/// else the one its first line names.
fn python_of(validator: &Path) -> PathBuf {
    let beside = validator.with_file_name("python");
    if beside.is_file() {
        return beside;
    }
    let script = std::fs::read_to_string(validator).unwrap_or_default();
    let shebang = script
        .lines()
        .next()
        .and_then(|line| line.strip_prefix("#!"));
    PathBuf::from(shebang.map_or("python3", str::trim))
}

fn expect_accepted(command: &mut std::process::Command, file: &Path) {
    // The Rust JSON Schema back end (installed beside the validator by
    // scripts/install-test-tools.sh) checks the Graph descriptions in a third of the time; the
    // validator fails rather than falls back to the slow one when it is missing.
    let output = command
        .env(
            "OPENAPI_SPEC_VALIDATOR_SCHEMA_VALIDATOR_BACKEND",
            "jsonschema-rs",
        )
        .output()
        .unwrap_or_else(|e| panic!("cannot run openapi-spec-validator: {e}"));
    assert!(
        output.status.success(),
        "openapi-spec-validator rejects {}:\n{}\n{}",
        file.display(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn the_test_doc_set_description() {
    let export = export(&common::repo().join(DOCS));
    let json = openapi::to_json(&export.document).unwrap();
    insta::assert_snapshot!("docs_description", json);
    let findings: Vec<String> = export.findings.iter().map(ToString::to_string).collect();
    insta::assert_snapshot!("docs_findings", findings.join("\n"));
    let value = as_value(&export);
    // What the doc set was written to cover.
    let paths = &value["paths"];
    assert!(paths["/users/{user-id}/widgets/{widget-id}"]["get"].is_object());
    assert!(paths["/me/widgets/{widget-id}/paint"]["post"]["requestBody"].is_object());
    assert_eq!(
        paths["/me/widgets"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
            ["properties"]["value"]["items"]["$ref"],
        "#/components/schemas/contoso.api.widget"
    );
    // A page showing another page's URL with a query option does not take its operation.
    assert_eq!(paths["/me/widgets"]["get"]["summary"], "List widgets");
    let part_widgets = &paths["/me/parts/{part-id}/widgets"]["get"];
    assert_eq!(part_widgets["tags"], serde_json::json!(["part"]));
    // The link of a Response section nested under Request body is not the request's type.
    assert!(part_widgets.get("requestBody").is_none(), "{part_widgets}");
    let schemas = &value["components"]["schemas"];
    assert_eq!(
        schemas["contoso.api.color"]["enum"],
        serde_json::json!(["red", "green", "blue"])
    );
    assert_eq!(
        schemas["contoso.api.widget"]["allOf"][0]["$ref"],
        "#/components/schemas/contoso.api.entity"
    );
    assert!(value["components"]["securitySchemes"]["application"].is_object());
}

#[test]
fn yaml_holds_the_same_document() {
    let export = export(&common::repo().join(DOCS));
    let yaml = openapi::to_yaml(&export.document).unwrap();
    assert_eq!(yaml_value(&yaml), as_value(&export));
}

#[test]
fn the_command_writes_json_yaml_and_stdout() {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("api.json");
    let yaml = dir.path().join("api.yml");
    for file in [&json, &yaml] {
        let output = Command::cargo_bin("doclint")
            .unwrap()
            .current_dir(common::repo())
            .args(["export", "openapi", DOCS, "-o"])
            .arg(file)
            .output()
            .unwrap();
        assert!(output.status.success(), "{output:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.contains(
                "widget-broken.md:26:6: warning: `POST /me/widgets/{id/archive` is not a URL path"
            ),
            "{stderr}"
        );
    }
    let written: Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(
        yaml_value(&std::fs::read_to_string(&yaml).unwrap()),
        written
    );
    let stdout = Command::cargo_bin("doclint")
        .unwrap()
        .current_dir(common::repo())
        .args(["export", "openapi", DOCS, "--quiet"])
        .output()
        .unwrap();
    assert!(stdout.status.success());
    assert!(
        stdout.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&stdout.stderr)
    );
    let printed: Value = serde_json::from_slice(&stdout.stdout).unwrap();
    assert_eq!(printed, written);
}

#[test]
fn a_missing_path_is_a_usage_error() {
    Command::cargo_bin("doclint")
        .unwrap()
        .args(["export", "openapi", "no/such/dir"])
        .assert()
        .code(2);
}

#[test]
fn the_validator_accepts_the_test_description() {
    let Some(validator) = common::tool("openapi-spec-validator") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("api.json");
    openapi::write(&export(&common::repo().join(DOCS)).document, &file).unwrap();
    assert_valid(&validator, &file);
}

/// The entity sets and singletons a CSDL file declares.
fn entry_points(csdl: &Path) -> HashSet<String> {
    let text = std::fs::read_to_string(csdl).unwrap();
    let xml = roxmltree::Document::parse_with_options(
        &text,
        roxmltree::ParsingOptions {
            allow_dtd: true,
            ..Default::default()
        },
    )
    .unwrap();
    xml.descendants()
        .filter(|n| matches!(n.tag_name().name(), "EntitySet" | "Singleton"))
        .filter_map(|n| n.attribute("Name").map(str::to_string))
        .collect()
}

/// Exports one API version of the Graph docs and checks what the issue asks of it; returns
/// the JSON file written, for the validator.
fn graph_version(docs: &Path, metadata: &Path, version: &str, out: &Path) -> PathBuf {
    let export = export(&docs.join("api-reference").join(version));
    let s = export.statistics;
    eprintln!("{version}: {s:?}, {} findings", export.findings.len());
    assert!(s.paths >= 1300, "{version}: {} paths", s.paths);
    assert!(
        s.operations >= 1800,
        "{version}: {} operations",
        s.operations
    );
    assert!(s.schemas >= 900, "{version}: {} schemas", s.schemas);
    assert!(s.with_security * 10 >= s.operations * 9, "{version}: {s:?}");
    assert!(
        (s.with_response_schema + s.without_body) * 10 >= s.operations * 9,
        "{version}: {s:?}"
    );
    let value = as_value(&export);
    let entry = entry_points(&metadata.join(format!("{version}_metadata.xml")));
    let paths: Vec<&String> = value["paths"].as_object().unwrap().keys().collect();
    let outside: Vec<&&String> = paths
        .iter()
        .filter(|p| {
            let first = p[1..].split(['/', '(']).next().unwrap_or("");
            !entry.contains(first)
        })
        .collect();
    eprintln!("{version}: paths not at an entity set or singleton: {outside:?}");
    assert!(
        outside.len() * 50 <= paths.len(),
        "{version}: {} of {} paths start elsewhere",
        outside.len(),
        paths.len()
    );
    let yaml = openapi::to_yaml(&export.document).unwrap();
    assert_eq!(yaml_value(&yaml), value, "{version}: YAML and JSON differ");
    let file = out.join(format!("{version}.json"));
    openapi::write(&export.document, &file).unwrap();
    file
}

#[test]
fn graph_descriptions() {
    let (Some(docs), Some(metadata)) = (
        common::corpus("microsoft-graph-docs"),
        common::corpus("msgraph-metadata"),
    ) else {
        return;
    };
    let validator = common::tool("openapi-spec-validator");
    let dir = tempfile::tempdir().unwrap();
    let files: Vec<PathBuf> = ["v1.0", "beta"]
        .iter()
        .map(|v| graph_version(&docs, &metadata, v, dir.path()))
        .collect();
    let Some(validator) = validator else {
        return;
    };
    // The validator takes minutes on a description this size: both at once.
    std::thread::scope(|scope| {
        for file in &files {
            let validator = &validator;
            scope.spawn(move || assert_valid_json(validator, file));
        }
    });
}
