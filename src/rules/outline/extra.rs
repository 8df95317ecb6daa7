//! DL709 heading-not-in-outline: a heading at a level the configured outline governs that no
//! outline entry matches, or a second heading for an entry that does not allow several.
//!
//! A level is governed in a section when the outline lists an entry of that level there: the
//! top-level entries govern the page, an entry's `headers` govern the section of the heading
//! that matched it. Of an `OR` condition only the alternatives that match some heading count
//! (the page chose one of them). Headings that differ from an entry only in case or by a typo
//! are DL703's, not reported here.

use std::ops::Range;

use super::{render, Expected, Item};
use crate::diagnostic::Finding;
use crate::document::Heading;
use crate::rule::Rule;
use crate::rules::Context;

/// Reports the headings of a page with a configured outline that the outline has no place for.
pub(super) fn check(cx: &mut Context<'_>, items: &[Item], headings: &[&Heading], page_type: &str) {
    let mut extra = Extra {
        headings,
        findings: Vec::new(),
        page_type,
    };
    extra.section(items, 0..headings.len());
    for finding in extra.findings {
        cx.report(finding);
    }
}

struct Extra<'a> {
    headings: &'a [&'a Heading],
    findings: Vec<Finding>,
    page_type: &'a str,
}

impl Extra<'_> {
    /// Checks the headings of `scope` (indices into `headings`) against `items`.
    fn section(&mut self, items: &[Item], scope: Range<usize>) {
        let mut entries = Vec::new();
        self.in_force(items, &scope, &mut entries);
        if entries.is_empty() {
            return;
        }
        let mut uses = vec![0usize; entries.len()];
        let mut i = scope.start;
        while i < scope.end {
            let heading = self.headings[i];
            let end = (i + 1..scope.end)
                .find(|&j| self.headings[j].level <= heading.level)
                .unwrap_or(scope.end);
            if !entries.iter().any(|e| e.level == heading.level) {
                i += 1;
                continue;
            }
            let found = entries
                .iter()
                .position(|e| e.level == heading.level && e.matches(&heading.text));
            match found {
                Some(e) => {
                    uses[e] += 1;
                    if uses[e] > 1 && !entries[e].allow_multiple {
                        self.findings.push(Finding::new(
                            Rule::HeadingNotInOutline,
                            heading.span(),
                            format!(
                                "the heading `{}` appears again, but the {} outline allows `{}` once; merge the sections or rename one",
                                render(heading),
                                self.page_type,
                                entries[e].title
                            ),
                        ));
                    }
                    if !entries[e].children.is_empty() {
                        self.section(&entries[e].children, i + 1..end);
                        i = end;
                        continue;
                    }
                }
                None if entries.iter().any(|e| near(e, heading)) => {}
                None => self.report_extra(heading, &entries),
            }
            i += 1;
        }
    }

    fn report_extra(&mut self, heading: &Heading, entries: &[&Expected]) {
        let listed: Vec<String> = entries
            .iter()
            .filter(|e| e.level == heading.level)
            .map(|e| format!("`{} {}`", "#".repeat(usize::from(e.level)), e.title))
            .collect();
        self.findings.push(
            Finding::new(
                Rule::HeadingNotInOutline,
                heading.span(),
                format!(
                    "the heading `{}` matches no heading the {} outline allows at level {}",
                    render(heading),
                    self.page_type,
                    heading.level
                ),
            )
            .with_help(if heading.text.contains('\u{a0}') {
                "the heading contains a non-breaking space, which no outline pattern matches; write a plain space".to_string()
            } else {
                format!("the outline allows {}", listed.join(", "))
            }),
        );
    }

    /// The entries `items` put in force in `scope`: headings, the parts of an `AND`, and the
    /// alternatives of an `OR` that match a heading of the scope.
    fn in_force<'i>(&self, items: &'i [Item], scope: &Range<usize>, out: &mut Vec<&'i Expected>) {
        for item in items {
            match item {
                Item::Heading(expected) => out.push(expected),
                Item::AllOf(parts) => self.in_force(parts, scope, out),
                Item::AnyOf(alternatives) => {
                    for alternative in alternatives {
                        let mut entries = Vec::new();
                        self.in_force(std::slice::from_ref(alternative), scope, &mut entries);
                        let chosen = entries.iter().any(|e| {
                            scope.clone().any(|i| {
                                let h = self.headings[i];
                                h.level == e.level && e.matches(&h.text)
                            })
                        });
                        if chosen {
                            out.extend(entries);
                        }
                    }
                }
            }
        }
    }
}

/// Whether a heading is an entry written in another case or misspelt (DL703 reports those).
fn near(expected: &Expected, heading: &Heading) -> bool {
    if expected.level != heading.level || expected.is_pattern() {
        return false;
    }
    let (text, title) = (heading.text.to_lowercase(), expected.title.to_lowercase());
    text == title || strsim::osa_distance(&text, &title) < 3
}
