//! DL405 link-definition-unused: reference definitions no link of the page uses, with the fix
//! that deletes their lines.

use std::ops::Range;

use super::Context;
use crate::diagnostic::Finding;
use crate::docset::resolve::{Resolver, Target};
use crate::document::Document;
use crate::fix::{line_at, line_before, own_lines, Fix, TextEdit};
use crate::rule::Rule;

/// Reports each definition no link of the page uses.
pub fn unused(cx: &mut Context<'_>, resolver: &Resolver<'_>) {
    let doc = cx.doc;
    let unused: Vec<_> = doc.link_definitions().iter().filter(|d| !d.used).collect();
    let deletions = deletions(doc, unused.iter().map(|d| d.span.clone()));
    for (definition, deletion) in unused.into_iter().zip(deletions) {
        let mut help = format!(
            "use it as `[text][{}]`, or delete the line",
            definition.label
        );
        if let Target::Missing { .. } = resolver.resolve(doc, &definition.dest) {
            help.push_str(&format!(
                " (its target `{}` does not exist either)",
                definition.dest
            ));
        }
        let mut finding = Finding::new(
            Rule::LinkDefinitionUnused,
            definition.span.clone(),
            format!(
                "link definition `[{}]` is never used on the page",
                definition.label
            ),
        )
        .with_help(help);
        if let Some(lines) = deletion {
            finding = finding.with_fix(Fix::safe(
                format!("delete the definition of `[{}]`", definition.label),
                vec![TextEdit::delete(lines)],
            ));
        }
        cx.report(finding);
    }
}

/// For each definition (in page order), the text that deleting it removes: its own lines, when
/// nothing else stands on them and they are not indented (inside a list or quote, a line's
/// meaning depends on its neighbours). A run of deleted definitions between blank lines would
/// leave two blank lines, so its last definition also takes the blank line after it, unless
/// what follows could then join an earlier definition of the run that stays (an indented line,
/// or one starting like a link title); a single definition at the end of the page takes the
/// blank line before it.
fn deletions(
    doc: &Document,
    spans: impl Iterator<Item = Range<usize>>,
) -> Vec<Option<Range<usize>>> {
    let text = doc.text.as_str();
    let mut lines: Vec<Option<Range<usize>>> = spans
        .map(|span| own_lines(text, span.clone()).filter(|lines| lines.start == span.start))
        .collect();
    let blank = |range: &Range<usize>| text[range.clone()].trim().is_empty();
    let mut i = 0;
    while i < lines.len() {
        let Some(first) = lines[i].clone() else {
            i += 1;
            continue;
        };
        // The run: definitions whose lines follow each other.
        let mut last = i;
        while let Some(Some(next)) = lines.get(last + 1) {
            match &lines[last] {
                Some(current) if current.end == next.start => last += 1,
                _ => break,
            }
        }
        let end = lines[last].as_ref().map_or(first.end, |l| l.end);
        let before_is_blank = line_before(text, first.start).is_some_and(|l| blank(&l));
        if before_is_blank {
            match line_at(text, end) {
                Some(after) if blank(&after) => {
                    let joins = line_at(text, after.end)
                        .is_some_and(|l| text[l].starts_with([' ', '\t', '"', '\'', '(']));
                    if !joins {
                        if let Some(l) = lines[last].as_mut() {
                            l.end = after.end;
                        }
                    }
                }
                None if last == i => {
                    if let (Some(before), Some(l)) =
                        (line_before(text, first.start), lines[i].as_mut())
                    {
                        l.start = before.start;
                    }
                }
                _ => {}
            }
        }
        i = last + 1;
    }
    lines
}
