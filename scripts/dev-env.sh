#!/usr/bin/env bash
# Creates the virtualenvs with the pinned Python packages the tests run (idempotent).
set -euo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-python3}

# venv DIR REQUIREMENTS: DIR holds exactly what REQUIREMENTS pins (reinstalled
# when the file changes).
venv() {
    local dir=$1 requirements=$2
    if [ ! -x "$dir/bin/python" ]; then
        "$python" -m venv "$dir"
    fi
    local stamp=$dir/.retort-requirements
    if ! cmp -s "$requirements" "$stamp" 2>/dev/null; then
        "$dir/bin/python" -m pip install --quiet --disable-pip-version-check -r "$requirements"
        cp "$requirements" "$stamp"
    fi
}

# Real Alembic and its drivers, for the parity tests.
venv .venv requirements-dev.txt
# SQLAlchemy only: retort runs scripts in it (no driver).
venv .venv-sa requirements-host.txt
# SQLAlchemy 1.4 with real Alembic, for the legacy parity tests: retort runs
# the scripts in it too.
venv .venv-sa14 requirements-legacy.txt
# SQLAlchemy 2.0 with the newest Alembic, for scripts/sqla-matrix.sh.
venv .venv-sa20 requirements-sa20.txt
# The real-world migration corpora of tests/corpora_parity.rs (pinned packages,
# cached outside the repository).  Without network the tests say so: they fail
# on CI and print a SKIPPED banner locally.
scripts/fetch-corpora.sh || echo "dev-env: could not fetch every corpus (see above)" >&2
