//! What the dialects share: quoting, table names, constraint clauses,
//! `CREATE TABLE` layout, and the dispatch of each operation to its dialect.

use super::dialect::{self, Dialect};
use super::ir::*;
use super::{quote, DdlError};
use crate::backend::Backend;

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
        let d = dialect::of(backend);
        RenderOptions {
            percent_escape: d.double_percents(),
            backslash_escape: d.backslash_escapes(false),
            mariadb_options: backend.mariadb,
        }
    }

    /// For statements sent to the server as they are (no driver-side `%`
    /// interpolation; PostgreSQL with `standard_conforming_strings`).
    pub fn online(backend: Backend) -> RenderOptions {
        RenderOptions {
            percent_escape: false,
            backslash_escape: dialect::of(backend).backslash_escapes(true),
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
    R::new(backend, opts).render(op)
}

/// The renderer for one backend: its dialect and how literals are written.
pub(super) struct R {
    pub d: &'static dyn Dialect,
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
    pub fn new(backend: Backend, opts: RenderOptions) -> R {
        R {
            d: dialect::of(backend),
            o: opts,
        }
    }

    /// One operation's statements.
    pub fn render(&self, op: &Operation) -> Result<Vec<String>, DdlError> {
        let mut out = Vec::new();
        match op {
            Operation::CreateTable {
                table,
                if_not_exists,
                enums,
            } => self.create_table(table, if_not_exists.unwrap_or(false), enums, &mut out)?,
            Operation::DropTable { table, if_exists } => out.push(format!(
                "DROP TABLE {}{}",
                if if_exists.unwrap_or(false) {
                    "IF EXISTS "
                } else {
                    ""
                },
                self.table(table)
            )),
            Operation::RenameTable { table, new_name } => out.push(format!(
                "ALTER TABLE {} RENAME TO {}",
                self.alembic_table(table),
                self.d.renamed_table(self, table, new_name)
            )),
            Operation::CreateTableComment { table, comment } => {
                out.push(self.d.set_table_comment(self, table, comment.as_deref()))
            }
            Operation::DropTableComment { table } => {
                out.push(self.d.set_table_comment(self, table, None))
            }
            Operation::AddColumn(add) => self.add_column(add, &mut out)?,
            Operation::DropColumn {
                table,
                column,
                if_exists,
            } => out.push(format!(
                "ALTER TABLE {} DROP COLUMN {}{}",
                self.alembic_table(table),
                if if_exists.unwrap_or(false) {
                    "IF EXISTS "
                } else {
                    ""
                },
                self.q(column)
            )),
            Operation::AlterColumn(alter) => self.d.alter_column(self, alter, &mut out)?,
            Operation::AddConstraint { constraint } => self.add_constraint(constraint, &mut out)?,
            Operation::DropConstraint {
                name,
                table,
                type_,
                if_exists,
            } => out.push(self.drop_constraint(
                name.as_deref(),
                table,
                type_.as_deref(),
                if_exists.unwrap_or(false),
            )?),
            Operation::CreateIndex {
                index,
                if_not_exists,
            } => out.push(self.create_index(index, if_not_exists.unwrap_or(false))?),
            Operation::DropIndex { index, if_exists } => {
                out.push(self.drop_index(index, if_exists.unwrap_or(false))?)
            }
            Operation::Batch(batch) => out = super::batch::render_batch(batch, self)?,
        }
        Ok(out)
    }

    pub fn q(&self, name: &str) -> String {
        quote::quote(name, self.d)
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

    /// A name (quoted) in the table's schema: SQLite's index names, and
    /// what `DROP INDEX` names by default.
    pub fn in_schema(&self, name: &str, table: &TableRef) -> String {
        match table.schema.as_deref() {
            Some(s) if !s.is_empty() => format!("{}.{name}", self.q(s)),
            _ => name.to_string(),
        }
    }

    pub fn cols(&self, names: &[String]) -> String {
        names
            .iter()
            .map(|n| self.q(n))
            .collect::<Vec<_>>()
            .join(", ")
    }

    // ------------------------------------------------------------ columns

    pub fn column_spec(&self, col: &Column, ctx: &ColumnCtx) -> Result<String, DdlError> {
        let mut spec = self.d.column_spec(self, col, ctx)?;
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

    /// The clause of a constraint inside `CREATE TABLE` or after
    /// `ALTER TABLE … ADD`; `None` when the dialect leaves it out.
    /// `pk_order` gives a primary key's columns in rendering order.
    pub fn constraint_clause(
        &self,
        c: &Constraint,
        pk_order: Option<&[String]>,
    ) -> Result<Option<String>, DdlError> {
        let text = match c.kind {
            ConstraintKind::PrimaryKey => {
                if c.columns.is_empty() {
                    return Ok(Some(String::new()));
                }
                let cols = pk_order.unwrap_or(&c.columns);
                let mut t = format!("{}PRIMARY KEY ({})", self.preamble(c), self.cols(cols));
                t.push_str(&self.d.define_include(self, c));
                t.push_str(&self.deferrability(c));
                t.push_str(&self.d.primary_key_using(self, c));
                t
            }
            ConstraintKind::Unique => {
                if c.columns.is_empty() {
                    return Ok(Some(String::new()));
                }
                let distinct = self.d.unique_nulls_distinct(c);
                let mut t = format!(
                    "{}UNIQUE {distinct}({})",
                    self.preamble(c),
                    self.cols(&c.columns)
                );
                t.push_str(&self.d.define_include(self, c));
                t.push_str(&self.deferrability(c));
                t
            }
            ConstraintKind::ForeignKey => {
                let remote = c.ref_table.as_ref().ok_or_else(|| {
                    DdlError::Compile("foreign key without a referred table".into())
                })?;
                let Some(remote_name) = self.d.foreign_key_referent(self, c, remote) else {
                    return Ok(None);
                };
                let mut t = format!(
                    "{}FOREIGN KEY({}) REFERENCES {remote_name} ({})",
                    self.preamble(c),
                    self.cols(&c.columns),
                    self.cols(&c.ref_columns)
                );
                if let Some(m) = &c.match_ {
                    t.push_str(&self.d.constraint_match(m)?);
                }
                if let Some(d) = &c.ondelete {
                    t.push_str(&format!(" ON DELETE {d}"));
                }
                if let Some(u) = &c.onupdate {
                    t.push_str(&format!(" ON UPDATE {u}"));
                }
                t.push_str(&self.deferrability(c));
                if self.d.not_valid(c) {
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
                if self.d.not_valid(c) {
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

    /// `AddConstraint` as the dialect's Alembic impl runs it.
    pub fn add_constraint(&self, c: &Constraint, out: &mut Vec<String>) -> Result<(), DdlError> {
        self.d.add_constraint(self, c, out)
    }

    /// `ALTER TABLE … ADD <constraint>`.
    pub fn alter_table_add(&self, c: &Constraint, out: &mut Vec<String>) -> Result<(), DdlError> {
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
        if !self.d.skips_drop(c) {
            out.push(self.drop_constraint(c.name.as_deref(), &table, kind, false)?);
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
        self.d.drop_constraint(self, name, table, type_, if_exists)
    }

    // ------------------------------------------------------------ tables

    pub(super) fn create_table(
        &self,
        table: &Table,
        if_not_exists: bool,
        enums: &[EnumType],
        out: &mut Vec<String>,
    ) -> Result<(), DdlError> {
        self.d.before_create_table(self, enums, out);
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
            if !self.d.primary_key_inline(table) {
                let order = pk_order(pk, autoinc.map(|i| table.columns[i].name.as_str()));
                if let Some(c) = self.constraint_clause(pk, Some(&order))? {
                    clauses.push(c);
                }
            }
        }
        for c in &table.constraints {
            if self.d.supports_alter() && c.use_alter {
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
        text.push_str(&self.d.post_create_table(self, table));
        out.push(text);
        for idx in &table.indexes {
            out.push(self.create_index(idx, false)?);
        }
        if self.d.comment_statements() {
            if let Some(comment) = &table.comment {
                if !comment.is_empty() {
                    out.push(self.d.set_table_comment(self, &tref, Some(comment)));
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
            self.d.column_spec(self, col, &ctx)?
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
        if self.d.comment_statements() {
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
            let rename = self.d.rename_column_keyword();
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
                if !self.d.supports_identity_alter() {
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
                if !self.d.supports_identity_alter() {
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
        if !self.d.comment_statements() {
            return Err(DdlError::Unsupported(format!(
                "{} cannot change a column comment with ALTER",
                self.d.name()
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
        Ok(self.d.create_index(self, idx, &name, &table, ine, unique))
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
        Ok(self.d.drop_index(self, idx, &name, &table, ie))
    }
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
