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

/// Per document of the index, its contribution when its text was dropped after the parse.
#[derive(Debug, Default)]
pub struct Contributions(Vec<Option<Box<Contribution>>>);

impl Contributions {
    /// The contributions of the documents, in the documents' order (`None` for a document that
    /// kept its text).
    pub fn new(list: Vec<Option<Box<Contribution>>>) -> Contributions {
        Contributions(list)
    }

    /// Per document, the types and enums it defines when its text was dropped (see
    /// [`ReadInWorker`]), taken out for the registry.
    pub(super) fn take_definitions(&mut self) -> ReadInWorker {
        self.0
            .iter_mut()
            .map(|c| c.as_mut().map(|c| c.definitions.take()))
            .collect()
    }

    /// The contribution of document `d`, when its text was dropped.
    fn of(&self, d: usize) -> Option<&Contribution> {
        self.0.get(d)?.as_deref()
    }

    /// What document `d` states about URL segments, when its text was dropped.
    pub(super) fn url_facts(&self, d: usize) -> Option<&Facts> {
        self.of(d).map(|c| &c.url_facts)
    }

    /// The scopes of document `d`'s Permissions section, when its text was dropped.
    pub(super) fn permissions(&self, d: usize) -> Option<&OwnScopes> {
        self.of(d).map(|c| &c.permissions)
    }

    /// Where the names of document `d`'s request blocks are written, when its text was
    /// dropped.
    pub(super) fn request_names(&self, d: usize) -> Option<&[SpanPos]> {
        self.of(d).map(|c| &*c.request_names)
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
