//! DocFX redirections: the pages a repository moved or removed, which the published site still
//! serves by redirecting their old URLs. `.openpublishing.redirection.json` at the top of the
//! checkout, and the files the publishing config lists under `redirection_files`, map each
//! `source_path` (a checkout path) to a `redirect_url`. A link to a source path is not broken;
//! it points at a page that moved.

use std::path::Path;

use foldhash::HashMap;
use serde_json::Value;

use super::files::{FileEntry, Files};

/// The redirection file DocFX reads at the top of a checkout.
pub const REDIRECTION_FILE: &str = ".openpublishing.redirection.json";

/// Where one redirected path now leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redirect {
    /// The `redirect_url` as written (a site path or a URL).
    pub url: String,
    /// The redirection file that declares it (checkout path).
    pub file: String,
}

/// The redirected source paths of a checkout.
#[derive(Debug, Default)]
pub struct Redirections {
    /// By lower-cased checkout path (DocFX matches source paths without regard to case).
    by_path: HashMap<String, Redirect>,
}

impl Redirections {
    /// Reads the redirection files of the checkout at `root`: the top-level one and those
    /// `publish_config` (the text of the publishing config, when there is one) lists. Files that
    /// are missing or not JSON, and entries without both paths, are left out; a path that climbs
    /// out of the checkout is never read.
    pub fn load(root: &Path, publish_config: Option<&str>) -> Redirections {
        let mut files = vec![REDIRECTION_FILE.to_string()];
        for file in publish_config
            .map(super::docfx::redirection_files)
            .unwrap_or_default()
        {
            if !files.contains(&file) {
                files.push(file);
            }
        }
        let mut out = Redirections::default();
        for file in files {
            if let Some(text) = super::docfx::read_in_checkout(root, &file) {
                out.add(&file, &text);
            }
        }
        out
    }

    /// Adds the redirections of one file (`file`, a checkout path; `text`, its content). The
    /// first declaration of a path wins.
    pub fn add(&mut self, file: &str, text: &str) {
        let Ok(value) = serde_json::from_str::<Value>(text) else {
            return;
        };
        let entries = value
            .get("redirections")
            .and_then(Value::as_array)
            .into_iter()
            .flatten();
        for entry in entries {
            let (Some(source), Some(url)) = (
                entry.get("source_path").and_then(Value::as_str),
                entry.get("redirect_url").and_then(Value::as_str),
            ) else {
                continue;
            };
            let Some(path) = crate::paths::normalize(&source.replace('\\', "/")) else {
                continue;
            };
            self.by_path
                .entry(path.to_lowercase())
                .or_insert_with(|| Redirect {
                    url: url.to_string(),
                    file: file.to_string(),
                });
        }
    }

    /// The redirect of a checkout path, if it is a redirected source path.
    pub fn get(&self, path: &str) -> Option<&Redirect> {
        self.by_path.get(&path.to_lowercase())
    }

    /// How many paths are redirected.
    pub fn len(&self) -> usize {
        self.by_path.len()
    }

    /// Whether no path is redirected.
    pub fn is_empty(&self) -> bool {
        self.by_path.is_empty()
    }
}

impl Redirect {
    /// The file of the checkout that the redirect URL serves, when it is a site path that
    /// names one Markdown file: the file whose path ends with the longest tail of the URL's
    /// path (`/graph/api/resources/widget?view=beta` → `…/resources/widget.md`); of several,
    /// the one nearest the redirected `source` path (the same API version), and none on a tie.
    pub fn target_file<'f>(&self, source: &str, files: &'f Files) -> Option<&'f FileEntry> {
        if self.url.contains("://") {
            return None;
        }
        let path = self.url.split(['?', '#']).next().unwrap_or("");
        let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        let name = format!("{}.md", segments.last()?);
        for start in 0..segments.len() {
            let tail = format!("{}.md", segments[start..].join("/")).to_lowercase();
            let candidates: Vec<&FileEntry> = files
                .named(&name)
                .filter(|f| {
                    let lower = f.docset_path.to_lowercase();
                    lower == tail || lower.ends_with(&format!("/{tail}"))
                })
                .collect();
            if candidates.is_empty() {
                continue;
            }
            let shared = |f: &FileEntry| {
                f.docset_path
                    .split('/')
                    .zip(source.split('/'))
                    .take_while(|(a, b)| a.eq_ignore_ascii_case(b))
                    .count()
            };
            let best = candidates.iter().map(|f| shared(f)).max()?;
            let mut nearest = candidates.into_iter().filter(|f| shared(f) == best);
            return match (nearest.next(), nearest.next()) {
                (Some(only), None) => Some(only),
                _ => None,
            };
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn source_paths_are_checkout_paths_in_any_case_and_separator() {
        let mut redirections = Redirections::default();
        redirections.add(
            REDIRECTION_FILE,
            r#"{"redirections": [
                {"source_path": "concepts\\changelog.md", "redirect_url": "https://example.com/changelog"},
                {"source_path": "/api/Old.md", "redirect_url": "/graph/api/new"},
                {"source_path": "../outside.md", "redirect_url": "/x"},
                {"source_path": "api/old.md", "redirect_url": "/second"},
                {"redirect_url": "/no-source"}
            ]}"#,
        );
        assert_eq!(
            redirections
                .get("concepts/changelog.md")
                .map(|r| r.url.as_str()),
            Some("https://example.com/changelog")
        );
        assert_eq!(
            redirections.get("api/old.md").map(|r| r.url.as_str()),
            Some("/graph/api/new")
        );
        assert_eq!(redirections.len(), 2);
        redirections.add("broken.json", "not json");
        assert_eq!(redirections.len(), 2);
    }

    #[test]
    fn redirect_urls_name_the_file_nearest_the_source() {
        let files = Files::new(vec![
            "api/v1.0/resources/widget.md".into(),
            "api/beta/resources/widget.md".into(),
            "guide/overview.md".into(),
            "other/overview.md".into(),
        ]);
        let to = |url: &str| Redirect {
            url: url.into(),
            file: REDIRECTION_FILE.into(),
        };
        let found = |url: &str, source: &str| {
            to(url)
                .target_file(source, &files)
                .map(|f| f.docset_path.clone())
        };
        assert_eq!(
            found(
                "/site/api/resources/widget?view=beta",
                "api/beta/resources/old.md"
            )
            .as_deref(),
            Some("api/beta/resources/widget.md")
        );
        assert_eq!(
            found("/site/api/resources/widget", "api/v1.0/api/old.md").as_deref(),
            Some("api/v1.0/resources/widget.md")
        );
        // Two files equally near, a URL elsewhere, a folder: no file.
        assert_eq!(found("/site/overview", "top.md"), None);
        assert_eq!(found("https://example.com/widget", "api/beta/x.md"), None);
        assert_eq!(found("/site/guide/", "api/beta/x.md"), None);
    }
}
