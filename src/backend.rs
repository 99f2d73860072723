//! Which database SQL is written for: SQLAlchemy's dialect name and whether
//! a MySQL server is MariaDB.  Below both `db` (what a connection talks to)
//! and `ddl` (what a statement is rendered for); it imports nothing.

use std::fmt;

/// The database families retort talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Dialect {
    Postgresql,
    Sqlite,
    Mysql,
}

impl Dialect {
    /// SQLAlchemy's dialect name (`mysql` also for MariaDB).
    pub fn name(self) -> &'static str {
        match self {
            Dialect::Postgresql => "postgresql",
            Dialect::Sqlite => "sqlite",
            Dialect::Mysql => "mysql",
        }
    }
}

impl fmt::Display for Dialect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What SQL text is rendered for: a dialect plus whether MySQL is MariaDB
/// (SQLAlchemy's MariaDB dialect has its own reserved words and uses
/// `INSERT … RETURNING`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Backend {
    pub dialect: Dialect,
    pub mariadb: bool,
}

impl Backend {
    pub fn new(dialect: Dialect, mariadb: bool) -> Backend {
        Backend {
            dialect,
            mariadb: mariadb && dialect == Dialect::Mysql,
        }
    }
}

impl From<Dialect> for Backend {
    fn from(dialect: Dialect) -> Backend {
        Backend::new(dialect, false)
    }
}
