#!/usr/bin/env bash
# Dependencies point one way: only src/host talks to Python (and links no
# libpython: pyo3 is named nowhere), only src/db may name sqlx, src/ddl does no
# I/O and imports nothing from db (db imports quoting from ddl), backend.rs
# sits below both, and anyhow stays at the CLI edge.
set -euo pipefail
cd "$(dirname "$0")/.."
fail=0
check() { # pattern, allowed path prefix, what
    local hits
    hits=$(grep -rlE "$1" src --include='*.rs' | grep -vE "^($2)" || true)
    if [ -n "$hits" ]; then echo "layering: $3 outside its layer:"; echo "$hits"; fail=1; fi
}
refuse() { # pattern, path where it may not appear, what
    local hits
    hits=$(grep -rlE "$1" "$2" --include='*.rs' || true)
    if [ -n "$hits" ]; then echo "layering: $3:"; echo "$hits"; fail=1; fi
}
check '\bpyo3\b' '$^' 'pyo3 (retort runs the user'"'"'s own python instead)'
check 'libc::signal|Command::new\(&interp' 'src/host/' 'starting or signalling the Python child'
check '\bsqlx::' 'src/db/' 'sqlx'
check '\banyhow\b' 'src/main.rs|src/commands/' 'anyhow'
check 'std::(fs|net|process)' 'src/(config|script|commands|host|db|runtime|verify)/|src/main.rs' 'I/O in a pure layer (revision, ddl)'
refuse '\bcrate::db\b|\bdb::' src/ddl 'ddl imports db (what both need lives in ddl or backend.rs)'
refuse '\bcrate::' src/backend.rs 'backend.rs imports another module (it sits below db and ddl)'
exit $fail
