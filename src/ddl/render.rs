//! What the dialects share: quoting, table names, constraint clauses,
//! `CREATE TABLE` layout, and the dispatch of each operation to its dialect.

use super::ir::*;
use super::DdlError;
use crate::db::{quote_identifier, Backend, Dialect};

/// How string literals (comments, enum labels) are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RenderOptions {
    /// Double `%` (SQLAlchemy does it for the `format`/`pyformat` drivers'
    /// paramstyle; Alembic's `--sql` output shows it).
    pub percent_escape: bool,
    /// Double `\` inside literals.
    pub backslash_escape: bool,
    /// SQLAlchemy's dialect is named `mariadb` (a `mariadb://` URL): MySQL
    /// table options are read from `mariadb_*` keyword arguments rather than
    /// `mysql_*`.  SQLAlchemy keys them on the dialect's name, while the SQL
    /// itself follows the server (`Backend::mariadb`): a `mysql://` URL on a
    /// MariaDB server reads `mysql_*` and writes MariaDB's syntax.
    pub mariadb_options: bool,
}

impl RenderOptions {
    /// As Alembic prints with `--sql` (SQLAlchemy's default dialects:
    /// psycopg2, mysqlclient, pysqlite).
    pub fn offline(backend: Backend) -> RenderOptions {
        let sqlite = backend.dialect == Dialect::Sqlite;
        RenderOptions {
            percent_escape: !sqlite,
            backslash_escape: !sqlite,
            mariadb_options: backend.mariadb,
        }
    }

    /// For statements sent to the server as they are (no driver-side `%`
    /// interpolation; PostgreSQL with `standard_conforming_strings`).
    pub fn online(backend: Backend) -> RenderOptions {
        RenderOptions {
            percent_escape: false,
            backslash_escape: backend.dialect == Dialect::Mysql,
            mariadb_options: backend.mariadb,
        }
    }
}

/// A SQL string literal as SQLAlchemy's `String` literal processor writes it.
pub fn string_literal(value: &str, opts: RenderOptions) -> String {
    let mut v = value.replace('\'', "''");
    if opts.backslash_escape {
        v = v.replace('\\', "\\\\");
    }
    if opts.percent_escape {
        v = v.replace('%', "%%");
    }
    format!("'{v}'")
}

/// Renders one operation for `backend`.
pub fn render(
    op: &Operation,
    backend: Backend,
    opts: RenderOptions,
) -> Result<Vec<String>, DdlError> {
    let r = R {
        b: backend,
        o: opts,
    };
    let mut out = Vec::new();
    match op {
        Operation::CreateTable {
            table,
            if_not_exists,
            enums,
        } => r.create_table(table, if_not_exists.unwrap_or(false), enums, &mut out)?,
        Operation::DropTable { table, if_exists } => out.push(format!(
            "DROP TABLE {}{}",
            if if_exists.unwrap_or(false) {
                "IF EXISTS "
            } else {
                ""
            },
            r.table(table)
        )),
        Operation::RenameTable { table, new_name } => {
            let new = match r.b.dialect {
                Dialect::Mysql => r.alembic_table(&TableRef {
                    name: new_name.clone(),
                    schema: table.schema.clone(),
                }),
                Dialect::Postgresql | Dialect::Sqlite => r.q(new_name),
            };
            out.push(format!(
                "ALTER TABLE {} RENAME TO {new}",
                r.alembic_table(table)
            ));
        }
        Operation::CreateTableComment { table, comment } => {
            out.push(r.set_table_comment(table, comment.as_deref()))
        }
        Operation::DropTableComment { table } => out.push(r.set_table_comment(table, None)),
        Operation::AddColumn(add) => r.add_column(add, &mut out)?,
        Operation::DropColumn {
            table,
            column,
            if_exists,
        } => out.push(format!(
            "ALTER TABLE {} DROP COLUMN {}{}",
            r.alembic_table(table),
            if if_exists.unwrap_or(false) {
                "IF EXISTS "
            } else {
                ""
            },
            r.q(column)
        )),
        Operation::AlterColumn(alter) => match r.b.dialect {
            Dialect::Postgresql => r.pg_alter_column(alter, &mut out)?,
            Dialect::Mysql => r.mysql_alter_column(alter, &mut out)?,
            Dialect::Sqlite => r.generic_alter_column(alter, &mut out)?,
        },
        Operation::AddConstraint { constraint } => r.add_constraint(constraint, &mut out)?,
        Operation::DropConstraint {
            name,
            table,
            type_,
            if_exists,
        } => out.push(r.drop_constraint(
            name.as_deref(),
            table,
            type_.as_deref(),
            if_exists.unwrap_or(false),
        )?),
        Operation::CreateIndex {
            index,
            if_not_exists,
        } => out.push(r.create_index(index, if_not_exists.unwrap_or(false))?),
        Operation::DropIndex { index, if_exists } => {
            out.push(r.drop_index(index, if_exists.unwrap_or(false))?)
        }
        Operation::Batch(batch) => out = super::batch::render_batch(batch, backend, opts)?,
    }
    Ok(out)
}

/// The renderer for one backend.
pub(super) struct R {
    pub b: Backend,
    pub o: RenderOptions,
}

/// What a column's specification depends on besides the column.
pub(super) struct ColumnCtx {
    /// The column is the table's autoincrement column.
    pub autoinc: bool,
    /// `sqlite_autoincrement=True` on the table.
    pub sqlite_autoincrement: bool,
    /// Number of primary key columns of the table.
    pub pk_len: usize,
}

impl R {
    pub fn q(&self, name: &str) -> String {
        quote_identifier(name, self.b)
    }

    pub fn lit(&self, value: &str) -> String {
        string_literal(value, self.o)
    }

    /// SQLAlchemy's `format_table`: schema quoted as one name.
    pub fn table(&self, t: &TableRef) -> String {
        match t.schema.as_deref() {
            Some(s) if !s.is_empty() => format!("{}.{}", self.q(s), self.q(&t.name)),
            _ => self.q(&t.name),
        }
    }

    /// Alembic's `format_table_name`: each dotted part of the schema quoted.
    pub fn alembic_table(&self, t: &TableRef) -> String {
        match t.schema.as_deref() {
            Some(s) if !s.is_empty() => {
                let parts: Vec<String> = s.split('.').map(|p| self.q(p)).collect();
                format!("{}.{}", parts.join("."), self.q(&t.name))
            }
            _ => self.q(&t.name),
        }
    }

    fn cols(&self, names: &[String]) -> String {
        names
            .iter()
            .map(|n| self.q(n))
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn supports_alter(&self) -> bool {
        self.b.dialect != Dialect::Sqlite
    }

    // ------------------------------------------------------------ columns

    pub fn column_spec(&self, col: &Column, ctx: &ColumnCtx) -> Result<String, DdlError> {
        let mut spec = match self.b.dialect {
            Dialect::Postgresql => self.pg_column_spec(col, ctx)?,
            Dialect::Mysql => self.mysql_column_spec(col, ctx),
            Dialect::Sqlite => self.sqlite_column_spec(col, ctx)?,
        };
        let inline: Vec<String> = col
            .constraints
            .iter()
            .filter_map(|c| self.constraint_clause(c, None).transpose())
            .collect::<Result<_, _>>()?;
        if !inline.is_empty() {
            spec.push(' ');
            spec.push_str(&inline.join(" "));
        }
        Ok(spec)
    }

    pub fn computed(&self, c: &Computed) -> Result<String, DdlError> {
        if self.b.dialect == Dialect::Postgresql {
            if c.persisted == Some(false) {
                return Err(DdlError::Compile(
                    "PostrgreSQL computed columns do not support 'virtual' persistence; set the \
                     'persisted' flag to None or True for PostgreSQL support."
                        .into(),
                ));
            }
            return Ok(format!("GENERATED ALWAYS AS ({}) STORED", c.sqltext));
        }
        let mut text = format!("GENERATED ALWAYS AS ({})", c.sqltext);
        match c.persisted {
            Some(true) => text.push_str(" STORED"),
            Some(false) => text.push_str(" VIRTUAL"),
            None => {}
        }
        Ok(text)
    }

    pub fn identity_options(&self, i: &Identity) -> String {
        let mut parts = Vec::new();
        if let Some(v) = i.increment {
            parts.push(format!("INCREMENT BY {v}"));
        }
        if let Some(v) = i.start {
            parts.push(format!("START WITH {v}"));
        }
        if let Some(v) = i.minvalue {
            parts.push(format!("MINVALUE {v}"));
        }
        if let Some(v) = i.maxvalue {
            parts.push(format!("MAXVALUE {v}"));
        }
        if i.nominvalue.is_some() {
            parts.push("NO MINVALUE".into());
        }
        if i.nomaxvalue.is_some() {
            parts.push("NO MAXVALUE".into());
        }
        if let Some(v) = i.cache {
            parts.push(format!("CACHE {v}"));
        }
        if let Some(v) = i.cycle {
            parts.push(if v { "CYCLE" } else { "NO CYCLE" }.into());
        }
        parts.join(" ")
    }

    pub fn identity(&self, i: &Identity) -> String {
        let mut text = format!(
            "GENERATED {} AS IDENTITY",
            if i.always { "ALWAYS" } else { "BY DEFAULT" }
        );
        let options = self.identity_options(i);
        if !options.is_empty() {
            text.push_str(&format!(" ({options})"));
        }
        text
    }

    // ------------------------------------------------------------ constraints

    fn deferrability(&self, c: &Constraint) -> String {
        let mut text = String::new();
        match c.deferrable {
            Some(true) => text.push_str(" DEFERRABLE"),
            Some(false) => text.push_str(" NOT DEFERRABLE"),
            None => {}
        }
        if let Some(init) = &c.initially {
            text.push_str(&format!(" INITIALLY {init}"));
        }
        text
    }

    fn preamble(&self, c: &Constraint) -> String {
        match &c.name {
            Some(n) => format!("CONSTRAINT {} ", self.q(n)),
            None => String::new(),
        }
    }

    fn include(&self, c: &Constraint) -> String {
        if self.b.dialect != Dialect::Postgresql || c.include.is_empty() {
            return String::new();
        }
        format!(" INCLUDE ({})", self.cols(&c.include))
    }

    /// The clause of a constraint inside `CREATE TABLE` or after
    /// `ALTER TABLE … ADD`; `None` when the dialect leaves it out.
    /// `pk_order` gives a primary key's columns in rendering order.
    pub fn constraint_clause(
        &self,
        c: &Constraint,
        pk_order: Option<&[String]>,
    ) -> Result<Option<String>, DdlError> {
        let pg = self.b.dialect == Dialect::Postgresql;
        let text = match c.kind {
            ConstraintKind::PrimaryKey => {
                if c.columns.is_empty() {
                    return Ok(Some(String::new()));
                }
                let cols = pk_order.unwrap_or(&c.columns);
                let mut t = format!("{}PRIMARY KEY ({})", self.preamble(c), self.cols(cols));
                t.push_str(&self.include(c));
                t.push_str(&self.deferrability(c));
                if self.b.dialect == Dialect::Mysql {
                    if let Some(u) = &c.using {
                        t.push_str(&format!(" USING {}", self.q(u)));
                    }
                }
                t
            }
            ConstraintKind::Unique => {
                if c.columns.is_empty() {
                    return Ok(Some(String::new()));
                }
                let distinct = match (pg, c.nulls_not_distinct) {
                    (true, Some(true)) => "NULLS NOT DISTINCT ",
                    (true, Some(false)) => "NULLS DISTINCT ",
                    _ => "",
                };
                let mut t = format!(
                    "{}UNIQUE {distinct}({})",
                    self.preamble(c),
                    self.cols(&c.columns)
                );
                t.push_str(&self.include(c));
                t.push_str(&self.deferrability(c));
                t
            }
            ConstraintKind::ForeignKey => {
                let remote = c.ref_table.as_ref().ok_or_else(|| {
                    DdlError::Compile("foreign key without a referred table".into())
                })?;
                let remote_name = if self.b.dialect == Dialect::Sqlite {
                    if c.local_schema != remote.schema {
                        return Ok(None);
                    }
                    self.q(&remote.name)
                } else {
                    self.table(remote)
                };
                let mut t = format!(
                    "{}FOREIGN KEY({}) REFERENCES {remote_name} ({})",
                    self.preamble(c),
                    self.cols(&c.columns),
                    self.cols(&c.ref_columns)
                );
                if let Some(m) = &c.match_ {
                    if self.b.dialect == Dialect::Mysql {
                        return Err(DdlError::Compile(
                            "MySQL ignores the 'MATCH' keyword while at the same time causes \
                             ON UPDATE/ON DELETE clauses to be ignored."
                                .into(),
                        ));
                    }
                    t.push_str(&format!(" MATCH {m}"));
                }
                if let Some(d) = &c.ondelete {
                    t.push_str(&format!(" ON DELETE {d}"));
                }
                if let Some(u) = &c.onupdate {
                    t.push_str(&format!(" ON UPDATE {u}"));
                }
                t.push_str(&self.deferrability(c));
                if pg && c.not_valid {
                    t.push_str(" NOT VALID");
                }
                t
            }
            ConstraintKind::Check => {
                let mut t = format!(
                    "{}CHECK ({})",
                    self.preamble(c),
                    c.sqltext.as_deref().unwrap_or_default()
                );
                t.push_str(&self.deferrability(c));
                if pg && c.not_valid && !c.column_level {
                    t.push_str(" NOT VALID");
                }
                t
            }
            ConstraintKind::Exclude => {
                let elements: Vec<String> = c
                    .elements
                    .iter()
                    .map(|e| format!("{} WITH {}", e.sql, e.op))
                    .collect();
                let mut t = format!(
                    "{}EXCLUDE USING {} ({})",
                    self.preamble(c),
                    c.using.as_deref().unwrap_or("gist").to_lowercase(),
                    elements.join(", ")
                );
                if let Some(w) = &c.where_ {
                    t.push_str(&format!(" WHERE ({w})"));
                }
                t.push_str(&self.deferrability(c));
                t
            }
            ConstraintKind::Generic => {
                return Err(DdlError::Compile(
                    "a generic constraint has no clause to render".into(),
                ))
            }
        };
        Ok(Some(text))
    }

    fn constraint_table(&self, c: &Constraint) -> Result<String, DdlError> {
        c.table
            .as_ref()
            .map(|t| self.table(t))
            .ok_or_else(|| DdlError::Compile("constraint is not bound to a table".into()))
    }

    /// `AddConstraint` as Alembic's impl runs it.
    pub fn add_constraint(&self, c: &Constraint, out: &mut Vec<String>) -> Result<(), DdlError> {
        if self.b.dialect == Dialect::Sqlite {
            if c.implicit {
                // Alembic warns "Skipping unsupported ALTER for creation of
                // implicit constraint" and goes on.
                return Ok(());
            }
            return Err(sqlite_no_alter());
        }
        let table = self.constraint_table(c)?;
        if let Some(clause) = self.constraint_clause(c, None)? {
            out.push(format!("ALTER TABLE {table} ADD {clause}"));
        }
        Ok(())
    }

    /// `DropConstraint` of a constraint object (type change in alter_column).
    pub fn drop_constraint_object(
        &self,
        c: &Constraint,
        out: &mut Vec<String>,
    ) -> Result<(), DdlError> {
        let table = c
            .table
            .clone()
            .ok_or_else(|| DdlError::Compile("constraint is not bound to a table".into()))?;
        let kind = match c.kind {
            ConstraintKind::ForeignKey => Some("foreignkey"),
            ConstraintKind::PrimaryKey => Some("primary"),
            ConstraintKind::Unique => Some("unique"),
            ConstraintKind::Check => Some("check"),
            _ => None,
        };
        match self.b.dialect {
            // MySQL skips CHECK constraints bound to a type.
            Dialect::Mysql if c.implicit && c.kind == ConstraintKind::Check => {}
            Dialect::Sqlite if c.implicit => {}
            _ => out.push(self.drop_constraint(c.name.as_deref(), &table, kind, false)?),
        }
        Ok(())
    }

    pub fn drop_constraint(
        &self,
        name: Option<&str>,
        table: &TableRef,
        type_: Option<&str>,
        if_exists: bool,
    ) -> Result<String, DdlError> {
        match self.b.dialect {
            Dialect::Sqlite => Err(sqlite_no_alter()),
            Dialect::Mysql => self.mysql_drop_constraint(name, table, type_),
            Dialect::Postgresql => {
                let name = name.ok_or_else(|| {
                    DdlError::Compile(
                        "Can't emit DROP CONSTRAINT for constraint; it has no name".into(),
                    )
                })?;
                Ok(format!(
                    "ALTER TABLE {} DROP CONSTRAINT {}{}",
                    self.table(table),
                    if if_exists { "IF EXISTS " } else { "" },
                    self.q(name)
                ))
            }
        }
    }

    // ------------------------------------------------------------ tables

    pub(super) fn create_table(
        &self,
        table: &Table,
        if_not_exists: bool,
        enums: &[EnumType],
        out: &mut Vec<String>,
    ) -> Result<(), DdlError> {
        if self.b.dialect == Dialect::Postgresql {
            for e in enums {
                out.push(self.pg_create_enum(e));
            }
        }
        let tref = table.table_ref();
        let pk_cols: &[String] = table
            .primary_key
            .as_ref()
            .map(|p| p.columns.as_slice())
            .unwrap_or(&[]);
        let autoinc = autoincrement_column(&table.columns, pk_cols)?;
        let sqlite_autoincrement = kw_true(table.kw("sqlite_autoincrement"));
        let mut text = String::from("CREATE ");
        for p in &table.prefixes {
            text.push_str(p);
            text.push(' ');
        }
        text.push_str("TABLE ");
        if if_not_exists {
            text.push_str("IF NOT EXISTS ");
        }
        text.push_str(&self.table(&tref));
        text.push_str(" (");
        let mut sep = "\n";
        for (i, col) in table.columns.iter().enumerate() {
            if col.system {
                continue;
            }
            let ctx = ColumnCtx {
                autoinc: autoinc == Some(i),
                sqlite_autoincrement,
                pk_len: pk_cols.len(),
            };
            text.push_str(sep);
            sep = ", \n";
            text.push('\t');
            text.push_str(&self.column_spec(col, &ctx)?);
        }
        let mut clauses = Vec::new();
        if let Some(pk) = &table.primary_key {
            let skip = self.b.dialect == Dialect::Sqlite
                && sqlite_autoincrement
                && pk.columns.len() == 1
                && table
                    .columns
                    .iter()
                    .find(|c| c.name == pk.columns[0])
                    .is_some_and(|c| c.affinity == "integer" && c.foreign_keys == 0);
            if !skip {
                let order = pk_order(pk, autoinc.map(|i| table.columns[i].name.as_str()));
                if let Some(c) = self.constraint_clause(pk, Some(&order))? {
                    clauses.push(c);
                }
            }
        }
        for c in &table.constraints {
            if self.supports_alter() && c.use_alter {
                continue;
            }
            if let Some(clause) = self.constraint_clause(c, None)? {
                clauses.push(clause);
            }
        }
        if !clauses.is_empty() {
            text.push_str(sep);
            text.push('\t');
            text.push_str(&clauses.join(", \n\t"));
        }
        text.push_str("\n)");
        text.push_str(&self.post_create_table(table));
        out.push(text);
        for idx in &table.indexes {
            out.push(self.create_index(idx, false)?);
        }
        if self.b.dialect == Dialect::Postgresql {
            if let Some(comment) = &table.comment {
                if !comment.is_empty() {
                    out.push(self.set_table_comment(&tref, Some(comment)));
                }
            }
            for col in &table.columns {
                if let Some(comment) = &col.comment {
                    if !comment.is_empty() {
                        out.push(format!(
                            "COMMENT ON COLUMN {}.{} IS {}",
                            self.table(&tref),
                            self.q(&col.name),
                            self.lit(comment)
                        ));
                    }
                }
            }
        }
        Ok(())
    }

    fn post_create_table(&self, table: &Table) -> String {
        match self.b.dialect {
            Dialect::Postgresql => self.pg_post_create_table(table),
            Dialect::Mysql => self.mysql_post_create_table(table),
            Dialect::Sqlite => {
                let mut opts = Vec::new();
                if table.kw("sqlite_with_rowid") == Some(&serde_json::Value::Bool(false)) {
                    opts.push("WITHOUT ROWID");
                }
                if kw_true(table.kw("sqlite_strict")) {
                    opts.push("STRICT");
                }
                if opts.is_empty() {
                    String::new()
                } else {
                    format!("\n {}", opts.join(",\n "))
                }
            }
        }
    }

    fn set_table_comment(&self, table: &TableRef, comment: Option<&str>) -> String {
        match (self.b.dialect, comment) {
            (Dialect::Mysql, Some(c)) => {
                format!("ALTER TABLE {} COMMENT {}", self.table(table), self.lit(c))
            }
            (Dialect::Mysql, None) => format!("ALTER TABLE {} COMMENT ''", self.table(table)),
            (_, Some(c)) => format!("COMMENT ON TABLE {} IS {}", self.table(table), self.lit(c)),
            (_, None) => format!("COMMENT ON TABLE {} IS NULL", self.table(table)),
        }
    }

    // ------------------------------------------------------------ add_column

    fn add_column(&self, add: &AddColumn, out: &mut Vec<String>) -> Result<(), DdlError> {
        let col = &add.column;
        let pk: Vec<String> = if col.primary_key {
            vec![col.name.clone()]
        } else {
            Vec::new()
        };
        let autoinc = autoincrement_column(std::slice::from_ref(col), &pk)?;
        let ctx = ColumnCtx {
            autoinc: autoinc == Some(0),
            sqlite_autoincrement: false,
            pk_len: pk.len(),
        };
        let mut text = format!(
            "ALTER TABLE {} ADD COLUMN {}{}",
            self.alembic_table(&add.table),
            if add.if_not_exists.unwrap_or(false) {
                "IF NOT EXISTS "
            } else {
                ""
            },
            self.column_spec_bare(col, &ctx)?
        );
        if add.inline_primary_key.unwrap_or(false) && col.primary_key {
            text.push_str(" PRIMARY KEY");
        }
        let inline_fk = if add.inline_references.unwrap_or(false) && col.foreign_keys == 1 {
            add.constraints
                .iter()
                .position(|c| c.kind == ConstraintKind::ForeignKey && c.columns.len() == 1)
        } else {
            None
        };
        if let Some(i) = inline_fk {
            let fk = &add.constraints[i];
            let remote = fk
                .ref_table
                .as_ref()
                .ok_or_else(|| DdlError::Compile("foreign key without a referred table".into()))?;
            text.push_str(&format!(
                " REFERENCES {} ({})",
                self.table(remote),
                self.q(&fk.ref_columns[0])
            ));
            if let Some(m) = &fk.match_ {
                text.push_str(&format!(" MATCH {m}"));
            }
            if let Some(d) = &fk.ondelete {
                text.push_str(&format!(" ON DELETE {d}"));
            }
            if let Some(u) = &fk.onupdate {
                text.push_str(&format!(" ON UPDATE {u}"));
            }
            text.push_str(&self.deferrability(fk));
        }
        let inline: Vec<String> = col
            .constraints
            .iter()
            .filter_map(|c| self.constraint_clause(c, None).transpose())
            .collect::<Result<_, _>>()?;
        if !inline.is_empty() {
            text.push(' ');
            text.push_str(&inline.join(" "));
        }
        out.push(text);
        for (i, c) in add.constraints.iter().enumerate() {
            if Some(i) == inline_fk {
                continue;
            }
            self.add_constraint(c, out)?;
        }
        for idx in &add.indexes {
            out.push(self.create_index(idx, false)?);
        }
        if self.b.dialect == Dialect::Postgresql {
            if let Some(comment) = &col.comment {
                if !comment.is_empty() {
                    out.push(format!(
                        "COMMENT ON COLUMN {}.{} IS {}",
                        self.table(&add.table),
                        self.q(&col.name),
                        self.lit(comment)
                    ));
                }
            }
        }
        Ok(())
    }

    /// The column specification without its inline constraints.
    fn column_spec_bare(&self, col: &Column, ctx: &ColumnCtx) -> Result<String, DdlError> {
        match self.b.dialect {
            Dialect::Postgresql => self.pg_column_spec(col, ctx),
            Dialect::Mysql => Ok(self.mysql_column_spec(col, ctx)),
            Dialect::Sqlite => self.sqlite_column_spec(col, ctx),
        }
    }

    // ------------------------------------------------------------ alter_column

    /// Alembic's `DefaultImpl.alter_column` (SQLite uses it as is), with the
    /// type-bound constraints dropped before and added after a type change.
    pub fn generic_alter_column(
        &self,
        a: &AlterColumn,
        out: &mut Vec<String>,
    ) -> Result<(), DdlError> {
        for c in &a.drop_constraints {
            self.drop_constraint_object(c, out)?;
        }
        self.alter_column_steps(a, true, out)?;
        for c in &a.add_constraints {
            self.add_constraint(c, out)?;
        }
        Ok(())
    }

    /// Nullability, default, type (when `with_type`), comment, then the new name.
    pub fn alter_column_steps(
        &self,
        a: &AlterColumn,
        with_type: bool,
        out: &mut Vec<String>,
    ) -> Result<(), DdlError> {
        let table = self.alembic_table(&a.table);
        let col = self.q(&a.column);
        if let Some(nullable) = a.nullable {
            out.push(format!(
                "ALTER TABLE {table} ALTER COLUMN {col} {}",
                if nullable {
                    "DROP NOT NULL"
                } else {
                    "SET NOT NULL"
                }
            ));
        }
        if let Some(d) = &a.server_default {
            out.push(self.alter_default(a, d)?);
        }
        if with_type {
            if let Some(t) = &a.type_ {
                out.push(format!("ALTER TABLE {table} ALTER COLUMN {col} TYPE {t}"));
            }
        }
        if let Some(c) = &a.comment {
            out.push(self.column_comment(a, c.text.as_deref())?);
        }
        if let Some(new) = &a.new_name {
            let rename = if self.b.dialect == Dialect::Sqlite {
                "RENAME COLUMN"
            } else {
                "RENAME"
            };
            out.push(format!(
                "ALTER TABLE {table} {rename} {col} TO {}",
                self.q(new)
            ));
        }
        Ok(())
    }

    fn alter_default(&self, a: &AlterColumn, d: &DefaultChange) -> Result<String, DdlError> {
        let table = self.alembic_table(&a.table);
        let col = self.q(&a.column);
        let existing_identity = matches!(
            a.existing_server_default,
            Some(DefaultChange::Identity { .. })
        );
        let existing_computed = matches!(
            a.existing_server_default,
            Some(DefaultChange::Computed { .. })
        );
        match d {
            DefaultChange::Computed { .. } => Err(computed_error()),
            _ if existing_computed => Err(computed_error()),
            DefaultChange::Identity { identity } => {
                if self.b.dialect != Dialect::Postgresql {
                    return Err(identity_error());
                }
                if existing_identity {
                    return Err(DdlError::Unsupported(
                        "changing the options of an existing identity column is not supported yet"
                            .into(),
                    ));
                }
                Ok(format!(
                    "ALTER TABLE {table} ALTER COLUMN {col} ADD {}",
                    self.identity(identity)
                ))
            }
            DefaultChange::Sql { sql } if existing_identity => {
                if self.b.dialect != Dialect::Postgresql {
                    return Err(identity_error());
                }
                match sql {
                    None => Ok(format!(
                        "ALTER TABLE {table} ALTER COLUMN {col} DROP IDENTITY"
                    )),
                    Some(_) => Err(identity_error()),
                }
            }
            DefaultChange::Sql { sql: Some(s) } => Ok(format!(
                "ALTER TABLE {table} ALTER COLUMN {col} SET DEFAULT {s}"
            )),
            DefaultChange::Sql { sql: None } => Ok(format!(
                "ALTER TABLE {table} ALTER COLUMN {col} DROP DEFAULT"
            )),
        }
    }

    fn column_comment(&self, a: &AlterColumn, comment: Option<&str>) -> Result<String, DdlError> {
        if self.b.dialect != Dialect::Postgresql {
            return Err(DdlError::Unsupported(format!(
                "{} cannot change a column comment with ALTER",
                self.b.dialect
            )));
        }
        Ok(format!(
            "COMMENT ON COLUMN {}.{} IS {}",
            self.alembic_table(&a.table),
            self.q(&a.column),
            comment
                .map(|c| self.lit(c))
                .unwrap_or_else(|| "NULL".into())
        ))
    }

    // ------------------------------------------------------------ indexes

    fn index_name(&self, idx: &Index) -> Result<String, DdlError> {
        idx.name.as_deref().map(|n| self.q(n)).ok_or_else(|| {
            DdlError::Compile("CREATE INDEX requires that the index have a name".into())
        })
    }

    fn index_table(&self, idx: &Index) -> TableRef {
        idx.table.clone().unwrap_or(TableRef {
            name: "no_table".into(),
            schema: None,
        })
    }

    pub fn create_index(&self, idx: &Index, if_not_exists: bool) -> Result<String, DdlError> {
        let name = self.index_name(idx)?;
        let table = self.index_table(idx);
        let ine = if if_not_exists { "IF NOT EXISTS " } else { "" };
        let unique = if idx.unique { "UNIQUE " } else { "" };
        let o = &idx.options;
        Ok(match self.b.dialect {
            Dialect::Postgresql => {
                let mut t = format!("CREATE {unique}INDEX ");
                if o.concurrently {
                    t.push_str("CONCURRENTLY ");
                }
                t.push_str(&format!("{ine}{name} ON {} ", self.table(&table)));
                if let Some(u) = &o.using {
                    t.push_str(&format!("USING {} ", u.to_lowercase()));
                }
                let exprs: Vec<String> = idx
                    .expressions
                    .iter()
                    .map(|e| {
                        let (text, key) = match e {
                            IndexExpr::Column { column } => (self.q(column), Some(column)),
                            IndexExpr::Sql { sql, key } => (sql.clone(), key.as_ref()),
                        };
                        match key.and_then(|k| o.ops.get(k)) {
                            Some(op) => format!("{text} {op}"),
                            None => text,
                        }
                    })
                    .collect();
                t.push_str(&format!("({})", exprs.join(", ")));
                if !o.include.is_empty() {
                    t.push_str(&format!(" INCLUDE ({})", self.cols(&o.include)));
                }
                match o.nulls_not_distinct {
                    Some(true) => t.push_str(" NULLS NOT DISTINCT"),
                    Some(false) => t.push_str(" NULLS DISTINCT"),
                    None => {}
                }
                if !o.with.is_empty() {
                    let params: Vec<String> =
                        o.with.iter().map(|(k, v)| format!("{k} = {v}")).collect();
                    t.push_str(&format!(" WITH ({})", params.join(", ")));
                }
                if let Some(ts) = &o.tablespace {
                    t.push_str(&format!(" TABLESPACE {}", self.q(ts)));
                }
                if let Some(w) = &o.where_ {
                    t.push_str(&format!(" WHERE {w}"));
                }
                t
            }
            Dialect::Mysql => self.mysql_create_index(idx, &name, &table, ine, unique),
            Dialect::Sqlite => {
                let name = match table.schema.as_deref() {
                    Some(s) if !s.is_empty() => format!("{}.{name}", self.q(s)),
                    _ => name,
                };
                let exprs: Vec<String> =
                    idx.expressions.iter().map(|e| self.index_expr(e)).collect();
                let mut t = format!(
                    "CREATE {unique}INDEX {ine}{name} ON {} ({})",
                    self.q(&table.name),
                    exprs.join(", ")
                );
                if let Some(w) = &o.where_ {
                    t.push_str(&format!(" WHERE {w}"));
                }
                t
            }
        })
    }

    pub fn index_expr(&self, e: &IndexExpr) -> String {
        match e {
            IndexExpr::Column { column } => self.q(column),
            IndexExpr::Sql { sql, .. } => sql.clone(),
        }
    }

    fn drop_index(&self, idx: &Index, if_exists: bool) -> Result<String, DdlError> {
        let name = idx.name.as_deref().map(|n| self.q(n)).ok_or_else(|| {
            DdlError::Compile("DROP INDEX requires that the index have a name".into())
        })?;
        let table = self.index_table(idx);
        let ie = if if_exists { "IF EXISTS " } else { "" };
        let qualified = match table.schema.as_deref() {
            Some(s) if !s.is_empty() => format!("{}.{name}", self.q(s)),
            _ => name.clone(),
        };
        Ok(match self.b.dialect {
            Dialect::Postgresql => format!(
                "DROP INDEX {}{ie}{qualified}",
                if idx.options.concurrently {
                    "CONCURRENTLY "
                } else {
                    ""
                }
            ),
            Dialect::Mysql => format!("DROP INDEX {ie}{name} ON {}", self.table(&table)),
            Dialect::Sqlite => format!("DROP INDEX {ie}{qualified}"),
        })
    }
}

fn sqlite_no_alter() -> DdlError {
    DdlError::Unsupported(
        "No support for ALTER of constraints in SQLite dialect. Please refer to the batch mode \
         feature which allows for SQLite migrations using a copy-and-move strategy."
            .into(),
    )
}

fn computed_error() -> DdlError {
    DdlError::Compile(
        "Adding or removing a \"computed\" construct, e.g. GENERATED ALWAYS AS, to or from an \
         existing column is not supported."
            .into(),
    )
}

fn identity_error() -> DdlError {
    DdlError::Compile(
        "Adding, removing or modifying an \"identity\" construct, e.g. GENERATED AS IDENTITY, to \
         or from an existing column is not supported in this dialect."
            .into(),
    )
}

/// A table keyword argument given as true.
pub(super) fn kw_true(value: Option<&serde_json::Value>) -> bool {
    match value {
        Some(serde_json::Value::Bool(b)) => *b,
        Some(serde_json::Value::Number(n)) => n.as_f64().is_some_and(|v| v != 0.0),
        Some(serde_json::Value::String(s)) => !s.is_empty(),
        _ => false,
    }
}

/// A primary key's columns in rendering order: SQLAlchemy puts the
/// autoincrement column first when the key comes from `primary_key=True` flags.
fn pk_order(pk: &Constraint, autoinc: Option<&str>) -> Vec<String> {
    let mut cols = pk.columns.clone();
    if pk.implicit_generated {
        if let Some(a) = autoinc {
            if let Some(pos) = cols.iter().position(|c| c == a) {
                let c = cols.remove(pos);
                cols.insert(0, c);
            }
        }
    }
    cols
}

/// SQLAlchemy's `PrimaryKeyConstraint._autoincrement_column`: the index of
/// the column that the database numbers by itself, if any.
pub(super) fn autoincrement_column(
    columns: &[Column],
    pk: &[String],
) -> Result<Option<usize>, DdlError> {
    let find = |name: &String| columns.iter().position(|c| &c.name == name);
    let validate = |col: &Column, autoinc_true: bool| -> Result<bool, DdlError> {
        if col.affinity != "integer" && col.affinity != "numeric" {
            if autoinc_true {
                return Err(DdlError::Compile(format!(
                    "Column type of column '{}' on table does not support autoincrement=True",
                    col.name
                )));
            }
            return Ok(false);
        }
        if col.default.as_deref() == Some("scalar") && !autoinc_true {
            return Ok(false);
        }
        if col.has_server_default && !autoinc_true {
            return Ok(false);
        }
        if col.foreign_keys > 0
            && !matches!(&col.autoincrement, Autoincrement::Flag(true))
            && !matches!(&col.autoincrement, Autoincrement::Mode(m) if m == "ignore_fk")
        {
            return Ok(false);
        }
        Ok(true)
    };
    if pk.len() == 1 {
        let Some(i) = find(&pk[0]) else {
            return Ok(None);
        };
        let col = &columns[i];
        return Ok(match &col.autoincrement {
            Autoincrement::Flag(true) => {
                validate(col, true)?;
                Some(i)
            }
            Autoincrement::Mode(m)
                if (m == "auto" || m == "ignore_fk") && validate(col, false)? =>
            {
                Some(i)
            }
            _ => None,
        });
    }
    let mut found = None;
    for name in pk {
        if let Some(i) = find(name) {
            if columns[i].autoincrement == Autoincrement::Flag(true) {
                validate(&columns[i], true)?;
                if found.is_some() {
                    return Err(DdlError::Compile(
                        "Only one Column may be marked autoincrement=True".into(),
                    ));
                }
                found = Some(i);
            }
        }
    }
    Ok(found)
}
