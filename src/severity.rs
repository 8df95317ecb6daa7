//! How serious a finding is, and the level a rule is configured at.

use std::fmt;

use serde::Serialize;

/// How serious a diagnostic is. Ordered: `Info < Warning < Error`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing; never fails a run.
    Info,
    /// Probably wrong; fails a run only with `--fail-on warning`.
    Warning,
    /// Wrong; fails a run.
    Error,
}

impl Severity {
    /// The lower-case name used in configuration and output.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A configured level: a severity, or off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Level {
    /// The rule is not run (or its findings are dropped).
    Off,
    /// The rule reports at this severity.
    On(Severity),
}

impl Level {
    /// Parses `error`, `warning` (or `warn`), `info` and `off`.
    pub fn parse(text: &str) -> Option<Level> {
        Some(match text.to_ascii_lowercase().as_str() {
            "error" => Level::On(Severity::Error),
            "warning" | "warn" => Level::On(Severity::Warning),
            "info" => Level::On(Severity::Info),
            "off" | "none" | "allow" => Level::Off,
            _ => return None,
        })
    }

    /// The name of the level as configuration spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Off => "off",
            Level::On(s) => s.as_str(),
        }
    }
}
