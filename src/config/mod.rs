//! Configuration: `alembic.ini` (or the file given by `-c` / `ALEMBIC_CONFIG`) plus
//! `[tool.alembic]` of `pyproject.toml`, read the way Alembic's `Config` reads them.

pub mod ini;
mod pyproject;

use std::path::{Path, PathBuf};

pub use ini::{Ini, IniError};
pub use pyproject::TomlValue;

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// An Alembic `CommandError` (printed as `FAILED: …`).
    #[error("{0}")]
    Command(String),
    /// `-c` given badly; Alembic raises this before its error handler is in place.
    #[error("{0}")]
    Arguments(String),
    #[error("cannot read config file {}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("config file {} is not valid: {source}", path.display())]
    Ini { path: PathBuf, source: IniError },
    #[error("{} is not valid TOML: {message}", path.display())]
    Toml { path: PathBuf, message: String },
    /// Alembic raises a `ValueError` for these (a traceback, exit 1).
    #[error("{message} (in {})", path.display())]
    Value { path: PathBuf, message: String },
}

impl ConfigError {
    /// True where Alembic prints `FAILED:` rather than crashing.
    pub fn is_command_error(&self) -> bool {
        matches!(self, ConfigError::Command(_))
    }
}

/// What the command line says about where configuration lives.
#[derive(Debug, Clone, Default)]
pub struct ConfigSource {
    /// `-c/--config`, in order given.
    pub files: Vec<PathBuf>,
    /// `-n/--name`.
    pub section: String,
    /// `ALEMBIC_CONFIG`.
    pub env_config: Option<PathBuf>,
}

#[derive(Debug, Clone)]
pub struct Config {
    /// The ini file name as given (Alembic's `config_file_name`).
    pub ini_path: PathBuf,
    pub toml_path: PathBuf,
    /// The main ini section (`-n`).
    pub section: String,
    ini: Ini,
    toml: Option<pyproject::ToolAlembic>,
}

const PATH_SEPARATORS: &str = "expected 'space', 'newline', 'os', ':', ';'";

impl Config {
    pub fn load(source: &ConfigSource) -> Result<Config, ConfigError> {
        let (toml_path, ini_path) = choose_files(source)?;
        let ini = read_ini(&ini_path)?;
        let toml = pyproject::ToolAlembic::read(&toml_path)?;
        Ok(Config {
            ini_path,
            toml_path,
            section: source.section.clone(),
            ini,
            toml,
        })
    }

    pub fn ini(&self) -> &Ini {
        &self.ini
    }

    fn ini_value(&self, name: &str) -> Result<Option<String>, ConfigError> {
        self.ini
            .get(&self.section, name)
            .map_err(|source| ConfigError::Ini {
                path: self.ini_path.clone(),
                source,
            })
    }

    /// `get_alembic_option` for a string option: the ini section first, then TOML.
    pub fn alembic_option(&self, name: &str) -> Result<Option<String>, ConfigError> {
        if let Some(v) = self.ini_value(name)? {
            return Ok(Some(v));
        }
        match self.toml_value(name)? {
            None => Ok(None),
            Some(TomlValue::Str(s)) => Ok(Some(s)),
            Some(TomlValue::Int(i)) => Ok(Some(i.to_string())),
            Some(TomlValue::Bool(b)) => Ok(Some(if b { "True" } else { "False" }.to_string())),
            Some(TomlValue::List(_)) | Some(TomlValue::Tables(_)) => Err(ConfigError::Command(
                format!("unsupported TOML value type for key: '{name}'"),
            )),
        }
    }

    /// A `[tool.alembic]` value with `%(here)s` substituted.
    pub fn toml_value(&self, name: &str) -> Result<Option<TomlValue>, ConfigError> {
        match &self.toml {
            Some(t) => t.value(name),
            None => Ok(None),
        }
    }

    /// `get_alembic_boolean_option`: ini value exactly `true`, or a TOML bool.
    pub fn boolean_option(&self, name: &str) -> Result<bool, ConfigError> {
        if self.ini.has_option(&self.section, name) {
            return Ok(self.ini_value(name)?.as_deref() == Some("true"));
        }
        match self.toml.as_ref().and_then(|t| t.raw_bool(name)) {
            None => Ok(false),
            Some(Some(b)) => Ok(b),
            Some(None) => Err(ConfigError::Command(format!(
                "boolean value expected for TOML parameter '{name}'"
            ))),
        }
    }

    /// Truthy per SQLAlchemy's `asbool` (`revision_environment`).
    pub fn asbool_option(&self, name: &str) -> Result<bool, ConfigError> {
        if let Some(v) = self.ini_value(name)? {
            return Ok(matches!(
                v.trim().to_lowercase().as_str(),
                "true" | "yes" | "on" | "y" | "t" | "1"
            ));
        }
        Ok(matches!(
            self.toml_value(name)?,
            Some(TomlValue::Bool(true))
        ))
    }

    pub fn script_location(&self) -> Result<String, ConfigError> {
        self.alembic_option("script_location")?.ok_or_else(|| {
            ConfigError::Command("No 'script_location' key found in configuration.".to_string())
        })
    }

    /// `version_locations`: ini split on `path_separator`, else a TOML list.
    pub fn version_locations(&self) -> Result<Option<Vec<String>>, ConfigError> {
        match self.ini_value("version_locations")? {
            Some(s) if !s.is_empty() => Ok(Some(self.split_paths(
                &s,
                &["path_separator", "version_path_separator"],
                false,
            )?)),
            _ => self.toml_list("version_locations"),
        }
    }

    /// `prepend_sys_path`: ini split on `path_separator`, else a TOML list.
    pub fn prepend_sys_path(&self) -> Result<Option<Vec<String>>, ConfigError> {
        match self.ini_value("prepend_sys_path")? {
            Some(s) if !s.is_empty() => {
                Ok(Some(self.split_paths(&s, &["path_separator"], true)?))
            }
            _ => self.toml_list("prepend_sys_path"),
        }
    }

    fn toml_list(&self, name: &str) -> Result<Option<Vec<String>>, ConfigError> {
        match self.toml_value(name)? {
            None => Ok(None),
            Some(TomlValue::List(v)) => Ok(Some(v)),
            Some(TomlValue::Str(s)) => Ok(Some(vec![s])),
            Some(_) => Err(ConfigError::Command(format!(
                "unsupported TOML value type for key: '{name}'"
            ))),
        }
    }

    fn split_paths(
        &self,
        value: &str,
        separator_keys: &[&str],
        colons: bool,
    ) -> Result<Vec<String>, ConfigError> {
        for key in separator_keys {
            let Some(sep) = self.ini_value(key)? else {
                continue;
            };
            let sep = match sep.as_str() {
                "space" => " ",
                "newline" => "\n",
                "os" | ":" => ":",
                ";" => ";",
                other => {
                    return Err(ConfigError::Value {
                        path: self.ini_path.clone(),
                        message: format!(
                            "'{other}' is not a valid value for {key}; {PATH_SEPARATORS}"
                        ),
                    })
                }
            };
            return Ok(value
                .split(sep)
                .filter(|p| !p.is_empty())
                .map(|p| p.trim().to_string())
                .collect());
        }
        // Legacy splitting when no separator is configured: commas and spaces (and
        // colons for prepend_sys_path). Empty pieces are dropped: Alembic would turn
        // them into the working directory.
        Ok(value
            .split(|c: char| c == ',' || c == ' ' || (colons && c == ':'))
            .filter(|p| !p.is_empty())
            .map(str::to_string)
            .collect())
    }
}

/// Alembic's `_inis_from_config`: (pyproject.toml, ini) paths.
fn choose_files(source: &ConfigSource) -> Result<(PathBuf, PathBuf), ConfigError> {
    let is_pyproject = |p: &Path| p.file_name().is_some_and(|n| n == "pyproject.toml");
    let (default_toml, default_ini) = match &source.env_config {
        Some(env) if is_pyproject(env) => (env.clone(), PathBuf::from("alembic.ini")),
        Some(env) => (PathBuf::from("pyproject.toml"), env.clone()),
        None => (
            PathBuf::from("pyproject.toml"),
            PathBuf::from("alembic.ini"),
        ),
    };
    let mut toml = None;
    let mut ini = None;
    for f in &source.files {
        if is_pyproject(f) {
            if toml.is_some() {
                return Err(ConfigError::Arguments(
                    "pyproject.toml indicated more than once".into(),
                ));
            }
            toml = Some(f.clone());
        } else {
            if ini.is_some() {
                return Err(ConfigError::Arguments(
                    "only one ini file may be indicated".into(),
                ));
            }
            ini = Some(f.clone());
        }
    }
    Ok((toml.unwrap_or(default_toml), ini.unwrap_or(default_ini)))
}

/// `%(here)s` is the absolute POSIX directory of the file.
pub(crate) fn here_of(path: &Path) -> String {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    abs.parent()
        .map(|p| p.to_string_lossy().into_owned())
        .unwrap_or_else(|| ".".to_string())
}

fn read_ini(path: &Path) -> Result<Ini, ConfigError> {
    let here = here_of(path);
    let defaults = [("here", here.as_str())];
    match std::fs::read(path) {
        Ok(bytes) => {
            let text = String::from_utf8(bytes).map_err(|e| ConfigError::Value {
                path: path.to_path_buf(),
                message: format!("the file is not UTF-8: {}", e.utf8_error()),
            })?;
            Ini::parse(&text, &defaults).map_err(|source| ConfigError::Ini {
                path: path.to_path_buf(),
                source,
            })
        }
        // ConfigParser.read skips files it cannot open.
        Err(_) => Ok(Ini::empty(&defaults)),
    }
}
