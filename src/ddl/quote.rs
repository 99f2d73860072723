//! Identifier quoting exactly as SQLAlchemy's `IdentifierPreparer` does it;
//! the quote character and the reserved words are the dialect's.  `db`
//! quotes its own statements (version table, history) with these too.

use super::dialect::{self, Dialect};
use crate::backend::{self, Backend};

/// Characters Python's `re.compile(r"^[A-Z0-9_$]+$", re.I)` accepts: besides
/// ASCII, `ı` and `ſ` (and the Kelvin sign) case-fold into `[A-Z]`.
fn legal_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '$' || matches!(c, 'ı' | 'ſ' | '\u{212A}')
}

/// `IdentifierPreparer._requires_quotes`: reserved word, illegal first
/// character (digit or `$`), a character outside `[A-Za-z0-9_$]`, or any
/// upper-case letter.  An empty name is quoted (SQLAlchemy would crash).
fn requires(name: &str, d: &dyn Dialect) -> bool {
    let lower = name.to_lowercase();
    let Some(first) = name.chars().next() else {
        return true;
    };
    d.reserved_words().binary_search(&lower.as_str()).is_ok()
        || first.is_ascii_digit()
        || first == '$'
        || !name.chars().all(legal_char)
        || lower != name
}

/// `IdentifierPreparer.quote`: the name quoted if it needs to be, with the
/// quote character doubled inside.
pub(super) fn quote(name: &str, d: &dyn Dialect) -> String {
    if requires(name, d) {
        force(name, d)
    } else {
        name.to_string()
    }
}

/// `IdentifierPreparer.quote_identifier`: always quoted.
fn force(name: &str, d: &dyn Dialect) -> String {
    let q = d.quote_char();
    let doubled: String = [q, q].iter().collect();
    format!("{q}{}{q}", name.replace(q, &doubled))
}

/// [`requires`] for `backend`.
pub fn requires_quotes(name: &str, backend: Backend) -> bool {
    requires(name, dialect::of(backend))
}

/// [`quote`] for `backend`.
pub fn quote_identifier(name: &str, backend: Backend) -> String {
    quote(name, dialect::of(backend))
}

/// [`force`] for `dialect` (the quote character does not depend on MariaDB).
pub fn force_quote(name: &str, dialect: backend::Dialect) -> String {
    force(name, dialect::of(dialect.into()))
}

/// The reserved words `backend` quotes, sorted, lower case.
pub fn reserved_words(backend: Backend) -> &'static [&'static str] {
    dialect::of(backend).reserved_words()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::Dialect;

    fn pg() -> Backend {
        Dialect::Postgresql.into()
    }

    #[test]
    fn plain_names_stay_bare() {
        assert_eq!(quote_identifier("alembic_version", pg()), "alembic_version");
        assert_eq!(quote_identifier("s$x", pg()), "s$x");
        assert_eq!(quote_identifier("a1", pg()), "a1");
    }

    #[test]
    fn names_needing_quotes() {
        assert_eq!(quote_identifier("MyVersions", pg()), "\"MyVersions\"");
        assert_eq!(quote_identifier("select", pg()), "\"select\"");
        assert_eq!(quote_identifier("1abc", pg()), "\"1abc\"");
        assert_eq!(quote_identifier("$a", pg()), "\"$a\"");
        assert_eq!(quote_identifier("a b", pg()), "\"a b\"");
        assert_eq!(quote_identifier("a\"b", pg()), "\"a\"\"b\"");
        assert_eq!(quote_identifier("a`b", Dialect::Mysql.into()), "`a``b`");
        assert_eq!(quote_identifier("", pg()), "\"\"");
    }

    #[test]
    fn reserved_words_differ_per_dialect() {
        // "analyse" is reserved only in PostgreSQL.
        assert!(requires_quotes("analyse", pg()));
        assert!(!requires_quotes("analyse", Dialect::Sqlite.into()));
        // The lists are sorted: binary search relies on it.
        for backend in [
            pg(),
            Dialect::Mysql.into(),
            Backend::new(Dialect::Mysql, true),
            Dialect::Sqlite.into(),
        ] {
            let list = reserved_words(backend);
            assert!(list.windows(2).all(|w| w[0] < w[1]));
        }
    }
}
