"""Indexes, unique constraints and foreign keys: the model's against the
reflected ones, matched by name (indexes, uniques) or by what they cover
(foreign keys, unnamed uniques), with the corrections each dialect needs
for what its catalog reports."""

import logging

import sqlalchemy as sa
from sqlalchemy import text
from sqlalchemy.sql import expression
from sqlalchemy.sql.elements import ColumnClause, UnaryExpression, conv

from . import ops

log = logging.getLogger("alembic.autogenerate.compare")

_SORTING = {
    "asc": expression.asc,
    "desc": expression.desc,
    "nulls_first": expression.nullsfirst,
    "nulls_last": expression.nullslast,
    "nullsfirst": expression.nullsfirst,
    "nullslast": expression.nullslast,
}


def _final_name(const, dialect):
    if const.name is None:
        return None
    return dialect.identifier_preparer.format_constraint(const, _alembic_quote=False)


def _is_expression(expr):
    while isinstance(expr, UnaryExpression):
        expr = expr.element
    return not isinstance(expr, ColumnClause) or expr.is_literal


class Sig:
    """An index or unique constraint reduced to what is compared."""

    def __init__(self, const, dialect, metadata):
        self.const = const
        self.is_index = isinstance(const, sa.Index)
        self.metadata = metadata
        if self.is_index:
            self.name = const.name
            self.is_unique = bool(const.unique)
            self.column_names = tuple(c.name for c in const.columns)
            self.unnamed = (self.is_unique,) + tuple(getattr(c, "name", None) for c in const.expressions)
            self.is_named = True
        else:
            self.name = const.name if isinstance(const.name, str) else None
            self.is_unique = True
            self.column_names = tuple(c.name for c in const.columns)
            self.unnamed = tuple(sorted(c.name for c in const.columns))
            self.is_named = metadata is False or _final_name(const, dialect) is not None
        self.sql_name = _final_name(const, dialect) if metadata else self.name

    def key(self):
        return (self.name, self.is_index) + self.unnamed

    def __hash__(self):
        return hash(self.key())

    def __eq__(self, other):
        return self.key() == other.key()


def _make_index(params, conn_table):
    exprs = []
    sorting = params.get("column_sorting")
    for num, col_name in enumerate(params["column_names"]):
        if col_name is None:
            name = params["expressions"][num]
            item = text(name)
        else:
            name = col_name
            item = conn_table.c[col_name]
        if sorting and name in sorting:
            for operator in sorting[name]:
                if operator in _SORTING:
                    item = _SORTING[operator](item)
        exprs.append(item)
    kw = dict(params.get("dialect_options") or {})
    if not kw.get("postgresql_include"):
        kw.pop("postgresql_include", None)
    ix = sa.Index(params["name"], *exprs, unique=params["unique"], _table=conn_table, **kw)
    if "duplicates_constraint" in params:
        ix.info["duplicates_constraint"] = params["duplicates_constraint"]
    return ix


def _make_unique(params, conn_table):
    kw = dict(params.get("dialect_options") or {})
    if not kw.get("postgresql_include"):
        kw.pop("postgresql_include", None)
    uq = sa.UniqueConstraint(*[conn_table.c[c] for c in params["column_names"]], name=params["name"], **kw)
    if "duplicates_index" in params:
        uq.info["duplicates_index"] = params["duplicates_index"]
    return uq


def _conv(items):
    for item in items:
        if item["name"] is not None and not isinstance(item["name"], conv):
            item["name"] = conv(item["name"])
    return items


def compare_indexes_and_uniques(cmp, modify, schema, tname, conn_table, table):
    dialect = cmp.dialect
    creating, dropping = conn_table is None, table is None
    if table is not None:
        md_uniques = {c for c in table.constraints if isinstance(c, sa.UniqueConstraint)}
        md_indexes = set(table.indexes)
    else:
        md_uniques, md_indexes = set(), set()
    conn_uniques, conn_indexes = set(), set()
    supports_uniques = False
    uq_duplicates_ix = False
    if conn_table is not None:
        parents = {"table_name": tname, "schema_name": schema}
        try:
            reflected_uqs = _conv(cmp.inspector.get_unique_constraints(tname, schema=schema))
            supports_uniques = True
        except (NotImplementedError, TypeError):
            reflected_uqs = []
        reflected_uqs = [u for u in reflected_uqs if cmp.name_included(u["name"], "unique_constraint", dict(parents))]
        uq_duplicates_ix = any(u.get("duplicates_index") for u in reflected_uqs)
        try:
            reflected_ixs = _conv(cmp.inspector.get_indexes(tname, schema=schema))
        except NotImplementedError:
            reflected_ixs = []
        reflected_ixs = [i for i in reflected_ixs if cmp.name_included(i["name"], "index", dict(parents))]
        if not dropping:
            conn_uniques = {_make_unique(u, conn_table) for u in reflected_uqs}
        conn_indexes = {_make_index(i, conn_table) for i in reflected_ixs}

    if uq_duplicates_ix:
        _correct_uq_duplicates(cmp, conn_uniques, conn_indexes, md_uniques, md_indexes)
    _correct_for_dialect(cmp, conn_uniques, conn_indexes, md_uniques, md_indexes)

    md_sigs = {Sig(c, dialect, True) for c in md_uniques | md_indexes}
    conn_uq_sigs = {Sig(c, dialect, False) for c in conn_uniques}
    conn_ix_sigs = {Sig(c, dialect, False) for c in conn_indexes}
    md_names = {s.sql_name: s for s in md_sigs if s.is_named}
    conn_uq_by_name = {s.name: s for s in conn_uq_sigs}
    conn_ix_by_name = {s.name: s for s in conn_ix_sigs}
    conn_names = {s.name: s for s in conn_uq_sigs | conn_ix_sigs if isinstance(s.name, str)}
    doubled = {n: (conn_uq_by_name[n], conn_ix_by_name[n]) for n in set(conn_uq_by_name) & set(conn_ix_by_name)}
    conn_uq_by_sig = {s.unnamed: s for s in conn_uq_sigs}
    md_uq_sigs = [s for s in md_sigs if not s.is_index]
    md_uq_by_sig = {s.unnamed: s for s in md_uq_sigs}
    md_ix_sigs = [s for s in md_sigs if s.is_index]
    unnamed_md_uqs = {s.unnamed: s for s in md_uq_sigs if _final_name(s.const, dialect) is None}

    def added(sig):
        if sig.is_index:
            if cmp.object_included(sig.const, sig.name, "index", False, None):
                modify.ops.append(ops.CreateIndex(sig.const))
                log.info("Detected added index %r on '%s'", sig.name, sig.column_names)
        else:
            if not supports_uniques or creating or dropping:
                return
            if cmp.object_included(sig.const, sig.name, "unique_constraint", False, None):
                modify.ops.append(ops.AddConstraint(sig.const))
                log.info("Detected added unique constraint %r on '%s'", sig.name, sig.column_names)

    def removed(sig):
        if sig.is_index:
            if sig.is_unique and not supports_uniques:
                return
            if cmp.object_included(sig.const, sig.name, "index", True, None):
                modify.ops.append(ops.DropIndex(sig.const))
                log.info("Detected removed index %r on %r", sig.name, tname)
        else:
            if creating or dropping:
                return
            if cmp.object_included(sig.const, sig.name, "unique_constraint", True, None):
                modify.ops.append(ops.DropConstraint(sig.const))
                log.info("Detected removed unique constraint %r on %r", sig.name, tname)

    def changed(old, new, msg):
        kind = "index" if old.is_index else "unique_constraint"
        if cmp.object_included(new.const, new.name, kind, False, old.const):
            if old.is_index:
                modify.ops.append(ops.DropIndex(old.const))
                modify.ops.append(ops.CreateIndex(new.const))
            else:
                modify.ops.append(ops.DropConstraint(old.const))
                modify.ops.append(ops.AddConstraint(new.const))

    for name in sorted(set(conn_names) - set(md_names)):
        conn_obj = conn_names[name]
        if not conn_obj.is_index and conn_obj.unnamed in unnamed_md_uqs:
            continue
        if name in doubled:
            conn_uq, conn_ix = doubled[name]
            if all(conn_ix.unnamed != m.unnamed for m in md_ix_sigs) and conn_uq.unnamed not in md_uq_by_sig:
                removed(conn_uq)
                removed(conn_ix)
        else:
            removed(conn_obj)

    for name in sorted(set(md_names) & set(conn_names)):
        md_obj = md_names[name]
        if name in doubled:
            conn_obj = doubled[name][1] if md_obj.is_index else doubled[name][0]
        else:
            conn_obj = conn_names[name]
        if conn_obj.is_index != md_obj.is_index:
            removed(conn_obj)
            added(md_obj)
            continue
        msg = _difference(md_obj, conn_obj)
        if msg:
            changed(conn_obj, md_obj, msg)

    for name in sorted(set(md_names) - set(conn_names)):
        added(md_names[name])

    for sig, md_obj in unnamed_md_uqs.items():
        if sig not in conn_uq_by_sig:
            added(md_obj)


def _difference(md_obj, conn_obj):
    if md_obj.is_index:
        msg = []
        if bool(conn_obj.const.unique) != bool(md_obj.const.unique):
            msg.append("unique")
        if md_obj.column_names != conn_obj.column_names:
            msg.append("expression")
        return msg
    return [] if md_obj.unnamed == conn_obj.unnamed else ["expression"]


def _correct_uq_duplicates(cmp, conn_uniques, conn_indexes, md_uniques, md_indexes):
    dialect = cmp.dialect
    named = [(_final_name(c, dialect), c) for c in md_uniques]
    md_uq_names = {n for n, _ in named if n is not None}
    unnamed_md = {Sig(c, dialect, True).unnamed for n, c in named if n is None}
    md_ix_names = {_final_name(c, dialect) for c in md_indexes if c.unique}
    conn_ix_names = {c.name: c for c in conn_indexes if c.unique}
    dupes = {c.name: c for c in conn_uniques if c.info.get("duplicates_index")}
    for name, uq in dupes.items():
        if name not in md_uq_names:
            if Sig(uq, dialect, False).unnamed not in unnamed_md:
                conn_uniques.discard(uq)
        elif name not in md_ix_names:
            conn_indexes.discard(conn_ix_names[name])


def _correct_for_dialect(cmp, conn_uniques, conn_indexes, md_uniques, md_indexes):
    name = cmp.dialect_name
    if name == "postgresql":
        for ix in [i for i in conn_indexes if i.info.get("duplicates_constraint")]:
            conn_indexes.remove(ix)
    elif name == "mysql":
        # MySQL indexes foreign key columns itself, under the column's or
        # the constraint's name.
        removed = set()
        for ix in list(conn_indexes):
            if ix.unique:
                continue
            for col in ix.columns:
                if ix.name == col.name or any(fk.name == ix.name for fk in col.foreign_keys):
                    conn_indexes.remove(ix)
                    removed.add(ix.name)
                    break
        for ix in list(md_indexes):
            if ix.name in removed:
                md_indexes.remove(ix)
    elif name == "sqlite":
        conn_by_name = {c.name: c for c in conn_indexes}
        for ix in list(md_indexes):
            if ix.name in conn_by_name:
                continue
            if any(_is_expression(e) for e in ix.expressions):
                log.warning(
                    "autogenerate skipping metadata-specified expression-based index %r; dialect %r under "
                    "SQLAlchemy %s can't reflect these indexes so they can't be compared",
                    ix.name,
                    cmp.dialect.name,
                    sa.__version__,
                )
                md_indexes.discard(ix)


# -- foreign keys --------------------------------------------------------------


def _fk_spec(const):
    source = [const.columns[k].name for k in const.column_keys]
    target = const.elements[0].column.table
    return (
        const.parent.schema,
        const.parent.name,
        tuple(source),
        target.schema,
        target.name,
        tuple(e.column.name for e in const.elements),
    )


def _fk_sig(const, with_options):
    sig = _fk_spec(const)
    if not with_options:
        return sig

    def action(v):
        return (None if v.lower() == "no action" else v.lower()) if v else None

    initially, deferrable = const.initially, const.deferrable
    timing = (
        "initially_deferrable"
        if initially and initially.lower() == "deferred"
        else "deferrable"
        if deferrable
        else "not deferrable"
    )
    return sig + (action(const.onupdate), action(const.ondelete), timing)


def _make_fk(params, conn_table):
    tname = params["referred_table"]
    if params["referred_schema"]:
        tname = "%s.%s" % (params["referred_schema"], tname)
    options = params.get("options", {})
    const = sa.ForeignKeyConstraint(
        [conn_table.c[c] for c in params["constrained_columns"]],
        ["%s.%s" % (tname, n) for n in params["referred_columns"]],
        onupdate=options.get("onupdate"),
        ondelete=options.get("ondelete"),
        deferrable=options.get("deferrable"),
        initially=options.get("initially"),
        name=params["name"],
    )
    schema, table = params["referred_schema"], params["referred_table"]
    key = sa.schema._get_table_key(table, schema)
    md = conn_table.metadata
    pairs = list(zip(params["constrained_columns"], params["referred_columns"]))
    if key not in md.tables:
        # A stand-in for the referred table, so the constraint resolves.
        sa.Table(
            table,
            md,
            *[sa.Column(remote, conn_table.c[local].type) for local, remote in pairs],
            schema=schema if schema is not None else sa.schema.BLANK_SCHEMA,
            info={"alembic_placeholder": True},
        )
    elif md.tables[key].info.get("alembic_placeholder"):
        placeholder = md.tables[key]
        for local, remote in pairs:
            if remote not in placeholder.c:
                placeholder.append_column(sa.Column(remote, conn_table.c[local].type))
    conn_table.append_constraint(const)
    return const


def compare_foreign_keys(cmp, modify, schema, tname, conn_table, table):
    if conn_table is None or table is None:
        return
    md_fks = {c for c in table.constraints if isinstance(c, sa.ForeignKeyConstraint)}
    reflected = [
        fk
        for fk in _conv(cmp.inspector.get_foreign_keys(tname, schema=schema))
        if cmp.name_included(fk["name"], "foreign_key_constraint", {"table_name": tname, "schema_name": schema})
    ]
    conn_fks = {_make_fk(fk, conn_table) for fk in reflected}
    if cmp.dialect_name == "mysql":
        # MySQL reports RESTRICT as no action at all.
        conn_by_sig = {_fk_sig(fk, False): fk for fk in conn_fks}
        for fk in md_fks:
            c = conn_by_sig.get(_fk_sig(fk, False))
            if c is None:
                continue
            if fk.ondelete and fk.ondelete.lower() == "restrict" and c.ondelete is None:
                c.ondelete = "RESTRICT"
            if fk.onupdate and fk.onupdate.lower() == "restrict" and c.onupdate is None:
                c.onupdate = "RESTRICT"
    with_options = bool(reflected) and "options" in reflected[0]
    conn_by_sig = {_fk_sig(fk, with_options): fk for fk in conn_fks}
    md_by_sig = {_fk_sig(fk, with_options): fk for fk in md_fks}
    md_by_name = {fk.name: fk for fk in md_fks if isinstance(fk.name, str)}
    conn_by_name = {fk.name: fk for fk in conn_fks if isinstance(fk.name, str)}

    def describe(fk):
        spec = _fk_spec(fk)
        return ", ".join(spec[2]), ", ".join(spec[5]), "%s." % spec[0] if spec[0] else "", spec[1]

    for sig in set(conn_by_sig) - set(md_by_sig):
        fk = conn_by_sig[sig]
        compare_to = md_by_name.get(fk.name) if isinstance(fk.name, str) else None
        if cmp.object_included(fk, fk.name, "foreign_key_constraint", True, compare_to):
            modify.ops.append(ops.DropConstraint(fk))
            log.info("Detected removed foreign key (%s)(%s) on table %s%s", *describe(fk))
    for sig in set(md_by_sig) - set(conn_by_sig):
        fk = md_by_sig[sig]
        compare_to = conn_by_name.get(fk.name) if isinstance(fk.name, str) else None
        if cmp.object_included(fk, fk.name, "foreign_key_constraint", False, compare_to):
            modify.ops.append(ops.AddConstraint(fk))
            log.info("Detected added foreign key (%s)(%s) on table %s%s", *describe(fk))


# -- check constraints ---------------------------------------------------------


def is_type_bound(const):
    rule = const._create_rule
    return bool(rule) and isinstance(getattr(rule, "target", None), sa.types.TypeEngine)


def compare_check_constraints(cmp, modify, schema, tname, conn_table, table):
    """Named check constraints, matched by name only (Alembic's opt-in
    ``alembic.ext.checkconstraint_byname`` plugin): dropped when only the
    database has one, added when only the model has one (those a type makes,
    such as a named ``Boolean(create_constraint=True)``'s, included); the
    expressions are not compared."""
    if conn_table is None or table is None:
        return
    try:
        reflected = _conv(cmp.inspector.get_check_constraints(tname, schema=schema))
    except NotImplementedError:
        return
    parents = {"table_name": tname, "schema_name": schema}
    conn_by_name = {}
    for params in reflected:
        if params.get("name") is None or not cmp.name_included(params["name"], "check_constraint", dict(parents)):
            continue
        const = sa.CheckConstraint(
            params["sqltext"], name=params["name"], table=conn_table, **(params.get("dialect_options") or {})
        )
        conn_by_name[const.name] = const
    candidates = list(table.constraints) + [c for col in table.columns for c in col.constraints]
    md_by_name = {
        c.name: c
        for c in candidates
        if isinstance(c, sa.CheckConstraint) and _final_name(c, cmp.dialect) is not None
    }
    for name in sorted(set(conn_by_name) - set(md_by_name)):
        const = conn_by_name[name]
        if cmp.object_included(const, name, "check_constraint", True, None):
            modify.ops.append(ops.DropConstraint(const))
            log.info("Detected removed check constraint %r on table %r", name, tname)
    for name in sorted(set(md_by_name) - set(conn_by_name)):
        const = md_by_name[name]
        if cmp.object_included(const, name, "check_constraint", False, None):
            modify.ops.append(ops.AddConstraint(const))
            log.info("Detected added check constraint %r on table %r", name, tname)
