//! Headings and the anchors that links can point at.

use foldhash::HashMap;
use std::ops::Range;

use crate::source::{saturating_u32, Span};

/// A Markdown heading. Every page has many, so its strings are boxed (sized exactly, they never
/// grow), its span and section links are `u32`s (a page is at most 256 MiB, see
/// `files::PAGE_LIMIT`) and the explicit id and tab id, which few headings have, share one
/// optional box; the anchor id is worked out when the page's anchors are wanted
/// ([`HeadingIds`]): 48 bytes instead of 144.
#[derive(Debug, Clone)]
pub struct Heading {
    /// 1 to 6.
    pub level: u8,
    /// The heading's text, inline markup removed.
    pub text: Box<str>,
    /// The whole heading line(s) (see [`Heading::span`]).
    span: Span,
    /// The explicit id and the tab id, when the heading has either (see
    /// [`Heading::explicit_id`] and [`Heading::tab`]).
    ids: Option<Box<Ids>>,
    /// See [`Heading::parent`].
    parent: Option<u32>,
    /// See [`Heading::section_end`].
    section_end: u32,
}

/// The ids few headings have.
#[derive(Debug, Clone)]
struct Ids {
    explicit_id: Option<Box<str>>,
    tab: Option<Box<str>>,
}

impl Heading {
    /// A heading at `span` with no text yet; its anchor and section are set once the whole
    /// page is read.
    pub fn new(level: u8, span: Range<usize>, explicit_id: Option<Box<str>>) -> Heading {
        Heading {
            level,
            text: Box::default(),
            section_end: saturating_u32(span.end),
            span: Span::new(span),
            ids: explicit_id.map(|id| {
                Box::new(Ids {
                    explicit_id: Some(id),
                    tab: None,
                })
            }),
            parent: None,
        }
    }

    /// The whole heading line(s).
    pub fn span(&self) -> Range<usize> {
        self.span.range()
    }

    /// Sets the heading's span (see [`Heading::span`]).
    pub fn set_span(&mut self, span: Range<usize>) {
        self.span = Span::new(span);
    }

    /// An explicit `{#id}` attribute.
    pub fn explicit_id(&self) -> Option<&str> {
        self.ids.as_ref()?.explicit_id.as_deref()
    }

    /// For a DocFX tab header such as `# [HTTP](#tab/http)`, the tab id (`http`).
    pub fn tab(&self) -> Option<&str> {
        self.ids.as_ref()?.tab.as_deref()
    }

    /// Sets the tab id (see [`Heading::tab`]).
    pub fn set_tab(&mut self, tab: Option<Box<str>>) {
        match (&mut self.ids, tab) {
            (Some(ids), tab) => ids.tab = tab,
            (None, Some(tab)) => {
                self.ids = Some(Box::new(Ids {
                    explicit_id: None,
                    tab: Some(tab),
                }));
            }
            (None, None) => {}
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
        if self.tab().is_some() {
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

/// The GitHub-style anchor ids of a page's headings, worked out in page order (`-1`, `-2`
/// appended to duplicates) when the page's anchors are wanted rather than kept with every
/// heading for the whole run.
#[derive(Debug, Default)]
pub struct HeadingIds {
    /// How many headings so far had each id without its number.
    seen: HashMap<String, usize>,
}

impl HeadingIds {
    /// The anchor id of `heading`, the next heading of its page: empty for a tab header.
    pub fn next(&mut self, heading: &Heading) -> Box<str> {
        if heading.tab().is_some() {
            return Box::default();
        }
        let base = slug(&heading.text);
        match self.seen.get_mut(&base) {
            Some(count) => {
                *count += 1;
                Box::from(format!("{base}-{}", *count - 1).as_str())
            }
            None => {
                let anchor = Box::from(base.as_str());
                self.seen.insert(base, 1);
                anchor
            }
        }
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
            headings[top].section_end = saturating_u32(headings[i].span().start);
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

    /// Ids in page order: duplicates numbered from 1, tab headers without one.
    #[test]
    fn heading_ids_number_duplicates_in_page_order() {
        let mut headings: Vec<Heading> = ["Same", "Other", "Same", "Same", "Tab"]
            .iter()
            .map(|text| Heading {
                text: (*text).into(),
                ..Heading::new(2, 0..1, None)
            })
            .collect();
        headings[4].set_tab(Some("http".into()));
        let mut ids = HeadingIds::default();
        let ids: Vec<Box<str>> = headings.iter().map(|h| ids.next(h)).collect();
        let ids: Vec<&str> = ids.iter().map(|id| &**id).collect();
        assert_eq!(ids, ["same", "other", "same-1", "same-2", ""]);
    }

    /// The explicit id and the tab id share one box, made only for a heading with either.
    #[test]
    fn explicit_and_tab_ids_are_kept_apart() {
        let mut h = Heading::new(2, 0..1, None);
        assert!(h.ids.is_none());
        h.set_tab(None);
        assert!(h.ids.is_none());
        h.set_tab(Some("http".into()));
        assert_eq!((h.explicit_id(), h.tab()), (None, Some("http")));
        let mut h = Heading::new(2, 0..1, Some("x".into()));
        assert_eq!((h.explicit_id(), h.tab()), (Some("x"), None));
        h.set_tab(Some("cs".into()));
        assert_eq!((h.explicit_id(), h.tab()), (Some("x"), Some("cs")));
        h.set_tab(None);
        assert_eq!((h.explicit_id(), h.tab()), (Some("x"), None));
        assert_eq!(std::mem::size_of::<Heading>(), 48);
    }

    #[test]
    fn sections_nest_by_level_and_tab_headers_sit_inside_them() {
        let heading = |level: u8, start: usize, tab: bool| {
            let mut h = Heading::new(level, start..start + 1, None);
            h.set_tab(tab.then(|| "http".into()));
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
