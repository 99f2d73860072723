#!/usr/bin/env bash
# Dependencies point one way: only src/host may name pyo3, only src/db may name
# sqlx, src/ddl does no I/O, and anyhow stays at the CLI edge.
set -euo pipefail
cd "$(dirname "$0")/.."
fail=0
check() { # pattern, allowed path prefix, what
    local hits
    hits=$(grep -rlE "$1" src --include='*.rs' | grep -vE "^($2)" || true)
    if [ -n "$hits" ]; then echo "layering: $3 outside its layer:"; echo "$hits"; fail=1; fi
}
check '\bpyo3::' 'src/host/' 'pyo3'
check '\bsqlx::' 'src/db/' 'sqlx'
check '\banyhow\b' 'src/main.rs|src/commands/' 'anyhow'
check 'std::(fs|net|process)' 'src/(config|script|commands|host|db|runtime|verify)/|src/main.rs' 'I/O in a pure layer (revision, ddl)'
exit $fail
