//! Import of ApiDoctor's JSON configuration, so that doc sets that use ApiDoctor need no
//! doclint configuration of their own.

use std::path::{Path, PathBuf};

use serde_json::Value;

use super::ConfigError;

/// What the ApiDoctor configs of a doc set say, merged.
#[derive(Debug, Default, Clone)]
pub struct ApiDoctorConfig {
    /// The config files read.
    pub files: Vec<PathBuf>,
    /// `schemaConfig.baseUrls`.
    pub base_urls: Vec<String>,
    /// `schemaConfig.requiredYamlHeaders`.
    pub required_yaml_headers: Vec<String>,
    /// Whether any config had a `schemaConfig` (whose required headers then rule, even none).
    pub has_schema_config: bool,
    /// `schemaConfig.foldersToSkip`, lower-cased.
    pub folders_to_skip: Vec<String>,
    /// `schemaConfig.filesToSkip`, lower-cased.
    pub files_to_skip: Vec<String>,
    /// `schemaConfig.treatErrorsAsWarningsWorkloads`, lower-cased: errors on pages whose path
    /// holds one of these are warnings.
    pub errors_as_warnings: Vec<String>,
    /// `pathsToIgnore` (link prefixes treated as external).
    pub paths_to_ignore: Vec<String>,
    /// The document outline (`apiPageType`, `resourcePageType`, … keys), when a config has one.
    pub document_outline: Option<Value>,
    /// `tableDefinitions`, when a config has them.
    pub table_definitions: Option<Value>,
    /// `api-requirements` (allowed methods, URL length, headers, content types), when a
    /// config has them.
    pub api_requirements: Option<Value>,
}

/// Keys whose presence marks a JSON file as an ApiDoctor configuration.
const MARKERS: &[&str] = &[
    "\"schemaConfig\"",
    "\"pathsToIgnore\"",
    "\"tableDefinitions\"",
    "\"apiPageType\"",
    "\"resourcePageType\"",
    "\"conceptualPageType\"",
    "\"enumPageType\"",
    "\"api-requirements\"",
];

/// Keys that make a folder of ApiDoctor configuration a doc set of its own (an
/// `api-requirements` file alone, such as OneDrive's `tests/oneapi-design-v1.json`, only
/// configures the doc set that holds it).
pub const DOCSET_KEYS: &[&str] = &[
    "schemaConfig",
    "pathsToIgnore",
    "tableDefinitions",
    "apiPageType",
    "resourcePageType",
    "conceptualPageType",
    "enumPageType",
];

/// Reads a JSON file that may be an ApiDoctor configuration: `None` when it is not one (too
/// large, unreadable, or none of ApiDoctor's keys appear), an error when it is one that does
/// not parse.
pub fn read(path: &Path) -> Result<Option<Value>, ConfigError> {
    let Ok(text) = crate::files::read_text(path, 2 << 20) else {
        return Ok(None);
    };
    if !has_marker(&text) {
        return Ok(None);
    }
    serde_json::from_str(&text)
        .map(Some)
        .map_err(|e| ConfigError {
            path: path.to_path_buf(),
            line: e.line(),
            column: e.column(),
            message: format!("ApiDoctor configuration is not valid JSON: {e}"),
        })
}

/// Whether one of [`MARKERS`] occurs in `text`: each looked for with `memmem`, whose vector
/// search takes a few milliseconds over the 3.7 MB of JSON in the Graph checkout, where
/// `str::contains` took about ten times as long.
fn has_marker(text: &str) -> bool {
    static FINDERS: std::sync::OnceLock<Vec<memchr::memmem::Finder<'static>>> =
        std::sync::OnceLock::new();
    FINDERS
        .get_or_init(|| MARKERS.iter().map(memchr::memmem::Finder::new).collect())
        .iter()
        .any(|finder| finder.find(text.as_bytes()).is_some())
}

impl ApiDoctorConfig {
    /// Adds what one configuration file (at `path`) says.
    pub fn merge(&mut self, path: &Path, value: &Value) {
        self.files.push(path.to_path_buf());
        if let Some(schema) = value.get("schemaConfig") {
            self.has_schema_config = true;
            extend(&mut self.base_urls, schema.get("baseUrls"), false);
            extend(
                &mut self.required_yaml_headers,
                schema.get("requiredYamlHeaders"),
                false,
            );
            extend(&mut self.folders_to_skip, schema.get("foldersToSkip"), true);
            extend(&mut self.files_to_skip, schema.get("filesToSkip"), true);
            extend(
                &mut self.errors_as_warnings,
                schema.get("treatErrorsAsWarningsWorkloads"),
                true,
            );
        }
        extend(&mut self.paths_to_ignore, value.get("pathsToIgnore"), false);
        if let Some(requirements) = value.get("api-requirements") {
            self.api_requirements
                .get_or_insert_with(|| requirements.clone());
        }
        if let Some(tables) = value.get("tableDefinitions") {
            self.table_definitions.get_or_insert_with(|| tables.clone());
        }
        let outline_keys = [
            "apiPageType",
            "resourcePageType",
            "conceptualPageType",
            "enumPageType",
        ];
        if outline_keys.iter().any(|k| value.get(k).is_some()) {
            self.document_outline.get_or_insert_with(|| value.clone());
        }
    }

    /// The headings that open a Permissions section: the titles of the `AuthScopes` table
    /// definition, else `Permissions`.
    pub fn permission_titles(&self) -> Vec<String> {
        let titles: Vec<String> = self
            .table_definitions
            .as_ref()
            .and_then(|t| t.get("tables"))
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter(|t| t.get("type").and_then(Value::as_str) == Some("AuthScopes"))
            .filter_map(|t| t.get("titles").and_then(Value::as_array))
            .flatten()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect();
        if titles.is_empty() {
            vec!["Permissions".into()]
        } else {
            titles
        }
    }

    /// Whether a path (relative to the doc-set root, `/` separators) is skipped by
    /// `foldersToSkip` (any directory name) or `filesToSkip` (the file name), case-insensitively.
    pub fn skips(&self, docset_path: &str) -> bool {
        let lower = docset_path.to_ascii_lowercase();
        let mut parts: Vec<&str> = lower.split('/').collect();
        let file = parts.pop().unwrap_or("");
        self.files_to_skip.iter().any(|f| f == file)
            || parts
                .iter()
                .any(|dir| self.folders_to_skip.iter().any(|f| f == dir))
    }

    /// Whether the errors of a page (path relative to the doc-set root) are warnings: its path
    /// holds one of `treatErrorsAsWarningsWorkloads`, case-insensitively (ApiDoctor demotes the
    /// errors whose source names one of those workloads; Graph lists `intune`, whose pages are
    /// generated and named `intune-*.md`).
    pub fn treats_errors_as_warnings(&self, docset_path: &str) -> bool {
        !self.errors_as_warnings.is_empty() && {
            let lower = docset_path.to_ascii_lowercase();
            self.errors_as_warnings
                .iter()
                .any(|w| !w.is_empty() && lower.contains(w.as_str()))
        }
    }
}

fn extend(into: &mut Vec<String>, value: Option<&Value>, lower: bool) {
    let Some(items) = value.and_then(Value::as_array) else {
        return;
    };
    for item in items.iter().filter_map(Value::as_str) {
        let item = if lower {
            item.to_ascii_lowercase()
        } else {
            item.to_string()
        };
        if !into.contains(&item) {
            into.push(item);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{has_marker, MARKERS};

    /// A file is taken for ApiDoctor configuration when one of the markers occurs anywhere in
    /// it, quotes included, as `str::contains` finds it.
    #[test]
    fn markers_are_found_anywhere_quotes_included() {
        for marker in MARKERS {
            for text in [
                marker.to_string(),
                format!("{{ \"x\": 1, {marker}: {{}} }}"),
                format!("ü{marker}"),
                marker.trim_matches('"').to_string(),
                marker[..marker.len() - 1].to_string(),
            ] {
                assert_eq!(
                    has_marker(&text),
                    MARKERS.iter().any(|m| text.contains(m)),
                    "{text}"
                );
            }
        }
        assert!(!has_marker("{ \"name\": \"schemaconfig\" }"));
    }
}
