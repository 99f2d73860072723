//! retort's own `init` templates (`templates/` in the repository, compiled
//! in): the files a new migration environment starts from. They work the
//! same under Alembic and under retort.

/// What `init` does with a template file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileRole {
    /// Copied into the new directory as it is.
    Copy,
    /// Rendered to the ini file (`alembic.ini.mako`).
    Ini,
    /// Rendered to, or appended to, `pyproject.toml` (`pyproject.toml.mako`).
    Pyproject,
}

#[derive(Debug, Clone, Copy)]
pub struct TemplateFile {
    pub name: &'static str,
    pub role: FileRole,
    pub text: &'static str,
}

#[derive(Debug, Clone, Copy)]
pub struct InitTemplate {
    pub name: &'static str,
    readme: &'static str,
    /// In the order `init` writes them.
    pub files: &'static [TemplateFile],
}

impl InitTemplate {
    /// The first line of the README, which `list_templates` shows.
    pub fn synopsis(&self) -> &'static str {
        self.readme.lines().next().unwrap_or_default().trim_end()
    }
}

/// The generic `env.py` (also the `pyproject` one).
pub const ENV_PY: &str = include_str!("../../templates/common/env.py");
/// The `env.py` of the async templates.
pub const ENV_ASYNC_PY: &str = include_str!("../../templates/common/env_async.py");
const SCRIPT_MAKO: &str = include_str!("../../templates/common/script.py.mako");
const INI: &str = include_str!("../../templates/common/alembic.ini.mako");
const INI_PYPROJECT: &str = include_str!("../../templates/common/alembic.ini.pyproject.mako");
const PYPROJECT: &str = include_str!("../../templates/common/pyproject.toml.mako");

const fn file(name: &'static str, role: FileRole, text: &'static str) -> TemplateFile {
    TemplateFile { name, role, text }
}

/// A template: the files every template has, then its configuration files.
macro_rules! template {
    ($name:literal, $env:expr, [$($config:expr),+]) => {
        InitTemplate {
            name: $name,
            readme: include_str!(concat!("../../templates/", $name, "/README")),
            files: &[
                file("script.py.mako", FileRole::Copy, SCRIPT_MAKO),
                file(
                    "README",
                    FileRole::Copy,
                    include_str!(concat!("../../templates/", $name, "/README")),
                ),
                file("env.py", FileRole::Copy, $env),
                $($config),+
            ],
        }
    };
}

const INI_FILE: TemplateFile = file("alembic.ini.mako", FileRole::Ini, INI);
const PYPROJECT_FILES: [TemplateFile; 2] = [
    file("pyproject.toml.mako", FileRole::Pyproject, PYPROJECT),
    file("alembic.ini.mako", FileRole::Ini, INI_PYPROJECT),
];

/// Every template, in the order `list_templates` shows them.
pub const TEMPLATES: &[InitTemplate] = &[
    template!("generic", ENV_PY, [INI_FILE]),
    template!("async", ENV_ASYNC_PY, [INI_FILE]),
    template!(
        "pyproject",
        ENV_PY,
        [PYPROJECT_FILES[0], PYPROJECT_FILES[1]]
    ),
    template!(
        "pyproject_async",
        ENV_ASYNC_PY,
        [PYPROJECT_FILES[0], PYPROJECT_FILES[1]]
    ),
];

pub fn find_template(name: &str) -> Option<&'static InitTemplate> {
    TEMPLATES.iter().find(|t| t.name == name)
}

/// The only expression retort's own `.mako` files use.
const SCRIPT_LOCATION: &str = "${script_location}";

/// A template's `.mako` file with its `${script_location}` filled in (Mako's
/// `str()` of the value: no escaping).
pub fn render_init_file(text: &str, script_location: &str) -> String {
    text.replace(SCRIPT_LOCATION, script_location)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The `.mako` files are rendered by substitution, so they must hold no
    /// other Mako syntax: expressions, tags, control or comment lines, line
    /// continuations.
    #[test]
    fn init_files_use_only_script_location() {
        for t in TEMPLATES {
            for f in t.files.iter().filter(|f| f.role != FileRole::Copy) {
                let rest = f.text.replace(SCRIPT_LOCATION, "");
                assert!(!rest.contains("${"), "{}/{}", t.name, f.name);
                assert!(!rest.contains("<%"), "{}/{}", t.name, f.name);
                for line in rest.lines() {
                    let l = line.trim_start();
                    assert!(!l.starts_with('%') && !l.starts_with("##"), "{line}");
                    assert!(!line.ends_with('\\'), "{line}");
                }
                // The pyproject templates' ini file holds no script_location.
                let expected =
                    usize::from(!t.name.starts_with("pyproject") || f.role == FileRole::Pyproject);
                assert_eq!(
                    f.text.matches(SCRIPT_LOCATION).count(),
                    expected,
                    "{}/{}",
                    t.name,
                    f.name
                );
            }
        }
        assert_eq!(find_template("generic").unwrap().files.len(), 4);
        assert_eq!(find_template("pyproject").unwrap().files.len(), 5);
        assert!(find_template("multidb").is_none());
        assert!(!find_template("async").unwrap().synopsis().is_empty());
    }
}
