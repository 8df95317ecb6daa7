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
use crate::files::Folders;
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
///
/// Pages whose text was dropped after the parse get it back first: the pages other pages'
/// checks read before any check runs, the others batch by batch. A page whose file cannot be
/// read again as it was parsed is reported as an unreadable file instead of checked. The files
/// of a batch are read while the batch before it is checked: a thread that has no page of
/// that batch left to check reads files instead of waiting for the batch's last pages.
pub(super) fn lint(
    index: &mut Index,
    settings: &Settings,
    quote: bool,
) -> (Vec<Vec<Diagnostic>>, usize) {
    let shared = index.shared_documents(settings);
    let linted = std::mem::take(&mut index.linted);
    let shared_pages: Vec<usize> = (0..shared.len()).filter(|&d| shared[d]).collect();
    let read = read_texts_again(index, &shared_pages);
    let mut unreadable = put_texts_back(index, read);
    let mut per_page = Vec::with_capacity(linted.len());
    let mut suppressed = 0;
    let batches: Vec<&[usize]> = linted.chunks(BATCH).collect();
    let mut next = match batches.first() {
        Some(batch) => read_texts_again(index, batch),
        None => Vec::new(),
    };
    for (k, batch) in batches.iter().enumerate() {
        unreadable.extend(put_texts_back(index, std::mem::take(&mut next)));
        let checked = &*index;
        let unreadable = &unreadable;
        let (results, read): (Vec<(Vec<Diagnostic>, usize)>, _) = rayon::join(
            || {
                batch
                    .par_iter()
                    .map(|&d| {
                        let mut result = match unreadable.iter().find(|(u, _)| *u == d) {
                            Some((_, why)) => {
                                (vec![unreadable_page(&checked.documents[d], why)], 0)
                            }
                            None => lint_page(checked, settings, d),
                        };
                        // Held until the run ends: a list grown from empty has room for four
                        // at least, and most pages have fewer (Graph: 15,000 empty slots).
                        result.0.shrink_to_fit();
                        // The anchors a freed page keeps are worked out here, side by side
                        // (they read the page and the pages it includes, which are never
                        // freed).
                        if !shared[d] {
                            checked.anchors(d);
                        }
                        result
                    })
                    .collect()
            },
            || match batches.get(k + 1) {
                Some(following) => read_texts_again(checked, following),
                None => Vec::new(),
            },
        );
        next = read;
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

/// A page's text read from its file again, or why it could not be (see
/// [`Document::read_text_again`]).
type ReadAgain = (usize, Result<String, String>);

/// The texts of `pages` that were dropped after the parse, read from their files side by side.
fn read_texts_again(index: &Index, pages: &[usize]) -> Vec<ReadAgain> {
    let documents = &index.documents;
    pages
        .par_iter()
        .filter(|&&d| documents[d].text_dropped())
        // Each run of pages read on one thread opens them in their folders.
        .map_init(Folders::default, |folders, &d| {
            let text = documents[d].read_text_again(folders);
            (d, text.map(Option::unwrap_or_default))
        })
        .collect()
}

/// Puts back the texts read by [`read_texts_again`]; returns the pages whose file could not be
/// read again as it was, with why.
fn put_texts_back(index: &mut Index, read: Vec<ReadAgain>) -> Vec<(usize, String)> {
    let mut unreadable = Vec::new();
    for (d, text) in read {
        match text {
            Ok(text) => index.documents[d].put_text_back(text),
            Err(why) => unreadable.push((d, why)),
        }
    }
    unreadable
}

/// The diagnostic of a page whose file could not be read again for its checks: that of a file
/// that cannot be read.
fn unreadable_page(doc: &Document, why: &str) -> Diagnostic {
    super::load::file_problem(
        Rule::FileUnreadable,
        &doc.path(),
        &format!("cannot read the file: {why}"),
    )
}

/// The diagnostics of several lists in one, in report order, as a stable sort of the lists
/// one after the other gives them (equal ones keep their order). Each list is sorted on its
/// own, side by side, and cut where its path changes; the pieces — most are one page's
/// diagnostics — are put in path order and joined, and only pieces of one path from
/// different lists are merged by the whole order. The result is sized once: a list grown by
/// doubling would hold up to twice their memory while every page is still in memory.
pub(super) fn sorted(mut lists: Vec<Vec<Diagnostic>>) -> Vec<Diagnostic> {
    let by_key = |a: &Diagnostic, b: &Diagnostic| a.sort_key().cmp(&b.sort_key());
    lists.par_iter_mut().for_each(|list| list.sort_by(by_key));
    let total = lists.iter().map(Vec::len).sum();
    // Sorted by path first, a list holds one path when its first and last do.
    let mut pieces: Vec<Vec<Diagnostic>> = Vec::with_capacity(lists.len());
    for list in lists {
        match (list.first(), list.last()) {
            (None, _) => {}
            (Some(first), Some(last)) if first.location.path == last.location.path => {
                pieces.push(list);
            }
            _ => {
                let own = pieces.len();
                for diagnostic in list {
                    match pieces[own..].last_mut() {
                        Some(piece) if piece[0].location.path == diagnostic.location.path => {
                            piece.push(diagnostic);
                        }
                        _ => pieces.push(vec![diagnostic]),
                    }
                }
            }
        }
    }
    // Stable, and the pieces come nearly in path order already (the linted pages are sorted
    // by path components, which differs from the text's order only around `/`).
    pieces.sort_by(|a, b| a[0].location.path.cmp(&b[0].location.path));
    let mut all = Vec::with_capacity(total);
    let mut rest = pieces.into_iter().peekable();
    while let Some(piece) = rest.next() {
        let start = all.len();
        all.extend(piece);
        let mut merged = false;
        while let Some(next) = rest.next_if(|p| p[0].location.path == all[start].location.path) {
            all.extend(next);
            merged = true;
        }
        if merged {
            all[start..].sort_by(by_key);
        }
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
    let findings = rules::check_document(doc, Some(d), index, settings, &levels);
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
/// the report; with `quote` false (the report quotes no text, see [`lint`]) the report holds
/// no sources.
pub(super) fn finish(
    mut index: Index,
    lists: Vec<Vec<Diagnostic>>,
    scenarios: Vec<ScenarioSource>,
    quote: bool,
) -> Report {
    // The checked files: the linted pages and scenario files (listed while the diagnostics
    // are sorted), and the files that could not be read or parsed.
    let (diagnostics, mut checked) = rayon::join(
        || sorted(lists),
        || -> Vec<String> {
            index
                .linted
                .par_iter()
                .map(|&d| index.documents[d].display().to_string())
                .chain(scenarios.par_iter().map(|s| s.display.clone()))
                .collect()
        },
    );
    checked.extend(
        diagnostics
            .iter()
            .filter(|d| d.file.is_none())
            .map(|d| d.location.path.clone()),
    );
    let files = index.linted.len() + scenarios.len();
    // The texts move to the report while the checked files are sorted; the rest of the index
    // goes with it too, so that freeing it is the caller's choice (the command line exits
    // without freeing).
    let mut sources = Vec::new();
    rayon::join(
        || {
            // Equal names are the same text, so an unstable sort gives the same list.
            checked.par_sort_unstable();
            checked.dedup();
        },
        || {
            if quote {
                index
                    .documents
                    .par_iter_mut()
                    .map(|d| Source {
                        display: d.display().to_string(),
                        text: std::mem::take(&mut d.text),
                    })
                    .collect_into_vec(&mut sources);
            }
        },
    );
    if quote {
        sources.extend(scenarios.into_iter().map(|s| Source {
            display: s.display,
            text: s.text,
        }));
    }
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

/// Turns a finding into a diagnostic: name, severity, positions, fingerprint.
fn resolve(doc: &Document, file: usize, mut finding: Finding, severity: Severity) -> Diagnostic {
    let fix = finding.fix.take().map(|fix| Box::new(place_fix(doc, fix)));
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
            Place::Page(d, at) => at.related(index.documents[d].display(), message),
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
    /// their order, as a stable sort of the lists one after the other leaves them: lists of
    /// one path (a page's) and of several (the run's problems), paths in several lists, ties
    /// within a list and across lists, empty lists.
    #[test]
    fn sorting_lists_is_a_stable_sort_of_their_concatenation() {
        let mut seed = 7u64;
        let mut next = |n: u64| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) % n
        };
        for round in 0..200 {
            let mut lists = Vec::new();
            for l in 0..next(8) {
                let single = next(2) == 0;
                let path = next(6);
                let mut list = Vec::new();
                for i in 0..next(7) {
                    let path = if single { path } else { next(6) };
                    let name = format!("p{path}.md");
                    let mut d = file_problem(Rule::FileUnreadable, Path::new(&name), "m");
                    d.location.line = u32::try_from(next(3)).unwrap();
                    // Ties differ only in their fingerprint, which the order does not read.
                    d.fingerprint = format!("{round}/{l}/{i}");
                    list.push(d);
                }
                lists.push(list);
            }
            let mut expected: Vec<Diagnostic> = lists.concat();
            expected.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
            let fingerprints = |list: &[Diagnostic]| -> Vec<String> {
                list.iter().map(|d| d.fingerprint.clone()).collect()
            };
            assert_eq!(
                fingerprints(&sorted(lists)),
                fingerprints(&expected),
                "round {round}"
            );
        }
    }

    /// Loads the pages `names` of the folder `root` (a doc set of default settings), dropping
    /// the texts it can when `drop_texts`; calls `between` once they are loaded; builds the index
    /// and checks every page.
    fn load_and_lint(
        root: &Path,
        names: &[&str],
        drop_texts: bool,
        between: impl FnOnce(&[Document]),
    ) -> Vec<Vec<Diagnostic>> {
        use crate::docset::{DocSets, Files, Input};
        use crate::pipeline::load::{load_pages, DropTexts, Pages};

        let settings = Settings::defaults(root.to_path_buf());
        let paths: Vec<std::path::PathBuf> = names.iter().map(|n| root.join(n)).collect();
        let files: Vec<&std::path::PathBuf> = paths.iter().collect();
        let linted = paths.iter().map(|p| p.as_os_str()).collect();
        let files_list = Files::new(names.iter().map(|n| n.to_string()).collect());
        let docsets = DocSets::discover(&settings, &files_list).unwrap();
        let Pages {
            documents,
            linted,
            contributions,
            problems,
        } = load_pages(
            &files,
            &linted,
            &crate::paths::Root::new(root),
            &Default::default(),
            &Default::default(),
            drop_texts.then_some(DropTexts {
                docsets: &docsets,
                files: &files_list,
            }),
        );
        assert!(problems.is_empty());
        between(&documents);
        let mut index = Index::build(Input {
            root: root.to_path_buf(),
            files: files_list,
            docsets,
            documents,
            contributions,
            yaml_pages: Vec::new(),
            linted,
            complete: true,
            settings: &settings,
            repositories: Default::default(),
            orphans: false,
        });
        lint(&mut index, &settings, true).0
    }

    /// A checked page drops its text after the parse and gets it back for its checks, which
    /// then find what they find with the text kept; a page whose file changed in between is
    /// reported as a file that cannot be read, not checked.
    #[test]
    fn a_page_changed_between_parse_and_checks_is_reported_not_checked() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        let names = ["a.md", "b.md"];
        for name in names {
            let text = "# Title\n\nSee [the page](missing.md) and [this](#nowhere).\n";
            std::fs::write(root.join(name), text).unwrap();
        }
        let kept = load_and_lint(&root, &names, false, |documents| {
            assert!(documents.iter().all(|d| !d.text_dropped()));
        });
        let dropped = load_and_lint(&root, &names, true, |documents| {
            assert!(documents.iter().all(Document::text_dropped));
            std::fs::write(root.join(names[1]), "# Changed\n").unwrap();
        });
        assert!(!kept[0].is_empty());
        assert_eq!(format!("{:?}", dropped[0]), format!("{:?}", kept[0]));
        let [problem] = &dropped[1][..] else {
            panic!("one diagnostic expected: {:?}", dropped[1]);
        };
        assert_eq!(problem.rule, Rule::FileUnreadable);
        assert_eq!(
            problem.message,
            "cannot read the file: it changed while doclint was running"
        );
    }

    /// The files of a batch are read again while the batch before it is checked: over several
    /// batches every page gets its own text back, and a page of a later batch whose file
    /// changed after the parse is reported, not checked.
    #[test]
    fn pages_of_every_batch_get_their_own_text_back() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        let names: Vec<String> = (0..2 * BATCH + 3).map(|i| format!("p{i:04}.md")).collect();
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        for (i, name) in names.iter().enumerate() {
            // Each page's own missing link, so that a page checked against another's text
            // would show.
            let text = format!("# Page {i}\n\nSee [the page](missing-{i}.md).\n");
            std::fs::write(root.join(name), text).unwrap();
        }
        let changed = BATCH + 7;
        let kept = load_and_lint(&root, &names, false, |_| {});
        let dropped = load_and_lint(&root, &names, true, |documents| {
            assert!(documents.iter().all(Document::text_dropped));
            std::fs::write(root.join(names[changed]), "# Changed\n").unwrap();
        });
        assert_eq!(kept.len(), names.len());
        for (i, (kept, dropped)) in kept.iter().zip(&dropped).enumerate() {
            if i == changed {
                assert_eq!(dropped.len(), 1);
                assert_eq!(dropped[0].rule, Rule::FileUnreadable);
            } else {
                assert!(!kept.is_empty());
                assert_eq!(format!("{kept:?}"), format!("{dropped:?}"), "page {i}");
            }
        }
    }

    /// Pages that define types and enums drop their text too: the registry takes what they
    /// define from their contributions, and the checks of the pages that use the types, and
    /// their own, find what they find with the texts kept.
    #[test]
    fn pages_that_define_types_drop_their_text_and_find_the_same() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        let resource = |name: &str, body: &str| {
            format!(
                "<!-- {{ \"blockType\": \"resource\", \"@odata.type\": \"microsoft.graph.{name}\" }} -->\n```json\n{body}\n```\n"
            )
        };
        let widget = format!(
            "# widget resource type\n\nNamespace: microsoft.graph\n\nA widget. Inherits from [entity](entity.md).\n\n## Properties\n\n| Property | Type | Description |\n|:--|:--|:--|\n| displayName | String | The name. |\n| size | widgetSize | The size. |\n\n### widgetSize values\n\n| Member | Description |\n|:--|:--|\n| small | Small. |\n| large | Large. |\n\n## JSON representation\n\n{}",
            resource("widget", "{ \"displayName\": \"String\", \"size\": \"String\" }")
        );
        let pages = [
            ("resources/widget.md", widget),
            (
                "resources/entity.md",
                format!(
                    "# entity resource type\n\n## Properties\n\n| Property | Type | Description |\n|:--|:--|:--|\n| id | String | The id. |\n\n{}",
                    resource("entity", "{ \"id\": \"String\" }")
                ),
            ),
            (
                "resources/widget-copy.md",
                format!("# widget\n\n{}", resource("widget", "{ \"id\": \"String\" }")),
            ),
            (
                "api/widget-get.md",
                "# Get widget\n\n## Example\n\n<!-- { \"blockType\": \"request\", \"name\": \"get_widget\" } -->\n```http\nGET https://graph.microsoft.com/v1.0/widgets/7\n```\n\n<!-- { \"blockType\": \"response\", \"@odata.type\": \"microsoft.graph.widget\" } -->\n```http\nHTTP/1.1 200 OK\nContent-type: application/json\n\n{ \"id\": \"7\", \"displayName\": 5, \"size\": \"huge\", \"colour\": \"blue\" }\n```\n".to_string(),
            ),
        ];
        std::fs::create_dir_all(root.join("resources")).unwrap();
        std::fs::create_dir_all(root.join("api")).unwrap();
        for (name, text) in &pages {
            std::fs::write(root.join(name), text).unwrap();
        }
        let names: Vec<&str> = pages.iter().map(|(name, _)| *name).collect();
        let kept = load_and_lint(&root, &names, false, |_| {});
        let dropped = load_and_lint(&root, &names, true, |documents| {
            assert!(documents.iter().all(Document::text_dropped));
        });
        assert_eq!(format!("{dropped:?}"), format!("{kept:?}"));
        let related: Vec<&str> = kept
            .iter()
            .flatten()
            .flat_map(|d| &d.related)
            .map(|r| r.location.path.as_str())
            .collect();
        for page in ["resources/widget.md", "resources/widget-copy.md"] {
            assert!(related.iter().any(|p| p.ends_with(page)), "{related:?}");
        }
    }
}
