#!/usr/bin/env bash
# Downloads the pinned packages of tests/corpora/pins (pip, --require-hashes)
# and unpacks only their migrations into the corpora cache:
#   ${RETORT_CORPORA_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/retort-corpora}/<name>-<version>/
# (target/retort-corpora without either variable).
# Idempotent: a corpus already unpacked is not fetched again.  Each corpus is
# unpacked into a temporary directory and renamed into place, so concurrent
# runs (one per test process) never see half a corpus.
#
# Usage: scripts/fetch-corpora.sh [NAME...]   (default: every corpus)
# Exits non-zero if any corpus could not be fetched.
set -euo pipefail
cd "$(dirname "$0")/.."
python=${RETORT_CORPORA_PYTHON:-.venv/bin/python}
base=${XDG_CACHE_HOME:-${HOME:+$HOME/.cache}}
cache=${RETORT_CORPORA_CACHE:-${base:-$PWD/target}/retort-corpora}
mkdir -p "$cache"

failed=0
while read -r name req sha paths; do
    case "$name" in ''|'#'*) continue ;; esac
    if [ $# -gt 0 ]; then
        wanted=0
        for w in "$@"; do [ "$w" = "$name" ] && wanted=1; done
        [ $wanted = 1 ] || continue
    fi
    dest="$cache/$name-${req##*==}"
    [ -d "$dest" ] && continue
    tmp=$(mktemp -d "$cache/.tmp-$name.XXXXXX")
    printf '%s --hash=sha256:%s\n' "$req" "$sha" >"$tmp/requirements.txt"
    if ! "$python" -m pip download --quiet --disable-pip-version-check --no-deps \
        --only-binary=:all: --require-hashes --retries 1 --timeout 20 \
        -r "$tmp/requirements.txt" -d "$tmp/wheel" >&2; then
        echo "fetch-corpora: cannot download $req" >&2
        rm -rf "$tmp"
        failed=1
        continue
    fi
    # shellcheck disable=SC2086 # the paths are one word each
    "$python" - "$tmp/tree" "$tmp"/wheel/*.whl $paths <<'PY'
import sys, zipfile
out, wheel, wanted = sys.argv[1], sys.argv[2], sys.argv[3:]
with zipfile.ZipFile(wheel) as z:
    names = [n for n in z.namelist()
             if any(n == w or (w.endswith("/") and n.startswith(w)) for w in wanted)]
    for w in wanted:
        if not any(n == w or n.startswith(w) for n in names):
            sys.exit(f"fetch-corpora: {wheel} has no {w}")
    for n in names:
        if "__pycache__" not in n:
            z.extract(n, out)
PY
    if mv -T "$tmp/tree" "$dest" 2>/dev/null; then
        echo "fetch-corpora: $req unpacked into $dest" >&2
    fi
    rm -rf "$tmp"
done <tests/corpora/pins
exit $failed
