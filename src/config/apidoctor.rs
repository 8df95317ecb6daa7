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
    /// `pathsToIgnore` (link prefixes treated as external).
    pub paths_to_ignore: Vec<String>,
    /// The document outline (`apiPageType`, `resourcePageType`, … keys), when a config has one.
    pub document_outline: Option<Value>,
    /// `tableDefinitions`, when a config has them.
    pub table_definitions: Option<Value>,
    /// Which file gave which key (`schemaConfig.baseUrls`, `pathsToIgnore`, …), in reading order.
    origins: Vec<(String, PathBuf)>,
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
];

impl ApiDoctorConfig {
    /// Reads every ApiDoctor config among `json_files` (other JSON files are skipped after a
    /// cheap text check); every config that is not valid JSON is an error.
    pub fn load(json_files: &[PathBuf]) -> Result<ApiDoctorConfig, Vec<ConfigError>> {
        let mut config = ApiDoctorConfig::default();
        let mut errors = Vec::new();
        for path in json_files {
            let Ok(text) = crate::files::read_text(path, 2 << 20) else {
                continue;
            };
            if !MARKERS.iter().any(|m| text.contains(m)) {
                continue;
            }
            match serde_json::from_str::<Value>(&text) {
                Ok(value) => config.merge(path, &value),
                Err(e) => errors.push(ConfigError {
                    path: path.clone(),
                    line: e.line(),
                    column: e.column(),
                    message: format!("ApiDoctor configuration is not valid JSON: {e}"),
                }),
            }
        }
        if errors.is_empty() {
            Ok(config)
        } else {
            Err(errors)
        }
    }

    /// The files that gave a key (`schemaConfig.baseUrls`, `pathsToIgnore`, `tableDefinitions`,
    /// `documentOutline`), for saying where imported values came from.
    pub fn origins(&self, key: &str) -> Vec<&Path> {
        self.origins
            .iter()
            .filter(|(k, _)| *k == key)
            .map(|(_, path)| path.as_path())
            .collect()
    }

    fn merge(&mut self, path: &Path, value: &Value) {
        self.files.push(path.to_path_buf());
        let schema = value.get("schemaConfig");
        for key in [
            "baseUrls",
            "requiredYamlHeaders",
            "foldersToSkip",
            "filesToSkip",
        ] {
            if schema.and_then(|s| s.get(key)).is_some() {
                self.origins
                    .push((format!("schemaConfig.{key}"), path.to_path_buf()));
            }
        }
        for key in ["pathsToIgnore", "tableDefinitions"] {
            if value.get(key).is_some() {
                self.origins.push((key.to_string(), path.to_path_buf()));
            }
        }
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
        }
        extend(&mut self.paths_to_ignore, value.get("pathsToIgnore"), false);
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
            self.origins
                .push(("documentOutline".to_string(), path.to_path_buf()));
            self.document_outline.get_or_insert_with(|| value.clone());
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
