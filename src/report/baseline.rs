//! Baselines for legacy debt: `--write-baseline FILE` records the fingerprints of today's
//! diagnostics, `--baseline FILE` hides them and lists the entries that no longer occur, so
//! the baseline can only shrink.
//!
//! The file is a JSON list with one entry per diagnostic. Matching uses the fingerprint only
//! (rule, path, normalised line text and message, never the line number), so findings survive
//! lines moving; the other fields tell a reader what an entry was. A fingerprint recorded
//! twice hides two identical findings, not more. Plain fingerprint strings are accepted as
//! entries too.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::diagnostic::Diagnostic;

/// One recorded diagnostic.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// The diagnostic's fingerprint: what matching uses.
    pub fingerprint: String,
    /// Rule id when recorded.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub rule: String,
    /// Path when recorded.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub path: String,
    /// Line when recorded (for readers only: lines may move).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub line: u32,
    /// Message when recorded.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub message: String,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

/// An entry as the file may spell it: an object, or just the fingerprint.
#[derive(Deserialize)]
#[serde(untagged)]
enum StoredEntry {
    Fingerprint(String),
    Full(Entry),
}

impl From<StoredEntry> for Entry {
    fn from(stored: StoredEntry) -> Entry {
        match stored {
            StoredEntry::Full(entry) => entry,
            StoredEntry::Fingerprint(fingerprint) => Entry {
                fingerprint,
                rule: String::new(),
                path: String::new(),
                line: 0,
                message: String::new(),
            },
        }
    }
}

impl Entry {
    /// `path:line: RULE message`, or the bare fingerprint when the entry has no details, on
    /// one line whatever the baseline file holds.
    pub fn describe(&self) -> String {
        use super::escape::line;
        if self.path.is_empty() {
            return format!("fingerprint {}", line(&self.fingerprint));
        }
        let message = self.message.replace(['\n', '\r'], " ");
        format!(
            "{}:{}: {} {}",
            line(&self.path),
            self.line,
            line(&self.rule),
            line(&message)
        )
    }
}

/// A baseline file that cannot be read, parsed or written.
#[derive(Debug)]
pub enum BaselineError {
    /// The file cannot be read.
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: crate::files::ReadError,
    },
    /// The file is not a list of baseline entries.
    Invalid {
        /// The file.
        path: PathBuf,
        /// Why.
        source: serde_json::Error,
    },
    /// The file cannot be written.
    Write {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

impl fmt::Display for BaselineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BaselineError::Read { path, source } => {
                write!(f, "cannot read the baseline {}: {source}", path.display())
            }
            BaselineError::Invalid { path, source } => write!(
                f,
                "the baseline {} is invalid: {source}; a baseline is a JSON list of entries written by --write-baseline",
                path.display()
            ),
            BaselineError::Write { path, source } => {
                write!(f, "cannot write the baseline {}: {source}", path.display())
            }
        }
    }
}

impl std::error::Error for BaselineError {}

/// A set of recorded diagnostics.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Baseline {
    entries: Vec<Entry>,
}

/// What applying a baseline did.
#[derive(Debug, Default)]
pub struct Applied {
    /// Diagnostics hidden.
    pub hidden: usize,
    /// Entries that matched no diagnostic.
    pub stale: Vec<Entry>,
}

impl Baseline {
    /// A baseline recording these diagnostics.
    pub fn record(diagnostics: &[Diagnostic]) -> Baseline {
        let entries = diagnostics
            .iter()
            .map(|d| Entry {
                fingerprint: d.fingerprint.clone(),
                rule: d.rule.to_string(),
                path: d.location.path.clone(),
                line: d.location.line,
                message: d.message.clone(),
            })
            .collect();
        Baseline { entries }
    }

    /// The recorded entries.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// Parses a baseline file's text.
    pub fn parse(text: &str) -> Result<Baseline, serde_json::Error> {
        let stored: Vec<StoredEntry> = serde_json::from_str(text)?;
        Ok(Baseline {
            entries: stored.into_iter().map(Entry::from).collect(),
        })
    }

    /// Reads a baseline file.
    pub fn load(path: &Path) -> Result<Baseline, BaselineError> {
        let text =
            crate::files::read_text(path, crate::files::BASELINE_LIMIT).map_err(|source| {
                BaselineError::Read {
                    path: path.to_path_buf(),
                    source,
                }
            })?;
        Baseline::parse(&text).map_err(|source| BaselineError::Invalid {
            path: path.to_path_buf(),
            source,
        })
    }

    /// The baseline as pretty JSON, one entry per diagnostic, with a trailing newline.
    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(&self.entries)
            .unwrap_or_else(|e| format!("[] // cannot serialise the baseline: {e}"));
        text.push('\n');
        text
    }

    /// Writes the baseline file.
    pub fn write(&self, path: &Path) -> Result<(), BaselineError> {
        crate::files::write_atomically(path, |out| out.write_all(self.to_json().as_bytes()))
            .map_err(|source| BaselineError::Write {
                path: path.to_path_buf(),
                source,
            })
    }

    /// Removes the diagnostics the baseline records, each entry hiding at most one
    /// diagnostic, and returns the count hidden and the entries left over.
    pub fn apply(&self, diagnostics: &mut Vec<Diagnostic>) -> Applied {
        let mut remaining: HashMap<&str, usize> = HashMap::with_capacity(self.entries.len());
        for entry in &self.entries {
            *remaining.entry(entry.fingerprint.as_str()).or_default() += 1;
        }
        let before = diagnostics.len();
        diagnostics.retain(|d| match remaining.get_mut(d.fingerprint.as_str()) {
            Some(count) if *count > 0 => {
                *count -= 1;
                false
            }
            _ => true,
        });
        // The last entries of a fingerprint are the stale ones; entries are in report order.
        let mut stale: Vec<Entry> = Vec::new();
        for entry in self.entries.iter().rev() {
            if let Some(count) = remaining.get_mut(entry.fingerprint.as_str()) {
                if *count > 0 {
                    *count -= 1;
                    stale.push(entry.clone());
                }
            }
        }
        stale.reverse();
        Applied {
            hidden: before - diagnostics.len(),
            stale,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Location, Severity};
    use crate::rule::Rule;

    fn diagnostic(fingerprint: &str, line: u32) -> Diagnostic {
        Diagnostic {
            rule: Rule::SectionEmpty,
            severity: Severity::Error,
            location: Location {
                path: "a.md".into(),
                line,
                column: 1,
                end_line: line,
                end_column: 2,
            },
            message: "m".into(),
            help: None,
            related: Vec::new(),
            fix: None,
            fingerprint: fingerprint.into(),
            span: 0..0,
            file: Some(0),
            source: None,
        }
    }

    #[test]
    fn identical_findings_are_counted() {
        let recorded = Baseline::record(&[diagnostic("f", 1), diagnostic("f", 2)]);
        let mut three = vec![diagnostic("f", 5), diagnostic("f", 6), diagnostic("f", 7)];
        let applied = recorded.apply(&mut three);
        assert_eq!((applied.hidden, three.len()), (2, 1));
        assert!(applied.stale.is_empty());

        let mut one = vec![diagnostic("f", 9)];
        let applied = recorded.apply(&mut one);
        assert_eq!((applied.hidden, one.len()), (1, 0));
        assert_eq!(applied.stale.len(), 1);
        assert_eq!(applied.stale[0].line, 2);
    }

    #[test]
    fn the_file_round_trips_and_accepts_bare_fingerprints() {
        let recorded = Baseline::record(&[diagnostic("abc", 3)]);
        assert_eq!(Baseline::parse(&recorded.to_json()).unwrap(), recorded);
        let bare = Baseline::parse(r#"["abc", {"fingerprint": "def"}]"#).unwrap();
        let prints: Vec<&str> = bare
            .entries()
            .iter()
            .map(|e| e.fingerprint.as_str())
            .collect();
        assert_eq!(prints, ["abc", "def"]);
        assert!(Baseline::parse(r#"{"fingerprint": "abc"}"#).is_err());
    }
}
