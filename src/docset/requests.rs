//! Request names (ApiDoctor method identifiers) of the request blocks of a doc set: those used
//! by more than one request block, and whether a name is used at all (a new name must not be).

use std::ops::Range;

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
///
/// Every use is one entry of a list sorted by doc set, name, then place: at 100k pages (a
/// name each) a map of names to their uses took about 10 MB, twice that while it grew, when the
/// index is built with every page in memory; the list takes about 5 MB, sized once.
#[derive(Debug, Default)]
pub struct RequestNames {
    /// Every use, sorted by [`Use::key`].
    uses: Vec<Use>,
}

/// One use of a request name.
#[derive(Debug)]
struct Use {
    docset: usize,
    name: Box<str>,
    at: RequestName,
}

impl Use {
    /// The order of the uses: by doc set, name, then place in the documents.
    fn key(&self) -> (usize, &str, usize, usize) {
        (
            self.docset,
            &self.name,
            self.at.document,
            self.at.span.start,
        )
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
        let count = documents.iter().map(|doc| names(doc).count()).sum();
        let mut uses = Vec::with_capacity(count);
        for (d, doc) in documents.iter().enumerate() {
            let at = worked_out.get_mut(d).and_then(Option::take);
            let docset = docsets.get(d).copied().unwrap_or(usize::MAX);
            uses.extend(uses_of(d, doc, docset, at.as_deref()));
        }
        uses.sort_unstable_by(|a: &Use, b: &Use| a.key().cmp(&b.key()));
        RequestNames { uses }
    }

    /// Replaces the names of document `d` (of doc set `docset`): those of `old` go, those of
    /// `new` come, each name's uses kept in document order.
    pub fn replace(&mut self, d: usize, docset: usize, old: &Document, new: &Document) {
        let gone: Vec<&str> = names(old).map(|(name, _)| name).collect();
        self.uses
            .retain(|u| !(u.at.document == d && u.docset == docset && gone.contains(&&*u.name)));
        for name_use in uses_of(d, new, docset, None) {
            let i = self.uses.partition_point(|u| u.key() < name_use.key());
            self.uses.insert(i, name_use);
        }
    }

    /// The uses of `name` in doc set `docset`, in document order.
    fn of(&self, docset: usize, name: &str) -> &[Use] {
        let start = self
            .uses
            .partition_point(|u| (u.docset, &*u.name) < (docset, name));
        let len = self.uses[start..].partition_point(|u| (u.docset, &*u.name) == (docset, name));
        &self.uses[start..start + len]
    }

    /// Whether a request of doc set `docset` is named `name`.
    pub fn is_used(&self, docset: usize, name: &str) -> bool {
        !self.of(docset, name).is_empty()
    }

    /// Every use of a name that more than one request of doc set `docset` uses, in document
    /// order; `None` for a name used once there (or not at all).
    pub fn uses(
        &self,
        docset: usize,
        name: &str,
    ) -> Option<impl ExactSizeIterator<Item = &RequestName>> {
        let uses = self.of(docset, name);
        (uses.len() > 1).then(|| uses.iter().map(|u| &u.at))
    }
}

/// The uses of the names of document `d` of doc set `docset`; `at`: where each is written,
/// when the page's text was dropped.
fn uses_of<'d>(
    d: usize,
    doc: &'d Document,
    docset: usize,
    at: Option<&'d [SpanPos]>,
) -> impl Iterator<Item = Use> + 'd {
    names(doc).enumerate().map(move |(i, (name, span))| {
        let at = match at {
            Some(at) => at.get(i).copied().unwrap_or_default(),
            None => doc.span_pos(&span),
        };
        Use {
            docset,
            name: name.into(),
            at: RequestName {
                document: d,
                span,
                at,
            },
        }
    })
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
        assert!(names.uses(0, "get_user").is_none());
        assert!(names.is_used(0, "get_user") && !names.is_used(0, "get_users"));
        let uses = names.uses(1, "get_user").unwrap();
        assert_eq!(uses.map(|u| u.document).collect::<Vec<_>>(), vec![1, 2]);
    }

    #[test]
    fn a_page_replaced_takes_its_names_along() {
        let page = |path: &str, name: &str| {
            let text = format!("<!-- {{ \"blockType\": \"request\", \"name\": \"{name}\" }} -->\n```http\nGET /me\n```\n");
            Document::parse(path.into(), path.into(), path.into(), text, false)
        };
        let documents = vec![page("a.md", "x"), page("b.md", "y"), page("c.md", "x")];
        let mut names = RequestNames::build(&documents, &[0, 0, 0], Vec::new());
        assert_eq!(names.uses(0, "x").map(|u| u.len()), Some(2));
        names.replace(1, 0, &documents[1], &page("b.md", "x"));
        let uses = names.uses(0, "x").unwrap();
        assert_eq!(uses.map(|u| u.document).collect::<Vec<_>>(), vec![0, 1, 2]);
        names.replace(0, 0, &documents[0], &page("a.md", "z"));
        names.replace(2, 0, &documents[2], &page("c.md", "z"));
        assert!(names.uses(0, "x").is_none());
        assert!(!names.is_used(0, "y"));
        assert_eq!(names.uses(0, "z").map(|u| u.len()), Some(2));
    }
}
