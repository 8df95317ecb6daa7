//! Headings and the anchors that links can point at.

use foldhash::{HashMap, HashMapExt};
use std::ops::Range;

/// A Markdown heading.
#[derive(Debug, Clone)]
pub struct Heading {
    /// 1 to 6.
    pub level: u8,
    /// The heading's text, inline markup removed.
    pub text: String,
    /// The whole heading line(s).
    pub span: Range<usize>,
    /// The GitHub-style anchor id (`-1`, `-2` appended to duplicates); empty for tab headers.
    pub anchor: String,
    /// An explicit `{#id}` attribute.
    pub explicit_id: Option<String>,
    /// For a DocFX tab header such as `# [HTTP](#tab/http)`, the tab id (`http`).
    pub tab: Option<String>,
}

/// An anchor declared in HTML (`<a name="x">`, `<a id="x">`).
#[derive(Debug, Clone)]
pub struct ExplicitAnchor {
    /// The id.
    pub id: String,
    /// Where it is declared.
    pub span: Range<usize>,
}

/// GitHub's heading id: lower-cased; letters, digits, `-` and `_` kept; spaces become `-`;
/// everything else dropped.
pub fn slug(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.trim().chars() {
        if c.is_alphanumeric() || c == '-' || c == '_' {
            out.extend(c.to_lowercase());
        } else if c == ' ' {
            out.push('-');
        }
    }
    out
}

/// Assigns GitHub-style anchors to `headings`, numbering duplicates `-1`, `-2`, ….
pub fn assign_anchors(headings: &mut [Heading]) {
    let mut seen: HashMap<String, usize> = HashMap::with_capacity(headings.len());
    for heading in headings.iter_mut().filter(|h| h.tab.is_none()) {
        let base = slug(&heading.text);
        heading.anchor = match seen.get_mut(&base) {
            Some(count) => {
                *count += 1;
                format!("{base}-{}", *count - 1)
            }
            None => {
                seen.insert(base.clone(), 1);
                base
            }
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_follow_github() {
        assert_eq!(
            slug("Example 1: Get a user's photo"),
            "example-1-get-a-users-photo"
        );
        assert_eq!(slug("HTTP request"), "http-request");
        assert_eq!(slug("Request  body"), "request--body");
    }
}
