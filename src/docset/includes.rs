//! The include graph: the documents each page includes (resolved once, with the one resolver
//! of [`super::resolve::local_path`]), and from which documents an include cycle is reachable.

use rayon::prelude::*;

use super::files::Files;
use super::resolve::local_path;
use super::yaml_pages::YamlPage;
use crate::document::Document;

/// Who includes whom, among the parsed documents.
#[derive(Debug, Default)]
pub struct IncludeGraph {
    /// Per document, the documents its includes resolve to, in the order of the includes
    /// (those that resolve to no parsed page left out).
    edges: Vec<Vec<usize>>,
    /// Per document, whether following includes from it leads into a cycle.
    reaches_cycle: Vec<bool>,
    /// The documents that DocFX YAML pages include.
    from_yaml: Vec<usize>,
}

impl IncludeGraph {
    /// Resolves the includes of every document that is a file of `files` (a page outside the
    /// root has no base to resolve against), and those of the YAML pages.
    pub fn build(documents: &[Document], files: &Files, yaml: &[YamlPage]) -> IncludeGraph {
        let edges: Vec<Vec<usize>> = documents
            .par_iter()
            .enumerate()
            .map(|(d, doc)| {
                let indexed = files.get(doc.docset_path()).and_then(|f| f.document) == Some(d);
                if !indexed {
                    return Vec::new();
                }
                doc.includes
                    .iter()
                    .filter_map(|i| target(files, doc.docset_path(), &i.target))
                    .collect()
            })
            .collect();
        let reaches_cycle = {
            let slices: Vec<&[usize]> = edges.iter().map(Vec::as_slice).collect();
            reaching_cycles(&slices)
        };
        let from_yaml = yaml
            .iter()
            .flat_map(|page| {
                page.includes
                    .iter()
                    .filter_map(|dest| target(files, &page.docset_path, dest))
            })
            .collect();
        IncludeGraph {
            edges,
            reaches_cycle,
            from_yaml,
        }
    }

    /// The documents that document `d`'s includes resolve to, in the order of the includes.
    pub fn included(&self, d: usize) -> &[usize] {
        self.edges.get(d).map_or(&[], Vec::as_slice)
    }

    /// Whether following includes from document `d` leads into a cycle (through `d` itself or
    /// further on).
    pub fn reaches_cycle(&self, d: usize) -> bool {
        self.reaches_cycle.get(d).copied().unwrap_or(false)
    }

    /// The documents that YAML pages include.
    pub fn yaml_targets(&self) -> &[usize] {
        &self.from_yaml
    }

    /// The documents whose includes resolve to document `d`.
    pub fn includers(&self, d: usize) -> Vec<usize> {
        (0..self.edges.len())
            .filter(|&i| self.edges[i].contains(&d))
            .collect()
    }

    /// Every document that some document or YAML page includes.
    pub fn targets(&self) -> impl Iterator<Item = usize> + '_ {
        self.edges.iter().flatten().chain(&self.from_yaml).copied()
    }
}

/// Whether a page lies in an `includes` folder (at any depth), where the include fragments
/// are kept; `docset_path` is relative to the doc-set root.
pub fn in_includes_folder(docset_path: &str) -> bool {
    // By bytes, case ignored in place: no lower-cased copy of the path.
    docset_path
        .as_bytes()
        .split(|&b| b == b'/')
        .rev()
        .skip(1)
        .any(|dir| dir.eq_ignore_ascii_case(b"includes"))
}

/// The parsed document an include destination written in the page at `from` names, found
/// exactly or ignoring case.
pub fn target(files: &Files, from: &str, dest: &str) -> Option<usize> {
    let path = local_path(from, dest)?;
    files.find(&path).and_then(|(file, _)| file.document)
}

/// For each node of a directed graph, whether a cycle is reachable from it: an iterative
/// depth-first walk that marks a node when one of its edges closes a cycle or leads to a node
/// already marked.
fn reaching_cycles(edges: &[&[usize]]) -> Vec<bool> {
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        New,
        OnPath,
        Done,
    }
    let mut state = vec![State::New; edges.len()];
    let mut reaches = vec![false; edges.len()];
    for root in 0..edges.len() {
        if state[root] != State::New {
            continue;
        }
        // Each frame: a node and how many of its edges were followed.
        let mut stack: Vec<(usize, usize)> = vec![(root, 0)];
        state[root] = State::OnPath;
        while let Some(&mut (node, ref mut next)) = stack.last_mut() {
            let Some(&target) = edges[node].get(*next) else {
                state[node] = State::Done;
                stack.pop();
                if let Some(&(parent, _)) = stack.last() {
                    reaches[parent] |= reaches[node];
                }
                continue;
            };
            *next += 1;
            match state[target] {
                State::New => {
                    state[target] = State::OnPath;
                    stack.push((target, 0));
                }
                State::OnPath => reaches[node] = true,
                State::Done => reaches[node] |= reaches[target],
            }
        }
    }
    reaches
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn includes_folders_at_any_depth_in_any_case() {
        assert!(in_includes_folder("includes/a.md"));
        assert!(in_includes_folder("api/Includes/x/a.md"));
        assert!(!in_includes_folder("includes.md"));
        assert!(!in_includes_folder("api/includes"));
        assert!(!in_includes_folder("api/myincludes/a.md"));
        assert!(!in_includes_folder(""));
    }

    #[test]
    fn nodes_that_lead_into_cycles() {
        // 0 → 1 → 2 → 1 (a cycle), 3 → 0, 4 → 5 (no cycle), 6 → 6 (a loop), 7 → 2.
        let edges: Vec<&[usize]> = vec![&[1], &[2], &[1], &[0], &[5], &[], &[6], &[2]];
        assert_eq!(
            reaching_cycles(&edges),
            vec![true, true, true, true, false, false, true, true]
        );
    }

    #[test]
    fn includes_resolve_decoded_and_ignoring_case() {
        let page = |path: &str, text: &str| {
            Document::parse(path.into(), path.into(), path.into(), text.into(), false)
        };
        let documents = vec![
            page("a/page.md", "[!INCLUDE [x](../inc/My%20Part.md)]\n"),
            page("inc/my part.md", "text\n"),
        ];
        let mut files = Files::new(vec!["a/page.md".into(), "inc/my part.md".into()]);
        files.attach(documents.par_iter().map(|d| d.docset_path()));
        let graph = IncludeGraph::build(&documents, &files, &[]);
        assert_eq!(graph.included(0), &[1]);
        assert_eq!(graph.targets().collect::<Vec<_>>(), vec![1]);
        assert!(!graph.reaches_cycle(0));
    }

    #[test]
    fn fragments_of_yaml_pages_are_targets() {
        let documents = vec![Document::parse(
            "c/part.md".into(),
            "c/part.md".into(),
            "c/part.md".into(),
            "Text.\n".into(),
            false,
        )];
        let mut files = Files::new(vec!["c/part.md".into(), "c/tutorial.yml".into()]);
        files.attach(documents.par_iter().map(|d| d.docset_path()));
        let yaml = [YamlPage {
            docset_path: "c/tutorial.yml".into(),
            includes: vec!["part.md".into(), "missing.md".into()],
        }];
        let graph = IncludeGraph::build(&documents, &files, &yaml);
        assert_eq!(graph.targets().collect::<Vec<_>>(), vec![0]);
        assert!(graph.included(0).is_empty());
    }
}
