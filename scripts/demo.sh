#!/usr/bin/env bash
# The main job on the bundled example: retort reads the legacy Alembic project in
# examples/homegpu/backend (SQLite by default; set DATABASE_URL for a server).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
retort="$PWD/target/release/retort"
cd examples/homegpu/backend
for cmd in "heads" "history --verbose" "branches" "show head"; do
    echo "\$ retort $cmd"
    # shellcheck disable=SC2086
    "$retort" $cmd
    echo
done
