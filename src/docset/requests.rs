//! Request names (ApiDoctor method identifiers) used by more than one request block of a
//! doc set.

use std::ops::Range;

use foldhash::HashMap;

use crate::document::Document;

/// Where a request annotation's `name` is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestName {
    /// The index of the page in the index's documents.
    pub document: usize,
    /// The `name` value in the page's text.
    pub span: Range<usize>,
}

/// The request names that more than one request of a doc set uses, each with its uses in
/// document order.
#[derive(Debug, Default)]
pub struct RequestNames {
    /// By doc set and name.
    duplicates: HashMap<(usize, String), Vec<RequestName>>,
}

impl RequestNames {
    /// Collects the names of the request blocks of `documents` (`docsets[d]`: the doc set of
    /// document `d`).
    pub fn build(documents: &[Document], docsets: &[usize]) -> RequestNames {
        let mut uses: HashMap<(usize, String), Vec<RequestName>> = HashMap::default();
        for (d, doc) in documents.iter().enumerate() {
            let set = docsets.get(d).copied().unwrap_or(usize::MAX);
            for annotation in &doc.annotations {
                if annotation.code_block.is_none() || !annotation.is("request") {
                    continue;
                }
                let Some(name) = annotation.name() else {
                    continue;
                };
                uses.entry((set, name.to_string()))
                    .or_default()
                    .push(RequestName {
                        document: d,
                        span: annotation.name_span(),
                    });
            }
        }
        uses.retain(|_, list| list.len() > 1);
        RequestNames { duplicates: uses }
    }

    /// Every use of a name that more than one request of doc set `docset` uses, in document
    /// order; `None` for a name used once there (or not at all).
    pub fn uses(&self, docset: usize, name: &str) -> Option<&[RequestName]> {
        self.duplicates
            .get(&(docset, name.to_string()))
            .map(Vec::as_slice)
    }
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
        let names = RequestNames::build(&documents, &[0, 1, 1]);
        assert_eq!(names.uses(0, "get_user"), None);
        let uses = names.uses(1, "get_user").unwrap();
        assert_eq!(
            uses.iter().map(|u| u.document).collect::<Vec<_>>(),
            vec![1, 2]
        );
    }
}
