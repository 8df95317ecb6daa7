//! Configuration: the rule catalogue, `doclint.toml`, the ApiDoctor import, and the settings
//! a run uses — resolved once, as plain values, when the run starts.

pub mod apidoctor;
pub mod catalogue;
pub mod confine;
pub mod describe;
pub mod discovery;
pub mod file;
pub mod levels;
pub mod links;
pub mod metadata;

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};

use crate::rule::Rule;
pub use apidoctor::ApiDoctorConfig;
pub use catalogue::{ApiDoctorCode, Catalogue, RuleInfo};
pub use confine::ConfigPaths;
pub(crate) use discovery::line_column;
pub use discovery::read_config;
pub use file::ConfigFile;
pub use levels::{Levels, RuleLevels};
pub use links::{IncludeCheck, IncludePolicy};
pub use metadata::MetadataSource;

/// The names a configuration file may have, in order of preference.
pub const CONFIG_NAMES: &[&str] = &["doclint.toml", ".doclint.toml"];

/// A configuration that cannot be used: reported as DL905 config-invalid, exit 2.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// The file.
    pub path: PathBuf,
    /// 1-based line (0 when unknown).
    pub line: usize,
    /// 1-based column (0 when unknown).
    pub column: usize,
    /// What is wrong, lower-case.
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Printed on stderr, which CI runners read for commands: what the message quotes from
        // the file stays on one line.
        let path = crate::paths::display(&self.path);
        write!(
            f,
            "{}:{}:{}: error[{}/{}] {}",
            crate::report::escape::line(&path),
            self.line.max(1),
            self.column.max(1),
            Rule::ConfigInvalid.id(),
            Rule::ConfigInvalid.name(),
            crate::report::escape::line(&self.message)
        )
    }
}

impl std::error::Error for ConfigError {}

/// Options from the command line that shape the settings.
#[derive(Debug, Default, Clone)]
pub struct LoadOptions {
    /// `--config FILE`.
    pub config: Option<PathBuf>,
    /// `--no-config`.
    pub no_config: bool,
    /// `--no-apidoctor-config`.
    pub no_apidoctor_config: bool,
    /// `--select`: only these rules (ids, names or families).
    pub select: Vec<String>,
    /// `--ignore`: not these rules.
    pub ignore: Vec<String>,
    /// `--metadata [GLOB=]FILE`: service metadata to hold pages against.
    pub metadata: Vec<String>,
}

/// A `[[docsets]]` entry, its root made relative to the run's root.
#[derive(Debug)]
pub struct ConfiguredDocSet {
    /// Its name (the root as written when no name is given).
    pub name: String,
    /// Its root, relative to the run's root, `/` separated (`""` for the root itself).
    pub root: String,
    /// `pages`, compiled (relative to the doc set's root); `None`: every Markdown file.
    pub pages: Option<GlobSet>,
}

/// A repository that paths may reach into, with its local checkout when one is configured.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repository {
    /// Its name (a `[repos]` key, or a DocFX dependent repository's folder).
    pub name: String,
    /// Its local checkout.
    pub checkout: Option<PathBuf>,
}

/// The settings of one run, every default resolved.
#[derive(Debug)]
pub struct Settings {
    /// The configuration file in use.
    pub config_path: Option<PathBuf>,
    /// The checkout root: the base of root-relative links and of doc-set paths.
    pub root: PathBuf,
    /// Whether the root is the top of a checkout (see [`discovery::root`]); otherwise links
    /// may reach into parts of the repository that were not checked.
    pub root_is_top: bool,
    /// `exclude` as written.
    pub exclude: Vec<String>,
    exclude_globs: GlobSet,
    /// `[front-matter] required`, when configured (doc sets resolve the default).
    pub required_front_matter: Option<Vec<String>>,
    /// Allowed front-matter values by key.
    pub allowed_front_matter: BTreeMap<String, Vec<String>>,
    /// `[links] ignore`.
    pub link_ignores: Vec<String>,
    /// Whether a link target that exists only in another case is reported (DL402).
    pub case_sensitive_links: bool,
    /// `[http] base-urls`, when configured (doc sets resolve the default).
    pub base_urls: Option<Vec<String>>,
    /// The permission types allowed in a permissions table's first column.
    pub permission_types: Vec<String>,
    /// The order scopes are listed in.
    pub permission_order: PermissionOrder,
    /// The allowlist of scopes, when one is configured.
    pub known_scopes: Option<Vec<String>>,
    /// Required and forbidden includes.
    pub includes: IncludePolicy,
    /// Repositories that paths may reach into.
    pub repositories: Vec<Repository>,
    /// `[[docsets]]`.
    pub docsets: Vec<ConfiguredDocSet>,
    /// Whether ApiDoctor configurations are imported (not `--no-apidoctor-config`).
    pub import_apidoctor: bool,
    /// The rule levels.
    pub levels: Levels,
    /// Service metadata (CSDL) files that resource pages are held against.
    pub metadata: Vec<MetadataSource>,
}

impl Settings {
    /// Finds the configuration for `paths` (or uses `--config`), reads it, and resolves every
    /// setting.
    pub fn load(options: &LoadOptions, paths: &[PathBuf]) -> Result<Settings, ConfigError> {
        let config_path = match (&options.config, options.no_config) {
            (Some(path), _) => Some(path.clone()),
            (None, true) => None,
            (None, false) => discovery::find_config(paths),
        };
        let file = match &config_path {
            Some(path) => read_config(path)?,
            None => ConfigFile::default(),
        };
        let config_paths = config_path.as_deref().map(ConfigPaths::of);
        let configured_root = match (&config_paths, &file.root) {
            (Some(paths), Some(root)) => Some(paths.resolve("root", root)?),
            _ => None,
        };
        let (root, root_is_top) =
            discovery::root(config_path.as_deref().map(|p| (p, configured_root)), paths);
        let source = config_path.clone().unwrap_or_default();
        let levels = Levels::resolve(&file, &options.select, &options.ignore, &source)?;
        let permission_order = PermissionOrder::parse(file.permissions.order.as_deref(), &source)?;
        let known_scopes = read_known_scopes(&file.permissions, config_paths.as_ref())?;
        let includes = IncludePolicy::load(
            file.includes.require.as_deref(),
            file.includes.forbid.as_deref(),
            &source,
        )?;
        let repositories = repositories(&file, config_paths.as_ref(), &root)?;
        let docsets = configured_docsets(&file, &source, &root)?;
        let metadata = metadata::load(&options.metadata, &file.metadata, config_path.as_deref())?;
        Ok(Settings {
            exclude_globs: glob_set(&file.exclude, &source)?,
            exclude: file.exclude,
            required_front_matter: file.front_matter.required,
            allowed_front_matter: file.front_matter.allowed.unwrap_or_else(default_allowed),
            link_ignores: file.links.ignore.unwrap_or_default(),
            case_sensitive_links: file.links.case_sensitive.unwrap_or(true),
            base_urls: file.http.base_urls,
            permission_types: file
                .permissions
                .types
                .unwrap_or_else(default_permission_types),
            permission_order,
            known_scopes,
            includes,
            repositories,
            docsets,
            import_apidoctor: !options.no_apidoctor_config,
            levels,
            metadata,
            config_path,
            root,
            root_is_top,
        })
    }

    /// The settings of a run with no configuration at all, rooted at `root`.
    pub fn defaults(root: PathBuf) -> Settings {
        let options = LoadOptions {
            no_config: true,
            ..LoadOptions::default()
        };
        let mut settings =
            Settings::load(&options, &[]).expect("the built-in defaults are a valid configuration");
        settings.root = root;
        settings
    }

    /// The service metadata a page is held against (`--metadata`, `[[metadata]]`): the first
    /// source whose globs match its path relative to the root.
    pub fn metadata_for(&self, docset_path: &str) -> Option<&MetadataSource> {
        self.metadata.iter().find(|m| m.governs(docset_path))
    }

    /// Whether `exclude` names the file (a path relative to the root); excluded files stay
    /// link and include targets.
    pub fn excludes(&self, docset_path: &str) -> bool {
        // DocFX tables of contents (`TOC.md`) are lists of links, not pages.
        let toc = docset_path
            .rsplit('/')
            .next()
            .is_some_and(|name| name.eq_ignore_ascii_case("toc.md"));
        toc || self.exclude_globs.is_match(docset_path)
    }
}

/// `doc_type` limited to the four page types.
fn default_allowed() -> BTreeMap<String, Vec<String>> {
    let page_types = [
        "apiPageType",
        "resourcePageType",
        "conceptualPageType",
        "enumPageType",
    ];
    BTreeMap::from([(
        "doc_type".to_string(),
        page_types.iter().map(|s| s.to_string()).collect(),
    )])
}

/// Microsoft Graph's three permission types.
fn default_permission_types() -> Vec<String> {
    [
        "Delegated (work or school account)",
        "Delegated (personal Microsoft account)",
        "Application",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

/// `[repos]` entries with their local checkout (relative to the configuration file, and
/// confined to its repository), then the dependent repositories of DocFX's publishing config
/// that have none.
fn repositories(
    file: &ConfigFile,
    config_paths: Option<&ConfigPaths>,
    root: &Path,
) -> Result<Vec<Repository>, ConfigError> {
    let mut out: Vec<Repository> = match config_paths {
        Some(paths) => file
            .repos
            .iter()
            .map(|(name, checkout)| {
                let key = format!("[repos] {:?}", crate::report::escape::line(name));
                Ok(Repository {
                    name: name.clone(),
                    checkout: Some(paths.resolve(&key, checkout)?),
                })
            })
            .collect::<Result<Vec<_>, ConfigError>>()?,
        None => Vec::new(),
    };
    for name in links::dependent_repositories(root)? {
        if !out.iter().any(|r| r.name.eq_ignore_ascii_case(&name)) {
            out.push(Repository {
                name,
                checkout: None,
            });
        }
    }
    Ok(out)
}

/// `[[docsets]]`, their roots (relative to the configuration file) made relative to the run's
/// root, which must hold them.
fn configured_docsets(
    file: &ConfigFile,
    source: &Path,
    root: &Path,
) -> Result<Vec<ConfiguredDocSet>, ConfigError> {
    let base = discovery::parent(source);
    let base = std::fs::canonicalize(base).unwrap_or_else(|_| base.to_path_buf());
    file.docsets
        .iter()
        .map(|entry| {
            let joined = base.join(&entry.root);
            let joined = std::fs::canonicalize(&joined).unwrap_or(joined);
            let relative = joined
                .strip_prefix(root)
                .ok()
                .map(crate::paths::to_slash)
                .and_then(|r| crate::paths::normalize(&r))
                .ok_or_else(|| ConfigError {
                    path: source.to_path_buf(),
                    line: 0,
                    column: 0,
                    message: format!(
                        "the [[docsets]] root {:?} is outside the root {}; doc sets must lie inside it",
                        entry.root,
                        crate::paths::display(root)
                    ),
                })?;
            Ok(ConfiguredDocSet {
                name: entry.name.clone().unwrap_or_else(|| match relative.as_str() {
                    "" => ".".to_string(),
                    other => other.to_string(),
                }),
                root: relative,
                pages: entry
                    .pages
                    .as_ref()
                    .map(|p| glob_set(p, source))
                    .transpose()?,
            })
        })
        .collect()
}

const LEAST_TO_MOST: &str = "least-to-most";
const MOST_TO_LEAST: &str = "most-to-least";

/// The order in which a permissions table lists scopes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PermissionOrder {
    /// From least to most privileged (Microsoft Graph's convention).
    LeastToMost,
    /// From most to least privileged.
    MostToLeast,
}

impl PermissionOrder {
    /// The configuration spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            PermissionOrder::LeastToMost => LEAST_TO_MOST,
            PermissionOrder::MostToLeast => MOST_TO_LEAST,
        }
    }

    /// `[permissions] order` (least to most privileged when not set).
    fn parse(order: Option<&str>, source: &Path) -> Result<PermissionOrder, ConfigError> {
        match order {
            None | Some(LEAST_TO_MOST) => Ok(PermissionOrder::LeastToMost),
            Some(MOST_TO_LEAST) => Ok(PermissionOrder::MostToLeast),
            Some(other) => Err(ConfigError {
                path: source.to_path_buf(),
                line: 0,
                column: 0,
                message: format!(
                    "unknown [permissions] order {other:?}; use \"{LEAST_TO_MOST}\" or \"{MOST_TO_LEAST}\""
                ),
            }),
        }
    }
}

/// `[permissions] known-scopes`: the inline list, or the file it names (relative to the
/// configuration file; one scope a line, `#` comments and blank lines ignored).
fn read_known_scopes(
    section: &file::PermissionsSection,
    paths: Option<&ConfigPaths>,
) -> Result<Option<Vec<String>>, ConfigError> {
    match (&section.known_scopes, paths) {
        (None, _) | (Some(file::ListOrFile::File(_)), None) => Ok(None),
        (Some(file::ListOrFile::List(scopes)), _) => Ok(Some(scopes.clone())),
        (Some(file::ListOrFile::File(name)), Some(paths)) => {
            let text = paths.read("[permissions] known-scopes", name)?;
            Ok(Some(
                text.lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty() && !l.starts_with('#'))
                    .map(str::to_string)
                    .collect(),
            ))
        }
    }
}

pub(crate) fn glob_set(patterns: &[String], source: &Path) -> Result<GlobSet, ConfigError> {
    let mut builder = GlobSetBuilder::new();
    for pattern in patterns {
        let glob = Glob::new(pattern.trim_start_matches("./")).map_err(|e| ConfigError {
            path: source.to_path_buf(),
            line: 0,
            column: 0,
            message: format!("invalid glob {pattern:?}: {e}"),
        })?;
        builder.add(glob);
    }
    builder.build().map_err(|e| ConfigError {
        path: source.to_path_buf(),
        line: 0,
        column: 0,
        message: format!("invalid globs: {e}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(toml: &str) -> Result<(tempfile::TempDir, Settings), ConfigError> {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("docs/v1")).unwrap();
        let config = dir.path().join("doclint.toml");
        std::fs::write(&config, toml).unwrap();
        let options = LoadOptions {
            config: Some(config),
            ..LoadOptions::default()
        };
        let settings = Settings::load(&options, &[dir.path().to_path_buf()])?;
        Ok((dir, settings))
    }

    #[test]
    fn defaults_are_resolved_once() {
        let (_dir, settings) = load("").unwrap();
        assert_eq!(settings.required_front_matter, None);
        assert!(settings.allowed_front_matter["doc_type"].contains(&"apiPageType".to_string()));
        assert!(settings.case_sensitive_links);
        assert_eq!(settings.permission_types.len(), 3);
        assert_eq!(settings.permission_order, PermissionOrder::LeastToMost);
        assert!(settings.root_is_top);
        assert!(settings.excludes("a/TOC.md") && !settings.excludes("a/b.md"));
    }

    #[test]
    fn configured_values_win() {
        let (_dir, settings) = load(
            "exclude = [\"drafts/**\"]\n[front-matter]\nrequired = [\"title\"]\n\
             [links]\nignore = [\"/graph/\"]\ncase-sensitive = false\n\
             [permissions]\norder = \"most-to-least\"\nknown-scopes = [\"User.Read\"]\n",
        )
        .unwrap();
        assert_eq!(
            settings.required_front_matter,
            Some(vec!["title".to_string()])
        );
        assert_eq!(settings.link_ignores, vec!["/graph/"]);
        assert!(!settings.case_sensitive_links);
        assert_eq!(settings.permission_order, PermissionOrder::MostToLeast);
        assert_eq!(
            settings.known_scopes.as_deref(),
            Some(&["User.Read".to_string()][..])
        );
        assert!(settings.excludes("drafts/x.md"));
    }

    #[test]
    fn docsets_are_relative_to_the_root() {
        let (_dir, settings) = load(
            "[[docsets]]\nname = \"v1\"\nroot = \"docs/v1\"\npages = [\"api/**\"]\n\
             [[docsets]]\nroot = \"docs\"\n",
        )
        .unwrap();
        assert_eq!(settings.docsets.len(), 2);
        assert_eq!(
            (
                settings.docsets[0].name.as_str(),
                settings.docsets[0].root.as_str()
            ),
            ("v1", "docs/v1")
        );
        assert!(settings.docsets[0]
            .pages
            .as_ref()
            .unwrap()
            .is_match("api/x.md"));
        assert_eq!(settings.docsets[1].name, "docs");
        let error = load("[[docsets]]\nroot = \"..\"\n").unwrap_err();
        assert!(
            error.message.contains("outside the root"),
            "{}",
            error.message
        );
    }

    #[test]
    fn bad_values_are_config_errors() {
        let error = load("[permissions]\norder = \"random\"\n").unwrap_err();
        assert!(error.message.contains("unknown [permissions] order"));
        let error = load("exclude = [\"a/[\"]\n").unwrap_err();
        assert!(error.message.contains("invalid glob"));
        let error = load("unknown = 1\n").unwrap_err();
        assert_eq!((error.line, error.column), (1, 1));
    }
}
