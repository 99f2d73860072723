//! Links the embedded CPython and lets the binary find its shared library at
//! run time (rpath to the interpreter's LIBDIR), and lists the Python files
//! compiled into the binary (the `alembic` shim and `python/retort`), each
//! with its bytecode when the build interpreter can compile it.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn main() {
    pyo3_build_config::use_pyo3_cfgs();
    let config = pyo3_build_config::get();
    if let Some(dir) = config.lib_dir() {
        println!("cargo:rustc-link-arg=-Wl,-rpath,{dir}");
    }
    embed_python_sources(config.executable());
}

/// Writes `$OUT_DIR/embedded_python.rs`: a table of (module name, is
/// package, source, bytecode) for every `.py` file under `alembic/` and
/// `python/`, and the bytecode's magic number (empty when none was made).
fn embed_python_sources(interpreter: Option<&str>) {
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
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets it"));
    let magic = interpreter.and_then(|python| compile_bytecode(python, &files, &out_dir));
    let mut out =
        String::from("pub(super) static EMBEDDED: &[(&str, bool, &str, Option<&[u8]>)] = &[\n");
    for (i, (module, package, path)) in files.iter().enumerate() {
        let code = match magic {
            Some(_) => format!(
                "Some(include_bytes!({:?}))",
                bytecode_path(&out_dir, i).display()
            ),
            None => "None".to_string(),
        };
        let _ = writeln!(
            out,
            "    ({module:?}, {package}, include_str!({:?}), {code}),",
            path.display()
        );
    }
    out.push_str("];\n");
    let _ = writeln!(
        out,
        "pub(super) static BYTECODE_MAGIC: &[u8] = &{:?};",
        magic.unwrap_or_default()
    );
    std::fs::write(out_dir.join("embedded_python.rs"), out).expect("OUT_DIR is writable");
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

fn bytecode_path(out_dir: &Path, index: usize) -> PathBuf {
    out_dir.join(format!("embedded_{index}.marshal"))
}

/// Compiles every file with the interpreter the binary links (the same
/// CPython version, so the same bytecode) under the file name the embedded
/// importer gives it, and returns that interpreter's magic number.  `None`
/// (with a warning) if it cannot: the binary then compiles at run time.
fn compile_bytecode(
    python: &str,
    files: &[(String, bool, PathBuf)],
    out_dir: &Path,
) -> Option<[u8; 4]> {
    const SCRIPT: &str = r#"
import importlib.util, marshal, sys
for line in sys.stdin.read().splitlines():
    origin, src, dest = line.split("\t")
    with open(src, encoding="utf-8") as f:
        code = compile(f.read(), origin, "exec", dont_inherit=True, optimize=0)
    with open(dest, "wb") as f:
        f.write(marshal.dumps(code))
sys.stdout.write(importlib.util.MAGIC_NUMBER.hex())
"#;
    let mut jobs = String::new();
    for (i, (module, package, path)) in files.iter().enumerate() {
        // The origin EmbeddedFinder gives the module (python/retort/_bootstrap.py).
        let origin = format!(
            "<retort>/{}{}",
            module.replace('.', "/"),
            if *package { "/__init__.py" } else { ".py" }
        );
        let _ = writeln!(
            jobs,
            "{origin}\t{}\t{}",
            path.display(),
            bytecode_path(out_dir, i).display()
        );
    }
    let run = || -> Result<[u8; 4], String> {
        let mut child = Command::new(python)
            .args(["-I", "-c", SCRIPT])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|e| e.to_string())?;
        if let Some(mut stdin) = child.stdin.take() {
            std::io::Write::write_all(&mut stdin, jobs.as_bytes()).map_err(|e| e.to_string())?;
        }
        let output = child.wait_with_output().map_err(|e| e.to_string())?;
        if !output.status.success() {
            return Err(format!("{python} exited with {}", output.status));
        }
        let hex = String::from_utf8_lossy(&output.stdout);
        let mut magic = [0u8; 4];
        for (i, byte) in magic.iter_mut().enumerate() {
            *byte = hex
                .get(2 * i..2 * i + 2)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .ok_or_else(|| format!("unexpected magic number {hex:?}"))?;
        }
        Ok(magic)
    };
    match run() {
        Ok(magic) => Some(magic),
        Err(e) => {
            println!(
                "cargo:warning=embedded Python modules are compiled at run time (no bytecode: {e})"
            );
            None
        }
    }
}
