//! Front-matter rules: DL101–DL105.

use super::Context;
use crate::diagnostic::{Finding, Severity};
use crate::rule::Rule;

/// Checks the page's front matter.
pub fn check(cx: &mut Context<'_>) {
    let doc = cx.doc;
    if doc.kind.fragment {
        return;
    }
    let first_line = 0..doc.lines.line_range(&doc.text, 0).end;
    let Some(fm) = &doc.front_matter else {
        cx.report(Finding::new(
            Rule::FrontMatterMissing,
            first_line,
            "the page has no YAML front matter; start it with a `---` line, the required keys and a closing `---`",
        ));
        return;
    };
    if let Some(error) = &fm.error {
        cx.report(Finding::new(
            Rule::FrontMatterInvalid,
            error.span.clone(),
            error.message.clone(),
        ));
        return;
    }
    let opening = 0..3.min(doc.text.len());
    for key in &cx.docset.required_front_matter {
        match fm.get(key) {
            None => {
                let mut finding = if cx.docset.required_front_matter_configured {
                    Finding::new(
                        Rule::FrontMatterKeyMissing,
                        opening.clone(),
                        format!("the front matter has no `{key}` key, which this doc set requires"),
                    )
                } else {
                    // Only a doc set's own configuration makes a missing key an error; the
                    // page renders without it.
                    Finding::new(
                        Rule::FrontMatterKeyMissing,
                        opening.clone(),
                        format!(
                            "the front matter has no `{key}` key, which every page should have"
                        ),
                    )
                    .with_max_severity(Severity::Warning)
                };
                let present = fm.entries.iter().map(|e| e.key.as_str());
                if let Some(close) = crate::suggest::closest(key, present) {
                    finding = finding.with_help(format!(
                        "`{close}` is present: is it a misspelling of `{key}`?"
                    ));
                }
                cx.report(finding);
            }
            Some(entry) if entry.value.is_empty() => cx.report(Finding::new(
                Rule::FrontMatterValueEmpty,
                entry.key_span.start..entry.value_span.end.max(entry.key_span.end),
                format!("the front-matter key `{key}` is empty; give it a value"),
            )),
            Some(_) => {}
        }
    }
    for (key, allowed) in &cx.settings.allowed_front_matter {
        let Some(entry) = fm.get(key) else {
            continue;
        };
        let Some(value) = entry.value.as_text() else {
            continue;
        };
        if value.trim().is_empty() || allowed.iter().any(|a| a == value) {
            continue;
        }
        let mut finding = Finding::new(
            Rule::FrontMatterValueNotAllowed,
            entry.value_span.clone(),
            format!(
                "`{key}: {value}` is not an allowed value; use one of {}",
                quote_list(allowed)
            ),
        );
        if let Some(close) = crate::suggest::closest(value, allowed.iter().map(String::as_str)) {
            finding = finding.with_help(format!("did you mean `{close}`?"));
        }
        cx.report(finding);
    }
}

fn quote_list(items: &[String]) -> String {
    items
        .iter()
        .map(|i| format!("`{i}`"))
        .collect::<Vec<_>>()
        .join(", ")
}
