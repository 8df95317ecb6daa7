//! The run: discover files, parse them in parallel, build the index, run the rules in parallel,
//! turn findings into sorted diagnostics.

use std::collections::HashMap;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;

use crate::config::describe::Description;
use crate::config::{LoadOptions, Settings};
use crate::diagnostic::{
    fingerprint, CheckedText, Diagnostic, Edit, Finding, Level, Location, Related, ReportedFix,
    Severity,
};
use crate::docset::scenario_files::ScenarioSource;
use crate::docset::{self, DocSets, Files, Index, Repositories, ScopeUsage};
use crate::document::Document;
use crate::fix::Fix;
use crate::report::baseline::Baseline;
use crate::report::{Report, Source};
use crate::rule::Rule;
use crate::rules::scenarios::Place;
use crate::source::saturating_u32;
use crate::{diff, paths, rules, suppressions, walk};

mod error;
pub use error::RunError;

/// What to check and how.
#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    /// Configuration options.
    pub load: LoadOptions,
    /// Files and directories to check (default `.`).
    pub paths: Vec<PathBuf>,
    /// Worker threads (0: one per core).
    pub threads: usize,
    /// Excluded paths stay excluded when named explicitly.
    pub force_exclude: bool,
    /// With named files, still load the whole doc set and run the doc-set-wide rules.
    pub whole_docset: bool,
    /// A baseline file: the diagnostics it records are hidden (`--baseline`).
    pub baseline: Option<PathBuf>,
    /// Report only diagnostics on lines changed since `git merge-base REF HEAD` (`--diff-base`).
    pub diff_base: Option<String>,
    /// Texts that stand in for files on disk, by the path the walk finds them at: pages fixed
    /// in memory (`--diff`, and `--fix` between rounds).
    pub overlay: HashMap<PathBuf, String>,
    /// The report quotes no page text (no human output is asked for): a checked page's text is
    /// freed with the rest of its model, even when it has diagnostics.
    pub without_sources: bool,
}

/// What a run knows before it reads a page: its settings, every file under the root and the
/// problems met walking it, and the doc sets.
pub struct Prepared {
    /// The settings.
    pub settings: Settings,
    /// Every file under the root, as found on disk.
    pub root_files: Vec<PathBuf>,
    /// The paths that could not be walked, with why.
    pub problems: Vec<(PathBuf, String)>,
    /// Every file under the root, by path relative to it.
    pub files: Files,
    /// The doc sets.
    pub docsets: DocSets,
}

/// Loads the settings for a run, walks the root and finds the doc sets (reading their DocFX
/// and ApiDoctor configuration).
pub fn prepare(options: &CheckOptions) -> Result<Prepared, RunError> {
    let paths = checked_paths(options)?;
    let settings = Settings::load(&options.load, &paths)?;
    let (root_files, problems) = walk::files_under(&settings.root, options.threads);
    let files = checkout_files(&settings.root, &root_files);
    let docsets = DocSets::discover(&settings, &files)?;
    Ok(Prepared {
        settings,
        root_files,
        problems,
        files,
        docsets,
    })
}

/// The effective configuration, for `doclint config`.
pub fn describe(options: &CheckOptions) -> Result<Description, RunError> {
    let prepared = prepare(options)?;
    let docsets = prepared.docsets.describe(&prepared.files);
    Ok(Description::new(
        &prepared.settings,
        docsets,
        prepared.docsets.link_ignores.clone(),
        prepared.docsets.redirections.len(),
    ))
}

fn checked_paths(options: &CheckOptions) -> Result<Vec<PathBuf>, RunError> {
    let paths = if options.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        options.paths.clone()
    };
    for path in &paths {
        if std::fs::metadata(path).is_err() {
            return Err(RunError::PathNotFound(path.clone()));
        }
    }
    Ok(paths)
}

/// Checks the paths and returns the report.
pub fn check(options: &CheckOptions) -> Result<Report, RunError> {
    let started = Instant::now();
    let pool = thread_pool(options.threads)?;
    let mut report = pool.install(|| run(options))?;
    report.elapsed = started.elapsed();
    Ok(report)
}

/// The worker threads of a run.
fn thread_pool(threads: usize) -> Result<rayon::ThreadPool, RunError> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(RunError::Threads)
}

/// A page read from disk, or why it could not be.
// The page is not boxed: the pages are collected side by side and then moved into the index's
// list, and 26,000 freed boxes of a page's size would stay as holes in the heap all run long.
#[allow(clippy::large_enum_variant)]
pub(crate) enum Loaded {
    /// The parsed page.
    Page(Document),
    /// Why it could not be read or parsed.
    Problem(Box<Diagnostic>),
}

fn run(options: &CheckOptions) -> Result<Report, RunError> {
    let mut phases = Phases::start();
    let Prepared {
        settings,
        root_files,
        problems: root_problems,
        files,
        docsets,
    } = prepare(options)?;
    let paths = checked_paths(options)?;
    let root = settings.root.clone();
    let filters = Filters::load(options, &root)?;

    // Which pages are linted: pages under the checked directories that are not excluded, and
    // named files (excluded ones only without --force-exclude).
    let mut linted: Vec<PathBuf> = Vec::new();
    let mut walk_problems = Vec::new();
    let ignored = walk::DoclintIgnore::load(&root, &root_files);
    let excluded = |path: &Path| {
        let relative = docset_path(&root, path);
        !docsets.lints(&relative, &settings) || ignored.excludes(path)
    };
    // A named file inside the root that no doc set publishes (a README outside the DocFX
    // content) is a link target, not a page: the directory run does not lint it either.
    let published = |path: &Path| {
        !paths::is_within(path, &root) || docsets.publishes(&docset_path(&root, path))
    };
    // ApiDoctor's test-scenario files (JSON files inside the root), unless ApiDoctor's
    // configuration is not imported; excluded as pages are.
    let mut scenario_candidates: Vec<PathBuf> = Vec::new();
    let scenario_json = |path: &Path| {
        settings.import_apidoctor
            && paths::is_within(path, &root)
            && docset::scenario_files::is_candidate(path)
    };
    let scenario_excluded =
        |path: &Path| settings.excludes(&docset_path(&root, path)) || ignored.excludes(path);
    for path in &paths {
        let absolute = std::fs::canonicalize(path).unwrap_or_else(|_| path.clone());
        if absolute.is_dir() {
            // Every file of the doc set is looked at: side by side.
            let files: Vec<PathBuf> = if absolute.starts_with(&root) {
                let under = |p: &PathBuf| paths::is_within(p, &absolute);
                walk_problems.extend(root_problems.iter().filter(|(p, _)| under(p)).cloned());
                root_files
                    .par_iter()
                    .filter(|f| under(f))
                    .cloned()
                    .collect()
            } else {
                let (files, problems) = walk::files_under(&absolute, options.threads);
                walk_problems.extend(problems);
                files
            };
            // Each file's doc set, content globs and ignore files are looked up on its own:
            // in parallel, as the walk of a large checkout lists tens of thousands.
            let (scenarios, pages): (Vec<PathBuf>, Vec<PathBuf>) = rayon::join(
                || {
                    files
                        .par_iter()
                        .filter(|f| scenario_json(f) && !scenario_excluded(f))
                        .cloned()
                        .collect()
                },
                || {
                    files
                        .par_iter()
                        .filter(|f| walk::is_page(f) && !excluded(f))
                        .cloned()
                        .collect()
                },
            );
            scenario_candidates.extend(scenarios);
            linted.extend(pages);
        } else if let Some(why) = leaves_root(path, &absolute, &root) {
            walk_problems.push((path.clone(), why));
        } else if scenario_json(&absolute) {
            if !(options.force_exclude && scenario_excluded(&absolute)) {
                scenario_candidates.push(absolute);
            }
        } else if published(&absolute) && !(options.force_exclude && excluded(&absolute)) {
            linted.push(absolute);
        }
    }
    linted.sort();
    linted.dedup();
    scenario_candidates.sort();
    scenario_candidates.dedup();
    let scenario_files = docset::scenario_files::read(&root, &scenario_candidates);
    phases.end("walk");
    // By the bytes of the path: every path here is canonical (walked under a canonical root, or
    // canonicalised when named), and hashing a `Path` parses its components.
    let linted_set: foldhash::HashSet<&OsStr> = linted.iter().map(|p| p.as_os_str()).collect();

    // Parse every page under the root and the other linted pages: the index (include
    // graph, types, anchors) is the whole doc set's even with only named files (pre-commit), so
    // that a named page gets exactly the findings the directory run gives it; only the
    // doc-set-wide rules wait for a full run.
    let named_only = !options.whole_docset && paths.iter().all(|p| !p.is_dir());
    let mut to_parse: Vec<&PathBuf> = root_files.iter().filter(|f| walk::is_page(f)).collect();
    // Named files the walk left out (outside the root, or not regular files) are read too, so
    // that they get their DL903.
    let walked: foldhash::HashSet<&OsStr> = to_parse.iter().map(|p| p.as_os_str()).collect();
    to_parse.extend(linted.iter().filter(|f| !walked.contains(f.as_os_str())));
    let shown = paths::Root::new(&root);
    let policy_includes = docset::policy_includes(&files, &settings);
    let loaded: Vec<(bool, Loaded)> = to_parse
        .par_iter()
        .map(|path| {
            let is_linted = linted_set.contains(path.as_os_str());
            let loaded = if is_linted {
                load(path, &shown, &options.overlay)
            } else {
                load_unchecked(path, &shown, &options.overlay, &policy_includes)
            };
            (is_linted, loaded)
        })
        .collect();
    let yaml_pages = docset::yaml_pages::read(&root, &files);

    let mut documents = Vec::with_capacity(loaded.len());
    let mut linted_docs = Vec::with_capacity(linted.len());
    let mut problems = Vec::new();
    for (is_linted, loaded) in loaded {
        match loaded {
            Loaded::Page(doc) => {
                if is_linted {
                    linted_docs.push(documents.len());
                }
                documents.push(doc);
            }
            Loaded::Problem(diagnostic) if is_linted || diagnostic.rule == Rule::InternalError => {
                problems.push(*diagnostic);
            }
            Loaded::Problem(_) => {}
        }
    }
    // The walk's lists of paths are not read again: freed before the index is built.
    drop((root_files, linted, policy_includes));
    phases.end("parse");
    let repositories = repositories(&settings, options.threads);
    let complete = !named_only;
    let index = Index::build(docset::Input {
        root: root.clone(),
        files,
        docsets,
        documents,
        yaml_pages,
        linted: linted_docs,
        complete,
        settings: &settings,
        repositories,
        orphans: complete && settings.levels.enabled_anywhere(Rule::PageOrphaned),
    });
    phases.end("index");

    // The scenario files name pages' requests: checked while every page is still whole.
    let scenario_diagnostics = lint_scenarios(&index, &settings, &scenario_files);
    let mut index = index;
    let (mut lists, suppressed) = lint(&mut index, &settings, !options.without_sources);
    lists.push(scenario_diagnostics);
    phases.end("lint");
    lists.push(problems);
    lists.push(
        walk_problems
            .into_iter()
            .map(|(path, message)| {
                file_problem(
                    Rule::FileUnreadable,
                    &path,
                    &format!("cannot read the file: {message}"),
                )
            })
            .collect(),
    );
    let diagnostics = concat(lists);
    let mut report = finish(index, diagnostics, scenario_files);
    report.suppressed = suppressed;
    filters.apply(&mut report);
    phases.end("sort");
    report.phases = phases.done;
    Ok(report)
}

/// The files of the cross-repository checkouts the settings name.
pub(crate) fn repositories(settings: &Settings, threads: usize) -> Repositories {
    let mut repositories = Repositories::default();
    for repository in &settings.repositories {
        if let Some(checkout) = &repository.checkout {
            let (files, _) = walk::files_under(checkout, threads);
            let relative = files
                .iter()
                .filter_map(|f| f.strip_prefix(checkout).ok())
                .map(paths::to_slash);
            repositories.add(&repository.name, relative);
        }
    }
    repositories
}

/// The wall time of each phase of a run, for `DOCLINT_TIMINGS`.
struct Phases {
    since: Instant,
    done: Vec<(&'static str, std::time::Duration)>,
}

impl Phases {
    fn start() -> Phases {
        Phases {
            since: Instant::now(),
            done: Vec::new(),
        }
    }

    /// Ends the phase `name` now; the next one starts.
    fn end(&mut self, name: &'static str) {
        let now = Instant::now();
        self.done.push((name, now - self.since));
        self.since = now;
    }
}

/// Why a named file is not read: its name lies inside the doc-set root but a symbolic link
/// leads it outside (`real` is where it leads).
fn leaves_root(named: &Path, real: &Path, root: &Path) -> Option<String> {
    let written = std::path::absolute(named).ok()?;
    let lexically_inside = paths::is_within(&written, root)
        || written
            .parent()
            .and_then(|dir| std::fs::canonicalize(dir).ok())
            .is_some_and(|dir| paths::is_within(&dir, root));
    (lexically_inside && !paths::is_within(real, root)).then(|| {
        format!(
            "it is a symbolic link to {}, outside the doc set; it was not read",
            crate::report::escape::line(&paths::display(real))
        )
    })
}

/// The filters of the last stage, loaded before the run so that a bad baseline or a missing
/// git repository fails fast.
struct Filters {
    baseline: Option<Baseline>,
    changed: Option<diff::ChangedLines>,
}

impl Filters {
    fn load(options: &CheckOptions, root: &Path) -> Result<Filters, RunError> {
        let baseline = options.baseline.as_deref().map(Baseline::load).transpose();
        let changed = options
            .diff_base
            .as_deref()
            .map(|base| diff::ChangedLines::since(base, root))
            .transpose();
        Ok(Filters {
            baseline: baseline.map_err(RunError::Baseline)?,
            changed: changed.map_err(RunError::DiffBase)?,
        })
    }

    /// The baseline hides what it records (on the whole report, so that only entries that
    /// truly no longer occur are stale), then `--diff-base` keeps what the change touched and
    /// every fault of the run itself (an unreadable file, an internal error), which no changed
    /// line can excuse.
    fn apply(&self, report: &mut Report) {
        if let Some(baseline) = &self.baseline {
            let applied = baseline.apply(&mut report.diagnostics);
            report.suppressed += applied.hidden;
            report.stale_baseline = Some(applied.stale);
        }
        if let Some(changed) = &self.changed {
            report.diagnostics.retain(|d| {
                matches!(d.rule, Rule::FileUnreadable | Rule::InternalError) || changed.keeps(d)
            });
        }
    }
}

/// How many pages are checked side by side before the pages no other page reads are freed.
const BATCH: usize = 256;

/// Runs the rule families over the linted pages, in parallel batches, resolves their findings
/// and applies each page's suppressions: the diagnostics of each page, and how many
/// diagnostics those silenced. After each batch, the pages no other page's checks read are
/// freed (their text is kept when they have diagnostics and `quote`, for the report to quote).
fn lint(index: &mut Index, settings: &Settings, quote: bool) -> (Vec<Vec<Diagnostic>>, usize) {
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
fn concat(lists: Vec<Vec<Diagnostic>>) -> Vec<Diagnostic> {
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
    let levels = settings.levels.for_page(&doc.docset_path, &docset.name);
    // ApiDoctor's `treatErrorsAsWarningsWorkloads`: the doc set's own policy for these pages.
    let errors_as_warnings = docset.apidoctor.treats_errors_as_warnings(&doc.docset_path);
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
    // A bug in the suppression stage must not lose the page's diagnostics either.
    let unsuppressed = diagnostics.clone();
    match crate::guard::catch(|| suppressions::apply(doc, diagnostics, &levels, resolve_finding)) {
        Ok(outcome) => (outcome.diagnostics, outcome.suppressed),
        Err(panic) => {
            let message = format!("internal error while applying suppressions ({panic}); the page's findings are reported unsuppressed");
            let mut all = unsuppressed;
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
fn finish(
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
        .map(|&d| index.documents[d].display.clone())
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
            display: d.display.clone(),
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

/// Lints one page given in memory, with the default configuration, as a doc set of its own:
/// for editor integrations, and for tests that feed doclint arbitrary input.
pub fn check_source(name: &str, bytes: &[u8]) -> Report {
    let settings =
        Settings::defaults(std::env::current_dir().unwrap_or_else(|_| PathBuf::from(".")));
    let (documents, diagnostics) = match decode(Path::new(name), bytes.to_vec()) {
        Ok(text) => {
            let parse = || {
                Document::parse(
                    PathBuf::from(name),
                    name.to_string(),
                    name.to_string(),
                    text,
                    false,
                )
            };
            match crate::guard::catch(parse) {
                Ok(doc) => (vec![doc], Vec::new()),
                Err(panic) => (
                    Vec::new(),
                    vec![file_problem(
                        Rule::InternalError,
                        Path::new(name),
                        &format!("internal error while parsing the page ({panic})"),
                    )],
                ),
            }
        }
        Err(problem) => (Vec::new(), vec![*problem]),
    };
    let linted = (0..documents.len()).collect();
    let files = Files::new(vec![name.to_string()]);
    let docsets = DocSets::discover(&settings, &files)
        .expect("a page alone has no configuration to get wrong");
    let index = Index::build(docset::Input {
        root: settings.root.clone(),
        files,
        docsets,
        documents,
        yaml_pages: Vec::new(),
        linted,
        complete: true,
        settings: &settings,
        repositories: Repositories::default(),
        orphans: false,
    });
    let mut index = index;
    let (mut lists, suppressed) = lint(&mut index, &settings, true);
    lists.push(diagnostics);
    let all = concat(lists);
    let mut report = finish(index, all, Vec::new());
    report.suppressed = suppressed;
    report
}

/// The scopes used in the permission tables of the doc set the options point at, for
/// `doclint scopes`: every page under the root is parsed, no rule runs.
pub fn scope_usage(options: &CheckOptions) -> Result<ScopeUsage, RunError> {
    let (_, index) = load_docset(options)?;
    Ok(index.permissions.usage)
}

/// The settings and the index of the doc set the options point at, with its permission
/// tables: every page under the root is parsed, no rule runs. Runs on a pool of
/// `options.threads` threads.
pub fn load_docset(options: &CheckOptions) -> Result<(Settings, Index), RunError> {
    let pool = thread_pool(options.threads)?;
    pool.install(|| {
        let Prepared {
            settings,
            root_files,
            files,
            docsets,
            ..
        } = prepare(options)?;
        let root = settings.root.clone();
        let shown = paths::Root::new(&root);
        let documents: Vec<Document> = root_files
            .par_iter()
            .filter(|f| walk::is_page(f))
            .filter_map(|path| match load(path, &shown, &options.overlay) {
                Loaded::Page(doc) => Some(doc),
                Loaded::Problem(_) => None,
            })
            .collect();
        let yaml_pages = docset::yaml_pages::read(&root, &files);
        let index = Index::build(docset::Input {
            root: root.clone(),
            files,
            docsets,
            documents,
            yaml_pages,
            linted: Vec::new(),
            complete: true,
            settings: &settings,
            repositories: Repositories::default(),
            orphans: false,
        });
        Ok((settings, index))
    })
}

/// The path of a file relative to the doc-set root, `/` separated (the display path when the
/// file is outside the root).
pub fn docset_path(root: &Path, path: &Path) -> String {
    // The usual case, a walked path, by bytes: comparing components costs more than the rest
    // of reading a small page's paths.
    if let Some(below) = paths::plain_below(path, root) {
        return below.to_string();
    }
    match path.strip_prefix(root) {
        Ok(relative) => paths::to_slash(relative),
        Err(_) => paths::display(path),
    }
}

/// Reads and parses one page (from `overlay` when it holds the path).
pub(crate) fn load(path: &Path, root: &paths::Root, overlay: &HashMap<PathBuf, String>) -> Loaded {
    match read_page(path, overlay) {
        Ok(text) => parse_page(path, root, text),
        Err(problem) => Loaded::Problem(problem),
    }
}

/// Reads and parses a page that the run does not check. One that the rest of the run reads
/// only for its outline keeps just that (see [`docset::read_for_outline_only`]); the outline of
/// a page of one code snippet (most such pages) is found without the Markdown parser.
fn load_unchecked(
    path: &Path,
    root: &paths::Root,
    overlay: &HashMap<PathBuf, String>,
    policy_includes: &foldhash::HashSet<&str>,
) -> Loaded {
    let text = match read_page(path, overlay) {
        Ok(text) => text,
        Err(problem) => return Loaded::Problem(problem),
    };
    let outline = crate::guard::catch(|| {
        let (docset, display, fragment) = page_paths(path, root);
        Document::snippet_outline(path.to_path_buf(), display, docset, &text, fragment)
    });
    if let Ok(Some(doc)) = outline {
        if docset::read_for_outline_only(&doc, policy_includes) {
            return Loaded::Page(doc);
        }
    }
    let mut loaded = parse_page(path, root, text);
    if let Loaded::Page(doc) = &mut loaded {
        if docset::read_for_outline_only(doc, policy_includes) {
            docset::keep_outline(doc);
        }
    }
    loaded
}

/// The text of a page (from `overlay` when it holds the path), or why it cannot be read.
fn read_page(path: &Path, overlay: &HashMap<PathBuf, String>) -> Result<String, Box<Diagnostic>> {
    let read = match overlay.get(path) {
        Some(text) => Ok(text.clone().into_bytes()),
        None => crate::files::read(path, crate::files::PAGE_LIMIT),
    };
    match read {
        Ok(bytes) => decode(path, bytes),
        Err(error) => Err(Box::new(file_problem(
            Rule::FileUnreadable,
            path,
            &format!("cannot read the file: {}", error_text(&error)),
        ))),
    }
}

/// A page's checkout path, its display path, and whether it lies in an includes folder (a
/// fragment by its place).
fn page_paths(path: &Path, root: &paths::Root) -> (String, String, bool) {
    let docset = docset_path(&root.dir, path);
    let fragment = docset::includes::in_includes_folder(&docset);
    (docset, root.display(path), fragment)
}

/// Parses the text of the page at `path` (a page of the doc set rooted at `root`).
pub(crate) fn parse_page(path: &Path, root: &paths::Root, text: String) -> Loaded {
    let (docset, display, fragment) = page_paths(path, root);
    let parsed = crate::guard::catch(|| {
        Document::parse(path.to_path_buf(), display.clone(), docset, text, fragment)
    });
    match parsed {
        Ok(doc) => Loaded::Page(doc),
        Err(panic) => Loaded::Problem(Box::new(file_problem(
            Rule::InternalError,
            path,
            &format!("internal error while parsing the page ({panic}); the other files were still checked, please report this with the file"),
        ))),
    }
}

/// The text of a page, or DL902 at the first byte that is not UTF-8.
fn decode(path: &Path, bytes: Vec<u8>) -> Result<String, Box<Diagnostic>> {
    String::from_utf8(bytes).map_err(|error| {
        let valid = error.utf8_error().valid_up_to();
        let bytes = error.as_bytes();
        let mut diagnostic = file_problem(
            Rule::FileNotUtf8,
            path,
            &format!(
                "the file is not valid UTF-8: byte 0x{:02X} at offset {valid} is not part of a UTF-8 character; re-save the file as UTF-8",
                bytes[valid]
            ),
        );
        set_position(&mut diagnostic, bytes, valid);
        Box::new(diagnostic)
    })
}

fn error_text(error: &crate::files::ReadError) -> String {
    if error.is_not_found() {
        "it no longer exists".into()
    } else {
        error.to_string()
    }
}

/// Every file under the root, by path relative to it.
fn checkout_files(root: &Path, root_files: &[PathBuf]) -> Files {
    Files::new(
        root_files
            .par_iter()
            .map(|f| docset_path(root, f))
            .collect(),
    )
}

/// Turns a finding into a diagnostic: name, severity, positions, fingerprint.
fn resolve(doc: &Document, file: usize, mut finding: Finding, severity: Severity) -> Diagnostic {
    let fix = finding.fix.take().map(|fix| place_fix(doc, fix));
    Diagnostic {
        source: fix.is_some().then(|| doc.path.clone()),
        fix,
        ..doc.checked_text().diagnostic(file, finding, severity)
    }
}

/// Lints ApiDoctor's scenario files (DL322, DL323); their report sources follow the pages'.
fn lint_scenarios(index: &Index, settings: &Settings, files: &[ScenarioSource]) -> Vec<Diagnostic> {
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

/// A diagnostic about a whole file (unreadable, not UTF-8) at line 1 unless told otherwise.
fn file_problem(rule: Rule, path: &Path, message: &str) -> Diagnostic {
    let display = paths::display(path);
    Diagnostic {
        rule,
        name: rule.name(),
        severity: Severity::Error,
        fingerprint: fingerprint(rule.id(), &display, "", message),
        location: Location {
            path: display,
            line: 1,
            column: 1,
            end_line: 1,
            end_column: 1,
        },
        message: message.to_string(),
        help: None,
        apidoctor: None,
        related: Vec::new(),
        fix: None,
        span: 0..0,
        file: None,
        source: None,
    }
}

/// Sets a diagnostic's line and column from a byte offset into raw bytes whose prefix up to
/// the offset is valid UTF-8.
fn set_position(diagnostic: &mut Diagnostic, bytes: &[u8], offset: usize) {
    let prefix = String::from_utf8_lossy(&bytes[..offset]);
    let at = &mut diagnostic.location;
    at.line = saturating_u32(prefix.matches('\n').count() + 1);
    at.column = saturating_u32(prefix.rsplit('\n').next().unwrap_or("").chars().count() + 1);
    at.end_line = at.line;
    at.end_column = at.column + 1;
}

#[cfg(test)]
mod tests {
    use super::*;

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

    /// A file deleted between the walk and the read is reported, not skipped.
    #[test]
    fn a_file_gone_before_it_is_read_is_dl903() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("gone.md");
        let root = paths::Root::new(dir.path());
        let Loaded::Problem(diagnostic) = load(&path, &root, &HashMap::new()) else {
            panic!("a missing file must be a problem");
        };
        assert_eq!(diagnostic.rule, Rule::FileUnreadable);
        assert!(
            diagnostic.message.contains("it no longer exists"),
            "{}",
            diagnostic.message
        );
    }
}
