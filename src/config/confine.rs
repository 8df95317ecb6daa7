//! The paths a configuration file names (`root`, a known-scopes file, `[repos]` checkouts…)
//! stay inside the repository that holds the file, or inside the file's own folder outside a
//! repository: a configuration written by a stranger cannot make doclint read, walk or probe
//! the rest of the machine.

use std::path::{Path, PathBuf};

use super::ConfigError;
use crate::files;

/// Resolves and reads the paths one configuration file names.
#[derive(Debug, Clone)]
pub struct ConfigPaths {
    /// The configuration file.
    source: PathBuf,
    /// The folder its relative paths start from.
    base: PathBuf,
    /// The folder they must stay in.
    boundary: PathBuf,
}

impl ConfigPaths {
    /// The paths named by the configuration file `source`, relative to its folder.
    pub fn of(source: &Path) -> ConfigPaths {
        let base = match source.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        ConfigPaths {
            source: source.to_path_buf(),
            base,
            boundary: files::config_boundary(source),
        }
    }

    /// The folder the paths must stay in.
    pub fn boundary(&self) -> &Path {
        &self.boundary
    }

    /// The path `value` of the setting `key` names, when it stays inside the boundary.
    pub fn resolve(&self, key: &str, value: &str) -> Result<PathBuf, ConfigError> {
        files::confine(&self.base, value, &self.boundary).map_err(|why| {
            self.error(format!(
                "{key} {:?} cannot be used: {why}; name a path inside it",
                crate::report::escape::line(value)
            ))
        })
    }

    /// The text of the file `value` of the setting `key` names: inside the boundary, a
    /// regular UTF-8 file of at most [`files::CONFIG_LIMIT`] bytes.
    pub fn read(&self, key: &str, value: &str) -> Result<String, ConfigError> {
        let path = self.resolve(key, value)?;
        files::read_text(&path, files::CONFIG_LIMIT).map_err(|why| {
            self.error(format!(
                "cannot read the {key} file {}: {why}",
                crate::report::escape::line(&crate::paths::display(&path))
            ))
        })
    }

    /// Checks that the configuration file itself, named inside the boundary, does not lead
    /// outside it through a symbolic link.
    pub fn check_source(&self) -> Result<(), ConfigError> {
        let name = self
            .source
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        files::confine(&self.base, &name, &self.boundary)
            .map(drop)
            .map_err(|why| self.error(format!("the configuration file cannot be used: {why}")))
    }

    fn error(&self, message: String) -> ConfigError {
        ConfigError {
            path: self.source.clone(),
            line: 0,
            column: 0,
            message,
        }
    }
}
