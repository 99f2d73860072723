#!/usr/bin/env bash
# The project's test command: sets up what the tests need from nothing, checks
# formatting, lints and layering, then runs every test (unit, parity, integration).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/dev-env.sh
export RETORT_ALEMBIC="$PWD/.venv/bin/alembic"
export RETORT_TEST_PYTHON="$PWD/.venv/bin/python"

cargo fmt --check
cargo clippy --all-targets --quiet -- -D warnings
scripts/check-layers.sh
# The wheel, built once: checked, then run on other Pythons (Debian 13's 3.13,
# and Debian 12's 3.11 in a root with no libpython at all) beside real Alembic.
wheels=$(mktemp -d)
trap 'rm -rf "$wheels"' EXIT
scripts/check-packaging.sh "$wheels"
scripts/python-matrix.sh --wheel "$wheels" trixie bookworm
# The parity suites on the older SQLAlchemy lines (2.0 and 1.4, each with the
# newest Alembic that supports it); the main run below is on 2.1.
scripts/sqla-matrix.sh sa20 sa14

if cargo nextest --version >/dev/null 2>&1; then
    cargo nextest run --no-fail-fast --failure-output final
else
    cargo test --no-fail-fast
fi
