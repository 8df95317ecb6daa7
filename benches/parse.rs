//! Micro-benchmarks of the hot paths: page parsing, HTTP and JSON bodies, and a whole page
//! checked in memory. `cargo bench` (add `-- --sample-count 200` for steadier numbers).

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
