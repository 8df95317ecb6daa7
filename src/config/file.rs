//! The shape of `doclint.toml` / `.doclint.toml`, and reading it with every problem found in
//! one pass: syntax errors, and unknown keys and values of the wrong type with their positions.

use std::collections::BTreeMap;
use std::ops::Range;

use serde::{Deserialize, Serialize};
use toml::de::{DeTable, DeValue};
use toml::Spanned;

/// A rule table: rule id, name or family → level.
pub type RuleTable = BTreeMap<Spanned<String>, Spanned<String>>;

/// The whole configuration file. Unknown keys are errors (see [`parse`]), so typos never pass
/// silently. It is also what `doclint config` writes, so its output reads back.
#[derive(Debug, Default, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ConfigFile {
    /// The doc-set root for root-relative links, relative to the file.
    #[serde(skip_serializing_if = "Option::is_none")]
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
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub repos: BTreeMap<String, String>,
    /// Required and forbidden includes.
    #[serde(default)]
    pub includes: IncludesSection,
    /// Permission tables.
    #[serde(default)]
    pub permissions: PermissionsSection,
    /// Per-path or per-doc-set rule levels.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub overrides: Vec<Override>,
    /// The doc sets of the checkout, when they are not found from its DocFX and ApiDoctor
    /// configuration.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub docsets: Vec<DocSetEntry>,
    /// Service metadata (CSDL) files that resource pages are held against.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub metadata: Vec<MetadataSection>,
}

/// `[[docsets]]`: one doc set.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct DocSetEntry {
    /// Its name (default: its root).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Its root folder, relative to the configuration file.
    pub root: String,
    /// Globs (relative to its root) of its pages; default: every Markdown file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pages: Option<Vec<String>>,
}

/// `[[metadata]]`: a CSDL file and the pages it governs.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct MetadataSection {
    /// Globs of the pages held against the file (relative to the root; default: all).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub paths: Option<Vec<String>>,
    /// The CSDL (EDMX XML) file, relative to the configuration file.
    pub csdl: String,
}

/// `[links]`.
#[derive(Debug, Default, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct LinksSection {
    /// Root-relative prefixes treated as external (matched case-insensitively).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ignore: Option<Vec<String>>,
    /// Whether a target that exists only in another case is reported (DL402).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub case_sensitive: Option<bool>,
}

/// `[http]`.
#[derive(Debug, Default, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct HttpSection {
    /// Allowed base URLs of absolute request URLs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub base_urls: Option<Vec<String>>,
}

/// `[front-matter]`.
#[derive(Debug, Default, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct FrontMatterSection {
    /// Keys every page must have.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub required: Option<Vec<String>>,
    /// Allowed values by key.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allowed: Option<BTreeMap<String, Vec<String>>>,
}

/// One required or forbidden include.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct IncludeRule {
    /// Globs of the pages the rule applies to.
    pub paths: Vec<String>,
    /// The include's file name (or a path suffix).
    pub include: String,
}

/// `[includes]`.
#[derive(Debug, Default, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct IncludesSection {
    /// Includes these pages must have.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub require: Option<Vec<IncludeRule>>,
    /// Includes these pages must not have.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub forbid: Option<Vec<IncludeRule>>,
}

/// A list given inline, or the path of a file with one entry a line.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(untagged)]
pub enum ListOrFile {
    /// Entries given inline.
    List(Vec<String>),
    /// A file, relative to the configuration file.
    File(String),
}

/// `[permissions]`.
#[derive(Debug, Default, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct PermissionsSection {
    /// The permission types allowed in the first column.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub types: Option<Vec<String>>,
    /// `least-to-most` or `most-to-least`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub order: Option<String>,
    /// Known scopes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub known_scopes: Option<ListOrFile>,
}

/// `[[overrides]]`: rule levels for some paths, some doc sets, or the paths of some doc sets.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Override {
    /// Globs relative to the root.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub paths: Vec<String>,
    /// Names of doc sets.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub docsets: Vec<String>,
    /// Levels by rule id, name or family.
    #[serde(default)]
    pub rules: RuleTable,
}

/// A problem in a configuration file's text, at a byte range when it has one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Where, in bytes.
    pub span: Option<Range<usize>>,
    /// What is wrong, lower-case.
    pub message: String,
}

/// The parsed file, and the problems found in it (every unknown key and every value of the
/// wrong type, each left out of the values).
pub type Parsed = (ConfigFile, Vec<Problem>);

/// Parses a configuration file. Syntax errors (the first of each line: the others follow from
/// it), or a problem that leaves nothing to read past it (a required key missing), stop the
/// reading: then every problem found so far is returned.
pub fn parse(text: &str) -> Result<Parsed, Vec<Problem>> {
    let (mut table, errors) = DeTable::parse_recoverable(text);
    if !errors.is_empty() {
        let mut lines_seen = Vec::new();
        let first_of_each_line = errors.iter().filter(|e| {
            let line = e.span().map(|s| {
                let before = &text.as_bytes()[..s.start.min(text.len())];
                memchr::memchr_iter(b'\n', before).count()
            });
            let first = !lines_seen.contains(&line);
            lines_seen.push(line);
            first
        });
        return Err(first_of_each_line.map(problem).collect());
    }
    let mut problems = Vec::new();
    // serde stops at the first problem: report it, drop the entry it is about, and read again
    // (each round removes an entry, so this ends).
    loop {
        match ConfigFile::deserialize(toml::de::Deserializer::from(table.clone())) {
            Ok(file) => return Ok((file, problems)),
            Err(error) => {
                problems.push(problem(&error));
                let removed = error
                    .span()
                    .is_some_and(|span| remove_entry_at(table.get_mut(), &span));
                if !removed {
                    return Err(problems);
                }
            }
        }
    }
}

fn problem(error: &toml::de::Error) -> Problem {
    Problem {
        span: error.span(),
        message: error.message().trim().trim_end_matches('.').to_string(),
    }
}

/// Removes the entry whose key or value is at `span`, wherever it is nested.
fn remove_entry_at(table: &mut DeTable<'_>, span: &Range<usize>) -> bool {
    let found = table
        .iter()
        .find(|(key, value)| key.span() == *span || value.span() == *span)
        .map(|(key, _)| key.get_ref().to_string());
    if let Some(key) = found {
        return table.remove(key.as_str()).is_some();
    }
    table
        .iter_mut()
        .any(|(_, value)| remove_in_value(value.get_mut(), span))
}

fn remove_in_value(value: &mut DeValue<'_>, span: &Range<usize>) -> bool {
    match value {
        DeValue::Table(table) => remove_entry_at(table, span),
        DeValue::Array(items) => items
            .iter_mut()
            .any(|item| remove_in_value(item.get_mut(), span)),
        _ => false,
    }
}

/// One step of a key path: a table key or an array index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step<'a> {
    /// A key of a table.
    Key(&'a str),
    /// An element of an array.
    Index(usize),
}

/// The byte range of the value at a key path (`[Key("overrides"), Index(0), Key("paths")]`), when
/// the text has one there.
pub fn locate(text: &str, path: &[Step<'_>]) -> Option<Range<usize>> {
    let table = DeTable::parse(text).ok()?;
    let mut value = DeValue::Table(table.into_inner());
    let mut span = None;
    for step in path {
        let next = match step {
            Step::Key(key) => value.get(*key)?,
            Step::Index(i) => value.get(*i)?,
        };
        span = Some(next.span());
        value = next.get_ref().clone();
    }
    span
}
