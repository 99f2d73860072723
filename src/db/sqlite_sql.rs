//! What SQLAlchemy's SQLite inspector reads out of the `CREATE TABLE` text in
//! `sqlite_master`: constraint names, foreign key options, unique and check
//! constraints, partial-index predicates, table options.
//!
//! SQLAlchemy does it with regular expressions (`dialects/sqlite/base.py`:
//! `FK_PATTERN`, `UNIQUE_PATTERN`, `INLINE_UNIQUE_PATTERN`, the CHECK
//! pattern, …).  Each function here is a hand-written matcher for one of
//! them, with the same reach: what they find, these find, and what they
//! miss (an inline `UNIQUE` after `VARCHAR(10)`, `ON DELETE` of a column's
//! own `REFERENCES`) these miss too, so names survive a batch rebuild
//! exactly as they do under Alembic.  Matching works on `char`s: Python's
//! `\s` and `\w` are Unicode-aware.

use crate::ddl::{ParsedCheck, TableOptions};

/// A cursor over the statement text.
struct Text {
    c: Vec<char>,
}

impl Text {
    fn new(s: &str) -> Text {
        Text {
            c: s.chars().collect(),
        }
    }

    fn len(&self) -> usize {
        self.c.len()
    }

    fn at(&self, i: usize) -> Option<char> {
        self.c.get(i).copied()
    }

    fn slice(&self, from: usize, to: usize) -> String {
        self.c[from..to].iter().collect()
    }

    /// `\s*`
    fn ws0(&self, mut i: usize) -> usize {
        while self.at(i).is_some_and(char::is_whitespace) {
            i += 1;
        }
        i
    }

    /// `\s+`
    fn ws1(&self, i: usize) -> Option<usize> {
        let j = self.ws0(i);
        (j > i).then_some(j)
    }

    /// `[\t ]+`
    fn blanks1(&self, mut i: usize) -> Option<usize> {
        let start = i;
        while matches!(self.at(i), Some(' ' | '\t')) {
            i += 1;
        }
        (i > start).then_some(i)
    }

    /// A literal, ASCII case-insensitively (the patterns are all `re.I`).
    fn kw(&self, i: usize, word: &str) -> Option<usize> {
        let mut j = i;
        for w in word.chars() {
            match self.at(j) {
                Some(c) if c.eq_ignore_ascii_case(&w) => j += 1,
                _ => return None,
            }
        }
        Some(j)
    }

    /// Words separated by `\s+`, e.g. `NO\s+ACTION`.
    fn phrase(&self, i: usize, words: &[&str]) -> Option<usize> {
        let mut j = i;
        for (n, w) in words.iter().enumerate() {
            if n > 0 {
                j = self.ws1(j)?;
            }
            j = self.kw(j, w)?;
        }
        Some(j)
    }

    fn one(&self, i: usize, ch: char) -> Option<usize> {
        (self.at(i) == Some(ch)).then_some(i + 1)
    }

    /// `\w+` (Python's Unicode `\w`).
    fn word(&self, i: usize) -> Option<usize> {
        self.run(i, |c| c.is_alphanumeric() || c == '_')
    }

    /// `[a-z0-9_]+` under `re.I`.
    fn ascii_word(&self, i: usize) -> Option<usize> {
        self.run(i, |c| c.is_ascii_alphanumeric() || c == '_')
    }

    fn run(&self, mut i: usize, f: impl Fn(char) -> bool) -> Option<usize> {
        let start = i;
        while self.at(i).is_some_and(&f) {
            i += 1;
        }
        (i > start).then_some(i)
    }

    /// The ends of `"(.+?)"` from `i` in the order a lazy match tries them:
    /// each closing quote with at least one character (no newline) before it.
    fn lazy_quoted(&self, i: usize) -> Vec<(String, usize)> {
        let mut out = Vec::new();
        if self.at(i) != Some('"') {
            return out;
        }
        let mut j = i + 1;
        while let Some(c) = self.at(j) {
            if c == '\n' {
                break;
            }
            if c == '"' && j > i + 1 {
                out.push((self.slice(i + 1, j), j + 1));
            }
            j += 1;
        }
        out
    }

    /// `(.+?)` followed by whatever `rest` accepts: the first (shortest)
    /// group for which `rest` matches, with `rest`'s answer.
    fn lazy_any<T>(&self, i: usize, rest: impl Fn(usize) -> Option<T>) -> Option<(String, T)> {
        let mut j = i + 1;
        while j <= self.len() {
            if self.at(j - 1) == Some('\n') {
                return None;
            }
            if let Some(t) = rest(j) {
                return Some((self.slice(i, j), t));
            }
            j += 1;
        }
        None
    }

    /// `CONSTRAINT\s+(?:"(.+?)"|(\w+))\s+` at `i`: each way it can match,
    /// lazy quoted names first.
    fn constraint_prefix(&self, i: usize) -> Vec<(String, usize)> {
        let Some(j) = self.kw(i, "CONSTRAINT").and_then(|j| self.ws1(j)) else {
            return Vec::new();
        };
        let mut out: Vec<(String, usize)> = self
            .lazy_quoted(j)
            .into_iter()
            .filter_map(|(name, k)| self.ws1(k).map(|k| (name, k)))
            .collect();
        if let Some(k) = self.word(j) {
            if let Some(k2) = self.ws1(k) {
                out.push((self.slice(j, k), k2));
            }
        }
        out
    }
}

/// `_find_cols_in_sig`: the names in a column list, quoted or not.
pub fn columns_in_signature(sig: &str) -> Vec<String> {
    let t = Text::new(sig);
    let mut out = Vec::new();
    let mut i = 0;
    while i < t.len() {
        if let Some((name, end)) = t.lazy_quoted(i).into_iter().next() {
            out.push(name);
            i = end;
        } else if let Some(end) = t.ascii_word(i) {
            out.push(t.slice(i, end));
            i = end;
        } else {
            i += 1;
        }
    }
    out
}

/// The name of a `CONSTRAINT x PRIMARY KEY` clause, if there is one.
pub fn primary_key_name(table_sql: &str) -> Option<String> {
    let t = Text::new(table_sql);
    (0..t.len()).find_map(|i| {
        t.constraint_prefix(i)
            .into_iter()
            .find_map(|(name, j)| t.phrase(j, &["PRIMARY", "KEY"]).map(|_| name))
    })
}

/// A `FOREIGN KEY` clause as `FK_PATTERN` reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedForeignKey {
    pub name: Option<String>,
    pub columns: Vec<String>,
    pub referred_table: String,
    pub referred_columns: Vec<String>,
    pub ondelete: Option<String>,
    pub onupdate: Option<String>,
    pub deferrable: Option<bool>,
    pub initially: Option<String>,
}

/// Every `[CONSTRAINT name] FOREIGN KEY (...) REFERENCES t (...) ...` clause.
pub fn foreign_keys(table_sql: &str) -> Vec<ParsedForeignKey> {
    let t = Text::new(table_sql);
    let mut out = Vec::new();
    let mut i = 0;
    while i < t.len() {
        let with_name = t
            .constraint_prefix(i)
            .into_iter()
            .find_map(|(name, j)| fk_body(&t, j).map(|(fk, end)| (Some(name), fk, end)));
        let found = with_name.or_else(|| fk_body(&t, i).map(|(fk, end)| (None, fk, end)));
        match found {
            Some((name, mut fk, end)) => {
                fk.name = name;
                out.push(fk);
                i = end.max(i + 1);
            }
            None => i += 1,
        }
    }
    out
}

/// `FOREIGN KEY … [INITIALLY …]` at `i`.
fn fk_body(t: &Text, i: usize) -> Option<(ParsedForeignKey, usize)> {
    let j = t.phrase(i, &["FOREIGN", "KEY"])?;
    let j = t.one(t.ws0(j), '(')?;
    let j = t.ws0(j);
    // (.+?)\s*\)\s+ then the REFERENCES part must match.
    let (cols, (referred, refcols, end)) = t.lazy_any(j, |k| {
        let k = t.one(t.ws0(k), ')')?;
        let k = t.ws1(k)?;
        references(t, k)
    })?;
    let mut k = t.ws0(end);
    // ((?:ON\s+(?:DELETE|UPDATE)\s+<action>\s*)*)
    let on_start = k;
    while let Some(next) = on_clause(t, k) {
        k = t.ws0(next);
    }
    let on_text = t.slice(on_start, k);
    let mut fk = ParsedForeignKey {
        name: None,
        columns: columns_in_signature(&cols),
        referred_table: referred,
        referred_columns: columns_in_signature(&refcols),
        ondelete: None,
        onupdate: None,
        deferrable: None,
        initially: None,
    };
    // A newline may separate the words: normalise to single spaces.
    let normalised = on_text
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_uppercase();
    for token in split_on_keyword(&normalised) {
        if let Some(action) = token.strip_prefix("DELETE") {
            let action = action.trim();
            if !action.is_empty() && action != "NO ACTION" {
                fk.ondelete = Some(action.to_string());
            }
        } else if let Some(action) = token.strip_prefix("UPDATE") {
            let action = action.trim();
            if !action.is_empty() && action != "NO ACTION" {
                fk.onupdate = Some(action.to_string());
            }
        }
    }
    // ((?:NOT\s+)?DEFERRABLE)?
    let not_deferrable = t.phrase(k, &["NOT", "DEFERRABLE"]);
    if let Some(after) = not_deferrable {
        fk.deferrable = Some(false);
        k = after;
    } else if let Some(after) = t.kw(k, "DEFERRABLE") {
        fk.deferrable = Some(true);
        k = after;
    }
    // (?:\s+INITIALLY\s+(DEFERRED|IMMEDIATE))?
    if let Some(after) = t
        .ws1(k)
        .and_then(|j| t.kw(j, "INITIALLY"))
        .and_then(|j| t.ws1(j))
    {
        for mode in ["DEFERRED", "IMMEDIATE"] {
            if let Some(end) = t.kw(after, mode) {
                fk.initially = Some(mode.to_string());
                k = end;
                break;
            }
        }
    }
    Some((fk, k))
}

/// `re.split(r" *\bON\b *", text)` on the normalised ON clauses.
fn split_on_keyword(text: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    for word in text.split(' ') {
        if word == "ON" {
            out.push(String::new());
        } else if let Some(last) = out.last_mut() {
            if !last.is_empty() {
                last.push(' ');
            }
            last.push_str(word);
        }
    }
    out
}

/// `ON\s+(?:DELETE|UPDATE)\s+(?:SET\s+NULL|SET\s+DEFAULT|CASCADE|RESTRICT|NO\s+ACTION)`
fn on_clause(t: &Text, i: usize) -> Option<usize> {
    let j = t.ws1(t.kw(i, "ON")?)?;
    let j = t.kw(j, "DELETE").or_else(|| t.kw(j, "UPDATE"))?;
    let j = t.ws1(j)?;
    [
        &["SET", "NULL"][..],
        &["SET", "DEFAULT"],
        &["CASCADE"],
        &["RESTRICT"],
        &["NO", "ACTION"],
    ]
    .iter()
    .find_map(|words| t.phrase(j, words))
}

/// `REFERENCES\s+(?:"(.+?)"|([a-z0-9_]+))\s*\(\s*(<column list>)\)`: the
/// table, the column list text and the end.
fn references(t: &Text, i: usize) -> Option<(String, String, usize)> {
    let j = t.ws1(t.kw(i, "REFERENCES")?)?;
    let mut names: Vec<(String, usize)> = t.lazy_quoted(j);
    if let Some(end) = t.ascii_word(j) {
        names.push((t.slice(j, end), end));
    }
    names.into_iter().find_map(|(name, k)| {
        let k = t.one(t.ws0(k), '(')?;
        let k = t.ws0(k);
        let list_end = column_list(t, k)?;
        let close = t.one(list_end, ')')?;
        Some((name, t.slice(k, list_end), close))
    })
}

/// `(?:"[^"]+"|[a-z0-9_]+)(?:(?:\s*,\s*|\s+)(?:"[^"]+"|[a-z0-9_]+))*\s*`
fn column_list(t: &Text, i: usize) -> Option<usize> {
    let item = |k: usize| -> Option<usize> {
        if t.at(k) == Some('"') {
            let mut j = k + 1;
            while t.at(j).is_some_and(|c| c != '"') {
                j += 1;
            }
            (j > k + 1 && t.at(j) == Some('"')).then_some(j + 1)
        } else {
            t.ascii_word(k)
        }
    };
    let mut k = item(i)?;
    loop {
        let sep = {
            let a = t.ws0(k);
            if t.at(a) == Some(',') {
                Some(t.ws0(a + 1))
            } else {
                t.ws1(k)
            }
        };
        match sep.and_then(item) {
            Some(next) => k = next,
            None => break,
        }
    }
    Some(t.ws0(k))
}

/// A `UNIQUE` constraint as `get_unique_constraints` parses it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedUnique {
    pub name: Option<String>,
    pub columns: Vec<String>,
}

/// Table-level `[CONSTRAINT name] UNIQUE (...)` clauses, then columns declared
/// `<name> <type words> UNIQUE` (SQLAlchemy's two patterns, in that order).
pub fn unique_constraints(table_sql: &str) -> Vec<ParsedUnique> {
    let t = Text::new(table_sql);
    let mut out = Vec::new();
    let unique_at = |j: usize| -> Option<(String, usize)> {
        let k = t.kw(j, "UNIQUE")?;
        let k = t.one(t.ws0(k), '(')?;
        t.lazy_any(k, |e| t.one(e, ')'))
    };
    let mut i = 0;
    while i < t.len() {
        let named = t
            .constraint_prefix(i)
            .into_iter()
            .find_map(|(name, j)| unique_at(j).map(|(cols, end)| (Some(name), cols, end)));
        match named.or_else(|| unique_at(i).map(|(cols, end)| (None, cols, end))) {
            Some((name, cols, end)) => {
                out.push(ParsedUnique {
                    name,
                    columns: columns_in_signature(&cols),
                });
                i = end;
            }
            None => i += 1,
        }
    }
    let mut i = 0;
    while i < t.len() {
        match inline_unique(&t, i) {
            Some((col, end)) => {
                out.push(ParsedUnique {
                    name: None,
                    columns: columns_in_signature(&col),
                });
                i = end;
            }
            None => i += 1,
        }
    }
    out
}

/// `(?:(".+?")|[\[`]?([a-z0-9_]+)[\]`]?)[\t ]+[a-z0-9_]+(?:[\t ]+[a-z0-9_]+)*?[\t ]+UNIQUE`
fn inline_unique(t: &Text, i: usize) -> Option<(String, usize)> {
    let tail = |k: usize| -> Option<usize> {
        let mut k = t.ascii_word(t.blanks1(k)?)?;
        loop {
            if let Some(end) = t.blanks1(k).and_then(|j| t.kw(j, "UNIQUE")) {
                return Some(end);
            }
            k = t.ascii_word(t.blanks1(k)?)?;
        }
    };
    // The quoted alternative keeps its quotes (the group includes them).
    for (name, k) in t.lazy_quoted(i) {
        if let Some(end) = tail(k) {
            return Some((format!("\"{name}\""), end));
        }
    }
    let mut k = i;
    if matches!(t.at(k), Some('[' | '`')) {
        k += 1;
    }
    let word_end = t.ascii_word(k)?;
    let mut after = word_end;
    if matches!(t.at(after), Some(']' | '`')) {
        after += 1;
    }
    tail(after).map(|end| (t.slice(k, word_end), end))
}

/// Every `[CONSTRAINT name] CHECK (...)`, sorted by name with unnamed ones
/// last, as SQLAlchemy returns them.
pub fn check_constraints(table_sql: &str) -> Vec<ParsedCheck> {
    let t = Text::new(table_sql);
    let mut out = Vec::new();
    let mut i = 0;
    while i < t.len() {
        let boundary = i == 0
            || !t
                .at(i - 1)
                .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
        let found = if boundary {
            check_name_prefix(&t, i)
                .and_then(|(name, j)| check_open(&t, j).map(|open| (Some(name), open)))
                .or_else(|| check_open(&t, i).map(|open| (None, open)))
        } else {
            None
        };
        match found {
            Some((name, open)) => {
                if let Some(close) = matching_paren(&t.c, open) {
                    out.push(ParsedCheck {
                        name: name.map(|n| unquote_check_name(&n)),
                        sqltext: t.slice(open + 1, close).trim().to_string(),
                    });
                }
                // finditer goes on right after the opening parenthesis.
                i = open + 1;
            }
            None => i += 1,
        }
    }
    out.sort_by(|a, b| {
        let key = |c: &ParsedCheck| c.name.clone().unwrap_or_else(|| "~".into());
        key(a).cmp(&key(b))
    });
    out
}

/// `CHECK\s*\(`: the position of the parenthesis.
fn check_open(t: &Text, i: usize) -> Option<usize> {
    let j = t.ws0(t.kw(i, "CHECK")?);
    (t.at(j) == Some('(')).then_some(j)
}

/// `CONSTRAINT\s+(<name in one of SQLite's quote styles>|\S+)\s+`
fn check_name_prefix(t: &Text, i: usize) -> Option<(String, usize)> {
    let j = t.ws1(t.kw(i, "CONSTRAINT")?)?;
    let quoted = |open: char, close: char| -> Option<usize> {
        if t.at(j) != Some(open) {
            return None;
        }
        let mut k = j + 1;
        let mut n = 0;
        loop {
            match t.at(k) {
                Some(c) if c == close && t.at(k + 1) == Some(close) => {
                    k += 2;
                    n += 1;
                }
                Some(c) if c == close => break,
                Some(_) => {
                    k += 1;
                    n += 1;
                }
                None => return None,
            }
        }
        (n > 0).then_some(k + 1)
    };
    let end = quoted('"', '"')
        .or_else(|| quoted('\'', '\''))
        .or_else(|| quoted('[', ']'))
        .or_else(|| quoted('`', '`'))
        .or_else(|| t.run(j, |c| !c.is_whitespace()))?;
    let after = t.ws1(end)?;
    Some((t.slice(j, end), after))
}

/// `^(["'`])(.+)\1$|^\[(.+)\]$` → the inner text.
fn unquote_check_name(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    if chars.len() >= 3 {
        let (first, last) = (chars[0], chars[chars.len() - 1]);
        if (matches!(first, '"' | '\'' | '`') && first == last) || (first == '[' && last == ']') {
            return chars[1..chars.len() - 1].iter().collect();
        }
    }
    name.to_string()
}

/// SQLAlchemy's `find_matching_paren`: the `)` closing the `(` at `open`,
/// skipping `'…'` and `"…"` literals (with doubled quotes inside).
fn matching_paren(c: &[char], open: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    let mut i = open;
    while i < c.len() {
        let ch = c[i];
        if let Some(q) = quote {
            if ch == q {
                if c.get(i + 1) == Some(&q) {
                    i += 2;
                    continue;
                }
                quote = None;
            }
        } else if ch == '\'' || ch == '"' {
            quote = Some(ch);
        } else if ch == '(' {
            depth += 1;
        } else if ch == ')' {
            depth -= 1;
            if depth == 0 {
                return Some(i);
            }
        }
        i += 1;
    }
    None
}

/// The predicate of a partial index: `\)\s+where\s+(.+)` in its SQL.
pub fn partial_index_predicate(index_sql: &str) -> Option<String> {
    let t = Text::new(index_sql);
    (0..t.len()).find_map(|i| {
        let j = t.one(i, ')')?;
        let j = t.ws1(t.kw(t.ws1(j)?, "where")?)?;
        let mut end = j;
        while t.at(end).is_some_and(|c| c != '\n') {
            end += 1;
        }
        (end > j).then(|| t.slice(j, end))
    })
}

pub fn table_options(table_sql: &str) -> TableOptions {
    let t = Text::new(table_sql.trim());
    for i in 0..t.len() {
        if t.at(i) != Some(')') {
            continue;
        }
        let mut opts = TableOptions::default();
        let mut k = i + 1;
        loop {
            let mut j = t.ws0(k);
            if t.at(j) == Some(',') {
                j = t.ws0(j + 1);
            }
            if let Some(end) = t.phrase(j, &["WITHOUT", "ROWID"]) {
                opts.without_rowid = true;
                k = end;
            } else if let Some(end) = t.kw(j, "STRICT") {
                opts.strict = true;
                k = end;
            } else {
                break;
            }
        }
        if t.ws0(k) == t.len() {
            return opts;
        }
    }
    TableOptions::default()
}

/// The `GENERATED ALWAYS AS (…)` text of a computed column.
pub fn computed_sqltext(table_sql: &str, column: &str) -> String {
    let t = Text::new(table_sql);
    let name: Vec<char> = column.chars().collect();
    for i in 0..t.len() {
        if t.c.get(i..i + name.len()) != Some(&name[..]) {
            continue;
        }
        let mut j = i + name.len();
        while t.at(j).is_some_and(|c| c != ',') {
            if let Some(k) = t
                .ws1(j)
                .and_then(|k| t.phrase(k, &["GENERATED", "ALWAYS", "AS"]))
                .and_then(|k| t.ws1(k))
            {
                if t.at(k) == Some('(') {
                    if let Some(close) = matching_paren(&t.c, k) {
                        return t.slice(k + 1, close);
                    }
                }
            }
            j += 1;
        }
    }
    String::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signature_columns() {
        assert_eq!(columns_in_signature("a, \"B c\",d"), ["a", "B c", "d"]);
    }

    #[test]
    fn primary_key_names() {
        assert_eq!(
            primary_key_name("CREATE TABLE t (id INT, CONSTRAINT pk_t PRIMARY KEY (id))"),
            Some("pk_t".into())
        );
        assert_eq!(
            primary_key_name("CREATE TABLE t (id INT, CONSTRAINT \"my pk\"  PRIMARY\nKEY (id))"),
            Some("my pk".into())
        );
        assert_eq!(
            primary_key_name("CREATE TABLE t (id INT PRIMARY KEY)"),
            None
        );
    }

    #[test]
    fn foreign_key_clauses() {
        let sql = "CREATE TABLE t (id INTEGER PRIMARY KEY, n INT REFERENCES nope(id) ON DELETE CASCADE, \
                   m INT, CONSTRAINT fkq FOREIGN KEY (m) REFERENCES \"t\" (id) ON UPDATE CASCADE \
                   DEFERRABLE INITIALLY DEFERRED, FOREIGN KEY(a, \"b\") REFERENCES p (x, y) ON DELETE \
                   SET NULL ON UPDATE NO ACTION)";
        let fks = foreign_keys(sql);
        assert_eq!(fks.len(), 2);
        assert_eq!(fks[0].name.as_deref(), Some("fkq"));
        assert_eq!(fks[0].columns, ["m"]);
        assert_eq!(fks[0].referred_table, "t");
        assert_eq!(fks[0].onupdate.as_deref(), Some("CASCADE"));
        assert_eq!(fks[0].deferrable, Some(true));
        assert_eq!(fks[0].initially.as_deref(), Some("DEFERRED"));
        assert_eq!(fks[1].name, None);
        assert_eq!(fks[1].columns, ["a", "b"]);
        assert_eq!(fks[1].referred_columns, ["x", "y"]);
        assert_eq!(fks[1].ondelete.as_deref(), Some("SET NULL"));
        assert_eq!(fks[1].onupdate, None);
    }

    #[test]
    fn unique_clauses() {
        let sql = "CREATE TABLE t (id INT, x VARCHAR(10) UNIQUE, y TEXT UNIQUE, \
                   CONSTRAINT uq_a UNIQUE (a, b), UNIQUE (c))";
        let got = unique_constraints(sql);
        let names: Vec<(Option<&str>, Vec<String>)> = got
            .iter()
            .map(|u| (u.name.as_deref(), u.columns.clone()))
            .collect();
        assert_eq!(
            names,
            [
                (Some("uq_a"), vec!["a".to_string(), "b".to_string()]),
                (None, vec!["c".to_string()]),
                (None, vec!["y".to_string()]),
                // SQLAlchemy's inline pattern reads this one too; it matches
                // no automatic index, so it is dropped later.
                (None, vec!["CONSTRAINT".to_string()]),
            ]
        );
    }

    #[test]
    fn check_clauses() {
        let sql = "CREATE TABLE t (a INT, CONSTRAINT \"ck two\" CHECK (a IN ('(', ')')), \
                   CHECK(a > 0), CONSTRAINT ck1 CHECK (a < (10)), tableCHECK INT)";
        let got = check_constraints(sql);
        assert_eq!(
            got,
            [
                ParsedCheck {
                    name: Some("ck two".into()),
                    sqltext: "a IN ('(', ')')".into()
                },
                ParsedCheck {
                    name: Some("ck1".into()),
                    sqltext: "a < (10)".into()
                },
                ParsedCheck {
                    name: None,
                    sqltext: "a > 0".into()
                },
            ]
        );
    }

    #[test]
    fn options_and_predicates() {
        assert_eq!(
            table_options("CREATE TABLE t (a INT) WITHOUT ROWID, STRICT"),
            TableOptions {
                without_rowid: true,
                strict: true
            }
        );
        assert_eq!(
            table_options("CREATE TABLE t (a INT)"),
            TableOptions::default()
        );
        assert_eq!(
            partial_index_predicate("CREATE INDEX i ON t (a) WHERE a > 1"),
            Some("a > 1".into())
        );
        assert_eq!(
            computed_sqltext(
                "CREATE TABLE t (a INT, b INT GENERATED ALWAYS AS (a + 1) STORED)",
                "b"
            ),
            "a + 1"
        );
    }
}
