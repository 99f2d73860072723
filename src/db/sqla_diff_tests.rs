//! Differential tests against the installed SQLAlchemy: URL parsing and
//! masking (`make_url`, `render_as_string`), identifier quoting, the reserved
//! word lists, and the version-table statements as SQLAlchemy compiles them.
//!
//! Python is `RETORT_TEST_PYTHON`, else `<crate>/.venv/bin/python`.  Without
//! it (or without SQLAlchemy in it) the tests are skipped loudly, unless
//! `CI=true`, where they fail.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use super::url::UrlParts;
use super::{Backend, DbUrl, Dialect, VersionTable};
use crate::ddl::{quote_identifier, reserved_words};

const SCRIPT: &str = r#"
import sys
from sqlalchemy import Column, MetaData, PrimaryKeyConstraint, String, Table, literal_column, select
from sqlalchemy.engine import make_url
from sqlalchemy.schema import CreateTable
from sqlalchemy.dialects import mysql, postgresql, sqlite

def h(s):
    return "-" if s is None else "h" + str(s).encode("utf-8", "surrogatepass").hex()

def dialect(name, maria):
    if name == "postgresql":
        return postgresql.dialect(paramstyle="named")
    if name == "sqlite":
        return sqlite.dialect(paramstyle="named")
    return mysql.dialect(paramstyle="named", is_mariadb=(maria == "1"))

def sql(stmt, d):
    return str(stmt.compile(dialect=d, compile_kwargs={"literal_binds": True}))

for line in sys.stdin:
    kind, *args = line.split()
    args = [None if a == "-" else bytes.fromhex(a[1:]).decode("utf-8") for a in args]
    out = []
    if kind == "url":
        try:
            u = make_url(args[0])
        except Exception as e:
            print("err", h(type(e).__name__))
            continue
        out = [u.drivername, u.username, u.password, u.host, u.port, u.database]
        for k, v in u.query.items():
            for one in (v if isinstance(v, tuple) else (v,)):
                out += [k, one]
        out += [u.render_as_string(hide_password=True), u.render_as_string(hide_password=False)]
    elif kind == "quote":
        d = dialect(args[0], args[1])
        out = [d.identifier_preparer.quote(args[2])]
    elif kind == "vt":
        d = dialect(args[0], args[1])
        name, schema, pk = args[2], args[3], args[4] == "1"
        t = Table(name, MetaData(), Column("version_num", String(32), nullable=False), schema=schema)
        if pk:
            t.append_constraint(PrimaryKeyConstraint("version_num", name=f"{name}_pkc"))
        out = [
            str(CreateTable(t).compile(dialect=d)),
            sql(t.insert().values(version_num=literal_column("'v1'")), d),
            sql(t.update().values(version_num=literal_column("'v2'")).where(t.c.version_num == literal_column("'v1'")), d),
            sql(t.delete().where(t.c.version_num == literal_column("'v1'")), d),
            sql(t.delete(), d),
            sql(select(t.c.version_num), d),
        ]
    elif kind == "reserved":
        d = dialect(args[0], args[1])
        out = sorted(d.identifier_preparer.reserved_words)
    print("ok", *[h(x) for x in out])
"#;

fn hex(s: &str) -> String {
    let mut out = String::from("h");
    for b in s.as_bytes() {
        out += &format!("{b:02x}");
    }
    out
}

fn unhex(s: &str) -> Option<String> {
    if s == "-" {
        return None;
    }
    let digits = s.strip_prefix('h').unwrap_or(s);
    let bytes: Vec<u8> = (0..digits.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&digits[i..i + 2], 16).unwrap_or(0))
        .collect();
    Some(String::from_utf8_lossy(&bytes).into_owned())
}

/// Runs the script over `requests` (one line each: a kind and hex-encoded
/// arguments); returns one response per request, or `None` when Python with
/// SQLAlchemy is not available (and this is not CI).
fn ask_sqlalchemy(requests: &[String]) -> Option<Vec<Vec<Option<String>>>> {
    let python = std::env::var_os("RETORT_TEST_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(".venv/bin/python"));
    let skip = |why: String| {
        if std::env::var("CI").as_deref() == Ok("true") {
            panic!("SQLAlchemy differential tests cannot run on CI: {why}");
        }
        eprintln!(
            "\n*** SKIPPED SQLAlchemy differential test: {why} (set RETORT_TEST_PYTHON) ***\n"
        );
        None
    };
    let child = Command::new(&python)
        .arg("-c")
        .arg(SCRIPT)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(c) => c,
        Err(e) => return skip(format!("can't run {}: {e}", python.display())),
    };
    let mut input = requests.join("\n");
    input.push('\n');
    if let Some(mut stdin) = child.stdin.take() {
        stdin.write_all(input.as_bytes()).expect("write to python");
    }
    let out = child.wait_with_output().expect("python output");
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        if err.contains("No module named 'sqlalchemy'") {
            return skip(format!(
                "SQLAlchemy is not installed for {}",
                python.display()
            ));
        }
        panic!("python failed: {err}");
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let responses: Vec<Vec<Option<String>>> = text
        .lines()
        .map(|l| {
            let mut words = l.split(' ');
            let status = words.next().unwrap_or("");
            let mut fields: Vec<Option<String>> = words.map(unhex).collect();
            if status == "err" {
                fields.insert(0, Some("ERR".to_string()));
            }
            fields
        })
        .collect();
    assert_eq!(responses.len(), requests.len(), "one answer per request");
    Some(responses)
}

/// Tricky URLs: percent-escapes, `@` and `:` in odd places, IPv6, missing
/// parts, repeated / blank / undecodable query fields, odd ports, every
/// sqlite form, unparseable strings.
const URLS: &[&str] = &[
    "postgresql://scott:tiger@localhost/test",
    "postgresql+psycopg2://user:p%40ss%3Aw%2Frd@db.example.com:5433/app?sslmode=disable&application_name=my%20app",
    "postgres://u:p@h/d",
    "postgresql://host:5432/db@foo",
    "postgresql://user@x:pw@host/db",
    "postgresql://[::1]:5432/db",
    "postgresql://u:p@[fe80::1%25eth0]:5432/db",
    "postgresql://[::1]x/db",
    "postgresql://[]/db",
    "postgresql:///db?host=/var/run/postgresql",
    "postgresql://",
    "postgresql://@/db",
    "postgresql://:pw@h/db",
    "postgresql://u:@h/db",
    "postgresql://u%3Ax:p%zzq@h/db",
    "postgresql://\u{fc}:\u{df}%40@h/d%20b?k%20=v+w",
    "postgresql://u:p@h/db?x=1#frag",
    "postgresql://u:p@h/db?a=1&a=2&b=&c&a=3&=x",
    "postgresql://u:p@h: 5 /db",
    "postgresql://u:p@h:-5/db",
    "postgresql://u:p@h:5_0/db",
    "postgresql://u:p@h:abc/db",
    "postgresql://u:p@h:/db",
    "postgresql://u:pa ss@h/db",
    "postgresql://us er+x~y:p@h/db",
    "postgresql://u:p@h:5432?x=y",
    "postgresql://u:p@h/db?x=1\ny=2",
    "postgresql+asyncpg://u:p@h/db?prepared_statement_cache_size=0",
    "sqlite://",
    "sqlite:///",
    "sqlite:///:memory:",
    "sqlite:///relative.db",
    "sqlite:////abs/path.db",
    "sqlite:///file:path.db?mode=ro&uri=true",
    "sqlite+pysqlite:///C:\\path\\x.db",
    "mysql+pymysql://root:pw@localhost/x?charset=utf8mb4&unix_socket=/tmp/s.sock",
    "mariadb+mariadbconnector://u:p w+x@h:3306/db",
    "mysql+mysqldb://user:p%2Bw@127.0.0.1/db?ssl_ca=/ca.pem",
    "mysql://u:p@[::1]/db?%E2%9C%93=%E2%9C%93&%C3=%FF",
    "oracle+cx_oracle://scott:tiger@h:1521/?service_name=x",
    "not a url",
    "post gres://x",
    "://x",
    "postgresql:/x",
];

#[test]
fn urls_parse_and_mask_like_sqlalchemy() {
    let requests: Vec<String> = URLS.iter().map(|u| format!("url {}", hex(u))).collect();
    let Some(answers) = ask_sqlalchemy(&requests) else {
        return;
    };
    let mut failures = Vec::new();
    for (url, want) in URLS.iter().zip(answers) {
        let got = match UrlParts::parse(url) {
            Err(_) => vec![Some("ERR".to_string())],
            Ok(p) => {
                let mut v = vec![
                    Some(p.drivername.clone()),
                    p.username.clone(),
                    p.password.clone(),
                    p.host.clone(),
                    p.port.map(|n| n.to_string()),
                    p.database.clone(),
                ];
                // SQLAlchemy groups repeated keys at the key's first position.
                let mut keys: Vec<&str> = Vec::new();
                for (k, _) in &p.query {
                    if !keys.contains(&k.as_str()) {
                        keys.push(k);
                    }
                }
                for key in keys {
                    for (k, val) in &p.query {
                        if k == key {
                            v.push(Some(k.clone()));
                            v.push(Some(val.clone()));
                        }
                    }
                }
                v.push(Some(p.render(true)));
                v.push(Some(p.render(false)));
                v
            }
        };
        let want_cmp: Vec<Option<String>> = if want.first() == Some(&Some("ERR".to_string())) {
            vec![Some("ERR".to_string())]
        } else {
            want
        };
        if got != want_cmp {
            failures.push(format!(
                "{url:?}\n  retort:     {got:?}\n  sqlalchemy: {want_cmp:?}"
            ));
            continue;
        }
        // For supported dialects the public type masks the same way.
        if let Ok(u) = DbUrl::parse(url) {
            if Some(u.masked()) != want_cmp[want_cmp.len() - 2] {
                failures.push(format!("{url:?}: DbUrl::masked() differs"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn backends() -> Vec<(Backend, &'static str, &'static str)> {
    vec![
        (Dialect::Postgresql.into(), "postgresql", "0"),
        (Dialect::Sqlite.into(), "sqlite", "0"),
        (Dialect::Mysql.into(), "mysql", "0"),
        (Backend::new(Dialect::Mysql, true), "mysql", "1"),
    ]
}

const NAMES: &[&str] = &[
    "alembic_version",
    "MyVersions",
    "select",
    "order",
    "analyse",
    "returning",
    "window",
    "1abc",
    "$x",
    "s$x",
    "a b",
    "a\"b`c",
    "ver%sion",
    "caf\u{e9}",
    "\u{131}d",
    "\u{17f}x",
    "\u{212a}x",
    "dotted.name",
    "UPPER",
    "_lead",
];

#[test]
fn identifiers_quote_like_sqlalchemy() {
    let mut requests = Vec::new();
    let mut expected_for = Vec::new();
    for (backend, name, maria) in backends() {
        for n in NAMES {
            requests.push(format!("quote {} {} {}", hex(name), hex(maria), hex(n)));
            expected_for.push((backend, *n));
        }
    }
    let Some(answers) = ask_sqlalchemy(&requests) else {
        return;
    };
    let mut failures = Vec::new();
    for ((backend, n), want) in expected_for.into_iter().zip(answers) {
        let got = quote_identifier(n, backend);
        if Some(&Some(got.clone())) != want.first() {
            failures.push(format!(
                "{backend:?} {n:?}: retort {got:?}, sqlalchemy {want:?}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn reserved_words_match_sqlalchemy() {
    let lists = [
        (
            "postgresql",
            "0",
            reserved_words(Dialect::Postgresql.into()),
        ),
        ("sqlite", "0", reserved_words(Dialect::Sqlite.into())),
        ("mysql", "0", reserved_words(Dialect::Mysql.into())),
        (
            "mysql",
            "1",
            reserved_words(Backend::new(Dialect::Mysql, true)),
        ),
    ];
    let requests: Vec<String> = lists
        .iter()
        .map(|(d, m, _)| format!("reserved {} {}", hex(d), hex(m)))
        .collect();
    let Some(answers) = ask_sqlalchemy(&requests) else {
        return;
    };
    for ((d, m, ours), want) in lists.iter().zip(answers) {
        let want: Vec<String> = want.into_iter().flatten().collect();
        let ours: Vec<String> = ours.iter().map(|s| s.to_string()).collect();
        assert_eq!(
            ours, want,
            "{d} (mariadb={m}): regenerate src/db/reserved.rs from SQLAlchemy"
        );
    }
}

#[test]
fn version_table_statements_match_sqlalchemy() {
    let tables = [
        VersionTable::default(),
        VersionTable::new("alembic_version", None, false),
        VersionTable::new("MyVersions", Some("Other Schema".into()), true),
        VersionTable::new("select", Some("public".into()), true),
        VersionTable::new("a\"b`c", None, true),
        VersionTable::new("1abc", Some("s$x".into()), false),
        VersionTable::new("version_table", Some("returning".into()), true),
    ];
    let mut requests = Vec::new();
    let mut cases = Vec::new();
    for (backend, name, maria) in backends() {
        for t in &tables {
            requests.push(format!(
                "vt {} {} {} {} {}",
                hex(name),
                hex(maria),
                hex(&t.name),
                t.schema.as_deref().map_or("-".to_string(), hex),
                hex(if t.pk { "1" } else { "0" }),
            ));
            cases.push((backend, t.clone()));
        }
    }
    let Some(answers) = ask_sqlalchemy(&requests) else {
        return;
    };
    let mut failures = Vec::new();
    for ((b, t), want) in cases.into_iter().zip(answers) {
        let got = vec![
            t.create_sql(b).ok(),
            Some(t.insert_sql(b, "v1")),
            Some(t.update_sql(b, "v1", "v2")),
            Some(t.delete_sql(b, "v1")),
            Some(t.delete_all_sql(b)),
            Some(t.select_sql(b)),
        ];
        if got != want {
            failures.push(format!(
                "{b:?} {t:?}\n  retort:     {got:?}\n  sqlalchemy: {want:?}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
