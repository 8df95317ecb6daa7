//! The walk over pulldown-cmark's events that collects headings, code, links, tables and
//! blocks.

use foldhash::{HashMap, HashMapExt};
use std::cell::RefCell;
use std::ops::Range;
use std::sync::OnceLock;

use pulldown_cmark::{BrokenLink, CodeBlockKind, Event, LinkType, Options, Parser, Tag, TagEnd};
use regex::Regex;

use super::comments::{blank_comments, is_comment_only};
use super::pieces::pieces;
use super::references::{normalize_label, scan_definitions};
use crate::document::headings::{ExplicitAnchor, Heading};
use crate::document::model::*;
use crate::memory::{exact, exact_box};
use crate::source::saturating_u32;

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_GFM
        | Options::ENABLE_FOOTNOTES
}

/// State of the single walk over pulldown-cmark's events.
pub(super) struct Builder<'t> {
    text: &'t str,
    base: usize,
    pub(super) headings: Vec<Heading>,
    pub(super) explicit_anchors: Vec<ExplicitAnchor>,
    pub(super) code_blocks: Vec<CodeBlock>,
    pub(super) code_spans: Vec<Range<usize>>,
    pub(super) links: Vec<Link>,
    pub(super) link_definitions: Vec<LinkDefinition>,
    pub(super) undefined_references: Vec<UndefinedReference>,
    pub(super) tables: Vec<Table>,
    pub(super) blocks: Vec<Block>,
    /// Normalised labels of the reference links, one for each in `links` order.
    used_labels: Vec<String>,
    /// Reference definitions as pulldown-cmark found them: label, destination, span.
    definitions: Vec<(String, String, Range<usize>)>,
    /// Full and collapsed references without a definition.
    broken: Vec<(Range<usize>, String)>,
}

/// Pages longer than this are parsed in pieces of about this size (see [`pieces`]).
pub(super) const PIECE: usize = 1 << 18;

/// Walks the page body from `body_start`: in one piece, or for a very large page in pieces
/// parsed in parallel and joined, so that memory stays proportional to a piece, not the page.
pub(super) fn build(text: &str, body_start: usize, piece: usize) -> Builder<'_> {
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
        // The text of the open heading, in a buffer reused for every heading of the page.
        let mut heading_text = String::new();
        let mut code: Option<OpenFence> = None;
        let mut table: Option<Table> = None;
        let mut row: Option<Row> = None;
        // The cells of `row`, boxed into it at its end.
        let mut cells: Vec<Cell> = Vec::new();
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
                            heading_text.clear();
                            heading = Some(Heading::new(
                                level as u8,
                                span,
                                id.map(|i| i.as_ref().into()),
                            ));
                        }
                        Tag::CodeBlock(CodeBlockKind::Fenced(info)) => {
                            code = Some((span, language(&info), None));
                        }
                        Tag::Table(_) => {
                            table = Some(Table::new(
                                span.clone(),
                                Row::new(span.clone(), Box::default(), 0),
                                self.headings.len().checked_sub(1),
                                None,
                            ));
                        }
                        Tag::TableHead | Tag::TableRow => {
                            let written_cells = count_cells(&self.text[span.clone()]);
                            row = Some(Row::new(span, Box::default(), written_cells));
                            cells = Vec::with_capacity(written_cells);
                        }
                        Tag::TableCell if row.is_some() => {
                            let raw = &self.text[span.clone()];
                            let trimmed = trim_cell(raw);
                            // `trimmed` is a sub-slice of `raw`: its offset is pointer arithmetic.
                            let start =
                                span.start + (trimmed.as_ptr() as usize - raw.as_ptr() as usize);
                            cells.push(Cell::new(start..start + trimmed.len()));
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
                                heading.set_tab(Some(tab_id.into()));
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
                            self.links.push(Link::new(kind, image, &dest_url, span));
                        }
                        _ => {}
                    }
                }
                Event::End(tag_end) => {
                    depth = depth.saturating_sub(1);
                    match tag_end {
                        TagEnd::Heading(_) => {
                            if let Some(mut done) = heading.take() {
                                done.text = heading_text.trim().into();
                                heading_text.clear();
                                done.set_span(trim_span(self.text, done.span()));
                                self.headings.push(done);
                            }
                        }
                        TagEnd::CodeBlock => {
                            if let Some((span, language, content)) = code.take() {
                                self.push_code_block(span, language, content);
                            }
                        }
                        TagEnd::TableHead => {
                            if let (Some(table), Some(mut row)) = (table.as_mut(), row.take()) {
                                row.cells = exact_box(std::mem::take(&mut cells));
                                table.header = row;
                            }
                        }
                        TagEnd::TableRow => {
                            if let (Some(table), Some(mut row)) = (table.as_mut(), row.take()) {
                                row.cells = exact_box(std::mem::take(&mut cells));
                                table.rows.push(row);
                            }
                        }
                        TagEnd::Table => {
                            if let Some(mut table) = table.take() {
                                table.rows = exact(std::mem::take(&mut table.rows));
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
                    if heading.is_some() {
                        heading_text.push_str(&t);
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
                    if heading.is_some() {
                        heading_text.push_str(&t);
                    }
                }
                Event::Html(html) | Event::InlineHtml(html) => self.collect_html(&html, span.start),
                Event::SoftBreak | Event::HardBreak if heading.is_some() => heading_text.push(' '),
                Event::Rule if depth == 0 => self.blocks.push(Block::new(BlockKind::Rule, span)),
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
                *i = i.saturating_add(saturating_u32(headings));
            }
        }
        for table in &mut later.tables {
            table.set_heading(match table.heading() {
                Some(i) => Some(i + headings),
                None => headings.checked_sub(1),
            });
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
            link.set_definition(defined.get(label).copied());
            if let Some(i) = link.definition() {
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
            Tag::Heading { .. } => BlockKind::Heading(saturating_u32(self.headings.len())),
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
        self.blocks.push(Block::new(kind, span.clone()));
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
                if last.span().end >= span.start
                    && matches!(last.kind, BlockKind::Comment | BlockKind::Html) =>
            {
                let joined = last.span().start..last.span().end.max(span.end);
                let kind = if kind == BlockKind::Html {
                    BlockKind::Html
                } else {
                    last.kind
                };
                *last = Block::new(kind, joined);
            }
            _ => self.blocks.push(Block::new(kind, span.clone())),
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
            self.links.push(Link::new(
                LinkKind::Html,
                caps.get(0)
                    .is_some_and(|all| all.as_str()[1..].to_ascii_lowercase().starts_with("img")),
                m.as_str(),
                offset + m.start()..offset + m.end(),
            ));
        }
    }

    fn push_code_block(
        &mut self,
        span: Range<usize>,
        language: Box<str>,
        content: Option<Range<usize>>,
    ) {
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
        self.code_blocks
            .push(CodeBlock::new(span, fence_line, language, content, closed));
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
            .map(|b| b.span())
            .collect();
        for span in paragraphs {
            let text = &self.text[span.clone()];
            // Most paragraphs hold no pipe, so no header row: skipped without splitting lines.
            if memchr::memchr(b'|', text.as_bytes()).is_none() {
                continue;
            }
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
                    let row = Row::new(
                        offset..offset + line.len(),
                        Box::default(),
                        count_cells(line),
                    );
                    offset += line.len() + 1;
                    row
                })
                .collect();
            let heading = self
                .headings
                .iter()
                .rposition(|h| h.span().start < span.start);
            let mut table = Table::new(
                span.clone(),
                Row::new(header_span, Box::default(), header_cells),
                heading,
                Some(delimiter_cells),
            );
            table.rows = rows;
            self.tables.push(table);
        }
        self.tables.sort_by_key(|t| t.span().start);
    }
}

/// A table cell's text without the spaces and pipes around it, as
/// `raw.trim().trim_matches('|').trim()` gives it: by bytes while its ends are ASCII (a page
/// has many cells, and `trim` decodes characters); the general way when an end is not ASCII,
/// which may be Unicode whitespace.
fn trim_cell(raw: &str) -> &str {
    let bytes = raw.as_bytes();
    let is_space: fn(u8) -> bool = |b| matches!(b, b'\t'..=b'\r' | b' ');
    let is_pipe: fn(u8) -> bool = |b| b == b'|';
    let (mut start, mut end) = (0, bytes.len());
    for strip in [is_space, is_pipe, is_space] {
        let from = start;
        while start < end && strip(bytes[start]) {
            start += 1;
        }
        if start == end {
            // All of it stripped: as `trim` does, the empty text where this step began.
            return &raw[from..from];
        }
        while strip(bytes[end - 1]) {
            end -= 1;
        }
        if !bytes[start].is_ascii() || !bytes[end - 1].is_ascii() {
            return raw.trim().trim_matches('|').trim();
        }
    }
    // `start` and `end` border ASCII bytes: both are character boundaries.
    &raw[start..end]
}

/// A fenced code block being read: its span, its language and its content once known.
type OpenFence = (Range<usize>, Box<str>, Option<Range<usize>>);

/// The language of a fence: the first word of its info string, as written.
fn language(info: &str) -> Box<str> {
    info.split_whitespace().next().unwrap_or("").into()
}

/// A span with trailing line breaks and spaces removed.
fn trim_span(text: &str, span: Range<usize>) -> Range<usize> {
    let slice = &text[span.clone()];
    span.start..span.start + slice.trim_end().len()
}

#[cfg(test)]
mod tests {
    use super::trim_cell;

    #[test]
    fn cells_are_trimmed_as_trim_and_trim_matches_trim_them() {
        for raw in [
            "",
            " ",
            " \t ",
            "|",
            "||",
            " | | ",
            "  |||  ",
            " a ",
            "| a |",
            " |\tb c\x0b| ",
            "\u{a0}a\u{a0}",
            " \u{2003}| x |\u{85}",
            "é",
            " |é| ",
            "a|b",
            "\r\n| \u{3000} |",
        ] {
            let expected = raw.trim().trim_matches('|').trim();
            let ours = trim_cell(raw);
            // The same text at the same place: a cell's span starts where it does.
            let at = |cell: &str| (cell.as_ptr() as usize - raw.as_ptr() as usize, cell.len());
            assert_eq!(ours, expected, "{raw:?}");
            assert_eq!(at(ours), at(expected), "{raw:?}");
        }
    }
}
