//! Around `CREATE TABLE`: table options (ENGINE=…, CHARSET=…, COMMENT=…,
//! partitioning) and `ALTER TABLE … COMMENT`.

use crate::ddl::ir::*;
use crate::ddl::render::R;

/// Orders option names the way SQLAlchemy's `topological.sort` does: in
/// rounds, each round taking (in the given order) every name whose
/// predecessors are all placed.
fn layered(items: Vec<String>, edges: &[(&str, &str)]) -> Vec<String> {
    let mut todo = items;
    let mut out = Vec::new();
    while !todo.is_empty() {
        let round: Vec<String> = todo
            .iter()
            .filter(|n| {
                !edges
                    .iter()
                    .any(|(parent, child)| child == n && todo.iter().any(|t| t == parent))
            })
            .cloned()
            .collect();
        if round.is_empty() {
            out.append(&mut todo);
            break;
        }
        todo.retain(|t| !round.contains(t));
        out.extend(round);
    }
    out
}

const PARTITION_OPTIONS: [&str; 4] = [
    "PARTITION_BY",
    "PARTITIONS",
    "SUBPARTITIONS",
    "SUBPARTITION_BY",
];

/// The keyword arguments' prefix: SQLAlchemy keys them on the dialect's name.
fn prefix(r: &R) -> &'static str {
    if r.o.mariadb_options {
        "mariadb_"
    } else {
        "mysql_"
    }
}

/// `MySQLDDLCompiler.post_create_table`: ENGINE=…, CHARSET=…, COMMENT='…'.
pub(super) fn post_create_table(r: &R, table: &Table) -> String {
    let prefix = prefix(r);
    let mut opts: Vec<(String, String)> = Vec::new();
    let mut set = |k: String, v: String| match opts.iter_mut().find(|(o, _)| *o == k) {
        Some(slot) => slot.1 = v,
        None => opts.push((k, v)),
    };
    for (k, v) in &table.kwargs {
        if let Some(rest) = k.strip_prefix(prefix) {
            let value = match v {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            set(rest.to_uppercase(), value);
        }
    }
    if let Some(c) = &table.comment {
        set("COMMENT".into(), c.clone());
    }
    let value_of = |k: &str| {
        opts.iter()
            .find(|(o, _)| o == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let (part, nonpart): (Vec<String>, Vec<String>) = opts
        .iter()
        .map(|(k, _)| k.clone())
        .partition(|k| PARTITION_OPTIONS.contains(&k.as_str()));
    let mut rendered = Vec::new();
    let charset_first = [
        ("DEFAULT_CHARSET", "COLLATE"),
        ("DEFAULT_CHARACTER_SET", "COLLATE"),
        ("CHARSET", "COLLATE"),
        ("CHARACTER_SET", "COLLATE"),
    ];
    for opt in layered(nonpart, &charset_first) {
        let mut arg = value_of(&opt);
        if matches!(opt.as_str(), "COMMENT" | "PASSWORD" | "CONNECTION") {
            arg = r.lit(&arg);
        }
        let name = if matches!(
            opt.as_str(),
            "DATA_DIRECTORY"
                | "INDEX_DIRECTORY"
                | "DEFAULT_CHARACTER_SET"
                | "CHARACTER_SET"
                | "DEFAULT_CHARSET"
                | "DEFAULT_COLLATE"
        ) {
            opt.replace('_', " ")
        } else {
            opt.clone()
        };
        let joiner = if matches!(
            name.as_str(),
            "TABLESPACE" | "DEFAULT CHARACTER SET" | "CHARACTER SET" | "COLLATE"
        ) {
            " "
        } else {
            "="
        };
        rendered.push(format!("{name}{joiner}{arg}"));
    }
    let partition_order = [
        ("PARTITION_BY", "PARTITIONS"),
        ("PARTITION_BY", "SUBPARTITION_BY"),
        ("PARTITION_BY", "SUBPARTITIONS"),
        ("PARTITIONS", "SUBPARTITIONS"),
        ("PARTITIONS", "SUBPARTITION_BY"),
        ("SUBPARTITION_BY", "SUBPARTITIONS"),
    ];
    for opt in layered(part, &partition_order) {
        let arg = value_of(&opt);
        rendered.push(format!("{} {arg}", opt.replace('_', " ")));
    }
    rendered.join(" ")
}

/// `ALTER TABLE … COMMENT` (an empty comment drops it).
pub(super) fn set_table_comment(r: &R, table: &TableRef, comment: Option<&str>) -> String {
    match comment {
        Some(c) => format!("ALTER TABLE {} COMMENT {}", r.table(table), r.lit(c)),
        None => format!("ALTER TABLE {} COMMENT ''", r.table(table)),
    }
}

#[cfg(test)]
mod tests {
    use super::layered;

    #[test]
    fn collate_follows_charset() {
        let v = |xs: &[&str]| xs.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let edges = [("CHARSET", "COLLATE")];
        assert_eq!(
            layered(v(&["ENGINE", "COLLATE", "CHARSET", "COMMENT"]), &edges),
            v(&["ENGINE", "CHARSET", "COMMENT", "COLLATE"])
        );
        assert_eq!(
            layered(v(&["COLLATE", "KEY_BLOCK_SIZE"]), &edges),
            v(&["COLLATE", "KEY_BLOCK_SIZE"])
        );
    }
}
