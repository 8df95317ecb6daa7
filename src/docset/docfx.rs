//! DocFX's publishing conventions: the doc sets `.openpublishing.publish.config.json` lists
//! (each a `build_source_folder` with a `docfx.json`), the content globs of a `docfx.json`
//! (which files are pages), and the redirection files (see [`super::redirections`]).

use globset::{Candidate, GlobBuilder, GlobSet, GlobSetBuilder};
use serde_json::Value;

/// The publishing config at the top of a checkout.
pub const PUBLISH_CONFIG: &str = ".openpublishing.publish.config.json";

/// The text of a configuration file of the checkout at `root` (`path`, a checkout path): a
/// regular UTF-8 file of bounded size that no symbolic link leads out of the checkout; `None`
/// when it is missing or cannot be read so.
pub fn read_in_checkout(root: &std::path::Path, path: &str) -> Option<String> {
    let file = crate::files::confine(root, path, root).ok()?;
    crate::files::read_text(&file, crate::files::CONFIG_LIMIT).ok()
}

/// A doc set the publishing config lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Published {
    /// `docset_name`, when given.
    pub name: Option<String>,
    /// `build_source_folder`, relative to the checkout root (`""` for the root itself).
    pub folder: String,
}

/// The doc sets `docsets_to_publish` lists, from the text of a publishing config. A config that
/// is not JSON, or lists none, lists none.
pub fn published(text: &str) -> Vec<Published> {
    let Ok(value) = serde_json::from_str::<Value>(text) else {
        return Vec::new();
    };
    value
        .get("docsets_to_publish")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|set| {
            let folder = set.get("build_source_folder")?.as_str()?;
            Some(Published {
                name: set
                    .get("docset_name")
                    .and_then(Value::as_str)
                    .map(str::to_string),
                folder: clean_folder(folder)?,
            })
        })
        .collect()
}

/// The redirection files the publishing config names (`redirection_files`), relative to the
/// checkout root.
pub fn redirection_files(text: &str) -> Vec<String> {
    let Ok(value) = serde_json::from_str::<Value>(text) else {
        return Vec::new();
    };
    value
        .get("redirection_files")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .filter_map(clean_folder)
        .collect()
}

/// A folder as written in a DocFX config (`./x/`, `x\y`, `.`) as a checkout path; `None` when
/// it climbs out.
fn clean_folder(folder: &str) -> Option<String> {
    crate::paths::normalize(&folder.replace('\\', "/"))
}

/// The `build.content` of a `docfx.json`: which files under its folder are pages.
#[derive(Debug, Default)]
pub struct Content {
    entries: Vec<ContentEntry>,
}

/// One `build.content` entry: files under `src` matching `files` and no `exclude` glob.
#[derive(Debug)]
struct ContentEntry {
    /// The entry's `src`, as a checkout path (`""` for the root).
    src: String,
    files: GlobSet,
    exclude: GlobSet,
}

impl Content {
    /// Reads the content entries of a `docfx.json` (its text) that sits in the checkout folder
    /// `folder`. Entries whose globs do not compile are left out; `None` when the file is not
    /// JSON or has no `build.content` array.
    pub fn parse(folder: &str, text: &str) -> Option<Content> {
        let value: Value = serde_json::from_str(text).ok()?;
        let content = value.get("build")?.get("content")?.as_array()?;
        let entries = content
            .iter()
            .filter_map(|entry| {
                let src = entry.get("src").and_then(Value::as_str).unwrap_or("");
                let src = clean_folder(&format!("{folder}/{src}"))?;
                Some(ContentEntry {
                    src,
                    files: globs(entry.get("files"))?,
                    exclude: globs(entry.get("exclude"))?,
                })
            })
            .collect();
        Some(Content { entries })
    }

    /// Content that is every Markdown and YAML file under `folder` (a `docfx.json` that is
    /// missing or unreadable).
    pub fn everything(folder: &str) -> Content {
        let all = serde_json::json!(["**/*.md", "**/*.yml"]);
        Content {
            entries: vec![ContentEntry {
                src: folder.to_string(),
                files: globs(Some(&all)).unwrap_or_default(),
                exclude: GlobSet::empty(),
            }],
        }
    }

    /// Whether a file (checkout path) is content of this `docfx.json`.
    pub fn contains(&self, path: &str) -> bool {
        self.entries.iter().any(|entry| {
            let relative = match entry.src.as_str() {
                "" => Some(path),
                src => path
                    .strip_prefix(src)
                    .and_then(|rest| rest.strip_prefix('/')),
            };
            // One candidate for both sets: making one copies and splits the path.
            relative.is_some_and(|r| {
                let candidate = Candidate::new(r);
                entry.files.is_match_candidate(&candidate)
                    && !entry.exclude.is_match_candidate(&candidate)
            })
        })
    }
}

/// The globs of a `files` or `exclude` value (a string or an array of strings), DocFX style:
/// `*` stays within a folder, `**.md` means `.md` files at any depth, case is ignored, and a
/// plain name also stands for everything under it.
fn globs(value: Option<&Value>) -> Option<GlobSet> {
    let patterns: Vec<&str> = match value {
        None => Vec::new(),
        Some(Value::String(one)) => vec![one.as_str()],
        Some(Value::Array(many)) => many.iter().filter_map(Value::as_str).collect(),
        Some(_) => return None,
    };
    let mut builder = GlobSetBuilder::new();
    for pattern in patterns {
        let pattern = docfx_pattern(pattern);
        let plain = !pattern.contains(['*', '?', '[', '{']);
        let mut add = |p: &str| -> Option<()> {
            let glob = GlobBuilder::new(p)
                .literal_separator(true)
                .case_insensitive(true)
                .build()
                .ok()?;
            builder.add(glob);
            Some(())
        };
        add(&pattern)?;
        if plain {
            add(&format!("{}/**", pattern.trim_end_matches('/')))?;
        }
    }
    builder.build().ok()
}

/// A DocFX glob in `globset` syntax: `./` dropped, and `**` that does not stand alone as a
/// path segment (`**.md`) made one (`**/*.md`).
fn docfx_pattern(pattern: &str) -> String {
    let pattern = pattern.trim().trim_start_matches("./").replace('\\', "/");
    let mut out = String::with_capacity(pattern.len() + 2);
    let mut rest = pattern.as_str();
    while let Some(at) = rest.find("**") {
        out.push_str(&rest[..at]);
        out.push_str("**");
        rest = &rest[at + 2..];
        if !rest.is_empty() && !rest.starts_with('/') {
            out.push_str("/*");
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_published_doc_sets_and_redirection_files() {
        let text = r#"{"docsets_to_publish": [
            {"docset_name": "docs", "build_source_folder": "concepts"},
            {"docset_name": "ref", "build_source_folder": "./api-reference/"},
            {"build_source_folder": "."}],
            "redirection_files": ["more\\redirects.json"]}"#;
        let sets = published(text);
        assert_eq!(sets.len(), 3);
        assert_eq!(sets[1].folder, "api-reference");
        assert_eq!(
            sets[2],
            Published {
                name: None,
                folder: String::new()
            }
        );
        assert_eq!(redirection_files(text), vec!["more/redirects.json"]);
        assert!(published("not json").is_empty());
    }

    #[test]
    fn content_globs_decide_the_pages() {
        let text = r#"{"build": {"content": [
            {"files": ["**.md", "**.yml"], "exclude": ["**/includes/**", "README.md", "sp2019"]},
            {"files": "api/**/*.md", "src": "v1.0/"}]}}"#;
        let content = Content::parse("docs", text).unwrap();
        assert!(content.contains("docs/a.md"));
        assert!(content.contains("docs/deep/er/b.MD"));
        assert!(!content.contains("docs/README.md"));
        assert!(content.contains("docs/sub/README.md"));
        assert!(!content.contains("docs/x/includes/c.md"));
        assert!(!content.contains("docs/sp2019/c.md"));
        assert!(!content.contains("other/a.md"));
        assert!(content.contains("docs/v1.0/api/x/y.md"));
        assert!(Content::parse("", "{}").is_none());
    }

    #[test]
    fn docfx_globs_become_globset_globs() {
        assert_eq!(docfx_pattern("**.md"), "**/*.md");
        assert_eq!(docfx_pattern("./api/**"), "api/**");
        assert_eq!(docfx_pattern("a/**/b/**.yml"), "a/**/b/**/*.yml");
    }
}
