#!/usr/bin/env bash
# Creates .venv with the pinned Python packages the parity tests run (idempotent).
set -euo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
    "$python" -m venv .venv
fi
stamp=.venv/.retort-requirements
if ! cmp -s requirements-dev.txt "$stamp" 2>/dev/null; then
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
    cp requirements-dev.txt "$stamp"
fi
# A second virtualenv with SQLAlchemy only: retort runs scripts in it (no driver).
if [ ! -x .venv-sa/bin/python ]; then
    "$python" -m venv .venv-sa
fi
stamp=.venv-sa/.retort-requirements
if ! cmp -s requirements-host.txt "$stamp" 2>/dev/null; then
    .venv-sa/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-host.txt
    cp requirements-host.txt "$stamp"
fi
# SQLAlchemy 1.4 with real Alembic, for the legacy parity tests: retort runs
# the scripts in it too.
if [ ! -x .venv-sa14/bin/python ]; then
    "$python" -m venv .venv-sa14
fi
stamp=.venv-sa14/.retort-requirements
if ! cmp -s requirements-legacy.txt "$stamp" 2>/dev/null; then
    .venv-sa14/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-legacy.txt
    cp requirements-legacy.txt "$stamp"
fi
# The real-world migration corpora of tests/corpora_parity.rs (pinned packages,
# cached outside the repository).  Without network the tests say so: they fail
# on CI and print a SKIPPED banner locally.
scripts/fetch-corpora.sh || echo "dev-env: could not fetch every corpus (see above)" >&2
