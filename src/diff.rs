//! `--diff-base REF`: the lines added or changed since `git merge-base REF HEAD`, so a pull
//! request is held only to what it touches. Git runs as a subprocess; the rules still see
//! the whole doc set, and only the report is filtered.

use std::collections::HashMap;
use std::fmt;
use std::ops::RangeInclusive;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::diagnostic::Diagnostic;
use crate::paths;

/// The changed lines of each changed file, by reported path.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ChangedLines {
    files: HashMap<String, Changes>,
}

/// What changed in one file.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
struct Changes {
    /// Every line is new (an untracked file).
    whole: bool,
    /// Added or changed lines, 1-based, in diff order.
    lines: Vec<RangeInclusive<u32>>,
}

/// Why `--diff-base` cannot be resolved.
#[derive(Debug)]
pub enum DiffError {
    /// The base looks like an option, not a revision.
    NotARevision(String),
    /// The checked folder is not in a git repository.
    NotARepository {
        /// The folder.
        dir: PathBuf,
        /// What git said.
        git: GitError,
    },
    /// The base and HEAD have no merge base (an unknown or unfetched revision).
    NoMergeBase {
        /// The revision.
        base: String,
        /// What git said.
        git: GitError,
    },
    /// `git diff` failed.
    Diff(GitError),
    /// `git ls-files` (the untracked files) failed.
    Untracked(GitError),
}

impl fmt::Display for DiffError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DiffError::NotARevision(base) => write!(f, "--diff-base {base:?} is not a git revision"),
            DiffError::NotARepository { dir, git } => write!(
                f,
                "--diff-base needs a git repository, and {} is not in one ({git})",
                paths::display(dir)
            ),
            DiffError::NoMergeBase { base, git } => write!(
                f,
                "--diff-base: cannot find the merge base of {base:?} and HEAD ({git}); is the revision fetched? (actions/checkout needs `fetch-depth: 0`)"
            ),
            DiffError::Diff(git) => write!(f, "--diff-base: git diff failed ({git})"),
            DiffError::Untracked(git) => write!(f, "--diff-base: git ls-files failed ({git})"),
        }
    }
}

impl std::error::Error for DiffError {}

/// A git command that could not run or failed.
#[derive(Debug)]
pub enum GitError {
    /// git could not be started.
    Spawn(std::io::Error),
    /// git exited with an error.
    Failed {
        /// The git subcommand, e.g. `diff`.
        command: String,
        /// The first line git printed on stderr.
        reason: String,
    },
}

impl fmt::Display for GitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GitError::Spawn(e) => write!(f, "cannot run git: {e}"),
            GitError::Failed { command, reason } => write!(f, "git {command}: {reason}"),
        }
    }
}

impl ChangedLines {
    /// The changes between `git merge-base <base> HEAD` and the working tree of the repository
    /// holding `dir`, untracked files included.
    pub fn since(base: &str, dir: &Path) -> Result<ChangedLines, DiffError> {
        if base.starts_with('-') {
            return Err(DiffError::NotARevision(base.to_string()));
        }
        let toplevel =
            git(dir, &["rev-parse", "--show-toplevel"]).map_err(|e| DiffError::NotARepository {
                dir: dir.to_path_buf(),
                git: e,
            })?;
        let toplevel = PathBuf::from(toplevel.trim_end_matches(['\n', '\r']));
        let merge_base =
            git(dir, &["merge-base", base, "HEAD"]).map_err(|e| DiffError::NoMergeBase {
                base: base.to_string(),
                git: e,
            })?;
        let merge_base = merge_base.trim();
        let diff = git(
            &toplevel,
            &[
                "-c",
                "core.quotePath=false",
                "diff",
                "--no-color",
                "--no-ext-diff",
                "--no-textconv",
                "--no-renames",
                "--unified=0",
                "--src-prefix=a/",
                "--dst-prefix=b/",
                merge_base,
                "--",
            ],
        )
        .map_err(DiffError::Diff)?;
        let untracked = git(
            &toplevel,
            &["ls-files", "--others", "--exclude-standard", "-z"],
        )
        .map_err(DiffError::Untracked)?;
        let mut changed = ChangedLines::parse_diff(&diff, &toplevel);
        for path in untracked.split('\0').filter(|p| !p.is_empty()) {
            changed
                .files
                .entry(paths::display(&toplevel.join(path)))
                .or_default()
                .whole = true;
        }
        Ok(changed)
    }

    /// Reads `git diff --unified=0` output; paths are relative to `toplevel`.
    pub fn parse_diff(diff: &str, toplevel: &Path) -> ChangedLines {
        let mut files: HashMap<String, Changes> = HashMap::new();
        let mut current: Option<String> = None;
        // Between `diff --git` and the first hunk: an added line may itself start with `++ `.
        let mut in_header = false;
        for line in diff.lines() {
            if line.starts_with("diff --git ") {
                current = None;
                in_header = true;
            } else if let Some(target) = line.strip_prefix("+++ ").filter(|_| in_header) {
                current = unquote(target)
                    .strip_prefix("b/")
                    .map(|path| paths::display(&toplevel.join(path)));
                if let Some(path) = &current {
                    files.entry(path.clone()).or_default();
                }
            } else if line.starts_with("@@ ") {
                in_header = false;
                let changes = current.as_ref().and_then(|path| files.get_mut(path));
                if let (Some(changes), Some(lines)) = (changes, hunk_lines(line)) {
                    changes.lines.push(lines);
                }
            }
        }
        ChangedLines { files }
    }

    /// Whether a diagnostic is reported: its file changed, and it touches an added or changed
    /// line or is about the whole file (reported at line 1).
    pub fn keeps(&self, diagnostic: &Diagnostic) -> bool {
        let Some(changes) = self.files.get(&diagnostic.location.path) else {
            return false;
        };
        let first = diagnostic.location.line;
        let last = diagnostic.location.end_line.max(first);
        changes.whole
            || first == 1
            || changes
                .lines
                .iter()
                .any(|range| *range.start() <= last && first <= *range.end())
    }
}

/// The new-side lines of a hunk header `@@ -a,b +c,d @@`; `None` for other lines and for
/// hunks that only delete.
fn hunk_lines(line: &str) -> Option<RangeInclusive<u32>> {
    let rest = line.strip_prefix("@@ -")?;
    let new_side = rest.split(' ').nth(1)?.strip_prefix('+')?;
    let (start, count) = match new_side.split_once(',') {
        Some((start, count)) => (start.parse::<u32>().ok()?, count.parse::<u32>().ok()?),
        None => (new_side.parse::<u32>().ok()?, 1),
    };
    (count > 0).then(|| start..=start.saturating_add(count - 1))
}

/// A path as `git diff` prints it: C-quoted when it holds special characters.
fn unquote(path: &str) -> String {
    let path = path.trim_end_matches('\t');
    let Some(inner) = path.strip_prefix('"').and_then(|p| p.strip_suffix('"')) else {
        return path.to_string();
    };
    let mut bytes = Vec::with_capacity(inner.len());
    let mut chars = inner.bytes().peekable();
    while let Some(byte) = chars.next() {
        if byte != b'\\' {
            bytes.push(byte);
            continue;
        }
        match chars.next() {
            Some(b'n') => bytes.push(b'\n'),
            Some(b't') => bytes.push(b'\t'),
            Some(b'r') => bytes.push(b'\r'),
            Some(b'a') => bytes.push(0x07),
            Some(b'b') => bytes.push(0x08),
            Some(b'f') => bytes.push(0x0c),
            Some(b'v') => bytes.push(0x0b),
            Some(digit @ b'0'..=b'3') => {
                // At most \377: three octal digits, the first 0 to 3, fit a byte.
                let mut value = digit - b'0';
                for _ in 0..2 {
                    if let Some(next @ b'0'..=b'7') = chars.peek().copied() {
                        value = value * 8 + (next - b'0');
                        chars.next();
                    }
                }
                bytes.push(value);
            }
            Some(other) => bytes.push(other),
            None => bytes.push(b'\\'),
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

/// Runs git in `dir` and returns its standard output, or what went wrong.
fn git(dir: &Path, args: &[&str]) -> Result<String, GitError> {
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .map_err(GitError::Spawn)?;
    if output.status.success() {
        return Ok(String::from_utf8_lossy(&output.stdout).into_owned());
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    let reason = stderr
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("no message");
    Err(GitError::Failed {
        command: args.first().unwrap_or(&"").to_string(),
        reason: reason.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hunks_give_the_new_lines() {
        assert_eq!(hunk_lines("@@ -3,0 +4,2 @@ ## Heading"), Some(4..=5));
        assert_eq!(hunk_lines("@@ -3 +3 @@"), Some(3..=3));
        assert_eq!(hunk_lines("@@ -3,2 +2,0 @@"), None);
        assert_eq!(hunk_lines("+@@ -3 +3 @@"), None);
    }

    #[test]
    fn quoted_paths_are_decoded() {
        assert_eq!(
            unquote("\"b/caf\\303\\251 \\\"x\\\".md\""),
            "b/café \"x\".md"
        );
        assert_eq!(unquote("b/plain name.md\t"), "b/plain name.md");
    }

    #[test]
    fn a_diff_maps_files_to_changed_lines() {
        let diff = "diff --git a/docs/a.md b/docs/a.md\n\
                    --- a/docs/a.md\n\
                    +++ b/docs/a.md\n\
                    @@ -1,0 +2,3 @@\n\
                    +x\n\
                    +++ not a header\n\
                    diff --git a/gone.md b/gone.md\n\
                    --- a/gone.md\n\
                    +++ /dev/null\n\
                    @@ -1,2 +0,0 @@\n";
        let root = std::env::current_dir().unwrap();
        let changed = ChangedLines::parse_diff(diff, &root);
        assert_eq!(changed.files.len(), 1);
        assert_eq!(changed.files["docs/a.md"].lines, vec![2..=4]);
    }
}
