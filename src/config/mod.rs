//! Configuration: the rule catalogue, `doclint.toml`, the ApiDoctor import, and the effective
//! settings a run uses.

pub mod apidoctor;
pub mod catalogue;
pub mod confine;
pub mod describe;
pub mod file;
pub mod links;
pub mod metadata;

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};

use crate::diagnostic::Level;
use crate::rule::Rule;
pub use apidoctor::ApiDoctorConfig;
pub use catalogue::{Catalogue, RuleInfo};
pub use confine::ConfigPaths;
pub use file::{ConfigFile, Step};
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
        if self.line > 0 {
            write!(
                f,
                "{}:{}:{}",
                crate::report::escape::line(&path),
                self.line,
                self.column.max(1)
            )?;
        } else {
            f.write_str(&crate::report::escape::line(&path))?;
        }
        let rule = Rule::ConfigInvalid;
        write!(
            f,
            ": error[{}/{}] {}",
            rule.id(),
            rule.name(),
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

impl From<Vec<ConfigError>> for LoadError {
    fn from(errors: Vec<ConfigError>) -> Self {
        LoadError::Config(errors)
    }
}

/// The problems of one configuration file, positioned in its text as they are found, so that
/// one run reports all of them.
#[derive(Debug)]
pub(crate) struct Problems<'a> {
    path: &'a Path,
    text: &'a str,
    errors: Vec<ConfigError>,
}

impl<'a> Problems<'a> {
    pub(crate) fn new(path: &'a Path, text: &'a str) -> Self {
        Problems {
            path,
            text,
            errors: Vec::new(),
        }
    }

    /// A problem at a byte range of the text (or with no position).
    fn at(&mut self, span: Option<std::ops::Range<usize>>, message: String) {
        let (line, column) = span.map_or((0, 0), |s| line_column(self.text, s.start));
        self.errors.push(ConfigError {
            path: self.path.to_path_buf(),
            line,
            column,
            message,
        });
    }

    /// A problem with the value at a key path.
    pub(crate) fn at_key(&mut self, key: &[Step<'_>], message: String) {
        let span = file::locate(self.text, key);
        self.at(span, message);
    }

    /// The problems, in file order.
    fn into_errors(mut self) -> Vec<ConfigError> {
        self.errors.sort_by_key(|e| (e.line, e.column));
        self.errors
    }
}

/// The levels of all rules for one file, indexed like the catalogue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleLevels(Vec<Level>);

impl RuleLevels {
    /// The level of a rule.
    pub fn get(&self, rule: Rule) -> Level {
        self.0[rule.index()]
    }
}

/// A set of levels applied on top of others: rule index → level.
type LevelTable = Vec<(usize, Level)>;

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

/// The settings of one run.
#[derive(Debug)]
pub struct Settings {
    /// The configuration file in use.
    pub config_path: Option<PathBuf>,
    /// The doc-set root for root-relative links.
    pub root: PathBuf,
    /// The parsed configuration file (defaults when there is none).
    pub file: ConfigFile,
    /// The imported ApiDoctor configuration.
    pub apidoctor: ApiDoctorConfig,
    exclude: GlobSet,
    known_scopes: Option<Vec<String>>,
    includes: IncludePolicy,
    dependent_repositories: Vec<String>,
    /// `[repos]`: repository name and local checkout, checked to stay in bounds.
    repositories: Vec<(String, PathBuf)>,
    base_levels: Vec<Level>,
    overrides: Vec<(GlobSet, LevelTable)>,
    metadata: Vec<MetadataSource>,
}

impl Settings {
    /// Finds the configuration for `paths` (or uses `--config`), reads it, and resolves levels.
    /// Every problem of the configuration file is reported at once; an unknown rule in
    /// `--select` or `--ignore`, or a `--config` file that does not exist, is a usage error.
    pub fn load(options: &LoadOptions, paths: &[PathBuf]) -> Result<Settings, LoadError> {
        let selection = Selection::parse(&options.select, &options.ignore)?;
        let config_path = match (&options.config, options.no_config) {
            (Some(path), _) if !path.is_file() => {
                return Err(LoadError::Usage(format!(
                    "--config {}: no such file",
                    crate::paths::display(path)
                )))
            }
            (Some(path), _) => Some(path.clone()),
            (None, true) => None,
            (None, false) => discover(paths),
        };
        let source = config_path.clone().unwrap_or_default();
        let text = match &config_path {
            Some(path) => {
                ConfigPaths::of(path).check_source().map_err(|e| vec![e])?;
                crate::files::read_text(path, crate::files::CONFIG_LIMIT).map_err(|e| {
                    vec![ConfigError {
                        path: path.clone(),
                        line: 0,
                        column: 0,
                        message: format!("cannot read the configuration file: {e}"),
                    }]
                })?
            }
            None => String::new(),
        };
        let mut problems = Problems::new(&source, &text);
        let file = match config_path {
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
        let root = match (&config_paths, &file.root) {
            (Some(paths), Some(root)) => paths.resolve("root", root).unwrap_or_else(|e| {
                problems.at_key(&[Step::Key("root")], e.message);
                paths.boundary().to_path_buf()
            }),
            (Some(_), None) => {
                parent(config_path.as_deref().unwrap_or(Path::new("."))).to_path_buf()
            }
            // Named files in a repository (pre-commit) resolve against the repository's top
            // folder, as a run over the whole tree would; directories are their own root.
            (None, _) if paths.iter().all(|p| p.is_file()) => {
                repository_root(paths).unwrap_or_else(|| common_directory(paths))
            }
            (None, _) => common_directory(paths),
        };
        let root = std::fs::canonicalize(&root).unwrap_or(root);
        let mut base_levels: Vec<Level> = Rule::ALL.iter().map(|r| r.default_level()).collect();
        apply(&mut base_levels, &resolve_table(&file.rules, &mut problems));
        selection.apply(&mut base_levels);
        let overrides = file
            .overrides
            .iter()
            .enumerate()
            .map(|(i, o)| {
                let at = [Step::Key("overrides"), Step::Index(i)];
                let paths = [at[0], at[1], Step::Key("paths")];
                (
                    glob_set(&o.paths, &paths, &mut problems),
                    resolve_table(&o.rules, &mut problems),
                )
            })
            .collect();
        let exclude = glob_set(&file.exclude, &[Step::Key("exclude")], &mut problems);
        check_permission_order(&file.permissions, &mut problems);
        let known_scopes =
            read_known_scopes(&file.permissions, config_paths.as_ref(), &mut problems);
        let repositories = match &config_paths {
            Some(paths) => file
                .repos
                .iter()
                .filter_map(|(name, checkout)| {
                    let key = format!("[repos] {:?}", crate::report::escape::line(name));
                    match paths.resolve(&key, checkout) {
                        Ok(dir) => Some((name.clone(), dir)),
                        Err(e) => {
                            problems.at_key(&[Step::Key("repos"), Step::Key(name)], e.message);
                            None
                        }
                    }
                })
                .collect(),
            None => Vec::new(),
        };
        let includes = IncludePolicy::load(
            file.includes.require.as_deref(),
            file.includes.forbid.as_deref(),
            &mut problems,
        );
        let mut errors = problems.into_errors();
        let metadata = metadata::load(&options.metadata, &file.metadata, config_path.as_deref())
            .unwrap_or_else(|e| {
                errors.push(e);
                Vec::new()
            });
        let dependent_repositories = links::dependent_repositories(&root).unwrap_or_else(|e| {
            errors.push(e);
            Vec::new()
        });
        if !errors.is_empty() {
            return Err(errors.into());
        }
        Ok(Settings {
            config_path,
            root,
            file,
            apidoctor: ApiDoctorConfig::default(),
            exclude,
            known_scopes,
            includes,
            dependent_repositories,
            repositories,
            base_levels,
            overrides,
            metadata,
        })
    }

    /// Reads the ApiDoctor configs among these JSON files, unless turned off.
    pub fn import_apidoctor(&mut self, json_files: &[PathBuf]) -> Result<(), LoadError> {
        self.apidoctor = ApiDoctorConfig::load(json_files)?;
        Ok(())
    }

    /// The rule levels for a file (`docset_path` relative to the root).
    pub fn levels_for(&self, docset_path: &str) -> RuleLevels {
        let mut levels = self.base_levels.clone();
        for (globs, table) in &self.overrides {
            if globs.is_match(docset_path) {
                apply(&mut levels, table);
            }
        }
        RuleLevels(levels)
    }

    /// The service metadata a page is held against (`--metadata`, `[[metadata]]`): the first
    /// source whose globs match its doc-set path.
    pub fn metadata_for(&self, docset_path: &str) -> Option<&MetadataSource> {
        self.metadata.iter().find(|m| m.governs(docset_path))
    }

    /// Whether the file is excluded from linting (a DocFX `TOC.md`, `exclude`, or ApiDoctor's
    /// skip lists);
    /// excluded files stay in the index as link and include targets.
    pub fn is_excluded(&self, docset_path: &str) -> bool {
        // DocFX tables of contents (`TOC.md`) are lists of links, not pages.
        let toc = docset_path
            .rsplit('/')
            .next()
            .is_some_and(|name| name.eq_ignore_ascii_case("toc.md"));
        toc || self.exclude.is_match(docset_path) || self.apidoctor.skips(docset_path)
    }

    /// Required front-matter keys: `[front-matter] required`, else ApiDoctor's
    /// `requiredYamlHeaders` when an ApiDoctor `schemaConfig` was imported, else title and
    /// description.
    pub fn required_front_matter(&self) -> Vec<String> {
        if let Some(required) = &self.file.front_matter.required {
            return required.clone();
        }
        // A doc set that ApiDoctor validates requires what its schemaConfig lists, possibly
        // nothing (OneDrive's requires no header).
        if self.apidoctor.has_schema_config {
            return self.apidoctor.required_yaml_headers.clone();
        }
        vec!["title".into(), "description".into()]
    }

    /// Allowed front-matter values by key: `[front-matter] allowed`, else `doc_type` limited to
    /// the four page types.
    pub fn allowed_front_matter(&self) -> BTreeMap<String, Vec<String>> {
        if let Some(allowed) = &self.file.front_matter.allowed {
            return allowed.clone();
        }
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

    /// Allowed base URLs for absolute request URLs: `[http] base-urls`, else ApiDoctor's.
    pub fn base_urls(&self) -> Vec<String> {
        match &self.file.http.base_urls {
            Some(urls) => urls.clone(),
            None => self.apidoctor.base_urls.clone(),
        }
    }

    /// Root-relative link prefixes treated as external: `[links] ignore` plus ApiDoctor's
    /// `pathsToIgnore`.
    pub fn link_ignores(&self) -> Vec<String> {
        let mut out = self.file.links.ignore.clone().unwrap_or_default();
        for p in &self.apidoctor.paths_to_ignore {
            if !out.contains(p) {
                out.push(p.clone());
            }
        }
        out
    }

    /// The headings that open a Permissions section: the titles of ApiDoctor's `AuthScopes`
    /// table definition when one is imported, else `Permissions`.
    pub fn permission_titles(&self) -> Vec<String> {
        let titles: Vec<String> = self
            .apidoctor
            .table_definitions
            .as_ref()
            .and_then(|t| t.get("tables"))
            .and_then(serde_json::Value::as_array)
            .into_iter()
            .flatten()
            .filter(|t| t.get("type").and_then(serde_json::Value::as_str) == Some("AuthScopes"))
            .filter_map(|t| t.get("titles").and_then(serde_json::Value::as_array))
            .flatten()
            .filter_map(serde_json::Value::as_str)
            .map(str::to_string)
            .collect();
        if titles.is_empty() {
            vec!["Permissions".into()]
        } else {
            titles
        }
    }

    /// The permission types allowed in a permissions table's first column: `[permissions]
    /// types`, else Microsoft Graph's three.
    pub fn permission_types(&self) -> Vec<String> {
        self.file.permissions.types.clone().unwrap_or_else(|| {
            [
                "Delegated (work or school account)",
                "Delegated (personal Microsoft account)",
                "Application",
            ]
            .iter()
            .map(|s| s.to_string())
            .collect()
        })
    }

    /// The order scopes are listed in: `[permissions] order`, else least to most privileged.
    pub fn permission_order(&self) -> PermissionOrder {
        match self.file.permissions.order.as_deref() {
            Some(MOST_TO_LEAST) => PermissionOrder::MostToLeast,
            _ => PermissionOrder::LeastToMost,
        }
    }

    /// The allowlist of scopes (`[permissions] known-scopes`, inline or read from its file),
    /// when one is configured.
    pub fn known_scopes(&self) -> Option<&[String]> {
        self.known_scopes.as_deref()
    }

    /// Whether a link target that exists only in another case is reported (DL402):
    /// `[links] case-sensitive`, default true.
    pub fn case_sensitive_links(&self) -> bool {
        self.file.links.case_sensitive.unwrap_or(true)
    }

    /// Required and forbidden includes (`[[includes.require]]`, `[[includes.forbid]]`, or the
    /// beta-disclaimer defaults).
    pub fn include_policy(&self) -> &IncludePolicy {
        &self.includes
    }

    /// Repositories that paths may reach into (`/repo-name/path` links and includes): `[repos]` entries with their local
    /// checkout (relative to the configuration file), then the dependent repositories of DocFX's
    /// `.openpublishing.publish.config.json` that have none.
    pub fn repositories(&self) -> Vec<(String, Option<PathBuf>)> {
        let mut out: Vec<(String, Option<PathBuf>)> = self
            .repositories
            .iter()
            .map(|(name, checkout)| (name.clone(), Some(checkout.clone())))
            .collect();
        for name in &self.dependent_repositories {
            if !out
                .iter()
                .any(|(known, _)| known.eq_ignore_ascii_case(name))
            {
                out.push((name.clone(), None));
            }
        }
        out
    }
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
}

fn check_permission_order(section: &file::PermissionsSection, problems: &mut Problems<'_>) {
    match section.order.as_deref() {
        None | Some(LEAST_TO_MOST | MOST_TO_LEAST) => {}
        Some(other) => problems.at_key(
            &[Step::Key("permissions"), Step::Key("order")],
            format!(
                "unknown [permissions] order {other:?}; use \"{LEAST_TO_MOST}\" or \"{MOST_TO_LEAST}\""
            ),
        ),
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
            match paths.read("[permissions] known-scopes", name) {
                Ok(text) => Some(
                    text.lines()
                        .map(str::trim)
                        .filter(|l| !l.is_empty() && !l.starts_with('#'))
                        .map(str::to_string)
                        .collect(),
                ),
                Err(e) => {
                    problems.at_key(
                        &[Step::Key("permissions"), Step::Key("known-scopes")],
                        e.message,
                    );
                    None
                }
            }
        }
    }
}

fn apply(levels: &mut [Level], table: &LevelTable) {
    for &(i, level) in table {
        levels[i] = level;
    }
}

/// `--select` and `--ignore` resolved to catalogue indices: `--select` keeps only the named
/// rules (turning on named rules that are off by default); `--ignore` turns rules off.
struct Selection {
    select: Option<Vec<usize>>,
    ignore: Vec<usize>,
}

impl Selection {
    /// Resolves the selectors; an unknown one is a usage error naming the option.
    fn parse(select: &[String], ignore: &[String]) -> Result<Selection, LoadError> {
        let ids = |option: &str, selectors: &[String]| -> Result<Vec<usize>, LoadError> {
            let catalogue = Catalogue::builtin();
            let mut out = Vec::new();
            for selector in selectors
                .iter()
                .flat_map(|s| s.split(','))
                .filter(|s| !s.trim().is_empty())
            {
                let named = catalogue.select(selector).ok_or_else(|| {
                    LoadError::Usage(format!("{option}: {}", unknown_rule(selector)))
                })?;
                out.extend(named.iter().map(|rule| rule.index()));
            }
            Ok(out)
        };
        Ok(Selection {
            select: (!select.is_empty())
                .then(|| ids("--select", select))
                .transpose()?,
            ignore: ids("--ignore", ignore)?,
        })
    }

    fn apply(&self, levels: &mut [Level]) {
        if let Some(selected) = &self.select {
            for (i, level) in levels.iter_mut().enumerate() {
                if !selected.contains(&i) {
                    *level = Level::Off;
                } else if *level == Level::Off {
                    *level = Level::On(crate::diagnostic::Severity::Warning);
                }
            }
        }
        for &i in &self.ignore {
            levels[i] = Level::Off;
        }
    }
}

/// `unknown rule, rule name or family "x"; did you mean "y"?`
fn unknown_rule(selector: &str) -> String {
    let hint = Catalogue::builtin().suggest(selector).map_or_else(
        || "; `doclint rules` lists the ids and names".into(),
        |s| format!("; did you mean {s:?}?"),
    );
    format!(
        "unknown rule, rule name or family {:?}{hint}",
        selector.trim()
    )
}

/// Resolves a `[rules]` table to catalogue indices; unknown keys and levels are problems at
/// their positions, and left out.
fn resolve_table(table: &file::RuleTable, problems: &mut Problems<'_>) -> LevelTable {
    let catalogue = Catalogue::builtin();
    // Families first, then single rules, so `links = "off"` with `DL401 = "error"` keeps DL401.
    let mut entries: Vec<(bool, usize, Level)> = Vec::new();
    for (key, value) in table {
        let Some(ids) = catalogue.select(key.get_ref()) else {
            problems.at(Some(key.span()), unknown_rule(key.get_ref()));
            continue;
        };
        let Some(level) = Level::parse(value.get_ref()) else {
            problems.at(
                Some(value.span()),
                format!(
                    "unknown level {:?} for {:?}; use \"error\", \"warning\", \"info\" or \"off\"",
                    value.get_ref(),
                    key.get_ref()
                ),
            );
            continue;
        };
        let single = Rule::from_key(key.get_ref()).is_some();
        entries.extend(ids.iter().map(|rule| (single, rule.index(), level)));
    }
    entries.sort_by_key(|&(single, _, _)| single);
    entries
        .into_iter()
        .map(|(_, i, level)| (i, level))
        .collect()
}

/// Compiles globs (the array at the key path `at`); an invalid one is a problem at its
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

/// 1-based line and column of a byte offset.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = crate::source::floor_char_boundary(text, offset);
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line, column)
}

/// Finds `doclint.toml` or `.doclint.toml` walking up from the first checked path, stopping at
/// a directory that holds `.git` (or at the file-system root).
pub fn discover(paths: &[PathBuf]) -> Option<PathBuf> {
    let start = paths.first().cloned().unwrap_or_else(|| PathBuf::from("."));
    let start = real_folder(&start);
    let mut dir = Some(start.as_path());
    while let Some(current) = dir {
        for name in CONFIG_NAMES {
            let candidate = current.join(name);
            if candidate.is_file() {
                return Some(candidate);
            }
        }
        if current.join(".git").exists() {
            return None;
        }
        dir = current.parent();
    }
    None
}

/// The nearest folder holding `.git` above the first checked path.
fn repository_root(paths: &[PathBuf]) -> Option<PathBuf> {
    let start = paths.first().cloned().unwrap_or_else(|| PathBuf::from("."));
    let start = real_folder(&start);
    start
        .ancestors()
        .find(|dir| dir.join(".git").exists())
        .map(Path::to_path_buf)
}

fn parent(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// The real path of a checked folder, or of the folder a checked file is named in (a file's
/// own symbolic link is not followed: where it leads does not move the doc set).
fn real_folder(path: &Path) -> PathBuf {
    let folder = if path.is_dir() { path } else { parent(path) };
    std::fs::canonicalize(folder).unwrap_or_else(|_| folder.to_path_buf())
}

/// The deepest directory containing every checked path.
fn common_directory(paths: &[PathBuf]) -> PathBuf {
    let dirs: Vec<PathBuf> = paths.iter().map(|p| real_folder(p)).collect();
    let Some(first) = dirs.first() else {
        return std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    };
    let mut common = first.clone();
    for dir in &dirs[1..] {
        while !dir.starts_with(&common) {
            if !common.pop() {
                break;
            }
        }
    }
    common
}
