//! Between doclint's terms and the protocol's: byte offsets and LSP positions (in the code
//! units the client and the server agreed on, UTF-16 unless the client offers another), paths
//! and `file:` URIs, diagnostics and their LSP form.

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use lsp_types::{
    CodeDescription, DiagnosticRelatedInformation, DiagnosticSeverity, NumberOrString, Position,
    PositionEncodingKind, Uri,
};

use crate::diagnostic::{Diagnostic, Location, Severity};
use crate::rule_docs::rule_url;

/// What the character of an LSP position counts (`positionEncoding`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Encoding {
    /// Bytes of UTF-8.
    Utf8,
    /// UTF-16 code units: what every client understands.
    #[default]
    Utf16,
    /// Characters (Unicode scalar values).
    Utf32,
}

impl Encoding {
    /// The first of the encodings a client offers (in its order of preference) that the
    /// server knows; UTF-16 when it offers none of them.
    pub fn negotiate(offered: Option<&[PositionEncodingKind]>) -> Encoding {
        offered
            .unwrap_or_default()
            .iter()
            .find_map(|kind| match kind.as_str() {
                "utf-8" => Some(Encoding::Utf8),
                "utf-16" => Some(Encoding::Utf16),
                "utf-32" => Some(Encoding::Utf32),
                _ => None,
            })
            .unwrap_or_default()
    }

    /// The encoding's name in the protocol.
    pub fn kind(self) -> PositionEncodingKind {
        match self {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
            Encoding::Utf32 => PositionEncodingKind::UTF32,
        }
    }

    /// How many units a character counts for.
    fn units(self, c: char) -> usize {
        match self {
            Encoding::Utf8 => c.len_utf8(),
            Encoding::Utf16 => c.len_utf16(),
            Encoding::Utf32 => 1,
        }
    }
}

/// A text with its line starts, to turn byte offsets into LSP positions and back.
///
/// The offsets are those of the parsed page, whose text lacks the byte-order mark an editor's
/// buffer may start with; the positions are the buffer's.
pub struct Lines<'t> {
    text: &'t str,
    starts: Vec<usize>,
    /// The length of the buffer's byte-order mark (0 or 3).
    bom: usize,
    encoding: Encoding,
}

impl<'t> Lines<'t> {
    /// Indexes the lines of `text` (a line ends at `\n`; a `\r` before it belongs to it), for
    /// positions that count characters in `encoding`.
    pub fn new(text: &'t str, encoding: Encoding) -> Self {
        let starts = std::iter::once(0)
            .chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1))
            .collect();
        let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
        Lines {
            text,
            starts,
            bom,
            encoding,
        }
    }

    /// The position of byte `offset` (clamped to the text, moved back to a character start).
    pub fn position(&self, offset: usize) -> Position {
        let mut offset = (offset + self.bom).min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let character = self.text[self.starts[line]..offset]
            .chars()
            .map(|c| self.encoding.units(c))
            .sum::<usize>();
        Position::new(saturating(line), saturating(character))
    }

    /// The LSP range of a byte range.
    pub fn range(&self, span: &Range<usize>) -> lsp_types::Range {
        lsp_types::Range::new(self.position(span.start), self.position(span.end))
    }

    /// The byte offset of a position: a character past the end of its line is the end of the
    /// line (before its line break), a line past the end is the end of the text.
    pub fn offset(&self, position: Position) -> usize {
        self.buffer_offset(position).saturating_sub(self.bom)
    }

    /// The byte offset of a position in the buffer (byte-order mark included).
    pub fn buffer_offset(&self, position: Position) -> usize {
        let Some(&start) = self.starts.get(position.line as usize) else {
            return self.text.len();
        };
        let end = self
            .starts
            .get(position.line as usize + 1)
            .map_or(self.text.len(), |&next| next - 1);
        let line = &self.text[start..end];
        let line = line.strip_suffix('\r').unwrap_or(line);
        let mut units = 0usize;
        for (i, c) in line.char_indices() {
            if units >= position.character as usize {
                return start + i;
            }
            units += self.encoding.units(c);
        }
        start + line.len()
    }

    /// The position of a 1-based line and column (in characters) as doclint reports them.
    pub fn reported_position(&self, line: u32, column: u32) -> Position {
        let line = (line.max(1) - 1) as usize;
        let Some(&start) = self.starts.get(line) else {
            return self.position(self.text.len());
        };
        let rest = &self.text[start..];
        let offset = rest
            .char_indices()
            .nth((column.max(1) - 1) as usize)
            .map_or(rest.len(), |(i, _)| i);
        self.position(start + offset)
    }
}

fn saturating(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The `file:` URI of a path (made absolute against the working directory).
pub fn uri_of(path: &Path) -> Option<Uri> {
    let absolute = std::path::absolute(path).ok()?;
    let url = url::Url::from_file_path(absolute).ok()?;
    Uri::from_str(url.as_str()).ok()
}

/// The path a `file:` URI names (`None` for other schemes).
pub fn path_of(uri: &Uri) -> Option<PathBuf> {
    url::Url::parse(uri.as_str()).ok()?.to_file_path().ok()
}

/// The LSP severity of a doclint severity.
pub fn severity(severity: Severity) -> DiagnosticSeverity {
    match severity {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
    }
}

/// Where to find the text of other files, for the positions of related locations.
pub trait Texts {
    /// The text of the file reported as `path`, when known.
    fn text_of(&self, path: &str) -> Option<&str>;
}

/// A doclint diagnostic of the page whose text `lines` holds as an LSP diagnostic: the rule id
/// as its code, the rule's documentation as its code description, the help after the message,
/// the related locations with their positions.
pub fn diagnostic(d: &Diagnostic, lines: &Lines<'_>, texts: &dyn Texts) -> lsp_types::Diagnostic {
    let range = if d.file.is_some() {
        lines.range(&d.span)
    } else {
        let start = lines.reported_position(d.location.line, d.location.column);
        lsp_types::Range::new(start, start)
    };
    let mut message = d.message.clone();
    if let Some(help) = &d.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    let related: Vec<DiagnosticRelatedInformation> = d
        .related
        .iter()
        .filter_map(|r| {
            Some(DiagnosticRelatedInformation {
                location: location(&r.location, texts, lines.encoding)?,
                message: r.message.clone(),
            })
        })
        .collect();
    lsp_types::Diagnostic {
        range,
        severity: Some(severity(d.severity)),
        code: Some(NumberOrString::String(d.rule.id().to_string())),
        code_description: Uri::from_str(&rule_url(d.rule.id()))
            .ok()
            .map(|href| CodeDescription { href }),
        source: Some("doclint".into()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        tags: None,
        data: None,
    }
}

/// An LSP location of a reported location; its columns are characters, turned into the
/// units of `encoding` when the file's text is known.
pub fn location(
    at: &Location,
    texts: &dyn Texts,
    encoding: Encoding,
) -> Option<lsp_types::Location> {
    let uri = uri_of(Path::new(&at.path))?;
    let range = match texts.text_of(&at.path) {
        Some(text) => {
            let lines = Lines::new(text, encoding);
            lsp_types::Range::new(
                lines.reported_position(at.line, at.column),
                lines.reported_position(at.end_line, at.end_column),
            )
        }
        None => lsp_types::Range::new(
            Position::new(at.line.saturating_sub(1), at.column.saturating_sub(1)),
            Position::new(
                at.end_line.saturating_sub(1),
                at.end_column.saturating_sub(1),
            ),
        ),
    };
    Some(lsp_types::Location { uri, range })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_utf16_units_and_round_trip() {
        let text = "a\r\nü😀x\nlast";
        let lines = Lines::new(text, Encoding::Utf16);
        let x = text.find('x').unwrap();
        assert_eq!(lines.position(x), Position::new(1, 3));
        assert_eq!(lines.offset(Position::new(1, 3)), x);
        // Past the end of a line: its end, before the line break.
        assert_eq!(lines.offset(Position::new(0, 9)), 1);
        assert_eq!(lines.offset(Position::new(9, 0)), text.len());
        assert_eq!(lines.reported_position(2, 3), Position::new(1, 3));
        // Offsets of the page lack the buffer's byte-order mark.
        let lines = Lines::new("\u{feff}# T", Encoding::Utf16);
        assert_eq!(lines.position(2), Position::new(0, 3));
        assert_eq!(lines.offset(Position::new(0, 3)), 2);
    }

    #[test]
    fn positions_count_the_negotiated_units() {
        let text = "é 😀 中x\n";
        let x = text.find('x').unwrap();
        for (encoding, column) in [
            (Encoding::Utf8, 11),
            (Encoding::Utf16, 6),
            (Encoding::Utf32, 5),
        ] {
            let lines = Lines::new(text, encoding);
            assert_eq!(lines.position(x), Position::new(0, column), "{encoding:?}");
            assert_eq!(lines.offset(Position::new(0, column)), x, "{encoding:?}");
            assert_eq!(lines.reported_position(1, 6), Position::new(0, column));
        }
        let offered = |names: &[&'static str]| -> Vec<PositionEncodingKind> {
            names.iter().map(|n| PositionEncodingKind::new(n)).collect()
        };
        assert_eq!(Encoding::negotiate(None), Encoding::Utf16);
        assert_eq!(
            Encoding::negotiate(Some(&offered(&["utf-8", "utf-16"]))),
            Encoding::Utf8
        );
        assert_eq!(
            Encoding::negotiate(Some(&offered(&["x-unknown", "utf-32"]))),
            Encoding::Utf32
        );
        assert_eq!(
            Encoding::negotiate(Some(&offered(&["x-unknown"]))),
            Encoding::Utf16
        );
    }

    #[test]
    fn paths_and_uris_round_trip() {
        let path = std::env::temp_dir().join("a dir").join("ü.md");
        let uri = uri_of(&path).unwrap();
        assert!(uri.as_str().starts_with("file:///"), "{}", uri.as_str());
        assert_eq!(path_of(&uri).unwrap(), path);
    }
}
