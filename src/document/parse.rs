//! One pass of pulldown-cmark over a page, collecting the document model.

use std::cell::RefCell;
use std::collections::HashMap;
use std::ops::Range;
use std::path::PathBuf;
use std::sync::OnceLock;

use pulldown_cmark::{BrokenLink, CodeBlockKind, Event, LinkType, Options, Parser, Tag, TagEnd};
use regex::Regex;

use super::annotation::Annotation;
use super::headings::{self, ExplicitAnchor, Heading};
use super::model::*;
use super::{front_matter, Document, PageKind};
use crate::source::LineIndex;

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_GFM
        | Options::ENABLE_FOOTNOTES
}

/// Builds the document model for one page.
pub(super) fn parse(
    path: PathBuf,
    display: String,
    docset_path: String,
    mut text: String,
    fragment: bool,
) -> Document {
    if text.starts_with('\u{feff}') {
        text.drain(..3);
    }
    let lines = LineIndex::new(&text);
    let front_matter = front_matter::parse(&text);
    let body_start = match &front_matter {
        Some(fm) if fm.error.as_ref().is_none_or(|_| fm.span.end < text.len()) => fm.span.end,
        _ => 0,
    };
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
    headings::assign_anchors(&mut headings);
    headings::assign_sections(&mut headings, text.len());

    let comments = find_comments(&text, body_start, &code_blocks, &code_spans);
    let mut annotations: Vec<Annotation> = comments
        .iter()
        .filter(|c| text[c.inner.clone()].trim_start().starts_with('{'))
        .map(|c| Annotation::parse(&text, c.span.clone(), c.inner.clone(), c.closed))
        .collect();
    bind_annotations(&text, &mut annotations, &mut code_blocks);

    let (includes, malformed_includes) =
        find_includes(&text, body_start, &code_blocks, &code_spans, &comments);
    links.retain(|l| {
        !within(&includes, l.span.start, |i| &i.span)
            && !within(&comments, l.span.start, |c| &c.span)
    });
    let blocks = classify_include_paragraphs(blocks, &includes, &text);

    let mut document = Document {
        path,
        display,
        docset_path,
        text: String::new(),
        lines,
        front_matter,
        headings,
        explicit_anchors,
        comments,
        annotations,
        code_blocks,
        links,
        link_definitions,
        undefined_references,
        includes,
        malformed_includes,
        tables,
        blocks,
        kind: PageKind::default(),
    };
    document.text = text;
    document.kind = page_kind(&document, fragment);
    shrink(&mut document);
    document
}

/// Gives back the spare capacity of the model's lists: every page stays in memory for the
/// whole run, and growth by doubling leaves a fifth of it unused on average.
fn shrink(doc: &mut Document) {
    doc.headings.shrink_to_fit();
    doc.explicit_anchors.shrink_to_fit();
    doc.comments.shrink_to_fit();
    doc.annotations.shrink_to_fit();
    doc.code_blocks.shrink_to_fit();
    doc.links.shrink_to_fit();
    doc.link_definitions.shrink_to_fit();
    doc.includes.shrink_to_fit();
    doc.tables.shrink_to_fit();
    doc.blocks.shrink_to_fit();
    if let Some(front_matter) = &mut doc.front_matter {
        front_matter.entries.shrink_to_fit();
    }
    doc.lines.shrink_to_fit();
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

/// State of the single walk over pulldown-cmark's events.
struct Builder<'t> {
    text: &'t str,
    base: usize,
    headings: Vec<Heading>,
    explicit_anchors: Vec<ExplicitAnchor>,
    code_blocks: Vec<CodeBlock>,
    code_spans: Vec<Range<usize>>,
    links: Vec<Link>,
    link_definitions: Vec<LinkDefinition>,
    undefined_references: Vec<UndefinedReference>,
    tables: Vec<Table>,
    blocks: Vec<Block>,
    /// Normalised labels of the reference links, one for each in `links` order.
    used_labels: Vec<String>,
    /// Reference definitions as pulldown-cmark found them: label, destination, span.
    definitions: Vec<(String, String, Range<usize>)>,
    /// Full and collapsed references without a definition.
    broken: Vec<(Range<usize>, String)>,
}

/// Pages longer than this are parsed in pieces of about this size (see [`pieces`]).
const PIECE: usize = 1 << 20;

/// Walks the page body from `body_start`: in one piece, or for a very large page in pieces
/// parsed in parallel and joined, so that memory stays proportional to a piece, not the page.
fn build(text: &str, body_start: usize, piece: usize) -> Builder<'_> {
    let pieces = pieces(text, body_start, piece);
    let mut builder = if pieces.len() == 1 {
        let mut builder = Builder::new(text, body_start);
        builder.walk(text.len(), None);
        builder
    } else {
        use rayon::prelude::*;
        // A reference may use a definition from another piece.
        let definitions = scan_definitions(text, body_start);
        let mut whole = Builder::new(text, body_start);
        // A few pieces at a time, so that only those few parse trees are alive at once.
        for batch in pieces.chunks(2 * rayon::current_num_threads()) {
            let parts: Vec<Builder<'_>> = batch
                .par_iter()
                .map(|piece| {
                    let mut builder = Builder::new(text, piece.start);
                    builder.walk(piece.end, Some(&definitions));
                    builder
                })
                .collect();
            for part in parts {
                whole.append(part);
            }
        }
        whole
    };
    builder.finish();
    builder
}

/// Where a page body can be cut into pieces that parse exactly as the whole would: at an ATX
/// heading in column 0 after a blank line, outside fences, HTML comments and raw-text HTML
/// blocks. Nothing before such a heading continues after it except reference definitions,
/// which [`scan_definitions`] makes available to every piece. The tracking errs on the side
/// of not cutting (an unclosed `<!--` in a code span ends the cutting).
fn pieces(text: &str, from: usize, piece: usize) -> Vec<Range<usize>> {
    if text.len() - from <= 2 * piece {
        return std::iter::once(from..text.len()).collect();
    }
    let bytes = text.as_bytes();
    let mut pieces = Vec::new();
    let mut start = from;
    let mut fence: Option<(u8, usize)> = None;
    let mut comment = false;
    let mut raw_html: Option<&'static str> = None;
    let mut blank_before = false;
    let mut line_start = from;
    while line_start < bytes.len() {
        let line_end =
            memchr::memchr(b'\n', &bytes[line_start..]).map_or(bytes.len(), |i| line_start + i + 1);
        let line = &text[line_start..line_end];
        let content = line.trim_start_matches([' ', '\t']);
        let fence_char = content.bytes().next().filter(|&c| c == b'`' || c == b'~');
        let run = fence_char.map_or(0, |c| content.bytes().take_while(|&b| b == c).count());
        if let Some((c, len)) = fence {
            if fence_char == Some(c) && run >= len && content[run..].trim().is_empty() {
                fence = None;
            }
        } else if comment {
            if let Some(end) = line.find("-->") {
                comment = opens_comment(&line[end + 3..]);
            }
        } else if let Some(close) = raw_html {
            if line.to_ascii_lowercase().contains(close) {
                raw_html = None;
            }
        } else if run >= 3 && !(fence_char == Some(b'`') && content[run..].contains('`')) {
            fence = fence_char.map(|c| (c, run));
        } else if blank_before && line_start - start >= piece && is_atx_heading(line) {
            pieces.push(start..line_start);
            start = line_start;
        } else {
            comment = opens_comment(line);
            raw_html = raw_html_close(content);
        }
        blank_before = line.trim().is_empty();
        line_start = line_end;
    }
    pieces.push(start..bytes.len());
    pieces
}

/// Whether `<!--` opens a comment that the line does not close.
fn opens_comment(line: &str) -> bool {
    let mut rest = line;
    while let Some(open) = rest.find("<!--") {
        match rest[open + 4..].find("-->") {
            Some(close) => rest = &rest[open + 4 + close + 3..],
            None => return true,
        }
    }
    false
}

/// For a line that opens a raw-text HTML block (`<pre>`, `<script>`, `<style>`,
/// `<textarea>`), the closing tag that ends it.
fn raw_html_close(content: &str) -> Option<&'static str> {
    if !content.starts_with('<') {
        return None;
    }
    let head: String = content
        .chars()
        .take(10)
        .collect::<String>()
        .to_ascii_lowercase();
    [
        ("<pre", "</pre>"),
        ("<script", "</script>"),
        ("<style", "</style>"),
        ("<textarea", "</textarea>"),
    ]
    .into_iter()
    .find(|(open, _)| head.starts_with(open))
    .map(|(_, close)| close)
}

/// `#` to `######` in column 0 followed by a space, a tab or the line end.
fn is_atx_heading(line: &str) -> bool {
    let hashes = line.bytes().take_while(|&b| b == b'#').count();
    (1..=6).contains(&hashes)
        && matches!(
            line.as_bytes().get(hashes),
            None | Some(b' ' | b'\t' | b'\r' | b'\n')
        )
}

/// Reference definitions anywhere in the body, by normalised label (the first wins), found
/// textually for pages parsed in pieces.
fn scan_definitions(text: &str, from: usize) -> HashMap<String, String> {
    static DEFINITION: OnceLock<Regex> = OnceLock::new();
    let definition = DEFINITION.get_or_init(|| {
        Regex::new(r"(?m)^ {0,3}\[((?:[^\]\\\n]|\\.)+)\]:[ \t]*<?([^\s>]+)").expect("valid regex")
    });
    let mut found = HashMap::new();
    for caps in definition.captures_iter(&text[from..]) {
        found
            .entry(normalize_label(&caps[1]))
            .or_insert_with(|| caps[2].to_string());
    }
    found
}

impl<'t> Builder<'t> {
    fn new(text: &'t str, base: usize) -> Self {
        Builder {
            text,
            base,
            headings: Vec::new(),
            explicit_anchors: Vec::new(),
            code_blocks: Vec::new(),
            code_spans: Vec::new(),
            links: Vec::new(),
            link_definitions: Vec::new(),
            undefined_references: Vec::new(),
            tables: Vec::new(),
            blocks: Vec::new(),
            used_labels: Vec::new(),
            definitions: Vec::new(),
            broken: Vec::new(),
        }
    }

    /// Walks the text from the builder's base to `end`; `elsewhere` holds the reference
    /// definitions of the other pieces of a page parsed in pieces.
    fn walk(&mut self, end: usize, elsewhere: Option<&HashMap<String, String>>) {
        let body = &self.text[self.base..end];
        let base = self.base;
        let broken: RefCell<Vec<(Range<usize>, String)>> = RefCell::new(Vec::new());
        let callback = |link: BrokenLink<'_>| {
            if let Some(dest) =
                elsewhere.and_then(|defs| defs.get(&normalize_label(&link.reference)))
            {
                return Some((dest.clone().into(), "".into()));
            }
            if matches!(link.link_type, LinkType::Reference | LinkType::Collapsed) {
                broken.borrow_mut().push((
                    base + link.span.start..base + link.span.end,
                    link.reference.to_string(),
                ));
            }
            None
        };
        let mut iter = Parser::new_with_broken_link_callback(body, options(), Some(callback))
            .into_offset_iter();

        let mut depth = 0usize;
        let mut heading: Option<Heading> = None;
        let mut code: Option<(Range<usize>, String, Option<Range<usize>>)> = None;
        let mut table: Option<Table> = None;
        let mut row: Option<Row> = None;
        let mut link_stack: Vec<usize> = Vec::new();

        for (event, range) in iter.by_ref() {
            let span = base + range.start..base + range.end;
            match event {
                Event::Start(tag) => {
                    if depth == 0 {
                        self.open_block(&tag, &span);
                    }
                    depth += 1;
                    match tag {
                        Tag::Heading { level, id, .. } => {
                            heading =
                                Some(Heading::new(level as u8, span, id.map(|i| i.to_string())));
                        }
                        Tag::CodeBlock(CodeBlockKind::Fenced(info)) => {
                            code = Some((span, info.trim().to_string(), None));
                        }
                        Tag::Table(_) => {
                            table = Some(Table {
                                span: span.clone(),
                                header: Row {
                                    span: span.clone(),
                                    cells: Vec::new(),
                                    written_cells: 0,
                                },
                                rows: Vec::new(),
                                heading: self.headings.len().checked_sub(1),
                                delimiter_mismatch: None,
                            });
                        }
                        Tag::TableHead | Tag::TableRow => {
                            let written_cells = count_cells(&self.text[span.clone()]);
                            row = Some(Row {
                                written_cells,
                                span,
                                cells: Vec::with_capacity(written_cells),
                            });
                        }
                        Tag::TableCell => {
                            if let Some(row) = row.as_mut() {
                                let raw = &self.text[span.clone()];
                                let trimmed = raw.trim().trim_matches('|').trim();
                                // `trimmed` is a sub-slice of `raw`: its offset is pointer arithmetic.
                                let start = span.start
                                    + (trimmed.as_ptr() as usize - raw.as_ptr() as usize);
                                row.cells.push(Cell {
                                    span: start..start + trimmed.len(),
                                });
                            }
                        }
                        Tag::Link {
                            link_type,
                            dest_url,
                            id,
                            ..
                        }
                        | Tag::Image {
                            link_type,
                            dest_url,
                            id,
                            ..
                        } => {
                            let image = self.text[span.clone()].starts_with('!');
                            if let (Some(heading), Some(tab_id)) =
                                (heading.as_mut(), dest_url.strip_prefix("#tab/"))
                            {
                                heading.tab = Some(tab_id.to_string());
                            }
                            let kind = match link_type {
                                LinkType::Inline => LinkKind::Inline,
                                LinkType::Reference | LinkType::ReferenceUnknown => {
                                    LinkKind::Reference
                                }
                                LinkType::Collapsed | LinkType::CollapsedUnknown => {
                                    LinkKind::Collapsed
                                }
                                LinkType::Shortcut | LinkType::ShortcutUnknown => {
                                    LinkKind::Shortcut
                                }
                                LinkType::Autolink => LinkKind::Autolink,
                                LinkType::Email => LinkKind::Email,
                                LinkType::WikiLink { .. } => LinkKind::Inline,
                            };
                            if kind.is_reference() {
                                self.used_labels.push(normalize_label(&id));
                            }
                            link_stack.push(self.links.len());
                            self.links.push(Link {
                                kind,
                                image,
                                dest: dest_url.to_string(),
                                span,
                                definition: None,
                            });
                        }
                        _ => {}
                    }
                }
                Event::End(tag_end) => {
                    depth = depth.saturating_sub(1);
                    match tag_end {
                        TagEnd::Heading(_) => {
                            if let Some(mut done) = heading.take() {
                                let end = done.text.trim_end().len();
                                done.text.truncate(end);
                                let leading = done.text.len() - done.text.trim_start().len();
                                done.text.drain(..leading);
                                done.span = trim_span(self.text, done.span);
                                self.headings.push(done);
                            }
                        }
                        TagEnd::CodeBlock => {
                            if let Some((span, info, content)) = code.take() {
                                self.push_code_block(span, info, content);
                            }
                        }
                        TagEnd::TableHead => {
                            if let (Some(table), Some(row)) = (table.as_mut(), row.take()) {
                                table.header = row;
                            }
                        }
                        TagEnd::TableRow => {
                            if let (Some(table), Some(row)) = (table.as_mut(), row.take()) {
                                table.rows.push(row);
                            }
                        }
                        TagEnd::Table => {
                            if let Some(mut table) = table.take() {
                                table.rows.shrink_to_fit();
                                self.tables.push(table);
                            }
                        }
                        TagEnd::Link | TagEnd::Image => {
                            link_stack.pop();
                        }
                        _ => {}
                    }
                }
                Event::Text(t) => {
                    if let Some(heading) = heading.as_mut() {
                        heading.text.push_str(&t);
                    }
                    if let Some((_, _, content)) = code.as_mut() {
                        *content = Some(match content.take() {
                            Some(c) => c.start..span.end,
                            None => span.clone(),
                        });
                    }
                }
                Event::Code(t) => {
                    self.code_spans.push(span.clone());
                    if let Some(heading) = heading.as_mut() {
                        heading.text.push_str(&t);
                    }
                }
                Event::Html(html) | Event::InlineHtml(html) => self.collect_html(&html, span.start),
                Event::SoftBreak | Event::HardBreak => {
                    if let Some(heading) = heading.as_mut() {
                        heading.text.push(' ');
                    }
                }
                Event::Rule if depth == 0 => self.blocks.push(Block {
                    kind: BlockKind::Rule,
                    span,
                }),
                _ => {}
            }
        }

        for (label, def) in iter.reference_definitions().iter() {
            self.definitions.push((
                label.to_string(),
                def.dest.to_string(),
                trim_span(self.text, base + def.span.start..base + def.span.end),
            ));
        }
        self.broken = broken.into_inner();
    }

    /// Appends what a later piece of the page found.
    fn append(&mut self, mut later: Builder<'t>) {
        let headings = self.headings.len();
        for block in &mut later.blocks {
            if let BlockKind::Heading(i) = &mut block.kind {
                *i += headings;
            }
        }
        for table in &mut later.tables {
            table.heading = match table.heading {
                Some(i) => Some(i + headings),
                None => headings.checked_sub(1),
            };
        }
        self.headings.append(&mut later.headings);
        self.explicit_anchors.append(&mut later.explicit_anchors);
        self.code_blocks.append(&mut later.code_blocks);
        self.code_spans.append(&mut later.code_spans);
        self.links.append(&mut later.links);
        self.tables.append(&mut later.tables);
        self.blocks.append(&mut later.blocks);
        self.used_labels.append(&mut later.used_labels);
        self.definitions.append(&mut later.definitions);
        self.broken.append(&mut later.broken);
    }

    /// Completes the model once the whole body is walked.
    fn finish(&mut self) {
        let mut definitions = std::mem::take(&mut self.definitions);
        definitions.sort_by_key(|(_, _, span)| span.start);
        // The first definition of a label wins, also across pieces.
        let mut defined: HashMap<String, usize> = HashMap::new();
        self.link_definitions = definitions
            .into_iter()
            .filter_map(|(label, dest, span)| {
                let normalized = normalize_label(&label);
                let index = defined.len();
                let std::collections::hash_map::Entry::Vacant(entry) = defined.entry(normalized)
                else {
                    return None;
                };
                entry.insert(index);
                Some(LinkDefinition {
                    used: false,
                    label,
                    dest,
                    span,
                })
            })
            .collect();
        // Reference links, in order, are those whose labels `used_labels` holds; a definition
        // is used when one of them names it.
        let references = self.links.iter_mut().filter(|l| l.kind.is_reference());
        for (link, label) in references.zip(&self.used_labels) {
            link.definition = defined.get(label).copied();
            if let Some(i) = link.definition {
                self.link_definitions[i].used = true;
            }
        }
        let mut broken = std::mem::take(&mut self.broken);
        broken.sort_by_key(|(span, _)| span.start);
        broken.dedup_by_key(|(span, _)| span.start);
        self.undefined_references = broken
            .into_iter()
            .map(|(span, label)| UndefinedReference { label, span })
            .collect();
        self.find_misaligned_tables();
    }

    fn open_block(&mut self, tag: &Tag<'_>, span: &Range<usize>) {
        let kind = match tag {
            Tag::Heading { .. } => BlockKind::Heading(self.headings.len()),
            Tag::Paragraph => BlockKind::Paragraph,
            Tag::List(_) => BlockKind::List,
            Tag::Table(_) => BlockKind::Table,
            Tag::CodeBlock(_) => BlockKind::CodeBlock,
            Tag::BlockQuote(_) => BlockKind::BlockQuote,
            Tag::HtmlBlock => {
                self.open_html_block(span);
                return;
            }
            _ => BlockKind::Other,
        };
        self.blocks.push(Block {
            kind,
            span: span.clone(),
        });
    }

    /// An HTML block (or inline HTML at the top level): comment-only blocks are not content.
    fn open_html_block(&mut self, span: &Range<usize>) {
        let html = self.text[span.clone()].trim();
        let kind = if is_comment_only(html) {
            BlockKind::Comment
        } else {
            BlockKind::Html
        };
        match self.blocks.last_mut() {
            Some(last)
                if last.span.end >= span.start
                    && matches!(last.kind, BlockKind::Comment | BlockKind::Html) =>
            {
                last.span.end = last.span.end.max(span.end);
                if kind == BlockKind::Html {
                    last.kind = BlockKind::Html;
                }
            }
            _ => self.blocks.push(Block {
                kind,
                span: span.clone(),
            }),
        }
    }

    fn collect_html(&mut self, html: &str, offset: usize) {
        static ANCHOR: OnceLock<Regex> = OnceLock::new();
        static HREF: OnceLock<Regex> = OnceLock::new();
        // Only `<a …>`, `<img …>` and their kin carry anchors and links.
        let bytes = html.as_bytes();
        let has = |needle: &[u8]| memchr::memmem::find(bytes, needle).is_some();
        if !html.contains('=')
            || !(has(b"<a") || has(b"<A") || has(b"href") || has(b"src") || has(b"SRC"))
        {
            return;
        }
        let without_comments = blank_comments(html);
        let anchor = ANCHOR.get_or_init(|| {
            Regex::new(r#"(?i)<a\s[^>]*?\b(?:name|id)\s*=\s*["']([^"']+)["']"#)
                .expect("valid regex")
        });
        for caps in anchor.captures_iter(&without_comments) {
            let m = caps.get(1).expect("group 1");
            self.explicit_anchors.push(ExplicitAnchor {
                id: m.as_str().to_string(),
                span: offset + m.start()..offset + m.end(),
            });
        }
        let href = HREF.get_or_init(|| {
            Regex::new(r#"(?i)<(?:a|img|link|script|source|iframe)\s[^>]*?\b(?:href|src)\s*=\s*["']([^"']*)["']"#)
                .expect("valid regex")
        });
        for caps in href.captures_iter(&without_comments) {
            let m = caps.get(1).expect("group 1");
            self.links.push(Link {
                kind: LinkKind::Html,
                image: caps
                    .get(0)
                    .is_some_and(|all| all.as_str()[1..].to_ascii_lowercase().starts_with("img")),
                dest: m.as_str().to_string(),
                span: offset + m.start()..offset + m.end(),
                definition: None,
            });
        }
    }

    fn push_code_block(&mut self, span: Range<usize>, info: String, content: Option<Range<usize>>) {
        let span = trim_span(self.text, span);
        let block_text = &self.text[span.clone()];
        let first_line_len = block_text.find('\n').unwrap_or(block_text.len());
        let fence_line = span.start..span.start + block_text[..first_line_len].trim_end().len();
        let fence = block_text.trim_start();
        let fence_char = fence.chars().next().unwrap_or('`');
        let fence_len = fence.chars().take_while(|&c| c == fence_char).count();
        let closed = first_line_len < block_text.len() && {
            let last = block_text.lines().last().unwrap_or("").trim();
            last.len() >= fence_len && last.chars().all(|c| c == fence_char)
        };
        let content_start = (span.start + first_line_len + 1).min(span.end);
        let content = content.unwrap_or(content_start..content_start);
        let language = info.split_whitespace().next().unwrap_or("").to_string();
        self.code_blocks.push(CodeBlock {
            span,
            fence_line,
            info,
            language,
            content,
            closed,
            annotation: None,
        });
    }

    /// Paragraphs that look like a table whose delimiter row has a different number of cells
    /// than the header are not rendered as tables; record them so rules can say why.
    fn find_misaligned_tables(&mut self) {
        static DELIMITER: OnceLock<Regex> = OnceLock::new();
        let delimiter = DELIMITER.get_or_init(|| {
            Regex::new(r"^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$").expect("valid regex")
        });
        let paragraphs: Vec<Range<usize>> = self
            .blocks
            .iter()
            .filter(|b| b.kind == BlockKind::Paragraph)
            .map(|b| b.span.clone())
            .collect();
        for span in paragraphs {
            let text = &self.text[span.clone()];
            let mut lines = text.lines();
            let (Some(header), Some(delim)) = (lines.next(), lines.next()) else {
                continue;
            };
            if !header.contains('|') || !delimiter.is_match(delim) || !delim.contains('|') {
                continue;
            }
            let header_cells = count_cells(header);
            let delimiter_cells = count_cells(delim);
            if header_cells == delimiter_cells {
                continue;
            }
            let header_span = span.start..span.start + header.len();
            let mut offset = span.start + header.len() + 1 + delim.len() + 1;
            let rows = lines
                .map(|line| {
                    let row = Row {
                        span: offset..offset + line.len(),
                        cells: Vec::new(),
                        written_cells: count_cells(line),
                    };
                    offset += line.len() + 1;
                    row
                })
                .collect();
            self.tables.push(Table {
                span: span.clone(),
                header: Row {
                    span: header_span,
                    cells: Vec::new(),
                    written_cells: header_cells,
                },
                rows,
                heading: self
                    .headings
                    .iter()
                    .rposition(|h| h.span.start < span.start),
                delimiter_mismatch: Some(delimiter_cells),
            });
        }
        self.tables.sort_by_key(|t| t.span.start);
    }
}

/// Lower-cased with inner whitespace collapsed, as CommonMark matches labels.
fn normalize_label(label: &str) -> String {
    let mut out = String::with_capacity(label.len());
    for word in label.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    if out.is_ascii() {
        out.make_ascii_lowercase();
        out
    } else {
        out.to_lowercase()
    }
}

/// A span with trailing line breaks and spaces removed.
fn trim_span(text: &str, span: Range<usize>) -> Range<usize> {
    let slice = &text[span.clone()];
    span.start..span.start + slice.trim_end().len()
}

/// The number of cells GFM sees on a table row: split at pipes not escaped with `\`,
/// ignoring a leading and a trailing pipe.
pub(crate) fn count_cells(line: &str) -> usize {
    written_cells(line).count()
}

/// The cells written on a table row, untrimmed: the text between pipes not escaped with `\`,
/// without a leading and a trailing pipe.
pub(crate) fn written_cells(line: &str) -> impl Iterator<Item = &str> {
    let line = line.trim();
    let inner = line.strip_prefix('|').unwrap_or(line);
    // A trailing pipe ends the row unless a backslash escapes it (`\\|` is an escaped
    // backslash, then the pipe).
    let inner = match inner.strip_suffix('|') {
        Some(rest) if rest.bytes().rev().take_while(|&b| b == b'\\').count() % 2 == 0 => rest,
        _ => inner,
    };
    let mut rest = Some(inner);
    std::iter::from_fn(move || {
        let text = rest?;
        let mut escaped = false;
        for (i, b) in text.bytes().enumerate() {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'|' => {
                    rest = Some(&text[i + 1..]);
                    return Some(&text[..i]);
                }
                _ => {}
            }
        }
        rest = None;
        Some(text)
    })
}

fn is_comment_only(html: &str) -> bool {
    let mut rest = html.trim();
    while let Some(after) = rest.strip_prefix("<!--") {
        match after.find("-->") {
            Some(end) => rest = after[end + 3..].trim(),
            None => return true,
        }
    }
    rest.is_empty()
}

/// `html` with every comment replaced by spaces (offsets kept).
fn blank_comments(html: &str) -> std::borrow::Cow<'_, str> {
    if !html.contains("<!--") {
        return std::borrow::Cow::Borrowed(html);
    }
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find("<!--") {
        out.push_str(&rest[..start]);
        let end = rest[start..]
            .find("-->")
            .map_or(rest.len(), |e| start + e + 3);
        out.extend(std::iter::repeat_n(' ', rest[start..end].len()));
        rest = &rest[end..];
    }
    out.push_str(rest);
    std::borrow::Cow::Owned(out)
}

/// HTML comments outside fenced code and code spans, found textually so that comments split
/// across several HTML events (or never closed) come out whole.
fn find_comments(
    text: &str,
    from: usize,
    code_blocks: &[CodeBlock],
    code_spans: &[Range<usize>],
) -> Vec<Comment> {
    let inside = |offset: usize| {
        within(code_blocks, offset, |b| &b.span) || within(code_spans, offset, |s| s)
    };
    let mut comments = Vec::new();
    let finder = memchr::memmem::Finder::new(b"<!--");
    let close = memchr::memmem::Finder::new(b"-->");
    let mut offset = from;
    while let Some(found) = finder.find(&text.as_bytes()[offset..]) {
        let start = offset + found;
        if inside(start) {
            offset = start + 4;
            continue;
        }
        let inner_start = start + 4;
        let (inner_end, end, closed) = match close.find(&text.as_bytes()[inner_start..]) {
            Some(i) => (inner_start + i, inner_start + i + 3, true),
            None => (text.len(), text.len(), false),
        };
        comments.push(Comment {
            span: start..end,
            inner: inner_start..inner_end,
            closed,
        });
        offset = end;
    }
    comments
}

/// Binds each code-block annotation to the fenced block right after it (only whitespace between).
fn bind_annotations(text: &str, annotations: &mut [Annotation], code_blocks: &mut [CodeBlock]) {
    for (i, annotation) in annotations.iter_mut().enumerate() {
        if annotation.is_page || !annotation.closed {
            continue;
        }
        let next = code_blocks.partition_point(|b| b.span.start < annotation.span.end);
        let Some(block) = code_blocks.get_mut(next) else {
            continue;
        };
        let gap = &text[annotation.span.end..block.span.start];
        if gap.chars().all(char::is_whitespace) && block.annotation.is_none() {
            block.annotation = Some(i);
            annotation.code_block = Some(next);
        }
    }
}

/// `[!INCLUDE [label](path)]` directives outside code blocks, code spans and comments.
fn find_includes(
    text: &str,
    from: usize,
    code_blocks: &[CodeBlock],
    code_spans: &[Range<usize>],
    comments: &[Comment],
) -> (Vec<Include>, Vec<MalformedInclude>) {
    static INCLUDE: OnceLock<Regex> = OnceLock::new();
    let include = INCLUDE.get_or_init(|| {
        Regex::new(
            r#"(?i)^\[!INCLUDE\s*\[([^\]\n]*)\]\(\s*<?([^)\s>]*)>?(?:\s+"[^"]*")?\s*\)\s*\]"#,
        )
        .expect("valid regex")
    });
    let inside = |offset: usize| {
        within(code_blocks, offset, |b| &b.span)
            || within(code_spans, offset, |s| s)
            || within(comments, offset, |c| &c.span)
    };
    let mut includes = Vec::new();
    let mut malformed = Vec::new();
    let lower = text.as_bytes();
    let finder = memchr::memmem::Finder::new(b"[!");
    let mut offset = from;
    while let Some(found) = finder.find(&lower[offset..]) {
        let start = offset + found;
        offset = start + 2;
        let rest = &text[start..];
        if rest.len() < 10
            || !rest.as_bytes()[2..9].eq_ignore_ascii_case(b"include")
            || inside(start)
        {
            continue;
        }
        // A directive is short and never spans a blank line: matching on at most the rest of
        // the paragraph, and 4 KB, keeps each match short however long the page is.
        let mut end = memchr::memmem::find(rest.as_bytes(), b"\n\n").unwrap_or(rest.len());
        end = end.min(4096);
        while !rest.is_char_boundary(end) {
            end -= 1;
        }
        // Find the match with the fast engine first: capturing on the whole slice would make
        // the capture engine set up state for all of it.
        let matched = include.find(&rest[..end]).map(|m| m.end());
        match matched.and_then(|m| include.captures(&rest[..m])) {
            Some(caps) => {
                let all = caps.get(0).expect("group 0");
                let target = caps.get(2).expect("group 2");
                includes.push(Include {
                    span: start..start + all.end(),
                    label: caps[1].trim().to_string(),
                    target: target.as_str().to_string(),
                    target_span: start + target.start()..start + target.end(),
                });
                offset = start + all.end();
            }
            None => {
                let line_end = rest.find('\n').unwrap_or(rest.len());
                malformed.push(MalformedInclude {
                    span: start..start + rest[..line_end].trim_end().len(),
                });
            }
        }
    }
    (includes, malformed)
}

/// Whether `offset` lies in one of `items`, whose spans are sorted and do not overlap.
fn within<T>(items: &[T], offset: usize, span: impl Fn(&T) -> &Range<usize>) -> bool {
    let after = items.partition_point(|item| span(item).start <= offset);
    after > 0 && offset < span(&items[after - 1]).end
}

/// Paragraphs that consist only of include directives are recorded as such.
fn classify_include_paragraphs(
    mut blocks: Vec<Block>,
    includes: &[Include],
    text: &str,
) -> Vec<Block> {
    for block in blocks.iter_mut().filter(|b| b.kind == BlockKind::Paragraph) {
        // Includes are sorted: look only at those that start inside the block.
        let first = includes.partition_point(|i| i.span.start < block.span.start);
        if includes
            .get(first)
            .is_none_or(|i| i.span.start >= block.span.end)
        {
            continue;
        }
        let inside = includes[first..]
            .iter()
            .take_while(|i| i.span.start < block.span.end)
            .filter(|i| i.span.end <= block.span.end);
        let mut rest = text[block.span.clone()].to_string();
        let mut any = false;
        for include in inside {
            let local = include.span.start - block.span.start..include.span.end - block.span.start;
            rest.replace_range(local.clone(), &" ".repeat(local.len()));
            any = true;
        }
        if any && rest.trim().is_empty() {
            block.kind = BlockKind::IncludeParagraph;
        }
    }
    blocks
}

#[cfg(test)]
mod tests {
    use super::*;

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

    /// Cuts every page under `root` at every heading where a cut is allowed and compares the
    /// model with that of the whole page; returns how many pages were cut.
    fn check_cuts_under(root: &std::path::Path) -> usize {
        let (files, _) = crate::walk::files_under(root, 1);
        let mut cut_pages = 0;
        let mut failures = Vec::new();
        for file in files.iter().filter(|f| crate::walk::is_page(f)) {
            let Ok(text) = std::fs::read_to_string(file) else {
                continue;
            };
            let body = match front_matter::parse(&text) {
                Some(fm) if fm.error.is_none() => fm.span.end,
                _ => 0,
            };
            if pieces(&text, body, 1).len() == 1 {
                continue;
            }
            cut_pages += 1;
            let (cut, whole) = (
                model(&build(&text, body, 1)),
                model(&build(&text, body, usize::MAX / 4)),
            );
            if cut != whole {
                let line = cut.lines().zip(whole.lines()).position(|(a, b)| a != b);
                let at = |m: &str| {
                    line.and_then(|l| m.lines().nth(l))
                        .unwrap_or("")
                        .to_string()
                };
                failures.push(format!("{}: {} ≠ {}", file.display(), at(&cut), at(&whole)));
            }
        }
        assert!(
            failures.is_empty(),
            "{} pages parse differently in pieces:\n{}",
            failures.len(),
            failures.join("\n")
        );
        cut_pages
    }

    #[test]
    fn every_testdata_page_parses_the_same_in_pieces() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        assert!(check_cuts_under(&root.join("testdata")) > 20);
    }

    #[test]
    fn every_corpus_page_parses_the_same_in_pieces() {
        let corpora = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpora");
        if !corpora.is_dir() {
            assert!(
                std::env::var("CI").map_or(true, |v| v != "true"),
                "CI=true but {} is missing",
                corpora.display()
            );
            eprintln!("skipped: {} is missing", corpora.display());
            return;
        }
        let cut = check_cuts_under(&corpora);
        assert!(cut > 2_000, "only {cut} corpus pages have a place to cut");
    }
}
