//! Links the embedded CPython and lets the binary find its shared library at
//! run time (rpath to the interpreter's LIBDIR), and lists the Python files
//! compiled into the binary (the `alembic` shim and `python/retort`).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    pyo3_build_config::use_pyo3_cfgs();
    let config = pyo3_build_config::get();
    if let Some(dir) = config.lib_dir() {
        println!("cargo:rustc-link-arg=-Wl,-rpath,{dir}");
    }
    embed_python_sources();
}

/// Writes `$OUT_DIR/embedded_python.rs`: a table of (module name, is
/// package, source) for every `.py` file under `alembic/` and `python/`.
fn embed_python_sources() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let mut files = Vec::new();
    collect(&root.join("alembic"), "alembic", &mut files);
    let python = root.join("python");
    if let Ok(entries) = std::fs::read_dir(&python) {
        let mut dirs: Vec<_> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.is_dir())
            .collect();
        dirs.sort();
        for dir in dirs {
            let name = dir
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default()
                .to_string();
            collect(&dir, &name, &mut files);
        }
    }
    files.sort();
    let mut out = String::from("pub(super) static EMBEDDED: &[(&str, bool, &str)] = &[\n");
    for (module, package, path) in &files {
        let _ = writeln!(
            out,
            "    ({module:?}, {package}, include_str!({:?})),",
            path.display()
        );
    }
    out.push_str("];\n");
    let dest =
        PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets it")).join("embedded_python.rs");
    std::fs::write(dest, out).expect("OUT_DIR is writable");
    println!("cargo:rerun-if-changed=alembic");
    println!("cargo:rerun-if-changed=python");
}

fn collect(dir: &Path, module: &str, out: &mut Vec<(String, bool, PathBuf)>) {
    println!("cargo:rerun-if-changed={}", dir.display());
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let Some(name) = path
            .file_name()
            .and_then(|n| n.to_str())
            .map(str::to_string)
        else {
            continue;
        };
        if path.is_dir() {
            if path.join("__init__.py").is_file() {
                collect(&path, &format!("{module}.{name}"), out);
            }
        } else if name == "__init__.py" {
            out.push((module.to_string(), true, path));
        } else if let Some(stem) = name.strip_suffix(".py") {
            out.push((format!("{module}.{stem}"), false, path));
        }
    }
}
