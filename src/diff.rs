//! `--diff-base REF`: the lines added or changed since `git merge-base REF HEAD`, so a pull
//! request is held only to what it touches. Git runs as a subprocess; the rules still see
//! the whole doc set, and only the report is filtered.
//!
//! The files being checked may come from a stranger: git is run on the repository found from
//! the working directory (never discovered from inside the doc set, where a pull request can
//! plant a repository of its own), with bare-repository discovery, fsmonitor, hooks, pagers,
//! external diff programs and text conversion turned off.

use std::collections::HashMap;
use std::fmt;
use std::ops::RangeInclusive;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::diagnostic::Diagnostic;
use crate::paths;
use crate::report::escape::line;

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
    /// The working directory cannot be read.
    WorkingDirectory(std::io::Error),
    /// The working directory is not in a git repository.
    NotARepository {
        /// The working directory.
        dir: PathBuf,
        /// What git said.
        git: GitError,
    },
    /// The repository's git directory is not its `.git` folder: it may have been planted by
    /// the files being checked.
    UnexpectedGitDir {
        /// The repository's top folder.
        toplevel: PathBuf,
        /// Its git directory.
        git_dir: PathBuf,
    },
    /// The doc set lies outside the working directory's repository.
    OutsideRepository {
        /// The doc-set root.
        root: PathBuf,
        /// The repository's top folder.
        toplevel: PathBuf,
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
            DiffError::WorkingDirectory(e) => {
                write!(f, "--diff-base: cannot read the working directory: {e}")
            }
            DiffError::NotARepository { dir, git } => write!(
                f,
                "--diff-base needs a git repository, and the working directory {} is not in one ({git}); run doclint from inside the repository",
                line(&dir.display().to_string())
            ),
            DiffError::UnexpectedGitDir { toplevel, git_dir } => write!(
                f,
                "--diff-base: refusing the git repository at {}: its git directory {} is not its .git folder",
                line(&paths::display(toplevel)),
                line(&paths::display(git_dir))
            ),
            DiffError::OutsideRepository { root, toplevel } => write!(
                f,
                "--diff-base: the doc set {} is not in the git repository of the working directory ({}); run doclint from inside the doc set's repository",
                line(&paths::display(root)),
                line(&paths::display(toplevel))
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
            GitError::Failed { command, reason } => write!(f, "git {command}: {}", line(reason)),
        }
    }
}

impl ChangedLines {
    /// The changes between `git merge-base <base> HEAD` and the working tree of the repository
    /// the working directory is in, untracked files included. `root` (the doc-set root) must
    /// lie in that repository.
    pub fn since(base: &str, root: &Path) -> Result<ChangedLines, DiffError> {
        if base.starts_with('-') {
            return Err(DiffError::NotARevision(base.to_string()));
        }
        let repository = Repository::of_working_directory()?;
        let root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
        if !paths::is_within(&root, &repository.toplevel) {
            return Err(DiffError::OutsideRepository {
                root,
                toplevel: repository.toplevel,
            });
        }
        let merge_base =
            repository
                .git(&["merge-base", base, "HEAD"])
                .map_err(|e| DiffError::NoMergeBase {
                    base: base.to_string(),
                    git: e,
                })?;
        let merge_base = merge_base.trim();
        let diff = repository
            .git(&[
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
            ])
            .map_err(DiffError::Diff)?;
        let untracked = repository
            .git(&["ls-files", "--others", "--exclude-standard", "-z"])
            .map_err(DiffError::Untracked)?;
        let toplevel = &repository.toplevel;
        let mut changed = ChangedLines::parse_diff(&diff, toplevel);
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

/// Settings given to every git call: nothing a repository's files or configuration can name
/// is run (fsmonitor and hook programs, pagers, external diff and text-conversion drivers),
/// no bare repository is discovered implicitly, and paths are printed unescaped.
const SAFE_GIT: &[&str] = &[
    "--no-pager",
    "-c",
    "safe.bareRepository=explicit",
    "-c",
    "core.fsmonitor=false",
    "-c",
    "core.hooksPath=/dev/null",
    "-c",
    "core.quotePath=false",
];

/// The git repository doclint compares with: its top folder and its git directory, both
/// checked to belong together.
#[derive(Debug)]
struct Repository {
    toplevel: PathBuf,
    git_dir: PathBuf,
}

impl Repository {
    /// The repository the working directory is in. Refused when its git directory is not the
    /// `.git` folder of its top folder (or the folder a `.git` file there names, as in a linked
    /// worktree or a submodule): such a repository was set up by something other than a clone.
    fn of_working_directory() -> Result<Repository, DiffError> {
        let cwd = std::env::current_dir().map_err(DiffError::WorkingDirectory)?;
        let not_a_repository = |git| DiffError::NotARepository {
            dir: cwd.clone(),
            git,
        };
        let output = run_git(
            None,
            &cwd,
            &["rev-parse", "--show-toplevel", "--absolute-git-dir"],
        )
        .map_err(not_a_repository)?;
        let mut lines = output.lines();
        let (Some(toplevel), Some(git_dir)) = (lines.next(), lines.next()) else {
            return Err(not_a_repository(GitError::Failed {
                command: "rev-parse".to_string(),
                reason: format!("no top folder and git directory in {output:?}"),
            }));
        };
        let canonical = |p: &str| std::fs::canonicalize(p).unwrap_or_else(|_| PathBuf::from(p));
        let repository = Repository {
            toplevel: canonical(toplevel),
            git_dir: canonical(git_dir),
        };
        if repository.git_dir_is_expected() {
            Ok(repository)
        } else {
            Err(DiffError::UnexpectedGitDir {
                toplevel: repository.toplevel,
                git_dir: repository.git_dir,
            })
        }
    }

    /// Whether the git directory is `<toplevel>/.git`, or what a `.git` file there points at.
    fn git_dir_is_expected(&self) -> bool {
        let dot_git = self.toplevel.join(".git");
        let Ok(meta) = std::fs::symlink_metadata(&dot_git) else {
            return false;
        };
        if meta.is_dir() {
            return std::fs::canonicalize(&dot_git).is_ok_and(|d| d == self.git_dir);
        }
        if !meta.is_file() || meta.len() > 4096 {
            return false;
        }
        let Ok(text) = std::fs::read_to_string(&dot_git) else {
            return false;
        };
        text.trim()
            .strip_prefix("gitdir:")
            .map(|target| self.toplevel.join(target.trim()))
            .and_then(|target| std::fs::canonicalize(target).ok())
            .is_some_and(|target| target == self.git_dir)
    }

    /// Runs git on this repository (its git directory and top folder given explicitly, so
    /// nothing is discovered) and returns its standard output.
    fn git(&self, args: &[&str]) -> Result<String, GitError> {
        run_git(Some(self), &self.toplevel, args)
    }
}

/// Runs git with [`SAFE_GIT`] in `dir`, on `repository` when given, and returns its standard
/// output, or what went wrong.
fn run_git(repository: Option<&Repository>, dir: &Path, args: &[&str]) -> Result<String, GitError> {
    let mut command = Command::new("git");
    command.args(SAFE_GIT);
    if let Some(repository) = repository {
        command
            .arg("--git-dir")
            .arg(&repository.git_dir)
            .arg("--work-tree")
            .arg(&repository.toplevel);
    }
    let output = command
        .args(args)
        .current_dir(dir)
        .env("GIT_PAGER", "cat")
        .env("PAGER", "cat")
        .env_remove("GIT_EXTERNAL_DIFF")
        .stdin(std::process::Stdio::null())
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
