//! Checking time grows linearly with a page's size, whatever the page is made of (issue:
//! robustness). Each case is a page made of one construct repeated — reference links with
//! definitions, suppression comments, annotated examples, anchors with typos… — where a
//! per-item scan of the page's other items once made the check quadratic (a 4 MB page of
//! reference links took 146 s). A page four times as large must take about four times as long,
//! not sixteen.
//!
//! In a process of its own (the test binary started again for one ignored test), timed in CPU
//! time, so that neither the other tests nor other work on the machine distort the times.

use std::time::{Duration, Instant};

use crate::common;

use doclint::check_source;

/// Makes item `i` of a page.
type Item = fn(usize) -> String;

/// The repeated constructs, by name.
const CASES: &[(&str, Item)] = &[
    ("reference links and definitions", |i| {
        format!("See [thing {i}][ref{i}] and [missing {i}][nope{i}].\n\n[ref{i}]: other.md\n\n")
    }),
    ("suppression comments", |i| {
        format!("<!-- doclint-disable-next-line DL403 -->\n[x](#nope{i})\n\n<!-- doclint-disable DL403 -->\n[y](#no{i})\n<!-- doclint-enable DL403 -->\n\n")
    }),
    ("annotated requests and responses", |i| {
        format!("<!-- {{ \"blockType\": \"request\", \"name\": \"req_{i}\" }} -->\n```http\nGET https://graph.microsoft.com/v1.0/users/{i}\n```\n\n<!-- {{ \"blockType\": \"response\", \"@odata.type\": \"microsoft.graph.user\" }} -->\n```http\nHTTP/1.1 200 OK\nContent-type: application/json\n\n{{ \"id\": \"{i}\" }}\n```\n\n")
    }),
    ("responses without requests", |i| {
        format!("<!-- {{ \"blockType\": \"response\" }} -->\n```json\n{{ \"a\": {i}, // comment\n \"b\": [1,2,],\n}}\n```\n\n")
    }),
    ("responses naming no request", |i| {
        format!("<!-- {{ \"blockType\": \"request\", \"name\": \"req_{i}\" }} -->\n```http\nGET https://graph.microsoft.com/v1.0/me\n```\n\n<!-- {{ \"blockType\": \"response\", \"name\": \"rq_{i}\" }} -->\n```http\nHTTP/1.1 204 No Content\n```\n\n")
    }),
    ("requests without responses", |i| {
        format!("<!-- {{ \"blockType\": \"request\", \"name\": \"r{i}\" }} -->\n```http\nGET https://graph.microsoft.com/v1.0/me\n```\n\n```http\nGET /me\n```\n\n")
    }),
    ("resources", |i| {
        format!("<!-- {{ \"blockType\": \"resource\", \"@odata.type\": \"microsoft.graph.thing{i}\" }} -->\n```json\n{{ \"id\": \"String\", \"name{i}\": \"String\" }}\n```\n\n")
    }),
    ("anchors with typos", |i| {
        format!("## Heading number {i}\n\nSee [h](#heading-numbr-{i}) and [same](#Heading-Number-{i}).\n\n")
    }),
    ("HTML anchors", |i| {
        format!(
            "<a name=\"a{i}\"></a>text [go](#a{}) [bad](#b{i})\n\n",
            i + 1
        )
    }),
    ("includes", |i| {
        format!("[!INCLUDE [inc{i}](includes/missing-{i}.md)]\n\n")
    }),
    ("comments and code", |i| {
        format!(
            "Text <!-- note {i} --> `code` more.\n\n<!--\nblock {i}\n-->\n\n```\ncode {i}\n```\n\n"
        )
    }),
    ("permission tables", |i| {
        format!("## Permissions\n\n| Permission type | Permissions (from least to most privileged) |\n|:--|:--|\n| Delegated (work or school account) | User.Read{i} |\n| Application | Not supported. |\n\n")
    }),
    ("repeated headings", |_| {
        "## Example\n\n### Example\n\ntext [x](#example-5)\n\n".to_string()
    }),
    ("nested lists", |i| {
        format!("- item [a](#x{i})\n  - nested `c`\n    1. deep\n\n")
    }),
    ("tabs", |i| {
        format!("# [C#](#tab/csharp{i})\n\ncode\n\n---\n\n")
    }),
    ("API sections", |i| {
        format!("## Delete thing {i}\n\n## Permissions\n\n| Permission type | Permissions (from least to most privileged) |\n|:--|:--|\n| Delegated (work or school account) | Thing.ReadWrite.All |\n| Application | Thing.ReadWrite.All |\n\n\
                 <!-- {{ \"blockType\": \"request\", \"name\": \"delete_thing_{i}\" }} -->\n```http\nDELETE https://graph.microsoft.com/v1.0/things/{i}\n```\n\n\
                 <!-- {{ \"blockType\": \"response\" }} -->\n```http\nHTTP/1.1 204 No Content\n```\n\n## Response\n\nIf successful, this method returns a `204 No Content` response code.\n\n")
    }),
    ("Prerequisites sections", |i| {
        format!("## Prerequisites\n\n[!INCLUDE [p](../includes/p{i}.md)]\n\n| a | b |\n|--|--|\n| {i} | x |\n\n")
    }),
    ("undocumented properties and unknown types", schema_item),
];

/// A resource with many properties (and many types of similar names) first, then responses
/// that show undocumented properties or name types nobody defines.
fn schema_item(i: usize) -> String {
    if i == 0 {
        let properties: Vec<String> = (0..300)
            .map(|p| format!("\"prop{p}\": \"String\""))
            .collect();
        let mut text = format!(
            "<!-- {{ \"blockType\": \"resource\", \"@odata.type\": \"microsoft.graph.thing\" }} -->\n```json\n{{ {} }}\n```\n\n",
            properties.join(", ")
        );
        for t in 0..300 {
            text.push_str(&format!(
                "<!-- {{ \"blockType\": \"resource\", \"@odata.type\": \"microsoft.graph.thingy{t}x\" }} -->\n```json\n{{ \"id\": \"String\" }}\n```\n\n"
            ));
        }
        return text;
    }
    let ty = if i.is_multiple_of(2) {
        "thing".to_string()
    } else {
        format!("thingy{i}")
    };
    format!(
        "<!-- {{ \"blockType\": \"request\", \"name\": \"p{i}\" }} -->\n```http\nGET https://graph.microsoft.com/v1.0/me\n```\n\n\
         <!-- {{ \"blockType\": \"response\", \"@odata.type\": \"microsoft.graph.{ty}\" }} -->\n```http\nHTTP/1.1 200 OK\nContent-type: application/json\n\n\
         {{ \"id\": \"{i}\", \"prop{i}x\": 1, \"prop1\": [1] }}\n```\n\n"
    )
}

/// Pages that are one thing grown to a size: a front matter of many keys, one long line.
const WHOLE_PAGES: &[(&str, Item)] = &[
    ("front matter keys", |size| {
        let keys = grow("---\ntitle: Big\ndescription: A big page.\n", size, |i| {
            format!("key{i}: value {i}\n")
        });
        keys + "---\n# Big\n\ntext\n"
    }),
    ("one long line with links and marks", |size| {
        grow(HEAD, size, |i| format!("wörd [l](#x{i}) `c` *é* ")) + "\n"
    }),
];

/// The front matter and title every grown page starts with.
const HEAD: &str = "---\ntitle: Big\ndescription: A big page.\n---\n# Big\n\n";

/// `start` followed by items `0, 1, …` until the text is `size` bytes long.
fn grow(start: &str, size: usize, item: impl Fn(usize) -> String) -> String {
    let mut text = start.to_string();
    let mut i = 0;
    while text.len() < size {
        text.push_str(&item(i));
        i += 1;
    }
    text
}

fn page(item: Item, size: usize) -> String {
    grow(HEAD, size, item)
}

/// The fastest of `runs` checks of `text`: in CPU time where the platform reports it (a
/// machine busy with other work stretches wall time, not CPU time), else in wall time.
fn fastest(text: &str, runs: usize) -> Duration {
    (0..runs)
        .map(|_| {
            let (start, cpu_start) = (Instant::now(), common::cpu_time());
            let report = check_source("page.md", text.as_bytes());
            let elapsed = cpu_start
                .zip(common::cpu_time())
                .map_or_else(|| start.elapsed(), |(from, to)| to.saturating_sub(from));
            assert!(report.diagnostics.iter().all(|d| d.rule != "DL904"));
            elapsed
        })
        .min()
        .expect("at least one run")
}

#[test]
fn checking_time_is_linear_in_the_page_size() {
    common::in_own_process("linear_time::checking_time_in_this_process");
}

#[test]
#[ignore = "run by checking_time_is_linear_in_the_page_size, in a process of its own"]
fn checking_time_in_this_process() {
    // Half a megabyte against two: the larger page spans two of the parser's 1 MB chunks, and a
    // quadratic scan shows as 16× at any size.
    const SMALL: usize = 1 << 19;
    const LARGE: usize = 4 * SMALL;
    let mut slow = Vec::new();
    let cases = CASES
        .iter()
        .map(|(name, item)| (*name, page(*item, SMALL), page(*item, LARGE)))
        .chain(
            WHOLE_PAGES
                .iter()
                .map(|(name, whole)| (*name, whole(SMALL), whole(LARGE))),
        );
    for (name, small, large) in cases {
        let small = fastest(&small, 2);
        let large = fastest(&large, 1);
        eprintln!("{name}: 512 KB {small:?}, 2 MB {large:?}");
        // Linear is about 4×, quadratic about 16×; the slack absorbs noise on tiny times.
        if large > small * 8 + Duration::from_millis(200) {
            slow.push(format!("{name}: 512 KB in {small:?} but 2 MB in {large:?}"));
        }
    }
    assert!(
        slow.is_empty(),
        "superlinear checking time:\n{}",
        slow.join("\n")
    );
}
