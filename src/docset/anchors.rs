//! The anchors a page offers: GitHub-style heading ids (with `-1`, `-2` for duplicates),
//! `{#id}` attributes, `<a name>`/`<a id>` anchors, and the same of every file it includes.

use std::sync::OnceLock;

use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};

use crate::document::Document;

/// The anchors of one page, with what a did-you-mean needs built on the first miss.
#[derive(Debug, Default, Clone)]
pub struct Anchors {
    /// Boxed strings, sized exactly: a page's anchors stay for the whole run.
    ids: HashSet<Box<str>>,
    /// Built on the first miss: the anchors sorted and by lower-cased text.
    misses: OnceLock<Misses>,
}

/// The anchors sorted, and by lower-cased text, for the help on a link that matched none.
#[derive(Debug, Default, Clone)]
struct Misses {
    sorted: Vec<String>,
    /// Lower-cased anchor → its first spelling in `sorted`.
    by_lowercase: HashMap<String, usize>,
}

impl Anchors {
    /// The anchors of `doc` and of the documents it includes, directly or not (`included`
    /// gives a document's includes; `own` is `doc`'s index when it has one, so that an include
    /// cycle does not walk it again).
    pub fn collect<'d>(
        doc: &'d Document,
        own: Option<usize>,
        first: &[usize],
        documents: &'d [Document],
        included: impl Fn(usize) -> &'d [usize],
    ) -> Anchors {
        let mut ids = HashSet::with_capacity(doc.headings.len() + doc.explicit_anchors.len());
        add(&mut ids, doc);
        let mut seen: HashSet<usize> = own.into_iter().collect();
        let mut stack: Vec<usize> = first.to_vec();
        while let Some(d) = stack.pop() {
            if seen.insert(d) {
                add(&mut ids, &documents[d]);
                stack.extend(included(d));
            }
        }
        Anchors {
            ids,
            misses: OnceLock::new(),
        }
    }

    /// Whether the page has exactly this anchor.
    pub fn contains(&self, id: &str) -> bool {
        self.ids.contains(id)
    }

    /// The anchor that differs from `id` only in case, if any (the first in sorted order).
    pub fn ignoring_case(&self, id: &str) -> Option<&str> {
        let misses = self.misses();
        let i = *misses.by_lowercase.get(&id.to_lowercase())?;
        Some(&misses.sorted[i])
    }

    /// The closest anchor, for a did-you-mean.
    pub fn closest(&self, id: &str) -> Option<&str> {
        crate::suggest::closest_sorted(id, &self.misses().sorted)
    }

    fn misses(&self) -> &Misses {
        self.misses.get_or_init(|| {
            let mut sorted: Vec<String> = self.ids.iter().map(|id| id.to_string()).collect();
            sorted.sort_unstable();
            let mut by_lowercase = HashMap::with_capacity(sorted.len());
            for (i, id) in sorted.iter().enumerate() {
                by_lowercase.entry(id.to_lowercase()).or_insert(i);
            }
            Misses {
                sorted,
                by_lowercase,
            }
        })
    }
}

fn add(ids: &mut HashSet<Box<str>>, page: &Document) {
    for heading in &page.headings {
        if !heading.anchor.is_empty() {
            ids.insert(heading.anchor.clone());
        }
        if let Some(id) = &heading.explicit_id {
            ids.insert(id.clone());
        }
    }
    ids.extend(page.explicit_anchors.iter().map(|a| a.id.as_str().into()));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(path: &str, text: &str) -> Document {
        Document::parse(path.into(), path.into(), path.into(), text.into(), false)
    }

    #[test]
    fn anchors_of_included_pages_count() {
        let documents = vec![
            page("a.md", "# Title\n\n## Same\n\n## Same\n"),
            page("b.md", "## Included <a name=\"x\"></a>\n"),
        ];
        let edges: Vec<Vec<usize>> = vec![vec![1], vec![0]];
        let anchors =
            Anchors::collect(&documents[0], Some(0), &edges[0], &documents, |d| &edges[d]);
        for id in ["title", "same", "same-1", "included", "x"] {
            assert!(anchors.contains(id), "{id}");
        }
        assert_eq!(anchors.ignoring_case("SAME"), Some("same"));
        assert_eq!(anchors.closest("titel"), Some("title"));
    }
}
