//! The anchors a page offers: GitHub-style heading ids (with `-1`, `-2` for duplicates),
//! `{#id}` attributes, `<a name>`/`<a id>` anchors, and the same of every file it includes.

use std::sync::OnceLock;

use foldhash::{HashMap, HashMapExt, HashSet};
use rayon::prelude::*;

use super::includes::IncludeGraph;
use crate::document::{headings, Document};
use crate::source::saturating_u32;

/// The anchor ids each include target offers itself (not those of the pages it includes), by
/// document: what the anchors of the pages that include it are made of, taken when the index
/// is built so that those are worked out without reading the target again. Only targets with
/// ids are listed (few: most include fragments have no heading).
#[derive(Debug, Default)]
pub struct IncludedIds {
    by_document: HashMap<usize, Box<[Box<str>]>>,
}

impl IncludedIds {
    /// The ids of every document that `includes` says some page includes.
    pub fn build(documents: &[Document], includes: &IncludeGraph) -> IncludedIds {
        let mut targets: Vec<usize> = includes.targets().collect();
        targets.sort_unstable();
        targets.dedup();
        let by_document = targets
            .into_par_iter()
            .filter_map(|d| {
                let ids: Box<[Box<str>]> = own_ids(documents.get(d)?).collect();
                (!ids.is_empty()).then_some((d, ids))
            })
            .collect::<Vec<_>>()
            .into_iter()
            .collect();
        IncludedIds { by_document }
    }

    /// The ids that document `d` offers itself, when it is an include target.
    pub fn of(&self, d: usize) -> &[Box<str>] {
        self.by_document.get(&d).map_or(&[], |ids| ids)
    }

    /// Document `d`, an include target, is now `doc`.
    pub fn replace(&mut self, d: usize, doc: &Document) {
        let ids: Box<[Box<str>]> = own_ids(doc).collect();
        if ids.is_empty() {
            self.by_document.remove(&d);
        } else {
            self.by_document.insert(d, ids);
        }
    }
}

/// The anchors of one page, with what a did-you-mean needs built on the first miss.
#[derive(Debug, Default, Clone)]
pub struct Anchors {
    /// The ids in sorted order, each once, one after the other in one string: the anchors of
    /// every checked page stay for the whole run (a link checked later may ask for them), and
    /// a set of strings would take about three times the memory.
    ids: Box<str>,
    /// Where each id ends in `ids`.
    ends: Box<[u32]>,
    /// Built on the first miss: lower-cased id → the first id (in sorted order) that
    /// lower-cases to it.
    by_lowercase: OnceLock<HashMap<String, usize>>,
}

impl Anchors {
    /// The anchors of `doc` and of the documents it includes, directly or not (`first`: the
    /// documents `doc` includes; `included` gives a document's includes, and `ids` the ids an
    /// included document offers itself; `own` is `doc`'s index when it has one, so that an
    /// include cycle does not walk it again).
    pub fn collect<'d>(
        doc: &Document,
        own: Option<usize>,
        first: &[usize],
        included: impl Fn(usize) -> &'d [usize],
        ids_of: impl Fn(usize) -> &'d [Box<str>],
    ) -> Anchors {
        let own_ids: Vec<Box<str>> = own_ids(doc).collect();
        let mut ids: Vec<&str> = own_ids.iter().map(|id| &**id).collect();
        let mut seen: HashSet<usize> = own.into_iter().collect();
        let mut stack: Vec<usize> = first.to_vec();
        while let Some(d) = stack.pop() {
            if seen.insert(d) {
                ids.extend(ids_of(d).iter().map(|id| &**id));
                stack.extend(included(d));
            }
        }
        Anchors::of(ids)
    }

    /// The anchors `ids` (in any order, repeats allowed).
    fn of(mut ids: Vec<&str>) -> Anchors {
        ids.sort_unstable();
        ids.dedup();
        let mut text = String::with_capacity(ids.iter().map(|id| id.len()).sum());
        let ends = ids
            .iter()
            .map(|id| {
                text.push_str(id);
                saturating_u32(text.len())
            })
            .collect();
        Anchors {
            ids: text.into_boxed_str(),
            ends,
            by_lowercase: OnceLock::new(),
        }
    }

    /// Anchor `i` in sorted order.
    fn id(&self, i: usize) -> &str {
        let start = match i {
            0 => 0,
            _ => self.ends[i - 1] as usize,
        };
        self.ids.get(start..self.ends[i] as usize).unwrap_or("")
    }

    /// The anchors in sorted order.
    fn iter(&self) -> impl Iterator<Item = &str> {
        (0..self.ends.len()).map(|i| self.id(i))
    }

    /// Whether the page has exactly this anchor.
    pub fn contains(&self, id: &str) -> bool {
        self.position(id).is_some()
    }

    /// Where anchor `id` is in sorted order, if the page has it.
    fn position(&self, id: &str) -> Option<usize> {
        let (mut low, mut high) = (0, self.ends.len());
        while low < high {
            let middle = low + (high - low) / 2;
            match self.id(middle).cmp(id) {
                std::cmp::Ordering::Less => low = middle + 1,
                std::cmp::Ordering::Greater => high = middle,
                std::cmp::Ordering::Equal => return Some(middle),
            }
        }
        None
    }

    /// The anchor that differs from `id` only in case, if any (the first in sorted order).
    pub fn ignoring_case(&self, id: &str) -> Option<&str> {
        let by_lowercase = self.by_lowercase.get_or_init(|| {
            let mut by_lowercase = HashMap::with_capacity(self.ends.len());
            for (i, id) in self.iter().enumerate() {
                by_lowercase.entry(id.to_lowercase()).or_insert(i);
            }
            by_lowercase
        });
        Some(self.id(*by_lowercase.get(&id.to_lowercase())?))
    }

    /// The closest anchor, for a did-you-mean.
    pub fn closest(&self, id: &str) -> Option<&str> {
        let sorted: Vec<&str> = self.iter().collect();
        let closest = crate::suggest::closest_sorted(id, &sorted)?;
        self.position(closest).map(|i| self.id(i))
    }
}

/// The anchor ids a page offers itself: its headings' ids and explicit ids, and its
/// `<a name>`/`<a id>` anchors (with repeats).
pub fn own_ids(page: &Document) -> impl Iterator<Item = Box<str>> + '_ {
    let mut anchors = headings::HeadingIds::default();
    page.headings
        .iter()
        .flat_map(move |h| {
            let anchor = Some(anchors.next(h)).filter(|a| !a.is_empty());
            anchor.into_iter().chain(h.explicit_id().map(Box::from))
        })
        .chain(page.explicit_anchors().iter().map(|a| a.id.as_str().into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(path: &str, text: &str) -> Document {
        Document::parse(path.into(), path.into(), path.into(), text.into(), false)
    }

    #[test]
    fn anchors_of_included_pages_count() {
        let documents = [
            page("a.md", "# Title\n\n## Same\n\n## Same\n"),
            page("b.md", "## Included <a name=\"x\"></a>\n"),
        ];
        let edges: Vec<Vec<usize>> = vec![vec![1], vec![0]];
        let ids: Vec<Vec<Box<str>>> = documents.iter().map(|d| own_ids(d).collect()).collect();
        let anchors = Anchors::collect(
            &documents[0],
            Some(0),
            &edges[0],
            |d| &edges[d],
            |d| &ids[d],
        );
        for id in ["title", "same", "same-1", "included", "x"] {
            assert!(anchors.contains(id), "{id}");
        }
        assert_eq!(anchors.ignoring_case("SAME"), Some("same"));
        assert_eq!(anchors.closest("titel"), Some("title"));
    }

    /// The ids of included pages are taken when the index is built: the anchors of a page
    /// that includes one are the same once the included page is gone.
    #[test]
    fn included_ids_stand_for_the_included_pages() {
        let mut documents = vec![
            page("a.md", "# Title\n\n[!INCLUDE [b](b.md)]\n"),
            page(
                "b.md",
                "## Included {#own-id}\n\n<a id=\"x\"></a>\n\n[!INCLUDE [c](c.md)]\n",
            ),
            page("c.md", "Snippet.\n"),
        ];
        let mut files = super::super::Files::new(vec!["a.md".into(), "b.md".into(), "c.md".into()]);
        files.attach(documents.par_iter().map(|d| d.docset_path()));
        let graph = IncludeGraph::build(&documents, &files, &[]);
        let included = IncludedIds::build(&documents, &graph);
        assert_eq!(included.by_document.len(), 1, "c.md offers no id");
        let anchors = |documents: &[Document]| {
            let mut ids: Vec<String> = Anchors::collect(
                &documents[0],
                Some(0),
                graph.included(0),
                |d| graph.included(d),
                |d| included.of(d),
            )
            .iter()
            .map(str::to_string)
            .collect();
            ids.sort();
            ids
        };
        let before = anchors(&documents);
        assert_eq!(before, ["included", "own-id", "title", "x"]);
        documents[1] = Document::default();
        assert_eq!(anchors(&documents), before);
    }
}
