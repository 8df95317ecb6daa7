//! Headings and the anchors that links can point at.

use foldhash::{HashMap, HashMapExt};
use std::ops::Range;

use crate::source::saturating_u32;

/// A Markdown heading. Every page has many, so its strings are boxed (sized exactly, they never
/// grow) and the section links `u32`s (a page is at most 256 MiB, see `files::PAGE_LIMIT`): 96
/// bytes instead of 144.
#[derive(Debug, Clone)]
pub struct Heading {
    /// 1 to 6.
    pub level: u8,
    /// The heading's text, inline markup removed.
    pub text: Box<str>,
    /// The whole heading line(s).
    pub span: Range<usize>,
    /// The GitHub-style anchor id (`-1`, `-2` appended to duplicates); empty for tab headers.
    pub anchor: Box<str>,
    /// An explicit `{#id}` attribute.
    pub explicit_id: Option<Box<str>>,
    /// For a DocFX tab header such as `# [HTTP](#tab/http)`, the tab id (`http`).
    pub tab: Option<Box<str>>,
    /// See [`Heading::parent`].
    parent: Option<u32>,
    /// See [`Heading::section_end`].
    section_end: u32,
}

impl Heading {
    /// A heading at `span` with no text yet; its anchor and section are set once the whole
    /// page is read.
    pub fn new(level: u8, span: Range<usize>, explicit_id: Option<Box<str>>) -> Heading {
        Heading {
            level,
            text: Box::default(),
            section_end: saturating_u32(span.end),
            span,
            anchor: Box::default(),
            explicit_id,
            tab: None,
            parent: None,
        }
    }

    /// The heading whose section holds this one: the nearest earlier section heading (not a
    /// tab header) of a higher rank, or for a tab header the nearest earlier section heading.
    pub fn parent(&self) -> Option<usize> {
        self.parent.map(|p| p as usize)
    }

    /// Where the section this heading opens ends: the start of the next section heading of
    /// the same or a higher rank (for a tab header, of the next heading), or the end of the
    /// page.
    pub fn section_end(&self) -> usize {
        self.section_end as usize
    }

    /// The rank that decides nesting: a tab header sits below every section heading.
    fn rank(&self) -> u8 {
        if self.tab.is_some() {
            u8::MAX
        } else {
            self.level
        }
    }
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
    let text = text.trim();
    if text.is_ascii() {
        // Nearly every heading: a byte at a time, no character decoding.
        let mut out = Vec::with_capacity(text.len());
        out.extend(text.bytes().filter_map(|b| match b {
            b' ' => Some(b'-'),
            _ if b.is_ascii_alphanumeric() || b == b'-' || b == b'_' => {
                Some(b.to_ascii_lowercase())
            }
            _ => None,
        }));
        return String::from_utf8(out).unwrap_or_default();
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii() {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                out.push(c.to_ascii_lowercase());
            } else if c == ' ' {
                out.push('-');
            }
        } else if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
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
                Box::from(format!("{base}-{}", *count - 1).as_str())
            }
            None => {
                let anchor = Box::from(base.as_str());
                seen.insert(base, 1);
                anchor
            }
        };
    }
}

/// Sets every heading's `parent` and `section_end` in one pass over the page's headings
/// (`page_len` ends the sections still open at the end), so that finding the sections around
/// a place never walks back over the earlier headings.
pub fn assign_sections(headings: &mut [Heading], page_len: usize) {
    // The open sections, outermost first; their ranks strictly increase, and a tab header on
    // top is closed by whatever heading comes next.
    let mut open: Vec<usize> = Vec::new();
    for i in 0..headings.len() {
        let rank = headings[i].rank();
        while let Some(&top) = open.last() {
            if headings[top].rank() < rank {
                break;
            }
            headings[top].section_end = saturating_u32(headings[i].span.start);
            open.pop();
        }
        headings[i].parent = open.last().map(|&p| saturating_u32(p));
        open.push(i);
    }
    for i in open {
        headings[i].section_end = saturating_u32(page_len);
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

    #[test]
    fn sections_nest_by_level_and_tab_headers_sit_inside_them() {
        let heading = |level: u8, start: usize, tab: bool| {
            let mut h = Heading::new(level, start..start + 1, None);
            h.tab = tab.then(|| "http".into());
            h
        };
        // # A, ## B, [tab], #### C, ### D, ## E
        let mut headings = vec![
            heading(1, 0, false),
            heading(2, 10, false),
            heading(1, 20, true),
            heading(4, 30, false),
            heading(3, 40, false),
            heading(2, 50, false),
        ];
        assign_sections(&mut headings, 60);
        let parents: Vec<Option<usize>> = headings.iter().map(Heading::parent).collect();
        assert_eq!(parents, [None, Some(0), Some(1), Some(1), Some(1), Some(0)]);
        let ends: Vec<usize> = headings.iter().map(Heading::section_end).collect();
        assert_eq!(ends, [60, 50, 30, 40, 50, 60]);
    }
}
