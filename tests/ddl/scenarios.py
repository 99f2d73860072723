"""Migration snippets run through both real Alembic and retort.ops.

Each scenario is ``fn(op)``; ``@case(dialects=..., opts=...)`` limits it to
some dialects (when Alembic itself cannot render it elsewhere, said in a
comment) or adds MigrationContext options (target_metadata).
"""

import datetime
import decimal

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, mysql

_ALL = []

PG = ["postgresql"]
MY = ["mysql", "mariadb"]
NOT_SQLITE = ["postgresql", "mysql", "mariadb"]


def case(dialects=None, opts=None):
    def deco(fn):
        _ALL.append((fn.__name__, fn, dialects, opts or {}))
        return fn
    return deco


def all_scenarios():
    return list(_ALL)


NAMING = sa.MetaData(naming_convention={
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
})


# ---------------------------------------------------------------- create_table
@case()
def create_table_basic(op):
    op.create_table(
        "account",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(50), nullable=False),
        sa.Column("description", sa.Unicode(200)),
        sa.Column("balance", sa.Numeric(10, 2), server_default="0"),
        sa.Column("created", sa.DateTime, server_default=sa.func.now()),
        sa.Column("flag", sa.Boolean, server_default=sa.true(), nullable=False),
        sa.Column("kind", sa.String(10), server_default=sa.text("'x'")),
        sa.Column("data", sa.LargeBinary),
        sa.Column("f", sa.Float),
        sa.Column("t", sa.Text),
    )


@case()
def create_table_quoting(op):
    op.create_table(
        "user",
        sa.Column("order", sa.Integer, primary_key=True),
        sa.Column("MixedCase", sa.String(20)),
        sa.Column("select", sa.String(20), unique=True),
        sa.Column("with space", sa.Integer, index=True),
        schema="Other",
    )


@case()
def create_table_schema(op):
    op.create_table(
        "item",
        sa.Column("id", sa.BigInteger, primary_key=True),
        sa.Column("owner_id", sa.Integer, sa.ForeignKey("accounts.owner.id", ondelete="CASCADE")),
        sa.Column("same_id", sa.Integer, sa.ForeignKey("accounts.other.id")),
        schema="accounts",
    )


@case()
def create_table_composite(op):
    op.create_table(
        "link",
        sa.Column("a_id", sa.Integer, nullable=False),
        sa.Column("b_id", sa.Integer, nullable=False),
        sa.Column("c", sa.SmallInteger),
        sa.PrimaryKeyConstraint("a_id", "b_id", name="pk_link"),
        sa.ForeignKeyConstraint(["a_id", "b_id"], ["other.x", "other.y"], name="fk_link_other",
                                onupdate="SET NULL", ondelete="RESTRICT", deferrable=True, initially="DEFERRED"),
        sa.UniqueConstraint("c", "b_id", name="uq_link_c"),
        sa.CheckConstraint("c > 0", name="ck_link_c"),
        sa.Index("ix_link_c", "c", unique=True),
    )


@case()
def create_table_pk_flags(op):
    op.create_table(
        "pair",
        sa.Column("x", sa.Integer, primary_key=True),
        sa.Column("y", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("v", sa.String(5)),
    )
    op.create_table(
        "noauto",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
    )
    op.create_table(
        "small",
        sa.Column("id", sa.SmallInteger, primary_key=True),
    )
    op.create_table(
        "withdefault",
        sa.Column("id", sa.Integer, primary_key=True, server_default="7"),
    )
    op.create_table(
        "strpk",
        sa.Column("code", sa.String(3), primary_key=True),
    )
    op.create_table(
        "fkpk",
        sa.Column("id", sa.Integer, sa.ForeignKey("strpk.code"), primary_key=True),
    )


@case()
def create_table_enum_bool(op):
    op.create_table(
        "ticket",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("status", sa.Enum("open", "closed", name="ticket_status"), nullable=False),
        sa.Column("prio", sa.Enum("lo", "hi", name="prio", native_enum=False)),
        sa.Column("again", sa.Enum("open", "closed", name="ticket_status")),
        sa.Column("checked", sa.Enum("a", "b", name="checked_enum", create_constraint=True)),
        sa.Column("flag", sa.Boolean(create_constraint=True)),
        sa.Column("flag2", sa.Boolean(create_constraint=True, name="ck_flag2")),
    )
    # second table with the same enum: SQLAlchemy creates the type once
    op.create_table(
        "ticket2",
        sa.Column("status", sa.Enum("open", "closed", name="ticket_status")),
    )


@case(dialects=PG)
def create_table_pg_enum_schema(op):
    op.create_table(
        "t",
        sa.Column("a", sa.Enum("x", "y'z", name="Mood", schema="s2")),
        sa.Column("b", postgresql.ENUM("p", name="nocreate", create_type=False)),
        sa.Column("c", sa.Enum("q", name="inh", inherit_schema=True)),
        schema="s1",
    )


@case()
def create_table_comments(op):
    op.create_table(
        "commented",
        sa.Column("id", sa.Integer, primary_key=True, comment="the id"),
        sa.Column("note", sa.String(10), comment="it's a note"),
        comment="table's comment",
    )


@case()
def create_table_computed(op):
    op.create_table(
        "calc",
        sa.Column("a", sa.Integer),
        sa.Column("b", sa.Integer, sa.Computed("a * 2")),
        sa.Column("c", sa.Integer, sa.Computed("a + 1", persisted=True)),
    )


@case(dialects=["mysql", "mariadb", "sqlite"])
def create_table_computed_virtual(op):
    # PostgreSQL refuses persisted=False at compile time
    op.create_table(
        "calc2",
        sa.Column("a", sa.Integer),
        sa.Column("b", sa.Integer, sa.Computed("a * 3", persisted=False)),
    )


@case()
def create_table_identity(op):
    op.create_table(
        "ident",
        sa.Column("id", sa.Integer, sa.Identity(), primary_key=True),
        sa.Column("v", sa.String(5)),
    )
    op.create_table(
        "ident2",
        sa.Column("id", sa.BigInteger, sa.Identity(always=True, start=10, increment=5, minvalue=1,
                                                   maxvalue=1000, cycle=True, cache=3), primary_key=True),
    )
    op.create_table(
        "ident3",
        sa.Column("id", sa.Integer, sa.Identity(start=1, cycle=False), nullable=True),
    )


@case()
def create_table_if_not_exists(op):
    op.create_table("maybe", sa.Column("id", sa.Integer, primary_key=True), if_not_exists=True)
    op.drop_table("maybe", if_exists=True)


@case()
def create_table_dialect_kwargs(op):
    op.create_table(
        "opts",
        sa.Column("id", sa.Integer, primary_key=True),
        mysql_engine="InnoDB",
        mysql_charset="utf8mb4",
        mysql_collate="utf8mb4_bin",
        mariadb_engine="Aria",
        mariadb_default_charset="utf8",
        mysql_comment="ignored?",
        sqlite_autoincrement=True,
    )
    op.create_table(
        "opts2",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(10)),
        mysql_collate="utf8mb4_bin",
        mysql_key_block_size="8",
        mariadb_collate="utf8mb4_bin",
        mariadb_charset="utf8mb4",
        comment="with comment",
        sqlite_with_rowid=False,
        prefixes=["TEMPORARY"],
    )


@case(dialects=PG)
def create_table_pg_kwargs(op):
    op.create_table(
        "part",
        sa.Column("id", sa.Integer),
        postgresql_partition_by="RANGE (id)",
        postgresql_tablespace="fast",
    )
    op.create_table(
        "inh",
        sa.Column("id", sa.Integer),
        postgresql_inherits="part",
        postgresql_with_oids=False,
        postgresql_on_commit="preserve_rows",
    )


@case()
def create_table_naming_convention(op):
    op.create_table(
        "named",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("code", sa.String(5), unique=True),
        sa.Column("parent_id", sa.Integer, sa.ForeignKey("named.id")),
        sa.Column("v", sa.Integer, index=True),
        sa.CheckConstraint("v > 0", name="positive"),
        sa.UniqueConstraint("v", "code", name=op.f("explicit_uq")),
    )
    op.create_index(op.f("ix_named_code"), "named", ["code"])
    op.create_unique_constraint(None, "named", ["v"])
    op.create_foreign_key(None, "named", "other", ["v"], ["id"])
    op.create_check_constraint("big", "named", "v < 100")
    op.drop_constraint(op.f("uq_named_v"), "named", type_="unique")
    op.create_index(None, "named", ["parent_id"])
_ALL[-1] = _ALL[-1][:3] + ({"target_metadata": NAMING},)


@case()
def create_table_long_names(op):
    op.create_table(
        "t" * 40,
        sa.Column("c" * 40, sa.Integer),
        sa.UniqueConstraint("c" * 40),
    )
    op.create_index(op.f("ix_" + "z" * 70), "t", ["c"])
_ALL[-1] = _ALL[-1][:3] + ({"target_metadata": NAMING},)


@case()
def create_table_types(op):
    op.create_table(
        "types",
        sa.Column("a", sa.String(10)),
        sa.Column("b", sa.Date),
        sa.Column("c", sa.Time),
        sa.Column("d", sa.DateTime(timezone=True)),
        sa.Column("e", sa.JSON),
        sa.Column("f", sa.Uuid),
        sa.Column("g", sa.Interval),
        sa.Column("h", sa.TIMESTAMP),
        sa.Column("i", sa.TIMESTAMP, nullable=False),
        sa.Column("j", sa.Double),
        sa.Column("k", sa.String(30, collation="utf8mb4_bin") if False else sa.String(30)),
    )


@case(dialects=MY)
def create_table_mysql_types(op):
    op.create_table(
        "mt",
        sa.Column("a", mysql.INTEGER(unsigned=True), primary_key=True),
        sa.Column("b", mysql.VARCHAR(20, charset="utf8mb4", collation="utf8mb4_bin")),
        sa.Column("c", mysql.TIMESTAMP(fsp=6), server_default=sa.text("CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6)")),
        sa.Column("d", mysql.ENUM("x", "y")),
        sa.Column("e", mysql.TINYINT(1)),
        mysql_engine="InnoDB",
    )


@case(dialects=PG)
def create_table_pg_types(op):
    op.create_table(
        "pt",
        sa.Column("id", postgresql.UUID(as_uuid=True), primary_key=True, server_default=sa.text("gen_random_uuid()")),
        sa.Column("tags", postgresql.ARRAY(sa.String)),
        sa.Column("doc", postgresql.JSONB, server_default=sa.text("'{}'::jsonb")),
        sa.Column("rng", postgresql.INT4RANGE),
        sa.Column("ts", postgresql.TIMESTAMP(timezone=True, precision=3)),
    )


@case()
def create_table_column_check(op):
    op.create_table(
        "cc",
        sa.Column("v", sa.Integer, sa.CheckConstraint("v > 0"), nullable=False),
        sa.Column("w", sa.Integer, sa.CheckConstraint("w < 5", name="w_small")),
    )


@case()
def create_table_fk_options(op):
    op.create_table(
        "child",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("p", sa.Integer, sa.ForeignKey("parent.id", onupdate="CASCADE", ondelete="SET NULL",
                                                 deferrable=False)),
        sa.Column("q", sa.Integer, sa.ForeignKey("parent.id", name="fk_q", initially="IMMEDIATE", deferrable=True)),
        sa.Column("r", sa.Integer, sa.ForeignKey("parent.id", use_alter=True, name="fk_r")),
    )


@case(dialects=PG)
def create_table_fk_match(op):
    # MySQL refuses MATCH at compile time
    op.create_table(
        "m",
        sa.Column("p", sa.Integer, sa.ForeignKey("parent.id", match="FULL")),
    )


# ---------------------------------------------------------------- drop/rename
@case()
def drop_table_variants(op):
    op.drop_table("account")
    op.drop_table("user", schema="Other")
    op.drop_table("t", if_exists=True)


@case()
def rename_table(op):
    op.rename_table("old", "new")
    op.rename_table("user", "Order", schema="s")


# ---------------------------------------------------------------- columns
@case()
def add_column_simple(op):
    op.add_column("account", sa.Column("email", sa.String(100), nullable=False, server_default=""))
    op.add_column("account", sa.Column("age", sa.Integer), schema="s")
    op.add_column("user", sa.Column("order", sa.Integer, server_default=sa.text("0")))
    op.add_column("t", sa.Column("ts", sa.DateTime(), server_default=sa.func.now()))
    op.add_column("t", sa.Column("n", sa.Integer), if_not_exists=True)


@case()
def add_column_comment(op):
    op.add_column("t", sa.Column("c", sa.String(5), comment="hello"))


@case()
def add_column_bool_enum(op):
    op.add_column("t", sa.Column("flag", sa.Boolean, server_default=sa.false(), nullable=False))
    op.add_column("t", sa.Column("st", sa.Enum("a", "b", name="st_enum")))
    op.add_column("t", sa.Column("ix", sa.Integer, index=True))
    op.add_column("t", sa.Column("uq", sa.Integer, unique=True))


@case(dialects=NOT_SQLITE)
def add_column_fk(op):
    # SQLite: Alembic refuses to ALTER in a foreign key (NotImplementedError)
    op.add_column("t", sa.Column("p", sa.Integer, sa.ForeignKey("parent.id", ondelete="CASCADE")))
    op.add_column("t", sa.Column("q", sa.Integer, sa.ForeignKey("s.parent.id")), schema="s")


@case(dialects=NOT_SQLITE)
def add_column_inline(op):
    op.add_column("t", sa.Column("p", sa.Integer, sa.ForeignKey("parent.id", ondelete="CASCADE")),
                  inline_references=True)
    op.add_column("t", sa.Column("id", sa.Integer, primary_key=True), inline_primary_key=True)


@case()
def add_column_check(op):
    op.add_column("t", sa.Column("v", sa.Integer, sa.CheckConstraint("v > 1")))


@case(dialects=["postgresql", "mysql", "mariadb"])
def add_column_computed_identity(op):
    op.add_column("t", sa.Column("c", sa.Integer, sa.Computed("a + b")))
    op.add_column("t", sa.Column("i", sa.Integer, sa.Identity()))


@case()
def drop_column(op):
    op.drop_column("t", "c")
    op.drop_column("user", "order", schema="S")
    op.drop_column("t", "d", if_exists=True)


# ---------------------------------------------------------------- alter_column
@case(dialects=["postgresql", "sqlite"])
def alter_column_generic(op):
    # MySQL needs existing_type for every CHANGE/MODIFY: see alter_column_mysql
    op.alter_column("t", "c", nullable=False)
    op.alter_column("t", "c", nullable=True, schema="s")
    op.alter_column("t", "c", server_default="x")
    op.alter_column("t", "c", server_default=sa.text("now()"))
    op.alter_column("t", "c", server_default=None)
    op.alter_column("t", "c", type_=sa.String(20))
    op.alter_column("user", "order", new_column_name="Order")
    op.alter_column("t", "c", nullable=False, server_default="1", type_=sa.Integer,
                    new_column_name="d")


@case(dialects=PG)
def alter_column_pg(op):
    op.alter_column("t", "c", comment="new comment")
    op.alter_column("t", "c", comment=None, existing_comment="old")
    op.alter_column("t", "c", type_=sa.Integer, postgresql_using="c::integer")
    op.alter_column("t", "c", type_=sa.Boolean(create_constraint=True), existing_type=sa.Integer)
    op.alter_column("t", "c", server_default=sa.Identity(start=3), existing_server_default=None)
    op.alter_column("t", "c", server_default=None, existing_server_default=sa.Identity())


@case(dialects=MY)
def alter_column_mysql(op):
    op.alter_column("t", "c", nullable=False, existing_type=sa.String(10))
    op.alter_column("t", "c", type_=sa.String(20), existing_nullable=False)
    op.alter_column("t", "c", new_column_name="d", existing_type=sa.Integer, existing_server_default="5",
                    existing_nullable=True)
    op.alter_column("t", "c", server_default="x")
    op.alter_column("t", "c", server_default=None)
    op.alter_column("t", "c", comment="a comment", existing_type=sa.Integer)
    op.alter_column("t", "ts", server_default=sa.func.now(), existing_type=sa.DateTime)
    op.alter_column("t", "c", type_=sa.Integer, autoincrement=True, existing_nullable=False)
    op.alter_column("t", "c", nullable=True, existing_type=sa.Integer, existing_comment="keep me",
                    existing_server_default=sa.text("3"))
    op.alter_column("user", "order", type_=sa.Enum("a", "b"), schema="s")


# ---------------------------------------------------------------- constraints
@case(dialects=NOT_SQLITE)
def constraints_add_drop(op):
    # SQLite: no ALTER for constraints (Alembic raises NotImplementedError)
    op.create_primary_key("pk_t", "t", ["a", "b"])
    op.create_foreign_key("fk_t_p", "t", "parent", ["p"], ["id"], ondelete="CASCADE", onupdate="NO ACTION")
    op.create_foreign_key("fk_t_s", "t", "parent", ["p", "q"], ["a", "b"], source_schema="s1",
                          referent_schema="s2", deferrable=True, initially="DEFERRED")
    op.create_foreign_key(None, "user", "user", ["parent"], ["order"])
    op.create_unique_constraint("uq_t_a", "t", ["a", "MixedCase"])
    op.create_unique_constraint(None, "t", ["a"], schema="s")
    op.create_check_constraint("ck_t_a", "t", "a > 5")
    op.create_check_constraint("ck_t_b", "t", sa.column("b") < 10, schema="s")
    op.drop_constraint("fk_t_p", "t", type_="foreignkey")
    op.drop_constraint("pk_t", "t", type_="primary")
    op.drop_constraint("uq_t_a", "t", type_="unique")
    op.drop_constraint("ck_t_a", "t", type_="check")
    op.drop_constraint("uq_x", "user", type_="unique", schema="S")


@case(dialects=PG)
def constraints_pg(op):
    op.drop_constraint("anything", "t")
    op.drop_constraint("maybe", "t", if_exists=True)
    op.create_unique_constraint("uq_nd", "t", ["a"], postgresql_nulls_not_distinct=True)
    op.create_foreign_key("fk_nv", "t", "p", ["a"], ["id"], postgresql_not_valid=True, match="SIMPLE")
    op.create_check_constraint("ck_nv", "t", "a > 0", postgresql_not_valid=True)
    op.create_exclude_constraint("ex_t", "t", ("period", "&&"), ("room", "="), where="room > 5",
                                 using="gist")
    op.create_exclude_constraint("ex_t2", "t", (sa.column("a"), "="), deferrable=True)


# ---------------------------------------------------------------- indexes
@case()
def indexes(op):
    op.create_index("ix_t_a", "t", ["a"])
    op.create_index("ix_t_ab", "t", ["a", "b"], unique=True)
    op.create_index("ix_user_order", "user", ["order", "MixedCase"], schema="S")
    op.create_index("ix_t_lower", "t", [sa.text("lower(name)")])
    op.create_index("ix_t_func", "t", [sa.func.lower(sa.column("name")), sa.desc(sa.column("b"))])
    op.create_index("ix_t_ine", "t", ["a"], if_not_exists=True)
    op.drop_index("ix_t_a", "t")
    op.drop_index("ix_user_order", "user", schema="S")
    op.drop_index("ix_t_ine", "t", if_exists=True)


@case(dialects=["postgresql", "sqlite"])
def indexes_no_table(op):
    # MySQL needs the table for DROP INDEX ... ON
    op.drop_index("ix_lonely")
    op.drop_index("ix_lonely", schema="s")


@case(dialects=PG)
def indexes_pg(op):
    op.create_index("ix_w", "t", ["a"], postgresql_where=sa.text("a > 0"))
    op.create_index("ix_u", "t", ["doc"], postgresql_using="gin")
    op.create_index("ix_i", "t", ["a"], postgresql_include=["b", "c"])
    op.create_index("ix_c", "t", ["a"], postgresql_concurrently=True)
    op.create_index("ix_o", "t", ["name"], postgresql_ops={"name": "text_pattern_ops"})
    op.create_index("ix_with", "t", ["a"], postgresql_with={"fillfactor": 50}, postgresql_tablespace="fast")
    op.create_index("ix_nnd", "t", ["a"], unique=True, postgresql_nulls_not_distinct=True)
    op.create_index("ix_expr", "t", [sa.text("(a + b)")], postgresql_where=sa.column("a") > 5)
    op.drop_index("ix_c", "t", postgresql_concurrently=True)
    op.drop_index("ix_c", "t", postgresql_concurrently=True, if_exists=True)


@case(dialects=MY)
def indexes_mysql(op):
    op.create_index("ix_len", "t", ["name"], mysql_length=10)
    op.create_index("ix_len2", "t", ["name", "b"], mysql_length={"name": 5})
    op.create_index("ix_ft", "t", ["body"], mysql_prefix="FULLTEXT", mysql_with_parser="ngram")
    op.create_index("ix_using", "t", ["a"], mysql_using="btree")
    op.create_index("ix_len3", "t", ["name"], mariadb_length=7)
    op.create_index("ix_prefix_maria", "t", ["body"], mariadb_prefix="FULLTEXT")


@case(dialects=["sqlite"])
def indexes_sqlite(op):
    op.create_index("ix_w", "t", ["a"], sqlite_where=sa.text("a > 0"))
    op.create_index("ix_s", "t", ["a"], schema="aux")


# ---------------------------------------------------------------- comments
@case(dialects=NOT_SQLITE)
def table_comments(op):
    # SQLite has no COMMENT syntax; Alembic emits PostgreSQL's, we follow it
    op.create_table_comment("t", "a table's comment")
    op.create_table_comment("user", "x", schema="S", existing_comment="old")
    op.drop_table_comment("t")
    op.drop_table_comment("user", schema="S", existing_comment="x")


@case()
def comments_escape(op):
    op.create_table(
        "esc",
        sa.Column("a", sa.Integer, comment="back\\slash 50% 'q'"),
        comment="percent % and backslash \\",
    )


# ---------------------------------------------------------------- data / execute
@case()
def execute_and_bulk(op):
    op.execute("UPDATE t SET a = 1")
    op.execute(sa.text("DELETE FROM t WHERE a = 2"))
    t = sa.table("t", sa.column("a", sa.Integer), sa.column("b", sa.String))
    op.execute(t.update().where(t.c.a == op.inline_literal(3)).values(b=op.inline_literal("x")))
    op.bulk_insert(t, [{"a": 1, "b": "one"}, {"a": 2, "b": "it's"}])
    op.bulk_insert(t, [{"a": 3, "b": "three"}], multiinsert=False)



@case()
def bulk_insert_literals(op):
    # each value rendered as a literal by its column's type; backslashes
    # doubled where the dialect escapes them (PostgreSQL, MySQL offline)
    t = sa.table(
        "t",
        sa.column("a", sa.Integer),
        sa.column("b", sa.String),
        sa.column("d", sa.Date),
        sa.column("n", sa.Numeric(10, 2)),
        sa.column("f", sa.Boolean),
    )
    op.bulk_insert(t, [
        {"a": 1, "b": "back\\slash 'quoted' %", "d": datetime.date(2026, 1, 2), "n": decimal.Decimal("1.50"), "f": True},
        {"a": 2, "b": None, "d": None, "n": None, "f": False},
        {"a": 3, "b": op.inline_literal("in'line\\"), "d": datetime.date(1999, 12, 31), "n": decimal.Decimal("0"), "f": None},
        {"b": "keys in another order", "a": 4},
    ])


# ---------------------------------------------------------------- batch
@case(dialects=NOT_SQLITE)
def batch_plain(op):
    # SQLite rebuilds the table (move and copy): see the cases below
    with op.batch_alter_table("t", schema="s") as batch:
        batch.add_column(sa.Column("n", sa.Integer))
        batch.alter_column("c", new_column_name="d", existing_type=sa.String(5))
        batch.drop_column("x")
        batch.create_index("ix_t_n", ["n"])
        batch.create_unique_constraint("uq_t_n", ["n"])
        batch.create_foreign_key("fk_t_n", "other", ["n"], ["id"])
        batch.create_check_constraint("ck_t_n", "n > 0")
        batch.drop_constraint("uq_t_n", type_="unique")
        batch.drop_index("ix_t_n")


@case(dialects=["sqlite"])
def batch_sqlite_add_only(op):
    # add_column / create_index need no rebuild on SQLite either
    with op.batch_alter_table("t") as batch:
        batch.add_column(sa.Column("n", sa.Integer))
        batch.create_index("ix_t_n", ["n"])
        batch.drop_index("ix_t_n")


@case(dialects=["sqlite"])
def batch_sqlite_copy_from(op):
    # Offline, the move and copy works from copy_from instead of reflecting.
    t = sa.Table(
        "t", sa.MetaData(),
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("c", sa.String(5), nullable=False, server_default="x"),
        sa.Column("n", sa.Integer, sa.ForeignKey("p.id", name="fk_t_n", ondelete="CASCADE")),
        sa.Column("flag", sa.Boolean(create_constraint=True, name="ck_t_flag")),
        sa.UniqueConstraint("c", name="uq_t_c"),
        sa.CheckConstraint("n > 0"),
        sa.Index("ix_t_n", "n"),
    )
    with op.batch_alter_table("t", copy_from=t) as batch:
        batch.alter_column("c", new_column_name="d", type_=sa.Integer, existing_type=sa.String(5))
        batch.alter_column("flag", new_column_name="enabled", existing_type=sa.Boolean(create_constraint=True, name="ck_t_flag"))
        batch.add_column(sa.Column("m", sa.Integer, server_default="0"), insert_before="n")
        batch.drop_constraint("uq_t_c")
        batch.create_unique_constraint("uq_t_d", ["c"])
        batch.create_index("ix_t_m", ["m"])


@case(dialects=["sqlite"])
def batch_sqlite_needs_copy_from(op):
    # Offline, a rebuild without copy_from cannot reflect the table.
    with op.batch_alter_table("t") as batch:
        batch.alter_column("c", nullable=False)


# ---------------------------------------------------------------- refusals
# Alembic raises on these; retort must refuse too (in Python or in Rust).
@case(dialects=["sqlite"])
def refuse_sqlite_add_fk(op):
    op.create_foreign_key("fk", "t", "p", ["a"], ["id"])


@case(dialects=["sqlite"])
def refuse_sqlite_add_unique(op):
    op.create_unique_constraint("uq", "t", ["a"])


@case(dialects=["sqlite"])
def refuse_sqlite_drop_constraint(op):
    op.drop_constraint("uq", "t", type_="unique")


@case(dialects=["sqlite"])
def refuse_sqlite_column_comment(op):
    op.alter_column("t", "c", comment="x")


@case(dialects=MY)
def refuse_mysql_generic_drop(op):
    op.drop_constraint("c", "t")


@case(dialects=MY)
def refuse_mysql_no_existing_type(op):
    op.alter_column("t", "c", nullable=False)


@case(dialects=PG)
def refuse_pg_virtual_computed(op):
    op.create_table("v", sa.Column("a", sa.Integer), sa.Column("b", sa.Integer, sa.Computed("a", persisted=False)))


@case(dialects=PG)
def refuse_pg_using_without_type(op):
    op.alter_column("t", "c", postgresql_using="c::int")


@case()
def refuse_alter_computed(op):
    op.alter_column("t", "c", server_default=sa.Computed("a + 1"), existing_type=sa.Integer)


@case(dialects=MY)
def refuse_mysql_fk_match(op):
    op.create_foreign_key("fk", "t", "p", ["a"], ["id"], match="FULL")


@case()
def refuse_index_without_name(op):
    op.create_index(None, "t", ["a"])


# ---------------------------------------------------------------- extension
@case()
def custom_operation(op):
    # Alembic's cookbook: a user-defined operation registered on Operations
    Ops = type(op)
    if Ops.__module__.startswith("alembic"):
        from alembic.operations.ops import MigrateOperation
    else:
        from retort.ops import MigrateOperation

    class CreateSequenceOp(MigrateOperation):
        def __init__(self, sequence_name, schema=None):
            self.sequence_name = sequence_name
            self.schema = schema

        @classmethod
        def create_sequence(cls, operations, sequence_name, **kw):
            return operations.invoke(CreateSequenceOp(sequence_name, **kw))

    Ops.register_operation("create_sequence")(CreateSequenceOp)

    @Ops.implementation_for(CreateSequenceOp)
    def create_sequence(operations, operation):
        name = operation.sequence_name
        if operation.schema is not None:
            name = "%s.%s" % (operation.schema, name)
        operations.execute("CREATE SEQUENCE %s" % name)

    op.create_sequence("seq_a")
    op.create_sequence("seq_b", schema="s")
    table = op.create_table("ret", sa.Column("id", sa.Integer, primary_key=True))
    op.bulk_insert(table, [{"id": 1}])
