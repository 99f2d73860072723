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
scripts/check-packaging.sh

if cargo nextest --version >/dev/null 2>&1; then
    exec cargo nextest run --no-fail-fast --failure-output final
else
    exec cargo test --no-fail-fast
fi
