//! `init`: a new migration environment from one of retort's own templates
//! (`templates/`), written as Alembic's `init` writes its own.

use std::io::Write;
use std::path::{Component, Path, PathBuf};

use super::generate::python_absolute;
use super::{Failure, Global, Output};
use crate::python::python_path_str;
use crate::script::{find_template, render_init_file, FileRole};

fn io_failure(what: &str, path: &str, e: &std::io::Error) -> Failure {
    Failure::Crash(format!("cannot {what} {path}: {e}"))
}

fn write_file(path: &str, text: &str, append: bool) -> Result<(), Failure> {
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .append(append)
        .truncate(!append)
        .open(path)
        .map_err(|e| io_failure("write", path, &e))?;
    let body = if append {
        format!("\n\n{text}")
    } else {
        text.to_string()
    };
    f.write_all(body.as_bytes())
        .map_err(|e| io_failure("write", path, &e))
}

/// The lexical parts of an absolute path as Python prints it.
fn parts(abs: &str) -> Vec<String> {
    Path::new(abs)
        .components()
        .filter_map(|c| match c {
            Component::Normal(p) => Some(p.to_string_lossy().into_owned()),
            Component::ParentDir => Some("..".to_string()),
            _ => None,
        })
        .collect()
}

/// `path.relative_to(other, walk_up=True)` on absolute paths, lexically:
/// `..` for every step up from `other` to the nearest ancestor that holds
/// `path`.
fn relative_walk_up(path: &str, other: &str) -> String {
    let (p, o) = (parts(path), parts(other));
    let common = p.iter().zip(&o).take_while(|(a, b)| a == b).count();
    let mut rel: Vec<String> = vec!["..".to_string(); o.len() - common];
    rel.extend(p[common..].iter().cloned());
    if rel.is_empty() {
        ".".to_string()
    } else {
        rel.join("/")
    }
}

/// `script_location` as the config file beside `config_file` states it:
/// `%(here)s/<relative path>` for a relative directory, else the path.
fn script_location(directory: &Path, config_file: &Path) -> String {
    let dir = directory.to_string_lossy();
    if dir.starts_with('/') {
        return python_path_str(&dir);
    }
    let here = python_absolute(config_file);
    let here_dir = Path::new(&here)
        .parent()
        .map(|p| p.to_string_lossy().into_owned())
        .unwrap_or_else(|| "/".to_string());
    let rel = relative_walk_up(&python_absolute(directory), &here_dir);
    python_path_str(&format!("%(here)s/{rel}"))
}

/// Whether a pyproject.toml already has a `[tool.alembic]` table.
fn has_tool_alembic(path: &str) -> Result<bool, Failure> {
    let text = std::fs::read_to_string(path).map_err(|e| io_failure("read", path, &e))?;
    let doc: toml::Table = text
        .parse()
        .map_err(|e| Failure::Crash(format!("{path} is not valid TOML: {e}")))?;
    Ok(doc
        .get("tool")
        .and_then(|t| t.as_table())
        .is_some_and(|t| t.contains_key("alembic")))
}

pub fn run(
    global: &Global,
    out: &mut Output,
    directory: &Path,
    template: &str,
    package: bool,
) -> Result<(), Failure> {
    let shown_dir = python_path_str(&directory.to_string_lossy());
    if directory.exists() {
        let mut entries =
            std::fs::read_dir(directory).map_err(|e| io_failure("list", &shown_dir, &e))?;
        if entries.next().is_some() {
            return Err(Failure::Command(format!(
                "Directory {shown_dir} already exists and is not empty"
            )));
        }
    }
    let Some(template) = find_template(template) else {
        return Err(Failure::Command(format!("No such template {template}")));
    };
    let abs_dir = python_absolute(directory);
    if !directory.exists() {
        out.status(&format!("Creating directory {abs_dir}"), || {
            std::fs::create_dir_all(&abs_dir).map_err(|e| io_failure("create", &abs_dir, &e))
        })?;
    }
    let versions = directory.join("versions");
    let abs_versions = python_absolute(&versions);
    out.status(&format!("Creating directory {abs_versions}"), || {
        std::fs::create_dir_all(&abs_versions).map_err(|e| io_failure("create", &abs_versions, &e))
    })?;

    let (toml_file, ini_file): (PathBuf, PathBuf) = global.config.file_paths()?;
    let config_file = python_absolute(&ini_file);
    let toml_path = python_absolute(&toml_file);
    let mut has_toml = false;
    for file in template.files {
        match file.role {
            FileRole::Ini => {
                if Path::new(&config_file).exists() {
                    out.line(&format!("File {config_file} already exists, skipping"));
                } else {
                    let text = render_init_file(file.text, &script_location(directory, &ini_file));
                    out.status_unquiet(&format!("Generating {config_file}"), || {
                        write_file(&config_file, &text, false)
                    })?;
                }
            }
            FileRole::Pyproject => {
                has_toml = true;
                let text = render_init_file(file.text, &script_location(directory, &toml_file));
                if Path::new(&toml_path).exists() {
                    if has_tool_alembic(&toml_path)? {
                        // Alembic prints this one even with --quiet.
                        out.raw(&format!(
                            "File {toml_path} already exists and already has a [tool.alembic] section, skipping\n"
                        ));
                        continue;
                    }
                    out.status_unquiet(&format!("Appending to existing {toml_path}"), || {
                        write_file(&toml_path, &text, true)
                    })?;
                } else {
                    out.status_unquiet(&format!("Generating {toml_path}"), || {
                        write_file(&toml_path, &text, false)
                    })?;
                }
            }
            FileRole::Copy => {
                let dest = python_absolute(&directory.join(file.name));
                out.status_unquiet(&format!("Generating {dest}"), || {
                    write_file(&dest, file.text, false)
                })?;
            }
        }
    }
    if package {
        for dir in [&abs_dir, &abs_versions] {
            let path = format!("{dir}/__init__.py");
            out.status(&format!("Adding {path}"), || write_file(&path, "", false))?;
        }
    }
    if has_toml {
        out.line(&format!(
            "Please edit configuration settings in {toml_path} and configuration/connection/logging settings in {config_file} before proceeding."
        ));
    } else {
        out.line(&format!(
            "Please edit configuration/connection/logging settings in {config_file} before proceeding."
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_walk_up() {
        assert_eq!(relative_walk_up("/a/b/c", "/a/b"), "c");
        assert_eq!(relative_walk_up("/a/b", "/a/b"), ".");
        assert_eq!(relative_walk_up("/a/x", "/a/b"), "../x");
        assert_eq!(relative_walk_up("/x/y", "/a/b"), "../../x/y");
        assert_eq!(
            python_path_str(&format!("%(here)s/{}", relative_walk_up("/a/b", "/a/b"))),
            "%(here)s"
        );
    }
}
