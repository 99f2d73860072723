//! Alembic's `ApplyBatchImpl`: the table being rebuilt, the batch's
//! operations applied to it, and the move-and-copy statements.
//!
//! Columns keep the key they had in the existing table (a renamed column is
//! still found by its old name, as Alembic keeps `Column.key`);
//! constraints and indexes name columns by key and are rendered with the
//! columns' current names.  Each column remembers where its rows come
//! from (`column_transfers`), with a CAST when its type's affinity changes.

use super::batch::{BatchError, BatchErrorKind, BatchPlan, Entry};
use super::ir::*;
use super::render::R;
use super::sqlite_reflected::{ir_affinity, null_type_error};

/// One column of the new table.
struct BatchColumn {
    key: String,
    column: Column,
    /// The SELECT expression its rows come from; `None` for a new column.
    transfer: Option<Transfer>,
    /// The type's affinity class (`None` when not known: no CAST then).
    affinity: Option<String>,
    /// CHECKs the column's type creates with the new table; an altered
    /// type creates none (Alembic turns the old type's events off and does
    /// not set the new type's).
    type_checks: Vec<TypeCheck>,
    /// `index=` / `unique=` of an added column (existing columns are copied
    /// without them).
    index: bool,
    unique: bool,
}

/// `table.column`, under CASTs to the types it was altered to.
#[derive(Clone)]
struct Transfer {
    source: String,
    casts: Vec<String>,
}

/// A constraint of the new table.
#[derive(Clone)]
struct BatchConstraint {
    constraint: Constraint,
    /// The column key a type-bound CHECK's template is written for.
    type_column: Option<String>,
    /// The existing table's primary key (a dropped column leaves it).
    original_pk: bool,
}

impl BatchConstraint {
    /// `_columns_for_constraint`: the keys it needs in the new table.
    fn column_keys(&self) -> Vec<String> {
        match (&self.type_column, self.constraint.kind) {
            (Some(k), _) => vec![k.clone()],
            (None, ConstraintKind::Check) => Vec::new(),
            _ => self.constraint.columns.clone(),
        }
    }

    fn is_pk(&self) -> bool {
        self.constraint.kind == ConstraintKind::PrimaryKey
    }
}

/// An insertion-ordered map, as the Python dicts Alembic keeps.
struct Ordered<T> {
    items: Vec<(String, T)>,
}

impl<T> Ordered<T> {
    fn new() -> Self {
        Ordered { items: Vec::new() }
    }

    /// `d[key] = value`: a present key keeps its place.
    fn insert(&mut self, key: String, value: T) {
        match self.items.iter_mut().find(|(k, _)| *k == key) {
            Some(slot) => slot.1 = value,
            None => self.items.push((key, value)),
        }
    }

    fn remove(&mut self, key: &str) -> Option<T> {
        let pos = self.items.iter().position(|(k, _)| k == key)?;
        Some(self.items.remove(pos).1)
    }

    fn values(&self) -> impl Iterator<Item = &T> {
        self.items.iter().map(|(_, v)| v)
    }
}

/// A `KeyError`: the message is the key, as Python's is.
fn key_error(key: &str) -> BatchError {
    BatchError::new(BatchErrorKind::Key, key)
}

fn value_error(message: impl Into<String>) -> BatchError {
    BatchError::new(BatchErrorKind::Value, message)
}

/// Alembic's `_calc_temp_name`.
fn temp_name(table: &str) -> String {
    format!("_alembic_tmp_{table}").chars().take(50).collect()
}

pub(super) struct ApplyBatch<'r> {
    r: &'r R,
    table: TableRef,
    temp: String,
    columns: Vec<BatchColumn>,
    existing_ordering: Vec<String>,
    add_col_ordering: Vec<(String, String)>,
    partial_reordering: Vec<Vec<String>>,
    named: Ordered<BatchConstraint>,
    unnamed: Vec<BatchConstraint>,
    /// Named column-level constraints (only of a `copy_from` table): name →
    /// column key.
    col_named: Ordered<String>,
    indexes: Ordered<Index>,
    new_indexes: Ordered<Index>,
    table_args: Vec<Constraint>,
    table_kwargs: Vec<(String, serde_json::Value)>,
}

impl<'r> ApplyBatch<'r> {
    /// `ApplyBatchImpl.__init__` and `_grab_table_elements`.
    pub fn new(r: &'r R, table: Table, batch: &Batch, reflected: bool) -> ApplyBatch<'r> {
        let tref = TableRef {
            name: table.name.clone(),
            schema: table.schema.clone(),
        };
        let columns: Vec<BatchColumn> = table
            .columns
            .iter()
            .map(|c| BatchColumn {
                key: c.name.clone(),
                column: c.clone(),
                transfer: Some(Transfer {
                    source: c.name.clone(),
                    casts: Vec::new(),
                }),
                affinity: c.type_affinity.clone(),
                type_checks: c.type_checks.clone(),
                index: false,
                unique: false,
            })
            .collect();
        let mut named = Ordered::new();
        let mut unnamed = Vec::new();
        let existing = table
            .primary_key
            .iter()
            .map(|pk| (pk, true))
            .chain(table.constraints.iter().map(|c| (c, false)));
        for (c, original_pk) in existing {
            // Type-bound constraints come back with their column's type;
            // unnamed reflected CHECKs cannot be told from those, so Alembic
            // leaves them out.
            if c.implicit || (reflected && c.kind == ConstraintKind::Check && c.name.is_none()) {
                continue;
            }
            let bc = BatchConstraint {
                constraint: c.clone(),
                type_column: None,
                original_pk,
            };
            match &c.name {
                Some(n) => named.insert(n.clone(), bc),
                None => unnamed.push(bc),
            }
        }
        let mut col_named = Ordered::new();
        if !reflected {
            for col in &table.columns {
                for c in &col.constraints {
                    if let Some(n) = &c.name {
                        col_named.insert(n.clone(), col.name.clone());
                    }
                }
            }
        }
        let mut indexes = Ordered::new();
        for idx in &table.indexes {
            indexes.insert(idx.name.clone().unwrap_or_default(), idx.clone());
        }
        let mut table_kwargs = batch.table_kwargs.clone();
        for (k, v) in &table.kwargs {
            if !table_kwargs.iter().any(|(name, _)| name == k) {
                table_kwargs.push((k.clone(), v.clone()));
            }
        }
        ApplyBatch {
            r,
            temp: temp_name(&tref.name),
            table: tref,
            existing_ordering: columns.iter().map(|c| c.key.clone()).collect(),
            columns,
            add_col_ordering: Vec::new(),
            partial_reordering: batch.partial_reordering.clone(),
            named,
            unnamed,
            col_named,
            indexes,
            new_indexes: Ordered::new(),
            table_args: batch.table_args.clone(),
            table_kwargs,
        }
    }

    fn column_mut(&mut self, key: &str) -> Result<&mut BatchColumn, BatchError> {
        self.columns
            .iter_mut()
            .find(|c| c.key == key)
            .ok_or_else(|| key_error(key))
    }

    pub fn apply(&mut self, entry: &Entry<'_>) -> Result<(), BatchError> {
        match entry {
            Entry::AddColumn { add, extras } => self.add_column(&add.column, extras),
            Entry::AlterColumn { alter, extras } => self.alter_column(alter, extras),
            Entry::DropColumn { column, extras } => {
                self.drop_column(column, extras.existing_type_name.as_deref())
            }
            Entry::AddConstraint {
                constraint,
                type_column,
            } => self.add_constraint(constraint, *type_column),
            Entry::DropConstraint { name, type_bound } => self.drop_constraint(*name, *type_bound),
            Entry::CreateIndex(idx) => {
                self.new_indexes
                    .insert(idx.name.clone().unwrap_or_default(), (*idx).clone());
                Ok(())
            }
            Entry::DropIndex(name) => {
                let name = name.unwrap_or_default();
                match self.indexes.remove(name) {
                    Some(_) => Ok(()),
                    None => Err(value_error(format!("No such index: '{name}'"))),
                }
            }
            Entry::Comment => Ok(()),
        }
    }

    fn alter_column(&mut self, a: &AlterColumn, extras: &BatchExtras) -> Result<(), BatchError> {
        let key = a.column.clone();
        let renamed_type = extras.existing_type_name.clone();
        let col = self.column_mut(&key)?;
        let mut pop_named = None;
        if let Some(new) = a.new_name.as_ref().filter(|n| **n != key) {
            col.column.name = new.clone();
            if a.existing_type.is_some() {
                pop_named = renamed_type;
            }
        }
        if let Some(type_) = &a.type_ {
            col.type_checks.clear();
            // cast_for_batch_migrate (SQLite's: never to JSON).
            let differs = col.affinity.is_some()
                && extras.type_affinity.is_some()
                && col.affinity != extras.type_affinity;
            if differs && !extras.type_is_json {
                let transfer = col.transfer.as_mut().ok_or_else(|| key_error("expr"))?;
                transfer.casts.push(type_.clone());
            }
            col.column.type_ = type_.clone();
            if let Some(aff) = &extras.type_affinity {
                col.column.affinity = ir_affinity(aff).into();
            }
            col.affinity = extras.type_affinity.clone();
        }
        if let Some(nullable) = a.nullable {
            col.column.nullable = nullable;
        }
        match &a.server_default {
            None => {}
            Some(DefaultChange::Sql { sql }) => {
                col.column.has_server_default = sql.is_some();
                col.column.server_default = sql.clone();
            }
            Some(_) => {
                return Err(BatchError::new(
                    BatchErrorKind::NotImplemented,
                    "retort cannot set an Identity or Computed server default in batch mode",
                ))
            }
        }
        if let Some(flag) = a.autoincrement {
            col.column.autoincrement = Autoincrement::Flag(flag);
        }
        if let Some(c) = &a.comment {
            col.column.comment = c.text.clone();
        }
        if let Some(name) = pop_named {
            self.named.remove(&name);
        }
        Ok(())
    }

    /// `_setup_dependencies_for_add_column`, then the column.
    fn add_column(&mut self, column: &Column, extras: &BatchExtras) -> Result<(), BatchError> {
        let name = column.name.clone();
        let mut before = extras.insert_before.clone();
        let mut after = extras.insert_after.clone();
        let index_of = |n: &str, order: &[String]| order.iter().position(|c| c == n);
        if self.partial_reordering.is_empty() {
            if let (Some(a), None) = (&after, &before) {
                match index_of(a, &self.existing_ordering) {
                    Some(i) => before = self.existing_ordering.get(i + 1).cloned(),
                    None => {
                        // After a column that is new too: before what it precedes.
                        let target = self.add_col_ordering.iter().rev().find(|(x, _)| x == a);
                        before = Some(target.ok_or_else(|| key_error(a))?.1.clone());
                    }
                }
            }
            if let (Some(b), None) = (&before, &after) {
                match index_of(b, &self.existing_ordering) {
                    Some(0) => {}
                    Some(i) => after = Some(self.existing_ordering[i - 1].clone()),
                    None => {
                        let target = self.add_col_ordering.iter().rev().find(|(_, y)| y == b);
                        after = Some(target.ok_or_else(|| key_error(b))?.0.clone());
                    }
                }
            }
        }
        if let Some(b) = &before {
            self.add_col_ordering.push((name.clone(), b.clone()));
        }
        if let Some(a) = &after {
            self.add_col_ordering.push((a.clone(), name.clone()));
        }
        if self.partial_reordering.is_empty() && before.is_none() && after.is_none() {
            if let Some(last) = self.existing_ordering.last() {
                self.add_col_ordering.push((last.clone(), name.clone()));
            }
        }
        let new = BatchColumn {
            key: name.clone(),
            column: column.clone(),
            transfer: None,
            affinity: column.type_affinity.clone(),
            type_checks: column.type_checks.clone(),
            index: extras.column_index,
            unique: extras.column_unique,
        };
        match self.columns.iter_mut().find(|c| c.key == name) {
            Some(slot) => *slot = new,
            None => self.columns.push(new),
        }
        Ok(())
    }

    fn drop_column(
        &mut self,
        key: &str,
        existing_type_name: Option<&str>,
    ) -> Result<(), BatchError> {
        for bc in self
            .named
            .items
            .iter_mut()
            .map(|(_, v)| v)
            .chain(self.unnamed.iter_mut())
            .filter(|bc| bc.original_pk)
        {
            bc.constraint.columns.retain(|c| c != key);
        }
        let pos = self
            .columns
            .iter()
            .position(|c| c.key == key)
            .ok_or_else(|| key_error(key))?;
        self.columns.remove(pos);
        let at = self
            .existing_ordering
            .iter()
            .position(|c| c == key)
            .ok_or_else(|| value_error("list.remove(x): x not in list"))?;
        self.existing_ordering.remove(at);
        if let Some(name) = existing_type_name {
            self.named.remove(name);
        }
        Ok(())
    }

    fn add_constraint(
        &mut self,
        c: &Constraint,
        type_column: Option<&str>,
    ) -> Result<(), BatchError> {
        // A type's CHECK may be unnamed (SQLAlchemy's _NONE_NAME); nothing else.
        let type_bound = c.implicit && c.template.is_some();
        if c.name.is_none() && !type_bound {
            return Err(value_error("Constraint must have a name"));
        }
        if c.kind == ConstraintKind::PrimaryKey {
            self.unnamed.retain(|bc| !bc.original_pk);
        }
        let bc = BatchConstraint {
            constraint: c.clone(),
            type_column: type_bound
                .then(|| type_column.map(str::to_string))
                .flatten(),
            original_pk: false,
        };
        match &c.name {
            Some(n) => self.named.insert(n.clone(), bc),
            None => self.unnamed.push(bc),
        }
        Ok(())
    }

    fn drop_constraint(&mut self, name: Option<&str>, type_bound: bool) -> Result<(), BatchError> {
        let Some(name) = name.filter(|n| !n.is_empty()) else {
            if type_bound {
                // An unnamed type CHECK is found nowhere, and ignored.
                return Ok(());
            }
            return Err(value_error("Constraint must have a name"));
        };
        if let Some(col_key) = self.col_named.remove(name) {
            if let Some(col) = self.columns.iter_mut().find(|c| c.key == col_key) {
                col.column
                    .constraints
                    .retain(|c| c.name.as_deref() != Some(name));
            }
            return Ok(());
        }
        match self.named.remove(name) {
            Some(bc) => {
                if bc.is_pk() {
                    for key in &bc.constraint.columns {
                        self.column_mut(key)?.column.primary_key = false;
                    }
                }
                Ok(())
            }
            // The old type's CHECK of an alter_column: part of the type.
            None if type_bound => Ok(()),
            None => Err(value_error(format!("No such constraint: '{name}'"))),
        }
    }

    /// `_adjust_self_columns_for_partial_reordering`.
    fn reorder(&mut self) -> Result<(), BatchError> {
        let by_index: Vec<String> = self.columns.iter().map(|c| c.key.clone()).collect();
        let mut pairs: Vec<(String, String)> = Vec::new();
        if self.partial_reordering.is_empty() {
            for (i, elem) in self.existing_ordering.iter().enumerate().skip(1) {
                if let Some(prev) = by_index.get(i - 1) {
                    pairs.push((prev.clone(), elem.clone()));
                }
            }
        } else {
            for tuple in &self.partial_reordering {
                for w in tuple.windows(2) {
                    pairs.push((w[0].clone(), w[1].clone()));
                }
            }
        }
        pairs.extend(self.add_col_ordering.iter().cloned());
        pairs.retain(|(a, b)| a != b);
        let sorted = topological_sort(&pairs, &by_index)?;
        let mut old = std::mem::take(&mut self.columns);
        for key in sorted {
            if let Some(pos) = old.iter().position(|c| c.key == key) {
                self.columns.push(old.remove(pos));
            }
        }
        Ok(())
    }

    fn current_name(&self, key: &str) -> Option<&str> {
        self.columns
            .iter()
            .find(|c| c.key == key)
            .map(|c| c.column.name.as_str())
    }

    /// A constraint of the new table: keys turned into current names, a
    /// type-bound template into its CHECK.
    fn bound(&self, bc: &BatchConstraint) -> Constraint {
        let mut c = bc.constraint.clone();
        c.columns = c
            .columns
            .iter()
            .map(|k| self.current_name(k).unwrap_or(k).to_string())
            .collect();
        if let (Some(key), Some(template)) = (&bc.type_column, &c.template) {
            let name = self.current_name(key).unwrap_or(key);
            c.sqltext = Some(template.replace(TYPE_CHECK_COLUMN, &self.r.q(name)));
        }
        c.table = Some(TableRef {
            name: self.temp.clone(),
            schema: self.table.schema.clone(),
        });
        c
    }

    /// `_transfer_elements_to_new_table`: the new table (named as the
    /// temporary one).
    fn new_table(&mut self) -> Result<Table, BatchError> {
        if !self.partial_reordering.is_empty() || !self.add_col_ordering.is_empty() {
            self.reorder()?;
        }
        if let Some(c) = self.columns.iter().find(|c| c.column.type_.is_empty()) {
            return Err(null_type_error(&self.temp, &c.column.name));
        }
        let columns: Vec<Column> = self.columns.iter().map(|c| c.column.clone()).collect();
        // The key SQLAlchemy makes of the columns flagged primary_key,
        // unless a PrimaryKeyConstraint is appended after.
        let mut primary_key = Constraint {
            kind: ConstraintKind::PrimaryKey,
            columns: columns
                .iter()
                .filter(|c| c.primary_key)
                .map(|c| c.name.clone())
                .collect(),
            implicit_generated: true,
            ..Constraint::default()
        };
        let mut constraints = Vec::new();
        // table_args name columns by key, as they are bound to the new table.
        for c in &self.table_args {
            let c = self.bound(&BatchConstraint {
                constraint: c.clone(),
                type_column: None,
                original_pk: false,
            });
            if c.kind == ConstraintKind::PrimaryKey {
                primary_key = c;
            } else {
                constraints.push(c);
            }
        }
        // What columns bring as the table is built: the UNIQUE of
        // `unique=True`, the CHECKs of their types.
        for col in &self.columns {
            if col.unique && !col.index {
                constraints.push(Constraint {
                    kind: ConstraintKind::Unique,
                    columns: vec![col.column.name.clone()],
                    ..Constraint::default()
                });
            }
            for tc in &col.type_checks {
                constraints.push(Constraint {
                    kind: ConstraintKind::Check,
                    name: tc.name.clone(),
                    sqltext: Some(
                        tc.template
                            .replace(TYPE_CHECK_COLUMN, &self.r.q(&col.column.name)),
                    ),
                    implicit: true,
                    ..Constraint::default()
                });
            }
        }
        // Alembic's column_transfers: every column, new ones included.
        let transfers: Vec<&str> = self.columns.iter().map(|c| c.key.as_str()).collect();
        let copies = self.named.values().chain(self.unnamed.iter());
        for bc in copies {
            if !bc
                .column_keys()
                .iter()
                .all(|k| transfers.contains(&k.as_str()))
            {
                continue;
            }
            let c = self.bound(bc);
            if c.kind == ConstraintKind::PrimaryKey {
                primary_key = c;
            } else {
                constraints.push(c);
            }
        }
        // The key's columns are flagged primary_key in the new table.
        let pk_names = primary_key.columns.clone();
        let columns = columns
            .into_iter()
            .map(|mut c| {
                c.primary_key = c.primary_key || pk_names.contains(&c.name);
                c
            })
            .collect();
        // `index=True` of an added column: named by SQLAlchemy's default
        // convention after the temporary table, created with it.
        let indexes = self
            .columns
            .iter()
            .filter(|c| c.index)
            .map(|c| Index {
                name: Some(format!("ix_{}_{}", self.temp, c.column.name)),
                table: Some(TableRef {
                    name: self.temp.clone(),
                    schema: self.table.schema.clone(),
                }),
                unique: c.unique,
                expressions: vec![IndexExpr::Column {
                    column: c.column.name.clone(),
                }],
                ..Index::default()
            })
            .collect();
        Ok(Table {
            name: self.temp.clone(),
            schema: self.table.schema.clone(),
            columns,
            primary_key: (!primary_key.columns.is_empty()).then_some(primary_key),
            constraints,
            indexes,
            kwargs: self.table_kwargs.clone(),
            ..Table::default()
        })
    }

    /// `INSERT INTO tmp (…) SELECT … FROM table`.
    fn insert(&self) -> String {
        let source = self.r.table(&self.table);
        let mut names = Vec::new();
        let mut exprs = Vec::new();
        for c in &self.columns {
            let Some(t) = &c.transfer else { continue };
            names.push(self.r.q(&c.column.name));
            let column = format!("{source}.{}", self.r.q(&t.source));
            exprs.push(if t.casts.is_empty() {
                column
            } else {
                let cast = t
                    .casts
                    .iter()
                    .fold(column, |inner, ty| format!("CAST({inner} AS {ty})"));
                format!("{cast} AS {}", self.r.q(&t.source))
            });
        }
        format!(
            "INSERT INTO {} ({}) SELECT {} \nFROM {source}",
            self.r.table(&TableRef {
                name: self.temp.clone(),
                schema: self.table.schema.clone(),
            }),
            names.join(", "),
            exprs.join(", ")
        )
    }

    /// `_gather_indexes_from_both_tables`: the indexes to create again, on
    /// the table's own name.  A new index on an unknown column raises while
    /// they are gathered, before any is created.
    fn gathered_indexes(&self) -> Result<Vec<Index>, BatchError> {
        let mut out = Vec::new();
        for idx in self.indexes.values() {
            if idx.column_flag {
                continue;
            }
            let expressions = idx
                .expressions
                .iter()
                .map(|e| match e {
                    IndexExpr::Column { column } => IndexExpr::Column {
                        column: self.current_name(column).unwrap_or(column).to_string(),
                    },
                    other => other.clone(),
                })
                .collect();
            out.push(Index {
                table: Some(self.table.clone()),
                expressions,
                ..idx.clone()
            });
        }
        for idx in self.new_indexes.values() {
            let mut expressions = Vec::new();
            for e in &idx.expressions {
                if let IndexExpr::Column { column } = e {
                    let name = self.current_name(column).ok_or_else(|| key_error(column))?;
                    expressions.push(IndexExpr::Column {
                        column: name.to_string(),
                    });
                }
            }
            out.push(Index {
                table: Some(self.table.clone()),
                expressions,
                ..idx.clone()
            });
        }
        Ok(out)
    }

    /// `ApplyBatchImpl._create`.
    pub fn create(mut self) -> BatchPlan {
        let mut plan = BatchPlan::default();
        let table = match self.new_table() {
            Ok(t) => t,
            Err(e) => {
                plan.error = Some(e);
                return plan;
            }
        };
        if let Err(e) = self.r.create_table(&table, false, &[], &mut plan.before) {
            plan.before.clear();
            plan.error = Some(e.into());
            return plan;
        }
        let temp_ref = TableRef {
            name: self.temp.clone(),
            schema: self.table.schema.clone(),
        };
        plan.guarded.push(self.insert());
        plan.guarded
            .push(format!("DROP TABLE {}", self.r.table(&self.table)));
        plan.on_error
            .push(format!("DROP TABLE {}", self.r.table(&temp_ref)));
        let rename = Operation::RenameTable {
            table: temp_ref,
            new_name: self.table.name.clone(),
        };
        match self.r.render(&rename) {
            Ok(statements) => plan.after.extend(statements),
            Err(e) => {
                plan.error = Some(e.into());
                return plan;
            }
        }
        let result = self.gathered_indexes().and_then(|indexes| {
            for idx in &indexes {
                plan.after.push(self.r.create_index(idx, false)?);
            }
            Ok(())
        });
        if let Err(e) = result {
            plan.error = Some(e);
        }
        plan
    }
}

/// SQLAlchemy's `topological.sort`: layer by layer, each in the order of
/// `all`.
fn topological_sort(pairs: &[(String, String)], all: &[String]) -> Result<Vec<String>, BatchError> {
    let mut todo: Vec<&String> = all.iter().collect();
    let mut out = Vec::new();
    while !todo.is_empty() {
        let layer: Vec<&String> = todo
            .iter()
            .copied()
            .filter(|node| {
                !pairs
                    .iter()
                    .any(|(parent, child)| child == *node && todo.contains(&parent))
            })
            .collect();
        if layer.is_empty() {
            return Err(BatchError::new(
                BatchErrorKind::CircularDependency,
                "Circular dependency detected.",
            ));
        }
        todo.retain(|n| !layer.contains(n));
        out.extend(layer.into_iter().cloned());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_as_sqlalchemy() {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        let pairs = vec![
            ("a".to_string(), "b".to_string()),
            ("b".to_string(), "c".to_string()),
            ("new".to_string(), "b".to_string()),
            ("a".to_string(), "new".to_string()),
        ];
        assert_eq!(
            topological_sort(&pairs, &s(&["a", "b", "c", "new"])).unwrap(),
            s(&["a", "new", "b", "c"])
        );
        let cycle = vec![
            ("a".to_string(), "b".to_string()),
            ("b".to_string(), "a".to_string()),
        ];
        assert!(topological_sort(&cycle, &s(&["a", "b"])).is_err());
        assert_eq!(temp_name(&"x".repeat(60)).len(), 50);
    }
}
