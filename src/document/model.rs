//! The items of a parsed page other than headings and front matter.

use std::ops::Range;

use super::annotation::Annotation;
use crate::source::Span;

/// A fenced code block. A page has many: its offsets are `u32`s (a page is at most 4 GiB),
/// so that a block takes 56 bytes, not 88.
#[derive(Debug, Clone)]
pub struct CodeBlock {
    /// The whole block, fences included (see [`CodeBlock::span`]).
    span: Span,
    /// The opening fence line (see [`CodeBlock::fence_line`]).
    fence_line: Span,
    /// The first word of the info string after the fence (the language), as written (a page
    /// has many blocks: the rest of the info string, which no rule reads, is not kept).
    pub language: Box<str>,
    /// The content between the fences (see [`CodeBlock::content`]).
    content: Span,
    /// Whether a closing fence was found (an unclosed fence runs to the end of its container).
    pub closed: bool,
    /// The index of the annotation bound to this block (see [`CodeBlock::annotation`]).
    annotation: Option<u32>,
}

impl CodeBlock {
    /// A block at `span` whose fence line is `fence_line` and content `content`, bound to no
    /// annotation.
    pub fn new(
        span: Range<usize>,
        fence_line: Range<usize>,
        language: Box<str>,
        content: Range<usize>,
        closed: bool,
    ) -> CodeBlock {
        CodeBlock {
            span: Span::new(span),
            fence_line: Span::new(fence_line),
            language,
            content: Span::new(content),
            closed,
            annotation: None,
        }
    }

    /// The whole block, fences included.
    pub fn span(&self) -> Range<usize> {
        self.span.range()
    }

    /// The opening fence line.
    pub fn fence_line(&self) -> Range<usize> {
        self.fence_line.range()
    }

    /// The content between the fences.
    pub fn content(&self) -> Range<usize> {
        self.content.range()
    }

    /// The index of the annotation bound to this block, if any.
    pub fn annotation(&self) -> Option<usize> {
        self.annotation.map(|i| i as usize)
    }

    /// Binds the block to the annotation of index `annotation`.
    pub fn set_annotation(&mut self, annotation: usize) {
        self.annotation = Some(crate::source::saturating_u32(annotation));
    }

    /// Whether this is an HTTP fence (see [`is_http_language`]).
    pub fn is_http(&self) -> bool {
        is_http_language(&self.language)
    }

    /// Whether this is a JSON fence (`json` or `JSON`).
    pub fn is_json(&self) -> bool {
        matches!(&*self.language, "json" | "JSON")
    }
}

/// Whether a fence language (the first word of the info string) is an HTTP one: `http`, `HTTP`
/// or `msgraph-interactive`.
pub fn is_http_language(language: &str) -> bool {
    matches!(language, "http" | "HTTP" | "msgraph-interactive")
}

/// An HTML comment outside code (20 bytes: a page has many).
#[derive(Debug, Clone)]
pub struct Comment {
    /// See [`Comment::span`].
    span: Span,
    /// See [`Comment::inner`].
    inner: Span,
    /// Whether `-->` was found.
    pub closed: bool,
}

impl Comment {
    /// The comment at `span` whose text between the delimiters is at `inner`.
    pub fn new(span: Range<usize>, inner: Range<usize>, closed: bool) -> Comment {
        Comment {
            span: Span::new(span),
            inner: Span::new(inner),
            closed,
        }
    }

    /// From `<!--` to the end of `-->` (or of the file when unclosed).
    pub fn span(&self) -> Range<usize> {
        self.span.range()
    }

    /// The text between the delimiters.
    pub fn inner(&self) -> Range<usize> {
        self.inner.range()
    }
}

/// How a link is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkKind {
    /// `[text](dest)`.
    Inline,
    /// `[text][label]`.
    Reference,
    /// `[label][]`.
    Collapsed,
    /// `[label]` matching a definition.
    Shortcut,
    /// `<https://…>`.
    Autolink,
    /// `<user@example.com>`.
    Email,
    /// `href` or `src` in raw HTML.
    Html,
}

impl LinkKind {
    /// Whether the link names a reference definition (full, collapsed or shortcut).
    pub fn is_reference(self) -> bool {
        matches!(
            self,
            LinkKind::Reference | LinkKind::Collapsed | LinkKind::Shortcut
        )
    }
}

/// A link or image. A page has many: the destination is a boxed string (it never grows) and
/// the definition's index and the offsets `u32`s, so that a link takes 40 bytes, not 64.
#[derive(Debug, Clone)]
pub struct Link {
    /// How it is written.
    pub kind: LinkKind,
    /// Whether it is an image (`![alt](src)`).
    pub image: bool,
    /// The destination, as written (for reference links: the definition's).
    pub dest: Box<str>,
    /// The whole link (see [`Link::span`]).
    span: Span,
    /// For reference, collapsed and shortcut links, the definition they use: an index into
    /// the page's link definitions (see [`Link::definition`]).
    definition: Option<u32>,
}

impl Link {
    /// A link of `kind` to `dest` at `span`, using no reference definition.
    pub fn new(kind: LinkKind, image: bool, dest: &str, span: Range<usize>) -> Link {
        Link {
            kind,
            image,
            dest: dest.into(),
            span: Span::new(span),
            definition: None,
        }
    }

    /// The whole link.
    pub fn span(&self) -> Range<usize> {
        self.span.range()
    }

    /// For reference, collapsed and shortcut links, the definition they use: an index into
    /// the page's link definitions.
    pub fn definition(&self) -> Option<usize> {
        self.definition.map(|i| i as usize)
    }

    /// Sets the definition the link uses (see [`Link::definition`]).
    pub fn set_definition(&mut self, definition: Option<usize>) {
        self.definition = definition.map(crate::source::saturating_u32);
    }
}

/// A reference definition `[label]: dest`.
#[derive(Debug, Clone)]
pub struct LinkDefinition {
    /// The label as written.
    pub label: String,
    /// The destination.
    pub dest: String,
    /// The definition line.
    pub span: Range<usize>,
    /// Whether any link in the page uses it.
    pub used: bool,
}

/// A full or collapsed reference link whose label has no definition.
#[derive(Debug, Clone)]
pub struct UndefinedReference {
    /// The label.
    pub label: String,
    /// The reference, e.g. `[text][label]`.
    pub span: Range<usize>,
}

/// A DocFX `[!INCLUDE [label](path)]` directive.
#[derive(Debug, Clone)]
pub struct Include {
    /// The whole directive.
    pub span: Range<usize>,
    /// The label (may contain spaces).
    pub label: String,
    /// The target path as written.
    pub target: String,
    /// Where the target is written.
    pub target_span: Range<usize>,
}

/// Text that starts like an include directive but is not one.
#[derive(Debug, Clone)]
pub struct MalformedInclude {
    /// From `[!INCLUDE` to the end of the line.
    pub span: Range<usize>,
}

/// One table cell.
#[derive(Debug, Clone)]
pub struct Cell {
    /// Where its source text is, trimmed (a page has many cells: two `u32`s).
    span: Span,
}

impl Cell {
    /// The cell whose trimmed source text is at `span`.
    pub fn new(span: Range<usize>) -> Cell {
        Cell {
            span: Span::new(span),
        }
    }

    /// Where its source text is, trimmed.
    pub fn span(&self) -> Range<usize> {
        self.span.range()
    }

    /// The cell's source text, trimmed, in `page` (the text of the page it belongs to).
    pub fn text<'p>(&self, page: &'p str) -> &'p str {
        page.get(self.span()).unwrap_or("")
    }
}

/// One table row (32 bytes: a page has many, so its offsets and count are `u32`s).
#[derive(Debug, Clone)]
pub struct Row {
    /// See [`Row::span`].
    span: Span,
    /// Cells as the Markdown parser sees them (a boxed slice, sized exactly: a page has many
    /// rows).
    pub cells: Box<[Cell]>,
    /// See [`Row::written_cells`].
    written_cells: u32,
}

impl Row {
    /// The row at `span` with `cells`, of which `written_cells` are written on its line.
    pub fn new(span: Range<usize>, cells: Box<[Cell]>, written_cells: usize) -> Row {
        Row {
            span: Span::new(span),
            cells,
            written_cells: crate::source::saturating_u32(written_cells),
        }
    }

    /// The row line.
    pub fn span(&self) -> Range<usize> {
        self.span.range()
    }

    /// The number of cells written on the line (GFM splitting at unescaped pipes).
    pub fn written_cells(&self) -> usize {
        self.written_cells as usize
    }

    /// The cells written on the row's line in `page` (the text of the page it belongs to),
    /// untrimmed, as GFM splits them: all of them, also those past the header's count that
    /// the Markdown parser drops.
    pub fn written<'p>(&self, page: &'p str) -> impl Iterator<Item = &'p str> {
        written_cells(page.get(self.span()).unwrap_or(""))
    }
}

/// The number of cells GFM sees on a table row: split at pipes not escaped with `\`,
/// ignoring a leading and a trailing pipe.
pub(super) fn count_cells(line: &str) -> usize {
    // What `written_cells(line).count()` gives, in one pass: one cell more than the pipes
    // between the outer ones that no backslash escapes (every table row is counted).
    let bytes = row_inner(line).as_bytes();
    let mut cells = 1;
    let mut from = 0;
    for i in memchr::memchr2_iter(b'\\', b'|', bytes) {
        if i < from {
            continue;
        }
        if bytes[i] == b'|' {
            cells += 1;
        } else {
            // A backslash escapes the byte after it.
            from = i + 2;
        }
    }
    cells
}

/// A table row's line without the spaces around it and its leading and trailing pipes.
fn row_inner(line: &str) -> &str {
    let line = line.trim();
    let inner = line.strip_prefix('|').unwrap_or(line);
    // A trailing pipe ends the row unless a backslash escapes it (`\\|` is an escaped
    // backslash, then the pipe).
    match inner.strip_suffix('|') {
        Some(rest) if rest.bytes().rev().take_while(|&b| b == b'\\').count() % 2 == 0 => rest,
        _ => inner,
    }
}

/// The cells written on a table row, untrimmed: the text between pipes not escaped with `\`,
/// without a leading and a trailing pipe.
pub(super) fn written_cells(line: &str) -> impl Iterator<Item = &str> {
    let mut rest = Some(row_inner(line));
    std::iter::from_fn(move || {
        let text = rest?;
        let bytes = text.as_bytes();
        let mut from = 0;
        while let Some(i) = memchr::memchr2(b'\\', b'|', &bytes[from.min(bytes.len())..]) {
            let i = from + i;
            if bytes[i] == b'|' {
                rest = Some(&text[i + 1..]);
                return Some(&text[..i]);
            }
            // A backslash escapes the byte after it.
            from = i + 2;
        }
        rest = None;
        Some(text)
    })
}

/// A table, or a table-like block whose delimiter row does not match its header (its offsets
/// and numbers are `u32`s: 80 bytes).
#[derive(Debug, Clone)]
pub struct Table {
    /// See [`Table::span`].
    span: Span,
    /// The header row.
    pub header: Row,
    /// The body rows.
    pub rows: Vec<Row>,
    /// See [`Table::heading`].
    heading: Option<u32>,
    /// See [`Table::delimiter_mismatch`].
    delimiter_mismatch: Option<u32>,
}

impl Table {
    /// The table at `span` whose header is `header`, under heading `heading`, with no body
    /// rows yet; `delimiter_mismatch` as [`Table::delimiter_mismatch`] says.
    pub fn new(
        span: Range<usize>,
        header: Row,
        heading: Option<usize>,
        delimiter_mismatch: Option<usize>,
    ) -> Table {
        Table {
            span: Span::new(span),
            header,
            rows: Vec::new(),
            heading: heading.map(crate::source::saturating_u32),
            delimiter_mismatch: delimiter_mismatch.map(crate::source::saturating_u32),
        }
    }

    /// The whole table.
    pub fn span(&self) -> Range<usize> {
        self.span.range()
    }

    /// The index of the heading the table sits under.
    pub fn heading(&self) -> Option<usize> {
        self.heading.map(|i| i as usize)
    }

    /// Sets the heading the table sits under (see [`Table::heading`]).
    pub fn set_heading(&mut self, heading: Option<usize>) {
        self.heading = heading.map(crate::source::saturating_u32);
    }

    /// For a block that is not rendered as a table because its delimiter row has a different
    /// number of cells than the header: that number.
    pub fn delimiter_mismatch(&self) -> Option<usize> {
        self.delimiter_mismatch.map(|n| n as usize)
    }
}

/// The kind of a top-level block, for structure rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockKind {
    /// A heading; the index into the page's headings (a `u32`, so that a block takes 16 bytes,
    /// not 24: a page has many blocks and is at most 256 MiB).
    Heading(u32),
    /// A paragraph.
    Paragraph,
    /// A paragraph that holds nothing but include directives.
    IncludeParagraph,
    /// A list.
    List,
    /// A table.
    Table,
    /// A code block (fenced or indented).
    CodeBlock,
    /// A block quote (including DocFX alerts).
    BlockQuote,
    /// Raw HTML other than comments.
    Html,
    /// HTML comments only (annotations included).
    Comment,
    /// A thematic break.
    Rule,
    /// Anything else (footnotes, definition lists, math).
    Other,
}

impl BlockKind {
    /// Whether the block counts as section content (comments and headings do not).
    pub fn is_content(self) -> bool {
        !matches!(self, BlockKind::Heading(_) | BlockKind::Comment)
    }
}

/// A top-level block.
#[derive(Debug, Clone)]
pub struct Block {
    /// What it is.
    pub kind: BlockKind,
    /// Where it is (a page has many blocks: two `u32`s, so that a block takes 16 bytes).
    span: Span,
}

impl Block {
    /// A block of `kind` at `span`.
    pub fn new(kind: BlockKind, span: Range<usize>) -> Block {
        Block {
            kind,
            span: Span::new(span),
        }
    }

    /// Where it is.
    pub fn span(&self) -> Range<usize> {
        self.span.range()
    }
}

/// The annotations of a page and where the page annotation is, for convenience.
pub fn page_annotation(annotations: &[Annotation]) -> Option<&Annotation> {
    annotations.iter().find(|a| a.is_page)
}
