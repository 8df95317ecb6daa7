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
    /// What a path below `src` starts with when it matches `files`: each glob's text up to its
    /// first wildcard (see [`Prefixes`]).
    prefixes: Prefixes,
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
                let (files, prefixes) = globs_and_prefixes(entry.get("files"))?;
                Some(ContentEntry {
                    src,
                    files,
                    exclude: globs(entry.get("exclude"))?,
                    prefixes,
                })
            })
            .collect();
        Some(Content { entries })
    }

    /// Content that is every Markdown and YAML file under `folder` (a `docfx.json` that is
    /// missing or unreadable).
    pub fn everything(folder: &str) -> Content {
        let all = serde_json::json!(["**/*.md", "**/*.yml"]);
        let (files, prefixes) = globs_and_prefixes(Some(&all)).unwrap_or_default();
        Content {
            entries: vec![ContentEntry {
                src: folder.to_string(),
                files,
                exclude: GlobSet::empty(),
                prefixes,
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
            // One candidate for both sets: making one copies and splits the path. A path that
            // starts as no glob does (most files of a doc set, for all but one entry) is
            // never matched against them.
            relative.is_some_and(|r| {
                if !entry.prefixes.may_match(r) {
                    return false;
                }
                let candidate = Candidate::new(r);
                entry.files.is_match_candidate(&candidate)
                    && !entry.exclude.is_match_candidate(&candidate)
            })
        })
    }
}

/// The literal starts of a set of globs, which every path a glob of the set matches starts with
/// (ASCII case ignored, as the globs ignore it: `globset` matches bytes, folding only ASCII
/// letters); `None` when some glob starts with a wildcard, which any path may match.
#[derive(Debug, Default)]
struct Prefixes(Option<Vec<String>>);

impl Prefixes {
    /// The literal start of each glob (in `globset` syntax): its text before the first
    /// character that is not matched as itself (a wildcard, a class, an alternation, an
    /// escape).
    fn of<'g>(globs: impl IntoIterator<Item = &'g str>) -> Prefixes {
        let mut prefixes = Vec::new();
        for glob in globs {
            let literal = glob
                .find(['*', '?', '[', '{', '\\'])
                .map_or(glob, |end| &glob[..end]);
            if literal.is_empty() {
                return Prefixes(None);
            }
            prefixes.push(literal.to_string());
        }
        Prefixes(Some(prefixes))
    }

    /// Whether a glob of the set may match `path`: it starts with one of the prefixes.
    fn may_match(&self, path: &str) -> bool {
        self.0.as_ref().is_none_or(|prefixes| {
            prefixes.iter().any(|prefix| {
                path.as_bytes()
                    .get(..prefix.len())
                    .is_some_and(|start| start.eq_ignore_ascii_case(prefix.as_bytes()))
            })
        })
    }
}

/// [`globs`] and their [`Prefixes`].
fn globs_and_prefixes(value: Option<&Value>) -> Option<(GlobSet, Prefixes)> {
    let globs = expanded(value)?;
    Some((
        glob_set(&globs)?,
        Prefixes::of(globs.iter().map(String::as_str)),
    ))
}

/// The globs of a `files` or `exclude` value (a string or an array of strings), DocFX style:
/// `*` stays within a folder, `**.md` means `.md` files at any depth, case is ignored, and a
/// plain name also stands for everything under it.
fn globs(value: Option<&Value>) -> Option<GlobSet> {
    glob_set(&expanded(value)?)
}

/// The patterns of a `files` or `exclude` value in `globset` syntax: each pattern, followed by
/// everything under it when it is a plain name; `None` for a value that is not a string or an
/// array of strings.
fn expanded(value: Option<&Value>) -> Option<Vec<String>> {
    let patterns: Vec<&str> = match value {
        None => Vec::new(),
        Some(Value::String(one)) => vec![one.as_str()],
        Some(Value::Array(many)) => many.iter().filter_map(Value::as_str).collect(),
        Some(_) => return None,
    };
    let mut globs = Vec::with_capacity(patterns.len());
    for pattern in patterns {
        let pattern = docfx_pattern(pattern);
        let plain = !pattern.contains(['*', '?', '[', '{']);
        let under = plain.then(|| format!("{}/**", pattern.trim_end_matches('/')));
        globs.push(pattern);
        globs.extend(under);
    }
    Some(globs)
}

/// The globs, matched case-insensitively with `*` within a folder; `None` when one does not
/// compile.
fn glob_set(globs: &[String]) -> Option<GlobSet> {
    let mut builder = GlobSetBuilder::new();
    for glob in globs {
        let glob = GlobBuilder::new(glob)
            .literal_separator(true)
            .case_insensitive(true)
            .build()
            .ok()?;
        builder.add(glob);
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

    /// A path that a glob matches starts with one of the globs' prefixes, case and wildcards,
    /// classes, alternations and escapes as `globset` reads them; paths that start otherwise
    /// are not matched against the globs.
    #[test]
    fn paths_globs_match_start_with_their_prefixes() {
        let patterns = [
            "**.md",
            "api/**/*.md",
            "README.md",
            "sp2019",
            "a[bc]/x.md",
            "{x,y}/z.md",
            "\\*.md",
            "Ä/b.md",
            "./Api/**",
            "api?/x.md",
        ];
        let paths = [
            "api/x/y.md",
            "API/x/Y.MD",
            "Api/q.md",
            "apix/x.md",
            "ap",
            "readme.md",
            "README.MD/x.md",
            "sp2019/a.md",
            "SP2019",
            "ab/x.md",
            "aC/x.md",
            "y/z.md",
            "*.md",
            "Ä/b.md",
            "ä/b.md",
            "includes/snippets/x.md",
            "",
        ];
        for pattern in patterns {
            let value = serde_json::json!([pattern]);
            let (set, prefixes) = globs_and_prefixes(Some(&value)).unwrap();
            for path in paths {
                if set.is_match(path) {
                    assert!(prefixes.may_match(path), "{pattern} matches {path}");
                }
            }
        }
        let value = serde_json::json!(["api/**/*.md", "overview.md"]);
        let (_, prefixes) = globs_and_prefixes(Some(&value)).unwrap();
        assert!(prefixes.may_match("API/a.md") && prefixes.may_match("Overview.md"));
        assert!(!prefixes.may_match("includes/snippets/x.md"));
        let value = serde_json::json!(["api/**/*.md", "**.yml"]);
        assert!(globs_and_prefixes(Some(&value)).unwrap().1.may_match("x"));
    }

    #[test]
    fn docfx_globs_become_globset_globs() {
        assert_eq!(docfx_pattern("**.md"), "**/*.md");
        assert_eq!(docfx_pattern("./api/**"), "api/**");
        assert_eq!(docfx_pattern("a/**/b/**.yml"), "a/**/b/**/*.yml");
    }
}
