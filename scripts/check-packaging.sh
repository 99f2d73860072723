#!/usr/bin/env bash
# `pip install .` into a fresh virtualenv must give a working `retort` command:
# the bundled example's heads and history through the installed binary.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
venv=$(mktemp -d)/venv
trap 'rm -rf "$(dirname "$venv")"' EXIT
"${PYTHON:-python3}" -m venv "$venv"
# Share the build directory with the test build so dependencies compile once.
CARGO_TARGET_DIR="$root/target" "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "$root"
cd examples/homegpu/backend
"$venv/bin/retort" --version
"$venv/bin/retort" heads | grep -q '(head)'
"$venv/bin/retort" history | grep -q '0001_initial'
echo "packaging: pip install . gives a working retort"
