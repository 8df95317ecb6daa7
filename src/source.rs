//! Byte offsets to 1-based line and column numbers.
//!
//! Every parsed item keeps a byte range into its file's text; the line index turns such a range
//! into the positions users see. Columns count characters, not bytes, as editors do.

use std::ops::Range;

use crate::memory::exact_box;

/// The start offset of every line of one text, built once per file.
#[derive(Debug, Clone, Default)]
pub struct LineIndex {
    /// Offsets as `u32`, half the memory of `usize`: positions are `u32` anyway, and offsets
    /// past 4 GiB (no real page) saturate instead of wrapping. A boxed slice, sized exactly:
    /// the index lives as long as its page.
    starts: Box<[u32]>,
    /// For text that is not all ASCII: how many UTF-8 continuation bytes (bytes inside a
    /// character) come before each block of [`BLOCK`] bytes, so that a column is counted from
    /// the nearest block, not from the start of a line that may be a megabyte long.
    continuations: Box<[u32]>,
}

/// The line starts of a [`LineIndex`] packed for a while its text is let go (see
/// `Document::drop_text`): each line's length in one byte, or for a line of 255 bytes or more,
/// 255 and the length in four bytes; about a quarter of the starts, packed and unpacked in one
/// pass. The default packs no starts.
#[derive(Debug, Clone, Default)]
pub struct PackedStarts(Box<[u8]>);

/// The length byte of [`PackedStarts`] that says four bytes of length follow.
const LONG_LINE: u8 = u8::MAX;

/// The block size of [`LineIndex::continuations`].
const BLOCK: usize = 4096;

/// A count as a `u32` line or column number (a file of four billion lines or more stops
/// counting there).
pub fn saturating_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// A 1-based line and column (columns in characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Position {
    /// 1-based line number.
    pub line: u32,
    /// 1-based column, counted in characters.
    pub column: u32,
}

impl LineIndex {
    /// Indexes the line starts of `text` (`\n` ends a line; a `\r` before it belongs to the line).
    pub fn new(text: &str) -> Self {
        let mut starts = Vec::with_capacity(text.len() / 40 + 1);
        starts.push(0);
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| narrow(i + 1)));
        let mut continuations = Vec::new();
        if !text.is_ascii() {
            let mut before = 0;
            continuations.reserve(text.len() / BLOCK + 1);
            for block in text.as_bytes().chunks(BLOCK) {
                continuations.push(narrow(before));
                before += count_continuations(block);
            }
            continuations.push(narrow(before));
        }
        LineIndex {
            starts: exact_box(starts),
            continuations: exact_box(continuations),
        }
    }

    /// Takes the line starts out packed (see [`PackedStarts`]), leaving the index empty until
    /// [`LineIndex::unpack_starts`] puts them back.
    pub fn pack_starts(&mut self) -> PackedStarts {
        let mut lengths = Vec::with_capacity(self.starts.len());
        let mut before = 0;
        for &start in self.starts.iter() {
            let length = start.saturating_sub(before);
            before = start;
            match u8::try_from(length) {
                Ok(short) if short != LONG_LINE => lengths.push(short),
                _ => {
                    lengths.push(LONG_LINE);
                    lengths.extend(length.to_le_bytes());
                }
            }
        }
        self.starts = Box::default();
        PackedStarts(exact_box(lengths))
    }

    /// Puts back line starts taken out by [`LineIndex::pack_starts`].
    pub fn unpack_starts(&mut self, packed: &PackedStarts) {
        let mut starts = Vec::with_capacity(packed.0.len());
        let mut bytes = packed.0.iter();
        let mut at = 0u32;
        while let Some(&length) = bytes.next() {
            let length = if length == LONG_LINE {
                let mut long = [0; 4];
                for (byte, &packed) in long.iter_mut().zip(bytes.by_ref()) {
                    *byte = packed;
                }
                u32::from_le_bytes(long)
            } else {
                u32::from(length)
            };
            at = at.saturating_add(length);
            starts.push(at);
        }
        self.starts = exact_box(starts);
    }

    /// Whether this indexes no text (the default): a text, even an empty one, has a first line.
    pub fn is_empty(&self) -> bool {
        self.starts.is_empty()
    }

    /// How many characters `text[..offset]` holds (`offset` on a character boundary).
    fn chars_before(&self, text: &str, offset: usize) -> usize {
        if self.continuations.is_empty() {
            return offset;
        }
        let block = offset / BLOCK;
        let before = self.continuations[block] as usize
            + count_continuations(&text.as_bytes()[block * BLOCK..offset]);
        offset - before
    }

    /// The 0-based line that holds `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        match self.starts.binary_search(&narrow(offset)) {
            Ok(i) => i,
            Err(i) => i - 1,
        }
    }

    /// The byte range of 0-based `line`, without its line terminator.
    pub fn line_range(&self, text: &str, line: usize) -> Range<usize> {
        let start = self
            .starts
            .get(line)
            .map_or(text.len(), |&s| s as usize)
            .min(text.len());
        let mut end = self
            .starts
            .get(line + 1)
            .map_or(text.len(), |&s| s as usize)
            .min(text.len());
        let bytes = text.as_bytes();
        if end > start && bytes[end - 1] == b'\n' {
            end -= 1;
        }
        if end > start && bytes[end - 1] == b'\r' {
            end -= 1;
        }
        start..end
    }

    /// The text of 0-based `line`, without its line terminator.
    pub fn line_text<'t>(&self, text: &'t str, line: usize) -> &'t str {
        &text[self.line_range(text, line)]
    }

    /// The 1-based position of `offset` in `text`; offsets inside a character or past the end are
    /// clamped to the nearest boundary before it.
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line = self.line_of(offset);
        let start = (self.starts[line] as usize).min(offset);
        let column = if offset - start <= BLOCK {
            text[start..offset].chars().count() + 1
        } else {
            self.chars_before(text, offset) - self.chars_before(text, start) + 1
        };
        Position {
            line: saturating_u32(line + 1),
            column: saturating_u32(column),
        }
    }
}

/// How many bytes of `bytes` continue a UTF-8 character rather than start one.
fn count_continuations(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| b & 0xC0 == 0x80).count()
}

/// The largest char boundary of `text` at or before `offset`.
pub fn floor_char_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// An offset as stored in the line index.
fn narrow(offset: usize) -> u32 {
    u32::try_from(offset).unwrap_or(u32::MAX)
}

/// A byte range stored as two `u32`s, half the memory of a `Range<usize>`: for the items a page
/// has hundreds of (table cells, blocks). Offsets past 4 GiB (no real page: a page read from
/// disk is at most `files::PAGE_LIMIT`) saturate instead of wrapping.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Span {
    start: u32,
    end: u32,
}

impl Span {
    /// The span of `range`.
    pub fn new(range: Range<usize>) -> Span {
        Span {
            start: narrow(range.start),
            end: narrow(range.end),
        }
    }

    /// The span as a range of byte offsets.
    pub fn range(self) -> Range<usize> {
        self.start as usize..self.end as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A span gives back the range it was made from, and saturates past 4 GiB.
    #[test]
    fn spans_keep_their_range_and_saturate() {
        assert_eq!(Span::new(3..17).range(), 3..17);
        assert_eq!(Span::default().range(), 0..0);
        let max = u32::MAX as usize;
        assert_eq!(Span::new(max - 1..max + 10).range(), max - 1..max);
    }

    /// A packed index unpacks to the index it was: short lines, lines of 254, 255 and more
    /// bytes, non-ASCII text, no text and the default.
    #[test]
    fn a_packed_line_index_unpacks_to_itself() {
        let texts = [
            String::new(),
            "\n\n".to_string(),
            "ab\néx\r\nz".to_string(),
            format!(
                "{}\n{}\n{}\n{}",
                "a".repeat(254),
                "b".repeat(255),
                "é".repeat(70_000),
                "c"
            ),
        ];
        for text in &texts {
            let index = LineIndex::new(text);
            let mut packed = index.clone();
            let starts = packed.pack_starts();
            assert!(packed.is_empty());
            packed.unpack_starts(&starts);
            assert_eq!(format!("{packed:?}"), format!("{index:?}"));
        }
        let mut default = LineIndex::default();
        let starts = default.pack_starts();
        default.unpack_starts(&starts);
        assert!(default.is_empty());
    }

    #[test]
    fn positions_count_characters_and_lines() {
        let text = "ab\néx\r\nz";
        let index = LineIndex::new(text);
        assert_eq!(index.position(text, 0), Position { line: 1, column: 1 });
        assert_eq!(index.position(text, 3), Position { line: 2, column: 1 });
        assert_eq!(index.position(text, 5), Position { line: 2, column: 2 });
        assert_eq!(index.position(text, 4), Position { line: 2, column: 1 });
        assert_eq!(index.line_text(text, 1), "éx");
        assert_eq!(index.position(text, 100), Position { line: 3, column: 2 });
    }

    #[test]
    fn columns_on_very_long_lines_count_characters() {
        for unit in ["a", "é", "a€b", "😀 x"] {
            let text = format!("first\n{}\nlast", unit.repeat(5000));
            let index = LineIndex::new(&text);
            let line_start = 6;
            for offset in (line_start..text.len())
                .filter(|&o| text.is_char_boundary(o))
                .step_by(97)
            {
                let expected = saturating_u32(text[line_start..offset].chars().count() + 1);
                let found = index.position(&text, offset);
                assert_eq!(
                    found.line,
                    if offset < text.len() - 4 { 2 } else { 3 },
                    "{unit} {offset}"
                );
                if found.line == 2 {
                    assert_eq!(found.column, expected, "{unit} at {offset}");
                }
            }
        }
    }
}
