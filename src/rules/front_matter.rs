//! Front-matter rules: DL101–DL105.

use std::ops::Range;

use super::Context;
use crate::diagnostic::{Finding, Severity};
use crate::fix::{Applicability, Fix, TextEdit};
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
    let allowed_values = &cx.settings.allowed_front_matter;
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
                let present = fm.entries.iter().map(|e| fm.key(e));
                if let Some(close) = crate::suggest::closest(key, present) {
                    finding = finding.with_help(format!(
                        "`{close}` is present: is it a misspelling of `{key}`?"
                    ));
                }
                cx.report(finding);
            }
            Some(entry) if fm.value(entry).is_empty() => {
                let mut finding = Finding::new(
                    Rule::FrontMatterValueEmpty,
                    entry.key_span().start..entry.value_span().end.max(entry.key_span().end),
                    format!("the front-matter key `{key}` is empty; give it a value"),
                );
                // A key whose only allowed value is known gets it.
                if let Some([only]) = allowed_values.get(key.as_str()).map(Vec::as_slice) {
                    finding = finding.with_help(format!("write `{key}: {only}`"));
                    let written = write_value(
                        &doc.text,
                        &entry.value_span(),
                        "",
                        only,
                        Applicability::Safe,
                    );
                    if let Some(fix) = written {
                        finding = finding.with_fix(fix);
                    }
                }
                cx.report(finding);
            }
            Some(_) => {}
        }
    }
    for (key, allowed) in allowed_values {
        let Some(entry) = fm.get(key) else {
            continue;
        };
        let Some(value) = fm.value(entry).as_text() else {
            continue;
        };
        if value.trim().is_empty() || allowed.iter().any(|a| a == value) {
            continue;
        }
        let mut finding = Finding::new(
            Rule::FrontMatterValueNotAllowed,
            entry.value_span(),
            format!(
                "`{key}: {value}` is not an allowed value; use one of {}",
                quote_list(allowed)
            ),
        );
        let replacement = match allowed.as_slice() {
            [only] => Some((only.as_str(), Applicability::Safe)),
            _ => crate::suggest::closest(value, allowed.iter().map(String::as_str)).map(|close| {
                let safe = same_letters(close, value);
                (
                    close,
                    if safe {
                        Applicability::Safe
                    } else {
                        Applicability::Unsafe
                    },
                )
            }),
        };
        if let Some((new, applicability)) = replacement {
            finding = finding.with_help(format!("did you mean `{new}`?"));
            if let Some(fix) =
                write_value(&doc.text, &entry.value_span(), value, new, applicability)
            {
                finding = finding.with_fix(fix);
            }
        }
        cx.report(finding);
    }
}

/// Whether two values have the same letters and digits, case aside (`resourcePageType_` and
/// `resourcePageType`): one is the other mistyped, not another value.
fn same_letters(a: &str, b: &str) -> bool {
    let letters = |s: &str| -> String {
        s.chars()
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_lowercase())
            .collect()
    };
    letters(a) == letters(b)
}

/// The fix that writes `new` over the value `old` where a front-matter value is written
/// (`span`, the rest of the key's line, which may end in a comment), quoted as `old` was;
/// `None` when the value is not written plainly there or `new` would need escaping.
fn write_value(
    text: &str,
    span: &Range<usize>,
    old: &str,
    new: &str,
    applicability: Applicability,
) -> Option<Fix> {
    let written = text.get(span.clone())?;
    let plain = |v: &str| {
        !v.is_empty()
            && v.chars()
                .all(|c| c.is_ascii_alphanumeric() || "._-/".contains(c))
    };
    let quoted = ['"', '\''].into_iter().find_map(|quote| {
        let old = format!("{quote}{old}{quote}");
        (written.starts_with(&old) && !new.contains([quote, '\\']))
            .then(|| (old.len(), format!("{quote}{new}{quote}")))
    });
    let (length, replacement) = match quoted {
        Some(found) => found,
        None if !plain(new) => return None,
        // An empty value, perhaps followed by a comment.
        None if old.is_empty() && (written.is_empty() || written.starts_with('#')) => {
            let spaced = text[..span.start].ends_with([' ', '\t']);
            let before = if spaced { "" } else { " " };
            let after = if written.is_empty() { "" } else { " " };
            (0, format!("{before}{new}{after}"))
        }
        None if plain(old) && written.starts_with(old) => (old.len(), new.to_string()),
        None => return None,
    };
    Some(Fix::new(
        applicability,
        format!("write `{new}`"),
        vec![TextEdit::replace(
            span.start..span.start + length,
            replacement,
        )],
    ))
}

fn quote_list(items: &[String]) -> String {
    items
        .iter()
        .map(|i| format!("`{i}`"))
        .collect::<Vec<_>>()
        .join(", ")
}
