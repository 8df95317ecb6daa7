//! The doc sets of a checkout and the settings each one resolves to.
//!
//! A page belongs to the doc set with the deepest root that holds it. Doc-set-wide checks
//! (request-name uniqueness, types, scope statistics, tab ids), required front matter, the
//! document outline and `[[overrides]]` by name are scoped to it; links and includes resolve
//! across the whole checkout.

use std::path::PathBuf;

use globset::GlobSet;
use serde_json::Value;

use super::docfx::Content;
use super::files::Files;
use crate::config::describe::DocSetDescription;
use crate::config::{ApiDoctorConfig, Settings};
use crate::schema::urls::Bases;
use crate::schema::TableRules;

/// Where a doc set was declared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// A `[[docsets]]` entry of this configuration file.
    Config(PathBuf),
    /// A `docfx.json` (checkout path), listed by the publishing config when `published`.
    DocFx {
        /// The `docfx.json`.
        docfx: String,
        /// Whether `.openpublishing.publish.config.json` lists it.
        published: bool,
    },
    /// A folder of ApiDoctor configuration files (their checkout paths).
    ApiDoctor(Vec<String>),
    /// Nothing declared a doc set: the checked directory is one.
    Checked,
}

impl Origin {
    /// Where the doc set comes from, in words, for `doclint config`.
    pub fn describe(&self) -> String {
        match self {
            Origin::Config(file) => {
                format!("[[docsets]] in {}", crate::paths::display(file))
            }
            Origin::DocFx { docfx, published } if *published => {
                format!("{} (listed in {})", docfx, super::docfx::PUBLISH_CONFIG)
            }
            Origin::DocFx { docfx, .. } => docfx.clone(),
            Origin::ApiDoctor(files) => format!("ApiDoctor configuration {}", files.join(", ")),
            Origin::Checked => "the checked directory (no doc set is declared)".to_string(),
        }
    }
}

/// One doc set, with the settings its pages are checked with.
#[derive(Debug, Default)]
pub struct DocSet {
    /// Its name: `name` of `[[docsets]]`, DocFX's `docset_name`, or its root folder.
    pub name: String,
    /// Its root folder, relative to the checkout root (`""` for the root itself).
    pub root: String,
    /// Where it was declared (a DocFX doc set and an ApiDoctor folder may share a root).
    pub origins: Vec<Origin>,
    /// The ApiDoctor configuration files inside it, merged.
    pub apidoctor: ApiDoctorConfig,
    /// Front-matter keys every page must have.
    pub required_front_matter: Vec<String>,
    /// Whether a configuration says so (`[front-matter] required`, ApiDoctor's
    /// `requiredYamlHeaders`) rather than the built-in default.
    pub required_front_matter_configured: bool,
    /// Allowed base URLs of absolute request URLs.
    pub base_urls: Vec<String>,
    /// The headings that open a Permissions section.
    pub permission_titles: Vec<String>,
    /// The document outline by page type (ApiDoctor's outline keys), when one is configured.
    pub outline: Option<Value>,
    /// How its Properties, enum and parameter tables are read.
    pub table_rules: TableRules,
    /// `pages` of a `[[docsets]]` entry: the globs (relative to the root) of its pages.
    pub(crate) pages: Option<GlobSet>,
    /// `base_urls` read once, on first use (every API page's URL checks use them).
    pub(crate) bases: std::sync::OnceLock<Bases>,
}

impl DocSet {
    /// Whether a checkout path lies inside the doc set's root.
    pub fn holds(&self, path: &str) -> bool {
        self.root.is_empty()
            || path
                .strip_prefix(self.root.as_str())
                .is_some_and(|rest| rest.starts_with('/'))
    }

    /// A path relative to the doc set's root.
    pub fn relative<'p>(&self, path: &'p str) -> &'p str {
        if self.root.is_empty() {
            return path;
        }
        path.strip_prefix(self.root.as_str())
            .and_then(|rest| rest.strip_prefix('/'))
            .unwrap_or(path)
    }

    /// Whether it is an API version — a doc set with its own ApiDoctor configuration, or one
    /// declared in `[[docsets]]` — whose examples only its own types describe.
    pub fn is_api_version(&self) -> bool {
        self.origins
            .iter()
            .any(|o| matches!(o, Origin::ApiDoctor(_) | Origin::Config(_)))
    }

    /// Its base URLs, read (see [`Bases::new`]) on first use.
    pub fn bases(&self) -> &Bases {
        self.bases
            .get_or_init(|| Bases::new(self.base_urls.clone()))
    }

    /// The last folder of its root, which names an API version for ApiDoctor folders
    /// (`api-reference/v1.0` → `v1.0`).
    pub fn version(&self) -> &str {
        self.root.rsplit('/').next().unwrap_or("")
    }
}

/// A doc set's index in [`DocSets`].
pub type DocSetId = usize;

/// The doc sets of a checkout.
#[derive(Debug, Default)]
pub struct DocSets {
    pub(crate) sets: Vec<DocSet>,
    /// For pages in no doc set (a named file outside the root, a page checked in memory).
    pub(crate) outside: DocSet,
    /// DocFX content globs by the root of their `docfx.json`'s doc set, deepest first; when
    /// there are any, only files they name (or files of ApiDoctor folders outside them) are
    /// pages.
    pub(crate) content: Vec<(String, Content)>,
    /// Whether doc sets come from `[[docsets]]`: then only the pages they name are pages.
    pub(crate) configured: bool,
    /// Root-relative link prefixes treated as external: `[links] ignore` and every imported
    /// `pathsToIgnore`.
    pub link_ignores: Vec<String>,
    /// The checkout's redirected source paths (DocFX redirection files).
    pub redirections: super::Redirections,
}

impl DocSets {
    /// Every doc set, in discovery order.
    pub fn all(&self) -> &[DocSet] {
        &self.sets
    }

    /// The doc set of a checkout path: the one with the deepest root that holds it; pages in
    /// none get the id of [`DocSets::outside`].
    pub fn of(&self, path: &str) -> DocSetId {
        self.sets
            .iter()
            .enumerate()
            .filter(|(_, set)| set.holds(path))
            .max_by_key(|(_, set)| set.root.len())
            .map_or(self.sets.len(), |(id, _)| id)
    }

    /// The doc set with this id.
    pub fn get(&self, id: DocSetId) -> &DocSet {
        self.sets.get(id).unwrap_or(&self.outside)
    }

    /// The settings of pages that belong to no doc set.
    pub fn outside(&self) -> &DocSet {
        &self.outside
    }

    /// How many ids there are: the doc sets and the one for pages outside them.
    pub fn ids(&self) -> usize {
        self.sets.len() + 1
    }

    /// The doc set named `name`, if any.
    pub fn named(&self, name: &str) -> Option<DocSetId> {
        self.sets.iter().position(|set| set.name == name)
    }

    /// Whether a file (checkout path) is a page: a Markdown file that its doc set publishes.
    /// Files that are not pages are still link and include targets.
    pub fn is_page(&self, path: &str) -> bool {
        let markdown = path
            .rsplit_once('.')
            .is_some_and(|(_, ext)| ext.eq_ignore_ascii_case("md"));
        markdown && self.publishes(path)
    }

    /// Whether a file (checkout path) is content of its doc set: named by the `pages` of its
    /// `[[docsets]]` entry or its DocFX content globs (every file, when neither applies).
    pub fn publishes(&self, path: &str) -> bool {
        if self.configured {
            let set = self.get(self.of(path));
            return self.sets.iter().any(|s| std::ptr::eq(s, set))
                && set
                    .pages
                    .as_ref()
                    .is_none_or(|g| g.is_match(set.relative(path)));
        }
        if self.content.is_empty() {
            return true;
        }
        let holds = |root: &str| {
            root.is_empty()
                || path
                    .strip_prefix(root)
                    .is_some_and(|rest| rest.starts_with('/'))
        };
        match self.content.iter().find(|(root, _)| holds(root)) {
            Some((_, content)) => content.contains(path),
            // Outside every DocFX doc set, only ApiDoctor folders hold pages.
            None => self.sets.iter().any(|set| {
                set.holds(path)
                    && set
                        .origins
                        .iter()
                        .any(|o| matches!(o, Origin::ApiDoctor(_)))
            }),
        }
    }

    /// Whether a page's doc set skips it (ApiDoctor's `foldersToSkip` and `filesToSkip`).
    pub fn skips(&self, path: &str) -> bool {
        let set = self.get(self.of(path));
        set.apidoctor.skips(set.relative(path))
    }

    /// Whether a full run lints the file (checkout path): a page that neither `exclude` nor its
    /// doc set's ApiDoctor configuration skips. (`.doclintignore` is the walk's business.)
    pub fn lints(&self, path: &str, settings: &Settings) -> bool {
        self.is_page(path) && !settings.excludes(path) && !self.skips(path)
    }

    /// The doc sets as `doclint config` shows them, with how many of `files` are their pages.
    pub fn describe(&self, files: &Files) -> Vec<DocSetDescription> {
        let mut pages = vec![0usize; self.ids()];
        for file in files.all() {
            if self.is_page(&file.docset_path) {
                pages[self.of(&file.docset_path)] += 1;
            }
        }
        self.sets
            .iter()
            .zip(pages)
            .map(|(set, pages)| {
                let apidoctor = &set.apidoctor;
                let outline = match &set.outline {
                    Some(Value::Object(types)) => types.keys().cloned().collect(),
                    _ => Vec::new(),
                };
                let skips = apidoctor
                    .folders_to_skip
                    .iter()
                    .map(|f| format!("{f}/"))
                    .chain(apidoctor.files_to_skip.iter().cloned())
                    .collect();
                DocSetDescription {
                    name: set.name.clone(),
                    root: if set.root.is_empty() {
                        ".".into()
                    } else {
                        set.root.clone()
                    },
                    from: set.origins.iter().map(Origin::describe).collect(),
                    pages,
                    required_front_matter: set.required_front_matter.clone(),
                    required_front_matter_configured: set.required_front_matter_configured,
                    base_urls: set.base_urls.clone(),
                    permission_titles: set.permission_titles.clone(),
                    outline,
                    skips,
                    errors_as_warnings: apidoctor.errors_as_warnings.clone(),
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(name: &str, root: &str, origin: Origin) -> DocSet {
        DocSet {
            name: name.into(),
            root: root.into(),
            origins: vec![origin],
            ..DocSet::default()
        }
    }

    fn graph() -> DocSets {
        let docfx = |root: &str| Origin::DocFx {
            docfx: format!("{root}/docfx.json"),
            published: true,
        };
        let concepts =
            r#"{"build": {"content": [{"files": ["**.md"], "exclude": ["**/includes/**"]}]}}"#;
        let reference = r#"{"build": {"content": [{"files": ["api/**/*.md"], "src": "v1.0"},
            {"files": ["api/**/*.md"], "src": "beta"}]}}"#;
        DocSets {
            sets: vec![
                set("docs", "concepts", docfx("concepts")),
                set("ref", "api-reference", docfx("api-reference")),
                set(
                    "api-reference/v1.0",
                    "api-reference/v1.0",
                    Origin::ApiDoctor(vec![]),
                ),
                set(
                    "api-reference/beta",
                    "api-reference/beta",
                    Origin::ApiDoctor(vec![]),
                ),
            ],
            content: vec![
                (
                    "api-reference".into(),
                    Content::parse("api-reference", reference).unwrap(),
                ),
                (
                    "concepts".into(),
                    Content::parse("concepts", concepts).unwrap(),
                ),
            ],
            ..DocSets::default()
        }
    }

    #[test]
    fn pages_belong_to_the_deepest_doc_set() {
        let sets = graph();
        assert_eq!(sets.of("concepts/a.md"), 0);
        assert_eq!(sets.of("api-reference/v1.0/api/a.md"), 2);
        assert_eq!(sets.of("api-reference/beta/api/a.md"), 3);
        assert_eq!(sets.of("api-reference/includes/x.md"), 1);
        assert_eq!(sets.of("README.md"), 4);
        assert_eq!(sets.get(4).name, "");
        assert_eq!(sets.get(2).version(), "v1.0");
        assert_eq!(sets.named("ref"), Some(1));
    }

    #[test]
    fn docfx_content_decides_what_is_a_page() {
        let sets = graph();
        assert!(sets.is_page("concepts/a.md"));
        assert!(!sets.is_page("concepts/includes/a.md"));
        assert!(sets.is_page("api-reference/beta/api/x.md"));
        assert!(!sets.is_page("api-reference/beta/includes/x.md"));
        assert!(!sets.is_page("README.md"));
        assert!(!sets.is_page("concepts/a.yml"));
    }

    #[test]
    fn without_docfx_every_markdown_file_is_a_page() {
        let sets = DocSets {
            sets: vec![set(".", "", Origin::Checked)],
            ..DocSets::default()
        };
        assert!(sets.is_page("README.md") && sets.is_page("a/b.MD"));
        assert!(!sets.is_page("a/b.png"));
        assert_eq!(sets.of("a/b.md"), 0);
    }
}
