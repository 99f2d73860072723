#!/usr/bin/env bash
# The main job on the bundled example: retort runs the legacy Alembic project in
# examples/homegpu/backend unmodified — its own env.py, which takes the URL from
# app/config.py (DATABASE_URL, else backend/.env, else a SQLite file). Python
# runs in .venv-sa (SQLAlchemy only, no database driver), made on first use.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/dev-env.sh
cargo build --release --quiet
retort="$PWD/target/release/retort"
export VIRTUAL_ENV="$PWD/.venv-sa"
cd examples/homegpu/backend
if [ -z "${DATABASE_URL:-}" ]; then
    # A fresh scratch database for the demo, not the app's own file.
    export DATABASE_URL="sqlite:///$(mktemp -d)/homegpu-demo.db"
fi
for cmd in "heads" "history --verbose" "branches" "show head" "current" \
    "upgrade head" "current -v" "downgrade -1" "current" "upgrade head" \
    "history -r current:heads -i" "downgrade base" "current" "stamp head" "current" \
    "stamp base"; do
    echo "\$ retort $cmd"
    # shellcheck disable=SC2086
    "$retort" $cmd
    echo
done
