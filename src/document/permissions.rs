//! The Permissions section of an API page: the heading that opens it, its permission tables,
//! their rows and the scopes in each cell.
//!
//! Graph pages put one table under `## Permissions` (the title comes from ApiDoctor's
//! `AuthScopes` table definition): a `Permission type` column with one row per permission type
//! and a column listing scopes. Some pages transpose it (one column per permission type, one row
//! per resource), some split it into several tables under sub-headings, and newer pages move it
//! into an include. Generated Intune pages put the same table under `## Prerequisites`;
//! ApiDoctor's own permission generator reads that heading too, so a Prerequisites section
//! that holds a permission table counts as the Permissions section.

use std::ops::Range;
use std::sync::OnceLock;

use regex::Regex;

use super::model::{Cell, Table};
use super::{contains_ignore_case, starts_with_ignore_case, Document};

/// The Permissions section of a page.
#[derive(Debug, Clone)]
pub struct PermissionsSection {
    /// The index of the heading that opens it.
    pub heading: usize,
    /// From the end of the heading to the next heading of the same or a higher level.
    pub body: Range<usize>,
    /// The permission tables in the section (sub-sections included).
    pub tables: Vec<PermissionTable>,
    /// Indices (into the page's tables) of the other tables in the section.
    pub other_tables: Vec<usize>,
    /// Indices (into the page's includes) of the include directives in the section.
    pub includes: Vec<usize>,
    /// Whether the section holds a table-like block that is not rendered because its delimiter
    /// row does not match its header (DL704 reports it; its cells cannot be read).
    pub unrendered_table: bool,
}

/// The order a header says the scopes are listed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatedOrder {
    /// "from least to most privileged".
    LeastToMost,
    /// "from most to least privileged".
    MostToLeast,
}

/// How a permission table is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableLayout {
    /// A `Permission type` column: one row per permission type.
    TypesInRows,
    /// One column per permission type, one row per resource (subscription and calendar pages).
    TypesInColumns,
}

/// A header cell of a permission table.
#[derive(Debug, Clone)]
pub struct HeaderCell {
    /// The text with markup and `&nbsp;` removed.
    pub text: String,
    /// Where it is.
    pub span: Range<usize>,
    /// The order the cell states, if any, and where the phrase is.
    pub order: Option<(StatedOrder, Range<usize>)>,
}

/// A permission table.
#[derive(Debug, Clone)]
pub struct PermissionTable {
    /// The index of the table in its page.
    pub table: usize,
    /// How it is laid out.
    pub layout: TableLayout,
    /// The header row.
    pub header_span: Range<usize>,
    /// The header cells.
    pub header: Vec<HeaderCell>,
    /// The columns that hold scopes (for `TypesInColumns`, also the permission-type columns).
    pub scope_columns: Vec<usize>,
    /// The body rows.
    pub rows: Vec<PermissionRow>,
}

/// A written permission type: a row label or a column header.
#[derive(Debug, Clone)]
pub struct TypeLabel {
    /// The text with markup and `&nbsp;` removed, whitespace collapsed.
    pub text: String,
    /// Where it is.
    pub span: Range<usize>,
}

/// A body row of a permission table.
#[derive(Debug, Clone)]
pub struct PermissionRow {
    /// The row line.
    pub span: Range<usize>,
    /// For `TypesInRows`: the permission type in the first column, or `None` for an indented
    /// sub-row (Intune's `&nbsp; &nbsp; **Policy Set**` rows that group a type's scopes).
    pub label: Option<TypeLabel>,
    /// The scope cells of the row.
    pub cells: Vec<ScopeCell>,
}

/// A cell that lists scopes.
#[derive(Debug, Clone)]
pub struct ScopeCell {
    /// The cell as written (trimmed).
    pub span: Range<usize>,
    /// The cell's text as written.
    pub text: String,
    /// What the cell lists, split at `,`, `;` and `<br>`.
    pub entries: Vec<ScopeEntry>,
}

/// One item of a scope cell.
#[derive(Debug, Clone)]
pub struct ScopeEntry {
    /// The item with markup removed.
    pub text: String,
    /// Where it is written.
    pub span: Range<usize>,
    /// What it is.
    pub kind: EntryKind,
}

/// What an item of a scope cell is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EntryKind {
    /// A scope name such as `User.Read.All`.
    Scope,
    /// "Not supported." and its variants ("None", "Not applicable", "n/a", …).
    NotSupported,
    /// A TODO or other placeholder.
    Placeholder,
    /// Nothing at all (the whole cell is empty).
    Empty,
    /// Scope names separated by spaces instead of commas.
    SpaceSeparated(Vec<String>),
    /// Explanatory text; the scope names mentioned in it.
    Prose(Vec<String>),
}

impl PermissionTable {
    /// Every scope the table names, with where it is written: scopes, space-separated scopes
    /// and scopes mentioned in prose.
    pub fn scopes(&self) -> impl Iterator<Item = (&str, &ScopeEntry)> {
        self.rows
            .iter()
            .flat_map(|r| &r.cells)
            .flat_map(|c| &c.entries)
            .flat_map(|e| {
                let names: Vec<&str> = match &e.kind {
                    EntryKind::Scope => vec![e.text.as_str()],
                    EntryKind::SpaceSeparated(names) | EntryKind::Prose(names) => {
                        names.iter().map(String::as_str).collect()
                    }
                    _ => Vec::new(),
                };
                names.into_iter().map(move |n| (n, e))
            })
    }
}

impl PermissionsSection {
    /// Finds the Permissions section of a page: the first heading (level 2 or lower) whose text
    /// is one of `titles` (or its singular), else a Prerequisites section that holds a
    /// permission table.
    pub fn find(doc: &Document, titles: &[String]) -> Option<PermissionsSection> {
        let is_title = |text: &str| {
            titles.iter().any(|t| {
                text.eq_ignore_ascii_case(t)
                    || t.strip_suffix('s')
                        .is_some_and(|s| text.eq_ignore_ascii_case(s))
            })
        };
        let candidates = |wanted: &dyn Fn(&str) -> bool| -> Vec<usize> {
            doc.headings
                .iter()
                .enumerate()
                .filter(|(_, h)| h.level >= 2 && h.tab().is_none() && wanted(h.text.trim()))
                .map(|(i, _)| i)
                .collect()
        };
        if let Some(&heading) = candidates(&is_title).first() {
            return Some(Self::at(doc, heading));
        }
        candidates(&|t: &str| t.eq_ignore_ascii_case("prerequisites"))
            .into_iter()
            .map(|h| Self::at(doc, h))
            .find(|s| !s.tables.is_empty())
    }

    fn at(doc: &Document, heading: usize) -> PermissionsSection {
        let opening = &doc.headings[heading];
        let body = opening.span().end..opening.section_end();
        // Tables and includes are in page order: only those that start in the body are read.
        let tables = doc.tables.partition_point(|t| t.span().start < body.start)
            ..doc.tables.partition_point(|t| t.span().start < body.end);
        let mut section = PermissionsSection {
            heading,
            body: body.clone(),
            tables: Vec::new(),
            other_tables: Vec::new(),
            includes: Vec::new(),
            unrendered_table: false,
        };
        for i in tables {
            let table = &doc.tables[i];
            if table.delimiter_mismatch().is_some() {
                let header = doc.slice(&table.header.span()).to_ascii_lowercase();
                section.unrendered_table |= header.contains("permission");
                continue;
            }
            match PermissionTable::parse(doc, i) {
                Some(parsed) => section.tables.push(parsed),
                None => section.other_tables.push(i),
            }
        }
        section.includes = (doc.includes.partition_point(|i| i.span.start < body.start)
            ..doc.includes.partition_point(|i| i.span.start < body.end))
            .collect();
        section
    }
}

/// Every permission table of a document (for an included file that holds the table).
pub fn tables_in(doc: &Document) -> Vec<PermissionTable> {
    (0..doc.tables.len())
        .filter(|&i| doc.tables[i].delimiter_mismatch().is_none())
        .filter_map(|i| PermissionTable::parse(doc, i))
        .collect()
}

impl PermissionTable {
    /// Reads table `index` of `doc` as a permission table; `None` when its header is not that
    /// of a permission table.
    pub fn parse(doc: &Document, index: usize) -> Option<PermissionTable> {
        let table: &Table = &doc.tables[index];
        let page = doc.text.as_str();
        let header: Vec<HeaderCell> = table
            .header
            .cells
            .iter()
            .map(|c| header_cell(page, c))
            .collect();
        let first = &header.first()?.text;
        let (layout, scope_columns): (TableLayout, Vec<usize>) =
            if contains_ignore_case(first, "permission") {
                let columns = (1..header.len())
                    .filter(|&i| {
                        let text = &header[i].text;
                        contains_ignore_case(text, "permission")
                            || contains_ignore_case(text, "scope")
                    })
                    .collect();
                (TableLayout::TypesInRows, columns)
            } else {
                let columns: Vec<usize> = (1..header.len())
                    .filter(|&i| looks_like_type(&header[i].text))
                    .collect();
                if columns.is_empty() {
                    return None;
                }
                (TableLayout::TypesInColumns, columns)
            };
        let rows = table
            .rows
            .iter()
            .map(|row| {
                let label = match layout {
                    TableLayout::TypesInRows => row.cells.first().and_then(|c| type_label(page, c)),
                    TableLayout::TypesInColumns => None,
                };
                let cells = scope_columns
                    .iter()
                    .filter_map(|&c| row.cells.get(c))
                    .map(|c| scope_cell(page, c))
                    .collect();
                PermissionRow {
                    span: row.span(),
                    label,
                    cells,
                }
            })
            .collect();
        Some(PermissionTable {
            table: index,
            layout,
            header_span: table.header.span(),
            header,
            scope_columns,
            rows,
        })
    }
}

/// Whether a column header names a permission type (`Delegated …`, `Application`).
fn looks_like_type(text: &str) -> bool {
    starts_with_ignore_case(text, "delegated") || starts_with_ignore_case(text, "application")
}

fn header_cell(page: &str, cell: &Cell) -> HeaderCell {
    static ORDER: OnceLock<Regex> = OnceLock::new();
    let order = ORDER.get_or_init(|| {
        Regex::new(
            r"(?i)(?:from(?:\s|&nbsp;)+)?(?:least(?:\s|&nbsp;)+(?:privileged(?:\s|&nbsp;)+)?to(?:\s|&nbsp;)+most|most(?:\s|&nbsp;)+(?:privileged(?:\s|&nbsp;)+)?to(?:\s|&nbsp;)+least)(?:(?:\s|&nbsp;)+privileged)?",
        )
            .expect("valid regex")
    });
    let text = cell.text(page);
    let mentions_order = contains_ignore_case(text, "least") && contains_ignore_case(text, "most");
    // `find` runs on the regex's fast DFA; which word comes first gives the order.
    let stated = mentions_order.then(|| order.find(text)).flatten().map(|m| {
        let phrase = m.as_str().to_ascii_lowercase();
        let least = phrase.find("least").unwrap_or(usize::MAX);
        let most = phrase.find("most").unwrap_or(usize::MAX);
        let order = if least < most {
            StatedOrder::LeastToMost
        } else {
            StatedOrder::MostToLeast
        };
        (
            order,
            cell.span().start + m.start()..cell.span().start + m.end(),
        )
    });
    HeaderCell {
        text: clean(text),
        span: cell.span(),
        order: stated,
    }
}

/// The permission type in a row's first cell; `None` for an indented sub-row.
fn type_label(page: &str, cell: &Cell) -> Option<TypeLabel> {
    let raw = cell.text(page).trim_start();
    if raw.starts_with("&nbsp;") || raw.starts_with('\u{a0}') {
        return None;
    }
    Some(TypeLabel {
        text: clean(raw),
        span: cell.span(),
    })
}

/// Markup removed: emphasis, code, links (their text kept), `&nbsp;`; whitespace collapsed.
pub fn clean(text: &str) -> String {
    static LINK: OnceLock<Regex> = OnceLock::new();
    if is_plain(text) {
        return text.trim().to_string();
    }
    let link = LINK.get_or_init(|| Regex::new(r"\[([^\]]*)\]\([^)]*\)").expect("valid regex"));
    let text = link.replace_all(text, "$1");
    let text = text
        .replace("&nbsp;", " ")
        .replace(['\u{a0}', '\u{200b}'], " ")
        .replace(['*', '`'], "");
    let text = text.trim_matches('_');
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether [`clean`] has nothing to remove from `text` but the whitespace at its ends: no
/// markup character, tab, no-break or zero-width space, and no two spaces in a row. One pass
/// over the bytes (a `char` pattern decodes every character, and most cells are plain).
fn is_plain(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut after_space = false;
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'[' | b'&' | b'*' | b'`' | b'_' | b'\t' => return false,
            b' ' if after_space => return false,
            // U+00A0 is C2 A0 in UTF-8, U+200B is E2 80 8B.
            0xC2 if bytes.get(i + 1) == Some(&0xA0) => return false,
            0xE2 if bytes.get(i + 1..i + 3) == Some(&[0x80, 0x8B]) => return false,
            _ => {}
        }
        after_space = b == b' ';
    }
    true
}

fn scope_cell(page: &str, cell: &Cell) -> ScopeCell {
    static SEPARATOR: OnceLock<Regex> = OnceLock::new();
    let separator =
        SEPARATOR.get_or_init(|| Regex::new(r"(?i)[,;]|</?\s*br\s*/?\s*>").expect("valid regex"));
    let mut entries = Vec::new();
    let mut start = 0;
    let text = cell.text(page);
    let mut separators: Vec<(usize, usize)> = if memchr::memchr(b'<', text.as_bytes()).is_some() {
        separator
            .find_iter(text)
            .map(|m| (m.start(), m.end()))
            .collect()
    } else {
        memchr::memchr2_iter(b',', b';', text.as_bytes())
            .map(|i| (i, i + 1))
            .collect()
    };
    separators.push((text.len(), text.len()));
    for (sep_start, sep_end) in separators {
        let piece = &text[start..sep_start];
        let trimmed = piece.trim();
        if !trimmed.is_empty() {
            let offset = start + (piece.len() - piece.trim_start().len());
            let span = cell.span().start + offset..cell.span().start + offset + trimmed.len();
            entries.push(entry(trimmed, span));
        }
        start = sep_end;
    }
    entries.retain(|e| !e.text.is_empty());
    if entries.is_empty() {
        entries.push(ScopeEntry {
            text: String::new(),
            span: cell.span(),
            kind: EntryKind::Empty,
        });
    }
    ScopeCell {
        span: cell.span(),
        text: text.to_string(),
        entries,
    }
}

fn entry(raw: &str, span: Range<usize>) -> ScopeEntry {
    let mut text = clean(raw);
    let kind = classify(&mut text);
    ScopeEntry { text, span, kind }
}

/// Classifies an item; a scope loses a trailing period or footnote `*`.
fn classify(text: &mut String) -> EntryKind {
    if text.is_empty() {
        return EntryKind::Empty;
    }
    if is_placeholder(text) {
        return EntryKind::Placeholder;
    }
    if is_not_supported(text) {
        return EntryKind::NotSupported;
    }
    let bare = text.trim_end_matches(['.', '*']);
    if is_scope(bare) {
        // `bare` is the start of `text`: cut in place.
        let length = bare.len();
        text.truncate(length);
        return EntryKind::Scope;
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.len() > 1
        && words
            .iter()
            .all(|w| is_scope(w.trim_end_matches(['.', '*'])))
    {
        return EntryKind::SpaceSeparated(
            words
                .iter()
                .map(|w| w.trim_end_matches(['.', '*']).to_string())
                .collect(),
        );
    }
    EntryKind::Prose(mentioned_scopes(text))
}

/// A scope name: dotted segments of ASCII letters, digits, `_` and `-`, the first starting with
/// a letter (`User.Read.All`, `ChannelMessage.Read.Group`), or one of the OpenID Connect scopes.
pub fn is_scope(text: &str) -> bool {
    // One pass over the bytes: splitting at a `char` sets up a searcher for every segment.
    let bytes = text.as_bytes();
    let dotted = bytes.first().is_some_and(u8::is_ascii_alphabetic) && {
        // The length of the segment being read, and whether a `.` ended one.
        let (mut segment, mut dots) = (0usize, false);
        bytes.iter().all(|&b| {
            if b == b'.' {
                let ends_one = segment > 0;
                (segment, dots) = (0, true);
                ends_one
            } else {
                segment += 1;
                b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
            }
        }) && dots
            && segment > 0
    };
    dotted
        || ["openid", "profile", "email", "offline_access"]
            .iter()
            .any(|s| text.eq_ignore_ascii_case(s))
}

fn mentioned_scopes(text: &str) -> Vec<String> {
    static MENTION: OnceLock<Regex> = OnceLock::new();
    let mention = MENTION.get_or_init(|| {
        Regex::new(r"\b[A-Z][A-Za-z0-9]*(?:\.[A-Za-z0-9]+)+\b").expect("valid regex")
    });
    mention
        .find_iter(text)
        .map(|m| m.as_str().to_string())
        .collect()
}

/// TODO markers and other stand-ins for scopes nobody filled in.
fn is_placeholder(text: &str) -> bool {
    static PLACEHOLDER: OnceLock<Regex> = OnceLock::new();
    // Each word, ASCII case ignored, where a `t` or an `f` starts it.
    let bytes = text.as_bytes();
    let has_word = bytes.iter().enumerate().any(|(i, &b)| {
        let words: &[&[u8]] = match b | 0x20 {
            b't' => &[b"todo", b"tbd"],
            b'f' => &[b"fixme"],
            _ => return false,
        };
        words.iter().any(|w| {
            bytes
                .get(i..i + w.len())
                .is_some_and(|at| at.eq_ignore_ascii_case(w))
        })
    });
    let candidate = has_word || text.starts_with(['.', '…', '?', '<', '{']);
    candidate
        && PLACEHOLDER
            .get_or_init(|| {
                Regex::new(r"(?i)\b(todo|tbd|fixme)\b|^(\.\.\.|…|\?+|<[^>]*>|\{[^}]*\})$")
                    .expect("valid regex")
            })
            .is_match(text)
}

/// "Not supported." and the variants written in real tables.
fn is_not_supported(text: &str) -> bool {
    let text = text.trim_end_matches('.').trim();
    [
        "not supported",
        "not applicable",
        "not available",
        "none",
        "n/a",
        "na",
        "-",
        "—",
    ]
    .iter()
    .any(|v| {
        // ASCII case ignored: `v` is lower case.
        text.as_bytes()
            .get(..v.len())
            .is_some_and(|start| start.eq_ignore_ascii_case(v.as_bytes()))
            && {
                let rest = &text[v.len()..];
                rest.is_empty() || rest.starts_with(['.', ' '])
            }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(cell: &str) -> Vec<EntryKind> {
        scope_cell(cell, &Cell::new(0..cell.len()))
            .entries
            .into_iter()
            .map(|e| e.kind)
            .collect()
    }

    #[test]
    fn cells_split_into_scopes_and_fillers() {
        assert_eq!(kinds("User.Read, User.Read.All"), vec![EntryKind::Scope; 2]);
        assert_eq!(
            kinds("Files.Read<br>Files.Read.All"),
            vec![EntryKind::Scope; 2]
        );
        assert_eq!(kinds("Not Supported."), vec![EntryKind::NotSupported]);
        assert_eq!(kinds("n/a"), vec![EntryKind::NotSupported]);
        assert_eq!(
            kinds("**TODO: Determine scopes **"),
            vec![EntryKind::Placeholder]
        );
        assert_eq!(kinds(""), vec![EntryKind::Empty]);
        assert_eq!(
            kinds("A.Read.All B.Read.All"),
            vec![EntryKind::SpaceSeparated(vec![
                "A.Read.All".into(),
                "B.Read.All".into()
            ])]
        );
        assert_eq!(
            kinds("In teams: TeamMember.ReadWrite.All"),
            vec![EntryKind::Prose(vec!["TeamMember.ReadWrite.All".into()])]
        );
    }

    /// The one-pass tests say what the plainer expressions they replace said.
    #[test]
    fn byte_tests_agree_with_their_plain_forms() {
        let texts = [
            "",
            "User.Read",
            "User.Read.All",
            "user.read",
            ".Read",
            "User.",
            "User..Read",
            "User.Re ad",
            "Files.Read-Write_All.2",
            "openid",
            "OpenID",
            "1.Read",
            "Not supported.",
            "a  b",
            " a b ",
            "a\tb",
            "[x](y)",
            "**Bold**",
            "a&nbsp;b",
            "a\u{a0}b",
            "a\u{200b}b",
            "é  ",
            "Éa\u{2003}b",
            "Delegated (work or school account)",
            "Permissions (from least to most privileged)",
            "MOST and LEAST",
        ];
        for text in texts {
            let plain = !text
                .bytes()
                .any(|b| matches!(b, b'[' | b'&' | b'*' | b'`' | b'_' | b'\t'))
                && (text.is_ascii() || !(text.contains('\u{a0}') || text.contains('\u{200b}')))
                && !text.as_bytes().windows(2).any(|pair| pair == b"  ");
            assert_eq!(is_plain(text), plain, "{text:?}");
            let bytes = text.as_bytes();
            let dotted = bytes.first().is_some_and(u8::is_ascii_alphabetic)
                && bytes.contains(&b'.')
                && bytes.split(|&b| b == b'.').all(|segment| {
                    !segment.is_empty()
                        && segment
                            .iter()
                            .all(|&b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
                });
            let oidc = ["openid", "profile", "email", "offline_access"]
                .iter()
                .any(|s| text.eq_ignore_ascii_case(s));
            assert_eq!(is_scope(text), dotted || oidc, "{text:?}");
            let lower = text.to_ascii_lowercase();
            for word in ["permission", "least", "most", "scope"] {
                assert_eq!(
                    contains_ignore_case(text, word),
                    lower.contains(word),
                    "{text:?}"
                );
            }
            assert_eq!(
                looks_like_type(text),
                lower.starts_with("delegated") || lower.starts_with("application"),
                "{text:?}"
            );
        }
    }

    #[test]
    fn trailing_period_and_footnote_marks_are_not_part_of_a_scope() {
        let page = "ChannelMessage.Read.Group*, Files.ReadWrite.";
        let names: Vec<String> = scope_cell(page, &Cell::new(0..44))
            .entries
            .into_iter()
            .map(|e| e.text)
            .collect();
        assert_eq!(names, ["ChannelMessage.Read.Group", "Files.ReadWrite"]);
    }
}
