//! SQLAlchemy's naming conventions (`sql/naming.py`) for the constraints
//! and indexes of a reflected table: `batch_alter_table(naming_convention=)`
//! names the unnamed constraints SQLite reflects, so they can be dropped.
//!
//! Conventions arrive as `[key, template]` pairs with the keys `pk`, `fk`,
//! `uq`, `ck` and `ix` (the Python side maps constraint classes to these);
//! templates use `%(token)s` with SQLAlchemy's tokens.

use super::batch::{BatchError, BatchErrorKind};

/// What a convention is looked up for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    PrimaryKey,
    ForeignKey,
    Unique,
    Check,
    Index,
}

impl Kind {
    fn key(self) -> &'static str {
        match self {
            Kind::PrimaryKey => "pk",
            Kind::ForeignKey => "fk",
            Kind::Unique => "uq",
            Kind::Check => "ck",
            Kind::Index => "ix",
        }
    }
}

/// A constraint or index being named.
pub(super) struct Subject<'a> {
    pub kind: Kind,
    pub table: &'a str,
    pub name: Option<&'a str>,
    /// Column names (a foreign key's local columns).
    pub columns: &'a [String],
    pub referred_table: Option<&'a str>,
    pub referred_columns: &'a [String],
}

/// The name SQLAlchemy gives the subject when it is attached to a table of
/// a MetaData with `convention` (`_constraint_name_for_table`): `None` when
/// the name stays as it is.
pub(super) fn convention_name(
    convention: &[(String, String)],
    subject: &Subject<'_>,
) -> Result<Option<String>, BatchError> {
    let Some((_, template)) = convention.iter().find(|(k, _)| k == subject.kind.key()) else {
        return Ok(None);
    };
    if subject.name.is_some() && !template.contains("constraint_name") {
        return Ok(None);
    }
    format(template, subject).map(Some)
}

/// `template % ConventionDict(...)`.
fn format(template: &str, subject: &Subject<'_>) -> Result<String, BatchError> {
    let mut out = String::new();
    let mut rest = template;
    while let Some(pos) = rest.find('%') {
        out.push_str(&rest[..pos]);
        let after = &rest[pos + 1..];
        if let Some(tail) = after.strip_prefix('%') {
            out.push('%');
            rest = tail;
        } else if let Some(spec) = after.strip_prefix('(') {
            let close = spec
                .find(')')
                .ok_or_else(|| value_error("incomplete format key"))?;
            let key = &spec[..close];
            let tail = spec[close + 1..]
                .strip_prefix('s')
                .ok_or_else(|| value_error("unsupported format character"))?;
            out.push_str(&token(key, subject)?);
            rest = tail;
        } else {
            return Err(value_error("unsupported format character"));
        }
    }
    out.push_str(rest);
    Ok(out)
}

fn value_error(message: &str) -> BatchError {
    BatchError::new(BatchErrorKind::Value, message)
}

fn key_error(key: &str) -> BatchError {
    BatchError::new(BatchErrorKind::Key, key)
}

/// `ConventionDict.__getitem__`.
fn token(key: &str, s: &Subject<'_>) -> Result<String, BatchError> {
    match key {
        "table_name" => return Ok(s.table.to_string()),
        "constraint_name" => {
            return s.name.map(str::to_string).ok_or_else(|| {
                BatchError::new(
                    BatchErrorKind::InvalidRequest,
                    "Naming convention including %(constraint_name)s token requires that \
                     constraint is explicitly named.",
                )
            })
        }
        "referred_table_name" => {
            return s
                .referred_table
                .map(str::to_string)
                .ok_or_else(|| BatchError::new(BatchErrorKind::Attribute, "referred_table_name"))
        }
        _ => {}
    }
    // `.*_?column_(\d+)(_?N)?_.+`: the last `column_<digits>` followed by `_`.
    let Some((prefix, index, multiples, suffix)) = column_token(key) else {
        return Err(key_error(key));
    };
    let referred = match prefix {
        "referred_" => true,
        "" => false,
        _ => return Err(key_error(key)),
    };
    let attr = match (referred, suffix) {
        (false, "name" | "key") => {
            |s: &Subject<'_>, i: usize| -> Option<String> { s.columns.get(i).cloned() }
        }
        (false, "label") => |s: &Subject<'_>, i: usize| -> Option<String> {
            s.columns.get(i).map(|c| format!("{}_{c}", s.table))
        },
        (true, "name") => {
            |s: &Subject<'_>, i: usize| -> Option<String> { s.referred_columns.get(i).cloned() }
        }
        _ => return Err(key_error(key)),
    };
    match multiples {
        Some(sep) => {
            let n = if s.kind == Kind::ForeignKey || !referred {
                s.columns.len()
            } else {
                s.referred_columns.len()
            };
            let parts: Vec<String> = (0..n).filter_map(|i| attr(s, i)).collect();
            Ok(parts.join(sep))
        }
        None if referred => attr(s, index)
            .ok_or_else(|| BatchError::new(BatchErrorKind::Index, "list index out of range")),
        None => Ok(attr(s, index).unwrap_or_default()),
    }
}

/// Splits `column_0_name`, `referred_column_0N_name`, `column_0_N_key` into
/// (prefix, index, separator if it is an N form, attribute).
fn column_token(key: &str) -> Option<(&str, usize, Option<&'static str>, &str)> {
    let at = key.rfind("column_")?;
    let prefix = &key[..at];
    let rest = &key[at + "column_".len()..];
    let digits = rest.chars().take_while(char::is_ascii_digit).count();
    if digits == 0 {
        return None;
    }
    let index: usize = rest[..digits].parse().ok()?;
    let rest = &rest[digits..];
    let (multiples, rest) = if let Some(r) = rest.strip_prefix("_N") {
        (Some("_"), r)
    } else if let Some(r) = rest.strip_prefix('N') {
        (Some(""), r)
    } else {
        (None, rest)
    };
    let suffix = rest.strip_prefix('_').filter(|s| !s.is_empty())?;
    Some((prefix, index, multiples, suffix))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn conv(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn names_as_sqlalchemy_does() {
        let c = conv(&[
            (
                "fk",
                "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            ),
            ("uq", "uq_%(table_name)s_%(column_0N_name)s"),
            ("ck", "ck_%(table_name)s_%(constraint_name)s"),
            ("ix", "ix_%(column_0_N_label)s"),
        ]);
        let cols = vec!["a".to_string(), "b".to_string()];
        let fk = Subject {
            kind: Kind::ForeignKey,
            table: "t",
            name: None,
            columns: &cols,
            referred_table: Some("p"),
            referred_columns: &[],
        };
        assert_eq!(
            convention_name(&c, &fk).unwrap().as_deref(),
            Some("fk_t_a_p")
        );
        let uq = Subject {
            kind: Kind::Unique,
            ..fk
        };
        assert_eq!(
            convention_name(&c, &uq).unwrap().as_deref(),
            Some("uq_t_ab")
        );
        let named = Subject {
            kind: Kind::Unique,
            name: Some("x"),
            ..uq
        };
        assert_eq!(convention_name(&c, &named).unwrap(), None);
        let ck = Subject {
            kind: Kind::Check,
            name: None,
            ..uq
        };
        assert_eq!(
            convention_name(&c, &ck).unwrap_err().kind,
            BatchErrorKind::InvalidRequest
        );
        let ix = Subject {
            kind: Kind::Index,
            ..uq
        };
        assert_eq!(
            convention_name(&c, &ix).unwrap().as_deref(),
            Some("ix_t_a_t_b")
        );
        let pk = Subject {
            kind: Kind::PrimaryKey,
            ..uq
        };
        assert_eq!(convention_name(&c, &pk).unwrap(), None);
    }
}
