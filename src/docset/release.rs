//! Freeing what pages hold once nothing will read it. A page that no other page's checks read
//! (it is not included, is no include a policy names) keeps only its paths and kind after its
//! own checks ran, and its anchors, which a link from a page checked later may still ask for.
//! What other pages' checks point at in a page that defines types or names requests (related
//! locations) is worked out when the index is built, so such pages are freed too. A page that is not checked and that the rest of the
//! run reads only for its outline (an include fragment of code snippets) keeps only that from
//! the moment it is parsed. The run's memory then holds the pages other pages need and the
//! pages not yet checked, not the whole doc set.

use std::mem::take;

use foldhash::HashSet;

use super::files::{file_name, Files};
use super::Index;
use crate::config::Settings;
use crate::document::{Document, Rare};

impl Index {
    /// Per document, whether the checks of another page read its model or text: the include
    /// targets (their anchors, permission tables and wording) and the pages an include policy
    /// names (their wording is compared with inline copies).
    pub fn shared_documents(&self, settings: &Settings) -> Vec<bool> {
        let mut shared = vec![false; self.documents.len()];
        let mut mark = |d: usize| {
            if let Some(slot) = shared.get_mut(d) {
                *slot = true;
            }
        };
        self.includes.targets().for_each(&mut mark);
        for path in policy_includes(&self.files, settings) {
            if let Some(d) = self.files.get(path).and_then(|f| f.document) {
                mark(d);
            }
        }
        shared
    }

    /// Frees what document `d` holds beyond its paths and kind, once its own checks ran and
    /// no other page's checks read it (see [`Index::shared_documents`]); its anchors are worked
    /// out first and kept. `keep_text`: its text stays, for a report that quotes it. Returns
    /// what was taken from the page, for the caller to drop (many small frees, which the
    /// caller may spread over threads).
    #[must_use = "the page's model is freed when the returned document is dropped"]
    pub fn release(&mut self, d: usize, keep_text: bool) -> Document {
        if d >= self.documents.len() {
            return Document::default();
        }
        self.anchors(d);
        let doc = &mut self.documents[d];
        let text = if keep_text {
            take(&mut doc.text)
        } else {
            String::new()
        };
        let kept = Document {
            text,
            ..paths_and_kind(doc)
        };
        std::mem::replace(doc, kept)
    }
}

/// The checkout paths of the files an include policy names (the include check compares their
/// wording with inline copies), found as that check finds them.
pub fn policy_includes<'f>(files: &'f Files, settings: &Settings) -> HashSet<&'f str> {
    let policy = &settings.includes;
    policy
        .require
        .iter()
        .chain(&policy.forbid)
        .flat_map(|check| {
            files
                .named(file_name(&check.include))
                .filter(|f| check.matches(&f.docset_path))
                .map(|f| f.docset_path.as_str())
        })
        .collect()
}

/// Whether the rest of a run reads a page that it does not check only for its outline — its
/// headings and anchors, links, includes and front matter: the page holds no annotation, table
/// or HTTP block, is no API or resource page, and is no include a policy names (`policy`, see
/// [`policy_includes`]), so no part of the index and no other page's check reads its text.
pub fn read_for_outline_only(doc: &Document, policy: &HashSet<&str>) -> bool {
    doc.annotations.is_empty()
        && doc.tables.is_empty()
        && !doc.kind.api
        && !doc.kind.resource
        && !doc
            .code_blocks
            .iter()
            .any(|b| b.is_http() || b.annotation().is_some())
        && !policy.contains(doc.docset_path())
}

/// Frees what a page holds beyond its paths, kind and outline (see [`read_for_outline_only`]).
pub fn keep_outline(doc: &mut Document) {
    *doc = Document {
        front_matter: doc.front_matter.take(),
        headings: take(&mut doc.headings),
        rare: doc.rare.take().and_then(|rare| {
            Rare {
                explicit_anchors: rare.explicit_anchors,
                ..Rare::default()
            }
            .boxed()
        }),
        links: take(&mut doc.links),
        includes: take(&mut doc.includes),
        ..paths_and_kind(doc)
    };
}

/// A document that holds only the paths and kind of `doc`, taken from it: what the freed
/// forms above start from.
fn paths_and_kind(doc: &mut Document) -> Document {
    Document {
        paths: take(&mut doc.paths),
        kind: doc.kind,
        ..Document::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(path: &str, text: &str) -> Document {
        Document::parse(path.into(), path.into(), path.into(), text.into(), false)
    }

    /// A fragment of code snippets is read only for its outline; a fragment with a table (a
    /// permissions include), an annotation or an HTTP block, or one a policy names, is not.
    #[test]
    fn only_fragments_nothing_reads_the_text_of_keep_just_their_outline() {
        let settings = Settings::defaults(".".into());
        let files = Files::new(vec!["includes/beta-disclaimer.md".into()]);
        let policy = policy_includes(&files, &settings);
        assert_eq!(policy.len(), 1);
        let outline = |path: &str, text: &str| read_for_outline_only(&page(path, text), &policy);
        let snippet = "## Heading\n\n```csharp\nvar x = 1;\n```\n";
        assert!(outline("includes/snippets/csharp/a.md", snippet));
        assert!(!outline(
            "includes/p.md",
            "|Permission|Scope|\n|-|-|\n|a|b|\n"
        ));
        assert!(!outline("includes/h.md", "```http\nGET /me\n```\n"));
        let annotated =
            "<!-- { \"blockType\": \"request\", \"name\": \"x\" } -->\n```json\n{}\n```\n";
        assert!(!outline("includes/r.md", annotated));
        assert!(!outline("includes/beta-disclaimer.md", "Beta.\n"));

        let mut doc = page("includes/a.md", snippet);
        keep_outline(&mut doc);
        assert!(doc.text.is_empty() && doc.code_blocks.is_empty() && doc.blocks.is_empty());
        assert_eq!(doc.headings.len(), 1);
        let ids: Vec<Box<str>> = crate::docset::anchors::own_ids(&doc).collect();
        assert_eq!(ids, [Box::from("heading")]);
        assert_eq!(doc.docset_path(), "includes/a.md");
    }

    /// A page that defines a type is freed after its own checks: what another page's findings
    /// point at in it (a related location) was worked out when the index was built.
    #[test]
    fn a_freed_resource_page_is_still_pointed_at() {
        use crate::docset::{DocSets, Input, Repositories};
        use crate::pipeline::lint_page;

        let root =
            std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("testdata/sample-docs");
        let settings = Settings::defaults(root.clone());
        let paths = [
            "api-reference/v1.0/api/widget-get.md",
            "api-reference/v1.0/resources/widget.md",
        ];
        let documents = paths
            .iter()
            .map(|p| {
                let text = std::fs::read_to_string(root.join(p)).unwrap();
                let text =
                    text.replacen("\"displayName\": \"Blue widget\"", "\"displayName\": 5", 1);
                Document::parse(root.join(p), (*p).into(), (*p).into(), text, false)
            })
            .collect();
        let files = Files::new(paths.iter().map(|p| p.to_string()).collect());
        let mut index = Index::build(Input {
            root: root.clone(),
            docsets: DocSets::discover(&settings, &files).unwrap(),
            files,
            documents,
            contributions: Default::default(),
            linted: vec![0, 1],
            complete: true,
            settings: &settings,
            repositories: Repositories::default(),
            orphans: false,
            yaml_pages: Vec::new(),
        });
        assert!(!index.shared_documents(&settings)[1]);
        let related = |index: &Index| -> Vec<_> {
            let (diagnostics, _) = lint_page(index, &settings, 0);
            diagnostics.into_iter().flat_map(|d| d.related).collect()
        };
        let before = related(&index);
        assert!(
            before
                .iter()
                .any(|r| r.location.path.ends_with("resources/widget.md")),
            "{before:?}"
        );
        drop(index.release(1, false));
        assert!(index.documents[1].text.is_empty());
        assert_eq!(related(&index), before);
    }
}
