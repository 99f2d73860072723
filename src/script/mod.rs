//! The script directory: where version files live, which files count, and what
//! each one declares, read statically (no Python).

mod discover;
mod env;
mod generate;
pub mod header;
mod header_fast;
mod templates;

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::config::{Config, ConfigError};
use crate::revision::Revision;

pub use crate::python::{python_splitlines, python_strip};
pub use discover::FsSource;
pub use env::{stock_env, StockEnv};
pub use generate::{new_rev_id, read_new_script, verify_rev_id};
pub use header::{Header, HeaderError, HeaderValue};
pub use templates::{find_template, render_init_file, FileRole, InitTemplate, TEMPLATES};

/// SHA-256 of `bytes` as lowercase hex: how a stock env.py is recognised
/// and how `retort_history` records a script file.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ScriptError {
    /// An Alembic `CommandError` (`FAILED: …`).
    #[error("{0}")]
    Command(String),
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error("cannot read {}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: {source}", path.display())]
    Header { path: PathBuf, source: HeaderError },
    /// What Alembic would only find out by importing the file.
    #[error("{}: {message}", path.display())]
    Invalid { path: PathBuf, message: String },
}

impl ScriptError {
    pub fn is_command_error(&self) -> bool {
        match self {
            ScriptError::Command(_) => true,
            ScriptError::Config(c) => c.is_command_error(),
            _ => false,
        }
    }
}

/// One version file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Script {
    pub revision: Revision,
    /// Resolved path of the file.
    pub path: PathBuf,
    /// The module docstring, stripped (Alembic's `longdoc`).
    pub longdoc: String,
}

impl Script {
    /// The first paragraph of the docstring (Alembic's `doc`).
    pub fn doc(&self) -> &str {
        self.longdoc
            .split_once("\n\n")
            .map_or(self.longdoc.as_str(), |(first, _)| first)
    }

    /// Build from a header read off `path`, as Alembic's `Script._from_path` would.
    pub fn from_header(header: Header, path: PathBuf) -> Result<Script, ScriptError> {
        let invalid = |message: String| ScriptError::Invalid {
            path: path.clone(),
            message,
        };
        let id = match header.revision {
            Some(HeaderValue::Str(s)) => s,
            Some(_) => return Err(invalid("'revision' must be a string".to_string())),
            None => legacy_revision_id(&path).ok_or_else(|| {
                let filename = path.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default();
                ScriptError::Command(format!(
                    "Could not determine revision id from filename {filename}. Be sure the 'revision' variable is declared inside the script (please see 'Upgrading from Alembic 0.1 to 0.2' in the documentation)."
                ))
            })?,
        };
        let down_revisions = match header.down_revision {
            Some(v) => strings(v),
            None => {
                return Err(invalid(format!(
                "revision {id} does not define 'down_revision' (Alembic fails with AttributeError)"
            )))
            }
        };
        let longdoc = header
            .docstring
            .as_deref()
            .map(python_strip)
            .unwrap_or_default()
            .to_string();
        Ok(Script {
            revision: Revision {
                id,
                down_revisions,
                dependencies: header.depends_on.map(strings).unwrap_or_default(),
                branch_labels: header.branch_labels.map(strings).unwrap_or_default(),
            },
            path,
            longdoc,
        })
    }
}

fn strings(v: HeaderValue) -> Vec<String> {
    match v {
        HeaderValue::None => Vec::new(),
        HeaderValue::Str(s) => vec![s],
        HeaderValue::Seq(v) => v,
    }
}

/// Alembic 0.1 scripts: `<hex>.py` carries its id in the name.
fn legacy_revision_id(path: &Path) -> Option<String> {
    let name = path.file_name()?.to_str()?;
    let stem = name.strip_suffix(".py")?;
    (!stem.is_empty()
        && stem
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)))
    .then(|| stem.to_string())
}

/// Where scripts come from: the file system, or memory in tests.
pub trait VersionSource {
    /// Every script, in the order Alembic enumerates files; `warn` receives
    /// Alembic's warnings.
    fn scripts(&self, warn: &mut dyn FnMut(String)) -> Result<Vec<Script>, ScriptError>;
}

/// Scripts held in memory.
#[derive(Debug, Clone, Default)]
pub struct MemSource(pub Vec<Script>);

impl VersionSource for MemSource {
    fn scripts(&self, _warn: &mut dyn FnMut(String)) -> Result<Vec<Script>, ScriptError> {
        Ok(self.0.clone())
    }
}

/// Alembic's `ScriptDirectory`, as far as finding version files goes.
#[derive(Debug, Clone)]
pub struct ScriptDirectory {
    /// `script_location` as configured.
    pub dir: PathBuf,
    /// Absolute version locations, in configured order.
    pub version_locations: Vec<PathBuf>,
    pub sourceless: bool,
    pub recursive: bool,
}

impl ScriptDirectory {
    pub fn from_config(config: &Config) -> Result<ScriptDirectory, ScriptError> {
        let location = config.script_location()?;
        let dir = resource_path(&location)?;
        let recursive = config.boolean_option("recursive_version_locations")?;
        let sourceless = config.boolean_option("sourceless")?;
        let version_locations = match config.version_locations()? {
            Some(list) => list
                .iter()
                .map(|l| resource_path(l).map(|p| absolute(&p)))
                .collect::<Result<_, _>>()?,
            None => vec![absolute(&dir.join("versions"))],
        };
        if !dir.exists() {
            return Err(ScriptError::Command(format!(
                "Path doesn't exist: {}.  Please use the 'init' command to create a new scripts folder.",
                dir.display()
            )));
        }
        Ok(ScriptDirectory {
            dir,
            version_locations,
            sourceless,
            recursive,
        })
    }
}

/// `pkg:path` names a package resource, which only Python can locate.
fn resource_path(location: &str) -> Result<PathBuf, ScriptError> {
    let path = PathBuf::from(location);
    if !path.is_absolute() && location.contains(':') {
        return Err(ScriptError::Command(format!(
            "'{location}' names a package resource; retort cannot locate package resources yet, please configure a file system path"
        )));
    }
    Ok(path)
}

fn absolute(p: &Path) -> PathBuf {
    std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf())
}
