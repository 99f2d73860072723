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

impl ConfigSource {
    /// The (pyproject.toml, ini) files the command line names, whether they
    /// exist or not (what `init` writes).
    pub fn file_paths(&self) -> Result<(PathBuf, PathBuf), ConfigError> {
        choose_files(self)
    }
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
            Some(TomlValue::List(_) | TomlValue::Tables(_) | TomlValue::Table(_)) => Err(
                ConfigError::Command(format!("unsupported TOML value type for key: '{name}'")),
            ),
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

    /// retort's `checksums` setting: `[retort]` of the ini file (a
    /// ConfigParser boolean), else `[tool.retort]` of pyproject.toml.
    pub fn checksums(&self) -> Result<bool, ConfigError> {
        let invalid = |path: &Path, value: &str| ConfigError::Value {
            path: path.to_path_buf(),
            message: format!("checksums must be true or false, not {value}"),
        };
        let raw = self
            .ini
            .get("retort", "checksums")
            .map_err(|source| ConfigError::Ini {
                path: self.ini_path.clone(),
                source,
            })?;
        if let Some(v) = raw {
            return match v.trim().to_lowercase().as_str() {
                "1" | "yes" | "true" | "on" => Ok(true),
                "0" | "no" | "false" | "off" => Ok(false),
                _ => Err(invalid(&self.ini_path, &v)),
            };
        }
        match self.toml.as_ref().and_then(|t| t.retort_bool("checksums")) {
            None => Ok(false),
            Some(Some(b)) => Ok(b),
            Some(None) => Err(invalid(&self.toml_path, "a non-boolean")),
        }
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

/// A `post_write_hooks` entry: its name and its `<name>.<option>` settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostWriteHook {
    pub name: String,
    pub options: Vec<(String, String)>,
}

impl Config {
    /// `file_template`, default `%(rev)s_%(slug)s`.
    pub fn file_template(&self) -> Result<String, ConfigError> {
        Ok(self
            .alembic_option("file_template")?
            .unwrap_or_else(|| "%(rev)s_%(slug)s".to_string()))
    }

    /// `truncate_slug_length`, default 40 (0 also means 40).
    pub fn truncate_slug_length(&self) -> Result<usize, ConfigError> {
        let Some(v) = self.alembic_option("truncate_slug_length")? else {
            return Ok(40);
        };
        let n = crate::python::python_int(&v).ok_or_else(|| ConfigError::Value {
            path: self.ini_path.clone(),
            message: format!(
                "invalid literal for int() with base 10: '{v}' (truncate_slug_length)"
            ),
        })?;
        Ok(if n == 0 {
            40
        } else {
            usize::try_from(n).unwrap_or(40)
        })
    }

    /// `output_encoding` for new revision files, default `utf-8`.
    pub fn output_encoding(&self) -> Result<String, ConfigError> {
        Ok(self
            .alembic_option("output_encoding")?
            .unwrap_or_else(|| "utf-8".to_string()))
    }

    /// `timezone` for revision dates; checked when a revision is generated.
    pub fn timezone(&self) -> Result<Option<String>, ConfigError> {
        self.alembic_option("timezone")
    }

    /// `[post_write_hooks]` of the ini, else `[[tool.alembic.post_write_hooks]]`.
    pub fn post_write_hooks(&self) -> Result<Vec<PostWriteHook>, ConfigError> {
        if self.ini.has_section("post_write_hooks") {
            let items = self
                .ini
                .items("post_write_hooks")
                .map_err(|source| ConfigError::Ini {
                    path: self.ini_path.clone(),
                    source,
                })?;
            let names = items
                .iter()
                .find(|(k, _)| k == "hooks")
                .map(|(_, v)| v.clone())
                .unwrap_or_default();
            return Ok(names
                .split([',', ' '])
                .filter(|n| !n.is_empty())
                .map(|name| PostWriteHook {
                    name: name.to_string(),
                    options: items
                        .iter()
                        .filter_map(|(k, v)| {
                            k.strip_prefix(name)
                                .and_then(|r| r.strip_prefix('.'))
                                .map(|opt| (opt.to_string(), v.clone()))
                        })
                        .collect(),
                })
                .collect());
        }
        match self.toml_value("post_write_hooks")? {
            None => Ok(Vec::new()),
            Some(TomlValue::Tables(tables)) => tables
                .into_iter()
                .map(|t| {
                    let name = t
                        .iter()
                        .find(|(k, _)| k == "name")
                        .map(|(_, v)| v.clone())
                        .ok_or_else(|| {
                            ConfigError::Command(
                                "post_write_hooks entries in pyproject.toml need a 'name'"
                                    .to_string(),
                            )
                        })?;
                    let options = t.into_iter().filter(|(k, _)| k != "name").collect();
                    Ok(PostWriteHook { name, options })
                })
                .collect(),
            Some(_) => Err(ConfigError::Command(
                "unsupported TOML value type for key: 'post_write_hooks'".to_string(),
            )),
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn config(ini: &str) -> Config {
        Config {
            ini_path: PathBuf::from("alembic.ini"),
            toml_path: PathBuf::from("pyproject.toml"),
            section: "alembic".to_string(),
            ini: Ini::parse(ini, &[("here", "/p")]).expect("valid ini"),
            toml: None,
        }
    }

    #[test]
    fn options_and_defaults() {
        let c = config("[alembic]\nscript_location = %(here)s/m\n");
        assert_eq!(c.script_location().unwrap(), "/p/m");
        assert_eq!(c.file_template().unwrap(), "%(rev)s_%(slug)s");
        assert_eq!(c.truncate_slug_length().unwrap(), 40);
        assert_eq!(c.output_encoding().unwrap(), "utf-8");
        assert!(!c.boolean_option("sourceless").unwrap());
        let c = config("[alembic]\ntruncate_slug_length = 0\nsourceless = True\n");
        assert_eq!(c.truncate_slug_length().unwrap(), 40);
        // Only exactly `true` is true in the ini.
        assert!(!c.boolean_option("sourceless").unwrap());
        let c = config("[alembic]\ntruncate_slug_length = ten\n");
        assert!(c.truncate_slug_length().is_err());
        let c = config("[alembic]\n");
        assert_eq!(
            c.script_location().unwrap_err().to_string(),
            "No 'script_location' key found in configuration."
        );
    }

    #[test]
    fn version_locations_split_like_alembic() {
        let c = config("[alembic]\npath_separator = ;\nversion_locations = a; b ;c\n");
        assert_eq!(c.version_locations().unwrap().unwrap(), ["a", "b", "c"]);
        let c = config("[alembic]\nversion_locations = a, b c\n");
        assert_eq!(c.version_locations().unwrap().unwrap(), ["a", "b", "c"]);
        let c = config("[alembic]\npath_separator = |\nversion_locations = a\n");
        assert_eq!(
            c.version_locations().unwrap_err().to_string(),
            "'|' is not a valid value for path_separator; expected 'space', 'newline', 'os', ':', ';' (in alembic.ini)"
        );
    }

    #[test]
    fn post_write_hooks_from_ini() {
        let c = config(
            "[alembic]\n[post_write_hooks]\nhooks = black, ruff\nblack.type = console_scripts\nblack.entrypoint = black\nruff.type = exec\n",
        );
        let hooks = c.post_write_hooks().unwrap();
        assert_eq!(hooks.len(), 2);
        assert_eq!(hooks[0].name, "black");
        assert!(hooks[0]
            .options
            .contains(&("entrypoint".to_string(), "black".to_string())));
        assert_eq!(hooks[1].options, [("type".to_string(), "exec".to_string())]);
    }
}
