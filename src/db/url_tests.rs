use super::*;

fn parse(s: &str) -> DbUrl {
    match DbUrl::parse(s) {
        Ok(u) => u,
        Err(e) => panic!("{s}: {e}"),
    }
}

fn q(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[test]
fn full_postgresql_url() {
    let u = parse("postgresql+psycopg2://scott:tiger@db.example.com:5433/app?sslmode=disable");
    assert_eq!(u.dialect, Dialect::Postgresql);
    assert!(!u.is_mariadb);
    assert_eq!(u.driver(), Some("psycopg2"));
    assert_eq!(u.username.as_deref(), Some("scott"));
    assert_eq!(u.password.as_deref(), Some("tiger"));
    assert_eq!(u.host.as_deref(), Some("db.example.com"));
    assert_eq!(u.port, Some(5433));
    assert_eq!(u.database.as_deref(), Some("app"));
    assert_eq!(u.query, q(&[("sslmode", "disable")]));
    assert_eq!(
        u.masked(),
        "postgresql+psycopg2://scott:***@db.example.com:5433/app?sslmode=disable"
    );
    assert_eq!(
        u.render_with_password(),
        "postgresql+psycopg2://scott:tiger@db.example.com:5433/app?sslmode=disable"
    );
}

#[test]
fn password_never_in_debug_or_display() {
    let u = parse("mysql+pymysql://root:s3cret@localhost/x");
    assert!(!format!("{u:?}").contains("s3cret"));
    assert!(!u.to_string().contains("s3cret"));
}

#[test]
fn percent_decoding_user_password_and_database() {
    // SQLAlchemy 2.1's rules (the newest line, taken when none is set):
    // the database part is decoded too, and encoded again on render.
    let u = parse("postgresql://us%40er:p%3Aw%2Fd@h/d%20b");
    assert_eq!(u.username.as_deref(), Some("us@er"));
    assert_eq!(u.password.as_deref(), Some("p:w/d"));
    assert_eq!(u.database.as_deref(), Some("d b"));
    assert_eq!(u.masked(), "postgresql://us%40er:***@h/d b");
}

#[test]
fn password_runs_to_first_at_sign() {
    let u = parse("postgresql://host:5432/db@foo");
    assert_eq!(u.username.as_deref(), Some("host"));
    assert_eq!(u.password.as_deref(), Some("5432/db"));
    assert_eq!(u.host.as_deref(), Some("foo"));
    assert_eq!(u.database, None);
    let u = parse("postgresql://user@x:pw@host/db");
    assert_eq!(u.username.as_deref(), Some("user@x"));
    assert_eq!(u.password.as_deref(), Some("pw"));
    assert_eq!(u.masked(), "postgresql://user%40x:***@host/db");
}

#[test]
fn ipv6_hosts() {
    let u = parse("postgresql://u:p@[::1]:5432/db");
    assert_eq!(u.host.as_deref(), Some("::1"));
    assert_eq!(u.port, Some(5432));
    assert_eq!(u.masked(), "postgresql://u:***@[::1]:5432/db");
    let u = parse("mysql://[fe80::1%25eth0]/db");
    assert_eq!(u.host.as_deref(), Some("fe80::1%25eth0"));
}

#[test]
fn missing_parts() {
    let u = parse("postgresql:///db");
    assert_eq!(
        (u.host.as_deref(), u.database.as_deref()),
        (None, Some("db"))
    );
    let u = parse("postgresql://");
    assert_eq!(u.masked(), "postgresql://");
    let u = parse("postgresql://@/db");
    assert_eq!(u.username.as_deref(), Some(""));
    let u = parse("postgresql://u:@h/db");
    assert_eq!(u.password.as_deref(), Some(""));
    assert_eq!(u.masked(), "postgresql://u:***@h/db");
}

#[test]
fn query_parsing_like_parse_qsl() {
    let u = parse("postgresql://h/db?a=1&a=2&b=&c&k%20=v+w&z=%zz");
    assert_eq!(
        u.query,
        q(&[("a", "1"), ("a", "2"), ("k ", "v w"), ("z", "%zz")])
    );
    assert_eq!(u.masked(), "postgresql://h/db?a=1&a=2&k+=v+w&z=%25zz");
    assert_eq!(u.query_values("a").collect::<Vec<_>>(), ["1", "2"]);
}

#[test]
fn sqlite_forms() {
    for (s, db) in [
        ("sqlite://", None),
        ("sqlite:///", Some("")),
        ("sqlite:///:memory:", Some(":memory:")),
        ("sqlite:///relative.db", Some("relative.db")),
        ("sqlite:////abs/path.db", Some("/abs/path.db")),
        ("sqlite+pysqlite:///x.db?mode=ro", Some("x.db")),
        ("sqlite+aiosqlite:///x.db", Some("x.db")),
    ] {
        let u = parse(s);
        assert_eq!(u.dialect, Dialect::Sqlite);
        assert_eq!(u.database.as_deref(), db, "{s}");
        // SQLAlchemy 2.1 encodes the database part's ':' on render.
        assert_eq!(u.masked(), s.replace(":memory:", "%3Amemory%3A"));
    }
    let e = DbUrl::parse("sqlite://host/x.db").unwrap_err();
    assert!(e.to_string().starts_with("Invalid SQLite URL"), "{e}");
}

#[test]
fn sqlite_connect_targets() {
    let describe = |s: &str| parse(s).to_sqlx().map(|o| o.describe());
    assert_eq!(describe("sqlite://").unwrap(), "sqlite :memory:");
    assert_eq!(describe("sqlite:///:memory:").unwrap(), "sqlite :memory:");
    assert_eq!(
        describe("sqlite:////abs/x/../p.db").unwrap(),
        "sqlite /abs/p.db"
    );
    let cwd = std::env::current_dir().unwrap();
    assert_eq!(
        describe("sqlite:///rel.db").unwrap(),
        format!("sqlite {}", cwd.join("rel.db").display())
    );
    // Without uri=true SQLAlchemy ignores unknown parameters.
    assert_eq!(describe("sqlite:////a.db?mode=ro").unwrap(), "sqlite /a.db");
    // With it they go into the SQLite URI, sorted, pysqlite's own removed.
    assert_eq!(
        describe("sqlite:///file:a.db?uri=true&mode=ro&timeout=3&cache=shared").unwrap(),
        "sqlite file:a.db?cache=shared&mode=ro"
    );
    assert!(describe("sqlite:///a.db?uri=maybe").is_err());
    // A timeout too large for a Duration is no limit (it panicked).
    assert!(describe("sqlite:///a.db?timeout=1e300").is_ok());
    assert!(describe("sqlite:///a.db?timeout=3000000").is_ok());
    assert!(describe("sqlite:///a.db?isolation_level=IMMEDIATE").is_ok());
    assert!(describe("sqlite:///a.db?isolation_level=bogus").is_err());
}

#[test]
fn dialects_and_drivers() {
    for (s, d, maria) in [
        ("postgres://u@h/db", Dialect::Postgresql, false),
        ("postgresql+psycopg://u@h/db", Dialect::Postgresql, false),
        ("postgresql+asyncpg://u@h/db", Dialect::Postgresql, false),
        ("postgresql+pg8000://u@h/db", Dialect::Postgresql, false),
        ("mysql://u@h/db", Dialect::Mysql, false),
        ("mysql+mysqldb://u@h/db", Dialect::Mysql, false),
        ("mysql+aiomysql://u@h/db", Dialect::Mysql, false),
        ("mysql+asyncmy://u@h/db", Dialect::Mysql, false),
        ("mariadb+mariadbconnector://u@h/db", Dialect::Mysql, true),
        ("mariadb+pymysql://u@h/db", Dialect::Mysql, true),
    ] {
        let u = parse(s);
        assert_eq!((u.dialect, u.is_mariadb), (d, maria), "{s}");
    }
}

#[test]
fn unsupported_dialect_names_it_and_masks() {
    let e = DbUrl::parse("oracle+cx_oracle://scott:tiger@h/db").unwrap_err();
    assert!(
        matches!(&e, DbError::UnsupportedDialect { dialect, .. } if dialect == "oracle+cx_oracle")
    );
    let msg = e.to_string();
    assert!(
        msg.contains("'oracle+cx_oracle'") && msg.contains("scott:***@h"),
        "{msg}"
    );
    assert!(!msg.contains("tiger"));
    assert!(DbUrl::parse("postgresql+nosuch://h/db").is_err());
    assert!(DbUrl::parse("postgresql+psycopg2+x://h/db").is_err());
}

#[test]
fn unparseable_urls_are_not_echoed() {
    let e = DbUrl::parse("not a url :secret@").unwrap_err();
    assert_eq!(
        e.to_string(),
        "Could not parse SQLAlchemy URL from given URL string"
    );
    let e = DbUrl::parse("postgresql://u:secret@h:abc/db").unwrap_err();
    let msg = e.to_string();
    assert!(
        msg.contains("invalid port") && !msg.contains("secret"),
        "{msg}"
    );
}

#[test]
fn python_int_ports() {
    assert_eq!(parse("postgresql://h: 5 /d").port, Some(5));
    assert_eq!(parse("postgresql://h:+5/d").port, Some(5));
    assert_eq!(parse("postgresql://h:5_0/d").port, Some(50));
    assert_eq!(parse("postgresql://h:-5/d").port, Some(-5));
    assert!(DbUrl::parse("postgresql://h:/d").is_err());
    assert!(DbUrl::parse("postgresql://h:5__0/d").is_err());
    assert!(parse("postgresql://h:99999/d").to_sqlx().is_err());
    assert!(parse("postgresql://h:0/d").to_sqlx().is_ok());
}

#[test]
fn postgres_options() {
    let ok = |s: &str| parse(s).to_sqlx().map(|o| o.describe());
    assert_eq!(
        ok("postgresql://alice:pw@127.0.0.1:5999/x").unwrap(),
        "postgresql 127.0.0.1:5999 user=alice db=x"
    );
    assert_eq!(
        ok("postgresql://alice@/x?host=/var/run/postgresql").unwrap(),
        "postgresql socket /var/run/postgresql:5432"
    );
    assert_eq!(
        ok("postgresql+pg8000://alice@/x?unix_sock=/tmp/.s.PGSQL.5433").unwrap(),
        "postgresql socket /tmp:5433"
    );
    for good in [
        "postgresql://u@h/x?sslmode=prefer",
        "postgresql://u@h/x?sslmode=disable&application_name=app&connect_timeout=5",
        // Too large for a Duration: no limit (it panicked).
        "postgresql://u@h/x?connect_timeout=1e300",
        "postgresql://u@h/x?options=-c%20search_path%3Dfoo%20-c%20statement_timeout%3D5s",
        "postgresql://u@h/x?client_encoding=utf8&keepalives=1",
        "postgresql+asyncpg://u@h/x?ssl=disable&prepared_statement_cache_size=0",
        "postgresql://u:pw@h/x?sslmode=require",
        // libpq: require without a root certificate file does not verify.
        "postgresql://u@h/x?sslmode=require&sslrootcert=/no/such/ca.pem",
        "postgresql://u@h/x?sslmode=verify-full&sslrootcert=system",
        "postgresql+asyncpg://u@h/x?ssl=require",
        "postgresql://u@h/x?target_session_attrs=read-write",
    ] {
        assert!(ok(good).is_ok(), "{good}: {:?}", ok(good));
    }
    for (bad, key) in [
        ("postgresql://u:pw@h/x?sslmode=REQUIRE", "sslmode"),
        (
            "postgresql://u@h/x?sslmode=verify-full&sslrootcert=/no/such/ca.pem",
            "sslrootcert",
        ),
        (
            "postgresql://u@h/x?sslmode=require&sslrootcert=system",
            "sslrootcert",
        ),
        ("postgresql://u@h/x?sslcrl=/crl.pem", "sslcrl"),
        ("postgresql://u@h/x?sslsni=0", "sslsni"),
        (
            "postgresql://u@h/x?target_session_attrs=fastest",
            "target_session_attrs",
        ),
        (
            "postgresql://u@h/x?client_encoding=latin1",
            "client_encoding",
        ),
        ("postgresql://u@h/x?service=prod", "service"),
        ("postgresql://u@h/x?host=a,b", "host"),
        ("postgresql://u@h/x?host=a&host=b", "host"),
        ("postgresql://u@h/x?options=-e", "options"),
        ("postgresql://u@h/x?nonsense=1", "nonsense"),
    ] {
        match parse(bad).to_sqlx() {
            Err(DbError::UnsupportedOption { key: k, url, .. }) => {
                assert_eq!(k, key, "{bad}");
                assert!(!url.contains(":pw@"), "{url}");
            }
            other => panic!("{bad}: {other:?}"),
        }
    }
}

#[test]
fn mysql_options() {
    let ok = |s: &str| parse(s).to_sqlx().map(|o| o.describe());
    assert_eq!(
        ok("mysql+pymysql://root@127.0.0.1:3307/x?charset=utf8mb4").unwrap(),
        "mysql 127.0.0.1:3307 user=root db=x charset=utf8mb4"
    );
    assert_eq!(
        ok("mysql+pymysql://root@localhost/x?unix_socket=/run/mysqld/mysqld.sock").unwrap(),
        "mysql socket /run/mysqld/mysqld.sock"
    );
    assert!(ok("mysql://root@h/x?init_command=SET%20autocommit%3D0&sql_mode=ANSI").is_ok());
    assert!(ok("mysql://root@h/x?ssl_disabled=true&connect_timeout=3").is_ok());
    assert!(ok("mysql://root@h/x?connect_timeout=1e300&read_timeout=1e20").is_ok());
    assert!(ok("mysql://root@h/x?ssl_mode=REQUIRED").is_ok());
    assert!(ok("mysql://root@h/x?ssl_verify_cert=true").is_ok());
    for (bad, key) in [
        ("mysql://root@h/x?charset=latin1", "charset"),
        ("mysql://root@h/x?ssl_ca=/no/such/ca.pem", "ssl_ca"),
        ("mysql://root@h/x?ssl_mode=SOMETIMES", "ssl_mode"),
        ("mysql://root@h/x?ssl_cipher=AES256-SHA", "ssl"),
        ("mysql://root@h/x?ssl_crl=/crl.pem", "ssl_crl"),
        ("mysql://root@h/x?client_flag=2", "client_flag"),
    ] {
        match parse(bad).to_sqlx() {
            Err(DbError::UnsupportedOption { key: k, .. }) => assert_eq!(k, key, "{bad}"),
            other => panic!("{bad}: {other:?}"),
        }
    }
}

#[test]
fn python_helpers() {
    assert_eq!(py_quote("a b+c/d@é", b" +"), "a b+c%2Fd%40%C3%A9");
    assert_eq!(py_quote_plus("a b+c/d"), "a+b%2Bc%2Fd");
    assert_eq!(py_unquote("%41%zz%4"), "A%zz%4");
    assert_eq!(py_unquote("%C3%A9"), "é");
    assert_eq!(py_unquote("%C3é%A9"), "\u{FFFD}é\u{FFFD}");
    assert_eq!(py_bool(" Yes "), Some(true));
    assert_eq!(py_bool("0"), Some(false));
    assert_eq!(py_bool("maybe"), None);
}

#[test]
fn connect_args_ride_in_the_query_and_are_never_shown() {
    let u = parse(
        "postgresql://u:pw@h/x?sslmode=disable&_retort_connect_args=%7B%22sslmode%22%3A+%22require%22%2C+%22password%22%3A+%22s3cret%22%7D",
    );
    assert_eq!(u.query, q(&[("sslmode", "disable")]));
    assert!(u.connect_args.is_some());
    assert!(!u.masked().contains("s3cret") && !u.masked().contains("retort"));
    assert!(!format!("{u:?}").contains("s3cret"));
    // connect_args win over the URL (SQLAlchemy's cparams.update).
    assert_eq!(
        parse("postgresql://u@h/x?_retort_connect_args=%7B%22sslmode%22%3A%22verify-full%22%7D")
            .to_sqlx()
            .map(|_| ())
            .map_err(|e| match e {
                DbError::UnsupportedOption { key, .. } => key,
                other => other.to_string(),
            }),
        Err("sslrootcert".to_string())
    );
    match parse("mysql://u@h/x?_retort_connect_args=%7B%22ssl%22%3A%7B%22__retort_unsupported__%22%3A%22ssl.SSLContext%22%7D%7D").to_sqlx() {
        Err(DbError::UnsupportedOption { reason, .. }) => {
            assert!(reason.contains("ssl.SSLContext"), "{reason}")
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn passwords_in_the_query_are_hidden_in_messages() {
    let u = parse("postgresql://u:pw@h/x?sslpassword=k%2Apw&sslmode=require");
    // SQLAlchemy's own form shows it (Alembic prints that in `current -v`).
    assert!(u.masked().contains("sslpassword=k%2Apw"));
    assert_eq!(
        u.shown(),
        "postgresql://u:***@h/x?sslmode=require&sslpassword=***"
    );
}
