//! JUnit XML for CI test-report viewers: one testsuite, one testcase per checked file. A file
//! with findings at or above the `--fail-on` severity fails, and its `<failure>` lists every
//! finding of the file; findings below the threshold go to the testcase's `<system-out>`.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::Report;
use crate::diagnostic::{Diagnostic, Severity};

/// Renders the report as JUnit XML; `fail_on` is the severity that fails a file.
pub fn render(report: &Report, fail_on: Severity) -> String {
    let mut by_file: BTreeMap<&str, Vec<&Diagnostic>> = report
        .checked
        .iter()
        .map(|path| (path.as_str(), Vec::new()))
        .collect();
    for d in &report.diagnostics {
        by_file.entry(d.location.path.as_str()).or_default().push(d);
    }
    let failures = by_file
        .values()
        .filter(|ds| ds.iter().any(|d| d.severity >= fail_on))
        .count();
    let time = format!("{:.3}", report.elapsed.as_secs_f64());
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"doclint\" tests=\"{}\" failures=\"{failures}\" errors=\"0\" time=\"{time}\">",
        by_file.len()
    );
    let _ = writeln!(
        out,
        "  <testsuite name=\"doclint\" tests=\"{}\" failures=\"{failures}\" errors=\"0\" skipped=\"0\" time=\"{time}\">",
        by_file.len()
    );
    for (path, diagnostics) in &by_file {
        testcase(&mut out, path, diagnostics, fail_on);
    }
    out.push_str("  </testsuite>\n</testsuites>\n");
    out
}

fn testcase(out: &mut String, path: &str, diagnostics: &[&Diagnostic], fail_on: Severity) {
    let path = escape(path);
    let _ = write!(
        out,
        "    <testcase name=\"{path}\" classname=\"doclint\" file=\"{path}\""
    );
    if diagnostics.is_empty() {
        out.push_str("/>\n");
        return;
    }
    out.push_str(">\n");
    let (failing, passing): (Vec<&Diagnostic>, Vec<&Diagnostic>) =
        diagnostics.iter().partition(|d| d.severity >= fail_on);
    if let Some(first) = failing.first() {
        let message = if failing.len() == 1 {
            format!("{}: {}", first.rule, first.message)
        } else {
            format!("{} findings", failing.len())
        };
        let _ = writeln!(
            out,
            "      <failure message=\"{}\" type=\"{}\">{}</failure>",
            escape(&message),
            first.severity,
            escape_text(&lines(&failing))
        );
    }
    if !passing.is_empty() {
        let _ = writeln!(
            out,
            "      <system-out>{}</system-out>",
            escape_text(&lines(&passing))
        );
    }
    out.push_str("    </testcase>\n");
}

/// The findings in the concise format, help and related places on lines of their own.
fn lines(diagnostics: &[&Diagnostic]) -> String {
    let mut text = String::new();
    for d in diagnostics {
        super::concise::write_diagnostic(&mut text, d);
    }
    text
}

/// Escapes text for XML element content: line breaks and tabs stay as they are.
fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        match line.strip_suffix('\n') {
            Some(body) => {
                out.push_str(&escape(body));
                out.push('\n');
            }
            None => out.push_str(&escape(line)),
        }
    }
    out
}

/// Escapes text for XML attributes. Line breaks and tabs become character references (so
/// attribute normalisation keeps them); other control characters are escaped as `\u{1b}`,
/// and the non-characters XML 1.0 cannot hold become U+FFFD.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in super::escape::text(text).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            '\u{0}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => out.push('\u{fffd}'),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_for_xml() {
        assert_eq!(
            escape("a<b & \"c\"\n\u{1}\u{9b}"),
            "a&lt;b &amp; &quot;c&quot;&#10;\\u{1}\\u{9b}"
        );
        assert_eq!(escape_text("a\tb\nc\r\n"), "a&#9;b\nc&#13;\n");
    }
}
