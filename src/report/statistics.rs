//! `--statistics`: counts per rule.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::Report;

/// A table of counts per rule, most frequent first.
pub fn render(report: &Report) -> String {
    let mut counts: BTreeMap<(&str, &str), (usize, &str)> = BTreeMap::new();
    for d in &report.diagnostics {
        let entry = counts
            .entry((d.rule.id(), d.name()))
            .or_insert((0, d.severity.as_str()));
        entry.0 += 1;
    }
    let mut rows: Vec<_> = counts.into_iter().collect();
    rows.sort_by(|a, b| b.1 .0.cmp(&a.1 .0).then(a.0.cmp(&b.0)));
    let mut out = String::new();
    for ((rule, name), (count, severity)) in rows {
        let _ = writeln!(out, "{count:>7}  {rule}  {name:<36} {severity}");
    }
    if report.suppressed > 0 {
        let _ = writeln!(out, "{:>7}  suppressed", report.suppressed);
    }
    out
}
