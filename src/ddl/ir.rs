//! The operation IR: what `python/retort/ops.py` hands over, one JSON object
//! per `op.*` call.  Types, defaults and SQL expressions arrive compiled for
//! the target dialect by SQLAlchemy; everything else is decided here.

use serde::Deserialize;
use serde_json::Value;

/// One `op.*` call.
#[derive(Debug, Clone, Deserialize)]
// Built once per op call and consumed at once: boxing variants buys nothing.
#[allow(clippy::large_enum_variant)]
#[serde(tag = "op", rename_all = "snake_case", deny_unknown_fields)]
pub enum Operation {
    CreateTable {
        table: Box<Table>,
        #[serde(default)]
        if_not_exists: Option<bool>,
        /// Native enum types SQLAlchemy creates before the table (first use
        /// in this migration run only).
        #[serde(default)]
        enums: Vec<EnumType>,
    },
    DropTable {
        table: TableRef,
        #[serde(default)]
        if_exists: Option<bool>,
    },
    RenameTable {
        table: TableRef,
        new_name: String,
    },
    CreateTableComment {
        table: TableRef,
        comment: Option<String>,
    },
    DropTableComment {
        table: TableRef,
    },
    AddColumn(Box<AddColumn>),
    DropColumn {
        table: TableRef,
        column: String,
        #[serde(default)]
        if_exists: Option<bool>,
    },
    AlterColumn(Box<AlterColumn>),
    AddConstraint {
        constraint: Box<Constraint>,
    },
    DropConstraint {
        name: Option<String>,
        table: TableRef,
        #[serde(rename = "type", default)]
        type_: Option<String>,
        #[serde(default)]
        if_exists: Option<bool>,
    },
    CreateIndex {
        index: Box<Index>,
        #[serde(default)]
        if_not_exists: Option<bool>,
    },
    DropIndex {
        index: Box<Index>,
        #[serde(default)]
        if_exists: Option<bool>,
    },
    /// `with op.batch_alter_table(...)`: the operations of the block, run
    /// as ALTERs or by rebuilding the table (see `ddl::batch`).
    Batch(Box<Batch>),
}

/// A table named in an operation.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TableRef {
    pub name: String,
    #[serde(default)]
    pub schema: Option<String>,
}

/// A full table (`op.create_table`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Table {
    pub name: String,
    #[serde(default)]
    pub schema: Option<String>,
    pub columns: Vec<Column>,
    #[serde(default)]
    pub primary_key: Option<Constraint>,
    /// Other constraints in SQLAlchemy's creation order.
    #[serde(default)]
    pub constraints: Vec<Constraint>,
    #[serde(default)]
    pub indexes: Vec<Index>,
    #[serde(default)]
    pub comment: Option<String>,
    #[serde(default)]
    pub prefixes: Vec<String>,
    /// Dialect keyword arguments in the order given (`mysql_engine`,
    /// `sqlite_autoincrement`, …) as `[name, value]` pairs.
    #[serde(default)]
    pub kwargs: Vec<(String, Value)>,
}

impl Table {
    /// The value of a keyword argument.
    pub fn kw(&self, name: &str) -> Option<&Value> {
        self.kwargs.iter().find(|(k, _)| k == name).map(|(_, v)| v)
    }

    pub fn table_ref(&self) -> TableRef {
        TableRef {
            name: self.name.clone(),
            schema: self.schema.clone(),
        }
    }
}

/// `Column.autoincrement`: `true`, `false`, `"auto"` or `"ignore_fk"`.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(untagged)]
pub enum Autoincrement {
    Flag(bool),
    Mode(String),
}

impl Default for Autoincrement {
    fn default() -> Self {
        Autoincrement::Mode("auto".into())
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Column {
    pub name: String,
    /// The type as the dialect's type compiler renders it.
    #[serde(rename = "type")]
    pub type_: String,
    #[serde(default = "yes")]
    pub nullable: bool,
    /// `nullable` was not given (MariaDB makes computed columns NULL then).
    #[serde(default)]
    pub nullable_unspecified: bool,
    #[serde(default)]
    pub primary_key: bool,
    #[serde(default)]
    pub autoincrement: Autoincrement,
    /// `"integer"`, `"numeric"` or `"other"` (the type's affinity).
    #[serde(default)]
    pub affinity: String,
    /// `"big"`, `"small"` or `"int"`: the dialect implementation's integer size.
    #[serde(default)]
    pub int_kind: String,
    /// Python-side default: `null`, `"scalar"`, `"sequence"`, `"optional_sequence"`.
    #[serde(default)]
    pub default: Option<String>,
    /// The DEFAULT text (SQLAlchemy's `get_column_default_string`).
    #[serde(default)]
    pub server_default: Option<String>,
    /// A server default other than an Identity (a DEFAULT, a Computed, a FetchedValue).
    #[serde(default)]
    pub has_server_default: bool,
    #[serde(default)]
    pub identity: Option<Identity>,
    #[serde(default)]
    pub computed: Option<Computed>,
    #[serde(default)]
    pub comment: Option<String>,
    #[serde(default)]
    pub is_timestamp: bool,
    /// How many `ForeignKey`s the column carries.
    #[serde(default)]
    pub foreign_keys: usize,
    #[serde(default)]
    pub system: bool,
    /// Column-level CHECK constraints, rendered inline.
    #[serde(default)]
    pub constraints: Vec<Constraint>,
    #[serde(default)]
    pub sqlite_on_conflict_not_null: Option<String>,
    #[serde(default)]
    pub sqlite_on_conflict_primary_key: Option<String>,
    /// The name of the type's `_type_affinity` class (`Integer`, `String`,
    /// …): a batch rebuild CASTs a column whose affinity changes.  Given
    /// for the columns a batch describes.
    #[serde(default)]
    pub type_affinity: Option<String>,
    /// CHECK constraints the column's type creates with the table (Boolean
    /// or Enum with `create_constraint=True`), for a batch rebuild.
    #[serde(default)]
    pub type_checks: Vec<TypeCheck>,
}

/// A CHECK constraint a column type creates, its SQL written for a column
/// named [`TYPE_CHECK_COLUMN`] so it can follow a rename.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TypeCheck {
    #[serde(default)]
    pub name: Option<String>,
    pub template: String,
}

/// The column name a [`TypeCheck`] template is written for.
pub const TYPE_CHECK_COLUMN: &str = "__retort_column__";

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Identity {
    #[serde(default)]
    pub always: bool,
    pub on_null: Option<bool>,
    pub start: Option<i64>,
    pub increment: Option<i64>,
    pub minvalue: Option<i64>,
    pub maxvalue: Option<i64>,
    pub nominvalue: Option<bool>,
    pub nomaxvalue: Option<bool>,
    pub cache: Option<i64>,
    pub cycle: Option<bool>,
    pub order: Option<bool>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Computed {
    pub sqltext: String,
    #[serde(default)]
    pub persisted: Option<bool>,
}

#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ConstraintKind {
    #[default]
    PrimaryKey,
    Unique,
    ForeignKey,
    Check,
    Exclude,
    Generic,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExcludeElement {
    pub sql: String,
    pub op: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Constraint {
    pub kind: ConstraintKind,
    /// The final name (naming convention applied, long generated names
    /// truncated), unquoted.
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub table: Option<TableRef>,
    #[serde(default)]
    pub columns: Vec<String>,
    #[serde(default)]
    pub deferrable: Option<bool>,
    #[serde(default)]
    pub initially: Option<String>,
    /// Created by a type (Boolean / Enum CHECK): SQLAlchemy decides per
    /// dialect whether it exists, and SQLite's Alembic skips it on ALTER.
    #[serde(default)]
    pub implicit: bool,
    #[serde(default)]
    pub use_alter: bool,
    // primary key
    #[serde(default)]
    pub implicit_generated: bool,
    #[serde(default)]
    pub include: Vec<String>,
    /// MySQL `USING` of a primary key; PostgreSQL `USING` of an exclude constraint.
    #[serde(default)]
    pub using: Option<String>,
    // unique
    #[serde(default)]
    pub nulls_not_distinct: Option<bool>,
    // foreign key
    #[serde(default)]
    pub ref_table: Option<TableRef>,
    #[serde(default)]
    pub ref_columns: Vec<String>,
    #[serde(default)]
    pub local_schema: Option<String>,
    #[serde(default)]
    pub ondelete: Option<String>,
    #[serde(default)]
    pub onupdate: Option<String>,
    #[serde(rename = "match", default)]
    pub match_: Option<String>,
    #[serde(default)]
    pub not_valid: bool,
    // check
    #[serde(default)]
    pub sqltext: Option<String>,
    #[serde(default)]
    pub column_level: bool,
    /// A type-bound CHECK in a batch: its SQL for a column named
    /// [`TYPE_CHECK_COLUMN`].
    #[serde(default)]
    pub template: Option<String>,
    // exclude
    #[serde(default)]
    pub elements: Vec<ExcludeElement>,
    #[serde(rename = "where", default)]
    pub where_: Option<String>,
}

/// One element of an index: a column name or compiled SQL.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum IndexExpr {
    Column {
        column: String,
    },
    Sql {
        sql: String,
        #[serde(default)]
        key: Option<String>,
    },
}

/// `mysql_length`: one length for all columns or a length per column.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum IndexLength {
    All(i64),
    PerColumn(std::collections::BTreeMap<String, i64>),
}

/// The target dialect's index options (Python picks the ones that apply).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndexOptions {
    #[serde(default)]
    pub using: Option<String>,
    #[serde(default)]
    pub concurrently: bool,
    #[serde(default)]
    pub ops: std::collections::BTreeMap<String, String>,
    #[serde(default)]
    pub include: Vec<String>,
    #[serde(default)]
    pub nulls_not_distinct: Option<bool>,
    #[serde(default)]
    pub with: Vec<(String, String)>,
    #[serde(default)]
    pub tablespace: Option<String>,
    #[serde(rename = "where", default)]
    pub where_: Option<String>,
    #[serde(default)]
    pub length: Option<IndexLength>,
    #[serde(default)]
    pub prefix: Option<String>,
    #[serde(default)]
    pub with_parser: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Index {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub table: Option<TableRef>,
    #[serde(default)]
    pub unique: bool,
    #[serde(default)]
    pub expressions: Vec<IndexExpr>,
    #[serde(default)]
    pub options: IndexOptions,
    /// Made by `index=True` on a column (a batch rebuild leaves it out).
    #[serde(default)]
    pub column_flag: bool,
}

/// A PostgreSQL enum type to create before a table.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnumType {
    pub name: String,
    #[serde(default)]
    pub schema: Option<String>,
    pub values: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AddColumn {
    pub table: TableRef,
    pub column: Column,
    #[serde(default)]
    pub if_not_exists: Option<bool>,
    #[serde(default)]
    pub inline_references: Option<bool>,
    #[serde(default)]
    pub inline_primary_key: Option<bool>,
    /// Constraints the column brings (foreign keys, type CHECKs), added after it.
    #[serde(default)]
    pub constraints: Vec<Constraint>,
    #[serde(default)]
    pub indexes: Vec<Index>,
}

/// A server default in `alter_column`: absent (not given), `{"sql": null}`
/// (drop it), `{"sql": "..."}`, `{"identity": {...}}` or `{"computed": true}`.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum DefaultChange {
    Identity { identity: Identity },
    Computed { computed: bool },
    Sql { sql: Option<String> },
}

/// A comment in `alter_column`: `{"text": null}` removes it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommentChange {
    pub text: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AlterColumn {
    pub table: TableRef,
    pub column: String,
    #[serde(default)]
    pub nullable: Option<bool>,
    #[serde(default)]
    pub comment: Option<CommentChange>,
    #[serde(default)]
    pub server_default: Option<DefaultChange>,
    #[serde(default)]
    pub new_name: Option<String>,
    #[serde(rename = "type", default)]
    pub type_: Option<String>,
    #[serde(default)]
    pub existing_type: Option<String>,
    #[serde(default)]
    pub existing_server_default: Option<DefaultChange>,
    #[serde(default)]
    pub existing_nullable: Option<bool>,
    #[serde(default)]
    pub existing_comment: Option<String>,
    /// MySQL: the new (or existing) type has DateTime affinity, so a default
    /// change goes through `CHANGE` (Alembic's test, on type instances only).
    #[serde(default)]
    pub effective_type_is_datetime: bool,
    #[serde(default)]
    pub autoincrement: Option<bool>,
    #[serde(default)]
    pub existing_autoincrement: Option<bool>,
    #[serde(default)]
    pub postgresql_using: Option<String>,
    /// Type-bound constraints of `existing_type`, dropped before a type change.
    #[serde(default)]
    pub drop_constraints: Vec<Constraint>,
    /// Type-bound constraints of the new type, added after it.
    #[serde(default)]
    pub add_constraints: Vec<Constraint>,
}

/// `recreate=` of `batch_alter_table`.
#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Recreate {
    #[default]
    Auto,
    Always,
    Never,
}

/// `op.batch_alter_table(...)` and the operations queued in its block.
///
/// Everything a rebuild needs besides the existing table is here, so an
/// offline renderer can work from `copy_from`; online, the table is
/// reflected on the migration's connection instead.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Batch {
    pub table: TableRef,
    #[serde(default)]
    pub recreate: Recreate,
    /// The table as given by `copy_from=` (reflection is skipped).
    #[serde(default)]
    pub copy_from: Option<Table>,
    /// `partial_reordering=`: tuples of column names in the wanted order.
    #[serde(default)]
    pub partial_reordering: Vec<Vec<String>>,
    /// Constraints of `table_args=`, bound to the new table.
    #[serde(default)]
    pub table_args: Vec<Constraint>,
    /// `table_kwargs=` as `[name, value]` pairs.
    #[serde(default)]
    pub table_kwargs: Vec<(String, Value)>,
    /// Columns of `reflect_args=`: they replace the reflected ones.
    #[serde(default)]
    pub reflect_columns: Vec<Column>,
    /// `naming_convention=` as `[key, template]` pairs (`pk`, `fk`, `uq`,
    /// `ck`, `ix`), applied to the reflected table.
    #[serde(default)]
    pub naming_convention: Vec<(String, String)>,
    pub ops: Vec<BatchStep>,
}

/// One operation of a batch block: an ordinary operation plus what only a
/// batch rebuild needs (sent as `"batch": {...}` beside the operation).
#[derive(Debug, Clone, Deserialize)]
#[serde(try_from = "Value")]
pub struct BatchStep {
    pub op: Operation,
    pub extras: BatchExtras,
}

impl TryFrom<Value> for BatchStep {
    type Error = serde_json::Error;

    fn try_from(mut value: Value) -> Result<Self, Self::Error> {
        // The extras ride beside the operation's own (strictly read) keys.
        let extras = match value.as_object_mut().and_then(|o| o.remove("batch")) {
            Some(v) => BatchExtras::deserialize(v)?,
            None => BatchExtras::default(),
        };
        Ok(BatchStep {
            op: Operation::deserialize(value)?,
            extras,
        })
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BatchExtras {
    /// `add_column(..., insert_before=, insert_after=)`.
    #[serde(default)]
    pub insert_before: Option<String>,
    #[serde(default)]
    pub insert_after: Option<String>,
    /// `add_column`: the server default is a SQL expression (`text()`,
    /// a function), which SQLite cannot add with ALTER.
    #[serde(default)]
    pub default_is_expression: bool,
    /// `add_column`: the column's `index=` and `unique=` flags (a batch
    /// rebuild's new table gets that index or constraint too).
    #[serde(default)]
    pub column_index: bool,
    #[serde(default)]
    pub column_unique: bool,
    /// `alter_column(type_=)`: the new type's affinity class, and whether it
    /// is JSON (SQLite never CASTs to JSON).
    #[serde(default)]
    pub type_affinity: Option<String>,
    #[serde(default)]
    pub type_is_json: bool,
    /// `existing_type=` of `alter_column` / `drop_column`: the name of a
    /// Boolean or Enum type, whose named CHECK goes with a rename or drop.
    #[serde(default)]
    pub existing_type_name: Option<String>,
}
