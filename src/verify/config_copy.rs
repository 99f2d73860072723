//! Pointing both tools at their scratch database: a temporary copy of the
//! project's ini file, written next to it (so `%(here)s` and relative paths
//! resolve as before), with `sqlalchemy.url` of the main section replaced.
//! A `pyproject.toml`-only project gets a small ini holding the URL
//! (`config.get_main_option("sqlalchemy.url")` reads the ini) and a minimal
//! logging setup (so env.py's `fileConfig` finds one).  The copies
//! are removed when the [`ConfigCopies`] is dropped.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use super::VerifyError;

/// Where the project's configuration lives.
#[derive(Debug, Clone)]
pub struct ConfigFiles {
    pub ini: PathBuf,
    /// The `pyproject.toml` in use, when there is one.
    pub toml: Option<PathBuf>,
    /// The main section (`-n`).
    pub section: String,
}

/// The ini of a project that has none: warnings to stderr, as Alembic's
/// templates log.
const MINIMAL_INI: &str = "[loggers]\nkeys = root\n\n[handlers]\nkeys = console\n\n\
[formatters]\nkeys = generic\n\n[logger_root]\nlevel = WARNING\nhandlers = console\n\n\
[handler_console]\nclass = StreamHandler\nargs = (sys.stderr,)\nlevel = NOTSET\n\
formatter = generic\n\n[formatter_generic]\nformat = %%(levelname)-5.5s [%%(name)s] %%(message)s\n";

pub struct ConfigCopies {
    written: Vec<PathBuf>,
    /// The `-c` (and `-n`) arguments for each tool.
    pub args: Vec<Vec<OsString>>,
}

impl ConfigCopies {
    /// One copy per URL, named after `tools`.
    pub fn write(
        files: &ConfigFiles,
        tools: &[&str],
        urls: &[String],
    ) -> Result<ConfigCopies, VerifyError> {
        let original = match std::fs::read_to_string(&files.ini) {
            Ok(text) => Some(text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && files.toml.is_some() => None,
            Err(source) => {
                return Err(VerifyError::Io {
                    what: files.ini.display().to_string(),
                    source,
                })
            }
        };
        let dir = files
            .ini
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let mut copies = ConfigCopies {
            written: Vec::new(),
            args: Vec::new(),
        };
        for (tool, url) in tools.iter().zip(urls) {
            let path = dir.join(format!(".retort-verify-{}-{tool}.ini", std::process::id()));
            let text = with_url(
                original.as_deref().unwrap_or(MINIMAL_INI),
                &files.section,
                url,
            );
            std::fs::write(&path, text).map_err(|source| VerifyError::Io {
                what: path.display().to_string(),
                source,
            })?;
            copies.written.push(path.clone());
            let mut args: Vec<OsString> = vec!["-c".into(), path.into()];
            if let Some(toml) = &files.toml {
                args.extend(["-c".into(), toml.clone().into()]);
            }
            args.extend(["-n".into(), files.section.clone().into()]);
            copies.args.push(args);
        }
        Ok(copies)
    }
}

impl Drop for ConfigCopies {
    fn drop(&mut self) {
        for path in &self.written {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// `ini` with `sqlalchemy.url` of `[section]` set to `url`: the key's line
/// (and its continuation lines) replaced, else added under the section
/// header, else a new section at the end.
pub fn with_url(ini: &str, section: &str, url: &str) -> String {
    // ConfigParser interpolation: a literal % is written %%.
    let setting = format!("sqlalchemy.url = {}", url.replace('%', "%%"));
    let mut out: Vec<String> = Vec::new();
    let mut in_section = false;
    let mut header_at: Option<usize> = None;
    let mut replaced = false;
    let mut skipping_continuation = false;
    for line in ini.lines() {
        let trimmed = line.trim();
        let indented = line.starts_with([' ', '\t']);
        if skipping_continuation && indented && !trimmed.is_empty() {
            continue;
        }
        skipping_continuation = false;
        if !indented && trimmed.starts_with('[') && trimmed.ends_with(']') {
            in_section = &trimmed[1..trimmed.len() - 1] == section;
            out.push(line.to_string());
            if in_section && header_at.is_none() {
                header_at = Some(out.len());
            }
            continue;
        }
        let key = trimmed
            .split(['=', ':'])
            .next()
            .unwrap_or("")
            .trim()
            .to_lowercase();
        if in_section && !indented && key == "sqlalchemy.url" {
            if !replaced {
                out.push(setting.clone());
                replaced = true;
            }
            skipping_continuation = true;
            continue;
        }
        out.push(line.to_string());
    }
    if !replaced {
        match header_at {
            Some(at) => out.insert(at, setting),
            None => {
                out.push(format!("[{section}]"));
                out.push(setting);
            }
        }
    }
    let mut text = out.join("\n");
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::with_url;

    #[test]
    fn replaces_the_url_of_the_main_section_only() {
        let ini = "[other]\nsqlalchemy.url = keep\n[alembic]\nscript_location = m\n\
                   sqlalchemy.url = driver://old\n    continued\nx = 1\n";
        assert_eq!(
            with_url(ini, "alembic", "sqlite:///a%b.db"),
            "[other]\nsqlalchemy.url = keep\n[alembic]\nscript_location = m\n\
             sqlalchemy.url = sqlite:///a%%b.db\nx = 1\n"
        );
        assert_eq!(
            with_url("[alembic]\nscript_location = m\n", "alembic", "sqlite://"),
            "[alembic]\nsqlalchemy.url = sqlite://\nscript_location = m\n"
        );
        assert_eq!(
            with_url("", "alembic", "sqlite://"),
            "[alembic]\nsqlalchemy.url = sqlite://\n"
        );
    }
}
