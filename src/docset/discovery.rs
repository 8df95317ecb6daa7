//! Finding the doc sets of a checkout, in this order of authority:
//!
//! 1. `[[docsets]]` in doclint.toml: exactly those doc sets, and only the pages they name.
//! 2. Otherwise the publishing conventions. Every `docfx.json` that DocFX's publishing config
//!    lists (each `build_source_folder`; without a publishing config, every `docfx.json` of
//!    the checkout) is a doc set whose content globs say which files are pages. Every folder
//!    holding ApiDoctor configuration files (`X/config/*.json`, or JSON files in `X` itself) is
//!    a doc set of its own: an API version such as `api-reference/v1.0`. Nested in a DocFX doc
//!    set, it splits it (a page belongs to the deepest doc set that holds it) while the DocFX
//!    content globs still decide which files are pages; outside every DocFX doc set, its
//!    Markdown files are pages. When there is no DocFX doc set, the checked directory is a doc
//!    set too, holding what the ApiDoctor folders do not.
//! 3. Without any of these, the checked directory is one doc set.
//!
//! On the Microsoft Graph repository this gives `concepts` and `api-reference` from the
//! publishing config, split by the ApiDoctor folders into `api-reference/v1.0`,
//! `api-reference/beta` and what is left (no page); the repository's README, CONTRIBUTING and
//! top-level `includes` are link targets, not pages.

use std::path::Path;

use rayon::prelude::*;

use super::docfx::{self, Content, PUBLISH_CONFIG};
use super::files::{parent, Files};
use super::redirections::Redirections;
use super::sets::{DocSet, DocSets, Origin};
use crate::config::{apidoctor, ConfigError, Settings};
use crate::schema::TableRules;

/// What a checkout says of itself at fixed places, read before its files are listed: DocFX's
/// publishing config and the redirections of the checkout.
pub struct CheckoutConfig {
    /// The text of the publishing config, when there is one.
    publish: Option<String>,
    /// The redirection files' entries: the top-level file's and those the config lists.
    redirections: Redirections,
}

impl CheckoutConfig {
    /// Reads the publishing config of the checkout at `root` (a hidden file: the walk does
    /// not list it) and the redirection files (megabytes of JSON in a large repository).
    pub fn read(root: &Path) -> CheckoutConfig {
        let publish = docfx::read_in_checkout(root, PUBLISH_CONFIG);
        let redirections = Redirections::load(root, publish.as_deref());
        CheckoutConfig {
            publish,
            redirections,
        }
    }
}

impl DocSets {
    /// Finds the doc sets of the checkout at `root` from its files (checkout paths) and the
    /// settings, and resolves each one's settings. Reads the DocFX and ApiDoctor configuration
    /// files of the checkout; an ApiDoctor file that does not parse is a configuration error.
    pub fn discover(settings: &Settings, files: &Files) -> Result<DocSets, ConfigError> {
        DocSets::discover_with(settings, files, CheckoutConfig::read(&settings.root))
    }

    /// [`DocSets::discover`] with the checkout's own configuration already read (see
    /// [`CheckoutConfig::read`]), which needs no list of files.
    pub fn discover_with(
        settings: &Settings,
        files: &Files,
        checkout: CheckoutConfig,
    ) -> Result<DocSets, ConfigError> {
        let root = settings.root.as_path();
        let mut docsets = DocSets::default();
        let CheckoutConfig {
            publish,
            redirections,
        } = checkout;
        let apidoctor_files = apidoctor_files(root, files)?;
        docsets.redirections = redirections;
        if !settings.docsets.is_empty() {
            docsets.configured = true;
            for entry in &settings.docsets {
                let mut set = DocSet {
                    name: entry.name.clone(),
                    root: entry.root.clone(),
                    origins: vec![Origin::Config(
                        settings.config_path.clone().unwrap_or_default(),
                    )],
                    ..DocSet::default()
                };
                set.pages = entry.pages.clone();
                docsets.sets.push(set);
            }
        } else {
            docsets.add_docfx(root, files, publish.as_deref());
            docsets.add_apidoctor_folders(&apidoctor_files);
            let has_root = docsets.sets.iter().any(|s| s.root.is_empty());
            if docsets.content.is_empty() && !has_root {
                docsets.sets.push(DocSet {
                    name: ".".into(),
                    origins: vec![Origin::Checked],
                    ..DocSet::default()
                });
            }
        }
        // Each ApiDoctor file configures the doc set that holds it.
        if settings.import_apidoctor {
            for (path, value) in &apidoctor_files {
                let id = docsets.of(path);
                if let Some(set) = docsets.sets.get_mut(id) {
                    set.apidoctor.merge(&root.join(path), value);
                } else if let Some(requirements) = value.get("api-requirements") {
                    // Outside every doc set (OneDrive's `tests/oneapi-design-v1.json`), API
                    // requirements govern them all, as ApiDoctor reads them for the whole tree.
                    for set in &mut docsets.sets {
                        set.apidoctor
                            .api_requirements
                            .get_or_insert_with(|| requirements.clone());
                    }
                }
            }
        }
        docsets.resolve(settings);
        check_override_names(settings, &docsets)?;
        Ok(docsets)
    }

    /// The doc sets of DocFX's publishing config, or every `docfx.json` without one.
    fn add_docfx(&mut self, root: &Path, files: &Files, publish: Option<&str>) {
        let listed: Vec<(Option<String>, String, bool)> = match publish {
            Some(text) if !docfx::published(text).is_empty() => docfx::published(text)
                .into_iter()
                .map(|p| {
                    let docfx = join(&p.folder, "docfx.json");
                    (p.name, docfx, true)
                })
                .collect(),
            _ => files
                .all()
                .iter()
                .filter(|f| {
                    super::files::file_name(&f.docset_path).eq_ignore_ascii_case("docfx.json")
                })
                .map(|f| (None, f.docset_path.clone(), false))
                .collect(),
        };
        for (name, docfx, published) in listed {
            let folder = parent(&docfx).to_string();
            let content = files
                .get(&docfx)
                .and_then(|_| docfx::read_in_checkout(root, &docfx))
                .and_then(|text| Content::parse(&folder, &text))
                .unwrap_or_else(|| Content::everything(&folder));
            self.content.push((folder.clone(), content));
            self.sets.push(DocSet {
                name: name.unwrap_or_else(|| folder_name(&folder)),
                root: folder,
                origins: vec![Origin::DocFx { docfx, published }],
                ..DocSet::default()
            });
        }
        // The deepest content first: it decides for the files it holds.
        self.content.sort_by_key(|c| std::cmp::Reverse(c.0.len()));
    }

    /// A doc set for every folder of ApiDoctor configuration files, or the ApiDoctor origin
    /// added to the doc set already rooted there.
    fn add_apidoctor_folders(&mut self, apidoctor_files: &[(String, serde_json::Value)]) {
        for (path, value) in apidoctor_files {
            if !apidoctor::DOCSET_KEYS
                .iter()
                .any(|k| value.get(k).is_some())
            {
                continue;
            }
            let folder = apidoctor_root(path);
            let existing = self.sets.iter().position(|s| s.root == folder);
            let id = existing.unwrap_or_else(|| {
                self.sets.push(DocSet {
                    name: folder_name(&folder),
                    root: folder.clone(),
                    ..DocSet::default()
                });
                self.sets.len() - 1
            });
            let set = &mut self.sets[id];
            match set.origins.iter_mut().find_map(|o| match o {
                Origin::ApiDoctor(files) => Some(files),
                _ => None,
            }) {
                Some(files) => files.push(path.clone()),
                None => set.origins.push(Origin::ApiDoctor(vec![path.clone()])),
            }
        }
    }

    /// Resolves each doc set's settings: the configuration file's, else its own ApiDoctor
    /// configuration's, else the defaults (base URLs: those of every imported configuration).
    fn resolve(&mut self, settings: &Settings) {
        let mut imported_urls: Vec<String> = Vec::new();
        let mut ignores = settings.link_ignores.clone();
        for set in &self.sets {
            for url in &set.apidoctor.base_urls {
                if !imported_urls.contains(url) {
                    imported_urls.push(url.clone());
                }
            }
            for prefix in &set.apidoctor.paths_to_ignore {
                if !ignores.contains(prefix) {
                    ignores.push(prefix.clone());
                }
            }
        }
        self.link_ignores = ignores;
        for set in self.sets.iter_mut() {
            apply_settings(set, settings, &imported_urls);
        }
        self.outside = DocSet {
            name: String::new(),
            ..DocSet::default()
        };
        apply_settings(&mut self.outside, settings, &imported_urls);
    }
}

fn apply_settings(set: &mut DocSet, settings: &Settings, imported_urls: &[String]) {
    let apidoctor = &set.apidoctor;
    (
        set.required_front_matter,
        set.required_front_matter_configured,
    ) = match &settings.required_front_matter {
        Some(required) => (required.clone(), true),
        // A doc set that ApiDoctor validates requires what its schemaConfig lists, possibly
        // nothing (OneDrive's requires no header).
        None if apidoctor.has_schema_config => (apidoctor.required_yaml_headers.clone(), true),
        None => (vec!["title".into(), "description".into()], false),
    };
    set.base_urls = match &settings.base_urls {
        Some(urls) => urls.clone(),
        None if !apidoctor.base_urls.is_empty() => apidoctor.base_urls.clone(),
        None => imported_urls.to_vec(),
    };
    set.permission_titles = apidoctor.permission_titles();
    set.outline = apidoctor.document_outline.clone();
    set.table_rules = TableRules::from_config(apidoctor.table_definitions.as_ref());
}

/// `[[overrides]]` that name a doc set must name one that exists.
fn check_override_names(settings: &Settings, docsets: &DocSets) -> Result<(), ConfigError> {
    for name in settings.levels.override_docsets() {
        if docsets.named(name).is_none() {
            let names: Vec<&str> = docsets.all().iter().map(|s| s.name.as_str()).collect();
            return Err(ConfigError {
                path: settings.config_path.clone().unwrap_or_default(),
                line: 0,
                column: 0,
                message: format!(
                    "[[overrides]] names the doc set {name:?}, which does not exist; the doc sets are {}",
                    names
                        .iter()
                        .map(|n| format!("{n:?}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            });
        }
    }
    Ok(())
}

/// The ApiDoctor configuration files of the checkout (checkout path and JSON), in path order.
fn apidoctor_files(
    root: &Path,
    files: &Files,
) -> Result<Vec<(String, serde_json::Value)>, ConfigError> {
    // Read side by side; the first file in path order that does not parse is the error.
    let read: Vec<(&String, Result<Option<serde_json::Value>, ConfigError>)> = files
        .all()
        .par_iter()
        .map(|file| &file.docset_path)
        .filter(|path| {
            let json = path
                .rsplit_once('.')
                .is_some_and(|(_, ext)| ext.eq_ignore_ascii_case("json"));
            json && !path.starts_with(".openpublishing.")
        })
        .map(|path| (path, apidoctor::read(&root.join(path))))
        .collect();
    let mut out = Vec::new();
    for (path, value) in read {
        if let Some(value) = value? {
            out.push((path.clone(), value));
        }
    }
    Ok(out)
}

/// The doc set an ApiDoctor file configures: the folder above its `config` folder, else the
/// folder it is in.
fn apidoctor_root(path: &str) -> String {
    let folder = parent(path);
    let name = super::files::file_name(folder);
    if name.eq_ignore_ascii_case("config") {
        parent(folder).to_string()
    } else {
        folder.to_string()
    }
}

fn folder_name(folder: &str) -> String {
    if folder.is_empty() {
        ".".to_string()
    } else {
        folder.to_string()
    }
}

fn join(folder: &str, name: &str) -> String {
    if folder.is_empty() {
        name.to_string()
    } else {
        format!("{folder}/{name}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::LoadOptions;

    fn write(root: &Path, path: &str, text: &str) {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    fn discover(root: &Path) -> DocSets {
        let options = LoadOptions {
            no_config: true,
            ..LoadOptions::default()
        };
        let settings = Settings::load(&options, &[root.to_path_buf()]).unwrap();
        let (walked, _) = crate::walk::files_under(&settings.root, 1);
        let files = Files::new(
            walked
                .iter()
                .map(|f| crate::paths::to_slash(f.strip_prefix(&settings.root).unwrap()))
                .collect(),
        );
        DocSets::discover(&settings, &files).unwrap()
    }

    const SCHEMA: &str = r#"{"schemaConfig": {"requiredYamlHeaders": ["title", "doc_type"],
        "baseUrls": ["https://graph.microsoft.com/v1.0"]}}"#;

    #[test]
    fn the_graph_layout() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(
            root,
            PUBLISH_CONFIG,
            r#"{"docsets_to_publish": [
            {"docset_name": "docs", "build_source_folder": "concepts"},
            {"docset_name": "ref", "build_source_folder": "api-reference"}]}"#,
        );
        write(
            root,
            "concepts/docfx.json",
            r#"{"build": {"content": [{"files": ["**.md"]}]}}"#,
        );
        write(
            root,
            "api-reference/docfx.json",
            r#"{"build": {"content": [
            {"files": ["api/**/*.md"], "src": "v1.0"}, {"files": ["api/**/*.md"], "src": "beta"}]}}"#,
        );
        write(root, "api-reference/v1.0/config/schema.json", SCHEMA);
        write(root, "api-reference/beta/config/schema.json", SCHEMA);
        write(root, "api-reference/v1.0/api/a.md", "");
        write(root, "concepts/a.md", "");
        write(root, "README.md", "");
        let sets = discover(root);
        let names: Vec<&str> = sets.all().iter().map(|s| s.name.as_str()).collect();
        assert_eq!(
            names,
            ["docs", "ref", "api-reference/beta", "api-reference/v1.0"]
        );
        let v1 = sets.get(sets.of("api-reference/v1.0/api/a.md"));
        assert_eq!(v1.required_front_matter, ["title", "doc_type"]);
        let concepts = sets.get(sets.of("concepts/a.md"));
        assert_eq!(concepts.required_front_matter, ["title", "description"]);
        assert_eq!(concepts.base_urls, ["https://graph.microsoft.com/v1.0"]);
        assert!(sets.is_page("concepts/a.md") && sets.is_page("api-reference/v1.0/api/a.md"));
        assert!(!sets.is_page("README.md"));
        assert!(matches!(
            &concepts.origins[0],
            Origin::DocFx {
                published: true,
                ..
            }
        ));
    }

    #[test]
    fn apidoctor_folders_without_docfx_leave_the_rest_to_the_checked_directory() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, "v1.0/config/schema.json", SCHEMA);
        write(root, "v1.0/a.md", "");
        write(root, "guide.md", "");
        let sets = discover(root);
        let names: Vec<&str> = sets.all().iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["v1.0", "."]);
        assert!(sets.is_page("guide.md"));
        assert_eq!(
            sets.get(sets.of("guide.md")).required_front_matter,
            ["title", "description"]
        );
    }

    #[test]
    fn nothing_declared_is_one_doc_set() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "a.md", "");
        let sets = discover(dir.path());
        assert_eq!(sets.all().len(), 1);
        assert_eq!(sets.all()[0].origins, [Origin::Checked]);
        assert!(sets.is_page("a.md"));
    }

    #[test]
    fn configured_doc_sets_take_over() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, "v1.0/config/schema.json", SCHEMA);
        write(
            root,
            "doclint.toml",
            "[[docsets]]\nname = \"api\"\nroot = \"v1.0\"\npages = [\"api/**\"]\n\
             [[overrides]]\ndocsets = [\"nope\"]\nrules = { DL401 = \"off\" }\n",
        );
        let settings = Settings::load(&LoadOptions::default(), &[root.to_path_buf()]).unwrap();
        let files = Files::new(vec![
            "v1.0/config/schema.json".into(),
            "v1.0/api/a.md".into(),
            "v1.0/b.md".into(),
        ]);
        let error = DocSets::discover(&settings, &files).unwrap_err();
        assert!(
            error
                .message
                .contains("\"nope\", which does not exist; the doc sets are \"api\""),
            "{}",
            error.message
        );
        write(
            root,
            "doclint.toml",
            "[[docsets]]\nname = \"api\"\nroot = \"v1.0\"\npages = [\"api/**\"]\n",
        );
        let settings = Settings::load(&LoadOptions::default(), &[root.to_path_buf()]).unwrap();
        let sets = DocSets::discover(&settings, &files).unwrap();
        assert!(sets.is_page("v1.0/api/a.md") && !sets.is_page("v1.0/b.md"));
        assert_eq!(sets.all()[0].required_front_matter, ["title", "doc_type"]);
    }
}
