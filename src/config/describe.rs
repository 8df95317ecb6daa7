//! `doclint config`: the effective configuration — the doc sets found and where each came
//! from, every setting with its default resolved, and each rule's level as findings get it.
//! [`Description::render`] writes it as a `doclint.toml` that `--config` reads back: the
//! configuration file's own type serialised, with comments for what it cannot say.

use std::fmt::Write;

use serde::Serialize;
use toml::Spanned;

use super::commented::{annotate, Note};
use super::file::{self, ConfigFile, ListOrFile};
use super::Settings;
use crate::diagnostic::Level;
use crate::rule::Rule;

/// One doc set as `doclint config` shows it.
#[derive(Debug, Clone, Serialize)]
pub struct DocSetDescription {
    /// Its name.
    pub name: String,
    /// Its root, relative to the run's root (`.` for the root itself).
    pub root: String,
    /// Where it was declared, in words.
    pub from: Vec<String>,
    /// How many pages it has (Markdown files it publishes, skipped ones included).
    pub pages: usize,
    /// Front-matter keys its pages must have.
    pub required_front_matter: Vec<String>,
    /// Whether a configuration requires them (else missing keys are warnings).
    pub required_front_matter_configured: bool,
    /// Allowed base URLs of absolute request URLs.
    pub base_urls: Vec<String>,
    /// The headings that open a Permissions section.
    pub permission_titles: Vec<String>,
    /// The page types its configured document outline covers.
    pub outline: Vec<String>,
    /// Folders and files its ApiDoctor configuration skips.
    pub skips: Vec<String>,
    /// The workloads whose pages' errors are warnings (ApiDoctor's
    /// `treatErrorsAsWarningsWorkloads`).
    pub errors_as_warnings: Vec<String>,
}

/// A rule's level as its findings get it.
#[derive(Debug, Clone, Serialize)]
pub struct RuleDescription {
    /// The rule id.
    pub id: String,
    /// The rule name.
    pub name: String,
    /// `error`, `warning`, `info` or `off`.
    pub level: String,
    /// When some findings of the rule get another severity: which, and why.
    pub note: Option<String>,
}

/// The effective configuration of a run: a configuration file that `--config` reads back to
/// the same run, and what it cannot say (the doc sets found and what they imported).
#[derive(Debug, Clone, Serialize)]
pub struct Description {
    /// The configuration file, if any.
    pub configuration_file: Option<String>,
    /// Every setting, defaults made explicit; paths relative to the current directory, so the
    /// text is valid where it was printed. Values imported per doc set stay imported.
    pub config: ConfigFile,
    /// The doc sets.
    pub docsets: Vec<DocSetDescription>,
    /// How many paths the checkout's DocFX redirection files redirect.
    pub redirected_paths: usize,
    /// Root-relative link prefixes treated as external that the doc sets' ApiDoctor
    /// configuration adds to the configured ones.
    pub imported_link_ignores: Vec<String>,
    /// Repositories paths may reach into that have no local checkout.
    pub unmapped_repositories: Vec<String>,
    /// Service metadata files and how many types each defines.
    pub metadata: Vec<(String, usize)>,
    /// Every rule's level.
    pub rules: Vec<RuleDescription>,
}

impl Description {
    /// The description of `settings` with the doc sets found (`link_ignores`: the configured
    /// and imported prefixes).
    pub fn new(
        settings: &Settings,
        docsets: Vec<DocSetDescription>,
        link_ignores: Vec<String>,
        redirected_paths: usize,
    ) -> Description {
        let outlines: Vec<String> = docsets
            .iter()
            .flat_map(|d| d.outline.iter().map(move |t| format!("{t} in {}", d.name)))
            .collect();
        let unconfigured: Vec<String> = docsets
            .iter()
            .filter(|d| !d.required_front_matter_configured)
            .map(|d| d.name.clone())
            .collect();
        let rules = settings
            .levels
            .base()
            .map(|(rule, level)| {
                let (level, note) = effective(rule, level, &outlines, &unconfigured);
                RuleDescription {
                    id: rule.id().to_string(),
                    name: rule.name().to_string(),
                    level,
                    note,
                }
            })
            .collect();
        Description {
            configuration_file: settings.config_path.as_deref().map(display),
            config: effective_file(settings),
            docsets,
            redirected_paths,
            imported_link_ignores: link_ignores
                .into_iter()
                .filter(|i| !settings.link_ignores.contains(i))
                .collect(),
            unmapped_repositories: settings
                .repositories
                .iter()
                .filter(|r| r.checkout.is_none())
                .map(|r| r.name.clone())
                .collect(),
            metadata: settings
                .metadata
                .iter()
                .map(|m| (m.display.clone(), m.csdl.types.len()))
                .collect(),
            rules,
        }
    }

    /// The description as a `doclint.toml`: the configuration serialised, what it cannot say
    /// in comments.
    pub fn render(&self) -> Result<String, String> {
        let text = toml::to_string_pretty(&self.config).map_err(|e| e.to_string())?;
        Ok(annotate(&text, &self.notes()))
    }

    /// The comments of [`Description::render`].
    fn notes(&self) -> Vec<Note> {
        let mut notes = vec![
            Note::table(
                "",
                format!(
                    "the effective configuration; configuration file: {}",
                    self.configuration_file.as_deref().unwrap_or("none")
                ),
            ),
            Note::table(
                "",
                "paths are relative to the current directory: save this file there (or give it with --config from there)".into(),
            ),
        ];
        if self.redirected_paths > 0 {
            notes.push(Note::table(
                "",
                format!(
                    "{} paths redirected by DocFX redirection files (links to them are DL413)",
                    self.redirected_paths
                ),
            ));
        }
        for set in &self.docsets {
            notes.extend(docset_notes(set, &self.config));
        }
        if !self.imported_link_ignores.is_empty() {
            notes.push(Note::before(
                "links",
                "ignore",
                format!(
                    "also ignored, imported from the doc sets' ApiDoctor configuration (pathsToIgnore): {}",
                    self.imported_link_ignores.join(", ")
                ),
            ));
        }
        for name in &self.unmapped_repositories {
            notes.push(Note::table(
                "",
                format!("repository {name:?} (a DocFX dependent repository): no local checkout, add it under [repos]"),
            ));
        }
        for (file, types) in &self.metadata {
            notes.push(Note::table("metadata", format!("{file}: {types} types")));
        }
        for rule in &self.rules {
            let configured = self
                .config
                .rules
                .iter()
                .find(|(id, _)| id.get_ref() == &rule.id)
                .map(|(_, level)| level.get_ref().as_str());
            let mut text = rule.name.clone();
            if configured != Some(rule.level.as_str()) {
                let _ = write!(text, "; findings get {}", rule.level);
            }
            if let Some(note) = &rule.note {
                let _ = write!(text, "; {note}");
            }
            notes.push(Note::after("rules", &rule.id, text));
        }
        notes
    }
}

/// The comments on one doc set: where it came from, and the values it imported that the
/// configuration file does not set for every doc set.
fn docset_notes(set: &DocSetDescription, config: &ConfigFile) -> Vec<Note> {
    let list = |values: &[String]| format!("[{}]", values.join(", "));
    let mut notes = vec![Note::table(
        "",
        format!(
            "doc set {:?} (root {}, {} pages), from {}",
            set.name,
            set.root,
            set.pages,
            set.from.join("; ")
        ),
    )];
    let mut detail = |text: String| notes.push(Note::table("", format!("  {text}")));
    if config.front_matter.required.is_none() {
        let whence = if set.required_front_matter_configured {
            "imported"
        } else {
            "the default: missing keys are warnings"
        };
        detail(format!(
            "required front matter ({whence}): {}",
            list(&set.required_front_matter)
        ));
    }
    if config.http.base_urls.is_none() && !set.base_urls.is_empty() {
        detail(format!("base URLs (imported): {}", list(&set.base_urls)));
    }
    detail(format!(
        "permission section titles: {}",
        list(&set.permission_titles)
    ));
    if !set.outline.is_empty() {
        detail(format!(
            "document outline (imported) for: {}",
            list(&set.outline)
        ));
    }
    if !set.skips.is_empty() {
        detail(format!(
            "not linted (ApiDoctor skips): {}",
            list(&set.skips)
        ));
    }
    if !set.errors_as_warnings.is_empty() {
        detail(format!(
            "errors are warnings on pages whose path holds (imported): {}",
            list(&set.errors_as_warnings)
        ));
    }
    notes
}

/// The configuration file that reproduces `settings`: every global setting explicit, paths
/// relative to the current directory, `--metadata` sources as `[[metadata]]`; what doc sets
/// import (front matter, base URLs) is left to the import.
fn effective_file(settings: &Settings) -> ConfigFile {
    let written = &settings.file;
    let config_dir = settings
        .config_path
        .as_deref()
        .map(|p| super::discovery::parent(p).to_path_buf());
    let include_rules = |checks: &[super::IncludeCheck]| {
        Some(
            checks
                .iter()
                .map(|c| file::IncludeRule {
                    paths: c.paths.clone(),
                    include: c.include.clone(),
                })
                .collect(),
        )
    };
    let known_scopes = match (&written.permissions.known_scopes, &config_dir) {
        (Some(ListOrFile::File(name)), Some(dir)) => {
            Some(ListOrFile::File(display(&dir.join(name))))
        }
        _ => settings.known_scopes.clone().map(ListOrFile::List),
    };
    ConfigFile {
        root: Some(display(&settings.root)),
        exclude: settings.exclude.clone(),
        rules: settings
            .levels
            .base()
            .map(|(rule, level)| {
                (
                    Spanned::new(0..0, rule.id().to_string()),
                    Spanned::new(0..0, level.as_str().to_string()),
                )
            })
            .collect(),
        links: file::LinksSection {
            ignore: Some(settings.link_ignores.clone()),
            case_sensitive: Some(settings.case_sensitive_links),
        },
        http: file::HttpSection {
            base_urls: settings.base_urls.clone(),
        },
        front_matter: file::FrontMatterSection {
            required: settings.required_front_matter.clone(),
            allowed: Some(settings.allowed_front_matter.clone()),
        },
        repos: settings
            .repositories
            .iter()
            .filter_map(|r| Some((r.name.clone(), display(r.checkout.as_deref()?))))
            .collect(),
        includes: file::IncludesSection {
            require: include_rules(&settings.includes.require),
            forbid: include_rules(&settings.includes.forbid),
        },
        permissions: file::PermissionsSection {
            types: Some(settings.permission_types.clone()),
            order: Some(settings.permission_order.as_str().to_string()),
            known_scopes,
        },
        overrides: written.overrides.clone(),
        docsets: written
            .docsets
            .iter()
            .zip(&settings.docsets)
            .map(|(entry, set)| file::DocSetEntry {
                name: Some(set.name.clone()),
                root: display(&settings.root.join(&set.root)),
                pages: entry.pages.clone(),
            })
            .collect(),
        metadata: settings
            .metadata
            .iter()
            .map(|source| file::MetadataSection {
                paths: (!source.paths.is_empty()).then(|| source.paths.clone()),
                csdl: display(&source.file),
            })
            .collect(),
    }
}

fn display(path: &std::path::Path) -> String {
    crate::paths::display(path)
}

/// The level a rule's findings get, with a note when some get another. DL703 reports errors
/// only against a configured document outline, and DL103 only for configured required keys;
/// against the built-in defaults, warnings.
fn effective(
    rule: Rule,
    level: Level,
    outlines: &[String],
    unconfigured: &[String],
) -> (String, Option<String>) {
    if rule == Rule::FrontMatterKeyMissing
        && level == Level::On(crate::diagnostic::Severity::Error)
        && !unconfigured.is_empty()
    {
        return (
            "error".into(),
            Some(format!(
                "warnings in doc sets whose required keys are the built-in default ({})",
                unconfigured.join(", ")
            )),
        );
    }
    if rule == Rule::DocumentOutline && level == Level::On(crate::diagnostic::Severity::Error) {
        return if outlines.is_empty() {
            (
                "warning".into(),
                Some("no document outline is configured: the built-in API page outline reports warnings".into()),
            )
        } else {
            (
                "error".into(),
                Some(format!(
                    "errors only for the configured outlines ({}); warnings against the built-in API page outline",
                    outlines.join(", ")
                )),
            )
        };
    }
    (level.as_str().to_string(), None)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> Settings {
        Settings::defaults(std::path::PathBuf::from("/tmp"))
    }

    fn docset(outline: Vec<String>) -> DocSetDescription {
        DocSetDescription {
            name: "api-reference/v1.0".into(),
            root: "api-reference/v1.0".into(),
            from: vec!["ApiDoctor configuration api-reference/v1.0/config/schema.json".into()],
            pages: 3,
            required_front_matter: vec!["title".into()],
            required_front_matter_configured: true,
            base_urls: vec![],
            permission_titles: vec!["Permissions".into()],
            outline,
            skips: vec![],
            errors_as_warnings: vec![],
        }
    }

    #[test]
    fn lists_doc_sets_and_where_they_come_from() {
        let text = Description::new(&settings(), vec![docset(vec![])], vec![], 0)
            .render()
            .unwrap();
        assert!(
            text.contains("# doc set \"api-reference/v1.0\" (root api-reference/v1.0, 3 pages), from ApiDoctor configuration api-reference/v1.0/config/schema.json\n"),
            "{text}"
        );
        assert!(
            text.contains("#   required front matter (imported): [title]\n"),
            "{text}"
        );
        assert!(
            text.contains("DL703 = \"error\"  # document-outline; findings get warning; "),
            "{text}"
        );
        let read: ConfigFile = toml::from_str(&text).unwrap();
        assert_eq!(read.rules.len(), Rule::ALL.len());
    }

    #[test]
    fn dl703_shows_the_severity_its_findings_get() {
        let description = Description::new(&settings(), vec![docset(vec![])], vec![], 0);
        let dl703 = description
            .rules
            .iter()
            .find(|r| r.id == Rule::DocumentOutline.id())
            .unwrap();
        assert_eq!(dl703.level, "warning");
        let configured = vec!["enumPageType".to_string()];
        let description = Description::new(&settings(), vec![docset(configured)], vec![], 0);
        let dl703 = description
            .rules
            .iter()
            .find(|r| r.id == Rule::DocumentOutline.id())
            .unwrap();
        assert_eq!(dl703.level, "error");
        assert!(dl703
            .note
            .as_deref()
            .unwrap()
            .contains("enumPageType in api-reference/v1.0"));
    }
}
