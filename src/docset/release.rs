//! Freeing pages once they are checked: a page that no other page's checks read (it is not
//! included, defines no type, shares no request name, is no include a policy names) keeps only
//! its paths and kind after its own checks ran, and its anchors, which a link from a page
//! checked later may still ask for. The run's memory then holds the pages other pages need and
//! the pages not yet checked, not the whole doc set.

use super::Index;
use crate::config::Settings;
use crate::document::Document;
use crate::source::LineIndex;

impl Index {
    /// Per document, whether the checks of another page read its model or text: the include
    /// targets (their anchors, permission tables and wording), the pages that define types
    /// or enums (schema checks quote their declarations), the pages whose request names are
    /// shared (the duplicate check points at the first use), and the pages an include policy
    /// names (their wording is compared with inline copies).
    pub fn shared_documents(&self, settings: &Settings) -> Vec<bool> {
        let mut shared = vec![false; self.documents.len()];
        let mut mark = |d: usize| {
            if let Some(slot) = shared.get_mut(d) {
                *slot = true;
            }
        };
        self.includes.targets().for_each(&mut mark);
        self.schema.documents().for_each(&mut mark);
        self.requests.shared_documents().for_each(&mut mark);
        let policy = &settings.includes;
        let checks: Vec<_> = policy.require.iter().chain(&policy.forbid).collect();
        if !checks.is_empty() {
            for (d, doc) in self.documents.iter().enumerate() {
                if checks.iter().any(|c| c.matches(&doc.docset_path)) {
                    mark(d);
                }
            }
        }
        shared
    }

    /// Frees what document `d` holds beyond its paths and kind, once its own checks ran and
    /// no other page's checks read it (see [`Index::shared_documents`]); its anchors are worked
    /// out first and kept. `keep_text`: its text stays, for a report that quotes it.
    pub fn release(&mut self, d: usize, keep_text: bool) {
        if d >= self.documents.len() {
            return;
        }
        self.anchors(d);
        let doc = &mut self.documents[d];
        let text = if keep_text {
            std::mem::take(&mut doc.text)
        } else {
            String::new()
        };
        *doc = Document {
            path: std::mem::take(&mut doc.path),
            display: std::mem::take(&mut doc.display),
            docset_path: std::mem::take(&mut doc.docset_path),
            text,
            lines: LineIndex::default(),
            front_matter: None,
            headings: Vec::new(),
            explicit_anchors: Vec::new(),
            comments: Vec::new(),
            annotations: Vec::new(),
            code_blocks: Vec::new(),
            links: Vec::new(),
            link_definitions: Vec::new(),
            undefined_references: Vec::new(),
            includes: Vec::new(),
            malformed_includes: Vec::new(),
            tables: Vec::new(),
            blocks: Vec::new(),
            kind: doc.kind,
        };
    }
}
