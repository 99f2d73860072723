"""Runs every scenario of scenarios.py twice per dialect and prints one JSON
document on stdout:

(a) through real Alembic in offline mode (``as_sql`` + ``literal_binds``),
    capturing each statement Alembic writes (the expected SQL);
(b) through ``retort.ops.Operations`` with a fake runtime for the same
    dialect, capturing the IR dicts handed to ``runtime.emit`` and the SQL of
    ``runtime.execute`` calls, in order.

The Rust test (tests/ddl_render.rs) renders the IR and compares.  Nothing
expected is written by hand.
"""

import json
import os
import sys
import traceback
import warnings

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "python"))
sys.path.insert(0, HERE)

import sqlalchemy as sa  # noqa: E402
from sqlalchemy.engine import url as sa_url  # noqa: E402
from sqlalchemy.engine.mock import MockConnection  # noqa: E402

from alembic.migration import MigrationContext  # noqa: E402
from alembic.operations import Operations as AlembicOperations  # noqa: E402

import retort.ops as rops  # noqa: E402
import scenarios  # noqa: E402

warnings.simplefilter("ignore")

DIALECTS = ["postgresql", "mysql", "mariadb", "sqlite"]


def make_dialect(name):
    return sa_url.make_url("%s://" % name).get_dialect()()


class Recorder:
    """Output buffer keeping each write Alembic makes (one per statement)."""

    def __init__(self):
        self.writes = []

    def write(self, text):
        self.writes.append(text)

    def flush(self):
        pass


def statements(writes):
    out = []
    for w in writes:
        s = w.strip()
        if s.endswith(";"):
            s = s[:-1].rstrip()
        if s:
            out.append(s)
    return out


def run_alembic(fn, dialect_name, opts_extra):
    rec = Recorder()
    opts = {"as_sql": True, "output_buffer": rec, "literal_binds": True}
    opts.update(opts_extra)
    ctx = MigrationContext.configure(dialect_name=dialect_name, opts=opts)
    op = AlembicOperations(ctx)
    try:
        fn(op)
    except Exception as e:  # noqa: BLE001
        return statements(rec.writes), "%s: %s" % (type(e).__name__, e)
    return statements(rec.writes), None


class FakeImpl:
    def __init__(self):
        self.memo = {}


class FakeContext:
    def __init__(self, opts):
        self.opts = opts
        self.impl = FakeImpl()


class FakeRuntime:
    def __init__(self, dialect_name, opts_extra):
        self.dialect = make_dialect(dialect_name)
        self.steps = []
        # as offline: what SQLAlchemy's events execute on the bind is written out
        self.bind = MockConnection(self.dialect, lambda construct, *a, **kw: self.execute(construct))
        self.as_sql = True
        self.migration_context = FakeContext(dict(opts_extra))

    def emit(self, ir):
        # must survive a JSON round trip, as it will in production
        self.steps.append({"ir": json.loads(json.dumps(ir))})

    def compile_offline(self, construct):
        # as retort.environment compiles offline: DDL takes no literal_binds
        # (SQLAlchemy 1.4's DDL compiler refuses the argument)
        if isinstance(construct, sa.schema.DDLElement):
            return construct.compile(dialect=self.dialect)
        return construct.compile(dialect=self.dialect, compile_kwargs={"literal_binds": True})

    def write_offline(self, sql):
        self.steps.append({"sql": sql.replace("\t", "    ").strip()})

    def execute(self, statement, params=None):
        if isinstance(statement, str):
            statement = sa.text(statement)
        self.write_offline(str(self.compile_offline(statement)))


def run_retort(fn, dialect_name, opts_extra):
    rt = FakeRuntime(dialect_name, opts_extra)
    op = rops.Operations(rt)
    try:
        fn(op)
    except Exception as e:  # noqa: BLE001
        return rt.steps, "%s: %s" % (type(e).__name__, e)
    return rt.steps, None


def main():
    cases = []
    for name, fn, dialects, opts_extra in scenarios.all_scenarios():
        for d in dialects or DIALECTS:
            expected, a_err = run_alembic(fn, d, opts_extra)
            try:
                steps, r_err = run_retort(fn, d, opts_extra)
            except Exception:  # noqa: BLE001
                steps, r_err = [], traceback.format_exc()
            cases.append({
                "name": name,
                "dialect": d,
                "expected": expected,
                "alembic_error": a_err,
                "steps": steps,
                "retort_error": r_err,
            })
    json.dump(cases, sys.stdout)


if __name__ == "__main__":
    main()
