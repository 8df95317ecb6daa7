//! What the index needs of a checked page whose text is dropped after its parse (see
//! [`Document::drop_text`]): the parts of the index read from page text — what the page
//! states about URL segments ([`super::url_names`]), the scopes of its Permissions section
//! ([`super::permissions`]), where its request names are written ([`super::requests`]) and
//! the types and enums it defines (the registry's [`PageDefinitions`]) — worked out in the
//! parse worker while the text is at hand.
//!
//! Only pages whose text no other page reads drop it ([`drops_text`]): the index reads the
//! text of the others (include targets, policy files) as before. This is the first part of a
//! page's contribution to the index as the design notes describe it.

use foldhash::HashSet;

use super::permissions::{is_reference_page, OwnScopes};
use super::requests;
use super::url_names::{self, Facts};
use super::DocSets;
use crate::diagnostic::SpanPos;
use crate::document::Document;
use crate::schema::registry::{PageDefinitions, ReadInWorker};

/// What the index reads of one page's text.
#[derive(Debug)]
pub struct Contribution {
    /// What the page states about URL segments.
    url_facts: Facts,
    /// The scopes of the page's Permissions section, when it is an API reference page.
    permissions: OwnScopes,
    /// Where the names of the page's request blocks are written, in their order.
    request_names: Box<[SpanPos]>,
    /// The types and enums the page defines, if any (taken by the registry when it is built).
    definitions: Option<Box<PageDefinitions>>,
}

impl Contribution {
    /// Reads the contribution of `doc`, a page of `docsets`.
    pub fn of(doc: &Document, docsets: &DocSets) -> Contribution {
        let docset = docsets.get(docsets.of(doc.docset_path()));
        let permissions = if is_reference_page(doc) {
            OwnScopes::of(doc, &docset.permission_titles)
        } else {
            OwnScopes::Scopes(Box::default())
        };
        Contribution {
            url_facts: url_names::facts(doc),
            permissions,
            request_names: requests::positions(doc),
            definitions: PageDefinitions::read(doc, &docset.table_rules).map(Box::new),
        }
    }
}

/// Per document of the index, its contribution when its text was dropped after the parse,
/// kept as one list per part of the index that reads it: each part takes its own list when the
/// index is built and lets go of a page's share as soon as it has counted it (see [`take`]),
/// so that the contributions are gone by the time the index is whole (at 100k pages they take
/// about 20 MB, and the end of the index build is the run's peak).
#[derive(Debug, Default)]
pub struct Contributions {
    /// Per document, what it states about URL segments.
    pub(super) url_facts: Vec<Option<Facts>>,
    /// Per document, the scopes of its Permissions section.
    pub(super) permissions: Vec<Option<OwnScopes>>,
    /// Per document, where the names of its request blocks are written.
    pub(super) request_names: Vec<Option<Box<[SpanPos]>>>,
    /// Per document, the types and enums it defines (see [`ReadInWorker`]).
    pub(super) definitions: ReadInWorker,
}

impl Contributions {
    /// The contributions of the documents, in the documents' order (`None` for a document that
    /// kept its text), taken apart into their parts as they come.
    pub fn new(list: Vec<Option<Box<Contribution>>>) -> Contributions {
        let mut parts = Contributions {
            url_facts: Vec::with_capacity(list.len()),
            permissions: Vec::with_capacity(list.len()),
            request_names: Vec::with_capacity(list.len()),
            definitions: Vec::with_capacity(list.len()),
        };
        for contribution in list {
            let (facts, scopes, names, definitions) = match contribution.map(|c| *c) {
                Some(c) => (
                    Some(c.url_facts),
                    Some(c.permissions),
                    Some(c.request_names),
                    Some(c.definitions),
                ),
                None => (None, None, None, None),
            };
            parts.url_facts.push(facts);
            parts.permissions.push(scopes);
            parts.request_names.push(names);
            parts.definitions.push(definitions);
        }
        parts
    }
}

/// Whether the run can do without the text of `doc`, a checked page, between its parse and
/// its own checks: no part of the index but those a [`Contribution`] holds reads it, and no
/// other page's checks do — it lies in no includes folder and is no include a policy names
/// (`policy`, see [`super::policy_includes`]). A page that turns out to be included gets its
/// text back before it is read (see `Index::build`).
pub fn drops_text(doc: &Document, policy: &HashSet<&str>) -> bool {
    !doc.kind.fragment && !policy.contains(doc.docset_path())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every part has an entry per document of the list.
    #[test]
    fn the_parts_follow_the_documents() {
        let parts = Contributions::new(vec![None, None, None]);
        let lengths = [
            parts.url_facts.len(),
            parts.permissions.len(),
            parts.request_names.len(),
            parts.definitions.len(),
        ];
        assert_eq!(lengths, [3; 4]);
        assert!(parts.url_facts.iter().all(Option::is_none));
    }
}
