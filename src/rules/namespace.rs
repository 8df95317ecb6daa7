//! DL210 namespace-mismatch: the namespace a page declares (its `Namespace: microsoft.graph`
//! line, or the page annotation's `namespace`) against the namespace of the resource types it
//! defines.

use std::ops::Range;
use std::sync::OnceLock;

use regex::Regex;

use super::Context;
use crate::diagnostic::Finding;
use crate::rule::Rule;

/// Checks the page's declared namespace against its resources' qualified names.
pub fn check(cx: &mut Context<'_>) {
    if !cx.enabled(Rule::NamespaceMismatch) {
        return;
    }
    let Some(d) = cx.d else {
        return;
    };
    let registry = &cx.index.schema;
    let namespaces: Vec<(&str, &str)> = registry
        .defined_in(d)
        .filter_map(|t| registry.types[t].name.rsplit_once('.'))
        .collect();
    let Some(&(first, short)) = namespaces.first() else {
        return;
    };
    for (declared, span, place) in declarations(cx) {
        if namespaces.iter().any(|(ns, _)| *ns == declared) {
            continue;
        }
        let case = if first.eq_ignore_ascii_case(declared) {
            " (namespaces are case-sensitive)"
        } else {
            ""
        };
        cx.report(
            Finding::new(
                Rule::NamespaceMismatch,
                span,
                format!(
                    "{place} says the namespace is `{declared}`, but the page defines `{first}.{short}`{case}; make the two agree"
                ),
            )
            .with_help(format!("write `{first}`, or correct the type's `@odata.type`")),
        );
    }
}

/// The namespaces the page declares, with where and how.
fn declarations<'d>(cx: &Context<'d>) -> Vec<(&'d str, Range<usize>, &'static str)> {
    static LINE: OnceLock<Regex> = OnceLock::new();
    let doc = cx.doc;
    let line = LINE
        .get_or_init(|| Regex::new(r"(?m)^Namespace:[ \t]*[A-Za-z][\w.]*").expect("valid pattern"));
    // The name is the match after `Namespace:` and the blanks (it starts with a letter), so
    // the search needs no capture groups.
    let mut out: Vec<(&'d str, Range<usize>, &'static str)> = line
        .find_iter(&doc.text)
        .map(|m| {
            let name = m.as_str()["Namespace:".len()..].trim_start_matches([' ', '\t']);
            (name, m.end() - name.len()..m.end())
        })
        .filter(|(_, span)| !doc.in_code_or_comment(span.start))
        .map(|(name, span)| (name, span, "the `Namespace:` line"))
        .take(1)
        .collect();
    if let Some(page) = doc.annotations.iter().find(|a| a.is_page) {
        if let (Some(value), Some(span)) = (page.get_str("namespace"), page.value_span("namespace"))
        {
            out.push((value.trim(), span, "the page annotation"));
        }
    }
    out
}
