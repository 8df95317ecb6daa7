//! DocFX YAML pages (tutorial and landing pages such as `### YamlMime:Tutorial`): they are not
//! linted, but the Markdown in their values may include fragments, which are then fragments
//! exactly like those a Markdown page includes.

use std::path::Path;

use rayon::prelude::*;

use super::files::Files;
use crate::document::Document;

/// A YAML page that includes fragments.
#[derive(Debug, Clone)]
pub struct YamlPage {
    /// The path relative to the checkout root, `/` separated.
    pub docset_path: String,
    /// The destinations of its `[!INCLUDE]` directives, as written.
    pub includes: Vec<String>,
}

/// Whether a path names a YAML file.
fn is_yaml(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    lower.ends_with(".yml") || lower.ends_with(".yaml")
}

/// Reads the YAML files of the checkout at `root` and keeps those that include something.
/// A file that cannot be read includes nothing (it is not a page doclint reports on).
pub fn read(root: &Path, files: &Files) -> Vec<YamlPage> {
    files
        .all()
        .par_iter()
        .filter(|f| is_yaml(&f.docset_path))
        .filter_map(|f| {
            let path = root.join(&f.docset_path);
            let text = crate::files::read_text(&path, crate::files::PAGE_LIMIT).ok()?;
            memchr::memmem::find(text.as_bytes(), b"[!")?;
            let includes = Document::yaml_include_targets(&text);
            (!includes.is_empty()).then(|| YamlPage {
                docset_path: f.docset_path.clone(),
                includes,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn includes_of_yaml_pages_with_indented_markdown() {
        let temp = tempfile::tempdir().unwrap();
        let dir = temp.path();
        std::fs::create_dir_all(dir.join("c")).unwrap();
        let page = "### YamlMime:Tutorial\nitems:\n  - title: One\n    content: |\n      [!INCLUDE [](part-01.md)]\n  - content: |\n      [!include[x](../inc/two.md)]\n";
        std::fs::write(dir.join("c/tutorial.yml"), page).unwrap();
        std::fs::write(dir.join("c/toc.yml"), "- name: A\n  href: a.md\n").unwrap();
        let files = Files::new(vec!["c/tutorial.yml".into(), "c/toc.yml".into()]);
        let pages = read(dir, &files);
        assert_eq!(pages.len(), 1);
        assert_eq!(pages[0].docset_path, "c/tutorial.yml");
        assert_eq!(pages[0].includes, vec!["part-01.md", "../inc/two.md"]);
    }
}
