//! Configuration: the rule catalogue, `doclint.toml`, the ApiDoctor import, and the effective
//! settings a run uses.

pub mod apidoctor;
pub mod catalogue;
pub mod confine;
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
pub use file::ConfigFile;
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
    /// `root_hint` is the checked directory used as root when no configuration says otherwise.
    pub fn load(options: &LoadOptions, paths: &[PathBuf]) -> Result<Settings, ConfigError> {
        let config_path = match (&options.config, options.no_config) {
            (Some(path), _) => Some(path.clone()),
            (None, true) => None,
            (None, false) => discover(paths),
        };
        let file = match &config_path {
            Some(path) => read_config(path)?,
            None => ConfigFile::default(),
        };
        let config_paths = config_path.as_deref().map(ConfigPaths::of);
        let root = match (&config_paths, &file.root) {
            (Some(paths), Some(root)) => paths.resolve("root", root)?,
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
        let source = config_path.clone().unwrap_or_default();
        let mut base_levels: Vec<Level> = Rule::ALL.iter().map(|r| r.default_level()).collect();
        apply(&mut base_levels, &resolve_table(&file.rules, &source)?);
        apply_selection(&mut base_levels, &options.select, &options.ignore, &source)?;
        let overrides = file
            .overrides
            .iter()
            .map(|o| {
                Ok((
                    glob_set(&o.paths, &source)?,
                    resolve_table(&o.rules, &source)?,
                ))
            })
            .collect::<Result<Vec<_>, ConfigError>>()?;
        let exclude = glob_set(&file.exclude, &source)?;
        check_permission_order(&file.permissions, &source)?;
        let known_scopes = read_known_scopes(&file.permissions, config_paths.as_ref())?;
        let repositories = match &config_paths {
            Some(paths) => file
                .repos
                .iter()
                .map(|(name, checkout)| {
                    let key = format!("[repos] {:?}", crate::report::escape::line(name));
                    Ok((name.clone(), paths.resolve(&key, checkout)?))
                })
                .collect::<Result<Vec<_>, ConfigError>>()?,
            None => Vec::new(),
        };
        let includes = IncludePolicy::load(
            file.includes.require.as_deref(),
            file.includes.forbid.as_deref(),
            &source,
        )?;
        let dependent_repositories = links::dependent_repositories(&root)?;
        let metadata = metadata::load(&options.metadata, &file.metadata, config_path.as_deref())?;
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
    pub fn import_apidoctor(&mut self, json_files: &[PathBuf]) -> Result<(), ConfigError> {
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

    /// The effective configuration as TOML-like text, for `doclint config`.
    pub fn describe(&self) -> String {
        let mut out = String::new();
        let config = self
            .config_path
            .as_deref()
            .map_or("(none)".to_string(), crate::paths::display);
        out.push_str(&format!("# configuration file: {config}\n"));
        for file in &self.apidoctor.files {
            out.push_str(&format!(
                "# ApiDoctor configuration imported: {}\n",
                crate::paths::display(file)
            ));
        }
        out.push_str(&format!("root = {:?}\n", crate::paths::display(&self.root)));
        out.push_str(&format!("exclude = {:?}\n", self.file.exclude));
        out.push_str(&format!(
            "apidoctor-skips = {{ folders = {:?}, files = {:?} }}\n",
            self.apidoctor.folders_to_skip, self.apidoctor.files_to_skip
        ));
        out.push_str("\n[front-matter]\n");
        out.push_str(&format!("required = {:?}\n", self.required_front_matter()));
        for (key, values) in self.allowed_front_matter() {
            out.push_str(&format!("allowed.{key:?} = {values:?}\n"));
        }
        out.push_str("\n[links]\n");
        out.push_str(&format!("ignore = {:?}\n", self.link_ignores()));
        out.push_str(&format!(
            "case-sensitive = {}\n",
            self.case_sensitive_links()
        ));
        if !self.file.repos.is_empty() || !self.dependent_repositories.is_empty() {
            out.push_str("\n[repos]\n");
            for (name, checkout) in self.repositories() {
                match checkout {
                    Some(dir) => {
                        out.push_str(&format!("{name:?} = {:?}\n", crate::paths::display(&dir)));
                    }
                    None => out.push_str(&format!("# {name:?}: no local checkout\n")),
                }
            }
        }
        for (kind, checks) in [
            ("require", &self.includes.require),
            ("forbid", &self.includes.forbid),
        ] {
            for check in checks {
                out.push_str(&format!(
                    "\n[[includes.{kind}]]\npaths = {:?}\ninclude = {:?}\n",
                    check.paths, check.include
                ));
            }
        }
        out.push_str("\n[http]\n");
        out.push_str(&format!("base-urls = {:?}\n", self.base_urls()));
        out.push_str("\n[permissions]\n");
        out.push_str(&format!("titles = {:?}\n", self.permission_titles()));
        out.push_str(&format!("types = {:?}\n", self.permission_types()));
        out.push_str(&format!("order = {:?}\n", self.permission_order().as_str()));
        match self.known_scopes() {
            Some(scopes) => out.push_str(&format!("known-scopes = {} scopes\n", scopes.len())),
            None => out
                .push_str("# known-scopes: none (DL606 compares with the scopes of the doc set)\n"),
        }
        for source in &self.metadata {
            out.push_str(&format!(
                "\n[[metadata]]\npaths = {:?}\ncsdl = {:?}  # {} types\n",
                source.paths,
                source.display,
                source.csdl.types.len()
            ));
        }
        out.push_str("\n[rules]\n");
        for (rule, level) in Rule::ALL.iter().zip(&self.base_levels) {
            out.push_str(&format!(
                "{} = {:?}  # {}\n",
                rule.id(),
                level.as_str(),
                rule.name()
            ));
        }
        if !self.overrides.is_empty() {
            out.push_str(&format!(
                "\n# {} [[overrides]] sections\n",
                self.overrides.len()
            ));
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

fn check_permission_order(
    section: &file::PermissionsSection,
    source: &Path,
) -> Result<(), ConfigError> {
    match section.order.as_deref() {
        None | Some(LEAST_TO_MOST | MOST_TO_LEAST) => Ok(()),
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

fn apply(levels: &mut [Level], table: &LevelTable) {
    for &(i, level) in table {
        levels[i] = level;
    }
}

/// `--select` keeps only the named rules (turning on named rules that are off by default);
/// `--ignore` turns rules off.
fn apply_selection(
    levels: &mut [Level],
    select: &[String],
    ignore: &[String],
    source: &Path,
) -> Result<(), ConfigError> {
    let catalogue = Catalogue::builtin();
    let ids = |selectors: &[String]| -> Result<Vec<usize>, ConfigError> {
        let mut out = Vec::new();
        for selector in selectors
            .iter()
            .flat_map(|s| s.split(','))
            .filter(|s| !s.trim().is_empty())
        {
            let named = catalogue
                .select(selector)
                .ok_or_else(|| unknown_rule(selector, source, 0, 0))?;
            out.extend(named.iter().map(|rule| rule.index()));
        }
        Ok(out)
    };
    let selected = ids(select)?;
    if !select.is_empty() {
        for (i, level) in levels.iter_mut().enumerate() {
            if !selected.contains(&i) {
                *level = Level::Off;
            } else if *level == Level::Off {
                *level = Level::On(crate::diagnostic::Severity::Warning);
            }
        }
    }
    for i in ids(ignore)? {
        levels[i] = Level::Off;
    }
    Ok(())
}

fn unknown_rule(selector: &str, source: &Path, line: usize, column: usize) -> ConfigError {
    let hint = Catalogue::builtin().suggest(selector).map_or_else(
        || "; `doclint rules` lists the ids and names".into(),
        |s| format!("; did you mean {s:?}?"),
    );
    ConfigError {
        path: source.to_path_buf(),
        line,
        column,
        message: format!("unknown rule, rule name or family {selector:?}{hint}"),
    }
}

/// Resolves a `[rules]` table to catalogue indices, reporting unknown keys and levels with their
/// positions.
fn resolve_table(table: &file::RuleTable, source: &Path) -> Result<LevelTable, ConfigError> {
    let catalogue = Catalogue::builtin();
    let text = crate::files::read_text(source, crate::files::CONFIG_LIMIT).unwrap_or_default();
    let position = |span: std::ops::Range<usize>| line_column(&text, span.start);
    // Families first, then single rules, so `links = "off"` with `DL401 = "error"` keeps DL401.
    let mut entries: Vec<(bool, usize, Level)> = Vec::new();
    for (key, value) in table {
        let (line, column) = position(key.span());
        let ids = catalogue
            .select(key.get_ref())
            .ok_or_else(|| unknown_rule(key.get_ref(), source, line, column))?;
        let level = Level::parse(value.get_ref()).ok_or_else(|| {
            let (line, column) = position(value.span());
            ConfigError {
                path: source.to_path_buf(),
                line,
                column,
                message: format!(
                    "unknown level {:?} for {:?}; use \"error\", \"warning\", \"info\" or \"off\"",
                    value.get_ref(),
                    key.get_ref()
                ),
            }
        })?;
        let single = Rule::from_key(key.get_ref()).is_some();
        entries.extend(ids.iter().map(|rule| (single, rule.index(), level)));
    }
    entries.sort_by_key(|&(single, _, _)| single);
    Ok(entries
        .into_iter()
        .map(|(_, i, level)| (i, level))
        .collect())
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

/// Reads and parses a configuration file.
pub fn read_config(path: &Path) -> Result<ConfigFile, ConfigError> {
    ConfigPaths::of(path).check_source()?;
    let text =
        crate::files::read_text(path, crate::files::CONFIG_LIMIT).map_err(|e| ConfigError {
            path: path.to_path_buf(),
            line: 0,
            column: 0,
            message: format!("cannot read the configuration file: {e}"),
        })?;
    toml::from_str(&text).map_err(|e| {
        let (line, column) = e.span().map_or((0, 0), |s| line_column(&text, s.start));
        ConfigError {
            path: path.to_path_buf(),
            line,
            column,
            message: e.message().trim().trim_end_matches('.').to_string(),
        }
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
