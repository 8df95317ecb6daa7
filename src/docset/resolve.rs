//! Where link and include targets point.
//!
//! A destination as written in a page (`../resources/user.md?view=x#properties`) is taken apart
//! into path, query and fragment, percent-decoded, and resolved against the page's folder or the
//! checkout root; the result is looked up in the files of the [`Index`] — exactly, or ignoring
//! case — with no file-system calls. [`local_path`] is the one place a destination becomes a
//! path: the links and includes rules, the include graph, the anchor sets, the orphan check and
//! the loading of named files all go through it.

use std::borrow::Cow;
use std::path::Path;

use foldhash::{HashMap, HashSet};

use super::files::FileEntry;
pub use super::files::{file_name, parent};
use super::Index;
use crate::document::Document;

/// A destination taken apart: `path?query#fragment`, as written (not decoded).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Parts<'a> {
    /// Everything before `?` or `#`.
    pub path: &'a str,
    /// After `?`, before `#`.
    pub query: Option<&'a str>,
    /// After `#`.
    pub fragment: Option<&'a str>,
}

/// Splits a destination at its first `#` and the first `?` before it.
pub fn split(dest: &str) -> Parts<'_> {
    // `#` and `?` are ASCII: found as bytes, cut at character boundaries.
    let (before, fragment) = match memchr::memchr(b'#', dest.as_bytes()) {
        Some(hash) => (&dest[..hash], Some(&dest[hash + 1..])),
        None => (dest, None),
    };
    let (path, query) = match memchr::memchr(b'?', before.as_bytes()) {
        Some(mark) => (&before[..mark], Some(&before[mark + 1..])),
        None => (before, None),
    };
    Parts {
        path,
        query,
        fragment,
    }
}

/// The scheme of an absolute URL (`https`, `mailto`), if the destination starts with one. A single
/// letter before `:` is a Windows drive, not a scheme.
pub fn scheme(dest: &str) -> Option<&str> {
    // The run of scheme characters at the start: a `:` right after it ends a scheme (`:` is
    // no scheme character, so that is the first `:`); anything else before a `:` is not one.
    let bytes = dest.as_bytes();
    let end = bytes
        .iter()
        .position(|&b| !(b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.')))?;
    let valid = bytes[end] == b':' && end >= 2 && bytes[0].is_ascii_alphabetic();
    valid.then(|| &dest[..end])
}

/// Decodes `%xx` escapes; `None` when a `%` is not followed by two hex digits or the bytes do not
/// form UTF-8.
pub fn percent_decode(text: &str) -> Option<Cow<'_, str>> {
    // Most destinations hold no escape: nothing to check or decode.
    if memchr::memchr(b'%', text.as_bytes()).is_none() {
        return Some(Cow::Borrowed(text));
    }
    let escapes_valid = text.match_indices('%').all(|(i, _)| {
        text.as_bytes()
            .get(i + 1..i + 3)
            .is_some_and(|hex| hex.iter().all(u8::is_ascii_hexdigit))
    });
    if !escapes_valid {
        return None;
    }
    percent_encoding::percent_decode_str(text)
        .decode_utf8()
        .ok()
}

/// Why a destination cannot be a valid URL or path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Malformed {
    /// A path written with `\` separators (works on Windows only).
    Backslash,
    /// A `%` not followed by two hex digits, or escapes that are not UTF-8.
    BadEscape,
    /// `http:` or `https:` without `//host`.
    NoHost,
}

impl Malformed {
    /// What is wrong, for messages.
    pub fn describe(self) -> &'static str {
        match self {
            Malformed::Backslash => "uses `\\` as a path separator, which only Windows accepts",
            Malformed::BadEscape => "has a `%` that is not a valid percent-escape",
            Malformed::NoHost => "is a web URL without `//` and a host name",
        }
    }
}

/// The destination `dest` written with `/` separators: each backslash becomes `/`, and one that
/// stands next to a `/` or another backslash is dropped, so `../a/\b.md` becomes `../a/b.md` and
/// not `../a//b.md`.
pub fn with_forward_slashes(dest: &str) -> String {
    let mut out = String::with_capacity(dest.len());
    let mut chars = dest.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if out.ends_with('/') || chars.peek().is_some_and(|&n| n == '/' || n == '\\') => {}
            '\\' => out.push('/'),
            _ => out.push(c),
        }
    }
    out
}

/// Joins `path` to the folder `dir` (both `/`-separated, relative to the root) and normalises `.`
/// and `..`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Joined {
    /// A path inside the root.
    Inside(String),
    /// The path climbs `levels` folders above the root, then continues with `rest`.
    Above {
        /// How many folders above the root.
        levels: usize,
        /// The segments after the climb.
        rest: String,
    },
}

/// Joins a relative path to a folder of the doc set.
pub fn join(dir: &str, path: &str) -> Joined {
    let mut out = String::with_capacity(dir.len() + path.len() + 1);
    let mut above = 0usize;
    // A page's folder is nearly always plain (no empty, `.` or `..` names): it is its own
    // joined form, taken whole; only `path` is then cut into segments.
    let texts = if crate::paths::plain_names(dir) {
        out.push_str(dir);
        ["", path]
    } else {
        [dir, path]
    };
    // Segments are cut by hand: both texts are short, and `split` costs more per call than
    // the scan itself (this runs for every link and include of every page).
    for text in texts {
        let mut start = 0;
        while start <= text.len() {
            let end = text.as_bytes()[start..]
                .iter()
                .position(|&b| b == b'/')
                .map_or(text.len(), |i| start + i);
            match &text[start..end] {
                "" | "." => {}
                ".." => match out.bytes().rposition(|b| b == b'/') {
                    Some(slash) => out.truncate(slash),
                    None if !out.is_empty() => out.clear(),
                    None => above += 1,
                },
                segment => {
                    if !out.is_empty() {
                        out.push('/');
                    }
                    out.push_str(segment);
                }
            }
            start = end + 1;
        }
    }
    if above == 0 {
        Joined::Inside(out)
    } else {
        Joined::Above {
            levels: above,
            rest: out,
        }
    }
}

/// `to` (a doc-set path) written relative to the folder `from_dir`, `/` separated.
pub fn relative_path(from_dir: &str, to: &str) -> String {
    let from: Vec<&str> = from_dir.split('/').filter(|p| !p.is_empty()).collect();
    let target: Vec<&str> = to.split('/').filter(|p| !p.is_empty()).collect();
    let common = from.iter().zip(&target).take_while(|(a, b)| a == b).count();
    let mut out: Vec<&str> = vec![".."; from.len() - common];
    out.extend(&target[common..]);
    out.join("/")
}

/// A locale segment such as `en-us` right after the host of a Microsoft Learn or
/// docs.microsoft.com URL, or at the start of a root-relative path: its byte range in `dest`.
pub fn locale_in_url(dest: &str) -> Option<std::ops::Range<usize>> {
    let path_start = if dest.starts_with('/') && !dest.starts_with("//") {
        0
    } else {
        let after_scheme = strip_prefix_ignoring_case(dest, "https://")
            .or_else(|| strip_prefix_ignoring_case(dest, "http://"))?;
        let host_end = after_scheme.find('/')?;
        let host = &after_scheme[..host_end];
        let learn = ["learn.microsoft.com", "docs.microsoft.com"];
        if !learn.iter().any(|h| host.eq_ignore_ascii_case(h)) {
            return None;
        }
        dest.len() - after_scheme.len() + host_end
    };
    let segment_start = path_start + 1;
    let rest = dest.get(segment_start..)?;
    let segment_end = segment_start + rest.find(['/', '?', '#']).unwrap_or(rest.len());
    is_locale(&dest[segment_start..segment_end]).then_some(segment_start..segment_end)
}

fn strip_prefix_ignoring_case<'t>(text: &'t str, prefix: &str) -> Option<&'t str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
}

/// `en-us`, `de-de`, `zh-hans-cn`: a language subtag and one or two more.
fn is_locale(segment: &str) -> bool {
    let mut parts = segment.split('-');
    let language = parts.next().unwrap_or("");
    let rest: Vec<&str> = parts.collect();
    language.len() == 2
        && language.chars().all(|c| c.is_ascii_alphabetic())
        && (1..=2).contains(&rest.len())
        && rest
            .iter()
            .all(|p| (2..=4).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// Where a destination points, after lookup in the index.
#[derive(Debug, Clone)]
pub enum Target<'i> {
    /// Not checked offline: a URL with a scheme, `//host`, or a root-relative path under an
    /// ignored prefix (`[links] ignore`, ApiDoctor's `pathsToIgnore`).
    Unchecked,
    /// Nothing at all (`[x]()`), or a bare `#`.
    Empty,
    /// A destination that is not a valid URL or path.
    Malformed(Malformed),
    /// `#anchor` on the same page (decoded).
    SamePage(String),
    /// A file of the doc set.
    File {
        /// The file.
        file: &'i FileEntry,
        /// Whether the path matched exactly (false: only when case is ignored).
        exact: bool,
        /// The path looked for, relative to the root.
        path: String,
        /// The anchor, decoded.
        anchor: Option<String>,
    },
    /// No such file in the doc set.
    Missing {
        /// The path looked for, relative to the root.
        path: String,
        /// Whether the destination was root-relative (`/x`).
        rooted: bool,
    },
    /// A root-relative path that is no file of the doc set and looks like a page of the
    /// published site elsewhere (no `.md` extension, first folder not in the doc set), such as
    /// `/answers/topics/x.html` or `/learn/modules/y`: a link into another doc set.
    SitePath {
        /// The path, relative to the root.
        path: String,
    },
    /// The path climbs above the doc-set root.
    Outside,
    /// A path into another repository (`~/…`, or a folder named like a dependent repository).
    CrossRepo {
        /// The repository name, when known.
        repo: Option<String>,
        /// The path inside that repository.
        path: String,
        /// `Some(found)` when the repository has a local checkout (`[repos]`).
        found: Option<bool>,
    },
}

/// The link settings of a run, prepared once when the index is built.
#[derive(Debug, Default)]
pub struct LinkSettings {
    /// Root-relative prefixes treated as external, lower-cased.
    ignores: Vec<String>,
    /// Names of the repositories paths may reach into.
    repositories: Vec<String>,
}

impl LinkSettings {
    /// Prefixes treated as external (`[links] ignore`, ApiDoctor's `pathsToIgnore`) and the
    /// names of the repositories paths may reach into.
    pub fn new(ignores: &[String], repositories: Vec<String>) -> Self {
        LinkSettings {
            ignores: ignores.iter().map(|p| p.to_lowercase()).collect(),
            repositories,
        }
    }
}

/// The files of cross-repository checkouts (`[repos]`), by lower-cased repository name.
#[derive(Debug, Default)]
pub struct Repositories {
    files: HashMap<String, HashSet<String>>,
}

impl Repositories {
    /// Records the files of a repository's checkout (paths relative to it, `/` separated).
    pub fn add(&mut self, name: &str, files: impl IntoIterator<Item = String>) {
        self.files
            .entry(name.to_lowercase())
            .or_default()
            .extend(files);
    }

    /// `Some(found)` for a repository with a local checkout, `None` without one.
    pub fn has(&self, name: &str, path: &str) -> Option<bool> {
        let files = self.files.get(&name.to_lowercase())?;
        Some(matches!(join("", path), Joined::Inside(p) if files.contains(&p)))
    }
}

/// Where a destination written in the page at `from` (a checkout path) points inside the
/// checkout: query and fragment dropped, `%xx` escapes decoded, `.` and `..` resolved against
/// the page's folder, or against the root for `/…` and `~/…`. `None` for URLs, empty paths,
/// `\` separators, bad escapes and paths that climb above the root.
pub fn local_path(from: &str, dest: &str) -> Option<String> {
    let dest = dest.trim();
    if scheme(dest).is_some() || dest.starts_with("//") {
        return None;
    }
    let path = percent_decode(split(dest).path)?;
    let (base, path) = match path.strip_prefix("~/").or_else(|| path.strip_prefix('/')) {
        Some(rest) => ("", rest),
        None => (parent(from), path.as_ref()),
    };
    if path.is_empty() || path.contains('\\') {
        return None;
    }
    match join(base, path) {
        Joined::Inside(joined) if !joined.is_empty() => Some(joined),
        _ => None,
    }
}

/// Resolves destinations written in pages, with the run's link settings.
pub struct Resolver<'a> {
    index: &'a Index,
    root: &'a Path,
    ignores: &'a [String],
    repositories: &'a [String],
}

impl<'a> Resolver<'a> {
    /// A resolver for the files of `index`, with the run's link settings.
    pub fn new(index: &'a Index) -> Self {
        Resolver {
            index,
            root: &index.root,
            ignores: &index.links.ignores,
            repositories: &index.links.repositories,
        }
    }
    /// Resolves `dest`, written in `from`.
    pub fn resolve(&self, from: &Document, dest: &str) -> Target<'a> {
        let dest = dest.trim();
        if dest.is_empty() || dest == "#" {
            return Target::Empty;
        }
        if let Some(scheme) = scheme(dest) {
            let web = scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https");
            let rest = &dest[scheme.len() + 1..];
            return if web && !rest.starts_with("//") {
                Target::Malformed(Malformed::NoHost)
            } else {
                Target::Unchecked
            };
        }
        if dest.starts_with("//") {
            return Target::Unchecked;
        }
        let parts = split(dest);
        if memchr::memchr(b'\\', parts.path.as_bytes()).is_some() {
            return Target::Malformed(Malformed::Backslash);
        }
        let (Some(path), Some(fragment)) = (
            percent_decode(parts.path),
            parts
                .fragment
                .map_or(Some(Cow::Borrowed("")), percent_decode),
        ) else {
            return Target::Malformed(Malformed::BadEscape);
        };
        let anchor = parts.fragment.map(|_| fragment.into_owned());
        if path.is_empty() {
            return match anchor {
                Some(anchor) if !anchor.is_empty() => Target::SamePage(anchor),
                // `?query` alone or `?x#`: the page itself.
                _ if parts.query.is_some() => Target::Unchecked,
                _ => Target::Empty,
            };
        }
        if let Some(rest) = path.strip_prefix("~/") {
            return self.resolve_in_repository_root(rest, anchor);
        }
        let rooted = path.starts_with('/');
        if rooted {
            let lower = path.to_lowercase();
            if self.ignores.iter().any(|p| lower.starts_with(p.as_str())) {
                return Target::Unchecked;
            }
        } else if !from.paths.is_within(self.root) {
            // A named file outside the doc-set root: its relative links have no base to check.
            return Target::Unchecked;
        }
        let base = if rooted {
            ""
        } else {
            parent(from.docset_path())
        };
        match join(base, &path) {
            Joined::Inside(joined) => self.lookup(joined, rooted, anchor),
            Joined::Above { rest, .. } => match self.repository_of(&rest) {
                Some((repo, inner)) => self.cross_repo(repo, inner),
                None => Target::Outside,
            },
        }
    }

    fn lookup(&self, path: String, rooted: bool, anchor: Option<String>) -> Target<'a> {
        if let Some((repo, inner)) = self.repository_of(&path) {
            return self.cross_repo(repo, inner);
        }
        match self.index.files.find(&path) {
            Some((file, exact)) => Target::File {
                file,
                exact,
                path,
                anchor,
            },
            None if rooted && self.is_site_path(&path) => Target::SitePath { path },
            None => Target::Missing { path, rooted },
        }
    }

    /// Whether a missing root-relative path names a page of the published site rather than a
    /// file: DocFX file links end in `.md`, and site paths start outside the doc set's folders.
    fn is_site_path(&self, path: &str) -> bool {
        let first = path.split('/').next().unwrap_or("");
        let markdown = file_name(path).to_ascii_lowercase().ends_with(".md");
        !markdown && !self.index.files.has_folder(first)
    }

    /// `~/x`: DocFX's repository root. Resolved in the doc set when the file is there, else a
    /// cross-repository reference that cannot be checked here.
    fn resolve_in_repository_root(&self, rest: &str, anchor: Option<String>) -> Target<'a> {
        match join("", rest) {
            Joined::Inside(path) => match self.lookup(path, true, anchor) {
                Target::Missing { path, .. } => Target::CrossRepo {
                    repo: None,
                    path,
                    found: None,
                },
                found => found,
            },
            Joined::Above { rest, .. } => match self.repository_of(&rest) {
                Some((repo, inner)) => self.cross_repo(repo, inner),
                None => Target::CrossRepo {
                    repo: None,
                    path: rest,
                    found: None,
                },
            },
        }
    }

    /// The known repository a path starts with, and the path inside it.
    fn repository_of<'p>(&self, path: &'p str) -> Option<(&str, &'p str)> {
        let (first, inner) = path.split_once('/').unwrap_or((path, ""));
        self.repositories
            .iter()
            .find(|r| r.eq_ignore_ascii_case(first))
            .map(|r| (r.as_str(), inner))
    }

    fn cross_repo(&self, repo: &str, inner: &str) -> Target<'a> {
        Target::CrossRepo {
            repo: Some(repo.to_string()),
            path: inner.to_string(),
            found: self.index.repositories.has(repo, inner),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_query_and_fragment() {
        let parts = split("../a.md?view=x#b");
        assert_eq!(parts.path, "../a.md");
        assert_eq!(parts.query, Some("view=x"));
        assert_eq!(parts.fragment, Some("b"));
        assert_eq!(split("#x?y").fragment, Some("x?y"));
    }

    #[test]
    fn backslashes_become_single_slashes() {
        assert_eq!(with_forward_slashes(r"sub\page.md"), "sub/page.md");
        assert_eq!(
            with_forward_slashes(r"../resources/\user.md"),
            "../resources/user.md"
        );
        assert_eq!(with_forward_slashes(r"a\/b\\c.md"), "a/b/c.md");
        assert_eq!(with_forward_slashes("plain/path.md"), "plain/path.md");
    }

    #[test]
    fn decodes_percent_escapes() {
        assert_eq!(percent_decode("a%20b.md").as_deref(), Some("a b.md"));
        assert_eq!(percent_decode("100%").as_deref(), None);
        assert_eq!(percent_decode("%e2%9c%93").as_deref(), Some("✓"));
        assert_eq!(percent_decode("%ff").as_deref(), None);
    }

    #[test]
    fn local_paths_are_decoded_and_joined() {
        let at = |from: &str, dest: &str| local_path(from, dest);
        assert_eq!(
            at("a/b/page.md", "../includes/x%20y.md#z").as_deref(),
            Some("a/includes/x y.md")
        );
        assert_eq!(at("a/page.md", "/c/d.md?view=1").as_deref(), Some("c/d.md"));
        assert_eq!(at("a/page.md", "~/c/d.md").as_deref(), Some("c/d.md"));
        assert_eq!(at("page.md", "../x.md"), None);
        assert_eq!(at("a/page.md", "https://x/y.md"), None);
        assert_eq!(at("a/page.md", "x\\y.md"), None);
        assert_eq!(at("a/page.md", "#anchor"), None);
        assert_eq!(at("a/page.md", "100%.md"), None);
    }

    #[test]
    fn joins_and_climbs() {
        assert_eq!(join("a/b", "../c.md"), Joined::Inside("a/c.md".to_string()));
        assert_eq!(
            join("a", "../../x/c.md"),
            Joined::Above {
                levels: 1,
                rest: "x/c.md".to_string()
            }
        );
        assert_eq!(join("", "./a/../b.md"), Joined::Inside("b.md".to_string()));
        assert_eq!(
            join("a/b", "../../../x/../y.md"),
            Joined::Above {
                levels: 1,
                rest: "y.md".to_string()
            }
        );
        assert_eq!(
            join("a", "../../x/y/../../z"),
            Joined::Above {
                levels: 1,
                rest: "z".to_string()
            }
        );
        // A folder that is not plain is cut into segments like the path.
        let inside = |s: &str| Joined::Inside(s.to_string());
        assert_eq!(join("a/./b", "c.md"), inside("a/b/c.md"));
        assert_eq!(join("a//b/", "c.md"), inside("a/b/c.md"));
        assert_eq!(join("a/b/..", "c.md"), inside("a/c.md"));
        assert_eq!(join("/a", "./c.md"), inside("a/c.md"));
        assert_eq!(join("a/b", ""), inside("a/b"));
        assert_eq!(
            join("a/b", "../../.."),
            Joined::Above {
                levels: 1,
                rest: String::new()
            }
        );
        assert_eq!(relative_path("a/b", "a/c/d.md"), "../c/d.md");
        assert_eq!(relative_path("", "a/d.md"), "a/d.md");
    }

    #[test]
    fn recognises_schemes_and_locales() {
        assert_eq!(scheme("https://x"), Some("https"));
        assert_eq!(scheme("mailto:a@b"), Some("mailto"));
        assert_eq!(scheme("c:\\x"), None);
        assert_eq!(scheme("a.md"), None);
        let url = "https://learn.microsoft.com/en-us/graph/overview";
        assert_eq!(locale_in_url(url).map(|r| &url[r]), Some("en-us"));
        assert_eq!(locale_in_url("/zh-hans-cn/x").map(|r| r.len()), Some(10));
        assert_eq!(locale_in_url("https://example.com/en-us/x"), None);
        assert_eq!(
            locale_in_url("https://learn.microsoft.com/graph/en-us"),
            None
        );
        assert_eq!(locale_in_url("/graph/api/x"), None);
    }
}
