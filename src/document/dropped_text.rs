//! A page's text let go between its parse and its checks, and read again for them.
//!
//! A checked page that no other page reads needs its text while it is parsed and while its
//! own checks run, not in between, when every page of the doc set is in memory. The parse
//! worker drops such a text ([`Document::drop_text`]), keeping its length and a hash, and
//! the checks read the file again just before they run ([`Document::read_text_again`]). A file
//! changed in between is caught by the length and hash: the page is then reported as a file
//! that cannot be read, never checked against a model of another text. The line index waits
//! packed, at about a quarter of its size.

use std::hash::BuildHasher;

use super::Document;
use crate::source::{LineIndex, PackedStarts};

/// What a page keeps of a text it let go: the length and hash of the text, to tell whether a
/// file read again still holds it (the length as a `u32`: a page is at most 256 MiB), and the
/// line starts packed (none when the page let go of its line index too).
#[derive(Debug, Clone)]
pub struct DroppedText {
    len: u32,
    hash: u64,
    starts: PackedStarts,
}

impl DroppedText {
    fn of(text: &str, starts: PackedStarts) -> DroppedText {
        DroppedText {
            len: crate::source::saturating_u32(text.len()),
            hash: foldhash::quality::FixedState::with_seed(0).hash_one(text.as_bytes()),
            starts,
        }
    }

    /// Whether `text` is the text let go (by length and hash).
    fn is(&self, text: &str) -> bool {
        let again = DroppedText::of(text, PackedStarts::default());
        (again.len, again.hash) == (self.len, self.hash)
    }
}

impl Document {
    /// Lets go of the text, keeping its stamp and its line starts packed: the model stays, and
    /// [`Document::read_text_again`] reads the text back from the file. Making the line index
    /// again from the text read back cost Graph about 100 M instructions (1.3%); packed, the
    /// starts take a byte a line instead of four, and unpacking them is a sum a line.
    pub fn drop_text(&mut self) {
        let starts = self.lines.pack_starts();
        self.dropped = Some(DroppedText::of(&self.text, starts));
        self.text = String::new();
    }

    /// [`Document::drop_text`] for a page the run does not check: its line index goes too, as
    /// only the page's own checks read it (positions in it that other pages' checks report were
    /// worked out with the page's contribution to the index). Put back, the text brings it back
    /// (for an include target, which the pages that include it read).
    pub fn drop_text_and_lines(&mut self) {
        self.lines = LineIndex::default();
        self.dropped = Some(DroppedText::of(&self.text, PackedStarts::default()));
        self.text = String::new();
    }

    /// Whether the text was dropped and not put back since.
    pub fn text_dropped(&self) -> bool {
        self.dropped.is_some()
    }

    /// The dropped text, read from the file again (as the parse read it: UTF-8, a leading BOM
    /// removed); `Ok(None)` when the text was not dropped. The error says why the file cannot
    /// be read, or that it changed since it was parsed.
    pub fn read_text_again(
        &self,
        folders: &mut crate::files::Folders,
    ) -> Result<Option<String>, String> {
        let Some(dropped) = &self.dropped else {
            return Ok(None);
        };
        let changed = || "it changed while doclint was running".to_string();
        let bytes = folders
            .read(&self.path(), crate::files::PAGE_LIMIT)
            .map_err(|error| error.why())?;
        let mut text = String::from_utf8(bytes).map_err(|_| changed())?;
        super::remove_bom(&mut text);
        if dropped.is(&text) {
            Ok(Some(text))
        } else {
            Err(changed())
        }
    }

    /// Puts back a text read by [`Document::read_text_again`], and its line index: unpacked,
    /// or made again when the page let go of it too.
    pub fn put_text_back(&mut self, text: String) {
        if let Some(dropped) = self.dropped.take() {
            self.lines.unpack_starts(&dropped.starts);
        }
        if self.lines.is_empty() {
            self.lines = LineIndex::new(&text);
        }
        self.text = text;
    }
}

#[cfg(test)]
mod tests {
    use crate::document::PagePaths;
    use std::path::PathBuf;

    use super::*;
    use crate::files::Folders;

    /// A page `a.md` written with `text` in a new temporary folder (which lives as long as the
    /// returned guard), and the page parsed from it.
    fn page(text: impl AsRef<[u8]>) -> (tempfile::TempDir, PathBuf, Document) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.md");
        std::fs::write(&path, text).unwrap();
        let parsed = std::fs::read_to_string(&path).unwrap();
        let doc = Document::parse_at(
            PagePaths::new(path.clone(), "a.md".into(), "a.md"),
            parsed,
            false,
        );
        (dir, path, doc)
    }

    /// The text read again is the parsed one (BOM removed), and the page holds it again.
    #[test]
    fn a_dropped_text_is_read_back_as_parsed() {
        let (_dir, _, mut doc) = page("\u{feff}# Title\n\nText.\n");
        assert_eq!(doc.read_text_again(&mut Folders::default()), Ok(None));
        let text = doc.text.clone();
        let lines = format!("{:?}", doc.lines);
        doc.drop_text();
        assert!(doc.text.is_empty() && doc.text_dropped() && doc.lines.is_empty());
        let again = doc
            .read_text_again(&mut Folders::default())
            .unwrap()
            .unwrap();
        assert_eq!(again, text);
        doc.put_text_back(again);
        assert!(!doc.text_dropped());
        assert_eq!(format!("{:?}", doc.lines), lines);
        assert_eq!(doc.text, "# Title\n\nText.\n");
        assert_eq!(doc.position(9).line, 3);
    }

    /// A text dropped with its line index brings the index back with it.
    #[test]
    fn a_text_dropped_with_its_lines_brings_them_back() {
        let (_dir, _, mut doc) = page("# Title\n\nText.\n");
        let lines = doc.lines.clone();
        doc.drop_text_and_lines();
        assert!(doc.text.is_empty() && doc.lines.is_empty() && doc.text_dropped());
        let again = doc
            .read_text_again(&mut Folders::default())
            .unwrap()
            .unwrap();
        doc.put_text_back(again);
        assert_eq!(format!("{:?}", doc.lines), format!("{lines:?}"));
        assert_eq!(doc.position(9).line, 3);
    }

    /// A file changed (even to a text of the same length), made invalid UTF-8 or removed
    /// after the parse is an error, not a text.
    #[test]
    fn a_file_changed_since_the_parse_is_an_error() {
        let (_dir, path, mut doc) = page("# Title\n");
        doc.drop_text();
        let changed = Err("it changed while doclint was running".to_string());
        std::fs::write(&path, "# Tutle\n").unwrap();
        assert_eq!(doc.read_text_again(&mut Folders::default()), changed);
        std::fs::write(&path, b"# Titl\xff\n").unwrap();
        assert_eq!(doc.read_text_again(&mut Folders::default()), changed);
        std::fs::remove_file(&path).unwrap();
        assert_eq!(
            doc.read_text_again(&mut Folders::default()),
            Err("it no longer exists".to_string())
        );
    }
}
