//! Checking the parsed pages: the rule families run over the linted pages in parallel
//! batches, findings become diagnostics with positions and fixes, suppressions apply, and the
//! diagnostics are sorted into report order.

use rayon::prelude::*;

use crate::config::Settings;
use crate::diagnostic::{
    CheckedText, Diagnostic, Edit, Finding, Level, Related, ReportedFix, Severity,
};
use crate::docset::scenario_files::ScenarioSource;
use crate::docset::Index;
use crate::document::Document;
use crate::fix::Fix;
use crate::report::{Report, Source};
use crate::rule::Rule;
use crate::rules::scenarios::Place;
use crate::{rules, suppressions};

/// How many pages are checked side by side before the pages no other page reads are freed.
const BATCH: usize = 256;

/// Runs the rule families over the linted pages, in parallel batches, resolves their findings
/// and applies each page's suppressions: the diagnostics of each page, and how many
/// diagnostics those silenced. After each batch, the pages no other page's checks read are
/// freed (their text is kept when they have diagnostics and `quote`, for the report to quote).
pub(super) fn lint(
    index: &mut Index,
    settings: &Settings,
    quote: bool,
) -> (Vec<Vec<Diagnostic>>, usize) {
    let shared = index.shared_documents(settings);
    let linted = std::mem::take(&mut index.linted);
    let mut per_page = Vec::with_capacity(linted.len());
    let mut suppressed = 0;
    for batch in linted.chunks(BATCH) {
        let checked = &*index;
        let results: Vec<(Vec<Diagnostic>, usize)> = batch
            .par_iter()
            .map(|&d| {
                let result = lint_page(checked, settings, d);
                // The anchors a freed page keeps are worked out here, side by side (they
                // read the page and the pages it includes, which are never freed).
                if !shared[d] {
                    checked.anchors(d);
                }
                result
            })
            .collect();
        let mut freed = Vec::new();
        for (&d, (diagnostics, silenced)) in batch.iter().zip(results) {
            if !shared[d] {
                freed.push(index.release(d, quote && !diagnostics.is_empty()));
            }
            suppressed += silenced;
            per_page.push(diagnostics);
        }
        // A page's model is many small allocations: freed side by side too.
        freed.into_par_iter().for_each(drop);
    }
    index.linted = linted;
    (per_page, suppressed)
}

/// The diagnostics of several lists in one, sized once: a list grown by doubling would hold
/// up to twice their memory while every page is still in memory.
pub(super) fn concat(lists: Vec<Vec<Diagnostic>>) -> Vec<Diagnostic> {
    let mut all = Vec::with_capacity(lists.iter().map(Vec::len).sum());
    for list in lists {
        all.extend(list);
    }
    all
}

/// Runs the rule families over document `d` of the index, resolves its findings and applies
/// the page's suppressions; also returns how many diagnostics those silenced.
pub(crate) fn lint_page(index: &Index, settings: &Settings, d: usize) -> (Vec<Diagnostic>, usize) {
    let doc = &index.documents[d];
    let docset = index.docsets.get(index.docset_of(d));
    let levels = settings.levels.for_page(doc.docset_path(), &docset.name);
    // ApiDoctor's `treatErrorsAsWarningsWorkloads`: the doc set's own policy for these pages.
    let errors_as_warnings = docset
        .apidoctor
        .treats_errors_as_warnings(doc.docset_path());
    let resolve_finding = |f: Finding| {
        let level = if f.rule == Rule::InternalError {
            Level::On(Severity::Error)
        } else {
            levels.get(f.rule)
        };
        match level {
            Level::Off => None,
            Level::On(Severity::Error) if errors_as_warnings && f.rule != Rule::InternalError => {
                Some(resolve(doc, d, f, Severity::Warning))
            }
            Level::On(severity) => Some(resolve(doc, d, f, severity)),
        }
    };
    let findings = rules::check_document(doc, index, settings, &levels);
    let diagnostics: Vec<Diagnostic> = findings.into_iter().filter_map(resolve_finding).collect();
    // A bug in the suppression stage must not lose the page's diagnostics either: what the
    // suppressions do is worked out first, and applied only once that succeeded.
    match crate::guard::catch(|| {
        suppressions::silencing(doc, &diagnostics, &levels, resolve_finding)
    }) {
        Ok(silencing) => {
            let suppressed = silencing.suppressed;
            (silencing.apply(diagnostics), suppressed)
        }
        Err(panic) => {
            let message = format!("internal error while applying suppressions ({panic}); the page's findings are reported unsuppressed");
            let mut all = diagnostics;
            all.extend(resolve_finding(Finding::new(
                Rule::InternalError,
                0..0,
                message,
            )));
            (all, 0)
        }
    }
}

/// Sorts the diagnostics and hands the page texts, then the scenario files' texts, over to
/// the report.
pub(super) fn finish(
    index: Index,
    mut diagnostics: Vec<Diagnostic>,
    scenarios: Vec<ScenarioSource>,
) -> Report {
    sort(&mut diagnostics);
    // The checked files: the linted pages and scenario files, and the files that could not be
    // read or parsed.
    let mut checked: Vec<String> = index
        .linted
        .iter()
        .map(|&d| index.documents[d].display().to_string())
        .chain(scenarios.iter().map(|s| s.display.clone()))
        .chain(
            diagnostics
                .iter()
                .filter(|d| d.file.is_none())
                .map(|d| d.location.path.clone()),
        )
        .collect();
    checked.sort();
    checked.dedup();
    let files = index.linted.len() + scenarios.len();
    let mut index = index;
    // The texts move to the report; the rest of the index goes with it too, so that freeing
    // it is the caller's choice (the command line exits without freeing).
    let sources = index
        .documents
        .iter_mut()
        .map(|d| Source {
            display: d.display().to_string(),
            text: std::mem::take(&mut d.text),
        })
        .chain(scenarios.into_iter().map(|s| Source {
            display: s.display,
            text: s.text,
        }))
        .collect();
    Report {
        diagnostics,
        sources,
        files,
        checked,
        suppressed: 0,
        stale_baseline: None,
        elapsed: Default::default(),
        phases: Vec::new(),
        index: Some(Box::new(index)),
    }
}

/// Sorts diagnostics into report order, keeping the order of equal ones. A list of positions
/// is sorted, then the diagnostics are moved into place: sorting them directly would take
/// scratch space for half of them or more while every page is still in memory.
fn sort(diagnostics: &mut [Diagnostic]) {
    let mut order: Vec<usize> = (0..diagnostics.len()).collect();
    order.sort_by(|&a, &b| diagnostics[a].sort_key().cmp(&diagnostics[b].sort_key()));
    // Position `k` takes the diagnostic at `order[k]`: each cycle of the permutation is
    // followed once, a placed position marked by pointing at itself.
    for start in 0..order.len() {
        let mut k = start;
        while order[k] != start {
            let next = order[k];
            diagnostics.swap(k, next);
            order[k] = k;
            k = next;
        }
        order[k] = k;
    }
}

/// Turns a finding into a diagnostic: name, severity, positions, fingerprint.
fn resolve(doc: &Document, file: usize, mut finding: Finding, severity: Severity) -> Diagnostic {
    let fix = finding.fix.take().map(|fix| place_fix(doc, fix));
    Diagnostic {
        source: fix.is_some().then(|| doc.path()),
        fix,
        ..doc.checked_text().diagnostic(file, finding, severity)
    }
}

/// Lints ApiDoctor's scenario files (DL322, DL323); their report sources follow the pages'.
pub(super) fn lint_scenarios(
    index: &Index,
    settings: &Settings,
    files: &[ScenarioSource],
) -> Vec<Diagnostic> {
    if files.is_empty() {
        return Vec::new();
    }
    let parsed = files.iter().filter_map(|f| f.parsed.as_ref().ok());
    let names = rules::scenarios::Names::new(index, parsed);
    let mut diagnostics = Vec::new();
    for (i, file) in files.iter().enumerate() {
        let docset = index.docsets.get(index.docsets.of(&file.docset_path));
        let levels = settings.levels.for_page(&file.docset_path, &docset.name);
        let text = CheckedText {
            display: &file.display,
            text: &file.text,
            lines: &file.lines,
        };
        let related = |place: Place, message: String| match place {
            Place::Page(d, span) => index.documents[d].related(span, message),
            Place::File(span) => Related {
                location: text.location(&span),
                message,
            },
        };
        let findings = match &file.parsed {
            Ok(parsed) => rules::scenarios::check(parsed, &names, &related),
            Err(error) => vec![rules::scenarios::unparsable(error)],
        };
        for finding in findings {
            if let Level::On(severity) = levels.get(finding.rule) {
                diagnostics.push(text.diagnostic(index.documents.len() + i, finding, severity));
            }
        }
    }
    diagnostics
}

/// A fix's edits with their positions in the page.
fn place_fix(doc: &Document, fix: Fix) -> ReportedFix {
    let edits = fix
        .edits
        .into_iter()
        .map(|edit| Edit {
            location: doc.location(&edit.span),
            new_text: edit.new_text,
            span: edit.span,
        })
        .collect();
    Fix {
        applicability: fix.applicability,
        message: fix.message,
        edits,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    use crate::pipeline::load::file_problem;

    /// Diagnostics are sorted by path, line, column, rule and message, and equal ones keep
    /// their order, as a stable sort of the diagnostics themselves leaves them.
    #[test]
    fn sorting_moves_each_diagnostic_into_place_and_keeps_ties_in_order() {
        let mut diagnostics = Vec::new();
        for i in 0..40u32 {
            let path = format!("p{}.md", (i * 7) % 5);
            let mut d = file_problem(Rule::FileUnreadable, Path::new(&path), "m");
            d.location.line = (i * 3) % 4;
            // Ties differ only in their fingerprint, which the order does not look at.
            d.fingerprint = i.to_string();
            diagnostics.push(d);
        }
        let mut expected = diagnostics.clone();
        expected.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        sort(&mut diagnostics);
        let fingerprints = |list: &[Diagnostic]| -> Vec<String> {
            list.iter().map(|d| d.fingerprint.clone()).collect()
        };
        assert_eq!(fingerprints(&diagnostics), fingerprints(&expected));
    }
}
