//! `[tool.alembic]` of `pyproject.toml`: every string is %-formatted with `here`.

use std::path::{Path, PathBuf};

use super::{here_of, ConfigError};

/// A `[tool.alembic]` value after `%(here)s` substitution.
#[derive(Debug, Clone, PartialEq)]
pub enum TomlValue {
    Str(String),
    Int(i64),
    Bool(bool),
    List(Vec<String>),
    /// An array of tables (`[[tool.alembic.post_write_hooks]]`).
    Tables(Vec<Vec<(String, String)>>),
    /// A table of strings (`[tool.alembic.<name>]`), which Alembic hands
    /// env.py as a dict.
    Table(Vec<(String, String)>),
}

#[derive(Debug, Clone)]
pub(crate) struct ToolAlembic {
    path: PathBuf,
    here: String,
    table: toml::Table,
    /// `[tool.retort]`: retort's own settings.
    retort: toml::Table,
}

impl ToolAlembic {
    /// `None` when the file does not exist (Alembic then reads nothing from it).
    pub(crate) fn read(path: &Path) -> Result<Option<ToolAlembic>, ConfigError> {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(source) => {
                return Err(ConfigError::Io {
                    path: path.to_path_buf(),
                    source,
                })
            }
        };
        let doc: toml::Table = toml::from_str(&text).map_err(|e| ConfigError::Toml {
            path: path.to_path_buf(),
            message: e.message().to_string(),
        })?;
        let table = match doc.get("tool").and_then(|t| t.get("alembic")) {
            None => toml::Table::new(),
            Some(toml::Value::Table(t)) => t.clone(),
            Some(_) => return Err(ConfigError::Command("Incorrect TOML format".to_string())),
        };
        let retort = match doc.get("tool").and_then(|t| t.get("retort")) {
            Some(toml::Value::Table(t)) => t.clone(),
            _ => toml::Table::new(),
        };
        Ok(Some(ToolAlembic {
            path: path.to_path_buf(),
            here: here_of(path),
            table,
            retort,
        }))
    }

    /// `name` of `[tool.retort]`; `Some(None)` when it is not a boolean.
    pub(crate) fn retort_bool(&self, name: &str) -> Option<Option<bool>> {
        self.retort.get(name).map(|v| v.as_bool())
    }

    /// `Some(None)` when the key is present but not a boolean.
    pub(crate) fn raw_bool(&self, name: &str) -> Option<Option<bool>> {
        self.table.get(name).map(|v| v.as_bool())
    }

    pub(crate) fn value(&self, name: &str) -> Result<Option<TomlValue>, ConfigError> {
        let Some(v) = self.table.get(name) else {
            return Ok(None);
        };
        let unsupported =
            || ConfigError::Command(format!("unsupported TOML value type for key: '{name}'"));
        let fmt = |s: &str| self.format(s, name);
        Ok(Some(match v {
            toml::Value::String(s) => TomlValue::Str(fmt(s)?),
            toml::Value::Integer(i) => TomlValue::Int(*i),
            toml::Value::Boolean(b) => TomlValue::Bool(*b),
            toml::Value::Array(items) if items.first().is_some_and(toml::Value::is_table) => {
                let mut tables = Vec::new();
                for item in items {
                    let t = item.as_table().ok_or_else(unsupported)?;
                    let mut pairs = Vec::new();
                    for (k, v) in t {
                        pairs.push((k.clone(), fmt(v.as_str().ok_or_else(unsupported)?)?));
                    }
                    tables.push(pairs);
                }
                TomlValue::Tables(tables)
            }
            toml::Value::Table(t) => TomlValue::Table(
                t.iter()
                    .map(|(k, v)| Ok((k.clone(), fmt(v.as_str().ok_or_else(unsupported)?)?)))
                    .collect::<Result<_, ConfigError>>()?,
            ),
            toml::Value::Array(items) => TomlValue::List(
                items
                    .iter()
                    .map(|i| i.as_str().ok_or_else(unsupported).and_then(&fmt))
                    .collect::<Result<_, _>>()?,
            ),
            _ => return Err(unsupported()),
        }))
    }

    /// Python's `value % {"here": …}`.
    fn format(&self, s: &str, key: &str) -> Result<String, ConfigError> {
        percent_format(s, &[("here", &self.here)]).map_err(|message| ConfigError::Value {
            path: self.path.clone(),
            message: format!("in [tool.alembic] key '{key}': {message}"),
        })
    }
}

/// `%(name)s` and `%%`, the subset of Python's %-formatting a mapping allows here.
pub(crate) fn percent_format(s: &str, vars: &[(&str, &str)]) -> Result<String, String> {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(p) = rest.find('%') {
        out.push_str(&rest[..p]);
        let after = &rest[p + 1..];
        if let Some(r) = after.strip_prefix('%') {
            out.push('%');
            rest = r;
        } else if let Some(r) = after.strip_prefix('(') {
            let close = r
                .find(')')
                .ok_or_else(|| "incomplete format key".to_string())?;
            let name = &r[..close];
            let r = &r[close + 1..];
            let r = r
                .strip_prefix('s')
                .ok_or_else(|| format!("unsupported format after %({name})"))?;
            let value = vars
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| *v)
                .ok_or_else(|| format!("unknown key '{name}'"))?;
            out.push_str(value);
            rest = r;
        } else {
            return Err("a '%' must be written '%%'".to_string());
        }
    }
    out.push_str(rest);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::percent_format;

    #[test]
    fn formats_here_and_percent() {
        let v = [("here", "/p")];
        assert_eq!(percent_format("%(here)s/x", &v).unwrap(), "/p/x");
        assert_eq!(percent_format("a%%b", &v).unwrap(), "a%b");
        assert!(percent_format("50%", &v).is_err());
        assert!(percent_format("%(nope)s", &v).is_err());
    }
}
