#!/usr/bin/env bash
# The parity suites on the older SQLAlchemy lines a project may pin, each with
# the newest Alembic that supports it (the main suite runs the newest line,
# .venv / .venv-sa):
#   sa20  Alembic 1.20.1 + SQLAlchemy 2.0  (.venv-sa20, requirements-sa20.txt)
#   sa14  Alembic 1.19.2 + SQLAlchemy 1.4  (.venv-sa14, requirements-legacy.txt)
# On each line real Alembic and retort's scripts run in the same virtualenv, and
# every expected value is that Alembic's: at test time, or the line's offline
# goldens (tests/offline/goldens/<line>, written by tests/offline/generate.py).
#
#   scripts/sqla-matrix.sh            # both lines
#   scripts/sqla-matrix.sh sa14       # one
# RETORT_SQLA_MATRIX_FILTER overrides the nextest filter expression.
set -euo pipefail
cd "$(dirname "$0")/.."

lines=("$@")
[ ${#lines[@]} -gt 0 ] || lines=(sa20 sa14)
suites='binary(ddl_render) | binary(offline_goldens) | binary(offline_parity) | binary(migrate_parity) | binary(autogen_parity)'
# Fixtures written with SQLAlchemy 2's API (sa.Double, sa.Uuid,
# DeclarativeBase, drop_constraint(if_exists=...)), which real Alembic cannot
# run on 1.4 either.
sa2_only='binary(migrate_parity) & (test(homegpu) | test(conn_shim) | test(=postgres_pg_only) | test(=postgres_more_ops))'
# The real-world corpora pin packages written for SQLAlchemy 2: not on 1.4.
# Autogenerate on PostgreSQL under 1.4 is left out until retort's driver
# describes an empty result with a column type sqlx cannot resolve
# (pg_node_tree, which 1.4's get_indexes selects): issue 17, "Results".
declare -A default_filter=(
    [sa20]="$suites | binary(corpora_parity)"
    [sa14]="(${suites/binary(autogen_parity)/(binary(autogen_parity) \& not test(autogenerate_postgresql))}) - ($sa2_only)"
)

status=0
for line in "${lines[@]}"; do
    venv=$PWD/.venv-$line
    filter=${RETORT_SQLA_MATRIX_FILTER:-${default_filter[$line]:-}}
    if [ -z "$filter" ]; then
        echo "sqla-matrix: unknown line $line (sa20 or sa14)" >&2
        exit 2
    fi
    if [ ! -x "$venv/bin/alembic" ]; then
        echo "sqla-matrix: $venv has no alembic (run scripts/dev-env.sh)" >&2
        exit 2
    fi
    versions=$(cd /tmp && "$venv/bin/python" -c 'import alembic, sqlalchemy; print("Alembic", alembic.__version__, "SQLAlchemy", sqlalchemy.__version__)')
    echo "=== sqla-matrix $line: $versions"
    if RETORT_ALEMBIC="$venv/bin/alembic" RETORT_TEST_PYTHON="$venv/bin/python" \
        RETORT_HOST_VENV="$venv" RETORT_PYTHON="$venv/bin/python" RETORT_MIGRATE_PARITY=1 CI=true \
        cargo nextest run --no-fail-fast --failure-output final -E "$filter"; then
        echo "=== sqla-matrix $line: PASS ($versions)"
    else
        echo "=== sqla-matrix $line: FAIL ($versions)"
        status=1
    fi
done
exit $status
