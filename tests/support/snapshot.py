"""Canonical JSON of a database's state, for the migration parity suite.

Usage:
    snapshot.py URL...        one JSON document per URL, one per line
    snapshot.py               reads URLs from stdin, one per line, and answers
                              each with one JSON line (flushed), so one process
                              serves a whole test run

Run it with the interpreter that has SQLAlchemy and the drivers (the .venv
that has Alembic).  What is in a snapshot, through SQLAlchemy's inspector:

* every table (alembic_version included): columns in order (name, type
  compiled for the dialect, nullable, server default text, autoincrement,
  comment, identity, computed), primary key, foreign keys, indexes, unique
  constraints, check constraints, table comment, table options (MySQL's
  engine and charset), and every row (values as repr strings, rows sorted);
* views (definition), PostgreSQL enum types (labels) and sequence names
  (not their current values).

A failure to read a database is answered with {"error": "..."} on that
line, so the caller can show it.
"""

import json
import sys
import traceback

import sqlalchemy as sa
from sqlalchemy.pool import NullPool


def _type_text(type_, dialect):
    try:
        return str(type_.compile(dialect=dialect))
    except Exception:  # NullType and friends: no DDL form
        return repr(type_)


def _plain(value):
    """A JSON-friendly, deterministic form of a reflected value."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, sa.sql.ClauseElement):
        return str(value)
    return repr(value)


def _value(v):
    """repr of a row value; buffers (psycopg2 gives memoryview) as bytes."""
    if isinstance(v, (memoryview, bytearray)):
        v = bytes(v)
    return repr(v)


def _try(fn, *args, **kw):
    """The inspector's answer, or None where the dialect has no such thing."""
    try:
        return fn(*args, **kw)
    except NotImplementedError:
        return None


def _sorted(items):
    return sorted(items, key=lambda d: json.dumps(d, sort_keys=True))


def _table(insp, conn, dialect, name):
    columns = []
    for c in insp.get_columns(name):
        col = {
            "name": c["name"],
            "type": _type_text(c["type"], dialect),
            "nullable": c.get("nullable"),
            "default": _plain(c.get("default")),
            "comment": c.get("comment"),
        }
        if "autoincrement" in c:
            col["autoincrement"] = _plain(c["autoincrement"])
        if c.get("identity") is not None:
            col["identity"] = _plain(c["identity"])
        if c.get("computed") is not None:
            col["computed"] = _plain(c["computed"])
        columns.append(col)

    pk = insp.get_pk_constraint(name) or {}
    fks = [
        {
            "name": fk.get("name"),
            "columns": fk["constrained_columns"],
            "referred_schema": fk.get("referred_schema"),
            "referred_table": fk["referred_table"],
            "referred_columns": fk["referred_columns"],
            "options": _plain(fk.get("options") or {}),
        }
        for fk in insp.get_foreign_keys(name)
    ]
    indexes = [
        {
            "name": ix.get("name"),
            "columns": ix.get("column_names"),
            "expressions": ix.get("expressions"),
            "unique": bool(ix.get("unique")),
            "include_columns": ix.get("include_columns"),
            "dialect_options": _plain(ix.get("dialect_options") or {}),
            "duplicates_constraint": ix.get("duplicates_constraint"),
        }
        for ix in insp.get_indexes(name)
    ]
    uniques = [
        {
            "name": uq.get("name"),
            "columns": uq["column_names"],
            "duplicates_index": uq.get("duplicates_index"),
        }
        for uq in (_try(insp.get_unique_constraints, name) or [])
    ]
    checks = [
        {
            "name": ck.get("name"),
            "sqltext": ck["sqltext"],
            "dialect_options": _plain(ck.get("dialect_options") or {}),
        }
        for ck in (_try(insp.get_check_constraints, name) or [])
    ]
    comment = _try(insp.get_table_comment, name)
    options = dict(_try(insp.get_table_options, name) or {})
    # A counter, like a sequence's current value: not compared.
    options.pop("mysql_auto_increment", None)

    quoted = dialect.identifier_preparer.quote(name)
    result = conn.exec_driver_sql("SELECT * FROM " + quoted)
    rows = sorted([_value(v) for v in row] for row in result)

    return {
        "columns": columns,
        "primary_key": {
            "name": pk.get("name"),
            "columns": pk.get("constrained_columns") or [],
        },
        "foreign_keys": _sorted(fks),
        "indexes": _sorted(indexes),
        "unique_constraints": _sorted(uniques),
        "check_constraints": _sorted(checks),
        "comment": (comment or {}).get("text"),
        "options": _plain(options),
        "rows": rows,
    }


def snapshot(url):
    # SQLAlchemy 1.4 (a legacy project's pin) needs future=True for 2.0's
    # Connection API (rollback()).
    future = {"future": True} if sa.__version__.startswith("1.") else {}
    engine = sa.create_engine(url, poolclass=NullPool, **future)
    try:
        with engine.connect() as conn:
            insp = sa.inspect(conn)
            dialect = conn.dialect
            out = {"dialect": dialect.name, "tables": {}, "views": {}}
            for name in sorted(insp.get_table_names()):
                out["tables"][name] = _table(insp, conn, dialect, name)
            for name in sorted(insp.get_view_names()):
                out["views"][name] = _try(insp.get_view_definition, name)
            if dialect.name == "postgresql":
                out["enums"] = _sorted(
                    {"name": e["name"], "schema": e.get("schema"), "labels": e["labels"]}
                    for e in insp.get_enums(schema="*")
                )
            if dialect.supports_sequences:
                out["sequences"] = sorted(insp.get_sequence_names())
            conn.rollback()
        return out
    finally:
        engine.dispose()


def answer(url):
    try:
        doc = snapshot(url)
    except Exception as e:
        doc = {"error": "".join(traceback.format_exception_only(type(e), e)).strip()}
    return json.dumps(doc, sort_keys=True)


def main():
    if len(sys.argv) > 1:
        for url in sys.argv[1:]:
            print(answer(url))
        return
    for line in sys.stdin:
        url = line.rstrip("\n")
        if not url:
            continue
        sys.stdout.write(answer(url) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
