//! Settings of the links and includes rules that need more than a lookup: required and
//! forbidden includes (compiled globs), and the dependent repositories DocFX knows about.

use std::path::Path;

use globset::GlobSet;

use super::file::IncludeRule;
use super::{glob_set, ConfigError, Problems, Step};

/// One required or forbidden include, its globs compiled.
#[derive(Debug, Clone)]
pub struct IncludeCheck {
    /// The globs as written, for messages.
    pub paths: Vec<String>,
    /// The compiled globs.
    pub globs: GlobSet,
    /// The include's file name or path suffix, as written.
    pub include: String,
}

impl IncludeCheck {
    /// Whether an include target (a doc-set path or the target as written) is this include:
    /// its file name, or a path suffix ending at a `/`, compared ignoring case.
    pub fn matches(&self, target: &str) -> bool {
        let wanted = self.include.trim_start_matches("./");
        if target.is_ascii() && wanted.is_ascii() {
            // The usual case, compared in place: ASCII lower-casing is byte for byte.
            let (target, wanted) = (target.as_bytes(), wanted.as_bytes());
            let suffix = target.len().checked_sub(wanted.len() + 1);
            return target.eq_ignore_ascii_case(wanted)
                || suffix.is_some_and(|at| {
                    target[at] == b'/' && target[at + 1..].eq_ignore_ascii_case(wanted)
                });
        }
        let target = target.to_lowercase();
        let wanted = wanted.to_lowercase();
        target == wanted || target.ends_with(&format!("/{wanted}"))
    }
}

/// `[[includes.require]]` and `[[includes.forbid]]`, or the built-in defaults: pages under
/// `beta/api/` or `beta/resources/` must include `beta-disclaimer.md`, and other API and
/// resource pages (`**/api/**`, `**/resources/**`) must not. A page a `require` entry applies
/// to is never flagged by a `forbid` entry for the same include.
#[derive(Debug, Clone, Default)]
pub struct IncludePolicy {
    /// Includes pages must have.
    pub require: Vec<IncludeCheck>,
    /// Includes pages must not have.
    pub forbid: Vec<IncludeCheck>,
}

impl IncludePolicy {
    /// Compiles the configured entries, falling back to the defaults per list; an invalid
    /// glob is a problem of the configuration file.
    pub(crate) fn load(
        require: Option<&[IncludeRule]>,
        forbid: Option<&[IncludeRule]>,
        problems: &mut Problems<'_>,
    ) -> IncludePolicy {
        let default_require = [IncludeRule {
            paths: vec!["**/beta/api/**".into(), "**/beta/resources/**".into()],
            include: "beta-disclaimer.md".into(),
        }];
        let default_forbid = [IncludeRule {
            paths: vec!["**/api/**".into(), "**/resources/**".into()],
            include: "beta-disclaimer.md".into(),
        }];
        let mut compile = |kind: &str, rules: &[IncludeRule]| -> Vec<IncludeCheck> {
            rules
                .iter()
                .enumerate()
                .map(|(i, rule)| {
                    let at = [
                        Step::Key("includes"),
                        Step::Key(kind),
                        Step::Index(i),
                        Step::Key("paths"),
                    ];
                    IncludeCheck {
                        paths: rule.paths.clone(),
                        globs: glob_set(&rule.paths, &at, problems),
                        include: rule.include.clone(),
                    }
                })
                .collect()
        };
        IncludePolicy {
            require: compile("require", require.unwrap_or(&default_require)),
            forbid: compile("forbid", forbid.unwrap_or(&default_forbid)),
        }
    }
}

/// The folder names (`path_to_root`) of the dependent repositories that DocFX's
/// `.openpublishing.publish.config.json` at `root` names; empty when there is none or it is
/// not valid JSON. A publishing config that is there but cannot be read (not a regular file,
/// too large, a symbolic link out of `root`) is an error.
pub fn dependent_repositories(root: &Path) -> Result<Vec<String>, ConfigError> {
    const NAME: &str = ".openpublishing.publish.config.json";
    let file = root.join(NAME);
    if std::fs::symlink_metadata(&file).is_err() {
        return Ok(Vec::new());
    }
    let text = crate::files::confine(root, NAME, root)
        .and_then(|file| {
            crate::files::read_text(&file, crate::files::CONFIG_LIMIT).map_err(|e| e.to_string())
        })
        .map_err(|why| ConfigError {
            path: file.clone(),
            line: 0,
            column: 0,
            message: format!("cannot read the publishing configuration: {why}"),
        })?;
    let Ok(value) = serde_json::from_str::<serde_json::Value>(&text) else {
        return Ok(Vec::new());
    };
    Ok(value
        .get("dependent_repositories")
        .and_then(|v| v.as_array())
        .into_iter()
        .flatten()
        .filter_map(|repo| repo.get("path_to_root")?.as_str())
        .map(|name| name.trim_matches('/').to_string())
        .filter(|name| !name.is_empty())
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn include_matches_file_name_or_suffix() {
        let mut problems = Problems::new(Path::new("x"), "");
        let check = IncludePolicy::load(None, None, &mut problems)
            .require
            .remove(0);
        assert!(check.matches("api-reference/includes/beta-disclaimer.md"));
        assert!(check.matches("../../includes/Beta-Disclaimer.md"));
        assert!(!check.matches("includes/not-beta-disclaimer.md"));
        assert!(check.globs.is_match("api-reference/beta/api/x.md"));
        assert!(!check.globs.is_match("api-reference/v1.0/api/x.md"));
    }
}
