"""Alembic's ``op`` API for retort: each call describes itself as an
operation IR dict (JSON-serialisable) and hands it to the runtime; the Rust
side (``retort::ddl``) decides the statements.

Python's share is what only SQLAlchemy knows: column types compiled by the
target dialect's type compiler, server defaults, CHECK / computed / index /
WHERE expressions compiled to SQL text, names after naming conventions.
Layout, quoting, SERIAL / AUTO_INCREMENT, ALTER syntax per dialect, constraint
clauses and PostgreSQL ``CREATE TYPE`` are decided in Rust.

Only the standard library and SQLAlchemy are imported here.
"""

from __future__ import annotations

import contextlib
import functools
import re
import sys
import warnings
from typing import Any

import sqlalchemy as sa
from sqlalchemy import schema as sa_schema
from sqlalchemy import types as sqltypes
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql import elements as sa_elements
from sqlalchemy.sql.base import SchemaEventTarget
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.naming import conv

__all__ = ["Operations", "BatchOperations", "MigrateOperation", "proxy_names"]


class MigrateOperation:
    """Base of user-defined operations (Alembic's cookbook pattern)."""

    @property
    def info(self) -> dict:
        if "_info" not in self.__dict__:
            self._info = {}
        return self._info

    def reverse(self) -> "MigrateOperation":
        raise NotImplementedError

    def to_diff_tuple(self):
        raise NotImplementedError


class _literal_bindparam(sa_elements.BindParameter):
    """A bound value always rendered inline (``op.inline_literal``)."""

    inherit_cache = True


@compiles(_literal_bindparam)
def _render_literal_bindparam(element, compiler, **kw):
    return compiler.render_literal_bindparam(element, **kw)


class _value_slot(sa_elements.BindParameter):
    """Where the value of column number ``value`` goes in an offline
    ``bulk_insert`` template."""

    inherit_cache = True


@compiles(_value_slot)
def _render_value_slot(element, compiler, **kw):
    return "\x00%d\x00" % element.value


_VALUE_SLOT = re.compile("\x00([0-9]+)\x00")


class _InsertTemplate:
    """One INSERT compiled for a set of row keys, with a slot for each value.

    Alembic compiles one INSERT per row with every value an inline literal;
    a row's statement is that same text with each value rendered by the
    compiler's literal rendering, so it is compiled once per key set and
    each row's values are rendered into it."""

    def __init__(self, runtime, table, keys):
        # table.c[k] in row order, as Alembic looks the types up.
        self.types = [table.c[k].type for k in keys]
        self.keys = keys
        slots = {k: _value_slot(k, i, type_=t) for i, (k, t) in enumerate(zip(keys, self.types))}
        self.compiled = runtime.compile_offline(table.insert().inline().values(**slots))
        parts = _VALUE_SLOT.split(str(self.compiled))
        self.texts = parts[0::2]
        self.order = [int(i) for i in parts[1::2]]
        # Anything but one slot per key (a key the INSERT did not take,
        # say) compiles each row as Alembic does.
        self.usable = sorted(self.order) == list(range(len(keys)))
        self.literal = _plain_literal_renderers(self.compiled, self.types)

    def render(self, row):
        compiler = self.compiled
        out = [self.texts[0]]
        for i, text in zip(self.order, self.texts[1:]):
            value, type_ = row[self.keys[i]], self.types[i]
            if isinstance(value, _literal_bindparam):
                # crud gives a typeless bound value the column's type.
                if value.type._isnull:
                    value = value._with_binary_element_type(type_)
                out.append(compiler.render_literal_bindparam(value))
            elif value is None:
                out.append(compiler.render_literal_bindparam(_literal_bindparam(None, None, type_=type_)))
            else:
                literal = self.literal[i]
                out.append(compiler.render_literal_value(value, type_) if literal is None else literal(value))
            out.append(text)
        return "".join(out)


def _plain_literal_renderers(compiler, types):
    """For each value slot, what ``compiler.render_literal_value(value, type_)``
    amounts to for a value that is not None, with the type's literal
    processor looked up once instead of per value: the processor, followed
    by PostgreSQL's and MySQL's backslash doubling where their compiler adds
    it.  None (render through the compiler) for a compiler whose method is
    not one of those known here, for a type with no processor, and for a
    value the processor refuses (the compiler then raises its own error)."""
    method = type(compiler).render_literal_value
    escaping = []
    for module, name in (
        ("sqlalchemy.dialects.postgresql.base", "PGCompiler"),
        ("sqlalchemy.dialects.mysql.base", "MySQLCompiler"),
    ):
        cls = getattr(sys.modules.get(module), name, None)
        if cls is not None:
            escaping.append(cls.render_literal_value)
    if method is SQLCompiler.render_literal_value:
        double_backslashes = False
    elif method in escaping:
        double_backslashes = bool(compiler.dialect._backslash_escapes)
    else:
        return [None] * len(types)

    def renderer(processor, type_):
        def render(value):
            try:
                text = processor(value)
            except Exception:  # noqa: BLE001 - the compiler words the error
                return compiler.render_literal_value(value, type_)
            return text.replace("\\", "\\\\") if double_backslashes else text

        return render

    processors = [type_._cached_literal_processor(compiler.dialect) for type_ in types]
    return [None if p is None else renderer(p, t) for p, t in zip(processors, types)]


def _write_inserts_offline(runtime, table, rows):
    """``op.bulk_insert`` with ``--sql``: one INSERT per row, values inline."""
    templates = {}
    for row in rows:
        keys = tuple(row)
        template = templates.get(keys)
        if template is None:
            template = templates[keys] = _InsertTemplate(runtime, table, keys)
        if template.usable:
            runtime.write_offline(template.render(row))
        else:
            values = {
                k: v if isinstance(v, _literal_bindparam) else _literal_bindparam(k, v, type_=table.c[k].type)
                for k, v in row.items()
            }
            runtime.execute(table.insert().inline().values(**values))


def _s(name):
    return None if name is None else str(name)


# --------------------------------------------------------------------------
# SQLAlchemy objects → IR
# --------------------------------------------------------------------------


def _dialect_option(obj, dialect, name, fallback=None):
    """``obj.get_dialect_option`` of SQLAlchemy 2.0, spelled out for 1.4: the
    option under the dialect's name, else (for MariaDB) under ``fallback``."""
    if hasattr(obj, "get_dialect_option"):
        return obj.get_dialect_option(dialect, name, deprecated_fallback=fallback)
    value = obj.dialect_options[dialect.name].get(name)
    if value is None and fallback is not None and fallback != dialect.name:
        value = obj.dialect_options[fallback].get(name)
    return value


class _Describer:
    """Turns SQLAlchemy schema objects into IR dicts for one dialect."""

    def __init__(self, dialect):
        self.dialect = dialect
        self.ddl = dialect.ddl_compiler(dialect, None)
        self.sql = self.ddl.sql_compiler
        self.preparer = dialect.identifier_preparer
        name = dialect.name
        self.family = "mysql" if name in ("mysql", "mariadb") else name

    # -- expressions ---------------------------------------------------
    def expr(self, clause) -> str:
        if isinstance(clause, str):
            clause = sa.text(clause)
        return self.sql.process(clause, include_table=False, literal_binds=True)

    def default(self, server_default) -> str | None:
        """The DEFAULT text SQLAlchemy renders for a server default argument
        (str, text(), expression or DefaultClause); None when there is none."""
        if server_default is None:
            return None
        if isinstance(server_default, sa_schema.DefaultClause):
            col = sa.Column("x", sa.Integer, server_default=server_default.arg)
        elif isinstance(server_default, sa_schema.FetchedValue):
            return None
        else:
            col = sa.Column("x", sa.Integer, server_default=server_default)
        return self.ddl.get_column_default_string(col)

    def type(self, type_, column=None) -> str:
        type_ = sqltypes.to_instance(type_)
        # SQLAlchemy 2.0 names the instance type_compiler_instance; 1.4 keeps
        # it in type_compiler.
        compiler = getattr(self.dialect, "type_compiler_instance", None) or self.dialect.type_compiler
        return compiler.process(
            type_, type_expression=column, identifier_preparer=self.preparer
        )

    def final_name(self, obj) -> str | None:
        """The constraint / index name after naming conventions and
        truncation of generated names, unquoted."""
        if obj.name is None:
            return None
        try:
            name = self.preparer.format_constraint(obj, _alembic_quote=False)
        except Exception:  # noqa: BLE001 - names SQLAlchemy cannot render
            name = obj.name
        return _s(name)

    def table_ref(self, table) -> dict:
        return {"name": str(table.name), "schema": _s(table.schema)}

    # -- columns -------------------------------------------------------
    def column(self, col) -> dict:
        d = self.dialect
        impl = col.type.dialect_impl(d)
        if isinstance(impl, sqltypes.TypeDecorator):
            impl = impl.impl
        if isinstance(impl, sqltypes.BigInteger):
            int_kind = "big"
        elif isinstance(impl, sqltypes.SmallInteger):
            int_kind = "small"
        else:
            int_kind = "int"
        aff = col.type._type_affinity
        if aff is not None and issubclass(aff, sqltypes.Integer):
            affinity = "integer"
        elif aff is not None and issubclass(aff, sqltypes.Numeric):
            affinity = "numeric"
        else:
            affinity = "other"
        if col.default is None:
            default = None
        elif isinstance(col.default, sa_schema.Sequence):
            default = "optional_sequence" if col.default.optional else "sequence"
        else:
            default = "scalar"
        sd = col.server_default
        identity = None
        computed = None
        if isinstance(sd, sa_schema.Identity):
            identity = self.identity(sd)
        elif isinstance(sd, sa_schema.Computed):
            computed = {
                "sqltext": self.expr(sd.sqltext),
                "persisted": sd.persisted,
            }
        try:
            unwrapped = col.type._unwrapped_dialect_impl(d)
        except Exception:  # noqa: BLE001
            unwrapped = col.type
        try:
            user_nullable = col._user_defined_nullable
            nullable_unspecified = user_nullable is sa_schema.SchemaConst.NULL_UNSPECIFIED
        except AttributeError:
            nullable_unspecified = False
        sqlite_opts = col.dialect_options["sqlite"] if self.family == "sqlite" else {}
        return {
            "name": str(col.name),
            "type": self.type(col.type, col),
            "nullable": bool(col.nullable),
            "nullable_unspecified": nullable_unspecified,
            "primary_key": bool(col.primary_key),
            "autoincrement": col.autoincrement,
            "affinity": affinity,
            "int_kind": int_kind,
            "default": default,
            "server_default": self.ddl.get_column_default_string(col),
            "has_server_default": sd is not None and not isinstance(sd, sa_schema.Identity),
            "identity": identity,
            "computed": computed,
            "comment": col.comment,
            "is_timestamp": isinstance(unwrapped, sqltypes.TIMESTAMP),
            "foreign_keys": len(col.foreign_keys),
            "system": bool(col.system),
            "constraints": [self.constraint(c, column_level=True) for c in col.constraints],
            "sqlite_on_conflict_not_null": sqlite_opts.get("on_conflict_not_null"),
            "sqlite_on_conflict_primary_key": sqlite_opts.get("on_conflict_primary_key"),
        }

    def identity(self, ident) -> dict:
        return {
            "always": bool(ident.always),
            "on_null": ident.on_null,
            "start": ident.start,
            "increment": ident.increment,
            "minvalue": ident.minvalue,
            "maxvalue": ident.maxvalue,
            "nominvalue": ident.nominvalue,
            "nomaxvalue": ident.nomaxvalue,
            "cache": ident.cache,
            "cycle": ident.cycle,
            "order": ident.order,
        }

    # -- constraints ---------------------------------------------------
    def should_create(self, const) -> bool:
        rule = const._create_rule
        return rule is None or bool(rule(self.ddl))

    def _opt(self, obj, name, default=None):
        return obj.dialect_options[self.family].get(name, default)

    def constraint(self, const, column_level=False) -> dict:
        try:
            table = const.table
        except Exception:  # noqa: BLE001 - a column-level constraint
            parent = getattr(const, "parent", None)
            table = getattr(parent, "table", None)
        out: dict[str, Any] = {
            "name": self.final_name(const),
            "table": self.table_ref(table) if table is not None else None,
            "deferrable": const.deferrable,
            "initially": const.initially,
            "implicit": const._create_rule is not None,
            "use_alter": bool(getattr(const, "use_alter", False)),
        }
        if isinstance(const, sa_schema.PrimaryKeyConstraint):
            out["kind"] = "primary_key"
            out["columns"] = [str(c.name) for c in const.columns]
            out["implicit_generated"] = bool(const._implicit_generated)
            out["include"] = self._include(const)
            out["using"] = self._opt(const, "using") if self.family == "mysql" else None
        elif isinstance(const, sa_schema.UniqueConstraint):
            out["kind"] = "unique"
            out["columns"] = [str(c.name) for c in const.columns]
            out["include"] = self._include(const)
            out["nulls_not_distinct"] = (
                self._opt(const, "nulls_not_distinct") if self.family == "postgresql" else None
            )
        elif isinstance(const, sa_schema.ForeignKeyConstraint):
            out["kind"] = "foreign_key"
            elems = list(const.elements)
            out["columns"] = [str(e.parent.name) for e in elems]
            remote = elems[0].column.table
            out["ref_table"] = self.table_ref(remote)
            out["ref_columns"] = [str(e.column.name) for e in elems]
            out["local_schema"] = _s(elems[0].parent.table.schema)
            out["ondelete"] = const.ondelete
            out["onupdate"] = const.onupdate
            out["match"] = const.match
            out["not_valid"] = bool(self._opt(const, "not_valid")) if self.family == "postgresql" else False
        elif isinstance(const, sa_schema.CheckConstraint):
            out["kind"] = "check"
            out["columns"] = []
            out["sqltext"] = self.expr(const.sqltext)
            out["not_valid"] = bool(self._opt(const, "not_valid")) if self.family == "postgresql" else False
            out["column_level"] = column_level
        elif type(const).__name__ == "ExcludeConstraint":
            out["kind"] = "exclude"
            out["columns"] = []
            out["using"] = const.using
            elements = []
            for expr, _name, op in const._render_exprs:
                text = self.sql.process(expr, include_table=False, literal_binds=True)
                key = getattr(expr, "key", None)
                if key is not None and key in const.ops:
                    text += " " + const.ops[key]
                elements.append({"sql": text, "op": op})
            out["elements"] = elements
            out["where"] = (
                self.sql.process(const.where, literal_binds=True) if const.where is not None else None
            )
        else:
            out["kind"] = "generic"
            out["columns"] = []
        return out

    def _include(self, obj):
        if self.family != "postgresql":
            return []
        inc = self._opt(obj, "include") or []
        return [str(c if isinstance(c, str) else c.name) for c in inc]

    # -- indexes -------------------------------------------------------
    def index(self, idx) -> dict:
        fam = self.family
        exprs = []
        for e in idx.expressions:
            if isinstance(e, sa_elements.ColumnClause) and not isinstance(e, sa_elements.TextClause) and not getattr(e, "is_literal", False):
                exprs.append({"column": str(e.name)})
                continue
            if fam == "postgresql":
                e2 = e.self_group()
            elif fam == "mysql" and (
                isinstance(e, sa_elements.BinaryExpression)
                or (
                    isinstance(e, sa_elements.UnaryExpression)
                    and e.modifier not in (sa.sql.operators.desc_op, sa.sql.operators.asc_op)
                )
                or isinstance(e, sa.sql.functions.FunctionElement)
            ):
                e2 = sa_elements.Grouping(e)
            else:
                e2 = e
            exprs.append(
                {
                    "sql": self.sql.process(e2, include_table=False, literal_binds=True),
                    "key": _s(getattr(e, "key", None)) if isinstance(getattr(e, "key", None), str) else None,
                }
            )
        opts: dict[str, Any] = {}
        if fam == "postgresql":
            o = idx.dialect_options["postgresql"]
            opts["using"] = o.get("using") or None
            opts["concurrently"] = bool(o.get("concurrently"))
            opts["ops"] = dict(o.get("ops") or {})
            opts["include"] = [str(c if isinstance(c, str) else c.name) for c in (o.get("include") or [])]
            opts["nulls_not_distinct"] = o.get("nulls_not_distinct")
            opts["with"] = [[str(k), str(v)] for k, v in (o.get("with") or {}).items()]
            opts["tablespace"] = o.get("tablespace") or None
            where = o.get("where")
            if where is not None:
                where = sa.sql.coercions.expect(sa.sql.roles.DDLExpressionRole, where)
                opts["where"] = self.expr(where)
        elif fam == "mysql":
            d = self.dialect
            length = _dialect_option(idx, d, "length")
            if isinstance(length, dict):
                length = {str(k): v for k, v in length.items()}
            opts["length"] = length
            opts["prefix"] = _dialect_option(idx, d, "prefix")
            opts["with_parser"] = _dialect_option(idx, d, "with_parser", fallback="mysql")
            opts["using"] = _dialect_option(idx, d, "using", fallback="mysql")
        elif fam == "sqlite":
            where = idx.dialect_options["sqlite"].get("where")
            if where is not None:
                opts["where"] = self.expr(where)
        table = idx.table
        return {
            "name": self.final_name(idx) if idx.name is not None else None,
            "table": self.table_ref(table) if table is not None else None,
            "unique": bool(idx.unique),
            "expressions": exprs,
            "options": opts,
        }

    # -- tables --------------------------------------------------------
    def table(self, table) -> dict:
        pk = table.primary_key
        constraints = [
            self.constraint(c)
            for c in table._sorted_constraints
            if c is not pk and self.should_create(c)
        ]
        kwargs = []
        for k, v in table.kwargs.items():
            if isinstance(v, (list, tuple)):
                v = [str(x) for x in v]
            elif not (isinstance(v, (str, bool, int, float)) or v is None):
                v = str(v)
            kwargs.append([k, v])
        return {
            "name": str(table.name),
            "schema": _s(table.schema),
            "columns": [self.column(c) for c in table.columns],
            "primary_key": self.constraint(pk) if pk is not None and len(pk.columns) else None,
            "constraints": constraints,
            "indexes": [self.index(i) for i in _sorted_indexes(table)],
            "comment": table.comment,
            "prefixes": [str(p) for p in table._prefixes],
            "kwargs": kwargs,
        }


def _sorted_indexes(table):
    return sorted(table.indexes, key=lambda i: (i.name is None, str(i.name or "")))


_DDLElement = getattr(sa_schema, "ExecutableDDLElement", None) or sa_schema.DDLElement


class _AddColumn(_DDLElement):
    """``ALTER TABLE … ADD COLUMN``: the statement is Alembic's, the column
    specification and every clause in it the installed SQLAlchemy's."""

    def __init__(self, table_name, column, schema, if_not_exists, inline_references, inline_primary_key):
        self.table_name = table_name
        self.column = column
        self.schema = schema
        self.if_not_exists = if_not_exists
        self.inline_references = inline_references
        self.inline_primary_key = inline_primary_key


def _format_table_name(compiler, name, schema):
    quote = compiler.preparer.quote
    if not schema:
        return quote(name)
    if isinstance(schema, sa_elements.quoted_name):
        return quote(schema) + "." + quote(name)
    return ".".join(quote(part) for part in schema.split(".")) + "." + quote(name)


@compiles(_AddColumn)
def _compile_add_column(element, compiler, **kw):
    column = element.column
    text = "ALTER TABLE %s ADD COLUMN %s%s" % (
        _format_table_name(compiler, element.table_name, element.schema),
        "IF NOT EXISTS " if element.if_not_exists else "",
        compiler.get_column_specification(column, **kw),
    )
    if element.inline_primary_key and column.primary_key:
        text += " PRIMARY KEY"
    fks = list(column.foreign_keys)
    if (element.inline_references and len(fks) == 1 and fks[0].constraint is not None
            and len(fks[0].constraint.columns) == 1):
        fk = fks[0]
        ref_col = fk.column
        ref_table = ref_col.table
        if ref_table.schema:
            name = "%s.%s" % (compiler.preparer.quote_schema(ref_table.schema), compiler.preparer.quote(ref_table.name))
        else:
            name = compiler.preparer.quote(ref_table.name)
        text += " REFERENCES %s (%s)" % (name, compiler.preparer.quote(ref_col.name))
        text += compiler.define_constraint_match(fk.constraint)
        text += compiler.define_constraint_cascades(fk.constraint)
        text += compiler.define_constraint_deferrability(fk.constraint)
    inline = " ".join(compiler.process(c) for c in column.constraints)
    if inline:
        text += " " + inline
    return text


_SQLITE_NO_ALTER = (
    "No support for ALTER of constraints in SQLite dialect. Please refer to the batch mode "
    "feature which allows for SQLite migrations using a copy-and-move strategy."
)

_SQLALCHEMY_LINE = tuple(int(p) for p in sa.__version__.split(".")[:2])
_SQLALCHEMY_2 = _SQLALCHEMY_LINE >= (2, 0)

# Alembic passes isolate_from_table=True itself from SQLAlchemy 2.1 on
# (where AddConstraint takes it); earlier versions have no such argument.
_ADD_CONSTRAINT_OPTS = {"isolate_from_table": True} if _SQLALCHEMY_LINE >= (2, 1) else {}


# --------------------------------------------------------------------------
# Schema object construction (what Alembic builds before compiling)
# --------------------------------------------------------------------------


class _Schema:
    def __init__(self, operations):
        self.operations = operations

    def metadata(self):
        kw = {}
        ctx = self.operations.get_context()
        opts = getattr(ctx, "opts", None) or {}
        mt = opts.get("target_metadata") if isinstance(opts, dict) else None
        if isinstance(mt, (list, tuple)):
            mt = mt[0] if mt else None
        if mt is not None and hasattr(mt, "naming_convention"):
            kw["naming_convention"] = mt.naming_convention
        return sa.MetaData(**kw)

    def table(self, name, *items, **kw):
        m = self.metadata()
        cols = [c._copy() if c.table is not None else c for c in items if isinstance(c, sa.Column)]
        t = sa.Table(name, m, *cols, **kw)
        for elem in items:
            if isinstance(elem, (sa_schema.Constraint, sa.Index)):
                parent = getattr(elem, "parent", None)
                if parent is not None and parent is not t:
                    elem = elem._copy(target_table=t)
                t.append_constraint(elem)
        for fk in t.foreign_keys:
            self._ensure_table_for_fk(m, fk)
        return t

    def _ensure_table_for_fk(self, metadata, fk):
        if isinstance(fk._colspec, str):
            table_key, cname = fk._colspec.rsplit(".", 1)
            if "." in table_key:
                tokens = table_key.split(".")
                sname, tname = ".".join(tokens[:-1]), tokens[-1]
            else:
                sname, tname = None, table_key
            if table_key not in metadata.tables:
                rel_t = sa.Table(tname, metadata, schema=sname)
            else:
                rel_t = metadata.tables[table_key]
            if cname not in rel_t.c:
                rel_t.append_column(sa.Column(cname, sqltypes.NULLTYPE))

    def primary_key(self, name, table_name, cols, schema=None, **kw):
        t = sa.Table(table_name, self.metadata(), *[sa.Column(n, sqltypes.NULLTYPE) for n in cols], schema=schema)
        pk = sa_schema.PrimaryKeyConstraint(*[t.c[n] for n in cols], name=name, **kw)
        t.append_constraint(pk)
        return pk

    def foreign_key(self, name, source, referent, local_cols, remote_cols, onupdate=None, ondelete=None,
                    deferrable=None, source_schema=None, referent_schema=None, initially=None, match=None, **kw):
        m = self.metadata()
        if source == referent and source_schema == referent_schema:
            t1_cols = list(local_cols) + list(remote_cols)
        else:
            t1_cols = list(local_cols)
            sa.Table(referent, m, *[sa.Column(n, sqltypes.NULLTYPE) for n in remote_cols], schema=referent_schema)
        seen = []
        for c in t1_cols:
            if c not in seen:
                seen.append(c)
        t1 = sa.Table(source, m, *[sa.Column(n, sqltypes.NULLTYPE) for n in seen], schema=source_schema)
        tname = "%s.%s" % (referent_schema, referent) if referent_schema else referent
        kw["match"] = match
        fk = sa_schema.ForeignKeyConstraint(
            local_cols, ["%s.%s" % (tname, n) for n in remote_cols], name=name, onupdate=onupdate,
            ondelete=ondelete, deferrable=deferrable, initially=initially, **kw)
        t1.append_constraint(fk)
        return fk

    def unique(self, name, source, local_cols, schema=None, **kw):
        t = sa.Table(source, self.metadata(), *[sa.Column(n, sqltypes.NULLTYPE) for n in local_cols], schema=schema)
        kw["name"] = name
        uq = sa_schema.UniqueConstraint(*[t.c[n] for n in local_cols], **kw)
        t.append_constraint(uq)
        return uq

    def check(self, name, source, condition, schema=None, **kw):
        t = sa.Table(source, self.metadata(), sa.Column("x", sa.Integer), schema=schema)
        ck = sa_schema.CheckConstraint(condition, name=name, **kw)
        t.append_constraint(ck)
        return ck

    def index(self, name, tablename, columns, schema=None, **kw):
        t = sa.Table(tablename or "no_table", self.metadata(), schema=schema)
        kw["_table"] = t
        return sa.Index(name, *[_index_column(t, c) for c in columns], **kw)


def _index_column(table, item):
    if isinstance(item, str):
        c = sa.Column(item, sqltypes.NULLTYPE)
        table.append_column(c)
        return c
    if isinstance(item, sa_elements.TextClause):
        return item
    if isinstance(item, sa_elements.ColumnElement):
        return _copy_expression(item, table)
    raise ValueError("String or text() construct expected")


def _copy_expression(expression, target_table):
    from sqlalchemy.sql import visitors

    def replace(col):
        if isinstance(col, sa.Column) and col.table is not None and col.table is not target_table:
            if col.name in target_table.c:
                return target_table.c[col.name]
            c = col._copy()
            target_table.append_column(c)
            return c
        return None

    return visitors.replacement_traverse(expression, {}, replace)


def _to_instance(type_):
    return None if type_ is None else sqltypes.to_instance(type_)


# --------------------------------------------------------------------------
# The op API
# --------------------------------------------------------------------------


class Operations:
    """Alembic's ``op`` object for one migration run."""

    _impls: dict = {}
    # A batch block queues each operation as IR for Rust to plan
    # (BatchOperations); outside one, operations run at once.
    _queues_ir = False

    def __init__(self, runtime):
        self.runtime = runtime
        self._describer = None
        self.schema_obj = _Schema(self)

    # -- plumbing --------------------------------------------------------
    @property
    def _d(self) -> _Describer:
        if self._describer is None:
            self._describer = _Describer(self.runtime.dialect)
        return self._describer

    def _emit(self, ir: dict) -> None:
        self.runtime.emit(ir)

    @property
    def migration_context(self):
        return self.runtime.migration_context

    # What Alembic runs as SQLAlchemy's own DDL constructs (CreateTable,
    # CreateIndex, AddConstraint, …) is compiled by the installed
    # SQLAlchemy and run on the migration's connection (written out
    # offline), as Alembic's DefaultImpl runs them: their SQL is that
    # SQLAlchemy's, whatever its version.
    def _exec(self, construct):
        self.runtime.execute(construct)

    def _table_events(self, kind, table, after=False):
        """``before_create``/``after_create`` (or ``_drop``) as Alembic
        dispatches them; the migration context's impl is the DDL runner,
        whose ``memo`` makes a native enum type be created once per run."""
        event = ("after_" if after else "before_") + kind
        getattr(table.dispatch, event)(
            table, self.runtime.bind, checkfirst=False, _ddl_runner=self.runtime.migration_context.impl
        )

    def _separate_comments(self) -> bool:
        d = self.runtime.dialect
        return bool(d.supports_comments and not d.inline_comments)

    @classmethod
    def register_operation(cls, name: str, sourcename: str | None = None):
        """Register a new operation class's classmethod as ``op.<name>``."""

        def register(op_cls):
            source = getattr(op_cls, sourcename or name)

            @functools.wraps(source)
            def method(self, *args, **kw):
                return getattr(op_cls, source.__name__)(self, *args, **kw)

            setattr(cls, name, method)
            return op_cls

        return register

    @classmethod
    def implementation_for(cls, op_cls, replace: bool = False):
        """Register the function that carries out an operation class."""

        def decorate(fn):
            if op_cls in Operations._impls and not replace:
                raise ValueError("Can not set dispatch function for %r: already set" % op_cls)
            Operations._impls[op_cls] = fn
            return fn

        return decorate

    def invoke(self, operation):
        for klass in type(operation).__mro__:
            fn = Operations._impls.get(klass)
            if fn is not None:
                return fn(self, operation)
        raise NotImplementedError(
            "No implementation registered for %s" % type(operation).__name__
        )

    @contextlib.contextmanager
    def batch_alter_table(self, table_name, schema=None, recreate="auto", partial_reordering=None,
                          copy_from=None, table_args=(), table_kwargs=None, reflect_args=(),
                          reflect_kwargs=None, naming_convention=None):
        """Batch mode: each call in the block is described as it is made;
        when the block ends they go to Rust as one ``batch`` operation, which
        runs them as ALTERs or rebuilds the table (SQLite's move-and-copy),
        as Alembic's ``BatchOperationsImpl.flush`` decides."""
        if recreate not in ("auto", "always", "never"):
            raise ValueError("recreate may be one of 'auto', 'always', or 'never'.")
        batch = BatchOperations(
            self, table_name, schema, recreate, partial_reordering=partial_reordering,
            copy_from=copy_from, table_args=table_args, table_kwargs=table_kwargs,
            reflect_args=reflect_args, reflect_kwargs=reflect_kwargs,
            naming_convention=naming_convention,
        )
        yield batch
        batch._flush()

    def get_context(self):
        return self.runtime.migration_context

    def get_bind(self):
        return self.runtime.bind

    def f(self, name: str):
        return conv(name)

    def inline_literal(self, value, type_=None):
        return _literal_bindparam(None, value, type_=type_, unique=True)

    def execute(self, sqltext, *, execution_options=None):
        if isinstance(sqltext, str):
            sqltext = sa.text(sqltext)
        if execution_options:
            sqltext = sqltext.execution_options(**execution_options)
        self.runtime.execute(sqltext)

    def run_async(self, async_function, *args, **kw_args):
        # Alembic's checks and messages: offline, get_bind() is a mock
        # connection of a sync dialect; online it needs env.py's async engine.
        from . import dialects

        bind = self.get_bind()
        if bind is None:
            raise NotImplementedError("Cannot call run_async in SQL mode")
        async_conn = None if self.runtime.as_sql else dialects.async_connection_for(bind)
        if async_conn is None:
            raise ValueError("Cannot call run_async with a sync engine")
        return dialects.run_coroutine(async_function(async_conn, *args, **kw_args))

    # -- tables ---------------------------------------------------------
    def create_table(self, table_name, *columns, if_not_exists=None, **kw):
        table = self.schema_obj.table(table_name, *columns, **kw)
        opts = {} if if_not_exists is None else {"if_not_exists": if_not_exists}
        # Alembic's DefaultImpl.create_table: the table's events (a native
        # enum's CREATE TYPE, listeners a script attached) around CREATE
        # TABLE, then its indexes and, where comments are not inline, its
        # comments.
        self._table_events("create", table)
        self._exec(sa_schema.CreateTable(table, **opts))
        self._table_events("create", table, after=True)
        for index in _sorted_indexes(table):
            self._exec(sa_schema.CreateIndex(index))
        if self._separate_comments():
            if table.comment is not None:
                self._exec(sa_schema.SetTableComment(table))
            for column in table.columns:
                if column.comment is not None:
                    self._exec(sa_schema.SetColumnComment(column))
        return table

    def drop_table(self, table_name, *, schema=None, if_exists=None, **kw):
        table = self.schema_obj.table(table_name, schema=schema, **kw)
        opts = {} if if_exists is None else {"if_exists": if_exists}
        self._table_events("drop", table)
        self._exec(sa_schema.DropTable(table, **opts))
        self._table_events("drop", table, after=True)

    def rename_table(self, old_table_name, new_table_name, *, schema=None):
        self._emit({"op": "rename_table", "table": {"name": str(old_table_name), "schema": _s(schema)},
                    "new_name": str(new_table_name)})

    def create_table_comment(self, table_name, comment, *, existing_comment=None, schema=None):
        if self._queues_ir:
            self._emit({"op": "create_table_comment", "table": {"name": str(table_name), "schema": _s(schema)},
                        "comment": comment})
            return
        table = self.schema_obj.table(table_name, schema=schema, comment=comment)
        self._exec(sa_schema.SetTableComment(table))

    def drop_table_comment(self, table_name, *, existing_comment=None, schema=None):
        if self._queues_ir:
            self._emit({"op": "drop_table_comment", "table": {"name": str(table_name), "schema": _s(schema)}})
            return
        table = self.schema_obj.table(table_name, schema=schema, comment=existing_comment)
        self._exec(sa_schema.DropTableComment(table))

    # -- columns ----------------------------------------------------------
    def add_column(self, table_name, column, *, schema=None, if_not_exists=None, inline_references=None,
                   inline_primary_key=None):
        # Alembic's add_column: the ALTER, then the constraints and indexes
        # the column brings (a foreign key rendered inline is not added
        # again), then its comment where comments are not inline.
        if column.table is not None:
            column = column._copy()
        t = self.schema_obj.table(table_name, column, schema=schema)
        if self._queues_ir:
            d = self._d
            self._emit({
                "op": "add_column",
                "table": {"name": str(table_name), "schema": _s(schema)},
                "column": d.column(column),
                "if_not_exists": if_not_exists,
                "inline_references": inline_references,
                "inline_primary_key": inline_primary_key,
                "constraints": [d.constraint(c) for c in t.constraints
                                if not isinstance(c, sa_schema.PrimaryKeyConstraint) and d.should_create(c)],
                "indexes": [d.index(i) for i in _sorted_indexes(t)],
            })
            return
        self._exec(_AddColumn(table_name, column, schema, if_not_exists, inline_references, inline_primary_key))
        for constraint in t.constraints:
            if isinstance(constraint, sa_schema.PrimaryKeyConstraint):
                continue
            if (inline_references and isinstance(constraint, sa_schema.ForeignKeyConstraint)
                    and len(column.foreign_keys) == 1 and len(constraint.columns) == 1):
                continue
            self._add_constraint(constraint)
        for index in _sorted_indexes(t):
            self._exec(sa_schema.CreateIndex(index))
        if column.comment is not None and self._separate_comments():
            self._exec(sa_schema.SetColumnComment(column))

    def drop_column(self, table_name, column_name, *, schema=None, **kw):
        self._emit({"op": "drop_column", "table": {"name": str(table_name), "schema": _s(schema)},
                    "column": str(column_name), "if_exists": kw.get("if_exists")})

    def alter_column(self, table_name, column_name, *, nullable=None, comment=False, server_default=False,
                     new_column_name=None, type_=None, existing_type=None, existing_server_default=False,
                     existing_nullable=None, existing_comment=None, schema=None, **kw):
        d = self._d
        # Alembic's MySQL test for a DateTime default looks at the argument
        # as given: a type class (not an instance) never matches.
        effective = type_ if type_ is not None else existing_type
        datetime_default = getattr(effective, "_type_affinity", None) is sqltypes.DateTime
        type_ = _to_instance(type_)
        existing_type = _to_instance(existing_type)
        ref = {"name": str(table_name), "schema": _s(schema)}
        drop_constraints = []
        add_constraints = []
        if existing_type is not None and type_ is not None:
            t = self.schema_obj.table(table_name, sa.Column(column_name, existing_type), schema=schema)
            drop_constraints = [d.constraint(c) for c in t.constraints
                                if not isinstance(c, sa_schema.PrimaryKeyConstraint) and d.should_create(c)]
        if type_ is not None:
            t = self.schema_obj.table(table_name, sa.Column(column_name, type_), schema=schema)
            add_constraints = [d.constraint(c) for c in t.constraints
                               if not isinstance(c, sa_schema.PrimaryKeyConstraint) and d.should_create(c)]

        def default_ir(value):
            if value is False:
                return None
            if isinstance(value, sa_schema.Identity):
                return {"identity": d.identity(value)}
            if isinstance(value, sa_schema.Computed):
                return {"computed": True}
            return {"sql": d.default(value)}

        self._emit({
            "op": "alter_column",
            "table": ref,
            "column": str(column_name),
            "nullable": nullable,
            "comment": None if comment is False else {"text": comment},
            "server_default": default_ir(server_default),
            "new_name": _s(new_column_name),
            "type": d.type(type_) if type_ is not None else None,
            "existing_type": d.type(existing_type) if existing_type is not None else None,
            "existing_server_default": default_ir(existing_server_default if existing_server_default is not None else False),
            "existing_nullable": existing_nullable,
            "existing_comment": existing_comment,
            "effective_type_is_datetime": datetime_default,
            "autoincrement": kw.get("autoincrement"),
            "existing_autoincrement": kw.get("existing_autoincrement"),
            "postgresql_using": _s(kw.get("postgresql_using")),
            "drop_constraints": drop_constraints,
            "add_constraints": add_constraints,
        })

    # -- constraints -------------------------------------------------------
    def _add_constraint(self, const):
        if self._queues_ir:
            self._emit({"op": "add_constraint", "constraint": self._d.constraint(const)})
            return
        # Alembic's impl.add_constraint; SQLite's impl refuses an explicit
        # constraint and skips (with a warning) one a type creates.
        if self.runtime.dialect.name == "sqlite":
            if const._create_rule is None:
                raise NotImplementedError(_SQLITE_NO_ALTER)
            if const._create_rule(self._d.ddl):
                warnings.warn(
                    "Skipping unsupported ALTER for creation of implicit constraint. "
                    "Please refer to the batch mode feature which allows for SQLite "
                    "migrations using a copy-and-move strategy.", UserWarning, stacklevel=3)
            return
        if const._create_rule is None or const._create_rule(self._d.ddl):
            self._exec(sa_schema.AddConstraint(const, **_ADD_CONSTRAINT_OPTS))

    def create_primary_key(self, constraint_name, table_name, columns, *, schema=None):
        self._add_constraint(self.schema_obj.primary_key(constraint_name, table_name, columns, schema=schema))

    def create_foreign_key(self, constraint_name, source_table, referent_table, local_cols, remote_cols, *,
                           onupdate=None, ondelete=None, deferrable=None, initially=None, match=None,
                           source_schema=None, referent_schema=None, **dialect_kw):
        self._add_constraint(self.schema_obj.foreign_key(
            constraint_name, source_table, referent_table, local_cols, remote_cols, onupdate=onupdate,
            ondelete=ondelete, deferrable=deferrable, source_schema=source_schema,
            referent_schema=referent_schema, initially=initially, match=match, **dialect_kw))

    def create_unique_constraint(self, constraint_name, table_name, columns, *, schema=None, **kw):
        self._add_constraint(self.schema_obj.unique(constraint_name, table_name, columns, schema=schema, **kw))

    def create_check_constraint(self, constraint_name, table_name, condition, *, schema=None, **kw):
        self._add_constraint(self.schema_obj.check(constraint_name, table_name, condition, schema=schema, **kw))

    def create_exclude_constraint(self, constraint_name, table_name, *elements, **kw):
        from sqlalchemy.dialects.postgresql import ExcludeConstraint

        schema = kw.pop("schema", None)
        where = kw.pop("where", None)
        t = self.schema_obj.table(table_name, schema=schema)
        elems = []
        for expr, op_ in elements:
            if isinstance(expr, str):
                if expr not in t.c:
                    t.append_column(sa.Column(expr, sqltypes.NULLTYPE))
            elems.append((expr, op_))
        if isinstance(where, str):
            where = sa.text(where)
        excl = ExcludeConstraint(*elems, name=constraint_name, where=where, **kw)
        t.append_constraint(excl)
        self._add_constraint(excl)

    def drop_constraint(self, constraint_name, table_name, type_=None, *, schema=None, if_exists=None):
        types = ("foreignkey", "primary", "unique", "check", None)
        if type_ not in types:
            raise TypeError("'type' can be one of %s" % ", ".join(sorted(repr(x) for x in types)))
        if if_exists is not None and not _SQLALCHEMY_2:
            # Alembic's drop_constraint refuses if_exists before SQLAlchemy 2.0
            raise NotImplementedError("SQLAlchemy 2.0 required")
        t = sa.Table(table_name, self.schema_obj.metadata(), schema=schema)
        generic = sa_schema.Constraint(name=constraint_name)
        t.append_constraint(generic)
        self._emit({"op": "drop_constraint", "name": self._d.final_name(generic),
                    "table": {"name": str(table_name), "schema": _s(schema)}, "type": type_,
                    "if_exists": if_exists})

    # -- indexes -------------------------------------------------------------
    def create_index(self, index_name, table_name, columns, *, schema=None, unique=False, if_not_exists=None,
                     **kw):
        idx = self.schema_obj.index(index_name, table_name, columns, schema=schema, unique=unique, **kw)
        if self._queues_ir:
            self._emit({"op": "create_index", "index": self._d.index(idx), "if_not_exists": if_not_exists})
            return
        if self.runtime.dialect.name == "postgresql":
            # PostgresqlImpl.create_index: INCLUDE columns the table lacks
            # are added to it (untyped) so SQLAlchemy can name them.
            for col in idx.kwargs.get("postgresql_include", None) or ():
                if col not in idx.table.c:
                    idx.table.append_column(sa.Column(col, sqltypes.NullType))
        opts = {} if if_not_exists is None else {"if_not_exists": if_not_exists}
        self._exec(sa_schema.CreateIndex(idx, **opts))

    def drop_index(self, index_name, table_name=None, *, schema=None, if_exists=None, **kw):
        idx = self.schema_obj.index(index_name, table_name, [], schema=schema, **kw)
        if self._queues_ir:
            self._emit({"op": "drop_index", "index": self._d.index(idx), "if_exists": if_exists})
            return
        opts = {} if if_exists is None else {"if_exists": if_exists}
        self._exec(sa_schema.DropIndex(idx, **opts))

    # -- data --------------------------------------------------------------
    def bulk_insert(self, table, rows, *, multiinsert=True):
        if not isinstance(rows, list):
            raise TypeError("List expected")
        if rows and not isinstance(rows[0], dict):
            raise TypeError("List of dictionaries expected")
        if self.runtime.as_sql:
            _write_inserts_offline(self.runtime, table, rows)
        elif rows:
            if multiinsert:
                self.runtime.execute(table.insert().inline(), rows)
            else:
                for row in rows:
                    self.runtime.execute(table.insert().inline().values(**row))


# The column name type-bound CHECK templates are written for (Rust puts the
# column's current name in its place: ir::TYPE_CHECK_COLUMN).
_TYPE_CHECK_COLUMN = "__retort_column__"

_CONVENTION_KEYS = {
    sa_schema.PrimaryKeyConstraint: "pk",
    sa_schema.UniqueConstraint: "uq",
    sa_schema.ForeignKeyConstraint: "fk",
    sa_schema.CheckConstraint: "ck",
    sa.Index: "ix",
}


class BatchOperations(Operations):
    """``op`` inside ``with op.batch_alter_table(...)``: the table name is
    implied.  Each call is described as it is made (Alembic builds its op
    objects then too) and queued; ``op.execute`` runs at once, as in
    Alembic.  What the batch needs beyond the plain operations (placement,
    type affinities, the CHECKs types create) rides along as ``"batch"``."""

    _queues_ir = True

    def __init__(self, operations, table_name, schema=None, recreate="auto", **options):
        super().__init__(operations.runtime)
        self._parent = operations
        self.table_name = table_name
        self.schema = schema
        self.recreate = recreate
        self._options = options
        self._steps: list = []

    def _emit(self, ir):
        self._steps.append(ir)

    # -- what only a batch needs ---------------------------------------------
    def _type_checks(self, type_):
        """The CHECKs a type creates with its table (Boolean or Enum with
        ``create_constraint=True``), written for a placeholder column."""
        col = sa.Column(_TYPE_CHECK_COLUMN, sqltypes.to_instance(type_))
        t = self.schema_obj.table(self.table_name, col, schema=self.schema)
        d = self._d
        return [
            {"name": d.final_name(c), "template": d.expr(c.sqltext)}
            for c in t.constraints
            if getattr(c, "_type_bound", False) and d.should_create(c)
        ]

    def _describe_column(self, ir, type_):
        type_ = sqltypes.to_instance(type_)
        affinity = type_._type_affinity
        ir["type_affinity"] = None if affinity is None else affinity.__name__
        ir["type_checks"] = self._type_checks(type_)
        return ir

    def _with_templates(self, constraints, type_):
        """Type-bound CHECKs of an operation, with their templates."""
        templates = iter(self._type_checks(type_))
        for c in constraints:
            if c.get("implicit") and c.get("kind") == "check":
                c["template"] = next(templates, {}).get("template")

    def _describe_table(self, table):
        # A copy in a MetaData of its own, where the tables its foreign keys
        # refer to can be stood in for without touching the user's.
        metadata = sa.MetaData()
        table = table.to_metadata(metadata)
        for fk in table.foreign_keys:
            self.schema_obj._ensure_table_for_fk(metadata, fk)
        ir = self._d.table(table)
        for col_ir, col in zip(ir["columns"], table.columns):
            self._describe_column(col_ir, col.type)
        for idx_ir, idx in zip(ir["indexes"], _sorted_indexes(table)):
            idx_ir["column_flag"] = bool(getattr(idx, "_column_flag", False))
        return ir

    def _describe_table_args(self, table_args):
        """Constraints of ``table_args``, bound to a stand-in of the new table."""
        out = []
        metadata = sa.MetaData()
        for item in table_args:
            if not isinstance(item, sa_schema.Constraint):
                raise NotImplementedError(
                    "retort supports constraints in batch_alter_table(table_args=...), not %r" % (item,)
                )
            names = []
            for c in getattr(item, "_pending_colargs", None) or []:
                name = c if isinstance(c, str) else getattr(c, "name", None)
                if name is not None and name not in names:
                    names.append(name)
            t = sa.Table("_alembic_tmp_%s" % self.table_name, metadata,
                         *[sa.Column(n, sqltypes.NULLTYPE) for n in names], schema=self.schema)
            if getattr(item, "parent", None) is not None:
                item = item._copy()
            t.append_constraint(item)
            for fk in t.foreign_keys:
                self.schema_obj._ensure_table_for_fk(metadata, fk)
            out.append(self._d.constraint(item))
            metadata.remove(t)
        return out

    @staticmethod
    def _kwargs(kwargs):
        out = []
        for k, v in dict(kwargs or {}).items():
            if isinstance(v, (list, tuple)):
                v = [str(x) for x in v]
            elif not (isinstance(v, (str, bool, int, float)) or v is None):
                v = str(v)
            out.append([str(k), v])
        return out

    @staticmethod
    def _naming_convention(convention):
        out = []
        for key, value in dict(convention or {}).items():
            key = _CONVENTION_KEYS.get(key, key)
            if key not in ("pk", "uq", "fk", "ck", "ix") or not isinstance(value, str):
                raise NotImplementedError(
                    "retort supports naming conventions of string templates for pk, uq, fk, ck "
                    "and ix in batch_alter_table(naming_convention=...), not %r: %r" % (key, value)
                )
            out.append([key, value])
        return out

    def _flush(self):
        steps, self._steps = self._steps, []
        o = self._options
        reflect_kwargs = dict(o.get("reflect_kwargs") or {})
        reflect_kwargs.pop("resolve_fks", None)
        if reflect_kwargs:
            raise NotImplementedError(
                "retort does not support batch_alter_table(reflect_kwargs=%r) yet" % (reflect_kwargs,)
            )
        reflect_columns = []
        for item in o.get("reflect_args") or ():
            if not isinstance(item, sa.Column):
                raise NotImplementedError(
                    "retort supports columns in batch_alter_table(reflect_args=...), not %r" % (item,)
                )
            reflect_columns.append(self._describe_column(self._d.column(item), item.type))
        copy_from = o.get("copy_from")
        # A runtime without emit_batch renders the batch like any operation
        # (fine whenever no table has to be reflected).
        emit = getattr(self.runtime, "emit_batch", None) or self.runtime.emit
        emit({
            "op": "batch",
            "table": {"name": str(self.table_name), "schema": _s(self.schema)},
            "recreate": self.recreate,
            "copy_from": self._describe_table(copy_from) if copy_from is not None else None,
            "partial_reordering": [[str(c) for c in t] for t in (o.get("partial_reordering") or ())],
            "table_args": self._describe_table_args(o.get("table_args") or ()),
            "table_kwargs": self._kwargs(o.get("table_kwargs")),
            "reflect_columns": reflect_columns,
            "naming_convention": self._naming_convention(o.get("naming_convention")),
            "ops": steps,
        })

    # -- the operations ----------------------------------------------------------
    def add_column(self, column, *, insert_before=None, insert_after=None, if_not_exists=None,
                   inline_references=None, inline_primary_key=None):
        Operations.add_column(self, self.table_name, column, schema=self.schema,
                              if_not_exists=if_not_exists, inline_references=inline_references,
                              inline_primary_key=inline_primary_key)
        ir = self._steps[-1]
        self._describe_column(ir["column"], column.type)
        self._with_templates(ir["constraints"], column.type)
        sd = column.server_default
        ir["batch"] = {
            "insert_before": _s(insert_before) if insert_before else None,
            "insert_after": _s(insert_after) if insert_after else None,
            "default_is_expression": isinstance(sd, sa_schema.DefaultClause)
            and isinstance(sd.arg, sa_elements.ClauseElement),
            "column_index": bool(column.index),
            "column_unique": bool(column.unique),
        }

    def alter_column(self, column_name, *, nullable=None, comment=False, server_default=False,
                     new_column_name=None, type_=None, existing_type=None, existing_server_default=False,
                     existing_nullable=None, existing_comment=None, insert_before=None, insert_after=None,
                     **kw):
        Operations.alter_column(self, self.table_name, column_name, nullable=nullable, comment=comment,
                                server_default=server_default, new_column_name=new_column_name,
                                type_=type_, existing_type=existing_type,
                                existing_server_default=existing_server_default,
                                existing_nullable=existing_nullable, existing_comment=existing_comment,
                                schema=self.schema, **kw)
        ir = self._steps[-1]
        extras = {"existing_type_name": self._type_name(existing_type)}
        if type_ is not None:
            new_type = sqltypes.to_instance(type_)
            affinity = new_type._type_affinity
            extras["type_affinity"] = None if affinity is None else affinity.__name__
            extras["type_is_json"] = isinstance(new_type, sa.JSON)
            self._with_templates(ir["add_constraints"], new_type)
        ir["batch"] = extras

    def _type_name(self, type_):
        """The name of a Boolean or Enum type given as an instance (Alembic
        drops the CHECK of that name with the column or its old name)."""
        if type_ is None or isinstance(type_, type):
            return None
        mapping = getattr(type_, "_variant_mapping", None)
        if mapping:
            type_ = mapping.get(self._d.dialect.name, type_)
        if isinstance(type_, SchemaEventTarget) and getattr(type_, "name", None):
            return str(type_.name)
        return None

    def drop_column(self, column_name, **kw):
        Operations.drop_column(self, self.table_name, column_name, schema=self.schema, **kw)
        self._steps[-1]["batch"] = {"existing_type_name": self._type_name(kw.get("existing_type"))}

    def create_index(self, index_name, columns, **kw):
        Operations.create_index(self, index_name, self.table_name, columns, schema=self.schema, **kw)

    def drop_index(self, index_name, **kw):
        Operations.drop_index(self, index_name, self.table_name, schema=self.schema, **kw)

    def create_unique_constraint(self, constraint_name, columns, **kw):
        Operations.create_unique_constraint(self, constraint_name, self.table_name, columns,
                                            schema=self.schema, **kw)

    def create_foreign_key(self, constraint_name, referent_table, local_cols, remote_cols, *,
                           referent_schema=None, onupdate=None, ondelete=None, deferrable=None,
                           initially=None, match=None, **dialect_kw):
        Operations.create_foreign_key(self, constraint_name, self.table_name, referent_table, local_cols,
                                      remote_cols, referent_schema=referent_schema,
                                      source_schema=self.schema, onupdate=onupdate, ondelete=ondelete,
                                      deferrable=deferrable, initially=initially, match=match,
                                      **dialect_kw)

    def create_check_constraint(self, constraint_name, condition, **kw):
        Operations.create_check_constraint(self, constraint_name, self.table_name, condition,
                                           schema=self.schema, **kw)

    def create_primary_key(self, constraint_name, columns):
        Operations.create_primary_key(self, constraint_name, self.table_name, columns, schema=self.schema)

    def create_exclude_constraint(self, constraint_name, *elements, **kw):
        kw.setdefault("schema", self.schema)
        Operations.create_exclude_constraint(self, constraint_name, self.table_name, *elements, **kw)

    def drop_constraint(self, constraint_name, type_=None):
        """Alembic names the constraint to drop through a constraint of the
        given type, so the target metadata's naming convention applies."""
        types = {
            "foreignkey": lambda name: sa_schema.ForeignKeyConstraint([], [], name=name),
            "primary": sa_schema.PrimaryKeyConstraint,
            "unique": sa_schema.UniqueConstraint,
            "check": lambda name: sa_schema.CheckConstraint("", name=name),
            None: sa_schema.Constraint,
        }
        if type_ not in types:
            raise TypeError("'type' can be one of %s" % ", ".join(sorted(repr(x) for x in types)))
        t = self.schema_obj.table(self.table_name, schema=self.schema)
        const = types[type_](name=constraint_name)
        t.append_constraint(const)
        name = self._d.final_name(const) if isinstance(const.name, str) else None
        self._emit({"op": "drop_constraint", "name": name,
                    "table": {"name": str(self.table_name), "schema": _s(self.schema)}, "type": type_})

    def create_table_comment(self, comment, existing_comment=None):
        Operations.create_table_comment(self, self.table_name, comment, existing_comment=existing_comment,
                                        schema=self.schema)

    def drop_table_comment(self, existing_comment=None):
        Operations.drop_table_comment(self, self.table_name, existing_comment=existing_comment,
                                      schema=self.schema)


_PUBLIC = (
    "add_column", "alter_column", "batch_alter_table", "bulk_insert", "create_check_constraint",
    "create_exclude_constraint", "create_foreign_key", "create_index", "create_primary_key",
    "create_table", "create_table_comment", "create_unique_constraint", "drop_column",
    "drop_constraint", "drop_index", "drop_table", "drop_table_comment", "execute", "f", "get_bind",
    "get_context", "implementation_for", "inline_literal", "invoke", "register_operation",
    "rename_table", "run_async",
)


def proxy_names() -> list:
    """The names ``alembic.op`` forwards to the current Operations,
    including operations registered with ``register_operation``."""
    names = set(_PUBLIC)
    for name, value in vars(Operations).items():
        if not name.startswith("_") and callable(value):
            names.add(name)
    return sorted(names)
