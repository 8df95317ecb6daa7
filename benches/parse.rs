//! Micro-benchmarks of the hot paths: page parsing, HTTP and JSON bodies, link resolution in
//! an indexed doc set, and a whole page checked in memory. `cargo bench` (add `-- --sample-count 200` for steadier numbers).

use doclint::document::{http, json, Document};

fn main() {
    divan::main();
}

/// A typical Graph API page (about 4 KB), with every kind of item the parser collects.
const PAGE: &str = include_str!("../testdata/sample-docs/api-reference/v1.0/api/widget-get.md");

const BODY: &str = r#"{
  "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users/$entity",
  "businessPhones": ["+1 425 555 0109"],
  "displayName": "Adele Vance",
  "givenName": "Adele",
  "jobTitle": "Retail Manager",
  "mail": "AdeleV@contoso.onmicrosoft.com",
  "officeLocation": "18/2111",
  "preferredLanguage": "en-US",
  "surname": "Vance",
  "userPrincipalName": "AdeleV@contoso.onmicrosoft.com",
  "id": "87d349ed-44d7-43e1-9a83-5f2406dee5bd",
  "value": [ { "id": "1", "size": 12.5, "tags": ["a", "b"] }, { "id": "2", "size": 7 } ]
}"#;

#[divan::bench]
fn parse_page() -> Document {
    Document::parse(
        "page.md".into(),
        "page.md".into(),
        "page.md".into(),
        divan::black_box(PAGE).to_string(),
        false,
    )
}

#[divan::bench]
fn parse_page_100x(bencher: divan::Bencher) {
    let big = PAGE.repeat(100);
    bencher.bench(|| {
        Document::parse(
            "big.md".into(),
            "big.md".into(),
            "big.md".into(),
            divan::black_box(big.clone()),
            false,
        )
    });
}

#[divan::bench]
fn parse_json_body() -> json::Parsed {
    json::parse(divan::black_box(BODY), json::ParseOptions::default()).expect("valid JSON")
}

#[divan::bench]
fn parse_http_response() -> http::HttpMessage {
    let message = format!("HTTP/1.1 200 OK\nContent-type: application/json\n\n{BODY}\n");
    http::parse_message(divan::black_box(&message)).expect("a response")
}

#[divan::bench]
fn check_page_in_memory() -> doclint::Report {
    doclint::check_source("page.md", divan::black_box(PAGE.as_bytes()))
}

/// A doc set of 2,000 pages in the Graph layout, indexed, for the link resolver.
fn docset() -> doclint::docset::Index {
    let settings = doclint::config::Settings::defaults(".".into());
    let mut paths = Vec::new();
    let mut documents = Vec::new();
    for i in 0..1000 {
        for folder in ["api", "resources"] {
            let docset_path = format!("api-reference/v1.0/{folder}/item{i}-get.md");
            let text = format!("---\ntitle: Item {i}\n---\n# Item {i}\n\n## Properties\n\ntext\n");
            documents.push(Document::parse(
                settings.root.join(&docset_path),
                docset_path.clone(),
                docset_path.clone(),
                text,
                false,
            ));
            paths.push(docset_path);
        }
    }
    paths.sort();
    documents.sort_by(|a, b| a.docset_path().cmp(b.docset_path()));
    let linted = (0..documents.len()).collect();
    let files = doclint::docset::Files::new(paths);
    let docsets = doclint::docset::DocSets::discover(&settings, &files).expect("no configuration");
    doclint::docset::Index::build(doclint::docset::Input {
        root: settings.root.clone(),
        files,
        docsets,
        documents,
        contributions: Default::default(),
        yaml_pages: Vec::new(),
        linted,
        complete: true,
        settings: &settings,
        repositories: Default::default(),
        orphans: false,
    })
}

/// Resolves the kinds of destination a page links to: relative, with an anchor, climbing,
/// in another case, missing, root-relative, a URL and a same-page anchor.
#[divan::bench]
fn resolve_links(bencher: divan::Bencher) {
    let index = docset();
    let resolver = doclint::docset::Resolver::new(&index);
    let from = index
        .document("api-reference/v1.0/api/item500-get.md")
        .expect("indexed page");
    let destinations = [
        "item7-get.md",
        "../resources/item7-get.md#properties",
        "../../v1.0/api/./item9-get.md",
        "Item8-Get.md",
        "item5000-get.md",
        "/api-reference/v1.0/resources/item3-get.md",
        "https://learn.microsoft.com/graph/overview",
        "#properties",
    ];
    let files = || {
        destinations
            .iter()
            .map(|dest| resolver.resolve(from, divan::black_box(dest)))
            .filter(|t| matches!(t, doclint::docset::Target::File { .. }))
            .count()
    };
    // Five name files of the doc set (one in another case); the rest do not.
    assert_eq!(files(), 5, "the benchmark doc set resolves as intended");
    bencher.bench(files);
}
