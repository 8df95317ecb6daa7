//! YAML front matter: the `---` block at the top of a page, its keys and their positions.

use foldhash::HashSet;
use std::ops::Range;

use crate::memory::exact_box;
use crate::source::Span;

/// The value of a front-matter key, reduced to what rules need.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum FrontMatterValue<'f> {
    /// No value, `~` or `null`.
    Null,
    /// A string (plain, quoted or block scalar).
    String(&'f str),
    /// A boolean, number or other scalar, as written.
    Scalar(&'f str),
    /// A sequence or mapping.
    Collection,
}

impl<'f> FrontMatterValue<'f> {
    /// Whether the value is missing or an empty or blank string.
    pub fn is_empty(&self) -> bool {
        match self {
            FrontMatterValue::Null => true,
            FrontMatterValue::String(s) => s.trim().is_empty(),
            _ => false,
        }
    }

    /// The value as text, for scalars.
    pub fn as_text(&self) -> Option<&'f str> {
        match *self {
            FrontMatterValue::String(s) | FrontMatterValue::Scalar(s) => Some(s),
            _ => None,
        }
    }
}

/// What a value is, its text kept apart (see [`FrontMatterValue`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Null,
    String,
    Scalar,
    Collection,
}

/// One top-level key of the front matter. Its key and value texts are in the front matter's
/// one string of them ([`FrontMatter::key`], [`FrontMatter::value`]): every page keeps its
/// front matter, and a string of its own for each would be two allocations a key. Its
/// offsets are `u32`s (a page is at most 4 GiB): 36 bytes an entry.
#[derive(Debug, Clone)]
pub struct FrontMatterEntry {
    /// The key as written (unquoted), in the front matter's strings.
    key: Span,
    /// See [`FrontMatterEntry::key_span`].
    key_span: Span,
    /// See [`FrontMatterEntry::value_span`].
    value_span: Span,
    /// What the parsed value is.
    kind: Kind,
    /// The text of a string or scalar value, in the front matter's strings.
    value: Span,
}

impl FrontMatterEntry {
    /// Where the key is.
    pub fn key_span(&self) -> Range<usize> {
        self.key_span.range()
    }

    /// Where the value is written (the rest of the key's line; empty at the end of it when
    /// none).
    pub fn value_span(&self) -> Range<usize> {
        self.value_span.range()
    }
}

/// The entries of a front matter being read, and their key and value texts.
#[derive(Debug, Default)]
struct Entries {
    list: Vec<FrontMatterEntry>,
    strings: String,
}

impl Entries {
    /// Adds the entry `key: value`.
    fn push(
        &mut self,
        key: &str,
        key_span: Range<usize>,
        value_span: Range<usize>,
        value: FrontMatterValue<'_>,
    ) {
        let key = self.add(key);
        let (kind, text) = match value {
            FrontMatterValue::Null => (Kind::Null, ""),
            FrontMatterValue::String(text) => (Kind::String, text),
            FrontMatterValue::Scalar(text) => (Kind::Scalar, text),
            FrontMatterValue::Collection => (Kind::Collection, ""),
        };
        let value = self.add(text);
        self.list.push(FrontMatterEntry {
            key,
            key_span: Span::new(key_span),
            value_span: Span::new(value_span),
            kind,
            value,
        });
    }

    fn add(&mut self, text: &str) -> Span {
        let start = self.strings.len();
        self.strings.push_str(text);
        Span::new(start..self.strings.len())
    }
}

/// A YAML problem, at a byte offset of the page.
#[derive(Debug, Clone)]
pub struct FrontMatterError {
    /// What is wrong, lower-case.
    pub message: String,
    /// Where (byte range in the page).
    pub span: Range<usize>,
}

/// The front matter of a page.
#[derive(Debug, Clone)]
pub struct FrontMatter {
    /// See [`FrontMatter::span`].
    span: Span,
    /// See [`FrontMatter::body`].
    body: Span,
    /// Top-level keys in order; empty when the YAML does not parse. A boxed slice, sized
    /// exactly: every page keeps its front matter for the whole run.
    pub entries: Box<[FrontMatterEntry]>,
    /// The keys and the texts of the values of `entries`, one after the other.
    strings: Box<str>,
    /// Why the block is not usable YAML, if it is not (boxed: nearly every page has none).
    pub error: Option<Box<FrontMatterError>>,
}

impl FrontMatter {
    /// The whole block, from the opening `---` to the end of the closing one.
    pub fn span(&self) -> Range<usize> {
        self.span.range()
    }

    /// The YAML text between the fences.
    pub fn body(&self) -> Range<usize> {
        self.body.range()
    }

    /// The entry for `key` (exact match), if present.
    pub fn get(&self, key: &str) -> Option<&FrontMatterEntry> {
        self.entries.iter().find(|e| self.key(e) == key)
    }

    /// The text value of `key`, if present and a scalar.
    pub fn text(&self, key: &str) -> Option<&str> {
        self.get(key).and_then(|e| self.value(e).as_text())
    }

    /// The key of `entry` (one of this front matter's entries), as written (unquoted).
    pub fn key(&self, entry: &FrontMatterEntry) -> &str {
        self.strings.get(entry.key.range()).unwrap_or("")
    }

    /// The parsed value of `entry` (one of this front matter's entries).
    pub fn value(&self, entry: &FrontMatterEntry) -> FrontMatterValue<'_> {
        let text = self.strings.get(entry.value.range()).unwrap_or("");
        match entry.kind {
            Kind::Null => FrontMatterValue::Null,
            Kind::String => FrontMatterValue::String(text),
            Kind::Scalar => FrontMatterValue::Scalar(text),
            Kind::Collection => FrontMatterValue::Collection,
        }
    }

    /// Takes `entries` as this front matter's.
    fn set_entries(&mut self, entries: Entries) {
        self.entries = exact_box(entries.list);
        self.strings = entries.strings.as_str().into();
    }
}

/// Finds and parses the front matter at the start of `text` (a BOM has already been removed).
///
/// The block opens with a `---` line (trailing spaces allowed) as the very first line and closes
/// at the next `---` or `...` line. An opening line with no closing one is returned with an error.
pub fn parse(text: &str) -> Option<FrontMatter> {
    let first_end = memchr::memchr(b'\n', text.as_bytes()).unwrap_or(text.len());
    if text[..first_end].trim_end() != "---" {
        return None;
    }
    let body_start = (first_end + 1).min(text.len());
    let mut offset = body_start;
    let mut close: Option<(usize, usize)> = None;
    while offset < text.len() {
        let line_end =
            memchr::memchr(b'\n', &text.as_bytes()[offset..]).map_or(text.len(), |i| offset + i);
        let line = text[offset..line_end].trim_end();
        if line == "---" || line == "..." {
            close = Some((offset, line_end));
            break;
        }
        offset = line_end + 1;
    }
    let Some((close_start, close_end)) = close else {
        return Some(FrontMatter {
            span: Span::new(0..text.len()),
            body: Span::new(body_start..text.len()),
            entries: Box::default(),
            strings: Box::default(),
            error: Some(Box::new(FrontMatterError {
                message: "the front matter opened by `---` on line 1 is never closed; add a `---` line after the last key".into(),
                span: 0..first_end,
            })),
        });
    };
    let body = body_start..close_start;
    let yaml = &text[body.clone()];
    let mut front_matter = FrontMatter {
        span: Span::new(0..close_end),
        body: Span::new(body.clone()),
        entries: Box::default(),
        strings: Box::default(),
        error: None,
    };
    if yaml.trim().is_empty() {
        return Some(front_matter);
    }
    if let Some(entries) = parse_simple(yaml, body.start) {
        front_matter.set_entries(entries);
        return Some(front_matter);
    }
    parse_yaml(yaml, &mut front_matter);
    Some(front_matter)
}

/// Parses the YAML with serde-saphyr: the general path, for anything [`parse_simple`] declines.
fn parse_yaml(yaml: &str, front_matter: &mut FrontMatter) {
    let body = front_matter.body();
    match serde_saphyr::from_str::<serde_json::Value>(yaml) {
        Ok(serde_json::Value::Object(map)) => {
            let mut entries = Entries::default();
            for (key, key_span, value_span) in key_lines(yaml, body.start) {
                if let Some(value) = map.get(&key) {
                    let scalar;
                    let value = match value {
                        serde_json::Value::Bool(b) => {
                            scalar = b.to_string();
                            FrontMatterValue::Scalar(&scalar)
                        }
                        serde_json::Value::Number(n) => {
                            scalar = n.to_string();
                            FrontMatterValue::Scalar(&scalar)
                        }
                        value => reduce(value),
                    };
                    entries.push(&key, key_span, value_span, value);
                }
            }
            front_matter.set_entries(entries);
        }
        Ok(serde_json::Value::Null) => {}
        Ok(other) => {
            front_matter.error = Some(Box::new(FrontMatterError {
                message: format!(
                    "the front matter is a YAML {} but must be a mapping of `key: value` lines",
                    json_kind(&other)
                ),
                span: body.start..body.start + yaml.find('\n').unwrap_or(yaml.len()),
            }));
        }
        Err(error) => front_matter.error = Some(Box::new(yaml_error(yaml, body.start, &error))),
    }
}

/// The fast path for the front matter nearly every page has: one `key: value` a line, with
/// plain, single- or double-quoted scalars that need no escapes. Anything else (nesting, lists,
/// block scalars, escapes, a `: ` or ` #` inside a plain value, a repeated key) returns `None`
/// and goes to the YAML parser, so the result is always what serde-saphyr would give.
fn parse_simple(yaml: &str, base: usize) -> Option<Entries> {
    // The keys and values are parts of the YAML, one entry a line at most: room for all of
    // them from the start, so that neither the list nor the string grows as they are added.
    let lines = memchr::memchr_iter(b'\n', yaml.as_bytes()).count() + 1;
    let mut entries = Entries {
        list: Vec::with_capacity(lines),
        strings: String::with_capacity(yaml.len()),
    };
    let mut keys = SeenKeys::default();
    let mut offset = 0;
    // The lines with their `\n`, as `split_inclusive` gives them, found with `memchr`.
    while offset < yaml.len() {
        let start = offset;
        offset =
            memchr::memchr(b'\n', &yaml.as_bytes()[start..]).map_or(yaml.len(), |i| start + i + 1);
        let line = yaml[start..offset].trim_end_matches(['\n', '\r']);
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let colon = memchr::memchr(b':', line.as_bytes())?;
        let key = &line[..colon];
        let key_ok = key.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
            && key
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'))
            && matches!(simple_scalar(key), Some(Scalar::String(_)));
        if !key_ok || !keys.insert(key) {
            return None;
        }
        let after = &line[colon + 1..];
        if !(after.is_empty() || after.starts_with(' ')) {
            return None;
        }
        let value_text = after.trim();
        let value_start = start + colon + 1 + (after.len() - after.trim_start().len());
        let value = simple_scalar(value_text)?.to_value();
        entries.push(
            key,
            base + start..base + start + colon,
            base + value_start..base + value_start + value_text.len(),
            value,
        );
    }
    Some(entries)
}

/// The keys [`parse_simple`] has read, to find a repeated one: a list searched in turn while
/// there are as few as a page has (no hashing, and no allocation for most front matters), a
/// set past that, so that a front matter of thousands of keys is still read in linear time.
#[derive(Default)]
struct SeenKeys<'y> {
    /// The first keys, `count` of them.
    few: [&'y str; 16],
    count: usize,
    /// Every key once there are more than `few` holds.
    many: HashSet<&'y str>,
}

impl<'y> SeenKeys<'y> {
    /// Adds `key`; `false` when it was already there.
    fn insert(&mut self, key: &'y str) -> bool {
        if self.count < self.few.len() {
            if self.few[..self.count].contains(&key) {
                return false;
            }
            self.few[self.count] = key;
            self.count += 1;
            return true;
        }
        if self.many.is_empty() {
            self.many.extend(self.few);
        }
        self.many.insert(key)
    }
}

/// A scalar [`simple_scalar`] reads, borrowed from the YAML text.
#[derive(Clone, Copy)]
enum Scalar<'t> {
    Null,
    String(&'t str),
}

impl<'t> Scalar<'t> {
    fn to_value(self) -> FrontMatterValue<'t> {
        match self {
            Scalar::Null => FrontMatterValue::Null,
            Scalar::String(text) => FrontMatterValue::String(text),
        }
    }
}

/// A scalar that needs no YAML parser, or `None`.
fn simple_scalar(text: &str) -> Option<Scalar<'_>> {
    let bytes = text.as_bytes();
    // One pass over the (short) text: a tab anywhere declines; `: ` and ` #` inside a plain
    // scalar start a mapping and a comment.
    let mut colon_space = false;
    let mut space_hash = false;
    for i in memchr::memchr3_iter(b'\t', b':', b'#', bytes) {
        match bytes[i] {
            b'\t' => return None,
            b':' => colon_space |= bytes.get(i + 1) == Some(&b' '),
            _ => space_hash |= i > 0 && bytes[i - 1] == b' ',
        }
    }
    for quote in ['"', '\''] {
        if let Some(rest) = text.strip_prefix(quote) {
            let inner = rest.strip_suffix(quote)?;
            if inner.contains(quote) || inner.contains('\\') {
                return None;
            }
            return Some(Scalar::String(inner));
        }
    }
    // The indicators are ASCII: the first byte tells.
    let special = bytes
        .first()
        .is_some_and(|b| b"[]{}&*!|>%@`#,?:-".contains(b));
    if special || colon_space || space_hash || text.ends_with(':') {
        return None;
    }
    Some(match text {
        "" | "~" | "null" | "Null" | "NULL" => Scalar::Null,
        "true" | "True" | "TRUE" | "false" | "False" | "FALSE" => return None,
        _ if looks_numeric(text) => return None,
        _ => Scalar::String(text),
    })
}

/// Numbers (and things YAML may read as numbers, such as `.inf` or `0x1F`) go to the YAML parser.
fn looks_numeric(text: &str) -> bool {
    let t = text.trim_start_matches(['+', '-']);
    t.starts_with('.') || t.chars().next().is_some_and(|c| c.is_ascii_digit())
}

fn json_kind(value: &serde_json::Value) -> &'static str {
    match value {
        serde_json::Value::Array(_) => "sequence",
        serde_json::Value::Object(_) => "mapping",
        _ => "scalar",
    }
}

/// The value of a string, null or collection (booleans and numbers are written out by the
/// caller, as scalars).
fn reduce(value: &serde_json::Value) -> FrontMatterValue<'_> {
    match value {
        serde_json::Value::Null => FrontMatterValue::Null,
        serde_json::Value::String(s) => FrontMatterValue::String(s),
        _ => FrontMatterValue::Collection,
    }
}

/// Top-level `key:` lines of a YAML mapping with the spans of key and value.
fn key_lines(yaml: &str, base: usize) -> Vec<(String, Range<usize>, Range<usize>)> {
    let mut out = Vec::new();
    let mut offset = 0;
    for raw_line in yaml.split_inclusive('\n') {
        let line = raw_line.trim_end_matches(['\n', '\r']);
        let start = offset;
        offset += raw_line.len();
        let Some(first) = line.chars().next() else {
            continue;
        };
        if first.is_whitespace() || matches!(first, '#' | '-' | '{' | '[') {
            continue;
        }
        let (key, key_len) = match first {
            '"' | '\'' => match line[1..].find(first) {
                Some(end) => (line[1..1 + end].to_string(), end + 2),
                None => continue,
            },
            _ => match find_key_colon(line) {
                Some(end) => (
                    line[..end].trim_end().to_string(),
                    line[..end].trim_end().len(),
                ),
                None => continue,
            },
        };
        let after_key = &line[key_len..];
        let Some(rest) = after_key.trim_start().strip_prefix(':') else {
            continue;
        };
        let value_offset = line.len() - rest.trim_start().len();
        let value_end = line.trim_end().len().max(value_offset);
        out.push((
            key,
            base + start..base + start + key_len,
            base + start + value_offset..base + start + value_end,
        ));
    }
    out
}

/// The position of the `:` that ends a plain key: the first `: ` or a `:` at the end of the line.
fn find_key_colon(line: &str) -> Option<usize> {
    let bytes = line.as_bytes();
    (0..bytes.len()).find(|&i| {
        bytes[i] == b':' && (i + 1 == bytes.len() || bytes[i + 1] == b' ' || bytes[i + 1] == b'\t')
    })
}

fn yaml_error(yaml: &str, base: usize, error: &serde_saphyr::Error) -> FrontMatterError {
    if let serde_saphyr::Error::Budget { breach, .. } = error.without_snippet() {
        let first_line = yaml.find('\n').unwrap_or(yaml.len());
        return FrontMatterError {
            message: format!(
                "the front matter is beyond what doclint reads as YAML ({}); keep it to a few `key: value` lines",
                budget_breach(breach)
            ),
            span: base..base + first_line,
        };
    }
    let plain = error.without_snippet().to_string();
    let message = plain
        .split(" at line ")
        .next()
        .unwrap_or(&plain)
        .trim()
        .trim_end_matches('.')
        .to_string();
    let offset = error.location().map_or(0, |loc| {
        let at = |n: u64| usize::try_from(n).unwrap_or(usize::MAX);
        offset_of(yaml, at(loc.line()), at(loc.column()))
    });
    let end = yaml[offset..]
        .char_indices()
        .nth(1)
        .map_or(yaml.len(), |(i, _)| offset + i);
    let first = message
        .chars()
        .next()
        .map(|c| c.to_lowercase().collect::<String>())
        .unwrap_or_default();
    let rest: String = message.chars().skip(1).collect();
    FrontMatterError {
        message: format!("the front matter is not valid YAML: {first}{rest}"),
        span: base + offset..base + end,
    }
}

/// Which of the YAML parser's limits a front matter broke, in words.
fn budget_breach(breach: &serde_saphyr::budget::BudgetBreach) -> String {
    use serde_saphyr::budget::BudgetBreach as B;
    match breach {
        B::Nodes { nodes } => format!("more than {} values", nodes.saturating_sub(1)),
        B::Events { events } => format!("more than {} YAML events", events.saturating_sub(1)),
        B::Depth { depth } => format!("nested {depth} levels deep"),
        B::ScalarBytes { total_scalar_bytes } => {
            format!("{total_scalar_bytes} bytes of values")
        }
        B::Aliases { .. }
        | B::Anchors { .. }
        | B::AliasAnchorRatio { .. }
        | B::MergeKeys { .. } => "too many anchors, aliases or merge keys".to_string(),
        B::Documents { documents } => format!("{documents} YAML documents"),
        _ => "too large".to_string(),
    }
}

/// The byte offset of a 1-based line and character column in `text`, clamped to the text.
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let mut offset = 0;
    for _ in 1..line.max(1) {
        match text[offset..].find('\n') {
            Some(i) => offset += i + 1,
            None => return text.len(),
        }
    }
    let line_end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    text[offset..line_end]
        .char_indices()
        .nth(column.saturating_sub(1))
        .map_or(line_end, |(i, _)| offset + i)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fast path must agree with the YAML parser wherever it answers.
    fn assert_paths_agree(text: &str) -> bool {
        let Some(fm) = parse(text) else {
            return false;
        };
        let yaml = &text[fm.body()];
        let Some(simple) = parse_simple(yaml, fm.body().start) else {
            return false;
        };
        let mut general = FrontMatter {
            entries: Box::default(),
            strings: Box::default(),
            error: None,
            ..fm.clone()
        };
        parse_yaml(yaml, &mut general);
        assert!(
            general.error.is_none(),
            "YAML rejects what the fast path accepted:\n{yaml}"
        );
        let simple = FrontMatter {
            entries: exact_box(simple.list),
            strings: simple.strings.into(),
            ..fm.clone()
        };
        let key = |fm: &FrontMatter| -> Vec<_> {
            fm.entries
                .iter()
                .map(|e| {
                    (
                        fm.key(e).to_string(),
                        e.key_span(),
                        e.value_span(),
                        format!("{:?}", fm.value(e)),
                    )
                })
                .collect()
        };
        let (simple, general) = (key(&simple), key(&general));
        assert_eq!(simple, general, "\n{yaml}");
        true
    }

    #[test]
    fn fast_path_agrees_with_yaml() {
        for text in [
            "---\ntitle: \"a: b\"\ndescription: 'it''s'\n---\n",
            "---\ntitle: user's photo\nempty:\nnothing: ~\nflag: true\n---\n",
            "---\nnull: x\n---\n",
            "---\n# comment\ntitle: x # trailing comment\n---\n",
            "---\nms.date: 09/10/2017\n---\n",
            "---\ntitle: a\ntitle: b\n---\n",
        ] {
            assert_paths_agree(text);
        }
    }

    /// A key repeated among the first keys or past them (where a set finds it) sends the
    /// front matter to the YAML parser, as any repeated key does.
    #[test]
    fn repeated_keys_are_found_among_many() {
        let keys = |n: usize| (0..n).map(|i| format!("k{i}: v\n")).collect::<String>();
        for (count, repeated) in [(3, 1), (16, 15), (17, 0), (40, 16), (40, 39)] {
            let text = format!("---\n{}k{repeated}: again\n---\n", keys(count));
            let yaml = &text[4..text.len() - 4];
            assert!(parse_simple(yaml, 4).is_none(), "{count}, {repeated}");
        }
        let distinct = format!("---\n{}---\n", keys(40));
        assert_eq!(
            parse_simple(&distinct[4..distinct.len() - 4], 4)
                .unwrap()
                .list
                .len(),
            40
        );
    }

    #[test]
    fn fast_path_agrees_with_yaml_on_the_corpus() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../shared/corpora/microsoft-graph-docs");
        if !root.is_dir() {
            assert!(
                std::env::var("CI").map_or(true, |v| v != "true"),
                "corpus missing in CI"
            );
            eprintln!("skipping: {} is missing", root.display());
            return;
        }
        let (files, _) = crate::walk::files_under(&root, 2);
        let mut fast = 0;
        for file in files.iter().filter(|f| crate::walk::is_page(f)) {
            let text = std::fs::read_to_string(file).unwrap_or_default();
            fast += usize::from(assert_paths_agree(&text));
        }
        assert!(fast > 8000, "the fast path took only {fast} front matters");
    }

    #[test]
    fn parses_keys_with_spans() {
        let text = "---\ntitle: \"checkout\"\ndescription: \"\"\nms.prod: x\n---\n# H\n";
        let fm = parse(text).unwrap();
        assert!(fm.error.is_none());
        let title = fm.get("title").unwrap();
        assert_eq!(&text[title.key_span()], "title");
        assert_eq!(&text[title.value_span()], "\"checkout\"");
        assert!(fm.value(fm.get("description").unwrap()).is_empty());
        assert_eq!(fm.value(title), FrontMatterValue::String("checkout"));
        assert_eq!(fm.text("ms.prod"), Some("x"));
    }

    #[test]
    fn limits_are_reported_in_words() {
        let many: String = (0..300_000).map(|i| format!("k{i}:\n  - v\n")).collect();
        let error = parse(&format!("---\n{many}---\n")).unwrap().error.unwrap();
        assert_eq!(
            error.message,
            "the front matter is beyond what doclint reads as YAML (more than 250000 values); keep it to a few `key: value` lines"
        );
        let deep = format!("---\nkey: {}\n---\n", "[".repeat(5000));
        let error = parse(&deep).unwrap().error.unwrap();
        assert_eq!(
            error.message,
            "the front matter is not valid YAML: recursion limit exceeded"
        );
    }

    #[test]
    fn reports_yaml_errors_at_their_position() {
        let text = "---\nauthor: a\ntitle: driveItem: createUploadSession\n---\n";
        let fm = parse(text).unwrap();
        let error = fm.error.unwrap();
        assert!(
            error
                .message
                .starts_with("the front matter is not valid YAML"),
            "{}",
            error.message
        );
        let line = text[..error.span.start].matches('\n').count() + 1;
        assert_eq!(line, 3, "{}", error.message);
    }

    #[test]
    fn unclosed_front_matter_is_an_error() {
        let fm = parse("---\ntitle: x\n").unwrap();
        assert!(fm.error.unwrap().message.contains("never closed"));
        assert!(parse("# no front matter\n").is_none());
    }
}
