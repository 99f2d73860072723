//! The `Table` SQLAlchemy builds from a reflected SQLite table
//! (`Inspector.reflect_table`), as Alembic's batch mode reflects it: types
//! through the dialect's affinity rules (`_resolve_type_affinity`) and back
//! through its type compiler, defaults parenthesised by Alembic's
//! `column_reflect` hook, `reflect_args` columns in place of reflected ones,
//! and the batch's naming convention applied to what has no name.

use super::batch::{BatchError, BatchErrorKind};
use super::ir::*;
use super::naming::{convention_name, Kind, Subject};
use super::quote_identifier;
use super::reflected::SqliteTable;
use crate::backend::Dialect;

/// A SQLAlchemy type class as SQLite reflection picks it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SaType {
    Integer,
    SmallInteger,
    BigInteger,
    Boolean,
    Varchar,
    Char,
    Nchar,
    Nvarchar,
    Text,
    Blob,
    Numeric,
    Decimal,
    Float,
    Real,
    Double,
    Date,
    DateTime,
    Timestamp,
    Time,
    Json,
    Null,
}

impl SaType {
    /// `ischema_names`, then the affinity rules.
    fn resolve(name: &str) -> SaType {
        match name {
            "BIGINT" => SaType::BigInteger,
            "BLOB" => SaType::Blob,
            "BOOL" | "BOOLEAN" => SaType::Boolean,
            "CHAR" => SaType::Char,
            "DATE" | "DATE_CHAR" => SaType::Date,
            "DATETIME" | "DATETIME_CHAR" => SaType::DateTime,
            "DOUBLE" => SaType::Double,
            "DECIMAL" => SaType::Decimal,
            "FLOAT" => SaType::Float,
            "INT" | "INTEGER" => SaType::Integer,
            "JSON" => SaType::Json,
            "NUMERIC" => SaType::Numeric,
            "REAL" => SaType::Real,
            "SMALLINT" => SaType::SmallInteger,
            "TEXT" => SaType::Text,
            "TIME" | "TIME_CHAR" => SaType::Time,
            "TIMESTAMP" => SaType::Timestamp,
            "VARCHAR" => SaType::Varchar,
            "NVARCHAR" => SaType::Nvarchar,
            "NCHAR" => SaType::Nchar,
            n if n.contains("INT") => SaType::Integer,
            n if n.contains("CHAR") || n.contains("CLOB") || n.contains("TEXT") => SaType::Text,
            n if n.contains("BLOB") || n.is_empty() => SaType::Null,
            n if n.contains("REAL") || n.contains("FLOA") || n.contains("DOUB") => SaType::Real,
            _ => SaType::Numeric,
        }
    }

    /// How many positional arguments the class's constructor takes (more
    /// raise TypeError, and SQLAlchemy falls back to no arguments).
    fn arity(self) -> usize {
        match self {
            SaType::Integer | SaType::SmallInteger | SaType::BigInteger | SaType::Date => 0,
            SaType::Null => 0,
            SaType::Boolean => 4,
            SaType::Varchar | SaType::Char | SaType::Nchar | SaType::Nvarchar | SaType::Text => 2,
            SaType::Blob | SaType::DateTime | SaType::Timestamp | SaType::Time | SaType::Json => 1,
            SaType::Numeric | SaType::Decimal => 4,
            SaType::Float | SaType::Real | SaType::Double => 3,
        }
    }

    /// The class's `_type_affinity`.
    fn affinity(self) -> &'static str {
        match self {
            SaType::Integer | SaType::SmallInteger | SaType::BigInteger => "Integer",
            SaType::Boolean => "Boolean",
            SaType::Varchar | SaType::Char | SaType::Nchar | SaType::Nvarchar | SaType::Text => {
                "String"
            }
            SaType::Blob => "_Binary",
            SaType::Numeric | SaType::Decimal | SaType::Float | SaType::Real | SaType::Double => {
                "Numeric"
            }
            SaType::Date => "Date",
            SaType::DateTime | SaType::Timestamp => "DateTime",
            SaType::Time => "Time",
            SaType::Json => "JSON",
            SaType::Null => "NullType",
        }
    }
}

/// A reflected column type: its DDL (empty for `NullType`, which has none),
/// affinity class, and the CHECK a `BOOLEAN(1)` would create.
struct ReflectedType {
    ddl: String,
    affinity: &'static str,
    kind: SaType,
    creates_check: bool,
}

/// `_resolve_type_affinity` and the SQLite type compiler.
fn reflected_type(declared: &str) -> ReflectedType {
    // re.match(r"([\w ]+)(\(.*?\))?", type_)
    let word_end = declared
        .char_indices()
        .find(|(_, c)| !(c.is_alphanumeric() || *c == '_' || *c == ' '))
        .map_or(declared.len(), |(i, _)| i);
    let (name, args) = if word_end == 0 {
        ("", None)
    } else {
        let rest = &declared[word_end..];
        let args = rest
            .strip_prefix('(')
            .and_then(|r| r.find(')').map(|close| &r[..close]))
            .filter(|inner| !inner.contains('\n'));
        (&declared[..word_end], args)
    };
    let kind = SaType::resolve(name);
    let mut numbers: Vec<i64> = Vec::new();
    if let Some(args) = args {
        let mut digits = String::new();
        for c in args.chars().chain(std::iter::once(' ')) {
            if c.is_ascii_digit() {
                digits.push(c);
            } else if !digits.is_empty() {
                numbers.push(digits.parse().unwrap_or(i64::MAX));
                digits.clear();
            }
        }
    }
    if numbers.len() > kind.arity() {
        numbers.clear();
    }
    let arg = |i: usize| numbers.get(i).copied();
    let sized = |base: &str| -> String {
        let mut t = base.to_string();
        if let Some(len) = arg(0).filter(|l| *l != 0) {
            t.push_str(&format!("({len})"));
        }
        if let Some(collation) = arg(1) {
            let quoted = quote_identifier(&collation.to_string(), Dialect::Sqlite.into());
            t.push_str(&format!(" COLLATE {quoted}"));
        }
        t
    };
    let numeric = |base: &str| -> String {
        match (arg(0), arg(1)) {
            (None, _) => base.to_string(),
            (Some(p), None) => format!("{base}({p})"),
            (Some(p), Some(s)) => format!("{base}({p}, {s})"),
        }
    };
    let ddl = match kind {
        SaType::Integer => "INTEGER".into(),
        SaType::SmallInteger => "SMALLINT".into(),
        SaType::BigInteger => "BIGINT".into(),
        SaType::Boolean => "BOOLEAN".into(),
        SaType::Varchar => sized("VARCHAR"),
        SaType::Char => sized("CHAR"),
        SaType::Nchar => sized("NCHAR"),
        SaType::Nvarchar => sized("NVARCHAR"),
        SaType::Text => sized("TEXT"),
        SaType::Blob => "BLOB".into(),
        SaType::Numeric => numeric("NUMERIC"),
        SaType::Decimal => numeric("DECIMAL"),
        SaType::Float => "FLOAT".into(),
        SaType::Real => "REAL".into(),
        SaType::Double => "DOUBLE".into(),
        SaType::Date => "DATE".into(),
        SaType::DateTime => "DATETIME".into(),
        SaType::Timestamp => "TIMESTAMP".into(),
        SaType::Time => "TIME".into(),
        SaType::Json => "JSON".into(),
        SaType::Null => String::new(),
    };
    ReflectedType {
        ddl,
        affinity: kind.affinity(),
        kind,
        creates_check: kind == SaType::Boolean && arg(0).is_some_and(|v| v != 0),
    }
}

/// Alembic's SQLite `autogen_column_reflect`: expression defaults get
/// parentheses so they can be sent back as DDL.
fn reflected_default(text: &str) -> String {
    let single_char_number =
        text.chars().count() == 1 && text.chars().all(|c| c.is_ascii_digit() || c == '.');
    let enclosed = |open: char, close: char| {
        text.chars().count() >= 3
            && text.starts_with(open)
            && text.ends_with(close)
            && !text.contains('\n')
    };
    if text.is_empty() || single_char_number || enclosed('\'', '\'') || enclosed('(', ')') {
        text.to_string()
    } else {
        format!("({text})")
    }
}

/// The IR affinity (autoincrement rules) for an affinity class.
pub(super) fn ir_affinity(class: &str) -> &'static str {
    match class {
        "Integer" => "integer",
        "Numeric" => "numeric",
        _ => "other",
    }
}

/// The reflected table as SQLAlchemy's `Table(..., autoload_with=...)`.
pub(super) fn reflected_table(
    t: &SqliteTable,
    convention: &[(String, String)],
    reflect_columns: &[Column],
) -> Result<Table, BatchError> {
    let tref = TableRef {
        name: t.name.clone(),
        schema: t.schema.clone(),
    };
    let mut columns: Vec<Column> = Vec::new();
    for rc in &t.columns {
        let ty = reflected_type(&rc.type_);
        let type_checks = if ty.creates_check {
            vec![TypeCheck {
                name: None,
                template: format!("{TYPE_CHECK_COLUMN} IN (0, 1)"),
            }]
        } else {
            Vec::new()
        };
        columns.push(Column {
            name: rc.name.clone(),
            type_: ty.ddl,
            nullable: rc.nullable,
            autoincrement: Autoincrement::default(),
            affinity: ir_affinity(ty.affinity).into(),
            int_kind: match ty.kind {
                SaType::BigInteger => "big",
                SaType::SmallInteger => "small",
                _ => "int",
            }
            .into(),
            server_default: rc.default.as_deref().map(reflected_default),
            has_server_default: rc.default.is_some() || rc.computed.is_some(),
            computed: rc.computed.as_ref().map(|(sqltext, persisted)| Computed {
                sqltext: sqltext.clone(),
                persisted: Some(*persisted),
            }),
            type_affinity: Some(ty.affinity.into()),
            type_checks,
            ..Column::default()
        });
    }
    // Columns given in reflect_args replace the reflected ones in place.
    for given in reflect_columns {
        match columns.iter_mut().find(|c| c.name == given.name) {
            Some(slot) => *slot = given.clone(),
            None => columns.push(given.clone()),
        }
    }
    let names: Vec<String> = columns.iter().map(|c| c.name.clone()).collect();
    let has_column = |name: &str| names.iter().any(|n| n == name);

    let named = |kind: Kind,
                 name: Option<&str>,
                 cols: &[String],
                 referred: Option<(&str, &[String])>|
     -> Result<Option<String>, BatchError> {
        let subject = Subject {
            kind,
            table: &t.name,
            name,
            columns: cols,
            referred_table: referred.map(|r| r.0),
            referred_columns: referred.map(|r| r.1).unwrap_or(&[]),
        };
        Ok(convention_name(convention, &subject)?.or_else(|| name.map(str::to_string)))
    };

    let pk_cols: Vec<String> = t
        .primary_key
        .columns
        .iter()
        .filter(|c| has_column(c))
        .cloned()
        .collect();
    // A named reflected key keeps its name; an unnamed one gets the
    // convention's once its columns are added.
    let pk_name = match &t.primary_key.name {
        Some(n) => Some(n.clone()),
        None if !pk_cols.is_empty() => named(Kind::PrimaryKey, None, &pk_cols, None)?,
        None => None,
    };
    for c in columns.iter_mut() {
        if pk_cols.contains(&c.name) {
            c.primary_key = true;
        }
    }
    let primary_key = Constraint {
        kind: ConstraintKind::PrimaryKey,
        name: pk_name,
        table: Some(tref.clone()),
        columns: pk_cols,
        ..Constraint::default()
    };

    let mut constraints = Vec::new();
    for fk in &t.foreign_keys {
        let mut seen = Vec::new();
        let duplicated = fk.columns.iter().any(|c| {
            let dup = seen.contains(&c);
            seen.push(c);
            dup
        });
        if duplicated || !fk.columns.iter().all(|c| has_column(c)) {
            continue;
        }
        let name = named(
            Kind::ForeignKey,
            fk.name.as_deref(),
            &fk.columns,
            Some((&fk.referred_table, &fk.referred_columns)),
        )?;
        for c in columns.iter_mut() {
            if fk.columns.contains(&c.name) {
                c.foreign_keys += 1;
            }
        }
        constraints.push(Constraint {
            kind: ConstraintKind::ForeignKey,
            name,
            table: Some(tref.clone()),
            columns: fk.columns.clone(),
            deferrable: fk.deferrable,
            initially: fk.initially.clone(),
            ref_table: Some(TableRef {
                name: fk.referred_table.clone(),
                schema: fk.referred_schema.clone(),
            }),
            ref_columns: fk.referred_columns.clone(),
            local_schema: t.schema.clone(),
            ondelete: fk.ondelete.clone(),
            onupdate: fk.onupdate.clone(),
            ..Constraint::default()
        });
    }

    let mut indexes = Vec::new();
    for ix in &t.indexes {
        let cols: Vec<String> = ix
            .columns
            .iter()
            .filter(|c| has_column(c))
            .cloned()
            .collect();
        let name = named(Kind::Index, Some(&ix.name), &cols, None)?;
        indexes.push(Index {
            name,
            table: Some(tref.clone()),
            unique: ix.unique,
            expressions: cols
                .into_iter()
                .map(|column| IndexExpr::Column { column })
                .collect(),
            options: IndexOptions {
                where_: ix.where_.clone(),
                ..IndexOptions::default()
            },
            column_flag: false,
        });
    }

    for uq in &t.unique_constraints {
        let cols: Vec<String> = uq
            .columns
            .iter()
            .filter(|c| has_column(c))
            .cloned()
            .collect();
        let name = named(Kind::Unique, uq.name.as_deref(), &cols, None)?;
        constraints.push(Constraint {
            kind: ConstraintKind::Unique,
            name,
            table: Some(tref.clone()),
            columns: cols,
            ..Constraint::default()
        });
    }

    for ck in &t.check_constraints {
        let name = named(Kind::Check, ck.name.as_deref(), &[], None)?;
        constraints.push(Constraint {
            kind: ConstraintKind::Check,
            name,
            table: Some(tref.clone()),
            sqltext: Some(ck.sqltext.clone()),
            ..Constraint::default()
        });
    }

    let mut kwargs = Vec::new();
    if t.options.without_rowid {
        kwargs.push((
            "sqlite_with_rowid".to_string(),
            serde_json::Value::Bool(false),
        ));
    }
    if t.options.strict {
        kwargs.push(("sqlite_strict".to_string(), serde_json::Value::Bool(true)));
    }
    Ok(Table {
        name: t.name.clone(),
        schema: t.schema.clone(),
        columns,
        primary_key: Some(primary_key),
        constraints,
        indexes,
        kwargs,
        ..Table::default()
    })
}

/// The error SQLAlchemy raises when a column has no type to render.
pub(super) fn null_type_error(table: &str, column: &str) -> BatchError {
    BatchError::new(
        BatchErrorKind::Compile,
        format!(
            "(in table '{table}', column '{column}'): Can't generate DDL for NullType(); did you \
             forget to specify a type on this Column?"
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ddl(declared: &str) -> (String, &'static str) {
        let t = reflected_type(declared);
        (t.ddl, t.affinity)
    }

    #[test]
    fn types_as_sqlalchemy_reflects_them() {
        let cases = [
            ("INT", "INTEGER", "Integer"),
            ("INTEGER(11)", "INTEGER", "Integer"),
            ("UNSIGNED BIG INT", "INTEGER", "Integer"),
            ("VARCHAR(10)", "VARCHAR(10)", "String"),
            ("CHARACTER(20)", "TEXT(20)", "String"),
            ("VARCHAR(10, 5)", "VARCHAR(10) COLLATE \"5\"", "String"),
            ("BLOB(10)", "BLOB", "_Binary"),
            ("DOUBLE PRECISION", "REAL", "Numeric"),
            ("FLOAT(53)", "FLOAT", "Numeric"),
            ("DECIMAL(10,2)", "DECIMAL(10, 2)", "Numeric"),
            ("NUMERIC(1,2,3)", "NUMERIC(1, 2)", "Numeric"),
            ("BINARY(16)", "NUMERIC(16)", "Numeric"),
            ("XYZ(3, 4, 5)", "NUMERIC(3, 4)", "Numeric"),
            ("DATETIME(6)", "DATETIME", "DateTime"),
            ("DATE_CHAR", "DATE", "Date"),
            ("JSON", "JSON", "JSON"),
            ("", "", "NullType"),
        ];
        for (declared, want, affinity) in cases {
            assert_eq!(ddl(declared), (want.to_string(), affinity), "{declared}");
        }
    }

    #[test]
    fn defaults_as_alembic_reflects_them() {
        assert_eq!(reflected_default("0"), "0");
        assert_eq!(reflected_default("10"), "(10)");
        assert_eq!(reflected_default("'a'"), "'a'");
        assert_eq!(
            reflected_default("CURRENT_TIMESTAMP"),
            "(CURRENT_TIMESTAMP)"
        );
        assert_eq!(reflected_default("(1 + 1)"), "(1 + 1)");
    }
}
