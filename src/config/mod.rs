//! Configuration: the rule catalogue, `doclint.toml`, the ApiDoctor import, and the settings
//! a run uses — resolved once, as plain values, when the run starts.

pub mod apidoctor;
pub mod catalogue;
pub mod commented;
pub mod confine;
pub mod describe;
pub mod discovery;
pub mod file;
pub mod levels;
pub mod links;
pub mod metadata;
mod problems;

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};

use crate::rule::Rule;
pub use apidoctor::ApiDoctorConfig;
pub use catalogue::{ApiDoctorCode, Catalogue, RuleInfo};
pub use confine::ConfigPaths;
pub(crate) use discovery::line_column;
pub use discovery::read_config_text;
pub use file::{ConfigFile, Step};
pub use levels::{Levels, RuleLevels};
pub use links::{IncludeCheck, IncludePolicy};
pub use metadata::MetadataSource;
pub(crate) use problems::Problems;

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

/// Why the settings of a run could not be loaded (exit 2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoadError {
    /// A command-line option names something that does not exist: a usage error, about the
    /// command line and not about a file.
    Usage(String),
    /// The configuration files have these problems: every one found, in file order.
    Config(Vec<ConfigError>),
}

impl From<ConfigError> for LoadError {
    fn from(error: ConfigError) -> Self {
        LoadError::Config(vec![error])
    }
}

impl From<Vec<ConfigError>> for LoadError {
    fn from(errors: Vec<ConfigError>) -> Self {
        LoadError::Config(errors)
    }
}

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
    /// The configuration file as written (the default when there is none): `doclint config`
    /// writes its overrides and doc sets back.
    pub file: ConfigFile,
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
    /// setting. An unknown rule in `--select` or `--ignore`, or a `--config` file that does not
    /// exist, is a usage error.
    pub fn load(options: &LoadOptions, paths: &[PathBuf]) -> Result<Settings, LoadError> {
        let config_path = match (&options.config, options.no_config) {
            (Some(path), _) if !path.is_file() => {
                return Err(LoadError::Usage(format!(
                    "--config {}: no such file",
                    crate::report::escape::line(&crate::paths::display(path))
                )))
            }
            (Some(path), _) => Some(path.clone()),
            (None, true) => None,
            (None, false) => discovery::find_config(paths),
        };
        let source = config_path.clone().unwrap_or_default();
        let text = match &config_path {
            Some(path) => discovery::read_config_text(path)?,
            None => String::new(),
        };
        let mut problems = Problems::new(&source, &text);
        let file = match &config_path {
            Some(_) => match file::parse(&text) {
                Ok((file, found)) => {
                    for problem in found {
                        problems.at(problem.span, problem.message);
                    }
                    file
                }
                Err(found) => {
                    for problem in found {
                        problems.at(problem.span, problem.message);
                    }
                    return Err(problems.into_errors().into());
                }
            },
            None => ConfigFile::default(),
        };
        let config_paths = config_path.as_deref().map(ConfigPaths::of);
        let configured_root = match (&config_paths, &file.root) {
            (Some(paths), Some(root)) => {
                problems.take(&[Step::Key("root")], paths.resolve("root", root))
            }
            _ => None,
        };
        let (root, root_is_top) =
            discovery::root(config_path.as_deref().map(|p| (p, configured_root)), paths);
        let levels = Levels::resolve(&file, &options.select, &options.ignore, &mut problems)?;
        let permission_order =
            PermissionOrder::parse(file.permissions.order.as_deref(), &mut problems);
        let known_scopes =
            read_known_scopes(&file.permissions, config_paths.as_ref(), &mut problems);
        let includes = IncludePolicy::load(
            file.includes.require.as_deref(),
            file.includes.forbid.as_deref(),
            &mut problems,
        );
        let repositories = repositories(&file, config_paths.as_ref(), &root, &mut problems);
        let docsets = configured_docsets(&file, &source, &root, &mut problems);
        let metadata = problems
            .take(
                &[],
                metadata::load(&options.metadata, &file.metadata, config_path.as_deref()),
            )
            .unwrap_or_default();
        let exclude_globs = glob_set(&file.exclude, &[Step::Key("exclude")], &mut problems);
        let errors = problems.into_errors();
        if !errors.is_empty() {
            return Err(errors.into());
        }
        Ok(Settings {
            exclude_globs,
            exclude: file.exclude.clone(),
            required_front_matter: file.front_matter.required.clone(),
            allowed_front_matter: file
                .front_matter
                .allowed
                .clone()
                .unwrap_or_else(default_allowed),
            link_ignores: file.links.ignore.clone().unwrap_or_default(),
            case_sensitive_links: file.links.case_sensitive.unwrap_or(true),
            base_urls: file.http.base_urls.clone(),
            permission_types: file
                .permissions
                .types
                .clone()
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
            file,
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
    problems: &mut Problems<'_>,
) -> Vec<Repository> {
    let mut out: Vec<Repository> = match config_paths {
        Some(paths) => file
            .repos
            .iter()
            .filter_map(|(name, checkout)| {
                let key = format!("[repos] {:?}", crate::report::escape::line(name));
                let at = [Step::Key("repos"), Step::Key(name)];
                let checkout = problems.take(&at, paths.resolve(&key, checkout))?;
                Some(Repository {
                    name: name.clone(),
                    checkout: Some(checkout),
                })
            })
            .collect(),
        None => Vec::new(),
    };
    let dependent = problems
        .take(&[], links::dependent_repositories(root))
        .unwrap_or_default();
    for name in dependent {
        if !out.iter().any(|r| r.name.eq_ignore_ascii_case(&name)) {
            out.push(Repository {
                name,
                checkout: None,
            });
        }
    }
    out
}

/// `[[docsets]]`, their roots (relative to the configuration file) made relative to the run's
/// root, which must hold them.
fn configured_docsets(
    file: &ConfigFile,
    source: &Path,
    root: &Path,
    problems: &mut Problems<'_>,
) -> Vec<ConfiguredDocSet> {
    let base = discovery::parent(source);
    let base = std::fs::canonicalize(base).unwrap_or_else(|_| base.to_path_buf());
    let mut out = Vec::new();
    for (i, entry) in file.docsets.iter().enumerate() {
        let at = [Step::Key("docsets"), Step::Index(i)];
        let joined = base.join(&entry.root);
        let joined = std::fs::canonicalize(&joined).unwrap_or(joined);
        let relative = joined
            .strip_prefix(root)
            .ok()
            .map(crate::paths::to_slash)
            .and_then(|r| crate::paths::normalize(&r));
        let Some(relative) = relative else {
            problems.at_key(
                &[at[0], at[1], Step::Key("root")],
                format!(
                    "the [[docsets]] root {:?} is outside the root {}; doc sets must lie inside it",
                    entry.root,
                    crate::paths::display(root)
                ),
            );
            continue;
        };
        let pages = entry
            .pages
            .as_ref()
            .map(|p| glob_set(p, &[at[0], at[1], Step::Key("pages")], problems));
        out.push(ConfiguredDocSet {
            name: entry
                .name
                .clone()
                .unwrap_or_else(|| match relative.as_str() {
                    "" => ".".to_string(),
                    other => other.to_string(),
                }),
            root: relative,
            pages,
        });
    }
    out
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

    /// `[permissions] order` (least to most privileged when not set or unknown: an unknown
    /// order is a problem).
    fn parse(order: Option<&str>, problems: &mut Problems<'_>) -> PermissionOrder {
        match order {
            None | Some(LEAST_TO_MOST) => PermissionOrder::LeastToMost,
            Some(MOST_TO_LEAST) => PermissionOrder::MostToLeast,
            Some(other) => {
                problems.at_key(
                    &[Step::Key("permissions"), Step::Key("order")],
                    format!(
                        "unknown [permissions] order {other:?}; use \"{LEAST_TO_MOST}\" or \"{MOST_TO_LEAST}\""
                    ),
                );
                PermissionOrder::LeastToMost
            }
        }
    }
}

/// `[permissions] known-scopes`: the inline list, or the file it names (relative to the
/// configuration file; one scope a line, `#` comments and blank lines ignored).
fn read_known_scopes(
    section: &file::PermissionsSection,
    paths: Option<&ConfigPaths>,
    problems: &mut Problems<'_>,
) -> Option<Vec<String>> {
    match (&section.known_scopes, paths) {
        (None, _) | (Some(file::ListOrFile::File(_)), None) => None,
        (Some(file::ListOrFile::List(scopes)), _) => Some(scopes.clone()),
        (Some(file::ListOrFile::File(name)), Some(paths)) => {
            let at = [Step::Key("permissions"), Step::Key("known-scopes")];
            let text = problems.take(&at, paths.read("[permissions] known-scopes", name))?;
            Some(
                text.lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty() && !l.starts_with('#'))
                    .map(str::to_string)
                    .collect(),
            )
        }
    }
}

/// Compiles globs (the array at the key path `at`); each invalid one is a problem at its
/// position, and left out.
pub(crate) fn glob_set(
    patterns: &[String],
    at: &[Step<'_>],
    problems: &mut Problems<'_>,
) -> GlobSet {
    let mut builder = GlobSetBuilder::new();
    for (i, pattern) in patterns.iter().enumerate() {
        match Glob::new(pattern.trim_start_matches("./")) {
            Ok(glob) => {
                builder.add(glob);
            }
            Err(e) => {
                let mut key = at.to_vec();
                key.push(Step::Index(i));
                problems.at_key(&key, format!("invalid glob {pattern:?}: {}", e.kind()));
            }
        }
    }
    builder.build().unwrap_or_else(|e| {
        problems.at_key(at, format!("invalid globs: {e}"));
        GlobSet::empty()
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
        match Settings::load(&options, &[dir.path().to_path_buf()]) {
            Ok(settings) => Ok((dir, settings)),
            Err(LoadError::Config(errors)) => Err(errors[0].clone()),
            Err(LoadError::Usage(message)) => panic!("a usage error: {message}"),
        }
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
        let error = load("[[docsets]]\nroot = \"docs\"\npages = [\"a/[\"]\n").unwrap_err();
        assert_eq!((error.line, error.column), (3, 10), "{}", error.message);
    }

    #[test]
    fn every_problem_is_found_in_one_pass() {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("doclint.toml");
        std::fs::write(
            &config,
            "exclude = [\"a/[\", \"b/{\"]\n[link]\nignore = []\n\
             [permissions]\norder = \"up\"\n[rules]\nDL101 = \"loud\"\n",
        )
        .unwrap();
        let options = LoadOptions {
            config: Some(config),
            ..LoadOptions::default()
        };
        let Err(LoadError::Config(errors)) = Settings::load(&options, &[dir.path().to_path_buf()])
        else {
            panic!("not a configuration error");
        };
        let positions: Vec<(usize, usize)> = errors.iter().map(|e| (e.line, e.column)).collect();
        assert_eq!(
            positions,
            [(1, 12), (1, 19), (2, 2), (5, 9), (7, 9)],
            "{errors:?}"
        );
    }
}
