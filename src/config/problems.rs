//! The problems of one configuration file, collected as the settings are resolved so that one
//! run reports all of them, each at its line and column.

use std::ops::Range;
use std::path::Path;

use super::file::{locate, Step};
use super::{line_column, ConfigError};

/// The problems found so far in one configuration file (`text` is its content, for positions).
#[derive(Debug)]
pub(crate) struct Problems<'a> {
    path: &'a Path,
    text: &'a str,
    errors: Vec<ConfigError>,
}

impl<'a> Problems<'a> {
    pub(crate) fn new(path: &'a Path, text: &'a str) -> Self {
        Problems {
            path,
            text,
            errors: Vec::new(),
        }
    }

    /// A problem at a byte range of the text (or with no position).
    pub(crate) fn at(&mut self, span: Option<Range<usize>>, message: String) {
        let (line, column) = span.map_or((0, 0), |s| line_column(self.text, s.start));
        self.errors.push(ConfigError {
            path: self.path.to_path_buf(),
            line,
            column,
            message,
        });
    }

    /// A problem with the value at a key path (`[Key("permissions"), Key("order")]`).
    pub(crate) fn at_key(&mut self, key: &[Step<'_>], message: String) {
        let span = locate(self.text, key);
        self.at(span, message);
    }

    /// A problem found elsewhere (another file, or one that knows its own position).
    pub(crate) fn push(&mut self, error: ConfigError) {
        self.errors.push(error);
    }

    /// An error about the value at a key path: placed there when it has no position of its own
    /// in this file.
    pub(crate) fn keyed(&mut self, key: &[Step<'_>], error: ConfigError) {
        if error.path == self.path && error.line == 0 {
            self.at_key(key, error.message);
        } else {
            self.push(error);
        }
    }

    /// A result's value, or `None` with its error recorded (see [`Problems::keyed`]).
    pub(crate) fn take<T>(
        &mut self,
        key: &[Step<'_>],
        result: Result<T, ConfigError>,
    ) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(error) => {
                self.keyed(key, error);
                None
            }
        }
    }

    /// The problems: those of this file in file order, then those of other files.
    pub(crate) fn into_errors(mut self) -> Vec<ConfigError> {
        let path = self.path.to_path_buf();
        self.errors
            .sort_by_key(|e| (e.path != path, e.line, e.column));
        self.errors
    }
}
