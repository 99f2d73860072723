//! The first difference between two database dumps, worded for a person:
//! `table "users" column "email": alembic has VARCHAR(100) NOT NULL, retort
//! has VARCHAR(50) NOT NULL`.  Tables in name order; in each, columns, then
//! keys, indexes and constraints, then rows; then other objects.

use std::collections::{BTreeMap, BTreeSet};

use crate::db::{SchemaDump, TableDump};

/// The two sides' names in messages (`alembic`/`retort`, or
/// `before upgrade`/`after downgrade`).
#[derive(Debug, Clone, Copy)]
pub struct Sides<'a> {
    pub left: &'a str,
    pub right: &'a str,
}

impl Sides<'_> {
    fn say(&self, what: &str, left: Option<&str>, right: Option<&str>) -> String {
        format!(
            "{what}: {} has {}, {} has {}",
            self.left,
            left.unwrap_or("none"),
            self.right,
            right.unwrap_or("none")
        )
    }
}

/// `None` when the dumps are equal.
pub fn first_difference(sides: Sides, left: &SchemaDump, right: &SchemaDump) -> Option<String> {
    if left == right {
        return None;
    }
    let names: BTreeSet<&String> = left.tables.keys().chain(right.tables.keys()).collect();
    for name in names {
        let what = format!("table \"{name}\"");
        match (left.tables.get(name), right.tables.get(name)) {
            (Some(l), Some(r)) => {
                if let Some(d) = table_difference(sides, &what, l, r) {
                    return Some(d);
                }
            }
            (l, r) => {
                let present = |t: Option<&TableDump>| t.map(describe_table);
                return Some(sides.say(&what, present(l).as_deref(), present(r).as_deref()));
            }
        }
    }
    map_difference(sides, "", &left.objects, &right.objects)
}

fn describe_table(t: &TableDump) -> String {
    let columns: Vec<&str> = t.columns.iter().map(|c| c.name.as_str()).collect();
    format!(
        "the table ({}; {})",
        columns.join(", "),
        count_rows(t.rows.len())
    )
}

fn count_rows(n: usize) -> String {
    format!("{n} row{}", if n == 1 { "" } else { "s" })
}

fn table_difference(sides: Sides, what: &str, l: &TableDump, r: &TableDump) -> Option<String> {
    let columns = |t: &TableDump| -> BTreeMap<String, String> {
        t.columns
            .iter()
            .map(|c| (format!("column \"{}\"", c.name), c.definition.clone()))
            .collect()
    };
    if let Some(d) = map_difference(sides, &format!("{what} "), &columns(l), &columns(r)) {
        return Some(d);
    }
    let order = |t: &TableDump| t.columns.iter().map(|c| c.name.clone()).collect::<Vec<_>>();
    if order(l) != order(r) {
        return Some(sides.say(
            &format!("{what} column order"),
            Some(&order(l).join(", ")),
            Some(&order(r).join(", ")),
        ));
    }
    if let Some(d) = map_difference(sides, &format!("{what} "), &l.parts, &r.parts) {
        return Some(d);
    }
    if l.text != r.text {
        return Some(sides.say(
            &format!("{what} text"),
            l.text.as_deref(),
            r.text.as_deref(),
        ));
    }
    if l.rows != r.rows {
        let only = |a: &TableDump, b: &TableDump| {
            a.rows
                .iter()
                .find(|row| !b.rows.contains(row))
                .map(|row| render_row(row))
        };
        let detail = match (only(l, r), only(r, l)) {
            (Some(row), _) => format!("; {row} only in {}", sides.left),
            (None, Some(row)) => format!("; {row} only in {}", sides.right),
            (None, None) => " (the same rows, repeated differently)".to_string(),
        };
        return Some(format!(
            "{}{detail}",
            sides.say(
                &format!("{what} rows"),
                Some(&count_rows(l.rows.len())),
                Some(&count_rows(r.rows.len()))
            )
        ));
    }
    None
}

fn map_difference(
    sides: Sides,
    prefix: &str,
    l: &BTreeMap<String, String>,
    r: &BTreeMap<String, String>,
) -> Option<String> {
    let keys: BTreeSet<&String> = l.keys().chain(r.keys()).collect();
    keys.into_iter().find_map(|k| {
        let (a, b) = (l.get(k), r.get(k));
        (a != b).then(|| {
            sides.say(
                &format!("{prefix}{k}"),
                a.map(|s| s.as_str()),
                b.map(|s| s.as_str()),
            )
        })
    })
}

fn render_row(row: &[Option<String>]) -> String {
    let cells: Vec<&str> = row.iter().map(|v| v.as_deref().unwrap_or("NULL")).collect();
    format!("({})", cells.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::ColumnDump;

    const SIDES: Sides = Sides {
        left: "alembic",
        right: "retort",
    };

    fn table(columns: &[(&str, &str)], rows: &[&[&str]]) -> TableDump {
        TableDump {
            columns: columns
                .iter()
                .map(|(n, d)| ColumnDump {
                    name: n.to_string(),
                    definition: d.to_string(),
                })
                .collect(),
            parts: BTreeMap::new(),
            text: None,
            rows: rows
                .iter()
                .map(|r| r.iter().map(|v| Some(v.to_string())).collect())
                .collect(),
        }
    }

    fn dump(tables: Vec<(&str, TableDump)>) -> SchemaDump {
        SchemaDump {
            tables: tables
                .into_iter()
                .map(|(n, t)| (n.to_string(), t))
                .collect(),
            objects: BTreeMap::new(),
        }
    }

    #[test]
    fn names_the_column_and_both_definitions() {
        let a = dump(vec![(
            "users",
            table(&[("email", "VARCHAR(100) NOT NULL")], &[]),
        )]);
        let b = dump(vec![(
            "users",
            table(&[("email", "VARCHAR(50) NOT NULL")], &[]),
        )]);
        assert_eq!(
            first_difference(SIDES, &a, &b).as_deref(),
            Some("table \"users\" column \"email\": alembic has VARCHAR(100) NOT NULL, retort has VARCHAR(50) NOT NULL")
        );
        assert_eq!(first_difference(SIDES, &a, &a), None);
    }

    #[test]
    fn names_a_missing_table_and_an_extra_row() {
        let a = dump(vec![("t", table(&[("id", "INTEGER")], &[&["1"]]))]);
        let b = dump(vec![]);
        assert_eq!(
            first_difference(SIDES, &a, &b).as_deref(),
            Some("table \"t\": alembic has the table (id; 1 row), retort has none")
        );
        let c = dump(vec![("t", table(&[("id", "INTEGER")], &[&["1"], &["2"]]))]);
        assert_eq!(
            first_difference(SIDES, &a, &c).as_deref(),
            Some("table \"t\" rows: alembic has 1 row, retort has 2 rows; (2) only in retort")
        );
    }
}
