#!/usr/bin/env bash
# Usage: scripts/python-matrix.sh [--repo DIR] [--wheel WHEEL_OR_DIR] [CASE...]
#
# retort on Pythons other than the one it was built beside.  The wheel is built
# once; for each CASE it is installed into a fresh virtualenv of that interpreter
# together with the pins of requirements-dev.txt (real Alembic and its drivers), and
# in that virtualenv:
#   1. the bundled example examples/homegpu/backend (a copy, SQLite): `retort heads`,
#      `upgrade head`, `current` (must show the head), `downgrade base`, `current`
#      (must show none) — with no VIRTUAL_ENV set, so retort has to find the
#      virtualenv it is installed in;
#   2. a migrate-parity subset against the real Alembic of the same virtualenv, on
#      SQLite, PostgreSQL (127.0.0.1:5432) and MariaDB (127.0.0.1:3306): core ops
#      on each, batch and branches on SQLite (tests/migrate_parity.rs), and
#      `op.run_async` under Alembic's async env.py template on each
#      (tests/host_templates.rs).  CI=true, so a missing server or driver fails
#      instead of skipping.
#
# CASEs (default: trixie host):
#   trixie  Debian 13's python3 (CPython 3.13, no libpython3.13 installed) in the
#           root made by scripts/debian-root.sh, run with chroot
#   sid     Debian unstable's python3.14 (no libpython3.14 installed), likewise
#   host    this machine's Debian /usr/bin/python3.11 (an interpreter not linked to
#           a shared libpython; the python3 on PATH may be pyenv's and is not used)
#   bookworm  Debian 12's /usr/bin/python3.11 in a root with no libpython3.11 at all
#
# Inside a root, the repository and this run's work directory are bind-mounted at
# their own paths (and /proc mounted), so the virtualenv, the wheel and the host-built
# test binaries have the same paths inside and out; everything is unmounted on exit,
# failure and interrupt included.  Needs root for the chroot cases.
#
# --repo: the repository to test (default: the one holding this script); --wheel:
# a wheel already built from it (e.g. by scripts/check-packaging.sh WHEEL_DIR; a
# directory means its newest retort-*.whl) instead of building one.
#
# Environment: PYTHON builds the wheel (default python3, as scripts/check-packaging.sh;
# the build shares $repo/target with it, so a built release is reused);
# RETORT_MATRIX_TESTS replaces the test subset ("SUITE:TEST ...", e.g.
# "migrate_parity:sqlite_core_ops"); RETORT_MATRIX_LOGS is where each case's log goes
# (default $repo/target/python-matrix); RETORT_ROOTS as in scripts/debian-root.sh;
# RETORT_MATRIX_JOBS is the parity tests' --test-threads (default 4);
# RETORT_MATRIX_SELFTEST=1 runs the parity subset with the virtualenv's `alembic` as
# the binary under test (validates the harness, the virtualenv and the databases
# inside a root whatever the state of retort; the example still runs retort).
#
# One summary line per case; the exit status is non-zero if any case failed.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
wheel=
while [ $# -gt 0 ]; do
    case $1 in
        --repo) repo=$(cd "$2" && pwd); shift 2 ;;
        --wheel) wheel=$2; shift 2 ;;
        -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) break ;;
    esac
done
if [ -d "$wheel" ]; then
    dir=$wheel
    wheel=$(ls -t "$dir"/retort-*.whl 2>/dev/null | head -n 1)
    [ -n "$wheel" ] || { echo "python-matrix: no retort wheel in $dir" >&2; exit 2; }
fi
[ -z "$wheel" ] || wheel=$(cd "$(dirname "$wheel")" && pwd)/$(basename "$wheel")
cases=("$@")
[ ${#cases[@]} -gt 0 ] || cases=(trixie host)
for c in "${cases[@]}"; do
    case $c in
        trixie | sid | host | bookworm) ;;
        *) echo "python-matrix: unknown case '$c' (trixie, sid, host, bookworm)" >&2; exit 2 ;;
    esac
done

# Core ops on every database; batch (SQLite, where it rebuilds tables) and branches
# once; op.run_async under the async env.py template on every database (each
# with its async driver, a compiled package of the interpreter).  The whole
# 12-test cross product takes about twice as long (RETORT_MATRIX_TESTS).
tests=${RETORT_MATRIX_TESTS:-"
    migrate_parity:sqlite_core_ops migrate_parity:postgres_core_ops migrate_parity:mariadb_core_ops
    migrate_parity:sqlite_batch migrate_parity:sqlite_branches
    host_templates:sqlite_async_run_async host_templates:postgres_async_run_async
    host_templates:mariadb_async_run_async"}
# Self-test: the parity subset with Alembic standing in for retort (the harness,
# the virtualenv and the databases, proven apart from the binary under test).
parity_bin=retort
[ "${RETORT_MATRIX_SELFTEST:-0}" = 0 ] || parity_bin=alembic
# The tests mostly wait on processes and servers: more threads than cores.
jobs=${RETORT_MATRIX_JOBS:-4}
logs=${RETORT_MATRIX_LOGS:-$repo/target/python-matrix}
mkdir -p "$logs"

work=$(mktemp -d "${TMPDIR:-/tmp}/retort-matrix.XXXXXX")
mounts=()
root=    # the current case's Debian root ('' on the host)
# Unmounts what this run mounted, innermost first.
unmount_all() {
    local i
    for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do
        umount "${mounts[i]}" 2>/dev/null || umount -l "${mounts[i]}" || true
    done
    mounts=()
}
cleanup() {
    unmount_all
    [ -z "$root" ] || rmdir "$root$work" 2>/dev/null || true
    rm -rf --one-file-system "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

say() { echo "python-matrix: $*" >&2; }
now() { date +%s; }

# ------------------------------------------------------------ built once

state=$(git -C "$repo" describe --always --dirty 2>/dev/null || echo "not a git checkout")
say "testing $repo ($state)"
t0=$(now)
if [ -z "$wheel" ]; then
    say "building the wheel (shares $repo/target with check-packaging)"
    CARGO_TARGET_DIR="$repo/target" "${PYTHON:-python3}" -m pip wheel --quiet --no-deps \
        --disable-pip-version-check -w "$work/wheel" "$repo" >"$logs/wheel.log" 2>&1 || {
        tail -n 40 "$logs/wheel.log" >&2
        say "FAILED: building the wheel (log: $logs/wheel.log)"
        exit 1
    }
else
    # Into the work directory: the roots see that, not the wheel's own directory.
    mkdir -p "$work/wheel"
    cp "$wheel" "$work/wheel/"
fi
wheel=$(ls "$work"/wheel/retort-*.whl)
t_wheel=$(($(now) - t0))
say "wheel: $(basename "$wheel")"

# The test binaries, as cargo knows them (built only if out of date).
t0=$(now)
suites=$(printf '%s\n' $tests | cut -d: -f1 | sort -u)
say "building the test binaries: $(echo $suites)"
declare -A test_bin
# shellcheck disable=SC2046
(cd "$repo" && cargo test --no-run --quiet --message-format=json \
    $(printf -- '--test %s ' $suites)) >"$work/cargo.json" 2>"$logs/cargo.log" || {
    tail -n 40 "$logs/cargo.log" >&2
    say "FAILED: building the test binaries (log: $logs/cargo.log)"
    exit 1
}
for s in $suites; do
    bin=$(grep -o "\"executable\":\"[^\"]*/deps/$s-[0-9a-f]*\"" "$work/cargo.json" \
        | tail -n 1 | cut -d'"' -f4 || true)
    [ -x "$bin" ] || { say "FAILED: no test binary for $s"; exit 1; }
    test_bin[$s]=$bin
done
t_build=$(($(now) - t0))
say "wheel ${t_wheel}s, test binaries ${t_build}s"

# ------------------------------------------------------------ per case

# run_at DIR CMD...: CMD in DIR, in the case's environment (inside its root, if
# any), with no trace of the calling shell's Python (pyenv, an activated virtualenv).
run_at() {
    local dir=$1 path=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
    shift
    if [ -n "$root" ]; then
        # A find-links directory of the host is not there (pip warns on every call).
        local links=()
        [ -z "${PIP_FIND_LINKS:-}" ] || [ -e "$root$PIP_FIND_LINKS" ] || links=(-u PIP_FIND_LINKS)
        chroot "$root" /usr/bin/env -C "$dir" -u VIRTUAL_ENV -u PYTHONHOME -u PYTHONPATH \
            -u PYENV_VERSION "${links[@]}" PATH="$path" HOME=/root TMPDIR="$work/tmp" "$@"
    else
        env -C "$dir" -u VIRTUAL_ENV -u PYTHONHOME -u PYTHONPATH -u PYENV_VERSION \
            PATH="$path" TMPDIR="$work/tmp" "$@"
    fi
}
run() { run_at / "$@"; }

# bind DIR: DIR at its own path inside the root.
bind() {
    mkdir -p "$root$1" && mount --bind "$1" "$root$1" && mounts+=("$root$1")
}

# enter_root SUITE: the cached root of SUITE, with the repository, the work
# directory and /proc mounted.  Every step is checked: nothing is mounted unless
# the root exists.
enter_root() {
    local s d
    root=$("$here/debian-root.sh" "$1") && [ -n "$root" ] && [ "$root" != / ] &&
        [ -x "$root/usr/bin/python3" ] || { root=; return 1; }
    mount -t proc proc "$root/proc" && mounts+=("$root/proc") || return 1
    bind "$repo" && bind "$work" || return 1
    for s in "${!test_bin[@]}"; do
        d=$(dirname "${test_bin[$s]}")
        case $d in "$repo"/*) ;; *) bind "$d" || return 1 ;; esac
    done
}

# example VENV CASE: a copy of the homegpu example, upgraded and downgraded by the venv's retort.
example() {
    local venv=$1 dir=$work/homegpu-$2 out head
    cp -r "$repo/examples/homegpu/backend" "$dir"
    rm -rf "$dir/.env" "$dir"/*.db
    find "$dir" -name __pycache__ -prune -exec rm -rf {} +
    local retort=$venv/bin/retort
    ex() { run_at "$dir" env DATABASE_URL="sqlite:///$dir/homegpu.db" "$retort" "$@"; }
    echo "\$ retort heads"
    out=$(ex heads) || { echo "$out"; echo "example: 'retort heads' failed"; return 1; }
    echo "$out"
    head=$(echo "$out" | awk '/\(head\)/ {print $1; exit}')
    [ -n "$head" ] || { echo "example: no head in 'retort heads'"; return 1; }
    echo "\$ retort upgrade head"
    ex upgrade head || { echo "example: 'retort upgrade head' failed"; return 1; }
    echo "\$ retort current"
    out=$(ex current) || { echo "$out"; echo "example: 'retort current' failed"; return 1; }
    echo "$out"
    echo "$out" | grep -q "^$head (head)" || { echo "example: current is not $head"; return 1; }
    echo "\$ retort downgrade base"
    ex downgrade base || { echo "example: 'retort downgrade base' failed"; return 1; }
    out=$(ex current) || { echo "$out"; echo "example: 'retort current' failed"; return 1; }
    echo "$out"
    ! echo "$out" | grep -q "(head)" || { echo "example: still at head after downgrade base"; return 1; }
}

# parity VENV: the test subset, retort and Alembic from the venv.
parity() {
    local venv=$1 s names status=0
    for s in $(printf '%s\n' $tests | cut -d: -f1 | sort -u); do
        names=$(printf '%s\n' $tests | sed -n "s/^$s://p")
        echo "\$ ${test_bin[$s]} --exact $(echo $names)"
        # shellcheck disable=SC2086
        run_at "$repo" env CI=true RETORT_MIGRATE_PARITY=1 RETORT_BIN="$venv/bin/$parity_bin" \
            RETORT_ALEMBIC="$venv/bin/alembic" RETORT_HOST_VENV="$venv" \
            "${test_bin[$s]}" --exact --test-threads="$jobs" $names || status=1
    done
    return $status
}

describe='
import glob, sys
loaded = any("libpython" in line for line in open("/proc/self/maps"))
lib = "libpython%d.%d.so*" % sys.version_info[:2]
found = glob.glob("/usr/lib/*/" + lib) + glob.glob("/usr/lib/" + lib)
print(", libpython " + ("loaded" if loaded else "not loaded")
      + (", %s installed" % lib.rstrip("*") if found else ", none installed"))'
failed=0
summary=()
for c in "${cases[@]}"; do
    log=$logs/$c.log
    : >"$log"
    case $c in
        trixie) python=/usr/bin/python3.13 ;;
        sid) python=/usr/bin/python3.14 ;;
        host | bookworm) python=/usr/bin/python3.11 ;;
    esac
    t0=$(now)
    t_root=0 t_venv=0 t_example=0 t_parity=0 result=PASS detail=
    mkdir -p "$work/tmp"
    if [ "$c" != host ]; then
        say "$c: the Debian root"
        if ! enter_root "$c" 2>>"$log"; then
            result=FAIL detail="the Debian root (see $log)"
        fi
        t_root=$(($(now) - t0))
    fi
    venv=$work/venv-$c
    version=?
    if [ "$result" = PASS ]; then
        version=$(run "$python" -c 'import sys; print(sys.version.split()[0])' 2>>"$log") || true
        # Whether the interpreter has a shared libpython loaded, and whether one
        # is installed at all (retort must not need one either way).
        version+=$(run "$python" -c "$describe" 2>>"$log") || true
        say "$c: venv of $python ($version): the wheel and requirements-dev.txt"
        t0=$(now)
        if ! { run "$python" -m venv "$venv" &&
            run "$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
                "$wheel" -r "$repo/requirements-dev.txt"; } >>"$log" 2>&1; then
            result=FAIL detail="venv and installs (see $log)"
        fi
        t_venv=$(($(now) - t0))
    fi
    if [ "$result" = PASS ]; then
        # What the installed binary needs (readelf on the host: same path).
        needs=$(readelf -d "$venv/bin/retort" 2>/dev/null | grep -o 'libpython[^]]*' | sort -u | tr '\n' ' ' || true)
        needs=${needs% }
        echo "retort binary: ${needs:-no libpython} needed" >>"$log"
        say "$c: the homegpu example"
        t0=$(now)
        if ! example "$venv" "$c" >"$work/example.log" 2>&1; then
            result=FAIL
            detail="$(tail -n 1 "$work/example.log")$(grep -m 1 -i -o 'error.*' "$work/example.log" | sed 's/^/ (/; s/$/)/' || true)"
        fi
        cat "$work/example.log" >>"$log"
        t_example=$(($(now) - t0))
        # The parity subset runs even when the example failed: it says more.
        say "$c: the parity subset"
        t0=$(now)
        if parity "$venv" >>"$log" 2>&1; then
            detail=${detail:-"example and $(printf '%s\n' $tests | wc -l) parity tests passed"}
            [ "$parity_bin" = retort ] || detail+=" (self-test: RETORT_BIN=alembic)"
        else
            result=FAIL
            detail="${detail:+$detail; }parity: $(grep -c '^test .* FAILED$' "$log" || true) of $(printf '%s\n' $tests | wc -l) failed"
        fi
        t_parity=$(($(now) - t0))
    fi
    unmount_all
    [ -z "$root" ] || rmdir "$root$work" 2>/dev/null || true
    root=
    rm -rf "$venv" "$work/tmp" "$work/homegpu-$c"
    if [ "$result" != PASS ]; then
        failed=1
        say "$c: FAILED — tail of $log:"
        tail -n 30 "$log" >&2
    fi
    summary+=("$(printf '%-8s %-4s %-46s %s (root %ss, venv %ss, example %ss, parity %ss)' \
        "$c" "$result" "$python ($version)" "$detail" "$t_root" "$t_venv" "$t_example" "$t_parity")")
done

echo "python-matrix: $repo ($state), $(basename "$wheel") (${t_wheel}s), test binaries ready in ${t_build}s; logs in $logs"
for line in "${summary[@]}"; do
    echo "python-matrix: $line"
done
exit $failed
