//! Why a run could not happen: the error every entry point of the run returns.

use std::path::PathBuf;

use crate::config::{ConfigError, LoadError};
use crate::diff::DiffError;
use crate::report::baseline::BaselineError;

/// Why a run could not happen (exit 2).
#[derive(Debug)]
pub enum RunError {
    /// Configuration files are invalid (DL905): every problem found.
    Config(Vec<ConfigError>),
    /// A command-line option is invalid, such as `--select` naming an unknown rule.
    Usage(String),
    /// A path given on the command line does not exist.
    PathNotFound(PathBuf),
    /// The worker threads could not be started.
    Threads(rayon::ThreadPoolBuildError),
    /// The `--baseline` file cannot be read or is invalid.
    Baseline(BaselineError),
    /// `--diff-base` cannot be resolved in the repository.
    DiffBase(DiffError),
}

impl std::fmt::Display for RunError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RunError::Config(errors) => {
                let lines: Vec<String> = errors.iter().map(ConfigError::to_string).collect();
                f.write_str(&lines.join("\n"))
            }
            RunError::Usage(message) => f.write_str(message),
            RunError::PathNotFound(path) => write!(
                f,
                "path not found: {}; give existing files or directories",
                path.display()
            ),
            RunError::Threads(e) => write!(f, "cannot start worker threads: {e}"),
            RunError::Baseline(e) => e.fmt(f),
            RunError::DiffBase(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for RunError {}

impl From<ConfigError> for RunError {
    fn from(e: ConfigError) -> Self {
        RunError::Config(vec![e])
    }
}

impl From<LoadError> for RunError {
    fn from(e: LoadError) -> Self {
        match e {
            LoadError::Usage(message) => RunError::Usage(message),
            LoadError::Config(errors) => RunError::Config(errors),
        }
    }
}
