//! Diagnostics: what rules find, and what reporters print.

use std::ops::Range;
use std::path::PathBuf;

use serde::ser::{SerializeStruct, Serializer};
use serde::Serialize;

use crate::fix::{Applicability, Fix, TextEdit};
use crate::rule::Rule;
pub use crate::severity::{Level, Severity};
use crate::source::LineIndex;

/// Where a diagnostic (or a place related to it) is: a file and a range of positions in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Location {
    /// Path of the file, as reported (relative to the working directory, `/` separators).
    pub path: String,
    /// 1-based start line.
    pub line: u32,
    /// 1-based start column (characters).
    pub column: u32,
    /// 1-based end line.
    pub end_line: u32,
    /// 1-based end column (characters, exclusive).
    pub end_column: u32,
}

/// Where a span of a page is, without the page's path: a [`Location`] worked out while the
/// page's text is at hand, for a related location that another page's check reports once that
/// text may be gone (16 bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SpanPos {
    /// 1-based start line.
    pub line: u32,
    /// 1-based start column (characters).
    pub column: u32,
    /// 1-based end line.
    pub end_line: u32,
    /// 1-based end column (characters, exclusive).
    pub end_column: u32,
}

impl SpanPos {
    /// The location in the page whose reported path is `path`.
    pub fn location(self, path: &str) -> Location {
        Location {
            path: path.to_string(),
            line: self.line,
            column: self.column,
            end_line: self.end_line,
            end_column: self.end_column,
        }
    }

    /// A related location in the page whose reported path is `path`.
    pub fn related(self, path: &str, message: impl Into<String>) -> Related {
        Related {
            location: self.location(path),
            message: message.into(),
        }
    }
}

/// A place in another file (or elsewhere in the same file) that a diagnostic refers to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Related {
    /// Where it is (written out as the related entry's own fields).
    pub location: Location,
    /// What this place is.
    pub message: String,
}

/// What a rule reports: a rule id, a byte span in the checked document, and a message.
///
/// The pipeline turns findings into [`Diagnostic`]s: it resolves the severity from the
/// configuration, the positions from the document's line index, and the fingerprint.
#[derive(Debug, Clone)]
pub struct Finding {
    /// The rule.
    pub rule: Rule,
    /// Byte range in the document's text.
    pub span: Range<usize>,
    /// What is wrong, lower-case, quoting the offending text.
    pub message: String,
    /// What would be right (did-you-mean), if known.
    pub help: Option<String>,
    /// Other places involved.
    pub related: Vec<Related>,
    /// A cap on the configured severity, for findings of a rule that are less serious than
    /// the rule's others (e.g. DL207 on a raw line break is only informational).
    pub max_severity: Option<Severity>,
    /// Edits of the page that repair what the finding reports, if the rule knows them.
    pub fix: Option<Fix>,
}

impl Finding {
    /// A finding without help or related locations.
    pub fn new(rule: Rule, span: Range<usize>, message: impl Into<String>) -> Self {
        Finding {
            rule,
            span,
            message: message.into(),
            help: None,
            related: Vec::new(),
            max_severity: None,
            fix: None,
        }
    }

    /// Adds a help line.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Adds a related location.
    pub fn with_related(mut self, related: Related) -> Self {
        self.related.push(related);
        self
    }

    /// Caps the severity the finding is reported at.
    pub fn with_max_severity(mut self, severity: Severity) -> Self {
        self.max_severity = Some(severity);
        self
    }

    /// Attaches a fix.
    pub fn with_fix(mut self, fix: Fix) -> Self {
        self.fix = Some(fix);
        self
    }

    /// A finding of `violation` at `span`: its rule, its message and its help.
    pub(crate) fn of<V: Violation>(violation: &V, span: Range<usize>) -> Self {
        Finding {
            help: violation.help(),
            ..Finding::new(V::RULE, span, violation.message())
        }
    }
}

/// An edit of a fix as reported: where it applies (1-based, columns in characters, the end
/// exclusive) and the text that replaces that range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    /// The range it replaces (written out as the edit's own fields).
    pub location: Location,
    /// The replacement text (empty: a deletion).
    pub new_text: String,
    /// The byte range in the file's text (after a byte-order mark); not part of the JSON.
    pub span: Range<usize>,
}

impl Edit {
    /// The edit as a byte-range edit of the file's text.
    pub fn text_edit(&self) -> TextEdit {
        TextEdit::replace(self.span.clone(), self.new_text.clone())
    }
}

/// A fix as reported: its edits placed in the file.
pub type ReportedFix = Fix<Edit>;

impl ReportedFix {
    /// Whether a run with or without `--unsafe-fixes` applies this fix.
    pub fn applies(&self, unsafe_fixes: bool) -> bool {
        unsafe_fixes || self.applicability == Applicability::Safe
    }
}

/// One kind of finding of one rule, owning its wording.
///
/// A report site finds the facts (names, lines, what the block is annotated as) and builds the
/// violation from them; the violation says what is wrong and what would be right. So every
/// finding of a kind reads alike wherever it is reported, and the wording of a rule can be
/// read, and changed, in one place.
pub(crate) trait Violation {
    /// The rule the violation is a finding of.
    const RULE: Rule;

    /// What is wrong: lower-case, quoting the offending text.
    fn message(&self) -> String;

    /// What would be right, if it can be said.
    fn help(&self) -> Option<String>;
}

/// A checked file's text, for placing findings in it.
pub(crate) struct CheckedText<'a> {
    /// The path as reported.
    pub display: &'a str,
    /// The text.
    pub text: &'a str,
    /// Its line index.
    pub lines: &'a LineIndex,
}

impl CheckedText<'_> {
    /// Where a span of the text is, as reported.
    pub fn location(&self, span: &Range<usize>) -> Location {
        self.span_pos(span).location(self.display)
    }

    /// Where a span of the text is, without the path.
    pub fn span_pos(&self, span: &Range<usize>) -> SpanPos {
        let start = self.lines.position(self.text, span.start);
        let end = self.lines.position(self.text, span.end.max(span.start));
        SpanPos {
            line: start.line,
            column: start.column,
            end_line: end.line,
            end_column: end.column,
        }
    }

    /// A finding (without a fix) in the text, as the diagnostic of report source `file`.
    pub fn diagnostic(&self, file: usize, finding: Finding, severity: Severity) -> Diagnostic {
        let severity = finding
            .max_severity
            .map_or(severity, |cap| severity.min(cap));
        let location = self.location(&finding.span);
        let line_text = self
            .lines
            .line_text(self.text, (location.line - 1) as usize);
        Diagnostic {
            rule: finding.rule,
            severity,
            fingerprint: fingerprint(finding.rule.id(), self.display, line_text, &finding.message),
            location,
            message: finding.message,
            help: finding.help,
            related: finding.related,
            source: None,
            fix: None,
            span: finding.span,
            file: Some(file),
        }
    }
}

/// A diagnostic as reported: what the output formats print. Its rule's name and ApiDoctor code
/// are read from the rule ([`Diagnostic::name`], [`Diagnostic::apidoctor`]), and a fix is boxed:
/// a large run holds tens of thousands of diagnostics, most without one.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    /// The rule (written out as its id, e.g. `DL401`).
    pub rule: Rule,
    /// Effective severity.
    pub severity: Severity,
    /// Where it is (written out as the diagnostic's own fields).
    pub location: Location,
    /// What is wrong.
    pub message: String,
    /// What would be right, if known.
    pub help: Option<String>,
    /// Other places involved.
    pub related: Vec<Related>,
    /// Edits that repair the finding, if the rule knows them.
    pub fix: Option<Box<ReportedFix>>,
    /// Stable identity for baselines: rule, path and the normalised text of the line.
    pub fingerprint: String,
    /// Byte range in the file (for source snippets); not part of the JSON output.
    pub span: Range<usize>,
    /// Index of the file in the report's sources (`None` for a file that could not be read or
    /// parsed); not part of the JSON output.
    pub file: Option<usize>,
    /// The file as found on disk, for diagnostics with a fix (where the fix is written); not
    /// part of the JSON output.
    pub source: Option<PathBuf>,
}

impl Diagnostic {
    /// Rule name, e.g. `link-target-missing`.
    pub fn name(&self) -> &'static str {
        self.rule.name()
    }

    /// The ApiDoctor error code this corresponds to, if any: the rule's, but none for a file
    /// that could not be read or parsed (one with no report source), which ApiDoctor does not
    /// report as the rule's code.
    pub fn apidoctor(&self) -> Option<&'static str> {
        self.file.and(self.rule.apidoctor())
    }

    /// The order of a report: path, line, column, rule, then message.
    pub fn sort_key(&self) -> (&str, u32, u32, &str, &str) {
        (
            &self.location.path,
            self.location.line,
            self.location.column,
            self.rule.id(),
            &self.message,
        )
    }
}

// The structures that hold a `Location` write its fields as their own. Written out by hand
// rather than with `#[serde(flatten)]`, which makes serde write the structure as a map of
// unknown length through an extra layer per field; the JSON is the same, and cheaper to make.

impl Location {
    /// Writes the location's fields into the structure being serialized.
    fn serialize_fields<S: SerializeStruct>(&self, fields: &mut S) -> Result<(), S::Error> {
        fields.serialize_field("path", &self.path)?;
        fields.serialize_field("line", &self.line)?;
        fields.serialize_field("column", &self.column)?;
        fields.serialize_field("end_line", &self.end_line)?;
        fields.serialize_field("end_column", &self.end_column)
    }
}

impl Serialize for Diagnostic {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut fields = serializer.serialize_struct("Diagnostic", 14)?;
        fields.serialize_field("rule", &self.rule)?;
        fields.serialize_field("name", self.name())?;
        fields.serialize_field("severity", &self.severity)?;
        self.location.serialize_fields(&mut fields)?;
        fields.serialize_field("message", &self.message)?;
        fields.serialize_field("help", &self.help)?;
        fields.serialize_field("apidoctor", &self.apidoctor())?;
        fields.serialize_field("related", &self.related)?;
        fields.serialize_field("fix", &self.fix)?;
        fields.serialize_field("fingerprint", &self.fingerprint)?;
        fields.end()
    }
}

impl Serialize for Related {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut fields = serializer.serialize_struct("Related", 6)?;
        self.location.serialize_fields(&mut fields)?;
        fields.serialize_field("message", &self.message)?;
        fields.end()
    }
}

impl Serialize for Edit {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut fields = serializer.serialize_struct("Edit", 6)?;
        self.location.serialize_fields(&mut fields)?;
        fields.serialize_field("new_text", &self.new_text)?;
        fields.end()
    }
}

/// A stable 64-bit FNV-1a hash of a sequence of parts, each ended by a zero byte
/// (fingerprints must not change between runs, platforms or Rust versions, so the std hasher
/// is not an option).
struct StableHash(u64);

impl StableHash {
    fn new() -> Self {
        StableHash(0xcbf2_9ce4_8422_2325)
    }

    /// Hashes bytes.
    fn bytes(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 ^= u64::from(byte);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }

    /// Hashes one part: its bytes, then a zero byte.
    fn part(&mut self, bytes: &[u8]) {
        self.bytes(bytes);
        self.bytes(&[0]);
    }

    /// The hash as 16 hex digits.
    fn hex(&self) -> String {
        format!("{:016x}", self.0)
    }
}

/// How much of a line (whitespace collapsed) a fingerprint covers: enough to tell lines
/// apart, and a bound on the work for diagnostics on a line a megabyte long.
const FINGERPRINT_LINE: usize = 1024;

/// The words of `text` as [`str::split_whitespace`] cuts them (at Unicode white space), with a
/// byte test for ASCII text instead of decoding every character.
fn words(text: &str) -> impl Iterator<Item = &[u8]> {
    let bytes = text.as_bytes();
    let mut at = 0;
    std::iter::from_fn(move || {
        let mut start = None;
        while at < bytes.len() {
            let (space, len) = match bytes[at] {
                byte @ 0..=0x7f => (matches!(byte, b'\t'..=b'\r' | b' '), 1),
                _ => {
                    let c = text[at..].chars().next()?;
                    (c.is_whitespace(), c.len_utf8())
                }
            };
            match (space, start) {
                (true, Some(word_start)) => return Some(&bytes[word_start..at]),
                (false, None) => start = Some(at),
                _ => {}
            }
            at += len;
        }
        start.map(|word_start| &bytes[word_start..])
    })
}

/// The fingerprint of a diagnostic: rule, path and the line's text with whitespace collapsed
/// (its first kilobyte), so it survives the line moving up or down and re-indentation.
pub fn fingerprint(rule: &str, path: &str, line_text: &str, message: &str) -> String {
    let mut hash = StableHash::new();
    hash.part(rule.as_bytes());
    hash.part(path.as_bytes());
    // The words of the line joined by single spaces, cut after FINGERPRINT_LINE bytes.
    let mut taken = 0;
    for (i, word) in words(line_text).enumerate() {
        if i > 0 {
            if taken == FINGERPRINT_LINE {
                break;
            }
            hash.bytes(b" ");
            taken += 1;
        }
        let word = &word[..word.len().min(FINGERPRINT_LINE - taken)];
        hash.bytes(word);
        taken += word.len();
        if taken == FINGERPRINT_LINE {
            break;
        }
    }
    hash.bytes(&[0]);
    hash.part(message.as_bytes());
    hash.hex()
}

#[cfg(test)]
mod tests {
    use super::words;

    #[test]
    fn words_are_those_split_whitespace_gives() {
        for text in [
            "",
            "  ",
            "| a | b |",
            "\tone\x0btwo\x0cthree\r\nfour",
            "non\u{a0}breaking and\u{2003}em\u{85}next",
            "é à\u{3000}ü  ",
            "\u{1f600}x\u{200b}y",
        ] {
            let expected: Vec<&[u8]> = text.split_whitespace().map(str::as_bytes).collect();
            assert_eq!(words(text).collect::<Vec<_>>(), expected, "{text:?}");
        }
    }
}
