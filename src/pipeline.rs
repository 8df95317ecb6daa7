//! The run: discover files, parse them in parallel ([`load`]), build the index, run the rules
//! in parallel and turn findings into sorted diagnostics ([`lint`]).

use std::borrow::Cow;
use std::collections::HashMap;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;

use crate::config::describe::Description;
use crate::config::{LoadOptions, Settings};
use crate::docset::discovery::CheckoutConfig;
use crate::docset::{self, DocSets, Files, Index, Repositories, ScopeUsage};
use crate::document::Document;
use crate::report::baseline::Baseline;
use crate::report::Report;
use crate::rule::Rule;
use crate::{diff, paths, walk};

mod error;
mod lint;
mod load;
pub use error::RunError;
pub(crate) use lint::lint_page;
use lint::{finish, lint, lint_scenarios};
use load::decode;
pub use load::docset_path;
use load::file_problem;
pub(crate) use load::{load, parse_page, Loaded};
use load::{load_pages, DropTexts, Pages};

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
    /// freed with the rest of its model, even when it has diagnostics, and the report holds no
    /// sources.
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
    /// The `.doclintignore` files of the root.
    pub ignored: walk::DoclintIgnore,
}

/// Loads the settings for a run, walks the root and finds the doc sets (reading their DocFX
/// and ApiDoctor configuration).
pub fn prepare(options: &CheckOptions) -> Result<Prepared, RunError> {
    let paths = checked_paths(options)?;
    let settings = Settings::load(&options.load, &paths)?;
    let root = settings.root.as_path();
    // The checkout's publishing config and redirection files need no list of files: they are
    // read while the walk runs, and the walked files are indexed while the ignore files are
    // found.
    let ((root_files, problems, files, ignored), checkout) = rayon::join(
        || {
            let (root_files, problems) = walk::files_under(root, options.threads);
            let (files, ignored) = rayon::join(
                || checkout_files(root, &root_files),
                || walk::DoclintIgnore::load(root, &root_files),
            );
            (root_files, problems, files, ignored)
        },
        || CheckoutConfig::read(root),
    );
    let docsets = DocSets::discover_with(&settings, &files, checkout)?;
    Ok(Prepared {
        settings,
        root_files,
        problems,
        files,
        docsets,
        ignored,
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
    let mut report = in_pool(options.threads, || run(options))??;
    report.elapsed = started.elapsed();
    Ok(report)
}

/// Runs `work` on `threads` worker threads, or with 0 on rayon's global pool (one thread per
/// core), which outlives the run: the caller's own parallel work afterwards (rendering the
/// report) finds the threads running and their allocator caches warm, instead of waiting on a
/// pool of its own to start while the run's threads exit and hand back their memory.
fn in_pool<T: Send>(threads: usize, work: impl FnOnce() -> T + Send) -> Result<T, RunError> {
    if threads == 0 {
        // On one of the pool's threads, as `install` runs it: that thread takes part in the
        // run's parallel work instead of waiting on it.
        return Ok(rayon::join(work, || ()).0);
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(RunError::Threads)?;
    Ok(pool.install(work))
}

fn run(options: &CheckOptions) -> Result<Report, RunError> {
    let mut phases = Phases::start();
    let Prepared {
        settings,
        root_files,
        problems: root_problems,
        files,
        docsets,
        ignored,
    } = prepare(options)?;
    let paths = checked_paths(options)?;
    let root = settings.root.clone();
    let filters = Filters::load(options, &root)?;

    // Which pages are linted: pages under the checked directories that are not excluded, and
    // named files (excluded ones only without --force-exclude).
    let mut linted: Vec<PathBuf> = Vec::new();
    // Whether some of them are not files of the walk of the root (named files, directories
    // outside the root).
    let mut beyond_walk = false;
    let mut walk_problems = Vec::new();
    let excluded = |path: &Path| {
        // A walked path's checkout path is its text below the root: no copy made.
        let relative = match paths::plain_below(path, &root) {
            Some(below) => Cow::Borrowed(below),
            None => Cow::Owned(docset_path(&root, path)),
        };
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
            let files: Cow<'_, [PathBuf]> = if absolute == root {
                // The usual run, of the whole root: everything the walk found is under it.
                walk_problems.extend(root_problems.iter().cloned());
                Cow::Borrowed(&root_files)
            } else if absolute.starts_with(&root) {
                let under = |p: &PathBuf| paths::is_within(p, &absolute);
                walk_problems.extend(root_problems.iter().filter(|(p, _)| under(p)).cloned());
                Cow::Owned(
                    root_files
                        .par_iter()
                        .filter(|f| under(f))
                        .cloned()
                        .collect(),
                )
            } else {
                let (files, problems) = walk::files_under(&absolute, options.threads);
                walk_problems.extend(problems);
                beyond_walk = true;
                Cow::Owned(files)
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
            beyond_walk = true;
            linted.push(absolute);
        }
    }
    // In parallel, and stable: the same order as a sort on one thread.
    linted.par_sort();
    linted.dedup();
    scenario_candidates.sort();
    scenario_candidates.dedup();
    let scenario_files = docset::scenario_files::read(&root, &scenario_candidates);
    phases.end("walk");
    // Parse every page under the root and the other linted pages: the index (include
    // graph, types, anchors) is the whole doc set's even with only named files (pre-commit), so
    // that a named page gets exactly the findings the directory run gives it; only the
    // doc-set-wide rules wait for a full run. Both lists are made side by side.
    let named_only = !options.whole_docset && paths.iter().all(|p| !p.is_dir());
    let (linted_set, mut to_parse) = rayon::join(
        // By the bytes of the path: every path here is canonical (walked under a canonical
        // root, or canonicalised when named), and hashing a `Path` parses its components.
        || -> foldhash::HashSet<&OsStr> { linted.iter().map(|p| p.as_os_str()).collect() },
        || -> Vec<&PathBuf> { root_files.par_iter().filter(|f| walk::is_page(f)).collect() },
    );
    // Named files the walk left out (outside the root, or not regular files) are read too, so
    // that they get their DL903. (The pages the walk of the root found are all in the list.)
    if beyond_walk {
        let walked: foldhash::HashSet<&OsStr> = to_parse.iter().map(|p| p.as_os_str()).collect();
        to_parse.extend(linted.iter().filter(|f| !walked.contains(f.as_os_str())));
    }
    let shown = paths::Root::new(&root);
    let policy_includes = docset::policy_includes(&files, &settings);
    // Checked pages that nothing else reads drop their text until their checks run; not when
    // scenario files name requests, whose checks read any page.
    let drop_texts = scenario_files.is_empty().then_some(DropTexts {
        docsets: &docsets,
        files: &files,
    });
    let Pages {
        documents,
        linted: linted_docs,
        contributions,
        problems,
    } = load_pages(
        &to_parse,
        &linted_set,
        &shown,
        &options.overlay,
        &policy_includes,
        drop_texts,
    );
    let yaml_pages = docset::yaml_pages::read(&root, &files);
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
        contributions,
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
    let quote = !options.without_sources;
    let (mut lists, suppressed) = lint(&mut index, &settings, quote);
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
    let mut report = finish(index, lists, scenario_files, quote);
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
        contributions: docset::Contributions::default(),
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
    let mut report = finish(index, lists, Vec::new(), true);
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
    in_pool(options.threads, || {
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
            .map_init(crate::files::Folders::default, |folders, path| {
                match load(path, &shown, &options.overlay, folders) {
                    Loaded::Page(doc) => Some(doc),
                    Loaded::Problem(_) => None,
                }
            })
            .flatten_iter()
            .collect();
        let yaml_pages = docset::yaml_pages::read(&root, &files);
        let index = Index::build(docset::Input {
            root: root.clone(),
            files,
            docsets,
            documents,
            contributions: docset::Contributions::default(),
            yaml_pages,
            linted: Vec::new(),
            complete: true,
            settings: &settings,
            repositories: Repositories::default(),
            orphans: false,
        });
        Ok((settings, index))
    })?
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
