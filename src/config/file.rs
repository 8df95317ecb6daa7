//! The shape of `doclint.toml` / `.doclint.toml`.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

/// A rule table: rule id, name or family → level.
pub type RuleTable = BTreeMap<Spanned<String>, Spanned<String>>;

/// The whole configuration file. Unknown keys are errors, so typos never pass silently.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ConfigFile {
    /// The doc-set root for root-relative links, relative to the file.
    pub root: Option<String>,
    /// Globs (relative to the root) of files not to lint; they stay link targets.
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Levels by rule id, name or family.
    #[serde(default)]
    pub rules: RuleTable,
    /// Link checking.
    #[serde(default)]
    pub links: LinksSection,
    /// HTTP examples.
    #[serde(default)]
    pub http: HttpSection,
    /// Front matter.
    #[serde(default)]
    pub front_matter: FrontMatterSection,
    /// Cross-repository references: repository name → local checkout.
    #[serde(default)]
    pub repos: BTreeMap<String, String>,
    /// Required and forbidden includes.
    #[serde(default)]
    pub includes: IncludesSection,
    /// Permission tables.
    #[serde(default)]
    pub permissions: PermissionsSection,
    /// Per-path or per-doc-set rule levels.
    #[serde(default)]
    pub overrides: Vec<Override>,
    /// The doc sets of the checkout, when they are not found from its DocFX and ApiDoctor
    /// configuration.
    #[serde(default)]
    pub docsets: Vec<DocSetEntry>,
    /// Service metadata (CSDL) files that resource pages are held against.
    #[serde(default)]
    pub metadata: Vec<MetadataSection>,
}

/// `[[docsets]]`: one doc set.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct DocSetEntry {
    /// Its name (default: its root).
    pub name: Option<String>,
    /// Its root folder, relative to the configuration file.
    pub root: String,
    /// Globs (relative to its root) of its pages; default: every Markdown file.
    pub pages: Option<Vec<String>>,
}

/// `[[metadata]]`: a CSDL file and the pages it governs.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct MetadataSection {
    /// Globs of the pages held against the file (relative to the root; default: all).
    pub paths: Option<Vec<String>>,
    /// The CSDL (EDMX XML) file, relative to the configuration file.
    pub csdl: String,
}

/// `[links]`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct LinksSection {
    /// Root-relative prefixes treated as external (matched case-insensitively).
    pub ignore: Option<Vec<String>>,
    /// Whether a target that exists only in another case is reported (DL402).
    pub case_sensitive: Option<bool>,
}

/// `[http]`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct HttpSection {
    /// Allowed base URLs of absolute request URLs.
    pub base_urls: Option<Vec<String>>,
}

/// `[front-matter]`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct FrontMatterSection {
    /// Keys every page must have.
    pub required: Option<Vec<String>>,
    /// Allowed values by key.
    pub allowed: Option<BTreeMap<String, Vec<String>>>,
}

/// One required or forbidden include.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct IncludeRule {
    /// Globs of the pages the rule applies to.
    pub paths: Vec<String>,
    /// The include's file name (or a path suffix).
    pub include: String,
}

/// `[includes]`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct IncludesSection {
    /// Includes these pages must have.
    pub require: Option<Vec<IncludeRule>>,
    /// Includes these pages must not have.
    pub forbid: Option<Vec<IncludeRule>>,
}

/// A list given inline, or the path of a file with one entry a line.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum ListOrFile {
    /// Entries given inline.
    List(Vec<String>),
    /// A file, relative to the configuration file.
    File(String),
}

/// `[permissions]`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct PermissionsSection {
    /// The permission types allowed in the first column.
    pub types: Option<Vec<String>>,
    /// `least-to-most` or `most-to-least`.
    pub order: Option<String>,
    /// Known scopes.
    pub known_scopes: Option<ListOrFile>,
}

/// `[[overrides]]`: rule levels for some paths, some doc sets, or the paths of some doc sets.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Override {
    /// Globs relative to the root.
    #[serde(default)]
    pub paths: Vec<String>,
    /// Names of doc sets.
    #[serde(default)]
    pub docsets: Vec<String>,
    /// Levels by rule id, name or family.
    #[serde(default)]
    pub rules: RuleTable,
}
