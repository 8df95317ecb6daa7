//! Keeping the index up to date when one page changes (an editor's unsaved buffer): the page's
//! document is replaced and each part of the index the page contributes to is brought up to
//! date; the parts it does not touch, before or after the change, are kept as they are.

use std::sync::OnceLock;

use super::includes::{self, IncludeGraph};
use super::{
    permission_titles, references, scope_kinds, tab_ids, Contributions, Files, IncludedIds, Index,
    Input,
};
use crate::config::Settings;
use crate::docset::permissions::{is_reference_page, PermissionIndex};
use crate::document::Document;
use crate::schema::registry::defines_types;
use crate::schema::TableRules;

impl Index {
    /// Replaces document `d` with a new version of the same page (its text edited) and brings
    /// what the index derived from the page up to date: the include graph and which pages are
    /// fragments, the permission tables, the type registry, request names, URL names, the
    /// policy includes' words, tab ids, references and the cached anchors. Parts the page
    /// contributes nothing to, before or after, are kept. Does nothing when `d` is not a
    /// document of the index.
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
        } else if included {
            self.included_ids.replace(d, new);
        }
        let docset = self.membership.get(d).copied().unwrap_or(usize::MAX);
        self.requests.replace(d, docset, &old, &self.documents[d]);
        self.url_names.replace(&old, &self.documents[d]);
        self.wordings.replace(d, &self.documents[d]);
        let new = &self.documents[d];
        let tabs = |doc: &Document| -> Vec<Box<str>> {
            doc.headings
                .iter()
                .filter_map(|h| h.tab().map(Box::from))
                .collect()
        };
        if tabs(&old) != tabs(new) {
            self.tab_ids = tab_ids(&self.documents, &self.membership, self.docsets.ids());
        }
        let new = &self.documents[d];
        let kinds = scope_kinds(&self.docsets);
        let fallback = TableRules::default();
        let rules = kinds.get(self.docset_of(d)).map_or(&fallback, |k| &k.rules);
        if defines_types(&old, rules) || defines_types(new, rules) {
            let scope = self.docset_of(d);
            self.schema.replace_page(&self.documents, d, scope, rules);
        }
        let new = &self.documents[d];
        if is_reference_page(&old) || is_reference_page(new) || included {
            let mut pages = self.includes.includers(d);
            pages.push(d);
            self.permissions.update(
                &pages,
                &self.documents,
                &self.files,
                &self.membership,
                &permission_titles(&self.docsets),
            );
        }
        // Anchors are cached on first use; a page's include the anchors of what it includes,
        // so the pages that include this one, directly or not, have cached its old ones.
        let mut stale = vec![d];
        let mut next = 0;
        while next < stale.len() {
            let page = stale[next];
            next += 1;
            for includer in self.includes.includers(page) {
                if !stale.contains(&includer) {
                    stale.push(includer);
                }
            }
        }
        for page in stale {
            self.anchors[page] = OnceLock::new();
        }
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
        paths.push(doc.docset_path().to_string());
        let mut documents = self.documents;
        documents.push(doc);
        Index::build(Input {
            root: self.root,
            files: Files::new(paths),
            docsets: self.docsets,
            documents,
            contributions: Contributions::default(),
            yaml_pages: self.yaml_pages,
            linted: self.linted,
            complete: self.complete,
            settings,
            repositories: self.repositories,
            orphans: self.referenced.is_some(),
        })
    }

    /// Resolves the include graph again and marks again which pages are fragments (those in
    /// an `includes` folder and those another page includes); which pages are API reference
    /// pages may change with that, so their permissions are read again.
    fn rebuild_includes(&mut self) {
        self.includes = IncludeGraph::build(&self.documents, &self.files, &self.yaml_pages);
        self.included_ids = IncludedIds::build(&self.documents, &self.includes);
        let mut targeted = vec![false; self.documents.len()];
        for t in self.includes.targets() {
            targeted[t] = true;
        }
        for (doc, targeted) in self.documents.iter_mut().zip(targeted) {
            doc.kind.fragment = targeted || includes::in_includes_folder(doc.docset_path());
        }
        self.permissions = PermissionIndex::build(
            &self.documents,
            Vec::new(),
            &self.files,
            &self.membership,
            &permission_titles(&self.docsets),
        );
    }
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use super::*;
    use crate::docset::{DocSets, Repositories};
    use crate::pipeline::lint_page;

    const PAGES: [&str; 5] = [
        "api-reference/includes/preview-note.md",
        "api-reference/v1.0/api/widget-delete.md",
        "api-reference/v1.0/api/widget-get.md",
        "api-reference/v1.0/resources/widget.md",
        "concepts/widgets-overview.md",
    ];

    fn parse(root: &Path, path: &str, text: &str) -> Document {
        Document::parse(
            root.join(path),
            path.into(),
            path.into(),
            text.into(),
            includes::in_includes_folder(path),
        )
    }

    fn build(settings: &Settings, texts: &[String]) -> Index {
        let files = Files::new(PAGES.iter().map(|p| p.to_string()).collect());
        Index::build(Input {
            root: settings.root.clone(),
            docsets: DocSets::discover(settings, &files).unwrap(),
            files,
            documents: PAGES
                .iter()
                .zip(texts)
                .map(|(p, t)| parse(&settings.root, p, t))
                .collect(),
            contributions: Contributions::default(),
            linted: (0..PAGES.len()).collect(),
            complete: true,
            settings,
            repositories: Repositories::default(),
            orphans: true,
            yaml_pages: Vec::new(),
        })
    }

    /// What the rules report on every page: rule, span, message, related locations.
    fn findings(index: &Index, settings: &Settings) -> Vec<(usize, String, usize, String, String)> {
        (0..PAGES.len())
            .flat_map(|d| {
                let (diagnostics, _) = lint_page(index, settings, d);
                diagnostics.into_iter().map(move |x| {
                    let related = format!("{:?}", x.related);
                    (d, x.rule.id().to_string(), x.span.start, x.message, related)
                })
            })
            .collect()
    }

    /// After each edit, the updated index gives every page the findings a new index would.
    #[test]
    fn an_updated_index_reports_what_a_new_one_does() {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("testdata/sample-docs");
        let settings = Settings::defaults(root.clone());
        let mut texts: Vec<String> = PAGES
            .iter()
            .map(|p| std::fs::read_to_string(root.join(p)).unwrap())
            .collect();
        let mut index = build(&settings, &texts);
        let edits: [(usize, &str, &str); 9] = [
            // A value of the wrong type: related to the property's row in the resource page,
            // which then moves down.
            (2, "\"displayName\": \"Blue widget\"", "\"displayName\": 5"),
            (
                3,
                "A widget is a small, configurable unit of work.\n",
                "A widget is a small,\nconfigurable unit of work.\n\nMore.\n",
            ),
            // A request name now used twice, related to its first use, which then moves.
            (2, "\"get_widget\"", "\"delete_widget\""),
            (1, "### Request\n", "### Request\n\nMoved.\n"),
            // A property gone from the resource.
            (3, "| color | String |\n", ""),
            // A misspelt scope.
            (2, "Widget.Read.All", "Widget.Reed.All"),
            // A heading in an included page.
            (0, "> [!NOTE]", "## Preview\n\n> [!NOTE]"),
            // A link with an anchor into another page, and one that is gone.
            (4, "widget-get.md)", "widget-get.md#preview)"),
            (
                4,
                "[widget resource](../api-reference/v1.0/resources/widget.md)",
                "widgets",
            ),
        ];
        for (page, from, to) in edits {
            assert!(texts[page].contains(from), "{from}");
            texts[page] = texts[page].replacen(from, to, 1);
            index.replace_document(page, parse(&root, PAGES[page], &texts[page]));
            let fresh = build(&settings, &texts);
            assert_eq!(
                findings(&index, &settings),
                findings(&fresh, &settings),
                "after {from:?} → {to:?}"
            );
        }
    }
}
