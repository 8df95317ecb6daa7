//! Reading pages: a file read and decoded as UTF-8, its paths worked out, parsed into a
//! [`Document`] (or only its outline, for a snippet fragment nothing else reads), or the
//! diagnostic that says why it could not be.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::diagnostic::{fingerprint, Diagnostic, Location, Severity};
use crate::docset;
use crate::document::{Document, PagePaths};
use crate::files::Folders;
use crate::paths;
use crate::rule::Rule;
use crate::source::saturating_u32;

/// A page read from disk, or why it could not be.
// The page is not boxed: the pages are collected in place into the index's list, and 26,000
// freed boxes of a page's size would stay as holes in the heap all run long.
#[allow(clippy::large_enum_variant)]
pub(crate) enum Loaded {
    /// The parsed page.
    Page(Document),
    /// Why it could not be read or parsed.
    Problem(Box<Diagnostic>),
}

/// The pages of a run, parsed: in the order of the files read, less those that could not be.
pub(super) struct Pages {
    /// The parsed pages.
    pub documents: Vec<Document>,
    /// The positions in `documents` of the pages the run checks.
    pub linted: Vec<usize>,
    /// What the index reads of the text of the pages whose text was dropped.
    pub contributions: docset::Contributions,
    /// Why files could not be read or parsed: the files checked, and internal errors of any.
    pub problems: Vec<Diagnostic>,
}

/// What lets the parse worker drop the text of checked pages (see [`load_pages`]).
#[derive(Clone, Copy)]
pub(super) struct DropTexts<'a> {
    /// The run's doc sets, whose settings the pages' contributions are read by.
    pub docsets: &'a docset::DocSets,
    /// The files the walk found. Only a page that is one of them drops its text: the index
    /// finds a page's doc set through its file, and a contribution must be read by the
    /// settings of the doc set the index gives the page.
    pub files: &'a docset::Files,
}

/// What became of one file read by [`load_pages`].
enum Outcome {
    /// A page the run checks, and what the index reads of its text when that was dropped.
    Linted(Option<Box<docset::Contribution>>),
    /// A page read for what the checked ones need of it, and what the index reads of its text
    /// when that was dropped.
    Unchecked(Option<Box<docset::Contribution>>),
    /// No page: why, when that is reported.
    Problem(Option<Box<Diagnostic>>),
}

/// Reads and parses `files` side by side: the files in `linted` are checked, the others are
/// read for what the checked ones need of them (see [`load_unchecked`]).
///
/// With `drop_texts`, a page whose text no other page's checks read (see
/// [`docset::contribution::drops_text`]) lets go of it once parsed, keeping what the index reads
/// of it: a checked page's checks read the file again. A page that is not checked (a run of
/// named files reads every page for the index) lets go of its line index too: only its own
/// checks would read it. Pages from `overlay` keep their text.
///
/// The pages are collected in place, each thread writing its own: a page model is large, and
/// moving 26,000 of them into a list of their own afterwards would take a core tens of
/// milliseconds while the other waits.
pub(super) fn load_pages(
    files: &[&PathBuf],
    linted: &foldhash::HashSet<&std::ffi::OsStr>,
    root: &paths::Root,
    overlay: &HashMap<PathBuf, String>,
    policy_includes: &foldhash::HashSet<&str>,
    drop_texts: Option<DropTexts<'_>>,
) -> Pages {
    let mut outcomes = Vec::new();
    let mut documents = Vec::new();
    files
        .par_iter()
        // Each run of pages read on one thread opens them in their folders.
        .map_init(Folders::default, |folders, path| {
            let is_linted = linted.contains(path.as_os_str());
            let loaded = if is_linted {
                load(path, root, overlay, folders)
            } else {
                load_unchecked(path, root, overlay, policy_includes, folders)
            };
            match loaded {
                Loaded::Page(mut doc) => {
                    let contribution = drop_texts
                        // Cheapest first: most pages that are not checked are fragments.
                        .filter(|drop| {
                            docset::contribution::drops_text(&doc, policy_includes)
                                && drop.files.get(doc.docset_path()).is_some()
                                && !overlay.contains_key(*path)
                                && path.starts_with(&root.dir)
                        })
                        .map(|drop| {
                            let contribution = docset::Contribution::of(&doc, drop.docsets);
                            if is_linted {
                                doc.drop_text();
                            } else {
                                doc.drop_text_and_lines();
                            }
                            Box::new(contribution)
                        });
                    let outcome = if is_linted {
                        Outcome::Linted(contribution)
                    } else {
                        Outcome::Unchecked(contribution)
                    };
                    (outcome, doc)
                }
                // A page that is not checked is reported only when parsing it failed.
                Loaded::Problem(diagnostic) => {
                    let reported = is_linted || diagnostic.rule == Rule::InternalError;
                    let why = reported.then_some(diagnostic);
                    (Outcome::Problem(why), Document::default())
                }
            }
        })
        .unzip_into_vecs(&mut outcomes, &mut documents);
    // A file that could not be read holds a placeholder page, removed here; the checked
    // pages are numbered among the pages that remain.
    let mut linted = Vec::new();
    let mut contributions = Vec::new();
    let mut problems = Vec::new();
    let mut is_page = Vec::with_capacity(outcomes.len());
    let mut pages = 0;
    for outcome in outcomes {
        let contribution = match outcome {
            Outcome::Linted(contribution) => {
                linted.push(pages);
                contribution
            }
            Outcome::Unchecked(contribution) => contribution,
            Outcome::Problem(why) => {
                problems.extend(why.map(|d| *d));
                is_page.push(false);
                continue;
            }
        };
        if let Some(contribution) = contribution {
            contributions.resize_with(pages, || None);
            contributions.push(Some(contribution));
        }
        pages += 1;
        is_page.push(true);
    }
    if pages < documents.len() {
        let mut is_page = is_page.into_iter();
        documents.retain(|_| is_page.next().unwrap_or(false));
    }
    Pages {
        documents,
        linted,
        contributions: docset::Contributions::new(contributions),
        problems,
    }
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

/// Reads and parses one page (from `overlay` when it holds the path; from disk through
/// `folders`).
pub(crate) fn load(
    path: &Path,
    root: &paths::Root,
    overlay: &HashMap<PathBuf, String>,
    folders: &mut Folders,
) -> Loaded {
    match read_page(path, overlay, folders) {
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
    folders: &mut Folders,
) -> Loaded {
    let text = match read_page(path, overlay, folders) {
        Ok(text) => text,
        Err(problem) => return Loaded::Problem(problem),
    };
    let outline = crate::guard::catch(|| {
        let (paths, fragment) = page_paths(path, root);
        Document::snippet_outline(paths, &text, fragment)
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
fn read_page(
    path: &Path,
    overlay: &HashMap<PathBuf, String>,
    folders: &mut Folders,
) -> Result<String, Box<Diagnostic>> {
    let read = match overlay.get(path) {
        Some(text) => Ok(text.clone().into_bytes()),
        None => folders.read(path, crate::files::PAGE_LIMIT),
    };
    match read {
        Ok(bytes) => decode(path, bytes),
        Err(error) => Err(Box::new(file_problem(
            Rule::FileUnreadable,
            path,
            &format!("cannot read the file: {}", error.why()),
        ))),
    }
}

/// A page's paths (file, display path, checkout path), and whether it lies in an includes
/// folder (a fragment by its place).
fn page_paths(path: &Path, root: &paths::Root) -> (PagePaths, bool) {
    let docset = docset_path(&root.dir, path);
    let fragment = docset::includes::in_includes_folder(&docset);
    let paths = PagePaths::below(&root.shared, path, root.display(path), &docset);
    (paths, fragment)
}

/// Parses the text of the page at `path` (a page of the doc set rooted at `root`).
pub(crate) fn parse_page(path: &Path, root: &paths::Root, text: String) -> Loaded {
    let (paths, fragment) = page_paths(path, root);
    let parsed = crate::guard::catch(|| Document::parse_at(paths, text, fragment));
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
pub(super) fn decode(path: &Path, bytes: Vec<u8>) -> Result<String, Box<Diagnostic>> {
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

/// A diagnostic about a whole file (unreadable, not UTF-8) at line 1 unless told otherwise.
pub(super) fn file_problem(rule: Rule, path: &Path, message: &str) -> Diagnostic {
    let display = paths::display(path);
    Diagnostic {
        rule,
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

    /// A file deleted between the walk and the read is reported, not skipped.
    #[test]
    fn a_file_gone_before_it_is_read_is_dl903() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("gone.md");
        let root = paths::Root::new(dir.path());
        let Loaded::Problem(diagnostic) =
            load(&path, &root, &HashMap::new(), &mut Folders::default())
        else {
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
