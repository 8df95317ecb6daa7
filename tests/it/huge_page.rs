//! A 100 MB page is checked in bounded time and memory (issue: robustness).
//!
//! The check runs in a process of its own (this test binary, started again for the one
//! ignored test below), so that the process's peak memory and CPU time are this test's alone
//! while the other tests of the binary run.

use std::time::{Duration, Instant};

use crate::common;

use doclint::check_source;

/// Peak resident memory of this process so far, in bytes (Linux only).
fn peak_rss() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

#[test]
fn hundred_megabyte_page_is_bounded() {
    common::in_own_process("huge_page::hundred_megabyte_page_in_this_process");
}

#[test]
#[ignore = "run by hundred_megabyte_page_is_bounded, in a process of its own"]
fn hundred_megabyte_page_in_this_process() {
    // 100 MB of ordinary reference content: sections, links to them, tables, code; one
    // section in a thousand links to a heading that does not exist.
    let mut text = String::from("---\ntitle: Big\ndescription: A very large page.\n---\n# Big\n\n");
    let (mut n, mut broken) = (0, 0);
    while text.len() < 100 * 1024 * 1024 {
        n += 1;
        if n % 1000 == 0 {
            broken += 1;
            text.push_str("A [broken link](#no-such-section).\n\n");
        }
        text.push_str(&format!(
            "## Section {n}\n\nSome text with a [link](#section-{n}) and `code`, see [the top](#big).\n\n\
             | Name | Type | Description |\n|:-----|:-----|:------------|\n| id | String | The identifier. |\n\n\
             ```json\n{{ \"id\": \"{n}\", \"values\": [1, 2, 3] }}\n```\n\n"
        ));
    }
    let before = peak_rss();
    let (start, cpu_start) = (Instant::now(), common::cpu_time());
    let report = check_source("page.md", text.as_bytes());
    let elapsed = start.elapsed();
    let cpu = cpu_start
        .zip(common::cpu_time())
        .map(|(from, to)| to.saturating_sub(from));
    let after = peak_rss();
    eprintln!(
        "100 MB page: {elapsed:?} ({cpu:?} CPU), {} diagnostics, peak RSS {:?} MB before the check, {:?} MB after",
        report.diagnostics.len(),
        before.map(|b| b >> 20),
        after.map(|b| b >> 20)
    );
    let rules: Vec<&str> = report.diagnostics.iter().map(|d| d.rule.id()).collect();
    assert!(
        rules.len() == broken && rules.iter().all(|r| *r == "DL403"),
        "expected {broken} DL403, got {} diagnostics: {:?}",
        rules.len(),
        &rules[..rules.len().min(20)]
    );
    // The dev profile optimises (opt-level 1), so the limit holds for `cargo test` too. The
    // limit is on CPU time where the platform reports it (10 s: 5 s on two cores), so that a
    // machine busy with other work does not fail the test; elsewhere on wall time.
    match cpu {
        Some(cpu) => assert!(
            cpu < Duration::from_secs(10),
            "a 100 MB page took {cpu:?} of CPU time (limit 10 s; {elapsed:?} wall time)"
        ),
        None => assert!(
            elapsed < Duration::from_secs(5),
            "a 100 MB page took {elapsed:?} (limit 5 s)"
        ),
    }
    if let (Some(before), Some(after)) = (before, after) {
        let grown = after.saturating_sub(before);
        assert!(
            grown < 10 * text.len() as u64,
            "checking a {} MB page took {} MB of memory (limit: ten times the page)",
            text.len() >> 20,
            grown >> 20
        );
    }
}
