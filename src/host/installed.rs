//! What the user's environment has installed, read from its package metadata
//! without starting Python: commands that need no script (a stock env.py's
//! `stamp --sql`) still write what that SQLAlchemy would write.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// A SQLAlchemy release line, `(major, minor)`.
pub type Line = (u32, u32);

/// The newest line retort is tested against: assumed when the environment's
/// SQLAlchemy cannot be found, since it is what installing Alembic gives today.
pub const NEWEST_SQLALCHEMY: Line = (2, 1);

/// The SQLAlchemy line of the interpreter retort would run scripts with
/// (found once per process).
pub fn sqlalchemy_line() -> Line {
    static LINE: OnceLock<Line> = OnceLock::new();
    *LINE.get_or_init(|| {
        super::interpreter::choose()
            .ok()
            .and_then(|i| find_sqlalchemy(&i.python))
            .unwrap_or(NEWEST_SQLALCHEMY)
    })
}

/// The version in the `sqlalchemy-X.Y.Z.dist-info` (or `.egg-info`) of the
/// environment `python` belongs to: a virtualenv's `lib/python3.*/site-packages`,
/// or a system prefix's `site-packages`/`dist-packages`.
fn find_sqlalchemy(python: &Path) -> Option<Line> {
    let prefix = python.parent()?.parent()?;
    let lib_dirs = [prefix.join("lib"), prefix.join("local/lib")];
    let mut package_dirs: Vec<PathBuf> = Vec::new();
    for lib in &lib_dirs {
        let Ok(entries) = std::fs::read_dir(lib) else {
            continue;
        };
        for entry in entries.flatten() {
            let name = entry.file_name();
            if name.to_string_lossy().starts_with("python3") {
                package_dirs.push(entry.path().join("site-packages"));
                package_dirs.push(entry.path().join("dist-packages"));
            }
        }
    }
    package_dirs.iter().find_map(|dir| line_in(dir))
}

fn line_in(dir: &Path) -> Option<Line> {
    std::fs::read_dir(dir).ok()?.flatten().find_map(|entry| {
        let name = entry.file_name().to_string_lossy().to_lowercase();
        let rest = name.strip_prefix("sqlalchemy-")?;
        let version = rest
            .strip_suffix(".dist-info")
            .or_else(|| rest.strip_suffix(".egg-info"))?;
        parse_line(version)
    })
}

fn parse_line(version: &str) -> Option<Line> {
    let mut parts = version.split('.');
    let major = parts.next()?.parse().ok()?;
    let minor: String = parts
        .next()?
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    Some((major, minor.parse().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_line_from_package_metadata() {
        let root = std::env::temp_dir().join(format!("retort-installed-{}", std::process::id()));
        let site = root.join("lib/python3.12/site-packages");
        std::fs::create_dir_all(site.join("SQLAlchemy-1.4.54.dist-info")).unwrap();
        std::fs::create_dir_all(root.join("bin")).unwrap();
        assert_eq!(find_sqlalchemy(&root.join("bin/python")), Some((1, 4)));
        std::fs::remove_dir_all(site.join("SQLAlchemy-1.4.54.dist-info")).unwrap();
        std::fs::create_dir_all(site.join("sqlalchemy-2.1.0b1.dist-info")).unwrap();
        assert_eq!(find_sqlalchemy(&root.join("bin/python")), Some((2, 1)));
        std::fs::remove_dir_all(&root).unwrap();
        assert_eq!(find_sqlalchemy(&root.join("bin/python")), None);
    }
}
