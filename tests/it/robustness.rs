//! No panic, no hang, no silent loss on any input (issue: robustness).
//!
//! Every test here feeds doclint hostile input and demands a clean result: diagnostics whose
//! spans lie inside the file on character boundaries, no DL904 internal error, and bounded time.

use crate::common;

use std::time::{Duration, Instant};

use doclint::check_source;
use doclint::report::Report;
use proptest::prelude::*;

/// Every diagnostic points inside its file, on character boundaries, with sane positions.
fn assert_well_formed(report: &Report, text: &[u8]) {
    for d in &report.diagnostics {
        assert_ne!(d.rule, "DL904", "internal error: {}", d.message);
        assert!(d.location.line >= 1 && d.location.column >= 1, "{d:?}");
        assert!(
            (d.location.end_line, d.location.end_column) >= (d.location.line, d.location.column),
            "{d:?}"
        );
        if let Ok(text) = std::str::from_utf8(text) {
            let text = text.strip_prefix('\u{feff}').unwrap_or(text);
            assert!(
                d.span.start <= d.span.end && d.span.end <= text.len(),
                "{d:?} outside {} bytes",
                text.len()
            );
            assert!(
                text.is_char_boundary(d.span.start) && text.is_char_boundary(d.span.end),
                "{d:?}"
            );
            let lines = u32::try_from(text.split('\n').count()).unwrap();
            assert!(d.location.line <= lines.max(1), "{d:?} past line {lines}");
        }
    }
}

fn check(text: &[u8]) -> Report {
    let report = check_source("page.md", text);
    assert_well_formed(&report, text);
    report
}

/// The JSON report of doclint run on `dir`, which must exit with `code` (within 60 s).
fn json_report(dir: &std::path::Path, code: i32) -> serde_json::Value {
    let out = assert_cmd::Command::cargo_bin("doclint")
        .unwrap()
        .args(["--format", "json"])
        .arg(dir)
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(code),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn timed<T>(limit: Duration, what: &str, f: impl FnOnce() -> T) -> T {
    let start = Instant::now();
    let out = f();
    assert!(
        start.elapsed() < limit,
        "{what} took {:?} (limit {limit:?})",
        start.elapsed()
    );
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        check(&bytes);
    }

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,1024}") {
        check(text.as_bytes());
    }

    #[test]
    fn markdown_like_text_never_panics(parts in proptest::collection::vec(prop_oneof![
        Just("---\n"), Just("title: x\n"), Just("# H\n"), Just("#### H4\n"), Just("<!-- { \"blockType\": \"request\", \"name\": \"a\" } -->\n"),
        Just("<!-- {\n"), Just("-->\n"), Just("```http\n"), Just("```json\n"), Just("```\n"), Just("GET /me\n"),
        Just("HTTP/1.1 200 OK\n"), Just("{ \"a\": [1, 2,], }\n"), Just("| a | b |\n"), Just("|---|\n"), Just("[x][y]\n"),
        Just("[!INCLUDE [l](missing.md)]\n"), Just("[t](a.md#b)\n"), Just("\r\n"), Just("\u{feff}"), Just("é"), Just("\n"),
        Just("> [!NOTE]\n"), Just("[y]: http://e\n"), Just("<a name=\"x\"></a>\n"), Just("# [HTTP](#tab/http)\n"),
    ], 0..60)) {
        let text: String = parts.concat();
        check(text.as_bytes());
    }
}

#[test]
fn empty_and_degenerate_pages() {
    for text in [
        "",
        "---",
        "---\n",
        "---\n---\n",
        "\u{feff}",
        "\n\n\n",
        "---\ntitle: x\n",
        "<!--",
        "```",
        "```http\nGET /x",
        "<!-- {",
    ] {
        check(text.as_bytes());
    }
    let report = check(b"---\n");
    assert!(
        report.diagnostics.iter().any(|d| d.rule == "DL102"),
        "an unterminated front matter is reported"
    );
}

#[test]
fn binary_file_named_md() {
    let bytes: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13).to_le_bytes()[0])
        .collect();
    let report = check(&bytes);
    assert!(report.diagnostics.iter().any(|d| d.rule == "DL902"));
    let report = check(b"\0\0\0\x01PNG\0\0");
    assert!(report.diagnostics.iter().all(|d| d.rule != "DL904"));
}

#[test]
fn unterminated_constructs() {
    let report = check(b"---\ntitle: a\ndescription: b\n---\n# T\n\ntext\n\n<!-- { \"blockType\": \"request\"\n\n```http\nGET /x\n");
    assert!(
        report.diagnostics.iter().any(|d| d.rule == "DL201"),
        "{:?}",
        report.diagnostics
    );
    check(b"# T\n\n```http\nGET /x\n\n## never closed\n");
}

#[test]
fn deep_nesting() {
    let quotes = ">".repeat(10_000) + " deep\n";
    timed(Duration::from_secs(10), "10,000 nested blockquotes", || {
        check(quotes.as_bytes())
    });
    let brackets = "[".repeat(10_000) + "x" + &"]".repeat(10_000) + "\n";
    timed(Duration::from_secs(10), "10,000 nested brackets", || {
        check(brackets.as_bytes())
    });
    let annotation = format!(
        "# T\n\n<!-- {{ \"a\": {}1{} }} -->\n```json\n{{}}\n```\n",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let report = timed(
        Duration::from_secs(10),
        "an annotation nested 100,000 deep",
        || check(annotation.as_bytes()),
    );
    assert!(
        report
            .diagnostics
            .iter()
            .any(|d| d.rule == "DL201" && d.message.contains("deeper")),
        "{:?}",
        report.diagnostics
    );
    let yaml = format!(
        "---\ntitle: {}x{}\n---\n# T\n",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    timed(
        Duration::from_secs(10),
        "front matter nested 100,000 deep",
        || check(yaml.as_bytes()),
    );
}

#[test]
fn long_link_target() {
    let text = format!("# T\n\n[x]({}.md)\n", "a".repeat(10_000));
    check(text.as_bytes());
}

#[test]
fn crlf_and_bom_keep_positions() {
    let lf = "---\ntitle: a\ndescription: \"\"\n---\n# T\n\n#### Deep\n\ntext\n";
    let crlf = lf.replace('\n', "\r\n");
    let bom = format!("\u{feff}{crlf}");
    let positions = |text: &str| -> Vec<(u32, u32, &str)> {
        check(text.as_bytes())
            .diagnostics
            .iter()
            .map(|d| (d.location.line, d.location.column, d.rule.id()))
            .collect()
    };
    let expected = positions(lf);
    assert!(
        expected.contains(&(3, 1, "DL104")) && expected.contains(&(7, 1, "DL701")),
        "{expected:?}"
    );
    assert_eq!(positions(&crlf), expected);
    assert_eq!(positions(&bom), expected);
}

#[cfg(unix)]
#[test]
fn file_system_oddities() {
    use assert_cmd::Command;
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    let page = "---\ntitle: a\ndescription: b\n---\n# T\n\ntext\n";
    std::fs::create_dir_all(dir.path().join("with space/ünïcödé")).unwrap();
    std::fs::write(dir.path().join("with space/ünïcödé/pâge one.md"), page).unwrap();
    std::fs::write(dir.path().join("with space/bad.md"), "# only a title\n").unwrap();
    std::fs::create_dir(dir.path().join("folder.md")).unwrap();
    std::os::unix::fs::symlink(dir.path(), dir.path().join("with space/loop")).unwrap();
    let json = json_report(dir.path(), 1);
    let paths: Vec<&str> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["path"].as_str().unwrap())
        .collect();
    assert!(
        paths.iter().any(|p| p.ends_with("with space/bad.md")),
        "{paths:?}"
    );
    assert!(
        paths.iter().any(|p| p.ends_with("with space/loop")),
        "the symlink loop is reported: {paths:?}"
    );
    // A directory named like a page is walked, a page named as a directory argument is checked.
    Command::cargo_bin("doclint")
        .unwrap()
        .arg(dir.path().join("folder.md"))
        .assert()
        .code(0);
    Command::cargo_bin("doclint")
        .unwrap()
        .arg(dir.path().join("with space/ünïcödé/pâge one.md"))
        .assert()
        .code(0);
}

/// Files deleted while a run reads the doc set: each is either checked or reported as gone
/// (DL903), never a crash. When the deletions land is up to the scheduler; the outcome must hold
/// whenever they do.
#[test]
fn files_deleted_during_a_run() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    let page = "---\ntitle: a\ndescription: b\n---\n# T\n\n[next](p1.md) text\n";
    let pages = 3000;
    for round in 0..3 {
        for i in 0..pages {
            std::fs::write(dir.path().join(format!("p{i}.md")), page).unwrap();
        }
        let child = std::process::Command::new(assert_cmd::cargo::cargo_bin("doclint"))
            .args(["--format", "json"])
            .arg(dir.path())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        // Delete from the end, where the walk finishes last, in a different stride each round.
        for i in (0..pages).rev().step_by(round + 2) {
            let _ = std::fs::remove_file(dir.path().join(format!("p{i}.md")));
        }
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(matches!(out.status.code(), Some(0 | 1)), "{stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        for d in json["diagnostics"].as_array().unwrap() {
            let rule = d["rule"].as_str().unwrap();
            let message = d["message"].as_str().unwrap();
            assert_ne!(rule, "DL904", "{message}");
            if rule == "DL903" {
                assert!(message.contains("no longer exists"), "{message}");
            }
        }
    }
}

/// A chain of 2,000 pages, each including the next, the last including one near the end: every
/// page reaches the cycle. The include graph is resolved once for the doc set, pages with no
/// cycle ahead skip the walk, and the messages name the ends of the chain, not all of it.
#[test]
fn a_long_include_chain_with_a_cycle() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    let pages: usize = 2000;
    for i in 0..pages {
        let next = if i + 1 < pages { i + 1 } else { pages - 10 };
        let text = format!(
            "---\ntitle: P{i}\ndescription: page {i}\n---\n# Page {i}\n\n## Section {i}\n\n[back](p{}.md#section-{i})\n\n[!INCLUDE [next](p{next}.md)]\n",
            i.saturating_sub(1)
        );
        std::fs::write(dir.path().join(format!("p{i}.md")), text).unwrap();
    }
    let json = timed(
        Duration::from_secs(30),
        "a 2,000-page include chain",
        || json_report(dir.path(), 1),
    );
    let cycles: Vec<&str> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["rule"] == "DL502")
        .map(|d| d["message"].as_str().unwrap())
        .collect();
    assert_eq!(cycles.len(), pages, "every page reaches the cycle");
    assert!(cycles.iter().all(|m| m.len() < 300), "{}", cycles[0]);
}

/// A small deterministic generator, so mutation runs are reproducible.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % n.max(1) as u64).unwrap()
    }
}

/// Applies one random edit: delete, duplicate or swap lines, or insert a troublesome token.
fn mutate(text: &str, rng: &mut XorShift) -> String {
    const TOKENS: &[&str] = &[
        "<!--", "```", "---", "{", "[", "](", "-->", "|", "\r", "\u{feff}", "é",
    ];
    let mut lines: Vec<&str> = text.split_inclusive('\n').collect();
    if lines.is_empty() {
        return TOKENS[rng.below(TOKENS.len())].to_string();
    }
    match rng.below(4) {
        0 => {
            lines.remove(rng.below(lines.len()));
        }
        1 => {
            let i = rng.below(lines.len());
            lines.insert(i, lines[i]);
        }
        2 => {
            let (a, b) = (rng.below(lines.len()), rng.below(lines.len()));
            lines.swap(a, b);
        }
        _ => {
            let joined: String = lines.concat();
            let mut at = rng.below(joined.len() + 1);
            while !joined.is_char_boundary(at) {
                at -= 1;
            }
            return format!(
                "{}{}{}",
                &joined[..at],
                TOKENS[rng.below(TOKENS.len())],
                &joined[at..]
            );
        }
    }
    lines.concat()
}

fn pages_under(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            pages_under(&path, out);
        } else if path.extension().is_some_and(|e| e == "md") {
            out.push(path);
        }
    }
}

#[test]
fn mutated_testdata_pages_never_panic() {
    let mut pages = Vec::new();
    pages_under(&common::repo().join("testdata"), &mut pages);
    pages.sort();
    let mut rng = XorShift(0x5eed_d0c1_1e27);
    for page in &pages {
        let text = String::from_utf8_lossy(&std::fs::read(page).unwrap()).into_owned();
        let mut mutated = text.clone();
        for _ in 0..8 {
            mutated = mutate(&mutated, &mut rng);
            check(mutated.as_bytes());
        }
    }
}

#[test]
fn mutated_corpus_pages_never_panic() {
    let mut pages = Vec::new();
    for corpus in ["microsoft-graph-docs", "onedrive-api-docs"] {
        if let Some(dir) = common::corpus(corpus) {
            pages_under(&dir, &mut pages);
        }
    }
    if pages.is_empty() {
        return;
    }
    pages.sort();
    let mut rng = XorShift(0x00c0_ffee_1234_5678);
    let mutations = 3000;
    for _ in 0..mutations {
        let page = &pages[rng.below(pages.len())];
        let text = std::fs::read_to_string(page).unwrap();
        let mut mutated = text;
        for _ in 0..1 + rng.below(3) {
            mutated = mutate(&mutated, &mut rng);
        }
        let report = check_source(&page.to_string_lossy(), mutated.as_bytes());
        assert_well_formed(&report, mutated.as_bytes());
    }
}
