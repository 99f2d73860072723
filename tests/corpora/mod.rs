//! The real-world corpora of `tests/corpora_parity.rs`: which package each
//! one comes from (`tests/corpora/pins`), where its unpacked migrations are
//! cached (`scripts/fetch-corpora.sh` puts them there; this module calls it
//! when they are missing), and the project around them (`tests/corpora/<name>/`:
//! our `alembic.ini`, stock `env.py`, stubs of what the scripts import).

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::dbsupport;

fn manifest() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The cache directory, as `scripts/fetch-corpora.sh` computes it.
pub fn cache_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("RETORT_CORPORA_CACHE") {
        return PathBuf::from(dir);
    }
    let base = std::env::var_os("XDG_CACHE_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME")
                .filter(|v| !v.is_empty())
                .map(|h| PathBuf::from(h).join(".cache"))
        })
        .unwrap_or_else(|| manifest().join("target"));
    base.join("retort-corpora")
}

/// `(requirement, version)` of corpus `name` in the pins file.
fn pin(name: &str) -> (String, String) {
    let path = manifest().join("tests/corpora/pins");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    for line in text.lines() {
        let mut words = line.split_whitespace();
        if words.next() != Some(name) {
            continue;
        }
        let req = words
            .next()
            .unwrap_or_else(|| panic!("pins: no requirement for {name}"));
        let (_, version) = req
            .split_once("==")
            .unwrap_or_else(|| panic!("pins: {req} is not pinned with =="));
        return (req.to_string(), version.to_string());
    }
    panic!("{name} is not in {}", path.display());
}

/// The unpacked tree of corpus `name` (the package's own paths), fetched
/// first if the cache lacks it; `None` after a SKIPPED banner (a failure on
/// CI) when it cannot be had (no network and no cache).
pub fn unpacked(name: &str, alembic: &Path) -> Option<PathBuf> {
    let (req, version) = pin(name);
    let dir = cache_dir().join(format!("{name}-{version}"));
    if dir.is_dir() {
        return Some(dir);
    }
    let script = manifest().join("scripts/fetch-corpora.sh");
    let status = Command::new(&script)
        .arg(name)
        .env("RETORT_CORPORA_CACHE", cache_dir())
        .env("RETORT_CORPORA_PYTHON", alembic.with_file_name("python"))
        .status()
        .map_or_else(|e| e.to_string(), |s| s.to_string());
    if dir.is_dir() {
        return Some(dir);
    }
    dbsupport::skip(&format!(
        "corpus {name}: {req} is neither in the cache ({}) nor downloadable \
         (scripts/fetch-corpora.sh {name}: {status})",
        dir.display()
    ));
    None
}

/// The trees that make up corpus `name`'s project: ours, then the
/// package's migrations under `pkgs/` (on `prepend_sys_path`, beside the
/// stubs).
pub fn trees(name: &str, unpacked: &Path) -> Vec<(PathBuf, PathBuf)> {
    vec![
        (manifest().join("tests/corpora").join(name), PathBuf::new()),
        (unpacked.to_path_buf(), PathBuf::from("pkgs")),
    ]
}
