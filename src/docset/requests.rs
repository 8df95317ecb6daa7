//! Request names (ApiDoctor method identifiers) of the request blocks of a doc set: those used
//! by more than one request block, and whether a name is used at all (a new name must not be).

use std::ops::Range;

use foldhash::HashMap;

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
    uses: HashMap<(usize, String), Vec<RequestName>>,
}

impl RequestNames {
    /// Collects the names of the request blocks of `documents` (`docsets[d]`: the doc set of
    /// document `d`); where the names of a page whose text was dropped are written comes from
    /// `worked_out` (the positions read in the parse worker).
    pub fn build<'c>(
        documents: &[Document],
        docsets: &[usize],
        worked_out: impl Fn(usize) -> Option<&'c [SpanPos]>,
    ) -> RequestNames {
        let mut names = RequestNames::default();
        for (d, doc) in documents.iter().enumerate() {
            let at = worked_out(d);
            names.add(d, doc, docsets.get(d).copied().unwrap_or(usize::MAX), at);
        }
        names
    }

    /// Replaces the names of document `d` (of doc set `docset`): those of `old` go, those of
    /// `new` come, each list kept in document order.
    pub fn replace(&mut self, d: usize, docset: usize, old: &Document, new: &Document) {
        for (name, _) in names(old) {
            let key = (docset, name.to_string());
            if let Some(list) = self.uses.get_mut(&key) {
                list.retain(|u| u.document != d);
                if list.is_empty() {
                    self.uses.remove(&key);
                }
            }
        }
        for (name, span) in names(new) {
            let list = self.uses.entry((docset, name.to_string())).or_default();
            let i = list.partition_point(|u| (u.document, u.span.start) < (d, span.start));
            let at = new.span_pos(&span);
            list.insert(
                i,
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
            // Room for one use: nearly every name has just one, and a list grown by pushing
            // starts with room for four.
            self.uses
                .entry((docset, name.to_string()))
                .or_insert_with(|| Vec::with_capacity(1))
                .push(RequestName {
                    document: d,
                    span,
                    at,
                });
        }
    }

    /// Whether a request of doc set `docset` is named `name`.
    pub fn is_used(&self, docset: usize, name: &str) -> bool {
        self.uses.contains_key(&(docset, name.to_string()))
    }

    /// Every use of a name that more than one request of doc set `docset` uses, in document
    /// order; `None` for a name used once there (or not at all).
    pub fn uses(&self, docset: usize, name: &str) -> Option<&[RequestName]> {
        self.uses
            .get(&(docset, name.to_string()))
            .filter(|list| list.len() > 1)
            .map(Vec::as_slice)
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
        .filter(|a| a.code_block.is_some() && a.is("request"))
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
        let names = RequestNames::build(&documents, &[0, 1, 1], |_| None);
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
        let mut names = RequestNames::build(&documents, &[0, 0, 0], |_| None);
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
