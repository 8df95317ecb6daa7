//! Request names (ApiDoctor method identifiers) used by more than one request block.

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

/// The request names that more than one request uses, each with its uses in document order.
#[derive(Debug, Default)]
pub struct RequestNames {
    duplicates: HashMap<String, Vec<RequestName>>,
}

impl RequestNames {
    /// Collects the names of the request blocks of `documents`.
    pub fn build(documents: &[Document]) -> RequestNames {
        let mut uses: HashMap<String, Vec<RequestName>> = HashMap::default();
        for (d, doc) in documents.iter().enumerate() {
            for annotation in &doc.annotations {
                if annotation.code_block.is_none() || !annotation.is("request") {
                    continue;
                }
                let Some(name) = annotation.name() else {
                    continue;
                };
                uses.entry(name.to_string()).or_default().push(RequestName {
                    document: d,
                    span: annotation.name_span(),
                });
            }
        }
        uses.retain(|_, list| list.len() > 1);
        RequestNames { duplicates: uses }
    }

    /// Every use of a name that more than one request uses, in document order; `None` for a
    /// name used once (or not at all).
    pub fn uses(&self, name: &str) -> Option<&[RequestName]> {
        self.duplicates.get(name).map(Vec::as_slice)
    }
}
