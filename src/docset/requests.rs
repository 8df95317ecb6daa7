//! Request names (ApiDoctor method identifiers) of the request blocks of a doc set: those used
//! by more than one request block, and whether a name is used at all (a new name must not be).

use std::ops::Range;

use foldhash::HashMap;
use std::collections::hash_map::Entry;

use crate::diagnostic::SpanPos;
use crate::document::Document;

/// Where a request annotation's `name` is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestName {
    /// The index of the page in the index's documents.
    pub document: usize,
    /// The `name` value in the page's text.
    pub span: Range<usize>,
    /// Where that is, for the related location of a later use's finding.
    pub at: SpanPos,
}

/// The request names of a doc set's request blocks, each with its uses in document order; a
/// name that more than one request uses is a duplicate.
#[derive(Debug, Default)]
pub struct RequestNames {
    /// By doc set and name.
    uses: HashMap<(usize, Box<str>), Uses>,
}

/// The uses of one name, in document order. Nearly every name has one, kept in place: a list
/// of its own would be an allocation more for each.
#[derive(Debug)]
enum Uses {
    One(RequestName),
    Many(Vec<RequestName>),
}

impl Uses {
    fn as_slice(&self) -> &[RequestName] {
        match self {
            Uses::One(only) => std::slice::from_ref(only),
            Uses::Many(list) => list,
        }
    }

    /// Puts `name` at `i` in the list.
    fn insert(&mut self, i: usize, name: RequestName) {
        let mut list = match std::mem::replace(self, Uses::Many(Vec::new())) {
            Uses::One(only) => vec![only],
            Uses::Many(list) => list,
        };
        list.insert(i, name);
        *self = Uses::Many(list);
    }

    /// Removes the uses in document `d`; whether any use is left.
    fn remove(&mut self, d: usize) -> bool {
        match self {
            Uses::One(only) => only.document != d,
            Uses::Many(list) => {
                list.retain(|u| u.document != d);
                !list.is_empty()
            }
        }
    }
}

impl RequestNames {
    /// Collects the names of the request blocks of `documents` (`docsets[d]`: the doc set of
    /// document `d`); where the names of a page whose text was dropped are written comes from
    /// `worked_out` (per document, the positions read in the parse worker; the list may end
    /// early), each let go of once its names are added.
    pub fn build(
        documents: &[Document],
        docsets: &[usize],
        mut worked_out: Vec<Option<Box<[SpanPos]>>>,
    ) -> RequestNames {
        let mut names = RequestNames::default();
        for (d, doc) in documents.iter().enumerate() {
            let at = super::contribution::take(&mut worked_out, d);
            let docset = docsets.get(d).copied().unwrap_or(usize::MAX);
            names.add(d, doc, docset, at.as_deref());
        }
        names
    }

    /// Replaces the names of document `d` (of doc set `docset`): those of `old` go, those of
    /// `new` come, each list kept in document order.
    pub fn replace(&mut self, d: usize, docset: usize, old: &Document, new: &Document) {
        for (name, _) in names(old) {
            let key = (docset, Box::from(name));
            if let Some(uses) = self.uses.get_mut(&key) {
                if !uses.remove(d) {
                    self.uses.remove(&key);
                }
            }
        }
        for (name, span) in names(new) {
            let at = new.span_pos(&span);
            self.insert(
                docset,
                name,
                RequestName {
                    document: d,
                    span,
                    at,
                },
            );
        }
    }

    /// Adds the names of document `d`; `at`: where each is written, when the page's text was
    /// dropped.
    fn add(&mut self, d: usize, doc: &Document, docset: usize, at: Option<&[SpanPos]>) {
        for (i, (name, span)) in names(doc).enumerate() {
            let at = match at {
                Some(at) => at.get(i).copied().unwrap_or_default(),
                None => doc.span_pos(&span),
            };
            self.insert(
                docset,
                name,
                RequestName {
                    document: d,
                    span,
                    at,
                },
            );
        }
    }

    /// Adds one use of `name` in doc set `docset`, keeping the name's list in document order
    /// (pages are added in document order, so a build appends at the end).
    fn insert(&mut self, docset: usize, name: &str, name_use: RequestName) {
        match self.uses.entry((docset, name.into())) {
            Entry::Occupied(mut uses) => {
                let key = (name_use.document, name_use.span.start);
                let list = uses.get().as_slice();
                let i = list.partition_point(|u| (u.document, u.span.start) < key);
                uses.get_mut().insert(i, name_use);
            }
            Entry::Vacant(uses) => {
                uses.insert(Uses::One(name_use));
            }
        }
    }

    /// Whether a request of doc set `docset` is named `name`.
    pub fn is_used(&self, docset: usize, name: &str) -> bool {
        self.uses.contains_key(&(docset, Box::from(name)))
    }

    /// Every use of a name that more than one request of doc set `docset` uses, in document
    /// order; `None` for a name used once there (or not at all).
    pub fn uses(&self, docset: usize, name: &str) -> Option<&[RequestName]> {
        self.uses
            .get(&(docset, Box::from(name)))
            .map(Uses::as_slice)
            .filter(|list| list.len() > 1)
    }
}

/// Where each of the names of a page's request blocks is written, in the order of [`names`].
pub(super) fn positions(doc: &Document) -> Box<[SpanPos]> {
    names(doc).map(|(_, span)| doc.span_pos(&span)).collect()
}

/// The names of a page's request blocks, with where each is written.
fn names(doc: &Document) -> impl Iterator<Item = (&str, Range<usize>)> {
    doc.annotations
        .iter()
        .filter(|a| a.code_block().is_some() && a.is("request"))
        .filter_map(|a| Some((a.name()?, a.name_span())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_per_doc_set() {
        let page = |path: &str| {
            let text = "<!-- { \"blockType\": \"request\", \"name\": \"get_user\" } -->\n```http\nGET /me\n```\n";
            Document::parse(path.into(), path.into(), path.into(), text.into(), false)
        };
        let documents = vec![page("v1/a.md"), page("beta/a.md"), page("beta/b.md")];
        let names = RequestNames::build(&documents, &[0, 1, 1], Vec::new());
        assert_eq!(names.uses(0, "get_user"), None);
        let uses = names.uses(1, "get_user").unwrap();
        assert_eq!(
            uses.iter().map(|u| u.document).collect::<Vec<_>>(),
            vec![1, 2]
        );
    }

    #[test]
    fn a_page_replaced_takes_its_names_along() {
        let page = |path: &str, name: &str| {
            let text = format!("<!-- {{ \"blockType\": \"request\", \"name\": \"{name}\" }} -->\n```http\nGET /me\n```\n");
            Document::parse(path.into(), path.into(), path.into(), text, false)
        };
        let documents = vec![page("a.md", "x"), page("b.md", "y"), page("c.md", "x")];
        let mut names = RequestNames::build(&documents, &[0, 0, 0], Vec::new());
        assert_eq!(names.uses(0, "x").map(<[_]>::len), Some(2));
        names.replace(1, 0, &documents[1], &page("b.md", "x"));
        let uses = names.uses(0, "x").unwrap();
        assert_eq!(
            uses.iter().map(|u| u.document).collect::<Vec<_>>(),
            vec![0, 1, 2]
        );
        names.replace(0, 0, &documents[0], &page("a.md", "z"));
        names.replace(2, 0, &documents[2], &page("c.md", "z"));
        assert_eq!(names.uses(0, "x"), None);
        assert_eq!(names.uses(0, "z").map(<[_]>::len), Some(2));
    }
}
