"""Compares ``target_metadata`` with the live schema, reflected by
SQLAlchemy's inspector over the connection env.py configured (retort's
sqlx-backed DBAPI), and lists the operations that would bring the database
to the model, in the order Alembic finds them."""

import logging
import re

import sqlalchemy as sa
from sqlalchemy import types as sqltypes
from sqlalchemy.sql.elements import conv
from sqlalchemy.util import OrderedSet

from . import ops, plugins
from .compat import ALEMBIC_1_20

log = logging.getLogger("alembic.autogenerate.compare")

# retort's own audit side table: never part of a model, never dropped.
RETORT_TABLES = ("retort_history",)

_TYPE_SYNONYMS = {
    "default": ({"numeric", "decimal"},),
    "mysql": ({"numeric", "decimal"}, {"bool", "tinyint"}, {"json", "longtext"}),
}
_TYPE_ARG_EXTRACT = {"mysql": (r"character set ([\w\-_]+)", r"collate ([\w\-_]+)")}


class Comparison:
    """What one comparison needs: env.py's options, the connection, the
    inspector and the filters."""

    def __init__(self, migration_context, metadata):
        self.context = migration_context
        self.opts = migration_context.opts
        self.connection = migration_context.connection
        self.dialect = self.connection.dialect
        self.metadata = metadata
        self.inspector = sa.inspect(self.connection)
        self.include_object = self.opts.get("include_object")
        self.include_name = self.opts.get("include_name")
        self.dialect_name = "mysql" if self.dialect.name in ("mysql", "mariadb") else self.dialect.name
        self.plugins = plugins.enabled(self.opts)

    # -- filters ---------------------------------------------------------------

    def name_included(self, name, type_, parents):
        if self.include_name is None:
            return True
        if "schema_name" in parents:
            table_name = name if type_ == "table" else parents.get("table_name")
            if table_name:
                schema = parents["schema_name"]
                parents["schema_qualified_table_name"] = "%s.%s" % (schema, table_name) if schema else table_name
        return bool(self.include_name(name, type_, parents))

    def object_included(self, obj, name, type_, reflected, compare_to):
        if self.include_object is None:
            return True
        return bool(self.include_object(obj, name, type_, reflected, compare_to))

    # -- the model -------------------------------------------------------------

    def metadatas(self):
        m = self.metadata
        return list(m) if isinstance(m, (list, tuple)) else [m]

    def sorted_tables(self):
        out = []
        for m in self.metadatas():
            out.extend(m.sorted_tables)
        return out

    def table_by_key(self):
        result = {}
        for m in self.metadatas():
            dup = set(result).intersection(m.tables)
            if dup:
                raise ValueError(
                    "Duplicate table keys across multiple MetaData objects: %s"
                    % ", ".join('"%s"' % k for k in sorted(dup))
                )
            result.update(m.tables)
        return result

    # -- the run ---------------------------------------------------------------

    def run(self):
        upgrade = ops.Container()
        if plugins.SCHEMAS not in self.plugins:
            return upgrade
        schemas = {None}
        if self.opts.get("include_schemas"):
            schemas = set(self.inspector.get_schema_names())
            schemas.discard("information_schema")
            schemas.discard(self.dialect.default_schema_name)
            schemas.add(None)
        schemas = {s for s in schemas if self.name_included(s, "schema", {})}
        if plugins.TABLES in self.plugins:
            self.compare_tables(schemas, upgrade)
        return upgrade

    def compare_tables(self, schemas, upgrade):
        version_table = self.context.version_table
        version_schema = self.context.version_table_schema
        conn_names = set()
        for schema in schemas:
            names = set(self.inspector.get_table_names(schema=schema))
            if schema == version_schema:
                names.discard(version_table)
            names.difference_update(RETORT_TABLES)
            conn_names.update(
                (schema, t) for t in names if self.name_included(t, "table", {"schema_name": schema})
            )
        default_schema = self.dialect.default_schema_name
        by_key = self.table_by_key()
        model = OrderedSet()
        model_tables = {}
        for t in self.sorted_tables():
            if (t.schema, t.name) == (version_schema, version_table):
                continue
            key = (t.schema if t.schema != default_schema else None, t.name)
            model.add(key)
            model_tables[key] = by_key[sa.schema._get_table_key(t.name, t.schema)]

        for s, tname in model.difference(conn_names):
            table = model_tables[(s, tname)]
            if self.object_included(table, tname, "table", False, None):
                upgrade.ops.append(ops.CreateTable(table))
                log.info("Detected added table %r", "%s.%s" % (s, tname) if s else tname)
                modify = ops.ModifyTable(tname, s)
                self.table_comparators(modify, s, tname, None, table)
                if not modify.is_empty():
                    upgrade.ops.append(modify)

        removal = sa.MetaData()
        for s, tname in conn_names.difference(model):
            t = self.reflect(removal, s, tname)
            if self.object_included(t, tname, "table", True, None):
                modify = ops.ModifyTable(tname, s)
                self.table_comparators(modify, s, tname, t, None)
                if not modify.is_empty():
                    upgrade.ops.append(modify)
                upgrade.ops.append(ops.DropTable(t))
                log.info("Detected removed table %r", sa.schema._get_table_key(tname, s))

        existing = conn_names.intersection(model)
        existing_md = sa.MetaData()
        reflected = {key: self.reflect(existing_md, *key) for key in existing}
        for s, tname in sorted(existing, key=lambda x: (x[0] or "", x[1])):
            table = model_tables[(s, tname)]
            conn_table = reflected[(s, tname)]
            if not self.object_included(table, tname, "table", False, conn_table):
                continue
            modify = ops.ModifyTable(tname, s)
            self.compare_columns(modify, s, tname, conn_table, table)
            if not modify.is_empty():
                upgrade.ops.append(modify)

    def reflect(self, metadata, schema, tname):
        key = sa.schema._get_table_key(tname, schema)
        if key in metadata.tables and not metadata.tables[key].info.get("alembic_placeholder"):
            return metadata.tables[key]
        t = sa.Table(tname, metadata, schema=schema)
        sa.event.listen(t, "column_reflect", self.column_reflect)
        self.inspector.reflect_table(t, include_columns=None, resolve_fks=False)
        # Reflected names are final: naming conventions must not touch them.
        for c in list(t.constraints) + list(t.indexes):
            if c.name is not None and not isinstance(c.name, conv):
                c.name = conv(c.name)
        return t

    def column_reflect(self, inspector, table, info):
        """The dialect adjustments Alembic makes to reflected columns."""
        default = info.get("default")
        if self.dialect_name == "postgresql" and default and isinstance(info["type"], (sa.INTEGER, sa.BIGINT)):
            m = re.match(r"nextval\('(.+?)'::regclass\)", default)
            if m:
                row = self.connection.execute(
                    sa.text(
                        "select c.relname, a.attname from pg_class as c join pg_depend d on "
                        "d.objid=c.oid and d.classid='pg_class'::regclass and "
                        "d.refclassid='pg_class'::regclass join pg_class t on t.oid=d.refobjid "
                        "join pg_attribute a on a.attrelid=t.oid and a.attnum=d.refobjsubid "
                        "where c.relkind='S' and c.oid=cast(:seqname as regclass)"
                    ),
                    {"seqname": m.group(1)},
                ).first()
                if row and row[1] == info["name"]:
                    del info["default"]
        elif self.dialect_name == "sqlite" and _unparenthesized_sql(default):
            info["default"] = "(%s)" % default

    # -- tables ----------------------------------------------------------------

    def table_comparators(self, modify, schema, tname, conn_table, table):
        """The plugins' table comparators, in Alembic's order."""
        if plugins.CONSTRAINTS in self.plugins:
            self.compare_indexes(modify, schema, tname, conn_table, table)
            self.compare_foreign_keys(modify, schema, tname, conn_table, table)
        if plugins.COMMENTS in self.plugins:
            self.compare_table_comment(modify, schema, tname, conn_table, table)
        if plugins.CHECKS in self.plugins:
            self.compare_check_constraints(modify, schema, tname, conn_table, table)

    def compare_columns(self, modify, schema, tname, conn_table, table):
        name = "%s.%s" % (schema, tname) if schema else tname
        model_cols = OrderedSet(c.name for c in table.c if not c.system)
        model_by_name = {c.name: c for c in table.c if not c.system}
        conn_cols = {
            c.name: c
            for c in conn_table.c
            if self.name_included(c.name, "column", {"table_name": tname, "schema_name": schema})
        }
        for cname in model_cols.difference(conn_cols):
            if self.object_included(model_by_name[cname], cname, "column", False, None):
                modify.ops.append(ops.AddColumn(schema, tname, model_by_name[cname]))
                log.info("Detected added column '%s.%s'", name, cname)
        for cname in model_cols.intersection(conn_cols):
            col, conn_col = model_by_name[cname], conn_table.c[cname]
            if not self.object_included(col, cname, "column", False, conn_col):
                continue
            alter = ops.AlterColumn(tname, cname, schema)
            self.column_comparators(alter, schema, tname, cname, conn_col, col)
            if alter.has_changes():
                modify.ops.append(alter)
        self.table_comparators(modify, schema, tname, conn_table, table)
        for cname in set(conn_cols).difference(model_cols):
            if self.object_included(conn_table.c[cname], cname, "column", True, None):
                modify.ops.append(ops.DropColumn(schema, tname, conn_table.c[cname]))
                log.info("Detected removed column '%s.%s'", name, cname)

    # -- columns ---------------------------------------------------------------

    def column_comparators(self, alter, schema, tname, cname, conn_col, col):
        """The plugins' column comparators, in Alembic's order."""
        if plugins.TYPES in self.plugins:
            self.compare_type(alter, tname, cname, conn_col, col)
        if plugins.CONSTRAINTS in self.plugins:
            self.compare_nullable(alter, tname, cname, conn_col, col)
        if plugins.DEFAULTS in self.plugins:
            self.compare_server_default(alter, tname, cname, conn_col, col)
            if col.table._autoincrement_column is col or col.autoincrement is True:
                alter.autoincrement = True
            elif col.autoincrement is False:
                alter.autoincrement = False
        if plugins.COMMENTS in self.plugins:
            self.compare_column_comment(alter, tname, cname, conn_col, col)

    def compare_type(self, alter, tname, cname, conn_col, col):
        user_type = self.opts.get("compare_type", True)
        if user_type is not False and self.type_comparable(alter, tname, cname, conn_col, col):
            if callable(user_type):
                is_diff = user_type(self.context, conn_col, col, conn_col.type, col.type)
                if is_diff is None:
                    is_diff = self.types_differ(conn_col, col)
            else:
                is_diff = self.types_differ(conn_col, col)
            if is_diff:
                alter.modify_type = col.type
                log.info("Detected type change from %r to %r on '%s.%s'", conn_col.type, col.type, tname, cname)

    def type_comparable(self, alter, tname, cname, conn_col, col):
        alter.existing_type = conn_col.type
        if conn_col.type._type_affinity is sqltypes.NullType:
            log.info("Couldn't determine database type for column '%s.%s'", tname, cname)
            return False
        if col.type._type_affinity is sqltypes.NullType:
            log.info("Column '%s.%s' has no type within the model; can't compare", tname, cname)
            return False
        return True

    def _type_terms(self, column):
        definition = self.dialect.type_compiler.process(column.type).lower()
        tokens = re.findall(r"[\w\-_]+|\(.+?\)", definition)
        words, paren = [], None
        for token in tokens:
            if re.match(r"^\(.*\)$", token):
                paren = token
            else:
                words.append(token)
        args, kwargs = [], {}
        for term in re.findall(r"[^(),]+", paren or ""):
            if "=" in term:
                k, v = term.split("=")
                kwargs[k.strip()] = v.strip()
            else:
                args.append(term.strip())
        return words[0], words[1:], args

    def types_differ(self, conn_col, col):
        """Alembic's default type comparison: the compiled DDL of both types,
        split into name, modifiers and arguments (MySQL's native enums by
        their set of values)."""
        if (
            self.dialect_name == "mysql"
            and isinstance(col.type, sqltypes.Enum)
            and isinstance(conn_col.type, sqltypes.Enum)
        ):
            return set(col.type.enums) != set(conn_col.type.enums)
        c0, ctoks, cargs = self._type_terms(conn_col)
        m0, mtoks, margs = self._type_terms(col)
        if c0 != m0:
            call = " ".join([c0] + ctoks)
            mall = " ".join([m0] + mtoks)
            synonyms = _TYPE_SYNONYMS.get(self.dialect_name, _TYPE_SYNONYMS["default"])
            if not any({call, mall} <= s or {c0, m0} <= s for s in synonyms):
                return True
        if len(mtoks) == len(ctoks) and mtoks != ctoks:
            return True
        if len(margs) == len(cargs) and margs != cargs:
            return True
        insp, meta = " ".join(ctoks), " ".join(mtoks)
        for reg in _TYPE_ARG_EXTRACT.get(self.dialect_name, ()):
            mi, mm = re.search(reg, insp), re.search(reg, meta)
            if mi and mm and mi.group(1) != mm.group(1):
                return True
        return False

    def compare_nullable(self, alter, tname, cname, conn_col, col):
        alter.existing_nullable = conn_col.nullable
        if conn_col.nullable is col.nullable:
            return
        computed = isinstance(col.server_default, sa.Computed) or isinstance(conn_col.server_default, sa.Computed)
        identity = isinstance(col.server_default, sa.Identity) and isinstance(conn_col.server_default, sa.Identity)
        if (computed and not col._user_defined_nullable) or identity:
            log.info("Ignoring nullable change on identity column '%s.%s'", tname, cname)
            return
        alter.modify_nullable = col.nullable
        log.info("Detected %s on column '%s.%s'", "NULL" if col.nullable else "NOT NULL", tname, cname)

    def compare_server_default(self, alter, tname, cname, conn_col, col):
        md, cd = col.server_default, conn_col.server_default
        if md is None and cd is None:
            return
        alter.existing_server_default = cd
        user = self.opts.get("compare_server_default", False)
        if user is False:
            return
        if not isinstance(md, (sa.DefaultClause, type(None))) or not isinstance(cd, (sa.DefaultClause, type(None))):
            return
        rendered_md = _metadata_default_text(md, self.dialect)
        rendered_conn = cd.arg.text if cd is not None else None
        if callable(user):
            is_diff = user(self.context, conn_col, col, rendered_conn, md, rendered_md)
            if is_diff is not None:
                if is_diff:
                    alter.modify_server_default = md
                return
        if self.server_defaults_differ(conn_col, col, rendered_md, rendered_conn):
            alter.modify_server_default = md
            log.info("Detected server default on column '%s.%s'", tname, cname)

    def server_defaults_differ(self, conn_col, col, md, cd):
        name = self.dialect_name
        if name == "sqlite":
            strip = lambda v: v and re.sub(r"^\"?'(.+)'\"?$", r"\1", re.sub(r"^\((.+)\)$", r"\1", v))  # noqa: E731
            return strip(cd) != strip(md)
        if name == "mysql":
            return _mysql_defaults_differ(conn_col, col, md, cd)
        if name == "postgresql":
            return self._pg_defaults_differ(conn_col, col, md, cd)
        return cd != md

    def _pg_defaults_differ(self, conn_col, col, md, cd):
        if col.primary_key and col is col.table._autoincrement_column:
            return False
        if cd and re.match(r"nextval\('(.+?)'::regclass\)", cd):
            cd = cd.replace("::regclass", "")
        if cd == md:
            return False
        if None in (cd, md, col.server_default):
            return True
        arg = col.server_default.arg
        if isinstance(arg, str):
            if not isinstance(conn_col.type, (sa.Numeric, sa.Float)):
                arg = re.sub(r"^'|'$", "", arg)
                arg = "'%s'" % arg
            arg = sa.literal_column(arg)
        # PostgreSQL decides whether the two expressions are equal.
        return not self.connection.scalar(sa.select(sa.literal_column(cd) == arg))

    def compare_column_comment(self, alter, tname, cname, conn_col, col):
        if not self.dialect.supports_comments:
            return
        conn_comment, md_comment = _comment(conn_col.comment), _comment(col.comment)
        if conn_comment is None and md_comment is None:
            return
        alter.existing_comment = conn_comment
        if conn_comment != md_comment:
            alter.modify_comment = md_comment
            log.info("Detected column comment '%s.%s'", tname, cname)

    def compare_table_comment(self, modify, schema, tname, conn_table, table):
        if not self.dialect.supports_comments or conn_table is None or table is None:
            return
        conn_comment, md_comment = _comment(conn_table.comment), _comment(table.comment)
        if conn_comment is None and md_comment is None:
            return
        if md_comment != conn_comment:
            modify.ops.append(ops.TableComment(tname, schema, md_comment, conn_comment))

    # -- indexes and unique constraints ----------------------------------------

    def compare_indexes(self, modify, schema, tname, conn_table, table):
        from . import constraints

        constraints.compare_indexes_and_uniques(self, modify, schema, tname, conn_table, table)

    def compare_check_constraints(self, modify, schema, tname, conn_table, table):
        from . import constraints

        constraints.compare_check_constraints(self, modify, schema, tname, conn_table, table)

    def compare_foreign_keys(self, modify, schema, tname, conn_table, table):
        from . import constraints

        constraints.compare_foreign_keys(self, modify, schema, tname, conn_table, table)


def _comment(comment):
    """A comment as compared: from Alembic 1.20 an empty one is none (most
    databases do not store it apart from none)."""
    return (comment or None) if ALEMBIC_1_20 else comment


def _unparenthesized_sql(expr):
    if not expr:
        return False
    return not (
        re.match(r"^[0-9\.]$", expr) or re.match(r"^'.+'$", expr) or re.match(r"^\(.+\)$", expr)
    )


def _metadata_default_text(default, dialect):
    if isinstance(default, sa.DefaultClause):
        if isinstance(default.arg, str):
            return default.arg
        return str(default.arg.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))
    return default if isinstance(default, str) else None


def _mysql_defaults_differ(conn_col, col, md, cd):
    if (
        col.type._type_affinity is sqltypes.Integer
        and conn_col.primary_key
        and not conn_col.autoincrement
        and not md
        and cd == "'0'"
    ):
        return False
    if ALEMBIC_1_20:
        return _mysql_defaults_differ_1_20(conn_col, col, md, cd)
    if cd and conn_col.type._type_affinity is sqltypes.Integer:
        return re.sub(r"^'|'$", "", cd) != md
    if md and col.type._type_affinity is sqltypes.String:
        return cd != "'%s'" % re.sub(r"^'|'$", "", md)
    if cd and md:
        ins = re.match(r"(.*) (on update.*?)(?:\(\))?$", cd.lower())
        met = re.match(r"(.*) (on update.*?)(?:\(\))?$", md.lower())
        if ins:
            if not met or ins.group(2) != met.group(2):
                return True
            cd, md = ins.group(1), met.group(1)
        return re.sub(r"(.*?)(?:\(\))?$", r"\1", cd.lower()) != re.sub(r"(.*?)(?:\(\))?$", r"\1", md.lower())
    return cd != md


def _mysql_defaults_differ_1_20(conn_col, col, md, cd):
    """Alembic 1.20's MySQL comparison: numeric defaults (MySQL's ``'1'`` and
    ``(2.5)``, MariaDB's ``1``) unwrapped on both sides, expressions
    compared without the parentheses MySQL adds and a trailing ``()``."""
    if cd and _is_numeric_affinity(conn_col.type):
        if _strip_numeric_default(cd) == _strip_numeric_default(md):
            return False
    elif md and col.type._type_affinity is sqltypes.String:
        return cd != "'%s'" % re.sub(r"^'|'$", "", md)
    if cd and md:
        ins = re.match(r"(.*) (on update.*?)(?:\(\))?$", cd.lower())
        met = re.match(r"(.*) (on update.*?)(?:\(\))?$", md.lower())
        if ins:
            if not met or ins.group(2) != met.group(2):
                return True
            cd, md = ins.group(1), met.group(1)
        return _normalize_expression_default(cd) != _normalize_expression_default(md)
    return cd != md


def _is_numeric_affinity(type_):
    """Integer, Numeric or Float affinity (Float has Numeric's under
    SQLAlchemy 2.0, its own under 2.1)."""
    affinity = type_._type_affinity
    return affinity is not None and issubclass(affinity, (sqltypes.Integer, sqltypes.Numeric, sqltypes.Float))


def _strip_numeric_default(default):
    if default is None:
        return None
    return re.sub(r"^'(.*)'$|^\((.*)\)$", r"\1\2", default)


def _normalize_expression_default(default):
    default = re.sub(r"^\((.*)\)$", r"\1", default.lower())
    return re.sub(r"\(\)$", "", default)
