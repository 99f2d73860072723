//! A SQLite table as SQLAlchemy's SQLite inspector reports it: plain data
//! that `db` fills from the database (`db/sqlite_reflect.rs`) and
//! `sqlite_reflected.rs` turns into the table a batch rebuild starts from.
//! It lives here so that the DDL layer needs nothing from `db`.

/// A column as `get_columns` reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReflectedColumn {
    pub name: String,
    /// The declared type, upper-cased (`GENERATED ALWAYS` removed for
    /// computed columns).
    pub type_: String,
    pub nullable: bool,
    /// `dflt_value` as SQLite keeps it (`'0'`, `CURRENT_TIMESTAMP`, `10`).
    pub default: Option<String>,
    /// Position in the primary key, from 1; 0 when not part of it.
    pub primary_key: i64,
    /// `GENERATED ALWAYS AS (sqltext)`, and whether it is STORED.
    pub computed: Option<(String, bool)>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReflectedPrimaryKey {
    pub name: Option<String>,
    pub columns: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReflectedForeignKey {
    pub name: Option<String>,
    pub columns: Vec<String>,
    pub referred_schema: Option<String>,
    pub referred_table: String,
    pub referred_columns: Vec<String>,
    pub ondelete: Option<String>,
    pub onupdate: Option<String>,
    pub deferrable: Option<bool>,
    pub initially: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReflectedIndex {
    pub name: String,
    pub columns: Vec<String>,
    pub unique: bool,
    /// The predicate of a partial index (`sqlite_where`).
    pub where_: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReflectedUnique {
    pub name: Option<String>,
    pub columns: Vec<String>,
}

/// Everything the inspector reports for one table.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SqliteTable {
    pub name: String,
    pub schema: Option<String>,
    pub columns: Vec<ReflectedColumn>,
    pub primary_key: ReflectedPrimaryKey,
    pub foreign_keys: Vec<ReflectedForeignKey>,
    /// Indexes other than SQLite's automatic ones, by name; expression
    /// indexes are left out (SQLAlchemy skips them with a warning).
    pub indexes: Vec<ReflectedIndex>,
    pub unique_constraints: Vec<ReflectedUnique>,
    pub check_constraints: Vec<ParsedCheck>,
    pub options: TableOptions,
}

/// A `CHECK` constraint as `get_check_constraints` parses it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedCheck {
    pub name: Option<String>,
    pub sqltext: String,
}

/// `WITHOUT ROWID` and `STRICT` after the closing parenthesis.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TableOptions {
    pub without_rowid: bool,
    pub strict: bool,
}
