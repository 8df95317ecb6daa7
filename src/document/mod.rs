//! The parsed page: everything rules need, each item with its byte span.
//!
//! A page is parsed once, with pulldown-cmark's offset iterator; rules never re-read files.

pub mod annotation;
mod dropped_text;
pub mod front_matter;
pub mod headings;
pub mod http;
pub mod json;
pub mod model;
pub mod page_paths;
mod parse;

pub mod permissions;
pub mod scenarios;

use std::ops::Range;
use std::path::PathBuf;

pub use annotation::Annotation;
pub use dropped_text::DroppedText;
pub use front_matter::FrontMatter;
pub use headings::{ExplicitAnchor, Heading};
pub use model::*;
pub use page_paths::PagePaths;

use crate::diagnostic::{CheckedText, Location, Related, SpanPos};
use crate::source::{LineIndex, Position};

/// What kind of page this is, for rules that apply to some kinds only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PageKind {
    /// `doc_type: apiPageType`, or no `doc_type` and at least one request annotation.
    pub api: bool,
    /// `doc_type: resourcePageType`, or a `resource` annotation.
    pub resource: bool,
    /// An include fragment (under an `includes/` folder or the target of an INCLUDE):
    /// no front matter or H1 is required of it.
    pub fragment: bool,
}

/// One parsed Markdown page. The default is a page of nothing, with no paths.
#[derive(Debug, Clone, Default)]
pub struct Document {
    /// Where the page is: its file, display path and doc-set path (see [`Document::path`],
    /// [`Document::display`], [`Document::docset_path`]).
    pub paths: PagePaths,
    /// The text (a leading UTF-8 BOM removed).
    pub text: String,
    /// Line starts of `text`.
    pub lines: LineIndex,
    /// The front matter, if the page starts with `---`.
    pub front_matter: Option<FrontMatter>,
    /// Headings in order.
    pub headings: Box<[Heading]>,
    /// HTML comments outside code.
    pub comments: Box<[Comment]>,
    /// Comments that are annotations.
    pub annotations: Box<[Annotation]>,
    /// Fenced code blocks.
    pub code_blocks: Box<[CodeBlock]>,
    /// Links and images (include targets excluded).
    pub links: Box<[Link]>,
    /// `[!INCLUDE]` directives.
    pub includes: Box<[Include]>,
    /// The lists few pages have (see [`Rare`]): `None` when all are empty.
    pub rare: Option<Box<Rare>>,
    /// Tables.
    pub tables: Box<[Table]>,
    /// Top-level blocks in order.
    pub blocks: Box<[Block]>,
    /// What kind of page this is.
    pub kind: PageKind,
    /// When the text was dropped after the parse, to be read again for the page's checks:
    /// the length and hash it had, and the line starts (see [`Document::drop_text`]).
    pub dropped: Option<DroppedText>,
}

/// The lists of a page that few pages have, in one optional box: a page without any holds
/// one pointer instead of four empty lists (every page stays in memory for the whole run).
#[derive(Debug, Clone, Default)]
pub struct Rare {
    /// `<a name>` / `<a id>` anchors.
    pub explicit_anchors: Box<[ExplicitAnchor]>,
    /// Reference definitions.
    pub link_definitions: Box<[LinkDefinition]>,
    /// Full and collapsed references with no definition.
    pub undefined_references: Box<[UndefinedReference]>,
    /// Text that looks like an include directive but is not well-formed.
    pub malformed_includes: Box<[MalformedInclude]>,
}

impl Rare {
    /// These lists in a box, or `None` when they are all empty.
    pub fn boxed(self) -> Option<Box<Rare>> {
        let empty = self.explicit_anchors.is_empty()
            && self.link_definitions.is_empty()
            && self.undefined_references.is_empty()
            && self.malformed_includes.is_empty();
        (!empty).then(|| Box::new(self))
    }
}

impl Document {
    /// Parses `text` (already decoded) as the page at `path`.
    pub fn parse(
        path: PathBuf,
        display: String,
        docset_path: String,
        text: String,
        fragment: bool,
    ) -> Document {
        parse::parse(PagePaths::new(path, display, &docset_path), text, fragment)
    }

    /// [`Document::parse`] of the page at `paths`.
    pub fn parse_at(paths: PagePaths, text: String, fragment: bool) -> Document {
        parse::parse(paths, text, fragment)
    }

    /// The outline of a page that is only front matter, HTML comments and one fenced code
    /// block that is not HTTP (a code snippet fragment): the page as [`Document::parse`] gives
    /// it, keeping only its paths, kind and front matter (such a page has no heading, anchor,
    /// link or include), found without the Markdown parser; `None` for any other page.
    pub fn snippet_outline(paths: PagePaths, text: &str, fragment: bool) -> Option<Document> {
        parse::snippet_outline(paths, text, fragment)
    }

    /// `<a name>` / `<a id>` anchors.
    pub fn explicit_anchors(&self) -> &[ExplicitAnchor] {
        self.rare.as_ref().map_or(&[], |r| &r.explicit_anchors)
    }

    /// Reference definitions.
    pub fn link_definitions(&self) -> &[LinkDefinition] {
        self.rare.as_ref().map_or(&[], |r| &r.link_definitions)
    }

    /// Full and collapsed references with no definition.
    pub fn undefined_references(&self) -> &[UndefinedReference] {
        self.rare.as_ref().map_or(&[], |r| &r.undefined_references)
    }

    /// Text that looks like an include directive but is not well-formed.
    pub fn malformed_includes(&self) -> &[MalformedInclude] {
        self.rare.as_ref().map_or(&[], |r| &r.malformed_includes)
    }

    /// The file as found on disk.
    pub fn path(&self) -> PathBuf {
        self.paths.path()
    }

    /// The path as reported: relative to the working directory, `/` separators.
    pub fn display(&self) -> &str {
        self.paths.display()
    }

    /// The path relative to the doc-set root, `/` separators (used to resolve links).
    pub fn docset_path(&self) -> &str {
        self.paths.docset_path()
    }

    /// The page's file name without its `.md` extension (`user-get` for `api/user-get.md`).
    pub fn file_stem(&self) -> &str {
        let mut name = self.docset_path().rsplit('/').next().unwrap_or("");
        // Every `.md` off the end, as `trim_end_matches` does, without its substring searcher
        // (set up afresh on each call; this runs for every page when the index is built).
        while let Some(rest) = name.strip_suffix(".md") {
            name = rest;
        }
        name
    }

    /// The destinations of the `[!INCLUDE]` directives in a DocFX YAML page (a landing or
    /// tutorial page, whose Markdown sits in its string values), in order.
    pub fn yaml_include_targets(text: &str) -> Vec<String> {
        parse::include_targets(text)
    }

    /// The 1-based position of a byte offset.
    pub fn position(&self, offset: usize) -> Position {
        debug_assert!(
            !self.text_dropped(),
            "{}: text read while dropped",
            self.display()
        );
        self.lines.position(&self.text, offset)
    }

    /// The location of a span of this page, as reported.
    pub fn location(&self, span: &Range<usize>) -> Location {
        self.checked_text().location(span)
    }

    /// Where a span of this page is, without the path (for a related location that other
    /// pages' checks report: see [`SpanPos`]).
    pub fn span_pos(&self, span: &Range<usize>) -> SpanPos {
        self.checked_text().span_pos(span)
    }

    /// The page's text, for placing findings in it.
    pub(crate) fn checked_text(&self) -> CheckedText<'_> {
        debug_assert!(
            !self.text_dropped(),
            "{}: text read while dropped",
            self.display()
        );
        CheckedText {
            display: self.display(),
            text: &self.text,
            lines: &self.lines,
        }
    }

    /// A related location in this page, for a diagnostic's `related` list.
    pub fn related(&self, span: Range<usize>, message: impl Into<String>) -> Related {
        Related {
            location: self.location(&span),
            message: message.into(),
        }
    }

    /// The text of a span.
    pub fn slice(&self, span: &Range<usize>) -> &str {
        debug_assert!(
            !self.text_dropped(),
            "{}: text read while dropped",
            self.display()
        );
        self.text.get(span.clone()).unwrap_or("")
    }

    /// The page annotation, if any.
    pub fn page_annotation(&self) -> Option<&Annotation> {
        model::page_annotation(&self.annotations)
    }

    /// The front-matter `doc_type`, if set.
    pub fn doc_type(&self) -> Option<&str> {
        self.front_matter
            .as_ref()
            .and_then(|fm| fm.text("doc_type"))
    }

    /// The H1 headings.
    pub fn h1s(&self) -> impl Iterator<Item = &Heading> {
        self.headings
            .iter()
            .filter(|h| h.level == 1 && h.tab().is_none())
    }

    /// The index of the heading whose section contains `offset` (the last heading before it).
    pub fn heading_before(&self, offset: usize) -> Option<usize> {
        let i = self.headings.partition_point(|h| h.span().start <= offset);
        i.checked_sub(1)
    }

    /// Whether the text of a heading whose section contains `offset` satisfies `test`, from
    /// the innermost heading up to the H1 (tab headers such as `# [HTTP](#tab/http)` are not
    /// sections).
    pub fn in_section(&self, offset: usize, test: impl Fn(&str) -> bool) -> bool {
        self.enclosing_headings(offset)
            .any(|heading| test(heading.text.trim_start()))
    }

    /// Whether `offset` lies in a section whose heading, or an enclosing heading, starts with
    /// "HTTP request" (`## HTTP request`, `## HTTP Requests`, `### HTTP request (to upload…)`):
    /// the section that lists an operation's URLs.
    pub fn in_http_request_section(&self, offset: usize) -> bool {
        self.in_section(offset, |text| starts_with_ignore_case(text, "http request"))
    }

    /// The section headings whose sections contain `offset`, innermost first, up to the H1
    /// (tab headers such as `# [HTTP](#tab/http)` are not sections).
    pub fn enclosing_headings(&self, offset: usize) -> impl Iterator<Item = &Heading> {
        let innermost = self
            .heading_before(offset)
            .and_then(|i| self.section_heading(i));
        std::iter::successors(innermost, |&i| self.headings[i].parent()).map(|i| &self.headings[i])
    }

    /// The section heading at or before heading `i`: `i` itself, or for a tab header the
    /// section heading it sits in.
    pub fn section_heading(&self, i: usize) -> Option<usize> {
        let heading = self.headings.get(i)?;
        if heading.tab().is_some() {
            heading.parent()
        } else {
            Some(i)
        }
    }

    /// Whether `offset` lies inside a fenced code block or an HTML comment.
    pub fn in_code_or_comment(&self, offset: usize) -> bool {
        // Both lists are in page order and their items do not overlap.
        fn inside<T>(items: &[T], span: impl Fn(&T) -> Range<usize>, offset: usize) -> bool {
            let i = items.partition_point(|item| span(item).start <= offset);
            i.checked_sub(1)
                .is_some_and(|i| offset < span(&items[i]).end)
        }
        inside(&self.code_blocks, CodeBlock::span, offset)
            || inside(&self.comments, Comment::span, offset)
    }
}

/// Removes a leading byte order mark: the text a page is parsed from, and the one read again
/// for its checks after it was dropped, are the file's text without it.
pub(crate) fn remove_bom(text: &mut String) {
    if text.starts_with('\u{feff}') {
        text.drain(..3);
    }
}

/// Whether `text` starts with `prefix`, ASCII case ignored.
pub fn starts_with_ignore_case(text: &str, prefix: &str) -> bool {
    text.len() >= prefix.len()
        && text.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
}

/// Whether `text` contains `needle`, a lower-case ASCII word, ASCII case ignored: what
/// `text.to_ascii_lowercase().contains(needle)` says, without the copy or a substring searcher
/// set up for a text of a few words.
pub(crate) fn contains_ignore_case(text: &str, needle: &str) -> bool {
    text.as_bytes()
        .windows(needle.len())
        .any(|at| at.eq_ignore_ascii_case(needle.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The items a page has many of, and keeps for the whole run, are small.
    #[test]
    fn items_kept_for_the_run_are_small() {
        use std::mem::size_of;
        assert_eq!(size_of::<CodeBlock>(), 56);
        assert_eq!(size_of::<Comment>(), 20);
        assert_eq!(size_of::<Link>(), 40);
        assert_eq!(size_of::<Table>(), 80);
        assert_eq!(size_of::<Row>(), 32);
        assert_eq!(size_of::<front_matter::FrontMatterEntry>(), 36);
    }

    /// A page without explicit anchors, link definitions, undefined references or malformed
    /// includes holds no box for them; a page with one of them has the others empty.
    #[test]
    fn rare_lists_are_boxed_only_when_present() {
        let page = |text: &str| {
            Document::parse(
                "a.md".into(),
                "a.md".into(),
                "a.md".into(),
                text.into(),
                false,
            )
        };
        let plain = page("# Title\n\n[link](b.md)\n");
        assert!(plain.rare.is_none());
        assert!(plain.explicit_anchors().is_empty() && plain.link_definitions().is_empty());
        let defined = page("# Title\n\n[x][y]\n\n[y]: b.md\n");
        assert!(defined.rare.is_some());
        assert_eq!(defined.link_definitions().len(), 1);
        assert!(defined.explicit_anchors().is_empty());
        assert!(defined.undefined_references().is_empty());
        assert!(defined.malformed_includes().is_empty());
    }

    #[test]
    fn the_file_stem_drops_every_md_extension() {
        let stem = |path: &str| {
            let doc = Document::parse(path.into(), path.into(), path.into(), String::new(), false);
            doc.file_stem().to_string()
        };
        assert_eq!(stem("api/user-get.md"), "user-get");
        assert_eq!(stem("a/b.md.md"), "b");
        assert_eq!(stem("c/d.MD"), "d.MD");
        assert_eq!(stem("e"), "e");
    }
}
