//! The doc set an editor works in: its settings and its index, built once and then updated page
//! by page as buffers change, so that unsaved text counts for every page that reads it.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::config::{LoadOptions, Settings};
use crate::diagnostic::Diagnostic;
use crate::docset::{self, Index};
use crate::document::Document;
use crate::pipeline::{self, CheckOptions, Loaded, RunError};
use crate::rule::Rule;
use crate::walk::{self, DoclintIgnore};

use super::convert::Texts;

/// What the client chose (`initializationOptions`, `workspace/didChangeConfiguration`).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ClientSettings {
    /// A configuration file to use instead of the one discovered (relative to the workspace
    /// folder).
    pub config: Option<PathBuf>,
    /// Only these rules (ids, names or families), as `--select`.
    pub select: Vec<String>,
    /// Not these rules, as `--ignore`.
    pub ignore: Vec<String>,
}

impl ClientSettings {
    /// The settings in a JSON value: its `doclint` member, else the value itself when it names
    /// one of the settings (clients send either); `None` when it holds none, so that the empty
    /// settings some clients send at start do not undo the initialization options.
    pub fn from_json(value: &serde_json::Value) -> Option<ClientSettings> {
        let value = match value.get("doclint") {
            Some(settings) => settings,
            None if ["config", "select", "ignore"]
                .iter()
                .any(|key| value.get(key).is_some()) =>
            {
                value
            }
            None => return None,
        };
        if !value.is_object() {
            return None;
        }
        serde_json::from_value(value.clone()).ok()
    }
}

/// The doc set of the workspace: settings, index, ignore files.
pub struct Workspace {
    settings: Settings,
    index: Index,
    ignored: DoclintIgnore,
}

impl Workspace {
    /// Discovers the configuration and the doc sets from `root` as the command line does (a
    /// relative configuration path of the client is relative to `root`), then parses every
    /// page and builds the index.
    pub fn load(root: &Path, client: &ClientSettings) -> Result<Workspace, RunError> {
        let options = CheckOptions {
            load: LoadOptions {
                config: client.config.as_ref().map(|config| root.join(config)),
                select: client.select.clone(),
                ignore: client.ignore.clone(),
                ..LoadOptions::default()
            },
            paths: vec![root.to_path_buf()],
            ..CheckOptions::default()
        };
        let prepared = pipeline::prepare(&options)?;
        let root = prepared.settings.root.clone();
        let shown = crate::paths::Root::new(&root);
        let documents: Vec<Document> = prepared
            .root_files
            .par_iter()
            .filter(|f| walk::is_page(f))
            .map_init(
                crate::files::Folders::default,
                |folders, path| match pipeline::load(
                    path,
                    &shown,
                    &std::collections::HashMap::new(),
                    folders,
                ) {
                    Loaded::Page(doc) => Some(doc),
                    Loaded::Problem(_) => None,
                },
            )
            .flatten_iter()
            .collect();
        let ignored = prepared.ignored;
        let settings = prepared.settings;
        let yaml_pages = docset::yaml_pages::read(&root, &prepared.files);
        let index = Index::build(docset::Input {
            root: root.clone(),
            files: prepared.files,
            docsets: prepared.docsets,
            documents,
            contributions: docset::Contributions::default(),
            yaml_pages,
            linted: Vec::new(),
            complete: true,
            settings: &settings,
            repositories: pipeline::repositories(&settings, 0),
            orphans: settings.levels.enabled_anywhere(Rule::PageOrphaned),
        });
        Ok(Workspace {
            settings,
            index,
            ignored,
        })
    }

    /// The index.
    pub fn index(&self) -> &Index {
        &self.index
    }

    /// How many pages the index holds.
    pub fn pages(&self) -> usize {
        self.index.documents.len()
    }

    /// The path of a file relative to the root, as the index names it (`None` outside it).
    fn docset_path(&self, path: &Path) -> Option<String> {
        let path = real_path(path);
        let relative = path.strip_prefix(&self.index.root).ok()?;
        Some(crate::paths::to_slash(relative))
    }

    /// The document of the index for a file.
    pub fn document_of(&self, path: &Path) -> Option<usize> {
        let relative = self.docset_path(path)?;
        self.index.file(&relative)?.document
    }

    /// Whether doclint checks this page: a Markdown page of a doc set that the configuration
    /// and `.doclintignore` leave in, as in a run over the whole directory.
    pub fn checks(&self, path: &Path) -> bool {
        let Some(relative) = self.docset_path(path) else {
            return false;
        };
        walk::is_page(path)
            && self.index.docsets.lints(&relative, &self.settings)
            && !self.ignored.excludes(&real_path(path))
    }

    /// Makes `text` the page at `path`, replacing its document or, for a page the index does
    /// not have yet, adding it; returns its document. `None` for a file outside the root or
    /// that is not a page.
    pub fn set_text(&mut self, path: &Path, text: String) -> Option<usize> {
        if !walk::is_page(path) {
            return None;
        }
        self.docset_path(path)?;
        let real = real_path(path);
        let root = crate::paths::Root::new(&self.index.root);
        let Loaded::Page(doc) = pipeline::parse_page(&real, &root, text) else {
            return None;
        };
        match self.document_of(path) {
            Some(d) => {
                self.index.replace_document(d, doc);
                Some(d)
            }
            None => {
                let index = std::mem::take(&mut self.index);
                self.index = index.with_document(doc, &self.settings);
                self.document_of(path)
            }
        }
    }

    /// Makes the page at `path` what is on disk again (its buffer closed unsaved); returns its
    /// document.
    pub fn revert(&mut self, path: &Path) -> Option<usize> {
        let text = std::fs::read(path).ok()?;
        self.set_text(path, String::from_utf8(text).ok()?)
    }

    /// The diagnostics of document `d`, in report order.
    pub fn check(&self, d: usize) -> Vec<Diagnostic> {
        let (mut diagnostics, _) = pipeline::lint_page(&self.index, &self.settings, d);
        diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        diagnostics
    }
}

impl Texts for Workspace {
    fn text_of(&self, path: &str) -> Option<&str> {
        let relative = self.docset_path(Path::new(path))?;
        self.index.document(&relative).map(|doc| doc.text.as_str())
    }
}

/// The path with symbolic links resolved, as the walk of the root finds it (for a file not on
/// disk yet: its folder resolved).
fn real_path(path: &Path) -> PathBuf {
    if let Ok(real) = std::fs::canonicalize(path) {
        return real;
    }
    match (path.parent(), path.file_name()) {
        (Some(dir), Some(name)) => {
            std::fs::canonicalize(dir).map_or_else(|_| path.to_path_buf(), |dir| dir.join(name))
        }
        _ => path.to_path_buf(),
    }
}
