//! Properties and Relationships tables of resource pages.
//!
//! A table's kind follows the nearest heading above it, as in ApiDoctor's `tableDefinitions`:
//! a heading whose text is one of the configured titles (case-insensitive) classifies the
//! table. Unlike ApiDoctor, a title inside a longer heading does not: "Example 1: update
//! properties" holds an example, and "Properties of a policy definition" describes a JSON
//! structure inside a property, not the resource.
//! Columns are found by their header names, also configurable.

use std::ops::Range;

use serde_json::Value;

use super::declared;
use crate::diagnostic::SpanPos;
use crate::document::{Document, Table};

/// What a property table describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableKind {
    /// Structural properties (ApiDoctor `ResourcePropertyDescriptions`).
    Properties,
    /// Navigation properties (ApiDoctor `ResourceNavigationPropertyDescriptions`).
    Relationships,
}

/// How property tables are recognised: heading titles per kind and column header names.
#[derive(Debug, Clone)]
pub struct TableRules {
    properties: Vec<String>,
    relationships: Vec<String>,
    name_columns: Vec<String>,
    type_columns: Vec<String>,
    description_columns: Vec<String>,
}

impl Default for TableRules {
    fn default() -> Self {
        let lower = |items: &[&str]| items.iter().map(|s| s.to_ascii_lowercase()).collect();
        TableRules {
            properties: lower(&["Properties", "Instance Attributes"]),
            relationships: lower(&["Relationships"]),
            name_columns: lower(&[
                "Property",
                "Property Name",
                "Name",
                "Relationship",
                "Relationship name",
                "Parameter",
                "Parameter Name",
                "Header",
                "Header Name",
                "Query parameter",
            ]),
            type_columns: lower(&["Type", "Value"]),
            description_columns: lower(&["Description"]),
        }
    }
}

impl TableRules {
    /// The rules from ApiDoctor's `tableDefinitions` JSON when present (titles of the
    /// `ResourcePropertyDescriptions` and `ResourceNavigationPropertyDescriptions` tables, and
    /// the `name` and `type` columns of the `ParameterDefinition` parsing rule), else the
    /// defaults.
    pub fn from_config(table_definitions: Option<&Value>) -> TableRules {
        let mut rules = TableRules::default();
        let Some(config) = table_definitions else {
            return rules;
        };
        let strings = |v: Option<&Value>| -> Vec<String> {
            v.and_then(Value::as_array)
                .map(|items| {
                    items
                        .iter()
                        .filter_map(Value::as_str)
                        .map(str::to_ascii_lowercase)
                        .collect()
                })
                .unwrap_or_default()
        };
        for table in config
            .get("tables")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let titles = strings(table.get("titles"));
            match table.get("type").and_then(Value::as_str) {
                Some("ResourcePropertyDescriptions") if !titles.is_empty() => {
                    rules.properties = titles;
                }
                Some("ResourceNavigationPropertyDescriptions") if !titles.is_empty() => {
                    rules.relationships = titles;
                }
                _ => {}
            }
        }
        for rule in config
            .get("parsingRules")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if rule.get("type").and_then(Value::as_str) != Some("ParameterDefinition") {
                continue;
            }
            let columns = rule.get("columns");
            let names = strings(columns.and_then(|c| c.get("name")));
            let types = strings(columns.and_then(|c| c.get("type")));
            let descriptions = strings(columns.and_then(|c| c.get("description")));
            if !descriptions.is_empty() {
                rules.description_columns = descriptions;
            }
            if !names.is_empty() {
                rules.name_columns = names;
            }
            if !types.is_empty() {
                rules.type_columns = types;
            }
        }
        rules
    }

    /// The kind of a table, from the nearest non-tab heading above it.
    pub fn kind(&self, doc: &Document, table: &Table) -> Option<TableKind> {
        let heading = &doc.headings[doc.section_heading(table.heading()?)?];
        let text = heading.text.trim().to_ascii_lowercase();
        let matches = |titles: &[String]| titles.contains(&text);
        if matches(&self.properties) {
            Some(TableKind::Properties)
        } else if matches(&self.relationships) {
            Some(TableKind::Relationships)
        } else {
            None
        }
    }

    /// The rows of a property table: name, type and description cells (plain text) with
    /// positions. Empty when the header has no name column.
    pub fn rows(&self, page: &str, table: &Table) -> Vec<TableRow> {
        self.rows_with(page, table, true)
    }

    /// The rows of a property table as [`TableRules::rows`] gives them, but with every
    /// description left empty: for callers that read names and types only.
    pub fn typed_rows(&self, page: &str, table: &Table) -> Vec<TableRow> {
        self.rows_with(page, table, false)
    }

    fn rows_with(&self, page: &str, table: &Table, descriptions: bool) -> Vec<TableRow> {
        let header: Vec<String> = table
            .header
            .cells
            .iter()
            .map(|c| plain_text(c.text(page)).to_ascii_lowercase())
            .collect();
        let column = |names: &[String]| header.iter().position(|h| names.contains(h));
        let Some(name_column) = column(&self.name_columns) else {
            return Vec::new();
        };
        let type_column = column(&self.type_columns);
        let description_column = column(&self.description_columns);
        let cell_text = |row: &crate::document::Row, column: Option<usize>| {
            column
                .and_then(|i| row.cells.get(i))
                .map(|c| plain_text(c.text(page)))
                .unwrap_or_default()
        };
        table
            .rows
            .iter()
            .filter_map(|row| {
                let cell = row.cells.get(name_column)?;
                let name = plain_text(cell.text(page));
                let name = name.split_whitespace().next()?.to_string();
                Some(TableRow {
                    name,
                    type_cell: type_column.and_then(|i| row.cells.get(i)).map(|c| c.span()),
                    type_text: cell_text(row, type_column),
                    description: if descriptions {
                        cell_text(row, description_column)
                    } else {
                        String::new()
                    },
                    description_cell: description_column
                        .and_then(|i| row.cells.get(i))
                        .map(|c| c.span()),
                    row: row.span(),
                    name_span: cell.span(),
                })
            })
            .collect()
    }
}

/// An enum documented by a table: `### riskLevel values` over a table of members, or a
/// `# riskLevel enum type` page with a `## Members` table.
#[derive(Debug, Clone)]
pub struct EnumTable {
    /// The enum's name as the heading writes it (`riskLevel`).
    pub name: String,
    /// The member names, in table order.
    pub members: Vec<String>,
    /// The table row of each member.
    pub member_rows: Vec<Range<usize>>,
    /// The table's header row.
    pub header: Range<usize>,
    /// Where the header row is (see [`SpanPos`]).
    pub header_at: SpanPos,
}

/// The enums a page documents in tables.
pub fn enum_tables(doc: &Document) -> Vec<EnumTable> {
    let mut out = Vec::new();
    for table in &doc.tables {
        let Some(h) = table.heading() else {
            continue;
        };
        let heading = &doc.headings[h];
        let name = match enum_heading(&heading.text) {
            Some(name) => name,
            // `## Members` under `# riskLevel enum type`.
            None if heading.text.trim().eq_ignore_ascii_case("members") => {
                let Some(title) = heading
                    .parent()
                    .map(|p| &doc.headings[p])
                    .and_then(|p| p.text.trim().strip_suffix(" enum type"))
                    .map(str::trim)
                    .filter(|t| declared::is_type_name(t))
                else {
                    continue;
                };
                title
            }
            None => continue,
        };
        let column = ["member", "name", "value"].iter().find_map(|wanted| {
            table
                .header
                .cells
                .iter()
                .position(|c| plain_text(c.text(&doc.text)).eq_ignore_ascii_case(wanted))
        });
        let Some(column) = column else {
            continue;
        };
        let (members, member_rows): (Vec<String>, Vec<Range<usize>>) = table
            .rows
            .iter()
            .filter_map(|row| Some((row.cells.get(column)?, row.span())))
            .map(|(cell, row)| (plain_text(cell.text(&doc.text)), row))
            .filter(|(m, _)| declared::is_type_name(m))
            .unzip();
        if !members.is_empty() {
            out.push(EnumTable {
                name: name.to_string(),
                members,
                member_rows,
                header: table.header.span(),
                header_at: doc.span_pos(&table.header.span()),
            });
        }
    }
    out
}

/// `riskLevel values` → `riskLevel`.
fn enum_heading(text: &str) -> Option<&str> {
    let name = text.trim().strip_suffix(" values")?.trim();
    declared::is_type_name(name).then_some(name)
}

/// One row of a property table.
#[derive(Debug, Clone)]
pub struct TableRow {
    /// The property name (first word of the name cell, markup removed).
    pub name: String,
    /// The type cell, markup removed.
    pub type_text: String,
    /// Where the type cell is, when the table has a type column.
    pub type_cell: Option<Range<usize>>,
    /// The description cell, markup removed ("" without a description column, and from
    /// [`TableRules::typed_rows`]).
    pub description: String,
    /// Where the description cell is, when the table has a description column.
    pub description_cell: Option<Range<usize>>,
    /// The whole row.
    pub row: Range<usize>,
    /// The name cell.
    pub name_span: Range<usize>,
}

/// The text of a table cell with Markdown markup removed: links keep their text
/// (`[identitySet](identityset.md)`, `[identitySet][]` → `identitySet`), emphasis and code
/// markers, HTML tags and backslash escapes go, `&nbsp;` becomes a space.
pub fn plain_text(cell: &str) -> String {
    let mut out = Text(String::with_capacity(cell.len()));
    // Found on the first `_` that needs it: most cells have none.
    let mut last_close: Option<Option<usize>> = None;
    let bytes = cell.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        // Ordinary text is copied as it is, a run at a time.
        let run = bytes[i..]
            .iter()
            .position(|&b| !ORDINARY[usize::from(b)])
            .map_or(bytes.len(), |n| i + n);
        if run > i {
            out.0.push_str(&cell[i..run]);
            i = run;
            continue;
        }
        if bytes[i] == b' ' {
            out.push(' ');
            i += 1;
            continue;
        }
        let Some(c) = cell[i..].chars().next() else {
            break;
        };
        let next = i + c.len_utf8();
        i = match c {
            '\\' => match cell[next..].chars().next() {
                Some(escaped) => {
                    out.push(escaped);
                    next + escaped.len_utf8()
                }
                None => next,
            },
            '*' | '`' | '[' => next,
            // `_` opens emphasis only when a later `_` closes it: `_id` is a name.
            '_' if (out.is_empty() || out.ends_with(' '))
                && last_close
                    .get_or_insert_with(|| last_closing_underscore(cell))
                    .is_some_and(|close| close > i + 1) =>
            {
                next
            }
            '_' if matches!(bytes.get(next), None | Some(b' ' | b'_')) => next,
            // An HTML tag: skip to its end.
            '<' => match cell[i..].find('>') {
                Some(end) => {
                    out.push(' ');
                    i + end + 1
                }
                None => {
                    out.push(c);
                    next
                }
            },
            ']' => {
                // The end of a link text: drop `(dest)`, `[label]` or `[]` after it.
                let rest = &cell[next..];
                let close = match rest.as_bytes().first() {
                    Some(b'(') => rest.find(')'),
                    Some(b'[') => rest.find(']'),
                    _ => None,
                };
                close.map_or(next, |close| next + close + 1)
            }
            '&' if cell[i..].starts_with("&nbsp;") => {
                out.push(' ');
                i + "&nbsp;".len()
            }
            _ => {
                out.push(c);
                next
            }
        };
    }
    let mut text = out.0;
    text.truncate(text.trim_end().len());
    text
}

/// The bytes [`plain_text`] copies as they are: ASCII that is neither whitespace nor markup.
const ORDINARY: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 128 {
        #[allow(clippy::cast_possible_truncation)] // b < 128
        let byte = b as u8;
        table[b] = !matches!(
            byte,
            b'\t'..=b'\r' | b' ' | b'\\' | b'*' | b'`' | b'_' | b'<' | b']' | b'[' | b'&'
        );
        b += 1;
    }
    table
};

/// The position of the last `_` that can close emphasis: one that ends a word (no space
/// before it, no letter or digit after it).
fn last_closing_underscore(cell: &str) -> Option<usize> {
    memchr::memrchr_iter(b'_', cell.as_bytes()).find(|&j| {
        j > 0
            && !cell[..j].ends_with(' ')
            && cell[j + 1..]
                .chars()
                .next()
                .is_none_or(|n| !n.is_alphanumeric())
    })
}

/// Text being built with runs of whitespace collapsed to one space and none at the start.
struct Text(String);

impl Text {
    fn push(&mut self, c: char) {
        if c.is_whitespace() {
            if !self.0.is_empty() && !self.0.ends_with(' ') {
                self.0.push(' ');
            }
        } else {
            self.0.push(c);
        }
    }

    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn ends_with(&self, c: char) -> bool {
        self.0.ends_with(c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enum_headings_name_the_enum() {
        assert_eq!(enum_heading("riskLevel values"), Some("riskLevel"));
        assert_eq!(enum_heading("Roles property values"), None);
        assert_eq!(enum_heading("values"), None);
    }

    #[test]
    fn plain_text_removes_markup() {
        assert_eq!(plain_text("[identitySet](identityset.md)"), "identitySet");
        assert_eq!(
            plain_text("[itemActivity][] collection"),
            "itemActivity collection"
        );
        assert_eq!(plain_text("[audio][ref]"), "audio");
        assert_eq!(plain_text("**id**"), "id");
        assert_eq!(plain_text("`displayName`"), "displayName");
        assert_eq!(plain_text("String<br>Read-only"), "String Read-only");
        assert_eq!(plain_text("_italic_"), "italic");
        assert_eq!(plain_text("_id (deprecated)"), "_id (deprecated)");
        assert_eq!(plain_text("_an italic phrase_"), "an italic phrase");
        assert_eq!(plain_text("on_premises\\_sync"), "on_premises_sync");
        assert_eq!(plain_text("a&nbsp;b"), "a b");
        assert_eq!(
            plain_text("Collection([user](user.md))"),
            "Collection(user)"
        );
        assert_eq!(plain_text("[broken"), "broken");
        assert_eq!(plain_text("é]("), "é(");
    }
}
