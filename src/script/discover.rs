//! Finding version files on disk, in Alembic's order, and reading their headers
//! (in parallel: large projects have tens of thousands of files).

use std::collections::HashSet;

use crate::fasthash::FxHashSet;
use std::path::{Path, PathBuf};

use super::{header, Script, ScriptDirectory, ScriptError, VersionSource};

/// Version files under the configured locations.
#[derive(Debug, Clone, Copy)]
pub struct FsSource<'a>(pub &'a ScriptDirectory);

impl VersionSource for FsSource<'_> {
    fn scripts(&self, warn: &mut dyn FnMut(String)) -> Result<Vec<Script>, ScriptError> {
        let dir = self.0;
        let mut listed = Vec::new();
        let mut locations = 0;
        for location in dir.version_locations.iter().filter(|l| l.exists()) {
            locations += 1;
            listed.extend(list_py_dir(location, dir.recursive, dir.sourceless)?);
        }
        // One location without links cannot list a file twice; only then is the
        // "loaded twice" check (a set of every path) needed.
        let dedupe = locations > 1 || listed.iter().any(|f| f.is_link);
        let mut seen: FxHashSet<Vec<u8>> = FxHashSet::default();
        let mut files = Vec::with_capacity(listed.len());
        for file in listed {
            // Directories were resolved once; only a linked file needs resolving.
            let real = if file.is_link {
                file.path.canonicalize().map_err(|source| ScriptError::Io {
                    path: file.path.clone(),
                    source,
                })?
            } else {
                file.path
            };
            // Keyed by the path's bytes: hashing a PathBuf walks its components.
            if dedupe && !seen.insert(real.as_os_str().as_encoded_bytes().to_vec()) {
                warn(format!(
                    "File {} loaded twice! ignoring. Please ensure version_locations is unique.",
                    real.display()
                ));
                continue;
            }
            if let Some(kind) = classify(&real, dir.sourceless) {
                files.push((real, kind));
            }
        }
        read_all(files)
    }
}

/// A directory entry, under its directory's resolved path.
struct Listed {
    path: PathBuf,
    is_link: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FileKind {
    Source,
    Compiled,
}

/// Alembic's file-name rules: `*.py` not starting with `.#` or `__init__`, plus
/// `.pyc`/`.pyo` when sourceless and no better file sits beside it.
fn classify(path: &Path, sourceless: bool) -> Option<FileKind> {
    let name = path.file_name()?.to_str()?;
    if name.starts_with(".#") || name.starts_with("__init__") {
        return None;
    }
    if name.ends_with(".py") {
        return Some(FileKind::Source);
    }
    if !sourceless {
        return None;
    }
    let (py_name, is_o) = if let Some(stem) = name.strip_suffix('c') {
        (stem, false)
    } else {
        (name.strip_suffix('o')?, true)
    };
    if !py_name.ends_with(".py") {
        return None;
    }
    let dir = path.parent()?;
    let pyc = format!("{py_name}c");
    if dir.join(py_name).exists() || (is_o && dir.join(pyc).exists()) {
        return None;
    }
    Some(FileKind::Compiled)
}

/// Alembic's `_list_py_dir`: a top-down walk, files sorted within a directory,
/// subdirectories in sorted order (only when recursive).
fn list_py_dir(root: &Path, recursive: bool, sourceless: bool) -> Result<Vec<Listed>, ScriptError> {
    let root = root.canonicalize().map_err(|source| ScriptError::Io {
        path: root.to_path_buf(),
        source,
    })?;
    let mut out = Vec::new();
    walk(&root, recursive, sourceless, &mut out)?;
    Ok(out)
}

fn walk(
    dir: &Path,
    recursive: bool,
    sourceless: bool,
    out: &mut Vec<Listed>,
) -> Result<(), ScriptError> {
    let io = |source| ScriptError::Io {
        path: dir.to_path_buf(),
        source,
    };
    let mut files = Vec::new();
    let mut dirs = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let entry = entry.map_err(io)?;
        let file_type = entry.file_type().map_err(io)?;
        let is_link = file_type.is_symlink();
        // os.walk lists a directory (or a link to one) under dirs, all else under
        // files; only links need a stat to tell.
        let is_dir = file_type.is_dir() || (is_link && entry.path().is_dir());
        if is_dir {
            dirs.push((entry.file_name(), is_link));
        } else {
            files.push((entry.file_name(), is_link));
        }
    }
    let in_pycache = dir
        .file_name()
        .is_some_and(|n| n.to_string_lossy().ends_with("__pycache__"));
    if !in_pycache {
        files.sort_by(|a, b| a.0.as_encoded_bytes().cmp(b.0.as_encoded_bytes()));
        out.extend(files.iter().map(|(name, is_link)| Listed {
            path: join_sized(dir, name),
            is_link: *is_link,
        }));
        if sourceless {
            let names: Vec<_> = files.iter().map(|(n, _)| n.clone()).collect();
            add_pycache(dir, &names, out)?;
        }
        if !recursive {
            return Ok(());
        }
    }
    dirs.sort_by(|a, b| a.0.as_encoded_bytes().cmp(b.0.as_encoded_bytes()));
    for (name, is_link) in dirs {
        if !is_link {
            walk(&dir.join(name), recursive, sourceless, out)?;
        }
    }
    Ok(())
}

/// `dir.join(name)` in one allocation (`join` grows the buffer once per file).
fn join_sized(dir: &Path, name: &std::ffi::OsStr) -> PathBuf {
    let mut path = PathBuf::with_capacity(dir.as_os_str().len() + name.len() + 1);
    path.push(dir);
    path.push(name);
    path
}

/// Compiled files in `__pycache__` whose module has no file in `dir`.
fn add_pycache(
    dir: &Path,
    files: &[std::ffi::OsString],
    out: &mut Vec<Listed>,
) -> Result<(), ScriptError> {
    let cache = dir.join("__pycache__");
    if !cache.exists() {
        return Ok(());
    }
    let stem = |n: &str| n.split('.').next().unwrap_or("").to_string();
    let names: HashSet<String> = files.iter().map(|f| stem(&f.to_string_lossy())).collect();
    let entries = std::fs::read_dir(&cache).map_err(|source| ScriptError::Io {
        path: cache.clone(),
        source,
    })?;
    for entry in entries.flatten() {
        if !names.contains(&stem(&entry.file_name().to_string_lossy())) {
            out.push(Listed {
                path: entry.path(),
                is_link: true,
            });
        }
    }
    Ok(())
}

/// Read every header; the first failure in file order is the one reported, as
/// Alembic stops at the first file that fails to load.
fn read_all(files: Vec<(PathBuf, FileKind)>) -> Result<Vec<Script>, ScriptError> {
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .min(8);
    if threads < 2 || files.len() < 512 {
        return Reader::default().read_many(files);
    }
    let chunk = files.len().div_ceil(threads);
    let mut parts: Vec<Vec<(PathBuf, FileKind)>> = Vec::new();
    let mut rest = files;
    while !rest.is_empty() {
        let tail = rest.split_off(chunk.min(rest.len()));
        parts.push(rest);
        rest = tail;
    }
    let results: Vec<Result<Vec<Script>, ScriptError>> = std::thread::scope(|s| {
        let handles: Vec<_> = parts
            .into_iter()
            .map(|part| s.spawn(move || Reader::default().read_many(part)))
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join().unwrap_or_else(|_| {
                    Err(ScriptError::Command(
                        "a worker reading version files panicked".into(),
                    ))
                })
            })
            .collect()
    });
    let mut parts = Vec::with_capacity(results.len());
    for r in results {
        parts.push(r?);
    }
    // The first part keeps its allocation; only the rest are copied.
    let total: usize = parts.iter().map(Vec::len).sum();
    let mut parts = parts.into_iter();
    let mut out = parts.next().unwrap_or_default();
    out.reserve_exact(total - out.len());
    for part in parts {
        out.extend(part);
    }
    Ok(out)
}

/// Reads files with few system calls: each directory is opened once and files
/// are opened relative to it (no path walk per file), into one reused buffer (no
/// size query per file). Tens of thousands of files make this the hot path.
#[derive(Default)]
struct Reader {
    dir: Option<(PathBuf, rustix::fd::OwnedFd)>,
    buf: Vec<u8>,
    /// How much of `buf` the last file filled.
    len: usize,
}

impl Reader {
    fn read_many(mut self, files: Vec<(PathBuf, FileKind)>) -> Result<Vec<Script>, ScriptError> {
        // Sized up front: collecting `Result`s would grow (and copy) the vector
        // step by step.
        let mut scripts = Vec::with_capacity(files.len());
        for file in files {
            scripts.push(self.read_one(file)?);
        }
        Ok(scripts)
    }

    fn read_one(&mut self, (path, kind): (PathBuf, FileKind)) -> Result<Script, ScriptError> {
        if kind == FileKind::Compiled {
            return Err(ScriptError::Invalid {
                path,
                message: "a compiled script without its source; retort reads version files statically and needs the .py file".to_string(),
            });
        }
        self.read(&path).map_err(|source| ScriptError::Io {
            path: path.clone(),
            source,
        })?;
        match header::read_header(self.buf.get(..self.len).unwrap_or_default()) {
            Ok(h) => Script::from_header(h, path),
            Err(source) => Err(ScriptError::Header { path, source }),
        }
    }

    fn read(&mut self, path: &Path) -> std::io::Result<()> {
        use rustix::fs::{openat, Mode, OFlags};
        let (Some(parent), Some(name)) = split_parent(path) else {
            self.buf = std::fs::read(path)?;
            self.len = self.buf.len();
            return Ok(());
        };
        // Compared as bytes: `Path` equality walks both paths' components.
        let same_dir =
            |d: &PathBuf| d.as_os_str().as_encoded_bytes() == parent.as_os_str().as_encoded_bytes();
        if self.dir.as_ref().is_none_or(|(d, _)| !same_dir(d)) {
            let fd = rustix::fs::open(
                parent,
                OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
                Mode::empty(),
            )?;
            self.dir = Some((parent.to_path_buf(), fd));
        }
        let Some((_, dir)) = &self.dir else {
            return Err(std::io::Error::other("directory handle missing"));
        };
        let fd = openat(dir, name, OFlags::RDONLY | OFlags::CLOEXEC, Mode::empty())?;
        let mut file = std::fs::File::from(fd);
        // Plain reads into a buffer kept zeroed at full length: std's
        // read_to_end would also ask for the size and position of every file.
        self.len = 0;
        loop {
            if self.len == self.buf.len() {
                let grow = self.buf.len().max(64 * 1024);
                self.buf.resize(self.buf.len() + grow, 0);
            }
            let n = match std::io::Read::read(&mut file, &mut self.buf[self.len..]) {
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if n == 0 {
                break;
            }
            self.len += n;
        }
        Ok(())
    }
}

/// `(path.parent(), path.file_name())`, cut at the last `/` when that is plainly
/// the same (listed files are a directory joined with a plain name), without
/// parsing components. The parent only names the directory to open, so a
/// spelling that differs from `parent()` (`a/.`) would still open the same one.
fn split_parent(path: &Path) -> (Option<&Path>, Option<&std::ffi::OsStr>) {
    let bytes = path.as_os_str().as_encoded_bytes();
    if let Some(cut) = bytes.iter().rposition(|&b| b == b'/') {
        let (dir, name) = (bytes.get(..cut), bytes.get(cut + 1..));
        if let (Some(dir), Some(name)) = (dir, name) {
            let plain_name = !name.is_empty() && name != b"." && name != b"..";
            let plain_dir = !dir.is_empty() && !dir.ends_with(b"/") && !dir.ends_with(b"/.");
            if plain_name && plain_dir {
                use std::os::unix::ffi::OsStrExt;
                let (dir, name) = (
                    std::ffi::OsStr::from_bytes(dir),
                    std::ffi::OsStr::from_bytes(name),
                );
                return (Some(Path::new(dir)), Some(name));
            }
        }
    }
    (path.parent(), path.file_name())
}
