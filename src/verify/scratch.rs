//! The twin scratch databases: two SQLite files in a temporary directory, or
//! two uniquely named databases created on the server `--scratch-url` names.
//! Both are removed when the [`Scratch`] is dropped, also after a failure.

use std::path::PathBuf;

use super::VerifyError;
use crate::db::{Db, DbError, DbUrl, Dialect};

/// The tools' names, in the order of [`Scratch::urls`].
pub const TOOLS: [&str; 2] = ["alembic", "retort"];

pub struct Scratch {
    /// The `sqlalchemy.url` each tool is given (alembic's, retort's).
    pub urls: [String; 2],
    /// Each database's name (SQLite: file path), which `current -v` shows.
    pub names: [String; 2],
    /// The server's URL, to drop the databases from.
    server: Option<DbUrl>,
    dir: Option<PathBuf>,
}

/// A name no other run uses: process id and clock.
fn unique_tag() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    format!("{}_{nanos}", std::process::id())
}

/// `url` as retort connects to it (the Python driver name dropped).
fn ours(url: &DbUrl) -> DbUrl {
    let mut u = url.clone();
    u.drivername = u.dialect.name().to_string();
    u
}

impl Scratch {
    pub fn create(server: Option<&str>) -> Result<Scratch, VerifyError> {
        let tag = unique_tag();
        let Some(server) = server else {
            let dir = std::env::temp_dir().join(format!("retort-verify-{tag}"));
            std::fs::create_dir_all(&dir).map_err(|source| VerifyError::Io {
                what: dir.display().to_string(),
                source,
            })?;
            let file = |tool: &str| dir.join(format!("{tool}.db")).display().to_string();
            let names = TOOLS.map(file);
            return Ok(Scratch {
                urls: names.clone().map(|f| format!("sqlite:///{f}")),
                names,
                server: None,
                dir: Some(dir),
            });
        };
        let url = DbUrl::parse(server)?;
        if url.dialect == Dialect::Sqlite {
            return Err(VerifyError::Refused(
                "--scratch-url names a PostgreSQL or MySQL/MariaDB server; SQLite scratch files are the default".into(),
            ));
        }
        let mut admin = Db::connect(&ours(&url))?;
        let names = TOOLS.map(|tool| format!("retort_verify_{tag}_{tool}"));
        let scratch = Scratch {
            urls: names.clone().map(|name| {
                let mut u = url.clone();
                u.database = Some(name);
                u.render_with_password()
            }),
            names: names.clone(),
            server: Some(url),
            dir: None,
        };
        // On failure `scratch` drops whichever was made.
        for name in &names {
            admin.execute(&format!("CREATE DATABASE {name}"))?;
        }
        Ok(scratch)
    }

    /// A connection of retort's own to tool `i`'s database.
    pub fn connect(&self, i: usize) -> Result<Db, DbError> {
        Db::connect(&ours(&DbUrl::parse(&self.urls[i])?))
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        if let Some(dir) = &self.dir {
            let _ = std::fs::remove_dir_all(dir);
        }
        let Some(server) = &self.server else {
            return;
        };
        let mut admin = match Db::connect(&ours(server)) {
            Ok(db) => db,
            Err(e) => {
                eprintln!(
                    "retort: could not drop the scratch databases {:?}: {e}",
                    self.names
                );
                return;
            }
        };
        for name in &self.names {
            let sql = match server.dialect {
                Dialect::Postgresql => format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
                _ => format!("DROP DATABASE IF EXISTS {name}"),
            };
            if let Err(e) = admin.execute(&sql) {
                eprintln!("retort: could not drop the scratch database {name}: {e}");
            }
        }
    }
}
