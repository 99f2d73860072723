//! Lists the Python files compiled into the binary (the `alembic` shim and
//! `python/retort`), which the host hands to the user's interpreter, and a
//! hash of them all: the key of the bytecode cache that interpreter keeps.

use std::fmt::Write as _;
use std::hash::Hasher;
use std::path::{Path, PathBuf};

fn main() {
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
    // FNV-1a over names and contents: stable across builds and toolchains.
    let mut hash = Fnv(0xcbf2_9ce4_8422_2325);
    let mut out = String::from("pub(super) static EMBEDDED: &[(&str, bool, &str)] = &[\n");
    for (module, package, path) in &files {
        let source = std::fs::read(path).expect("embedded Python source is readable");
        hash.write(module.as_bytes());
        hash.write(&[u8::from(*package)]);
        hash.write(&source);
        let _ = writeln!(
            out,
            "    ({module:?}, {package}, include_str!({:?})),",
            path.display()
        );
    }
    out.push_str("];\n");
    // The first module the child runs, before it can import the others.
    let _ = writeln!(
        out,
        "pub(super) static BOOTSTRAP: &str = include_str!({:?});",
        python.join("retort/_bootstrap.py").display()
    );
    let _ = writeln!(
        out,
        "pub(super) static EMBEDDED_HASH: &str = \"{:016x}\";",
        hash.finish()
    );
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets it"));
    std::fs::write(out_dir.join("embedded_python.rs"), out).expect("OUT_DIR is writable");
    println!("cargo:rerun-if-changed=alembic");
    println!("cargo:rerun-if-changed=python");
}

struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }
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
