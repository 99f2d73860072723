//! The authoring commands (`revision`, `merge`, `init`, `list_templates`,
//! `edit`) against real Alembic, run at test time: twin projects, the same
//! command in each, then the same exit code, the same stdout (paths shown
//! relative to the project) and the same files, byte for byte apart from the
//! digits of the `Create Date` line.

#[path = "dbsupport/mod.rs"]
mod dbsupport;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use dbsupport::{alembic_bin, host_venv, retort_bin, run_tool_with, Outcome};

const TIMEOUT: Duration = Duration::from_secs(60);

/// Two copies of one project: `a/` for Alembic, `r/` for retort.
struct Twins {
    _dir: tempfile::TempDir,
    alembic: PathBuf,
    a: PathBuf,
    r: PathBuf,
}

impl Twins {
    /// Each side set up by `setup(dir, alembic)` (the same steps twice).
    fn new(setup: impl Fn(&Path, &Path)) -> Option<Twins> {
        let alembic = alembic_bin()?;
        let dir = tempfile::tempdir().expect("temp dir");
        let a = dir.path().join("a");
        let r = dir.path().join("r");
        for side in [&a, &r] {
            fs::create_dir(side).expect("create side");
            setup(side, &alembic);
        }
        Some(Twins {
            _dir: dir,
            alembic,
            a,
            r,
        })
    }

    /// A project made by real `alembic init -t <template> mig`, with
    /// `edit(ini text)` applied to its alembic.ini.
    fn init(template: &str, edit: impl Fn(String) -> String) -> Option<Twins> {
        Twins::new(|dir, alembic| {
            let out = run(alembic, dir, &["init", "-t", template, "mig"], &[]);
            assert_eq!(out.code, Some(0), "alembic init: {}", out.stderr);
            let ini = dir.join("alembic.ini");
            let text = fs::read_to_string(&ini).expect("alembic.ini");
            fs::write(&ini, edit(text)).expect("write alembic.ini");
        })
    }

    /// Writes `text` to `rel` on both sides.
    fn write(&self, rel: &str, text: &str) {
        for side in [&self.a, &self.r] {
            let path = side.join(rel);
            if let Some(parent) = path.parent() {
                fs::create_dir_all(parent).expect("parent dir");
            }
            fs::write(path, text).expect("write");
        }
    }

    /// Removes the directory `rel` on both sides.
    fn remove_dir(&self, rel: &str) {
        for side in [&self.a, &self.r] {
            fs::remove_dir_all(side.join(rel)).expect("remove");
        }
    }

    /// Runs `args` with both tools and checks they agree.
    fn check(&self, args: &[&str]) {
        self.check_env(args, &[]);
    }

    fn check_env(&self, args: &[&str], env: &[(&str, &str)]) {
        let a = run(&self.alembic, &self.a, args, env);
        let r = run(&retort_bin(), &self.r, args, env);
        let shown = format!("`{}`", args.join(" "));
        assert_eq!(
            r.code, a.code,
            "{shown}: exit code\n--- alembic stdout\n{}\n--- alembic stderr\n{}\n--- retort stdout\n{}\n--- retort stderr\n{}",
            a.stdout, a.stderr, r.stdout, r.stderr
        );
        assert_eq!(
            stdout_of(&r, &self.r),
            stdout_of(&a, &self.a),
            "{shown}: stdout\n--- retort stderr\n{}",
            r.stderr
        );
        assert!(!r.stderr.contains("panicked"), "{shown}: {}", r.stderr);
        if a.code == Some(1) {
            assert!(
                !r.stderr.trim().is_empty(),
                "{shown}: Alembic crashed, retort must say why on stderr"
            );
        }
        same_files(&self.r, &self.a, &shown);
    }
}

/// The two trees hold the same files; a failure names only the differing ones.
fn same_files(r: &Path, a: &Path, shown: &str) {
    let (tr, ta) = (tree(r), tree(a));
    let mut report = String::new();
    for name in tr
        .keys()
        .chain(ta.keys())
        .collect::<std::collections::BTreeSet<_>>()
    {
        let (x, y) = (tr.get(name), ta.get(name));
        if x != y {
            report.push_str(&format!(
                "\n=== {name}\n--- retort\n{}\n--- alembic\n{}\n",
                x.map_or("(missing)", String::as_str),
                y.map_or("(missing)", String::as_str)
            ));
        }
    }
    assert!(report.is_empty(), "{shown}: files differ{report}");
}

fn run(program: &Path, cwd: &Path, args: &[&str], env: &[(&str, &str)]) -> Outcome {
    run_ini(program, cwd, "alembic.ini", args, env)
}

/// [`run`] with `-c ini`.
fn run_ini(program: &Path, cwd: &Path, ini: &str, args: &[&str], env: &[(&str, &str)]) -> Outcome {
    let mut all: Vec<(String, String)> = vec![("EDITOR".into(), "true".into())];
    all.extend(env.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    let out = run_tool_with(program, cwd, Path::new(ini), args, &all, TIMEOUT);
    assert!(out.harness_error.is_none(), "{:?}", out.harness_error);
    out
}

/// Stdout with the project's path as `<root>` and Mako's error file as
/// `<tmpfile>`.
fn stdout_of(out: &Outcome, root: &Path) -> String {
    let text = out.stdout.replace(&root.display().to_string(), "<root>");
    match text.find("see /") {
        Some(at) => {
            let end = text[at..].find(".txt").map_or(text.len(), |e| at + e + 4);
            format!("{}see <tmpfile>{}", &text[..at], &text[end..])
        }
        None => text,
    }
}

/// Every file under `root` (no bytecode, no databases) with its content;
/// the digits of `Create Date` lines masked.
fn tree(root: &Path) -> BTreeMap<String, String> {
    fn walk(dir: &Path, root: &Path, out: &mut BTreeMap<String, String>) {
        let Ok(entries) = fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            if name == "__pycache__" || name.ends_with(".db") || name.ends_with(".pyc") {
                continue;
            }
            let rel = path
                .strip_prefix(root)
                .map(|p| p.display().to_string())
                .unwrap_or_default();
            if path.is_dir() {
                out.insert(format!("{rel}/"), String::new());
                walk(&path, root, out);
            } else {
                let bytes = fs::read(&path).unwrap_or_default();
                out.insert(rel, mask_dates(&String::from_utf8_lossy(&bytes)));
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(root, root, &mut out);
    out
}

fn mask_dates(text: &str) -> String {
    text.split_inclusive('\n')
        .map(|line| {
            if line.starts_with("Create Date: ") || line.starts_with("Year: ") {
                line.chars()
                    .map(|c| if c.is_ascii_digit() { 'N' } else { c })
                    .collect()
            } else {
                line.to_string()
            }
        })
        .collect()
}

fn sqlite_url(text: String) -> String {
    text.replace(
        "driver://user:pass@localhost/dbname",
        "sqlite:///%(here)s/test.db",
    )
}

// ---------------------------------------------------------------- revision

#[test]
fn revision_and_merge_on_the_stock_generic_template() {
    let Some(t) = Twins::init("generic", |s| s) else {
        return;
    };
    // A missing versions directory is created.
    t.remove_dir("mig/versions");
    t.check(&[
        "revision",
        "-m",
        "Hello, World! first one",
        "--rev-id",
        "aaa",
    ]);
    t.check(&["revision", "-m", "second", "--rev-id", "bbb"]);
    t.check(&["revision", "--rev-id", "ccc", "--head", "aaa"]);
    t.check(&["revision", "--rev-id", "ccc", "--head", "aaa", "--splice"]);
    t.check(&["revision", "--rev-id", "ddd"]);
    t.check(&["revision", "--rev-id", "ddd", "--head", "base"]);
    t.check(&["revision", "--rev-id", "a-b@c"]);
    t.check(&["revision", "--rev-id", "x:+"]);
    t.check(&[
        "revision",
        "--head",
        "bbb",
        "--rev-id",
        "eee",
        "--branch-label",
        "lab",
        "-m",
        "with label",
    ]);
    t.check(&[
        "revision",
        "--head",
        "lab@head",
        "--rev-id",
        "ggg",
        "--depends-on",
        "lab",
        "--depends-on",
        "aaa",
        "--depends-on",
        "ccc",
        "-m",
        "Ünïcode wörds — and_more!! 123",
    ]);
    t.check(&[
        "revision",
        "--head",
        "ddd",
        "--depends-on",
        "zzzz",
        "--rev-id",
        "hhh",
    ]);
    t.check(&[
        "revision",
        "--head",
        "ddd",
        "--depends-on",
        "heads",
        "--rev-id",
        "hhh",
    ]);
    t.check(&[
        "revision",
        "--head",
        "ddd",
        "--depends-on",
        "cc",
        "--rev-id",
        "hhh",
    ]);
    t.check(&[
        "revision",
        "--head",
        "ddd",
        "--depends-on",
        "bbb",
        "--rev-id",
        "hhh",
        "-m",
        "one dependency",
    ]);
    t.check(&["revision", "--head", "zzz", "--rev-id", "x1"]);
    t.check(&["revision", "--head", "heads", "--rev-id", "x1"]);
    t.check(&["revision", "-m", "", "--rev-id", "e1", "--head", "base"]);
    t.check(&[
        "revision",
        "--head",
        "base",
        "--rev-id",
        "lng",
        "-m",
        "A message well beyond the forty characters of the default slug limit",
    ]);
    t.check(&[
        "revision",
        "--version-path",
        "nowhere/./x/",
        "--rev-id",
        "v1",
        "--head",
        "base",
    ]);
    t.check(&[
        "revision",
        "--version-path",
        "mig/versions",
        "--rev-id",
        "v1",
        "--head",
        "base",
    ]);
    t.check(&["revision", "--sql", "--rev-id", "s1"]);
    t.check(&["-q", "revision", "--head", "base", "--rev-id", "q1"]);
    t.check(&["merge", "ddd", "ddd", "--rev-id", "m1"]);
    t.check(&["merge", "aaa", "ddd", "--rev-id", "m1"]);
    t.check(&[
        "merge", "aaa", "ddd", "--rev-id", "m1", "--splice", "-m", "spliced",
    ]);
    t.check(&[
        "merge",
        "heads",
        "--rev-id",
        "m2",
        "-m",
        "merge all",
        "--branch-label",
        "mergelab",
    ]);
    t.check(&["merge", "zzz", "--rev-id", "m3"]);
    t.check(&[
        "merge",
        "mergelab",
        "--rev-id",
        "m4",
        "--branch-label",
        "mergelab",
    ]);
    t.check(&["heads"]);
}

#[test]
fn revision_on_the_other_stock_templates() {
    for template in ["async", "pyproject"] {
        let Some(t) = Twins::init(template, |s| s) else {
            return;
        };
        t.check(&["revision", "-m", "first", "--rev-id", "aaa"]);
        t.check(&[
            "revision",
            "-m",
            "second",
            "--rev-id",
            "bbb",
            "--branch-label",
            "b",
        ]);
        t.check(&[
            "revision",
            "-m",
            "root",
            "--rev-id",
            "ccc",
            "--head",
            "base",
            "--depends-on",
            "b",
        ]);
        t.check(&["merge", "heads", "-m", "both", "--rev-id", "ddd"]);
    }
}

#[test]
fn revision_file_names_slugs_dates_and_encodings() {
    let Some(t) = Twins::init("generic", |s| {
        s.replace("# truncate_slug_length = 40", "truncate_slug_length = 10")
            .replace("# output_encoding = utf-8", "output_encoding = latin-1")
            .replace("# timezone =", "timezone = utc")
            .replace(
                "# recursive_version_locations = false",
                "recursive_version_locations = true",
            )
            .replace(
                "# file_template = %%(year)d/",
                "file_template = %%(year)d/%%(rev)s_%%(slug)s\n# ",
            )
    }) else {
        return;
    };
    t.check(&[
        "revision",
        "-m",
        "Hello, World! this is long",
        "--rev-id",
        "aaa",
    ]);
    t.check(&["revision", "-m", "café crème brûlée", "--rev-id", "bbb"]);
    t.check(&["revision", "-m", "exactly10c", "--rev-id", "ccc"]);
    t.check(&["history"]);
    t.write(
        "alembic.ini",
        &fs::read_to_string(t.a.join("alembic.ini"))
            .unwrap()
            .replace("timezone = utc", "timezone = Nowhere/Special"),
    );
    t.check(&["revision", "--rev-id", "ddd"]);
    let ini = fs::read_to_string(t.a.join("alembic.ini")).unwrap();
    t.write(
        "alembic.ini",
        &ini.replace(
            "script_location = %(here)s/mig",
            "script_location = %(here)s/nowhere",
        ),
    );
    t.check(&["revision", "--rev-id", "ddd"]);
    t.write(
        "alembic.ini",
        &ini.replace("script_location = %(here)s/mig", ""),
    );
    t.check(&["revision", "--rev-id", "ddd"]);
    t.check(&["merge", "heads"]);
}

#[test]
fn revision_with_several_version_locations() {
    let Some(t) = Twins::init("generic", |s| {
        s.replace(
            "# version_locations = %(here)s/bar:%(here)s/bat:%(here)s/alembic/versions",
            "version_locations = %(here)s/mig/versions:%(here)s/extra",
        )
    }) else {
        return;
    };
    t.check(&["revision", "-m", "root", "--rev-id", "aaa"]);
    t.check(&[
        "revision",
        "-m",
        "root",
        "--rev-id",
        "aaa",
        "--version-path",
        "extra",
    ]);
    t.check(&["revision", "-m", "next", "--rev-id", "bbb"]);
    t.check(&[
        "revision",
        "-m",
        "other root",
        "--rev-id",
        "ccc",
        "--head",
        "base",
        "--version-path",
        "mig/versions",
    ]);
    t.check(&[
        "revision",
        "-m",
        "elsewhere",
        "--rev-id",
        "ddd",
        "--head",
        "ccc",
        "--version-path",
        "bad",
    ]);
    t.check(&["merge", "heads", "--rev-id", "eee"]);
}

/// A project's own script.py.mako with Mako's features: module blocks,
/// filters, control lines, Python blocks, comments, `config`.
const CUSTOM_TEMPLATE: &str = r##"<%!
    import re

    def shout(text):
        return text.upper()
%>\
"""${message | shout}

Revision ID: ${up_revision}
Revises: ${down_revision | comma,n}
Create Date: ${create_date}
Labels: ${branch_labels | comma,n}
Depends: ${depends_on | comma,n}
Year: ${create_date.year}
Setting: ${config.get_main_option("custom_setting", "unset")}
Refresh: ${refresh}
"""
% if down_revision is None:
# the first revision of its branch
% elif isinstance(down_revision, tuple):
# a merge of ${len(down_revision)} revisions
% else:
# follows ${down_revision}
% endif
<% slug = re.sub(r"\W+", "-", message).strip("-").lower() %>
SLUG = ${repr(slug)}
revision = ${repr(up_revision)}
down_revision = ${repr(down_revision)}
branch_labels = ${repr(branch_labels)}
depends_on = ${repr(depends_on)}
% for i in range(2):
STEP_${i} = ${i * 2}
% endfor
## a Mako comment, not in the output
${imports if imports else "# no imports"}


def upgrade():
    ${upgrades if upgrades else "pass"}


def downgrade():
    ${downgrades if downgrades else "pass"}
"##;

#[test]
fn revision_with_a_custom_script_template() {
    let Some(t) = Twins::init("generic", |s| {
        s.replace("[alembic]\n", "[alembic]\ncustom_setting = from the ini\n")
    }) else {
        return;
    };
    t.write("mig/script.py.mako", CUSTOM_TEMPLATE);
    t.check(&[
        "revision",
        "-m",
        "Add users, orders & more!",
        "--rev-id",
        "aaa",
    ]);
    t.check(&[
        "revision",
        "-m",
        "side",
        "--rev-id",
        "bbb",
        "--head",
        "base",
        "--branch-label",
        "side",
    ]);
    t.check(&[
        "revision",
        "-m",
        "deps",
        "--rev-id",
        "ccc",
        "--head",
        "aaa",
        "--depends-on",
        "side",
        "--depends-on",
        "bbb",
    ]);
    t.check(&["merge", "heads", "-m", "join", "--rev-id", "ddd"]);
    // Without the branch_labels line the label cannot be honoured.
    t.write(
        "mig/script.py.mako",
        &CUSTOM_TEMPLATE.replace("branch_labels = ${repr(branch_labels)}\n", ""),
    );
    t.check(&[
        "revision",
        "-m",
        "lost label",
        "--rev-id",
        "eee",
        "--branch-label",
        "lost",
    ]);
    // A failure while rendering: Alembic's message names a temporary file.
    t.write("mig/script.py.mako", "${undefined_name.attribute}\n");
    t.check(&["revision", "-m", "broken", "--rev-id", "fff"]);
    // A template Mako cannot compile: a traceback in both.
    t.write("mig/script.py.mako", "% if True:\nno end\n");
    t.check(&["revision", "-m", "broken", "--rev-id", "ggg"]);
}

#[test]
fn revision_runs_post_write_hooks() {
    let Some(t) = Twins::init("generic", |s| {
        s.replace(
            "[post_write_hooks]\n",
            "[post_write_hooks]\nhooks = stamp, tidy\nstamp.type = exec\nstamp.executable = sed\n\
             stamp.options = -i -e 's/^revision = /REVISION = /' -e '$a # stamped' REVISION_SCRIPT_FILENAME\n\
             tidy.type = module\ntidy.module = tidyhook\n",
        )
    }) else {
        return;
    };
    t.write(
        "tidyhook.py",
        "import sys\n\nprint('tidying', sys.argv[1].rsplit('/', 1)[-1])\n\
         with open(sys.argv[1], 'a') as f:\n    f.write('# tidied\\n')\n",
    );
    t.write(
        "mig/script.py.mako",
        "revision = ${repr(up_revision)}\ndown_revision = ${repr(down_revision)}\n",
    );
    t.check(&["revision", "-m", "hooked", "--rev-id", "aaa"]);
    t.check(&["-q", "revision", "-m", "quietly hooked", "--rev-id", "aab"]);
    let ini = fs::read_to_string(t.a.join("alembic.ini")).unwrap();
    t.write("alembic.ini", &ini.replace("tidy.type = module\n", ""));
    t.check(&["revision", "-m", "no type", "--rev-id", "bbb"]);
    t.write(
        "alembic.ini",
        &ini.replace("tidy.type = module", "tidy.type = nonesuch"),
    );
    t.check(&["revision", "-m", "unknown type", "--rev-id", "ccc"]);
    t.write(
        "alembic.ini",
        &ini.replace(
            "tidy.module = tidyhook",
            "tidy.module = no_such_module_here",
        ),
    );
    t.check(&["revision", "-m", "no module", "--rev-id", "ddd"]);
}

#[test]
fn revision_runs_post_write_hooks_from_pyproject() {
    let Some(t) = Twins::init("pyproject", |s| s) else {
        return;
    };
    let toml = fs::read_to_string(t.a.join("pyproject.toml")).unwrap();
    let hooks = "\n[[tool.alembic.post_write_hooks]]\nname = \"mark\"\ntype = \"exec\"\n\
                 executable = \"sed\"\noptions = \"-i -e '1i # marked' REVISION_SCRIPT_FILENAME\"\n";
    t.write("pyproject.toml", &format!("{toml}{hooks}"));
    t.check(&["revision", "-m", "marked", "--rev-id", "aaa"]);
    let missing =
        "\n[[tool.alembic.post_write_hooks]]\nname = \"fmt\"\ntype = \"console_scripts\"\n\
                   entrypoint = \"no-such-entrypoint\"\n";
    t.write("pyproject.toml", &format!("{toml}{missing}"));
    t.check(&["revision", "-m", "no entry point", "--rev-id", "bbb"]);
    let no_entry =
        "\n[[tool.alembic.post_write_hooks]]\nname = \"fmt\"\ntype = \"console_scripts\"\n";
    t.write("pyproject.toml", &format!("{toml}{no_entry}"));
    t.check(&["revision", "-m", "no entry point key", "--rev-id", "ccc"]);
}

#[test]
fn revision_environment_runs_env_py() {
    let Some(t) = Twins::init("generic", |s| {
        sqlite_url(s).replace(
            "# revision_environment = false",
            "revision_environment = true",
        )
    }) else {
        return;
    };
    t.check(&["revision", "-m", "with env", "--rev-id", "aaa"]);
    t.check(&["revision", "-m", "offline", "--rev-id", "bbb", "--sql"]);
    t.check(&[
        "revision", "-m", "side", "--rev-id", "ccc", "--head", "base",
    ]);
    t.check(&["merge", "heads", "-m", "join", "--rev-id", "ddd"]);
    // env.py's template_args reach the template.
    let env = fs::read_to_string(t.a.join("mig/env.py")).unwrap().replace(
        "connection=connection, target_metadata=target_metadata",
        "connection=connection, target_metadata=target_metadata, template_args={'note': 'from env.py'}",
    );
    t.write("mig/env.py", &env);
    t.write(
        "mig/script.py.mako",
        &format!("# ${{note}} ${{config.cmd_opts.autogenerate}}\n{CUSTOM_TEMPLATE}"),
    );
    t.check(&["revision", "-m", "noted", "--rev-id", "eee"]);
    t.check(&["merge", "heads", "-m", "noted merge", "--rev-id", "fff"]);
}

// ---------------------------------------------------------------- edit

#[test]
fn edit_opens_the_editor() {
    let Some(t) = Twins::init("generic", |s| s) else {
        return;
    };
    t.check(&["revision", "-m", "one", "--rev-id", "aaa"]);
    t.check(&["revision", "-m", "two", "--rev-id", "bbb", "--head", "base"]);
    t.check_env(&["edit", "aaa"], &[("EDITOR", "echo")]);
    t.check_env(&["edit", "heads"], &[("EDITOR", "echo")]);
    t.check_env(&["edit", "zzz"], &[("EDITOR", "echo")]);
    t.check_env(&["edit", "base"], &[("EDITOR", "echo")]);
    t.check_env(&["edit", "aaa"], &[("EDITOR", "false")]);
    t.check_env(
        &["edit", "aaa"],
        &[("EDITOR", "/no/such/editor"), ("VISUAL", "echo")],
    );
    t.check_env(
        &["edit", "aaa"],
        &[
            ("EDITOR", "no-such-editor-anywhere"),
            ("PATH", "/nonexistent"),
        ],
    );
}

#[test]
fn edit_current_reads_the_database() {
    let Some(t) = Twins::init("generic", sqlite_url) else {
        return;
    };
    t.check(&["revision", "-m", "one", "--rev-id", "aaa"]);
    t.check_env(&["edit", "current"], &[("EDITOR", "echo")]);
    t.check(&["stamp", "aaa"]);
    t.check_env(&["edit", "current"], &[("EDITOR", "echo")]);
    // An env.py of the project's own runs in the Python host.
    let env = fs::read_to_string(t.a.join("mig/env.py")).unwrap();
    t.write("mig/env.py", &format!("# the project's own\n{env}"));
    t.check_env(&["edit", "current"], &[("EDITOR", "echo")]);
    t.check(&["stamp", "--purge", "base"]);
    t.check_env(&["edit", "current"], &[("EDITOR", "echo")]);
}

// ---------------------------------------------------------------- init

/// `init` writes retort's own templates, so the files differ from Alembic's;
/// what it prints and which files it writes must not.
fn file_names(root: &Path) -> Vec<String> {
    tree(root).into_keys().collect()
}

fn init_both(t: &Twins, args: &[&str]) {
    let a = run(&t.alembic, &t.a, args, &[]);
    let r = run(&retort_bin(), &t.r, args, &[]);
    let shown = args.join(" ");
    assert_eq!(r.code, a.code, "{shown}: {}\n{}", a.stdout, r.stderr);
    // Alembic lists a template's files in directory order; compare as sets.
    let lines = |o: &Outcome, root: &Path| {
        let mut l: Vec<String> = stdout_of(o, root).lines().map(str::to_string).collect();
        l.sort();
        l
    };
    assert_eq!(lines(&r, &t.r), lines(&a, &t.a), "{shown}: stdout");
    assert_eq!(file_names(&t.r), file_names(&t.a), "{shown}: files");
}

#[test]
fn init_writes_what_alembic_writes() {
    for template in ["generic", "async", "pyproject", "pyproject_async"] {
        let Some(t) = Twins::new(|_, _| ()) else {
            return;
        };
        init_both(&t, &["init", "-t", template, "mig"]);
        init_both(&t, &["init", "-t", template, "mig"]);
        init_both(&t, &["init", "-t", template, "--package", "other/place"]);
    }
    let Some(t) = Twins::new(|dir, _| {
        fs::write(dir.join("pyproject.toml"), "[project]\nname = \"app\"\n").unwrap();
        fs::create_dir(dir.join("empty")).unwrap();
    }) else {
        return;
    };
    init_both(&t, &["init", "-t", "pyproject", "empty"]);
    init_both(&t, &["init", "-t", "pyproject", "again"]);
    init_both(&t, &["init", "-t", "generic", "third"]);
    init_both(&t, &["-q", "init", "-t", "pyproject", "quiet"]);
    let a = run(&t.alembic, &t.a, &["init", "-t", "nonesuch", "x"], &[]);
    let r = run(&retort_bin(), &t.r, &["init", "-t", "nonesuch", "x"], &[]);
    assert_eq!((r.code, a.code), (Some(255), Some(255)));
    assert!(a.stdout.starts_with("FAILED: No such template "));
    assert!(r.stdout.starts_with("FAILED: No such template "));
}

/// With the ini file in another directory, `script_location` leads from
/// there back to the new directory (`..` included), so Alembic finds it.
#[test]
fn init_with_the_config_file_elsewhere() {
    let Some(alembic) = alembic_bin() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("conf")).unwrap();
    let ini = "conf/alembic.ini";
    let out = run_ini(&retort_bin(), dir.path(), ini, &["init", "mig"], &[]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let text = fs::read_to_string(dir.path().join(ini)).unwrap();
    assert!(
        text.contains("\nscript_location = %(here)s/../mig\n"),
        "{text}"
    );
    for program in [&alembic, &retort_bin()] {
        let out = run_ini(
            program,
            dir.path(),
            ini,
            &["revision", "-m", "x", "--head", "base"],
            &[],
        );
        assert_eq!(
            out.code,
            Some(0),
            "{}: {}{}",
            program.display(),
            out.stdout,
            out.stderr
        );
        assert!(out.stdout.contains("/mig/versions/"), "{}", out.stdout);
    }
}

#[test]
fn list_templates_has_alembics_shape() {
    let Some(t) = Twins::new(|_, _| ()) else {
        return;
    };
    let a = run(&t.alembic, &t.a, &["list_templates"], &[]);
    let r = run(&retort_bin(), &t.r, &["list_templates"], &[]);
    assert_eq!((r.code, a.code), (Some(0), Some(0)));
    let template_line = |l: &&str| l.contains(" - ");
    let frame = |s: &str| -> Vec<String> {
        s.lines()
            .filter(|l| !template_line(l))
            .map(str::to_string)
            .collect()
    };
    assert_eq!(frame(&r.stdout), frame(&a.stdout));
    let names = |s: &str| -> Vec<String> {
        s.lines()
            .filter(template_line)
            .filter_map(|l| l.split(" - ").next())
            .map(str::to_string)
            .collect()
    };
    let alembic_names = names(&a.stdout);
    for name in names(&r.stdout) {
        assert!(
            alembic_names.contains(&name),
            "{name} is not one of Alembic's templates"
        );
    }
    assert!(names(&r.stdout).len() >= 3);
}

/// A project made by `retort init` is an Alembic project: real Alembic
/// creates revisions in it and migrates a database with them, and so does
/// retort, without starting Python for its env.py.
#[test]
fn retort_init_projects_work_with_alembic() {
    let Some(alembic) = alembic_bin() else {
        return;
    };
    for template in ["generic", "pyproject", "async", "pyproject_async"] {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let retort = |args: &[&str]| run(&retort_bin(), root, args, &[]);
        let real = |args: &[&str]| run(&alembic, root, args, &[]);
        let ok = |o: Outcome, what: &str| {
            assert_eq!(
                o.code,
                Some(0),
                "{template}: {what}\n{}\n{}",
                o.stdout,
                o.stderr
            );
            o
        };
        ok(
            retort(&["init", "-t", template, "migrations"]),
            "retort init",
        );
        let ini = root.join("alembic.ini");
        let url = if template.ends_with("async") {
            "sqlite+aiosqlite:///%(here)s/app.db"
        } else {
            "sqlite:///%(here)s/app.db"
        };
        fs::write(
            &ini,
            fs::read_to_string(&ini)
                .unwrap()
                .replace("driver://user:pass@localhost/dbname", url),
        )
        .unwrap();
        ok(
            retort(&["revision", "-m", "create things", "--rev-id", "r1"]),
            "retort revision",
        );
        fs::write(
            root.join("migrations/versions/r1_create_things.py"),
            fs::read_to_string(root.join("migrations/versions/r1_create_things.py"))
                .unwrap()
                .replacen(
                    "    pass",
                    "    op.create_table('thing', sa.Column('id', sa.Integer, primary_key=True))",
                    1,
                ),
        )
        .unwrap();
        ok(
            real(&["revision", "-m", "by alembic", "--rev-id", "r2"]),
            "alembic revision",
        );
        ok(
            retort(&["merge", "heads", "-m", "nothing to merge", "--rev-id", "r3"]),
            "retort merge",
        );
        let heads = ok(real(&["heads"]), "alembic heads").stdout;
        assert_eq!(heads, ok(retort(&["heads"]), "retort heads").stdout);
        assert!(heads.starts_with("r3 (head)"), "{heads}");
        let offline_a = ok(real(&["upgrade", "head", "--sql"]), "alembic upgrade --sql").stdout;
        let offline_r = ok(
            retort(&["upgrade", "head", "--sql"]),
            "retort upgrade --sql",
        )
        .stdout;
        assert_eq!(offline_r, offline_a, "{template}: upgrade --sql");
        assert!(offline_a.contains("CREATE TABLE thing"), "{offline_a}");
        if template.ends_with("async") {
            continue; // Alembic would need aiosqlite to go online.
        }
        ok(real(&["upgrade", "head"]), "alembic upgrade");
        // retort reads the database without Python: its env.py is one it knows.
        let current = run(
            &retort_bin(),
            root,
            &["current"],
            &[("VIRTUAL_ENV", "/nonexistent")],
        );
        assert_eq!(current.code, Some(0), "{}", current.stderr);
        assert_eq!(
            current.stdout,
            ok(real(&["current"]), "alembic current").stdout
        );
        ok(retort(&["downgrade", "base"]), "retort downgrade");
        assert_eq!(ok(real(&["current"]), "alembic current").stdout, "");
    }
}

/// Without Mako in the environment, retort says so.
#[test]
fn revision_without_mako_says_so() {
    let Some(t) = Twins::init("generic", |s| s) else {
        return;
    };
    // A virtualenv whose packages are the test one's, with `mako` shadowed.
    let venv = t.r.parent().unwrap().join("venv-no-mako");
    let made = std::process::Command::new(host_venv().join("bin/python"))
        .args(["-m", "venv", "--without-pip"])
        .arg(&venv)
        .output()
        .unwrap();
    assert!(made.status.success(), "{made:?}");
    let site = fs::read_dir(venv.join("lib"))
        .unwrap()
        .flatten()
        .map(|e| e.path().join("site-packages"))
        .find(|p| p.is_dir())
        .unwrap();
    fs::create_dir_all(site.join("mako")).unwrap();
    fs::write(
        site.join("mako/__init__.py"),
        "raise ImportError(\"No module named 'mako'\")\n",
    )
    .unwrap();
    let host_site = fs::read_dir(host_venv().join("lib"))
        .unwrap()
        .flatten()
        .map(|e| e.path().join("site-packages"))
        .find(|p| p.is_dir())
        .unwrap();
    fs::write(
        site.join("zz-host.pth"),
        format!("{}\n", host_site.display()),
    )
    .unwrap();
    let venv_s = venv.display().to_string();
    let r = run(
        &retort_bin(),
        &t.r,
        &["revision", "-m", "x", "--rev-id", "aaa"],
        &[("VIRTUAL_ENV", &venv_s)],
    );
    assert_eq!(r.code, Some(1), "{}\n{}", r.stdout, r.stderr);
    assert!(r.stderr.contains("Mako is not installed"), "{}", r.stderr);
}

// ---------------------------------------------------------------- fixtures

fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap().flatten() {
        let path = entry.path();
        let dest = to.join(entry.file_name());
        if path.is_dir() {
            copy_tree(&path, &dest);
        } else {
            fs::copy(&path, &dest).unwrap();
        }
    }
}

/// Alembic's own generic `script.py.mako`, from the Alembic under test.
fn stock_script_template(alembic: &Path) -> String {
    let python = alembic.with_file_name("python");
    let out = std::process::Command::new(python)
        .args([
            "-I",
            "-c",
            "import alembic, os; print(os.path.join(os.path.dirname(alembic.__file__), 'templates', 'generic', 'script.py.mako'))",
        ])
        .output()
        .expect("Alembic's python");
    let path = String::from_utf8_lossy(&out.stdout).trim().to_string();
    fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// `revision` and `merge` on every graph fixture (valid and broken ones),
/// with Alembic's stock template beside each script directory.
#[test]
fn revision_and_merge_on_every_graph_fixture() {
    let Some(alembic) = alembic_bin() else {
        return;
    };
    let template = stock_script_template(&alembic);
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/projects");
    let mut names: Vec<String> = fs::read_dir(&fixtures)
        .unwrap()
        .flatten()
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    // Deliberate differences (README): retort refuses a project with an id
    // twice (Alembic warns and goes on with a phantom head) and `\N{…}`
    // escapes in docstrings. Alembic names the two revisions sharing a label
    // in the order of a Python set (graph_parity normalises that message).
    names.retain(|n| {
        !matches!(
            n.as_str(),
            "err_duplicate_revision" | "exotic_escapes" | "err_duplicate_label"
        )
    });
    for name in names {
        let source = fixtures.join(&name);
        let Some(t) = Twins::new(|dir, _| {
            copy_tree(&source, dir);
            fs::write(dir.join("script.py.mako"), &template).unwrap();
            for entry in fs::read_dir(dir).unwrap().flatten() {
                if entry.path().is_dir() {
                    fs::write(entry.path().join("script.py.mako"), &template).unwrap();
                }
            }
        }) else {
            return;
        };
        eprintln!("fixture {name}");
        t.check(&["revision", "-m", "sweep one", "--rev-id", "swp1"]);
        t.check(&[
            "revision",
            "-m",
            "sweep two",
            "--rev-id",
            "swp2",
            "--head",
            "base",
        ]);
        t.check(&["merge", "heads", "-m", "sweep merge", "--rev-id", "swp3"]);
    }
}
