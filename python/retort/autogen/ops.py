"""The operations autogenerate finds: what changed between ``target_metadata``
and the live schema, each able to give its reverse (for ``downgrade()``) and
the tuple ``check`` reports (Alembic's ``as_diffs()`` form)."""

import sqlalchemy as sa
from sqlalchemy.sql import visitors


class Op:
    def reverse(self):
        raise NotImplementedError

    def diffs(self):
        return [self.diff()]


class Container(Op):
    """An ordered list of operations (upgrade or downgrade body)."""

    def __init__(self, ops=None):
        self.ops = list(ops or [])

    def is_empty(self):
        return not self.ops

    def reversed_ops(self):
        return [op.reverse() for op in reversed(self.ops)]

    def diffs(self):
        out = []
        for op in self.ops:
            out.extend(op.diffs())
        return out


class ModifyTable(Container):
    def __init__(self, table_name, schema, ops=None):
        super().__init__(ops)
        self.table_name = table_name
        self.schema = schema

    def reverse(self):
        return ModifyTable(self.table_name, self.schema, self.reversed_ops())


class CreateTable(Op):
    def __init__(self, table):
        self.table = table

    def reverse(self):
        return DropTable(self.table)

    def diff(self):
        return ("add_table", self.table)


class DropTable(Op):
    def __init__(self, table):
        self.table = table

    def reverse(self):
        return CreateTable(self.table)

    def diff(self):
        return ("remove_table", self.table)


class AddColumn(Op):
    def __init__(self, schema, table_name, column):
        self.schema, self.table_name, self.column = schema, table_name, column

    def reverse(self):
        return DropColumn(self.schema, self.table_name, self.column)

    def diff(self):
        return ("add_column", self.schema, self.table_name, self.column)


class DropColumn(Op):
    def __init__(self, schema, table_name, column):
        self.schema, self.table_name, self.column = schema, table_name, column

    def reverse(self):
        return AddColumn(self.schema, self.table_name, self.column)

    def diff(self):
        return ("remove_column", self.schema, self.table_name, self.column)


_UNSET = False


class AlterColumn(Op):
    """One column's differences; ``modify_*`` False/None means unchanged
    (as in Alembic: server default and comment use False, the rest None)."""

    def __init__(self, table_name, column_name, schema):
        self.table_name, self.column_name, self.schema = table_name, column_name, schema
        self.existing_type = None
        self.existing_nullable = None
        self.existing_server_default = False
        self.existing_comment = None
        self.modify_type = None
        self.modify_nullable = None
        self.modify_server_default = False
        self.modify_comment = False
        self.autoincrement = None

    def has_changes(self):
        return (
            self.modify_type is not None
            or self.modify_nullable is not None
            or self.modify_server_default is not False
            or self.modify_comment is not False
        )

    def reverse(self):
        r = AlterColumn(self.table_name, self.column_name, self.schema)
        r.autoincrement = self.autoincrement
        # Each changed attribute swaps its existing and new value; the
        # unchanged ones stay as they are.
        r.existing_type, r.modify_type = (
            (self.modify_type, self.existing_type) if self.modify_type is not None else (self.existing_type, None)
        )
        r.existing_nullable, r.modify_nullable = (
            (self.modify_nullable, self.existing_nullable)
            if self.modify_nullable is not None
            else (self.existing_nullable, None)
        )
        r.existing_server_default, r.modify_server_default = (
            (self.modify_server_default, self.existing_server_default)
            if self.modify_server_default is not False
            else (self.existing_server_default, False)
        )
        r.existing_comment, r.modify_comment = (
            (self.modify_comment, self.existing_comment)
            if self.modify_comment is not False
            else (self.existing_comment, False)
        )
        return r

    def diff(self):
        """Alembic reports one column's changes as one list."""
        s, t, c = self.schema, self.table_name, self.column_name
        out = []
        if self.modify_type is not None:
            out.append(
                (
                    "modify_type",
                    s,
                    t,
                    c,
                    {
                        "existing_nullable": self.existing_nullable,
                        "existing_server_default": self.existing_server_default,
                        "existing_comment": self.existing_comment,
                    },
                    self.existing_type,
                    self.modify_type,
                )
            )
        if self.modify_nullable is not None:
            out.append(
                (
                    "modify_nullable",
                    s,
                    t,
                    c,
                    {
                        "existing_type": self.existing_type,
                        "existing_server_default": self.existing_server_default,
                        "existing_comment": self.existing_comment,
                    },
                    self.existing_nullable,
                    self.modify_nullable,
                )
            )
        if self.modify_server_default is not False:
            out.append(
                (
                    "modify_default",
                    s,
                    t,
                    c,
                    {
                        "existing_nullable": self.existing_nullable,
                        "existing_type": self.existing_type,
                        "existing_comment": self.existing_comment,
                    },
                    self.existing_server_default,
                    self.modify_server_default,
                )
            )
        if self.modify_comment is not False:
            out.append(
                (
                    "modify_comment",
                    s,
                    t,
                    c,
                    {
                        "existing_nullable": self.existing_nullable,
                        "existing_type": self.existing_type,
                        "existing_server_default": self.existing_server_default,
                    },
                    self.existing_comment,
                    self.modify_comment,
                )
            )
        return out


class CreateIndex(Op):
    def __init__(self, index):
        self.index = index

    def reverse(self):
        return DropIndex(self.index)

    def diff(self):
        return ("add_index", _detached_index(self.index))


class DropIndex(Op):
    def __init__(self, index):
        self.index = index

    def reverse(self):
        return CreateIndex(self.index)

    def diff(self):
        return ("remove_index", _detached_index(self.index))


class AddConstraint(Op):
    """A unique constraint, a foreign key or a check constraint added to an
    existing table."""

    def __init__(self, constraint):
        self.constraint = constraint

    def reverse(self):
        return DropConstraint(self.constraint)

    def diff(self):
        if isinstance(self.constraint, sa.ForeignKeyConstraint):
            return ("add_fk", _detached_fk(self.constraint))
        if isinstance(self.constraint, sa.CheckConstraint):
            return ("add_constraint", _detached_check(self.constraint))
        return ("add_constraint", _detached_unique(self.constraint))


class DropConstraint(Op):
    def __init__(self, constraint):
        self.constraint = constraint

    @property
    def type_(self):
        if isinstance(self.constraint, sa.ForeignKeyConstraint):
            return "foreignkey"
        if isinstance(self.constraint, sa.UniqueConstraint):
            return "unique"
        if isinstance(self.constraint, sa.PrimaryKeyConstraint):
            return "primary"
        return "check"

    def reverse(self):
        return AddConstraint(self.constraint)

    def diff(self):
        if self.type_ == "foreignkey":
            return ("remove_fk", _detached_fk(self.constraint))
        if self.type_ == "unique":
            return ("remove_constraint", _detached_unique(self.constraint))
        if self.type_ == "check":
            return ("remove_constraint", _detached_check(self.constraint))
        return ("remove_constraint", self.constraint)


class TableComment(Op):
    """``create_table_comment`` (comment set) or ``drop_table_comment``
    (comment None)."""

    def __init__(self, table_name, schema, comment, existing_comment):
        self.table_name, self.schema = table_name, schema
        self.comment, self.existing_comment = comment, existing_comment

    def reverse(self):
        return TableComment(self.table_name, self.schema, self.existing_comment, self.comment)

    def diff(self):
        table = sa.Table(self.table_name, sa.MetaData(), schema=self.schema, comment=self.comment)
        if self.comment is None:
            return ("remove_table_comment", table)
        return ("add_table_comment", table, self.existing_comment)


def _detached_unique(const):
    """The unique constraint as Alembic reports it: rebuilt from its name and
    column names on a stand-in table whose columns have no type."""
    table = sa.Table(const.table.name, sa.MetaData(), *[sa.Column(c.name) for c in const.columns], schema=const.table.schema)
    return sa.UniqueConstraint(*[table.c[c.name] for c in const.columns], name=const.name)


def _detached_index(index):
    """The index as Alembic reports it: rebuilt on a fresh table holding
    copies of its columns (a copy keeps the type but not a foreign key that
    belongs to a constraint)."""
    source = index.table
    table = sa.Table(source.name, sa.MetaData(), schema=source.schema)

    def copy_column(col):
        if not isinstance(col, sa.Column) or col.table is None or col.table is table:
            return None
        if col.name not in table.c:
            table.append_column(col._copy())
        return table.c[col.name]

    expressions = [visitors.replacement_traverse(e, {}, copy_column) for e in index.expressions]
    return sa.Index(index.name, *expressions, unique=index.unique, _table=table, **index.kwargs)


def _detached_fk(const):
    """The foreign key as Alembic reports it: rebuilt from names on stand-in
    tables whose columns have no type, with only the options that are set."""
    source = const.parent
    target = const.elements[0].column.table
    local = [const.columns[k].name for k in const.column_keys]
    remote = [e.column.name for e in const.elements]
    md = sa.MetaData()
    same_table = (source.name, source.schema) == (target.name, target.schema)
    if not same_table:
        sa.Table(target.name, md, *[sa.Column(n, sa.types.NULLTYPE) for n in remote], schema=target.schema)
    names = local + [n for n in remote if n not in local] if same_table else local
    table = sa.Table(source.name, md, *[sa.Column(n, sa.types.NULLTYPE) for n in names], schema=source.schema)
    referent = "%s.%s" % (target.schema, target.name) if target.schema else target.name
    options = {
        k: getattr(const, k) for k in ("onupdate", "ondelete", "deferrable", "initially", "use_alter") if getattr(const, k)
    }
    options.update(const.dialect_kwargs)
    detached = sa.ForeignKeyConstraint(
        local, ["%s.%s" % (referent, n) for n in remote], name=const.name, match=const.match or None, **options
    )
    table.append_constraint(detached)
    return detached


def _detached_check(const):
    """The check constraint as Alembic reports it: its expression on a
    stand-in table with one integer column ``x``."""
    table = sa.Table(const.table.name, sa.MetaData(), sa.Column("x", sa.Integer), schema=const.table.schema)
    detached = sa.CheckConstraint(const.sqltext, name=const.name, **const.dialect_kwargs)
    table.append_constraint(detached)
    return detached
