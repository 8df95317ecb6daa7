//! The rule catalogue (`rules.toml`) is the single source of truth: it lists exactly the rules
//! the code reports (`Rule` is generated from it), in id order, with the names of DESIGN.md,
//! and the published rule pages are generated from it.

use crate::common;

use std::collections::BTreeSet;
use std::path::Path;

use doclint::config::Catalogue;
use regex::Regex;

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// `link-target-missing` → `LinkTargetMissing`, the name of the rule's `Rule` variant.
fn variant(name: &str) -> String {
    name.split('-')
        .map(|word| word[..1].to_ascii_uppercase() + &word[1..])
        .collect()
}

/// Every rule of the catalogue is reported somewhere (a report site naming a rule that is not
/// in the catalogue does not compile: `Rule` is generated from it).
#[test]
fn every_catalogued_rule_is_reported() {
    let named = Regex::new(r"\bRule::([A-Z][A-Za-z0-9]*)").unwrap();
    let mut files = Vec::new();
    rust_files(&common::repo().join("src"), &mut files);
    let used: BTreeSet<String> = files
        .iter()
        .filter(|f| !f.ends_with("rule.rs"))
        .flat_map(|f| {
            let text = std::fs::read_to_string(f).unwrap();
            named
                .captures_iter(&text)
                .map(|c| c[1].to_string())
                .collect::<Vec<_>>()
        })
        .collect();
    let unused: Vec<&str> = Catalogue::builtin()
        .rules()
        .iter()
        .filter(|r| !used.contains(&variant(&r.name)))
        .map(|r| r.id.as_str())
        .collect();
    assert!(
        unused.is_empty(),
        "rules.toml lists rules the code never reports: {unused:?}"
    );
}

#[test]
fn catalogue_is_sorted_and_complete() {
    let rules = Catalogue::builtin().rules();
    let ids: Vec<&str> = rules.iter().map(|r| r.id.as_str()).collect();
    let mut sorted = ids.clone();
    sorted.sort_unstable();
    assert_eq!(ids, sorted, "rules.toml must list rules in id order");
    for rule in rules {
        for (field, value) in [
            ("summary", &rule.summary),
            ("why", &rule.why),
            ("example", &rule.example),
            ("remedy", &rule.remedy),
        ] {
            assert!(!value.trim().is_empty(), "{} has an empty {field}", rule.id);
        }
        assert!(
            rule.summary
                .chars()
                .next()
                .is_some_and(|c| !c.is_uppercase()),
            "{}: summaries start lower-case",
            rule.id
        );
    }
}

/// Ids and names are a contract (DESIGN.md §7): every rule we ship has the name DESIGN gives it.
#[test]
fn names_match_the_design() {
    let Some(design) = common::shared("DESIGN.md") else {
        return;
    };
    let text = std::fs::read_to_string(&design).unwrap();
    let pair = Regex::new(r"\b(DL\d{3}) ([a-z0-9]+(?:-[a-z0-9]+)+)").unwrap();
    for caps in pair.captures_iter(&text) {
        if let Some(rule) = Catalogue::builtin().get(&caps[1]) {
            assert_eq!(
                rule.name, &caps[2],
                "{} is named {} in DESIGN.md",
                &caps[1], &caps[2]
            );
        }
    }
}

/// Replaces `path`'s text with `expected` when `UPDATE_DOCS` is set, else demands that they are
/// equal.
fn in_step(path: &std::path::Path, actual: Option<&str>, expected: &str) {
    if actual != Some(expected) && std::env::var_os("UPDATE_DOCS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, expected).unwrap();
        return;
    }
    assert!(
        actual == Some(expected),
        "{} is not what rules.toml generates: run UPDATE_DOCS=1 cargo test rule_docs",
        path.display()
    );
}

/// The rule pages are generated at release time (`doclint rules --docs DIR`), not kept in the
/// repository: the generator writes one page per rule, the HTML of its catalogue text, and an
/// index; every address a finding links to is one of those pages.
#[test]
fn rule_site_has_a_page_for_every_rule() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("rules");
    assert_cmd::Command::cargo_bin("doclint")
        .unwrap()
        .arg("rules")
        .arg("--docs")
        .arg(&site)
        .assert()
        .success();
    let catalogue = Catalogue::builtin();
    let base = format!("{}/rules/", env!("CARGO_PKG_HOMEPAGE"));
    let mut expected = vec!["index.html".to_string()];
    for rule in catalogue.rules() {
        let url = doclint::rule_docs::rule_url(&rule.id);
        let file = url
            .strip_prefix(&base)
            .unwrap_or_else(|| panic!("{url} is not under {base}"));
        let page = std::fs::read_to_string(site.join(file))
            .unwrap_or_else(|e| panic!("{url} has no page in the generated site: {e}"));
        let title = format!("{} {}", rule.id, rule.name);
        assert_eq!(
            page,
            doclint::rule_docs::html(&title, &doclint::rule_docs::page(rule))
        );
        assert!(page.contains(&format!("<h1>{title}</h1>")), "{page}");
        assert!(page.contains("<h2>How to silence it</h2>"), "{page}");
        expected.push(file.to_string());
    }
    let index = std::fs::read_to_string(site.join("index.html")).unwrap();
    for rule in catalogue.rules() {
        let link = format!("<a href=\"{}.html\">{}</a>", rule.id, rule.id);
        assert!(index.contains(&link), "the index links to {}", rule.id);
    }
    let mut files: Vec<String> = std::fs::read_dir(&site)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    expected.sort();
    assert_eq!(
        files, expected,
        "a page per rule and the index, nothing else"
    );
    // Nothing generated is committed: docs/rules holds the hand-written README alone.
    let committed: Vec<String> = std::fs::read_dir(common::repo().join("docs/rules"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(committed, ["README.md"]);
}

/// The README opens with what a newcomer needs: the title, one line saying what doclint is,
/// and one block with the two commands to try it and to test it.
#[test]
fn readme_starts_with_the_two_commands() {
    let readme = std::fs::read_to_string(common::repo().join("README.md")).unwrap();
    let mut blocks = readme.split("\n\n");
    assert_eq!(blocks.next(), Some("# doclint"));
    let description = blocks.next().unwrap();
    assert!(
        !description.contains('\n') && !description.starts_with('#'),
        "{description:?}"
    );
    assert_eq!(
        blocks.next(),
        Some("```sh\ncargo run --release -- testdata/sample-docs\ncargo test --locked\n```")
    );
    // The reference lives under docs/, and every local link of the README resolves.
    let link = Regex::new(r"\]\(([^)#:]+)(#[^)]*)?\)").unwrap();
    for caps in link.captures_iter(&readme) {
        let target = common::repo().join(&caps[1]);
        assert!(target.exists(), "README links to {}", &caps[1]);
    }
}

/// Every `ValidationErrorCode` of ApiDoctor's enum (`ApiDoctor.Validation/Error/validationerror.cs`),
/// the ones it never reports included.
const APIDOCTOR_CODES: &[&str] = &[
    "Unknown",
    "ConsolidatedError",
    "SkippedSimilarErrors",
    "MissingRequiredArguments",
    "NoDocumentsFound",
    "ExceptionWhileValidatingMethod",
    "ErrorOpeningFile",
    "ErrorReadingFile",
    "ErrorCopyingFile",
    "ExtraFileDetected",
    "MarkdownParserError",
    "UnsupportedLanguage",
    "MissingHeaderBlock",
    "MissingLinkSourceId",
    "LinkValidationSkipped",
    "LinkDestinationNotFound",
    "LinkDestinationOutsideDocSet",
    "LinkFormatInvalid",
    "OrphanedDocumentPage",
    "MissingMetadataBlock",
    "AnnotationParserException",
    "UnpairedRequest",
    "DuplicateMethodIdentifier",
    "IncorrectSampleKey",
    "AmbiguousExample",
    "NamespaceMismatch",
    "DeduplicationWasUnsuccessful",
    "JsonParserException",
    "JsonErrorObject",
    "JsonErrorObjectExpected",
    "MissingCollectionProperty",
    "CollectionArrayEmpty",
    "CollectionArrayNotEmpty",
    "RequiredPropertiesMissing",
    "AdditionalPropertyDetected",
    "ExpectedTypeDifferent",
    "ExpectedArrayValue",
    "ExpectedNonArrayValue",
    "ArrayTypeMismatch",
    "NullPropertyValue",
    "NoCustomMembersFound",
    "MissingCustomMembers",
    "CustomValidationNotSupported",
    "InvalidDateTimeString",
    "InvalidEnumeratedValueString",
    "InvalidUrlString",
    "TypeConversionFailure",
    "ResourceTypeNotFound",
    "ResponseResourceTypeMissing",
    "MissingResourceName",
    "EmptyResourceBaseType",
    "DuplicateResource",
    "TypeNameMismatch",
    "BindingParameterNotFound",
    "HttpParserError",
    "InvalidRequestFormat",
    "RequestWasEmptyOrNull",
    "UnsupportedContentType",
    "ContentFormatException",
    "InvalidContentType",
    "InvalidHttpMethod",
    "UrlLengthExceedsMaximum",
    "NonStandardHeaderUsed",
    "HttpMethodOutOfRange",
    "HttpStatusCodeDifferent",
    "HttpStatusMessageDifferent",
    "HttpRequiredHeaderMissing",
    "HttpHeaderValueDifferent",
    "HttpBodyExpected",
    "HttpResponseFormatInvalid",
    "RequiredYamlHeaderMissing",
    "IncorrectYamlHeaderFormat",
    "RequiredDocumentHeaderMissing",
    "ExtraDocumentHeaderFound",
    "DocumentHeaderInWrongPosition",
    "DocumentHeaderInWrongCase",
    "MisspeltDocumentHeader",
    "ProhibitedDocumentHeaderFound",
    "TabHeaderError",
    "ParameterParserError",
    "UnmappedDocumentElements",
    "RequiredScopesMissing",
    "RequiredApiVersionsMissing",
    "RequiredTagsMissing",
    "SecondaryAccountMissing",
    "MissingAccessToken",
    "RewriteRequestFailure",
    "BadPathTargetValue",
    "MethodDisabled",
    "OutputValueKeyNameIncorrect",
    "OutputValueValueIncorrect",
    "HttpRequestAndMethodSpecified",
    "HttpRequestParameterInvalid",
    "HttpRequestMissingAllowedStatusCodes",
    "InvalidExpectationKey",
    "ExpectationConditionFailed",
    "AllScenariosDisabled",
    "RequestWasRetried",
];

/// Each ApiDoctor code is named by a rule's `apidoctor` field or by one `[[apidoctor]]`
/// entry (not both), entries name real rules exactly when they are `covered`, and no code is
/// `missing`: every static check ApiDoctor reports has a doclint answer.
#[test]
fn apidoctor_map_covers_every_code() {
    let catalogue = Catalogue::builtin();
    let named: BTreeSet<&str> = catalogue
        .rules()
        .iter()
        .filter_map(|r| r.apidoctor.as_deref())
        .collect();
    let mut entries = BTreeSet::new();
    for entry in catalogue.apidoctor_codes() {
        assert!(
            APIDOCTOR_CODES.contains(&entry.code.as_str()),
            "[[apidoctor]] {} is no ApiDoctor code",
            entry.code
        );
        assert!(
            !named.contains(entry.code.as_str()),
            "{} is a rule's own code and has an [[apidoctor]] entry too",
            entry.code
        );
        assert!(entries.insert(entry.code.as_str()), "{} twice", entry.code);
        let statuses = [
            "covered",
            "not-emitted",
            "live",
            "other-command",
            "not-a-finding",
        ];
        assert!(
            statuses.contains(&entry.status.as_str()),
            "{}: status {:?} (a `missing` static check fails this test)",
            entry.code,
            entry.status
        );
        assert_eq!(
            entry.status == "covered",
            !entry.rules.is_empty(),
            "{}: `covered` entries, and only they, list rules",
            entry.code
        );
        for rule in &entry.rules {
            assert!(
                catalogue.get(rule).is_some(),
                "{}: no rule {rule}",
                entry.code
            );
        }
    }
    for code in &named {
        assert!(
            APIDOCTOR_CODES.contains(code),
            "a rule names {code}, no ApiDoctor code"
        );
    }
    for code in APIDOCTOR_CODES {
        assert!(
            named.contains(code) || entries.contains(code),
            "ApiDoctor's {code} is in neither a rule nor an [[apidoctor]] entry of rules.toml"
        );
    }
}

/// The ApiDoctor map of docs/rules/README.md is [`Catalogue::apidoctor_map`], linking to the
/// published rule pages.
/// `UPDATE_DOCS=1` rewrites it.
#[test]
fn apidoctor_map_is_generated_from_the_catalogue() {
    let map = Catalogue::builtin().apidoctor_map(doclint::rule_docs::rule_url);
    let path = common::repo().join("docs/rules/README.md");
    let index = std::fs::read_to_string(&path).unwrap();
    let (start, end) = (
        "<!-- apidoctor-map:start -->\n",
        "<!-- apidoctor-map:end -->",
    );
    let from = index.find(start).expect("an apidoctor-map:start marker") + start.len();
    let to = index.find(end).expect("an apidoctor-map:end marker");
    let updated = format!("{}{}{}", &index[..from], map, &index[to..]);
    in_step(&path, Some(&index), &updated);
}
