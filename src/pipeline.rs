//! The run: discover files, parse them in parallel, build the index, run the rules in parallel,
//! turn findings into sorted diagnostics.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;

use crate::config::{Catalogue, ConfigError, LoadOptions, Settings};
use crate::diagnostic::{fingerprint, Diagnostic, Finding, Level, Severity};
use crate::document::Document;
use crate::index::Index;
use crate::report::{Report, Source};
use crate::{paths, rules, walk};

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
}

/// Why a run could not happen (exit 2).
#[derive(Debug)]
pub enum RunError {
    /// A configuration file is invalid (DL905).
    Config(ConfigError),
    /// A command-line problem, such as a path that does not exist.
    Usage(String),
}

impl std::fmt::Display for RunError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RunError::Config(e) => e.fmt(f),
            RunError::Usage(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for RunError {}

impl From<ConfigError> for RunError {
    fn from(e: ConfigError) -> Self {
        RunError::Config(e)
    }
}

/// Loads the settings for a run: configuration file, levels and the ApiDoctor import.
pub fn load_settings(options: &CheckOptions) -> Result<(Settings, Vec<PathBuf>), RunError> {
    let paths = checked_paths(options)?;
    let mut settings = Settings::load(&options.load, &paths)?;
    let (root_files, _) = walk::files_under(&settings.root, options.threads);
    if !options.load.no_apidoctor_config {
        let json: Vec<PathBuf> = root_files
            .iter()
            .filter(|p| {
                p.extension()
                    .is_some_and(|e| e.eq_ignore_ascii_case("json"))
            })
            .cloned()
            .collect();
        settings.import_apidoctor(&json)?;
    }
    Ok((settings, root_files))
}

fn checked_paths(options: &CheckOptions) -> Result<Vec<PathBuf>, RunError> {
    let paths = if options.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        options.paths.clone()
    };
    for path in &paths {
        if std::fs::metadata(path).is_err() {
            return Err(RunError::Usage(format!(
                "path not found: {}; give existing files or directories",
                path.display()
            )));
        }
    }
    Ok(paths)
}

/// Checks the paths and returns the report.
pub fn check(options: &CheckOptions) -> Result<Report, RunError> {
    let started = Instant::now();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(options.threads)
        .build()
        .map_err(|e| RunError::Usage(format!("cannot start worker threads: {e}")))?;
    let mut report = pool.install(|| run(options))?;
    report.elapsed = started.elapsed();
    Ok(report)
}

/// A page read from disk, or why it could not be.
enum Loaded {
    Page(Box<Document>),
    Problem(Box<Diagnostic>),
}

fn run(options: &CheckOptions) -> Result<Report, RunError> {
    let (settings, root_files) = load_settings(options)?;
    let paths = checked_paths(options)?;
    let root = settings.root.clone();

    // Which pages are linted: pages under the checked directories that are not excluded, and
    // named files (excluded ones only without --force-exclude).
    let mut linted: Vec<PathBuf> = Vec::new();
    let mut walk_problems = Vec::new();
    for path in &paths {
        let absolute = std::fs::canonicalize(path).unwrap_or_else(|_| path.clone());
        if absolute.is_dir() {
            let files: Vec<PathBuf> = if absolute.starts_with(&root) {
                root_files
                    .iter()
                    .filter(|f| f.starts_with(&absolute))
                    .cloned()
                    .collect()
            } else {
                let (files, problems) = walk::files_under(&absolute, options.threads);
                walk_problems.extend(problems);
                files
            };
            linted.extend(
                files
                    .into_iter()
                    .filter(|f| walk::is_page(f) && !settings.is_excluded(&docset_path(&root, f))),
            );
        } else if !(options.force_exclude && settings.is_excluded(&docset_path(&root, &absolute))) {
            linted.push(absolute);
        }
    }
    linted.sort();
    linted.dedup();
    let linted_set: HashSet<&PathBuf> = linted.iter().collect();

    // Parse every page of the doc set (link, include and anchor targets) and the linted pages.
    let mut to_parse: Vec<&PathBuf> = root_files.iter().filter(|f| walk::is_page(f)).collect();
    to_parse.extend(linted.iter().filter(|f| !f.starts_with(&root)));
    let loaded: Vec<(bool, Loaded)> = to_parse
        .par_iter()
        .map(|path| (linted_set.contains(path), load(path, &root)))
        .collect();

    let mut documents = Vec::new();
    let mut linted_docs = Vec::new();
    let mut problems = Vec::new();
    for (is_linted, loaded) in loaded {
        match loaded {
            Loaded::Page(doc) => {
                if is_linted {
                    linted_docs.push(documents.len());
                }
                documents.push(*doc);
            }
            Loaded::Problem(diagnostic) if is_linted => problems.push(*diagnostic),
            Loaded::Problem(_) => {}
        }
    }
    mark_fragments(&mut documents);
    let all_paths = root_files.iter().map(|f| docset_path(&root, f)).collect();
    let index = Index::build(all_paths, documents, linted_docs);

    let catalogue = Catalogue::builtin();
    let mut diagnostics: Vec<Diagnostic> = index
        .linted
        .par_iter()
        .flat_map_iter(|&d| {
            let doc = &index.documents[d];
            let levels = settings.levels_for(&doc.docset_path);
            let findings = rules::check_document(doc, &index, &settings, &levels);
            findings
                .into_iter()
                .filter_map(|f| {
                    let level = if f.rule == "DL904" {
                        Level::On(Severity::Error)
                    } else {
                        levels.get(f.rule)
                    };
                    match level {
                        Level::Off => None,
                        Level::On(severity) => {
                            let severity = f.severity_cap.map_or(severity, |cap| cap.min(severity));
                            Some(resolve(catalogue, doc, d, f, severity))
                        }
                    }
                })
                .collect::<Vec<_>>()
        })
        .collect();
    diagnostics.extend(problems);
    for (path, message) in walk_problems {
        diagnostics.push(file_problem(
            "DL903",
            &path,
            &format!("cannot read {message}"),
        ));
    }
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));

    let files = index.linted.len();
    let Index { documents, .. } = index;
    let sources = documents
        .into_iter()
        .map(|d| Source {
            display: d.display,
            text: d.text,
        })
        .collect();
    Ok(Report {
        diagnostics,
        sources,
        files,
        suppressed: 0,
        elapsed: Default::default(),
    })
}

/// The path of a file relative to the doc-set root, `/` separated (the display path when the
/// file is outside the root).
pub fn docset_path(root: &Path, path: &Path) -> String {
    match path.strip_prefix(root) {
        Ok(relative) => paths::to_slash(relative),
        Err(_) => paths::display(path),
    }
}

fn load(path: &Path, root: &Path) -> Loaded {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(error) => {
            return Loaded::Problem(Box::new(file_problem(
                "DL903",
                path,
                &format!("cannot read the file: {}", error_text(&error)),
            )))
        }
    };
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(error) => {
            let valid = error.utf8_error().valid_up_to();
            let bytes = error.as_bytes();
            let mut diagnostic = file_problem(
                "DL902",
                path,
                &format!(
                    "the file is not valid UTF-8: byte 0x{:02X} at offset {valid} is not part of a UTF-8 character; re-save the file as UTF-8",
                    bytes[valid]
                ),
            );
            set_position(&mut diagnostic, bytes, valid);
            return Loaded::Problem(Box::new(diagnostic));
        }
    };
    let docset = docset_path(root, path);
    let fragment = docset
        .to_ascii_lowercase()
        .split('/')
        .rev()
        .skip(1)
        .any(|dir| dir == "includes");
    Loaded::Page(Box::new(Document::parse(
        path.to_path_buf(),
        paths::display(path),
        docset,
        text,
        fragment,
    )))
}

fn error_text(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::NotFound => "it no longer exists".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => error.to_string(),
    }
}

/// Marks the targets of include directives as fragments (no front matter or H1 required).
fn mark_fragments(documents: &mut [Document]) {
    let targets: HashSet<String> = documents
        .iter()
        .flat_map(|doc| {
            let dir = doc
                .docset_path
                .rsplit_once('/')
                .map_or("", |(d, _)| d)
                .to_string();
            doc.includes.iter().filter_map(move |i| {
                let target = i.target.split(['#', '?']).next().unwrap_or("");
                let joined = match target.strip_prefix('/') {
                    Some(rooted) => rooted.to_string(),
                    None if dir.is_empty() => target.to_string(),
                    None => format!("{dir}/{target}"),
                };
                paths::normalize(&joined)
            })
        })
        .collect();
    for doc in documents
        .iter_mut()
        .filter(|d| targets.contains(&d.docset_path))
    {
        doc.kind.fragment = true;
    }
}

/// Turns a finding into a diagnostic: name, severity, positions, fingerprint.
fn resolve(
    catalogue: &'static Catalogue,
    doc: &Document,
    file: usize,
    finding: Finding,
    severity: Severity,
) -> Diagnostic {
    let info = catalogue.by_id(finding.rule);
    let start = doc.position(finding.span.start);
    let end = doc.position(finding.span.end.max(finding.span.start));
    let line_text = doc.lines.line_text(&doc.text, (start.line - 1) as usize);
    Diagnostic {
        rule: finding.rule,
        name: info.map_or("unknown-rule", |i| i.name.as_str()),
        severity,
        fingerprint: fingerprint(finding.rule, &doc.display, line_text, &finding.message),
        path: doc.display.clone(),
        line: start.line,
        column: start.column,
        end_line: end.line,
        end_column: end.column,
        message: finding.message,
        help: finding.help,
        apidoctor: info.and_then(|i| i.apidoctor.as_deref()),
        related: finding.related,
        span: finding.span,
        file,
    }
}

/// A diagnostic about a whole file (unreadable, not UTF-8) at line 1 unless told otherwise.
fn file_problem(rule: &'static str, path: &Path, message: &str) -> Diagnostic {
    let catalogue = Catalogue::builtin();
    let info = catalogue.by_id(rule);
    let display = paths::display(path);
    Diagnostic {
        rule,
        name: info.map_or("", |i| i.name.as_str()),
        severity: Severity::Error,
        fingerprint: fingerprint(rule, &display, "", message),
        path: display,
        line: 1,
        column: 1,
        end_line: 1,
        end_column: 1,
        message: message.to_string(),
        help: None,
        apidoctor: None,
        related: Vec::new(),
        span: 0..0,
        file: usize::MAX,
    }
}

/// Sets a diagnostic's line and column from a byte offset into raw bytes whose prefix up to
/// the offset is valid UTF-8.
fn set_position(diagnostic: &mut Diagnostic, bytes: &[u8], offset: usize) {
    let prefix = String::from_utf8_lossy(&bytes[..offset]);
    diagnostic.line = prefix.matches('\n').count() as u32 + 1;
    diagnostic.column = prefix.rsplit('\n').next().unwrap_or("").chars().count() as u32 + 1;
    diagnostic.end_line = diagnostic.line;
    diagnostic.end_column = diagnostic.column + 1;
}
