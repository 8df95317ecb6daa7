//! Keeping the index up to date when one page changes (an editor's unsaved buffer): the page's
//! document is replaced and each part of the index the page contributes to is brought up to
//! date; the parts it does not touch, before or after the change, are kept as they are.

use std::sync::OnceLock;

use super::includes::{self, IncludeGraph};
use super::{
    permission_titles, references, scope_kinds, tab_ids, Files, Index, Input, RequestNames,
};
use crate::config::Settings;
use crate::docset::permissions::{is_reference_page, PermissionIndex};
use crate::document::Document;
use crate::schema::registry::defines_types;
use crate::schema::Registry;

impl Index {
    /// Replaces document `d` with a new version of the same page (its text edited) and brings
    /// what the index derived from the page up to date: the include graph and which pages are
    /// fragments, the permission tables, the type registry, request names, tab ids, references
    /// and the cached anchors. Parts the page contributes nothing to, before or after, are
    /// kept. Does nothing when `d` is not a document of the index.
    pub fn replace_document(&mut self, d: usize, mut doc: Document) {
        if d >= self.documents.len() {
            return;
        }
        let included = self.includes.targets().any(|t| t == d);
        doc.kind.fragment = doc.kind.fragment || included;
        let old = std::mem::replace(&mut self.documents[d], doc);
        let new = &self.documents[d];

        if let Some(counts) = &mut self.referenced {
            for t in references(d, &old, &self.files) {
                counts[t] = counts[t].saturating_sub(1);
            }
            for t in references(d, new, &self.files) {
                counts[t] = counts[t].saturating_add(1);
            }
        }
        let include_targets = |doc: &Document| -> Vec<String> {
            doc.includes.iter().map(|i| i.target.clone()).collect()
        };
        if include_targets(&old) != include_targets(new) {
            self.rebuild_includes();
        }
        let names = |doc: &Document| -> Vec<String> {
            doc.annotations
                .iter()
                .filter(|a| a.code_block.is_some() && a.is("request"))
                .filter_map(|a| a.name().map(str::to_string))
                .collect()
        };
        // The uses of a name hold their spans, so a page with names is read again after any edit.
        if !names(&old).is_empty() || !names(&self.documents[d]).is_empty() {
            self.requests = RequestNames::build(&self.documents, &self.membership);
        }
        let new = &self.documents[d];
        let tabs = |doc: &Document| -> Vec<String> {
            doc.headings.iter().filter_map(|h| h.tab.clone()).collect()
        };
        if tabs(&old) != tabs(new) {
            self.tab_ids = tab_ids(&self.documents, &self.membership, self.docsets.ids());
        }
        let new = &self.documents[d];
        let kinds = scope_kinds(&self.docsets);
        let rules = &kinds[self.docset_of(d).min(kinds.len() - 1)].rules;
        if defines_types(&old, rules) || defines_types(new, rules) {
            self.schema = Registry::build(&self.documents, &self.membership, &kinds);
        }
        let new = &self.documents[d];
        if is_reference_page(&old) || is_reference_page(new) || included {
            self.permissions = PermissionIndex::build(
                &self.documents,
                &self.files,
                &self.membership,
                &permission_titles(&self.docsets),
            );
        }
        // Anchors are cached on first use; a page's include the anchors of what it includes,
        // so any page may have cached this one's.
        self.anchors = (0..self.documents.len()).map(|_| OnceLock::new()).collect();
    }

    /// The index with one more page: a page that is no file of the checkout yet (an editor's
    /// new, unsaved buffer). The whole index is built again.
    pub fn with_document(self, doc: Document, settings: &Settings) -> Index {
        let mut paths: Vec<String> = self
            .files
            .all()
            .iter()
            .map(|f| f.docset_path.clone())
            .collect();
        paths.push(doc.docset_path.clone());
        let mut documents = self.documents;
        documents.push(doc);
        Index::build(Input {
            root: self.root,
            files: Files::new(paths),
            docsets: self.docsets,
            documents,
            yaml_pages: self.yaml_pages,
            linted: self.linted,
            complete: self.complete,
            settings,
            repositories: self.repositories,
            orphans: self.referenced.is_some(),
        })
    }

    /// Resolves the include graph again and marks again which pages are fragments: those in
    /// an `includes` folder and those another page includes.
    fn rebuild_includes(&mut self) {
        self.includes = IncludeGraph::build(&self.documents, &self.files, &self.yaml_pages);
        let mut targeted = vec![false; self.documents.len()];
        for t in self.includes.targets() {
            targeted[t] = true;
        }
        for (doc, targeted) in self.documents.iter_mut().zip(targeted) {
            doc.kind.fragment = targeted || includes::in_includes_folder(&doc.docset_path);
        }
    }
}
