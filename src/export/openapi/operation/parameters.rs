//! The parameters of an operation: the path's placeholders, the query options its URL writes
//! or its query parameter section names, and the request headers its table lists.

use oas3::spec::{Parameter, ParameterIn, Schema};

use super::{section_text, table_role, Builder, TableRole};
use crate::document::Document;
use crate::export::openapi::paths::ApiPath;
use crate::export::openapi::schemas;
use crate::schema::declared::{self, Declared};
use crate::schema::tables::TableRow;

/// OData system query options a page may say it supports.
const ODATA_OPTIONS: [&str; 10] = [
    "$select",
    "$expand",
    "$filter",
    "$orderby",
    "$top",
    "$skip",
    "$count",
    "$search",
    "$format",
    "$skipToken",
];

/// Headers OpenAPI describes elsewhere (security, media types) and ignores as parameters.
const IGNORED_HEADERS: [&str; 3] = ["authorization", "content-type", "accept"];

impl Builder<'_> {
    /// The path parameters: one per placeholder of the path, typed and described by the
    /// path parameter table's row where there is one.
    pub(super) fn path_parameters(
        &self,
        path: &ApiPath,
        tables: &[(TableRole, Vec<TableRow>)],
    ) -> Vec<Parameter> {
        path.parameters
            .iter()
            .map(|p| {
                let written = p.written.split('|').next().unwrap_or("").trim();
                let row = [
                    p.function_parameter.as_deref(),
                    Some(written),
                    Some(p.name.as_str()),
                ]
                .into_iter()
                .flatten()
                .find_map(|name| find_row(tables, TableRole::Path, name));
                let description = match (row, p.written.as_str()) {
                    (Some(row), _) if !row.description.is_empty() => Some(row.description.clone()),
                    (_, written) if written != p.name => {
                        Some(format!("The docs write `{{{written}}}`."))
                    }
                    _ => None,
                };
                parameter(
                    &p.name,
                    ParameterIn::Path,
                    true,
                    description,
                    self.row_schema(row),
                )
            })
            .collect()
    }

    /// The schema of a parameter row's type (a string when the row gives none or it does not
    /// resolve).
    fn row_schema(&self, row: Option<&TableRow>) -> Schema {
        let declared = row.map_or(Declared::Unknown, |r| {
            declared::from_table_cell(&r.type_text)
        });
        match declared {
            Declared::Unknown => schemas::primitive(declared::Primitive::String),
            declared => self
                .schemas
                .of(&declared, "")
                .unwrap_or_else(|_| schemas::primitive(declared::Primitive::String)),
        }
    }

    /// Query parameters: those the URL writes (`?startDateTime={start}`; required unless an
    /// OData option), the rows of the query parameter tables, and the OData options the
    /// query parameter section names.
    pub(super) fn query_parameters(
        &self,
        doc: &Document,
        url: &str,
        tables: &[(TableRole, Vec<TableRow>)],
    ) -> Vec<Parameter> {
        let mut out: Vec<Parameter> = Vec::new();
        let add = |out: &mut Vec<Parameter>, parameter: Parameter| {
            if !out
                .iter()
                .any(|p| p.name.eq_ignore_ascii_case(&parameter.name))
            {
                out.push(parameter);
            }
        };
        if let Some((_, query)) = url.split_once('?') {
            for pair in query.split('&') {
                let name = pair.split('=').next().unwrap_or("").trim();
                if !is_parameter_name(name) {
                    continue;
                }
                let row = find_row(tables, TableRole::Query, name);
                let description = row.map(|r| r.description.clone()).filter(|d| !d.is_empty());
                let required = !name.starts_with('$');
                add(
                    &mut out,
                    parameter(
                        name,
                        ParameterIn::Query,
                        required,
                        description,
                        self.row_schema(row),
                    ),
                );
            }
        }
        for row in tables
            .iter()
            .filter(|(role, _)| *role == TableRole::Query)
            .flat_map(|(_, rows)| rows)
            .filter(|r| is_parameter_name(&r.name))
        {
            let description = Some(row.description.clone()).filter(|d| !d.is_empty());
            let required = says_required(&row.description);
            add(
                &mut out,
                parameter(
                    &row.name,
                    ParameterIn::Query,
                    required,
                    description,
                    self.row_schema(Some(row)),
                ),
            );
        }
        for option in odata_options(doc) {
            let string = schemas::primitive(declared::Primitive::String);
            add(
                &mut out,
                parameter(option, ParameterIn::Query, false, None, string),
            );
        }
        out
    }
}

/// The row of a `role` table that documents `name`.
fn find_row<'t>(
    tables: &'t [(TableRole, Vec<TableRow>)],
    role: TableRole,
    name: &str,
) -> Option<&'t TableRow> {
    tables
        .iter()
        .filter(|(r, _)| *r == role)
        .flat_map(|(_, rows)| rows)
        .find(|row| row.name.eq_ignore_ascii_case(name))
}

pub(super) fn header_parameters(tables: &[(TableRole, Vec<TableRow>)]) -> Vec<Parameter> {
    let mut out: Vec<Parameter> = Vec::new();
    for row in tables
        .iter()
        .filter(|(role, _)| *role == TableRole::Headers)
        .flat_map(|(_, rows)| rows)
    {
        let name = row.name.trim_end_matches(':');
        if !is_parameter_name(name)
            || IGNORED_HEADERS.contains(&name.to_ascii_lowercase().as_str())
            || out.iter().any(|p| p.name.eq_ignore_ascii_case(name))
        {
            continue;
        }
        let text = [row.type_text.as_str(), row.description.as_str()]
            .iter()
            .filter(|t| !t.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(" ");
        let required = says_required(&text);
        let description = Some(text).filter(|t| !t.is_empty());
        out.push(parameter(
            name,
            ParameterIn::Header,
            required,
            description,
            schemas::primitive(declared::Primitive::String),
        ));
    }
    out
}

fn parameter(
    name: &str,
    location: ParameterIn,
    required: bool,
    description: Option<String>,
    schema: Schema,
) -> Parameter {
    Parameter {
        name: name.to_string(),
        location,
        description,
        required: Some(required),
        deprecated: None,
        allow_empty_value: None,
        style: None,
        explode: None,
        allow_reserved: None,
        schema: Some(schema),
        example: None,
        examples: Default::default(),
        content: None,
        extensions: Default::default(),
    }
}

/// Whether a name can be a parameter's: letters, digits, `$`, `-`, `_` and `.`.
fn is_parameter_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '$' | '-' | '_' | '.'))
}

/// Whether a description says the parameter is required ("Required.", not "Optional").
fn says_required(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    lower.contains("required") && !lower.contains("optional") && !lower.contains("not required")
}

/// The OData query options the page's query parameter section mentions.
fn odata_options(doc: &Document) -> Vec<&'static str> {
    let Some(h) = doc
        .headings
        .iter()
        .position(|h| h.tab().is_none() && table_role(&h.text) == Some(TableRole::Query))
    else {
        return Vec::new();
    };
    let text = doc.slice(&section_text(doc, h));
    ODATA_OPTIONS
        .into_iter()
        .filter(|option| {
            text.match_indices(option).any(|(i, _)| {
                !text[i + option.len()..]
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_alphanumeric())
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn required_in_descriptions() {
        assert!(says_required("Bearer {token}. Required."));
        assert!(!says_required("Optional. Not required."));
    }
}
