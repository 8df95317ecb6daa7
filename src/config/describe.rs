//! `doclint config`: the effective configuration as a `doclint.toml` that `--config` reads back.
//! It is the configuration file's own type, serialised, with comments saying where imported
//! values came from and what has no key of its own.

use std::fmt::Write;

use serde::Serialize;
use toml::Spanned;

use super::file::{
    ConfigFile, FrontMatterSection, HttpSection, IncludeRule, IncludesSection, LinksSection,
    ListOrFile, MetadataSection, PermissionsSection,
};
use super::{parent, Catalogue, IncludeCheck, Settings};
use crate::paths::display;

/// The effective configuration of a run: what `doclint config` prints.
#[derive(Debug, Clone, Serialize)]
pub struct Effective {
    /// Every setting, defaults and imported values made explicit. Paths are relative to the
    /// current directory, so the text is valid where it was printed.
    #[serde(flatten)]
    pub config: ConfigFile,
    /// Comments: where values came from, and what the file cannot say.
    #[serde(skip)]
    pub notes: Vec<Note>,
}

/// A comment on the effective configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// The table it belongs to (`front-matter`, `rules`), or `""` for the top of the file.
    pub table: &'static str,
    /// The key it is about, or `None` for the table as a whole.
    pub key: Option<String>,
    /// The text, one line.
    pub text: String,
    /// Whether it goes at the end of the key's line rather than on the line before.
    pub trailing: bool,
}

impl Note {
    fn before(table: &'static str, key: Option<&str>, text: String) -> Note {
        Note {
            table,
            key: key.map(str::to_string),
            text,
            trailing: false,
        }
    }
}

impl Settings {
    /// The effective configuration, for `doclint config`.
    pub fn effective(&self) -> Effective {
        let mut notes = Vec::new();
        let from = |key: &str| -> Option<String> {
            let files: Vec<String> = self
                .apidoctor
                .origins(key)
                .into_iter()
                .map(display)
                .collect();
            (!files.is_empty()).then(|| format!("{} ({key})", files.join(", ")))
        };
        let config_file = self
            .config_path
            .as_deref()
            .map_or("none".to_string(), display);
        notes.push(Note::before(
            "",
            None,
            format!("the effective configuration; configuration file: {config_file}"),
        ));
        for file in &self.apidoctor.files {
            notes.push(Note::before(
                "",
                None,
                format!("ApiDoctor configuration imported: {}", display(file)),
            ));
        }
        notes.push(Note::before(
            "",
            None,
            "paths are relative to the current directory: read this file from there with --config"
                .into(),
        ));
        for (key, list) in [
            (
                "schemaConfig.foldersToSkip",
                &self.apidoctor.folders_to_skip,
            ),
            ("schemaConfig.filesToSkip", &self.apidoctor.files_to_skip),
        ] {
            if let Some(origin) = from(key) {
                notes.push(Note::before(
                    "",
                    Some("exclude"),
                    format!(
                        "not linted while the ApiDoctor import is on: {} from {origin}",
                        list.join(", ")
                    ),
                ));
            }
        }
        if self.file.front_matter.required.is_none() && self.apidoctor.has_schema_config {
            if let Some(origin) = from("schemaConfig.requiredYamlHeaders") {
                notes.push(imported("front-matter", "required", &origin));
            }
        }
        if self.file.http.base_urls.is_none() {
            if let Some(origin) = from("schemaConfig.baseUrls") {
                notes.push(imported("http", "base-urls", &origin));
            }
        }
        if let Some(origin) = from("pathsToIgnore") {
            notes.push(imported("links", "ignore", &origin));
        }
        if let Some(origin) = from("tableDefinitions") {
            notes.push(Note::before(
                "permissions",
                None,
                format!(
                    "the sections that hold permission tables ({}) come from {origin}",
                    self.permission_titles().join(", ")
                ),
            ));
        }
        if let Some(origin) = from("documentOutline") {
            notes.push(Note::before(
                "rules",
                None,
                format!("the document outline (DL703) comes from {origin}"),
            ));
        }
        if self.known_scopes.is_none() {
            notes.push(Note::before(
                "permissions",
                None,
                "no known-scopes: DL606 compares each scope with the scopes of the doc set".into(),
            ));
        }
        let config_dir = self
            .config_path
            .as_deref()
            .map_or_else(|| self.root.clone(), |p| parent(p).to_path_buf());
        let mut repos = std::collections::BTreeMap::new();
        for (name, checkout) in self.repositories() {
            match checkout {
                Some(dir) => {
                    repos.insert(name, display(&dir));
                }
                None => notes.push(Note::before(
                    "",
                    None,
                    format!("repository {name:?} (DocFX dependent repository): no local checkout"),
                )),
            }
        }
        let catalogue = Catalogue::builtin();
        let rules = catalogue
            .rules()
            .iter()
            .zip(&self.base_levels)
            .map(|(rule, level)| {
                notes.push(Note {
                    table: "rules",
                    key: Some(rule.id.clone()),
                    text: rule.name.clone(),
                    trailing: true,
                });
                (
                    Spanned::new(0..0, rule.id.clone()),
                    Spanned::new(0..0, level.as_str().to_string()),
                )
            })
            .collect();
        let known_scopes = match &self.file.permissions.known_scopes {
            Some(ListOrFile::File(name)) => Some(ListOrFile::File(display(&config_dir.join(name)))),
            _ => self.known_scopes.clone().map(ListOrFile::List),
        };
        let config = ConfigFile {
            root: Some(display(&self.root)),
            exclude: self.file.exclude.clone(),
            rules,
            links: LinksSection {
                ignore: Some(self.link_ignores()),
                case_sensitive: Some(self.case_sensitive_links()),
            },
            http: HttpSection {
                base_urls: Some(self.base_urls()),
            },
            front_matter: FrontMatterSection {
                required: Some(self.required_front_matter()),
                allowed: Some(self.allowed_front_matter()),
            },
            repos,
            includes: IncludesSection {
                require: Some(self.includes.require.iter().map(include_rule).collect()),
                forbid: Some(self.includes.forbid.iter().map(include_rule).collect()),
            },
            permissions: PermissionsSection {
                types: Some(self.permission_types()),
                order: Some(self.permission_order().as_str().to_string()),
                known_scopes,
            },
            overrides: self.file.overrides.clone(),
            // `--metadata` sources too, so that the file reproduces the run.
            metadata: self
                .metadata
                .iter()
                .map(|source| {
                    notes.push(Note::before(
                        "metadata",
                        None,
                        format!("{}: {} types", source.display, source.csdl.types.len()),
                    ));
                    MetadataSection {
                        paths: (!source.paths.is_empty()).then(|| source.paths.clone()),
                        csdl: display(&source.file),
                    }
                })
                .collect(),
        };
        Effective { config, notes }
    }
}

fn imported(table: &'static str, key: &str, origin: &str) -> Note {
    Note::before(table, Some(key), format!("imported from {origin}"))
}

fn include_rule(check: &IncludeCheck) -> IncludeRule {
    IncludeRule {
        paths: check.paths.clone(),
        include: check.include.clone(),
    }
}

impl Effective {
    /// The configuration as TOML, with its notes as comments.
    pub fn to_toml(&self) -> Result<String, String> {
        let text = toml::to_string_pretty(&self.config).map_err(|e| e.to_string())?;
        Ok(annotate(&text, &self.notes))
    }
}

/// Puts the notes into serialised TOML: before (or at the end of) the line of their key, or
/// after the header of their table, or at the top.
fn annotate(text: &str, notes: &[Note]) -> String {
    let mut out = String::new();
    let comment = |out: &mut String, note: &Note| {
        let _ = writeln!(out, "# {}", note.text.replace(['\n', '\r'], " "));
    };
    let mut placed = vec![false; notes.len()];
    let mut table = String::new();
    let mut top_done = false;
    for line in text.lines() {
        let header = line
            .strip_prefix("[[")
            .and_then(|l| l.strip_suffix("]]"))
            .or_else(|| line.strip_prefix('[').and_then(|l| l.strip_suffix(']')));
        if let Some(name) = header {
            top_done = true;
            table = name.to_string();
            out.push_str(line);
            out.push('\n');
            for (i, note) in notes.iter().enumerate() {
                if !placed[i] && note.key.is_none() && note.table == table {
                    comment(&mut out, note);
                    placed[i] = true;
                }
            }
            continue;
        }
        if !top_done {
            top_done = true;
            for (i, note) in notes.iter().enumerate() {
                if note.table.is_empty() && note.key.is_none() {
                    comment(&mut out, note);
                    placed[i] = true;
                }
            }
        }
        let key = line
            .split_once(" = ")
            .filter(|_| !line.starts_with(' '))
            .map(|(k, _)| k.trim_matches('"'));
        let mut trailing = Vec::new();
        for (i, note) in notes.iter().enumerate() {
            if placed[i] || note.table != table || note.key.as_deref() != key || key.is_none() {
                continue;
            }
            placed[i] = true;
            if note.trailing {
                trailing.push(note.text.as_str());
            } else {
                comment(&mut out, note);
            }
        }
        out.push_str(line);
        if !trailing.is_empty() {
            let _ = write!(out, "  # {}", trailing.join("; "));
        }
        out.push('\n');
    }
    out
}
