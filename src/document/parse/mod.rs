//! One pass of pulldown-cmark over a page, collecting the document model.

mod builder;
mod comments;
mod includes;
mod pieces;
mod references;
mod snippet;

use super::annotation::Annotation;
use super::headings;
use super::{front_matter, Comment, Document, FrontMatter, PageKind, PagePaths, Rare};
use crate::memory::exact_box;
use crate::source::LineIndex;
use builder::{build, Builder, PIECE};
use comments::{bind_annotations, find_comments, within};
use includes::{classify_include_paragraphs, find_includes};

/// The destinations of the `[!INCLUDE]` directives in a text that is not Markdown (a DocFX
/// YAML page, whose Markdown sits in its string values), in order.
pub(super) fn include_targets(text: &str) -> Vec<String> {
    find_includes(text, 0, &[], &[], &[])
        .0
        .into_iter()
        .map(|i| i.target)
        .collect()
}

/// Builds the document model for one page.
pub(super) fn parse(paths: PagePaths, mut text: String, fragment: bool) -> Document {
    super::remove_bom(&mut text);
    let lines = LineIndex::new(&text);
    let front_matter = front_matter::parse(&text);
    let body_start = body_start(&text, front_matter.as_ref());
    let builder = build(&text, body_start, PIECE);
    let Builder {
        mut headings,
        explicit_anchors,
        mut code_blocks,
        code_spans,
        mut links,
        link_definitions,
        undefined_references,
        tables,
        blocks,
        ..
    } = builder;
    headings::assign_sections(&mut headings, text.len());

    let comments = find_comments(&text, body_start, &code_blocks, &code_spans);
    let mut annotations: Vec<Annotation> = comments
        .iter()
        .filter(|c| text[c.inner()].trim_start().starts_with('{'))
        .map(|c| Annotation::parse(&text, c.span(), c.inner(), c.closed))
        .collect();
    bind_annotations(&text, &mut annotations, &mut code_blocks);

    let (includes, malformed_includes) =
        find_includes(&text, body_start, &code_blocks, &code_spans, &comments);
    links.retain(|l| {
        !within(&includes, l.span().start, |i| i.span.clone())
            && !within(&comments, l.span().start, Comment::span)
    });
    let blocks = classify_include_paragraphs(blocks, &includes, &text);

    // Boxed slices, sized exactly: every page stays in memory until its own checks ran.
    let mut document = Document {
        paths,
        text: String::new(),
        lines,
        front_matter,
        headings: exact_box(headings),
        comments: exact_box(comments),
        annotations: exact_box(annotations),
        code_blocks: exact_box(code_blocks),
        links: exact_box(links),
        includes: exact_box(includes),
        rare: Rare {
            explicit_anchors: exact_box(explicit_anchors),
            link_definitions: exact_box(link_definitions),
            undefined_references: exact_box(undefined_references),
            malformed_includes: exact_box(malformed_includes),
        }
        .boxed(),
        tables: exact_box(tables),
        blocks: exact_box(blocks),
        kind: PageKind::default(),
        dropped: None,
    };
    document.text = text;
    document.kind = page_kind(&document, fragment);
    document
}

/// Where the Markdown of a page starts: after its front matter (unless that is unclosed and
/// runs to the end).
fn body_start(text: &str, front_matter: Option<&FrontMatter>) -> usize {
    match front_matter {
        Some(fm) if fm.error.as_ref().is_none_or(|_| fm.span().end < text.len()) => fm.span().end,
        _ => 0,
    }
}

/// The outline of a page of one code snippet (see [`snippet`]): what [`parse`] gives, reduced
/// to the paths, kind and front matter — all the outline of such a page holds (no heading,
/// anchor, link or include) — found without the Markdown parser. `None` for any other page.
pub(super) fn snippet_outline(paths: PagePaths, text: &str, fragment: bool) -> Option<Document> {
    if text.starts_with('\u{feff}') {
        return None;
    }
    let front_matter = front_matter::parse(text);
    if !snippet::is_bare_snippet(text, body_start(text, front_matter.as_ref())) {
        return None;
    }
    let mut document = Document {
        paths,
        front_matter,
        ..Document::default()
    };
    document.kind = page_kind(&document, fragment);
    Some(document)
}

fn page_kind(doc: &Document, fragment: bool) -> PageKind {
    let doc_type = doc.doc_type().map(str::to_ascii_lowercase);
    let has = |name: &str| doc.annotations.iter().any(|a| a.is(name));
    PageKind {
        api: match doc_type.as_deref() {
            Some(t) => t == "apipagetype",
            None => has("request"),
        },
        resource: doc_type.as_deref() == Some("resourcepagetype") || has("resource"),
        fragment,
    }
}

#[cfg(test)]
mod tests {
    use super::pieces::pieces;
    use super::*;
    use crate::document::model::{count_cells, written_cells};

    /// The parts of a walk that pieces must reproduce, as text.
    fn model(builder: &Builder<'_>) -> String {
        format!(
            "{:#?}\n{:#?}\n{:#?}\n{:#?}\n{:#?}\n{:#?}\n{:#?}\n{:#?}\n{:#?}",
            builder.headings,
            builder.explicit_anchors,
            builder.code_blocks,
            builder.links,
            builder.link_definitions,
            builder.undefined_references,
            builder.tables,
            builder.blocks,
            builder.code_spans,
        )
    }

    fn assert_pieces_agree(text: &str, piece: usize) {
        assert!(
            pieces(text, 0, piece).len() > 2,
            "the page is not cut: {:?}",
            pieces(text, 0, piece)
        );
        let whole = build(text, 0, usize::MAX / 4);
        let cut = build(text, 0, piece);
        assert_eq!(model(&cut), model(&whole));
    }

    #[test]
    fn written_cells_split_at_unescaped_pipes() {
        fn cells(line: &str) -> Vec<&str> {
            written_cells(line).collect()
        }
        assert_eq!(cells("| a | b |"), [" a ", " b "]);
        assert_eq!(cells("a|b"), ["a", "b"]);
        assert_eq!(cells("|**Label**|"), ["**Label**"]);
        assert_eq!(cells("||"), [""]);
        assert_eq!(cells("| a \\| b |"), [" a \\| b "]);
        assert_eq!(cells("| a \\|"), [" a \\|"]);
        assert_eq!(cells("| a \\\\|"), [" a \\\\"]);
        assert_eq!(count_cells("|x|y|z|"), 3);
        // The one-pass count agrees with the cells split out.
        for line in [
            "",
            "|",
            "||",
            "|||",
            " a ",
            "a|b",
            "| a \\| b |",
            "| a \\|",
            "| a \\\\|",
            "\\",
            "a\\",
            "|\\\\|\\||",
            "| é | \\é | x \\\\\\| y |",
        ] {
            assert_eq!(count_cells(line), written_cells(line).count(), "{line:?}");
        }
    }

    #[test]
    fn a_page_parsed_in_pieces_has_the_model_of_the_whole() {
        let section =
            "## Section\n\nText with a [link](a.md), a [reference][later] and `code`.\n\n\
            | Name | Type |\n|---|---|\n| id | String |\n\n\
            ```http\nGET /me\n\n# not a heading\n```\n\n\
            <!-- a comment\n\n# not a heading either\n-->\n\n\
            <pre>\n\n# inside pre\n</pre>\n\n\
            - a list\n\n  more of the item\n\n\
            > a quote\n\n\
            <a name=\"x\"></a>[undefined][nowhere]\n\n";
        let mut text = String::from("# Title\n\n");
        for _ in 0..40 {
            text.push_str(section);
        }
        text.push_str("[later]: https://example.com/later\n");
        assert_pieces_agree(&text, 300);
    }

    /// Runs `check` on the text of every page under `root` (pages in parallel): `None` for a
    /// page it does not apply to, else whether the page passes. Fails with every failure,
    /// `what` saying how they fail; returns how many pages were checked.
    fn check_pages_under(
        root: &std::path::Path,
        what: &str,
        check: impl Fn(&std::path::Path, String) -> Option<Result<(), String>> + Sync,
    ) -> usize {
        use rayon::prelude::*;
        let (files, _) = crate::walk::files_under(root, 1);
        let outcomes: Vec<Result<(), String>> = files
            .par_iter()
            .filter(|f| crate::walk::is_page(f))
            .filter_map(|file| check(file, std::fs::read_to_string(file).ok()?))
            .collect();
        let checked = outcomes.len();
        let failures: Vec<String> = outcomes.into_iter().filter_map(Result::err).collect();
        assert!(
            failures.is_empty(),
            "{} pages {what}:\n{}",
            failures.len(),
            failures.join("\n")
        );
        checked
    }

    /// Cuts every page under `root` at every heading where a cut is allowed and compares the
    /// model with that of the whole page; returns how many pages were cut.
    fn check_cuts_under(root: &std::path::Path) -> usize {
        check_pages_under(root, "parse differently in pieces", |file, text| {
            let body = match front_matter::parse(&text) {
                Some(fm) if fm.error.is_none() => fm.span().end,
                _ => 0,
            };
            if pieces(&text, body, 1).len() == 1 {
                return None;
            }
            let (cut, whole) = (
                model(&build(&text, body, 1)),
                model(&build(&text, body, usize::MAX / 4)),
            );
            if cut == whole {
                return Some(Ok(()));
            }
            let line = cut.lines().zip(whole.lines()).position(|(a, b)| a != b);
            let at = |m: &str| {
                line.and_then(|l| m.lines().nth(l))
                    .unwrap_or("")
                    .to_string()
            };
            Some(Err(format!(
                "{}: {} ≠ {}",
                file.display(),
                at(&cut),
                at(&whole)
            )))
        })
    }

    /// Checks every page under `root` that [`snippet_outline`] outlines against the outline
    /// kept of its full parse; returns how many pages it outlined.
    fn check_snippet_outlines_under(root: &std::path::Path) -> usize {
        check_pages_under(root, "are outlined differently", |file, text| {
            let name = file.to_string_lossy().to_string();
            let path = file.to_path_buf();
            let paths = PagePaths::new(path, name.clone(), &name);
            let outline = snippet_outline(paths.clone(), &text, true)?;
            let mut whole = parse(paths, text, true);
            crate::docset::keep_outline(&mut whole);
            let (outline, whole) = (format!("{outline:#?}"), format!("{whole:#?}"));
            Some(if outline == whole {
                Ok(())
            } else {
                Err(format!("{}:\n{outline}\n≠\n{whole}", file.display()))
            })
        })
    }

    #[test]
    fn snippet_outlines_are_the_outlines_of_the_full_parse() {
        let snippet =
            "---\ndescription: \"Generated\"\n---\n\n<!-- x -->\n```csharp\nvar a = 1;\n```\n";
        let at = |name: &str| PagePaths::new(name.into(), name.into(), name);
        let outline = snippet_outline(at("a.md"), snippet, true).expect("a bare snippet");
        let mut whole = parse(at("a.md"), snippet.into(), true);
        crate::docset::keep_outline(&mut whole);
        assert_eq!(format!("{outline:#?}"), format!("{whole:#?}"));
        assert!(outline.front_matter.is_some() && outline.kind.fragment);
        let api = "---\ndoc_type: apiPageType\n---\n```csharp\nx\n```\n";
        let outline = snippet_outline(at("b.md"), api, false);
        assert!(outline.is_some_and(|doc| doc.kind.api));
        let heading = "# Title\n```csharp\nx\n```\n";
        assert!(snippet_outline(at("c.md"), heading, false).is_none());
    }

    /// The shared corpora folder; `None` (the test skips) when it is missing, which fails
    /// under `CI=true`.
    fn corpora() -> Option<std::path::PathBuf> {
        let corpora = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpora");
        if corpora.is_dir() {
            return Some(corpora);
        }
        assert!(
            std::env::var("CI").map_or(true, |v| v != "true"),
            "CI=true but {} is missing",
            corpora.display()
        );
        eprintln!("skipped: {} is missing", corpora.display());
        None
    }

    #[test]
    fn every_corpus_snippet_is_outlined_as_its_full_parse() {
        let Some(corpora) = corpora() else {
            return;
        };
        let outlined = check_snippet_outlines_under(&corpora);
        assert!(
            outlined > 10_000,
            "only {outlined} corpus pages are bare snippets"
        );
    }

    #[test]
    fn every_testdata_page_parses_the_same_in_pieces() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        assert!(check_cuts_under(&root.join("testdata")) > 20);
    }

    #[test]
    fn every_corpus_page_parses_the_same_in_pieces() {
        let Some(corpora) = corpora() else {
            return;
        };
        let cut = check_cuts_under(&corpora);
        assert!(cut > 2_000, "only {cut} corpus pages have a place to cut");
    }
}
