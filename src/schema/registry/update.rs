//! Keeping the registry up to date when one page changes: the page's definitions are read
//! again and put in place of its old ones, and what links the types together (names, twins,
//! bases, derived types) is worked out again from the definitions already read, so that no
//! other page is read again.

use super::pages::read_page;
use super::{EnumType, Registry, ResourceType};
use crate::document::Document;
use crate::schema::tables::TableRules;

impl Registry {
    /// Replaces what document `d` defined with what it defines now (`documents[d]` is its
    /// new version, read by `rules` in scope `scope`). The registry is then what
    /// [`Registry::build`] makes of `documents`, with the types, enums and invalid resources
    /// in the same order.
    pub fn replace_page(
        &mut self,
        documents: &[Document],
        d: usize,
        scope: usize,
        rules: &TableRules,
    ) {
        let Some(doc) = documents.get(d) else {
            return;
        };
        let page = read_page(d, doc, rules);
        let (resources, invalid, enums) = match page {
            Some(page) => {
                let namespace = page.namespace;
                let enums: Vec<EnumType> = page
                    .enums
                    .into_iter()
                    .map(|table| EnumType {
                        name: table.name,
                        namespace: namespace.clone(),
                        scope,
                        members: table.members,
                        member_rows: table.member_rows,
                        header: table.header,
                        header_at: table.header_at,
                        doc: d,
                    })
                    .collect();
                (page.resources, page.invalid, enums)
            }
            None => Default::default(),
        };
        let resources = resources.into_iter().map(|mut r| {
            r.scope = scope;
            r
        });
        let types: Vec<Box<ResourceType>> = std::mem::take(&mut self.types)
            .into_iter()
            .filter(|t| t.doc != d)
            .map(|mut t| {
                t.unresolve();
                t
            })
            .collect();
        self.types = spliced(types, d, |t| t.doc, resources);
        let kept = std::mem::take(&mut self.invalid)
            .into_iter()
            .filter(|i| i.doc != d)
            .collect();
        self.invalid = spliced(kept, d, |i| i.doc, invalid);
        let kept = std::mem::take(&mut self.enums)
            .into_iter()
            .filter(|e| e.doc != d)
            .collect();
        self.enums = spliced(kept, d, |e| e.doc, enums);

        self.defining.fill(false);
        let scopes = self.types.iter().map(|t| t.scope);
        for s in scopes.chain(self.enums.iter().map(|e| e.scope)) {
            if self.defining.len() <= s {
                self.defining.resize(s + 1, false);
            }
            self.defining[s] = true;
        }
        self.enums_by_name.clear();
        for (e, en) in self.enums.iter().enumerate() {
            self.enums_by_name
                .entry(en.name.to_ascii_lowercase())
                .or_default()
                .push(e);
        }
        self.index_names(documents);
        self.resolve_bases();
    }
}

impl ResourceType {
    /// Puts the definition back as read from its page, before the registry linked it to
    /// other types (in its box: the type is not moved).
    fn unresolve(&mut self) {
        if self.base_from_prose {
            self.base_name = None;
            self.base_from_prose = false;
        }
        self.base = None;
        self.in_cycle = false;
        self.twins.clear();
        self.first = 0;
        self.derived.clear();
    }
}

/// `kept` (in document order, without document `d`'s items) with `new` (document `d`'s) in
/// its place.
fn spliced<T>(
    mut kept: Vec<T>,
    d: usize,
    doc_of: impl Fn(&T) -> usize,
    new: impl IntoIterator<Item = T>,
) -> Vec<T> {
    let at = kept.partition_point(|item| doc_of(item) < d);
    kept.splice(at..at, new);
    kept
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::registry::ScopeKind;

    fn parse(path: &str, text: &str) -> Document {
        Document::parse(path.into(), path.into(), path.into(), text.into(), false)
    }

    fn resource(name: &str, extra: &str, json: &str) -> String {
        format!(
            "# {name}\n\n<!-- {{ \"blockType\": \"resource\", \"@odata.type\": \"microsoft.graph.{name}\"{extra} }} -->\n```json\n{json}\n```\n"
        )
    }

    /// What a registry says, in a form to compare.
    fn summary(registry: &Registry) -> String {
        let types: Vec<String> = registry
            .types
            .iter()
            .map(|t| {
                let properties: Vec<&str> = t.properties.iter().map(|p| p.name.as_str()).collect();
                format!(
                    "{} doc {} scope {} base {:?} {:?} prose {} cycle {} twins {:?} first {} derived {:?} {properties:?}",
                    t.name, t.doc, t.scope, t.base, t.base_name, t.base_from_prose, t.in_cycle,
                    t.twins, t.first, t.derived
                )
            })
            .collect();
        let enums: Vec<String> = registry
            .enums
            .iter()
            .map(|e| format!("{} {} {} {:?}", e.name, e.doc, e.scope, e.members))
            .collect();
        let invalid: Vec<String> = registry
            .invalid
            .iter()
            .map(|i| format!("{} {}", i.doc, i.message))
            .collect();
        let lookups: Vec<Option<usize>> =
            ["user", "entity", "group", "colour", "microsoft.graph.item"]
                .iter()
                .flat_map(|n| [registry.lookup(0, n), registry.lookup(1, n)])
                .collect();
        let defines: Vec<bool> = (0..3).map(|s| registry.defines(s)).collect();
        format!("{types:#?}\n{enums:#?}\n{invalid:#?}\n{lookups:?}\n{defines:?}")
    }

    /// After each edit of one page, the updated registry is the one built from scratch.
    #[test]
    fn a_replaced_page_gives_the_registry_a_new_build_gives() {
        let paths = [
            "a/entity.md",
            "a/item.md",
            "a/user.md",
            "b/user.md",
            "b/colour.md",
            "c.md",
        ];
        let mut texts = vec![
            resource("entity", "", "{ \"id\": \"x\" }"),
            resource("item", ", \"baseType\": \"microsoft.graph.entity\"", "{ \"name\": \"n\" }"),
            format!("{}\nInherits from [item](item.md).\n", resource("user", "", "{ \"mail\": \"m\" }")),
            resource("user", "", "{ \"mail\": \"m\" }"),
            "# colour\n\n## Members\n\n| Member | Description |\n|---|---|\n| red | Red. |\n| blue | Blue. |\n".to_string(),
            "# C\n".to_string(),
        ];
        let scopes = [0, 0, 0, 1, 1, 2];
        let closed = ScopeKind {
            rules: TableRules::default(),
            closed: true,
        };
        let kinds = vec![closed.clone(), closed, ScopeKind::default()];
        let documents = |texts: &[String]| -> Vec<Document> {
            paths.iter().zip(texts).map(|(p, t)| parse(p, t)).collect()
        };
        let mut registry = Registry::build(&documents(&texts), Vec::new(), &scopes, &kinds);
        let edits: [(usize, String); 9] = [
            // A property added.
            (
                0,
                resource("entity", "", "{ \"id\": \"x\", \"createdBy\": \"y\" }"),
            ),
            // The base the prose names becomes a twin of another type.
            (1, resource("user", "", "{ \"name\": \"n\" }")),
            // An inheritance cycle.
            (
                0,
                resource(
                    "entity",
                    ", \"baseType\": \"microsoft.graph.item\"",
                    "{ \"id\": \"x\" }",
                ),
            ),
            (
                1,
                resource(
                    "item",
                    ", \"baseType\": \"microsoft.graph.entity\"",
                    "{ \"name\": \"n\" }",
                ),
            ),
            // A page that defines nothing now, then a type again, then an invalid one.
            (2, "# User\n\nNo more.\n".to_string()),
            (5, resource("user", "", "{ \"mail\": \"m\" }")),
            (5, resource("user", "", "[1, 2]")),
            (
                5,
                "# X\n\n<!-- { \"blockType\": \"resource\" } -->\n```json\n{}\n```\n".to_string(),
            ),
            // An enum's member renamed.
            (4, texts[4].replace("blue", "green")),
        ];
        for (page, text) in edits {
            texts[page] = text;
            let documents = documents(&texts);
            let s = scopes[page];
            registry.replace_page(&documents, page, s, &kinds[s].rules);
            let fresh = Registry::build(&documents, Vec::new(), &scopes, &kinds);
            assert_eq!(
                summary(&registry),
                summary(&fresh),
                "after editing {}",
                paths[page]
            );
        }
    }
}
