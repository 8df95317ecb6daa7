//! Reading files that may come from a stranger's pull request: only regular files (a FIFO
//! would block the run, a device such as `/dev/zero` never ends), never more than a size
//! limit, and for paths that a configuration names, never outside the folder that bounds
//! that configuration.

use std::fmt;
use std::io::{Read, Write};
use std::path::{Component, Path, PathBuf};

/// The largest page doclint reads (a page is never near this; 100 MB pages are checked).
pub const PAGE_LIMIT: u64 = 256 << 20;

/// The largest configuration-like file doclint reads: doclint.toml, a known-scopes list, a
/// publishing config, an ignore file.
pub const CONFIG_LIMIT: u64 = 16 << 20;

/// The largest baseline doclint reads (one entry per finding of a whole doc set).
pub const BASELINE_LIMIT: u64 = 256 << 20;

/// Why a file was not read.
#[derive(Debug)]
pub enum ReadError {
    /// Opening or reading failed.
    Io(std::io::Error),
    /// The path names something other than a regular file (what it is).
    NotRegular(&'static str),
    /// The file is larger than the limit.
    TooLarge {
        /// Its size in bytes.
        size: u64,
        /// The limit in bytes.
        limit: u64,
    },
    /// The file is not UTF-8 text.
    NotUtf8,
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::Io(e) if e.kind() == std::io::ErrorKind::NotFound => {
                f.write_str("it does not exist")
            }
            ReadError::Io(e) if e.kind() == std::io::ErrorKind::PermissionDenied => {
                f.write_str("permission denied")
            }
            ReadError::Io(e) => write!(f, "{e}"),
            ReadError::NotRegular(kind) => write!(f, "it is {kind}, not a regular file"),
            ReadError::TooLarge { size, limit } => write!(
                f,
                "it is {} MB, more than the {} MB doclint reads",
                size.div_ceil(1 << 20),
                limit >> 20
            ),
            ReadError::NotUtf8 => f.write_str("it is not UTF-8 text"),
        }
    }
}

impl std::error::Error for ReadError {}

impl ReadError {
    /// Whether the file is gone (deleted, or a broken symbolic link).
    pub fn is_not_found(&self) -> bool {
        matches!(self, ReadError::Io(e) if e.kind() == std::io::ErrorKind::NotFound)
    }

    /// Why the file cannot be read, for a message that starts "cannot read the file: "
    /// (a file that is gone says so in words rather than with the system's error).
    pub fn why(&self) -> String {
        if self.is_not_found() {
            "it no longer exists".into()
        } else {
            self.to_string()
        }
    }
}

/// Checks that `path` (symbolic links followed) is a regular file of at most `limit` bytes,
/// without opening it.
pub fn check_regular(path: &Path, limit: u64) -> Result<std::fs::Metadata, ReadError> {
    let meta = std::fs::metadata(path).map_err(ReadError::Io)?;
    if !meta.is_file() {
        return Err(ReadError::NotRegular(kind(&meta.file_type())));
    }
    if meta.len() > limit {
        return Err(ReadError::TooLarge {
            size: meta.len(),
            limit,
        });
    }
    Ok(meta)
}

/// The bytes of a regular file of at most `limit` bytes. Anything else is never read: the
/// file is opened without blocking (a FIFO with no writer would block a plain open) and its
/// type and size are checked on the open descriptor, so the path is looked up once and a path
/// swapped after the walk cannot slip through. The bytes are those of the size seen then.
pub fn read(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    read_open(open_nonblocking(path)?, limit)
}

/// [`read`] of a file opened (without blocking) by the caller.
fn read_open(file: std::fs::File, limit: u64) -> Result<Vec<u8>, ReadError> {
    let meta = file.metadata().map_err(ReadError::Io)?;
    if !meta.is_file() {
        return Err(ReadError::NotRegular(kind(&meta.file_type())));
    }
    if meta.len() > limit {
        return Err(ReadError::TooLarge {
            size: meta.len(),
            limit,
        });
    }
    // Reading at most the size just seen takes one `read` call for the whole file (no probe
    // for more); a file that grows meanwhile is read as it was.
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.take(meta.len())
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    Ok(bytes)
}

/// Reads files as [`read`] does, opening each relative to its folder, which stays open for
/// the next file of the same folder: the system then looks up one name instead of every
/// folder of the path again (a Graph run opens 38,000 files seven folders deep; `open` took
/// 6% of its CPU time by whole paths, 4.7% in the files' folders).
///
/// For a run of files, one after the other (the pages of a run come sorted, so most follow a
/// file of the same folder); the folder is held open until the next file's differs or the
/// value is dropped. A folder that cannot be opened, and a path that does not end in a plain
/// name, are read by their whole path, as [`read`] does.
#[derive(Debug, Default)]
pub struct Folders {
    /// The folder of the last file read (its path's text) and the folder opened.
    #[cfg(unix)]
    open: Option<(std::ffi::OsString, std::os::fd::OwnedFd)>,
}

impl Folders {
    /// The bytes of a regular file of at most `limit` bytes, as [`read`] gives them.
    pub fn read(&mut self, path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
        read_open(self.open(path)?, limit)
    }

    #[cfg(unix)]
    fn open(&mut self, path: &Path) -> Result<std::fs::File, ReadError> {
        use rustix::fs::{Mode, OFlags};
        use std::os::unix::ffi::OsStrExt;

        let bytes = path.as_os_str().as_bytes();
        // The folder and a plain name after it: opened in the folder, the name is the path.
        let split = memchr::memrchr(b'/', bytes).filter(|&slash| {
            let name = &bytes[slash + 1..];
            slash > 0 && !matches!(name, b"" | b"." | b"..")
        });
        let Some(slash) = split else {
            return open_nonblocking(path);
        };
        let (folder, name) = (
            std::ffi::OsStr::from_bytes(&bytes[..slash]),
            std::ffi::OsStr::from_bytes(&bytes[slash + 1..]),
        );
        let held = matches!(&self.open, Some((open, _)) if open.as_os_str() == folder);
        if !held {
            self.open = None;
            let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC;
            match rustix::fs::open(folder, flags, Mode::empty()) {
                Ok(fd) => self.open = Some((folder.to_os_string(), fd)),
                // Its errors are those of the whole path.
                Err(_) => return open_nonblocking(path),
            }
        }
        let Some((_, dir)) = &self.open else {
            return open_nonblocking(path);
        };
        // The flags `open_nonblocking` gives (the standard library adds close-on-exec).
        let flags = OFlags::RDONLY | OFlags::NONBLOCK | OFlags::NOCTTY | OFlags::CLOEXEC;
        rustix::fs::openat(dir, name, flags, Mode::empty())
            .map(std::fs::File::from)
            .map_err(|errno| ReadError::Io(errno.into()))
    }

    #[cfg(not(unix))]
    fn open(&mut self, path: &Path) -> Result<std::fs::File, ReadError> {
        open_nonblocking(path)
    }
}

/// Opens a file for reading without blocking on a FIFO or a device that has nothing to read.
fn open_nonblocking(path: &Path) -> Result<std::fs::File, ReadError> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY);
    }
    #[cfg(not(unix))]
    {
        // No FIFOs to block on: the type is checked before opening, as the open descriptor's
        // type is after.
        check_regular(path, u64::MAX)?;
    }
    options.open(path).map_err(ReadError::Io)
}

/// The text of a regular UTF-8 file of at most `limit` bytes (see [`read`]).
pub fn read_text(path: &Path, limit: u64) -> Result<String, ReadError> {
    String::from_utf8(read(path, limit)?).map_err(|_| ReadError::NotUtf8)
}

/// Writes a file all at once: into a new temporary file beside it, renamed over `path` once
/// complete, so that a reader (or a second run writing the same file) never sees half a file,
/// and a failed write (a full disk) leaves the old file as it was. A `path` that exists and is
/// not a regular file (`/dev/stdout`, a FIFO) is written directly; a file replaced keeps its
/// permissions. The data is not forced to the disk (no fsync): the rename is what readers rely
/// on, and `--fix` writing thousands of pages spent most of its time waiting for the disk; a
/// crash right after the run may lose the change.
pub fn write_atomically(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    if std::fs::metadata(path).is_ok_and(|m| !m.is_file()) {
        let mut out = std::io::BufWriter::new(std::fs::OpenOptions::new().write(true).open(path)?);
        write(&mut out)?;
        return out.flush();
    }
    let (temporary, file) = temporary_beside(path)?;
    let written = (|| {
        // A file replaced keeps its permissions.
        if let Ok(existing) = std::fs::metadata(path) {
            file.set_permissions(existing.permissions())?;
        }
        let mut out = std::io::BufWriter::new(file);
        write(&mut out)?;
        out.into_inner().map_err(|e| e.into_error())?;
        std::fs::rename(&temporary, path)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    written
}

/// A new file beside `path`, named after it, that no other run uses.
fn temporary_beside(path: &Path) -> std::io::Result<(PathBuf, std::fs::File)> {
    use std::sync::atomic::{AtomicU32, Ordering};
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    loop {
        let unique = format!(
            ".{name}.{}-{nanos}-{}.tmp",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        );
        let candidate = folder.join(unique);
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&candidate)
        {
            Ok(file) => return Ok((candidate, file)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
}

/// What a file type is, in words.
fn kind(file_type: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return "a FIFO";
        }
        if file_type.is_char_device() || file_type.is_block_device() {
            return "a device";
        }
        if file_type.is_socket() {
            return "a socket";
        }
    }
    if file_type.is_dir() {
        "a directory"
    } else {
        "something else"
    }
}

/// The folder that bounds the paths a configuration file names: the repository it is in (the
/// nearest folder above it holding `.git`), or its own folder outside a repository. The file's
/// own symbolic link, if any, is not followed: where it is named decides.
pub fn config_boundary(config: &Path) -> PathBuf {
    let folder = config
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let folder = std::fs::canonicalize(folder).unwrap_or_else(|_| folder.to_path_buf());
    folder
        .ancestors()
        .find(|dir| dir.join(".git").exists())
        .unwrap_or(&folder)
        .to_path_buf()
}

/// `base` joined with `relative` (a path written in a configuration file), provided that it
/// stays inside `boundary` once `.`, `..` and symbolic links are resolved. A path that does
/// not exist is judged by its text. Returns the joined path, or why it is refused.
pub fn confine(base: &Path, relative: &str, boundary: &Path) -> Result<PathBuf, String> {
    let joined = base.join(relative);
    let boundary = std::fs::canonicalize(boundary).unwrap_or_else(|_| boundary.to_path_buf());
    let resolved = match std::fs::canonicalize(&joined) {
        Ok(real) => real,
        Err(_) => lexical(&std::path::absolute(&joined).unwrap_or_else(|_| joined.clone())),
    };
    if crate::paths::is_within(&resolved, &boundary) {
        Ok(joined)
    } else {
        Err(format!(
            "{} is outside {}, the folder this configuration may name paths in",
            crate::paths::display(&resolved),
            crate::paths::display(&boundary)
        ))
    }
}

/// An absolute path with `.` and `..` resolved by its text alone.
fn lexical(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_regular_files_within_the_limit_are_read() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.md");
        std::fs::write(&file, "hello").unwrap();
        assert_eq!(read_text(&file, 5).unwrap(), "hello");
        let err = read(&file, 4).unwrap_err();
        assert!(
            matches!(err, ReadError::TooLarge { size: 5, limit: 4 }),
            "{err}"
        );
        let err = read(dir.path(), 10).unwrap_err();
        assert_eq!(err.to_string(), "it is a directory, not a regular file");
        #[cfg(unix)]
        {
            let err = read(Path::new("/dev/zero"), 10).unwrap_err();
            assert_eq!(err.to_string(), "it is a device, not a regular file");
        }
        assert!(read(&dir.path().join("gone"), 10)
            .unwrap_err()
            .is_not_found());
    }

    /// Files read in their folders are read as by their whole paths: the same bytes, the same
    /// errors, across folders and back.
    #[test]
    fn files_read_in_their_folders_are_read_as_by_path() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        std::fs::create_dir(root.join("sub")).unwrap();
        std::fs::write(root.join("a.md"), "a").unwrap();
        std::fs::write(root.join("sub/b.md"), "bb").unwrap();
        std::fs::write(root.join("big.md"), "too large").unwrap();
        let paths = [
            "a.md",
            "sub/b.md",
            "sub/gone.md",
            "sub",
            "big.md",
            "a.md",
            "sub/.",
            "sub/..",
            "gone/c.md",
            "sub/b.md",
        ];
        let mut folders = Folders::default();
        for name in paths {
            let path = root.join(name);
            let by_path = read(&path, 5).map_err(|e| e.to_string());
            let in_folder = folders.read(&path, 5).map_err(|e| e.to_string());
            assert_eq!(in_folder, by_path, "{name}");
        }
        let relative = Path::new("Cargo.toml");
        assert_eq!(
            folders.read(relative, PAGE_LIMIT).unwrap(),
            read(relative, PAGE_LIMIT).unwrap()
        );
        #[cfg(unix)]
        assert_eq!(
            folders
                .read(Path::new("/dev/zero"), 10)
                .unwrap_err()
                .to_string(),
            "it is a device, not a regular file"
        );
    }

    #[test]
    fn confined_paths_stay_inside_the_boundary() {
        let dir = tempfile::tempdir().unwrap();
        let root = std::fs::canonicalize(dir.path()).unwrap();
        std::fs::create_dir(root.join("docs")).unwrap();
        assert!(confine(&root, "docs", &root).is_ok());
        assert!(confine(&root, "docs/../docs/new", &root).is_ok());
        assert!(confine(&root, "..", &root).is_err());
        assert!(confine(&root, "/", &root).is_err());
        assert!(confine(&root, "docs/../../x", &root).is_err());
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink("/", root.join("docs/up")).unwrap();
            assert!(confine(&root, "docs/up/etc", &root).is_err());
        }
    }
}
