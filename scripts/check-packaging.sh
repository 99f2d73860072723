#!/usr/bin/env bash
# The wheel gives a working `retort` wherever users are: built once, it is
# manylinux-tagged, its binary links no libpython and has no RUNPATH into a
# build directory; installed into a fresh virtualenv (pipx style: no
# SQLAlchemy there) it runs the bundled example's graph commands, runs the
# project's migrations in another environment named by VIRTUAL_ENV or
# --python, and runs `heads` in a root with no Python at all.
#
# Usage: scripts/check-packaging.sh [WHEEL_DIR]  (the wheel is left in
# WHEEL_DIR for scripts/python-matrix.sh when given)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
wheels=${1:-$work/wheels}
mkdir -p "$wheels"
fail() { echo "packaging: $*" >&2; exit 1; }

# The wheel as a release is built: by maturin's own command, which tags it for
# the oldest glibc it needs and audits it (a pip build through PEP 517 tags it
# plain `linux`, for this machine only). Sharing the build directory with the
# test build, dependencies compile once.
"${PYTHON:-python3}" -m venv "$work/build"
"$work/build/bin/python" -m pip install --quiet --disable-pip-version-check 'maturin>=1.5,<2'
CARGO_TARGET_DIR="$root/target" "$work/build/bin/maturin" build --quiet --release --out "$wheels" \
    --manifest-path "$root/Cargo.toml"
wheel=$(ls -t "$wheels"/retort-*.whl | head -n 1)
case $(basename "$wheel") in
    *-py3-none-manylinux*_x86_64.whl | *-py3-none-manylinux*.manylinux*_x86_64.whl) ;;
    *) fail "$(basename "$wheel") is not a py3-none manylinux wheel (one wheel for every Python)" ;;
esac

venv=$work/venv
"${PYTHON:-python3}" -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check "$wheel"
bin=$venv/bin/retort
dynamic=$(readelf -d "$bin")
if grep -q 'NEEDED.*libpython' <<<"$dynamic"; then fail "the installed binary needs libpython"; fi
if grep -qE 'R(UN)?PATH' <<<"$dynamic"; then fail "the installed binary has an RPATH/RUNPATH"; fi

project=$work/backend
cp -r examples/homegpu/backend "$project"
cd "$project"
"$bin" --version
"$bin" heads | grep -q '(head)' || fail "heads"
"$bin" history | grep -q '0001_initial' || fail "history"

# pipx style: retort's own virtualenv has no SQLAlchemy; the project's does.
export DATABASE_URL="sqlite:///$work/example.db"
env -u VIRTUAL_ENV "$bin" upgrade head 2>"$work/err" && fail "upgrade ran without SQLAlchemy"
grep -q "SQLAlchemy is not installed in the Python environment $venv" "$work/err" \
    || fail "no clear message without SQLAlchemy: $(cat "$work/err")"
VIRTUAL_ENV=$root/.venv-sa "$bin" upgrade head 2>/dev/null
VIRTUAL_ENV=$root/.venv-sa "$bin" current 2>/dev/null | grep -q '0003_node_labels (head)' \
    || fail "upgrade head through VIRTUAL_ENV"
env -u VIRTUAL_ENV "$bin" --python "$root/.venv-sa/bin/python" downgrade base 2>/dev/null
env -u VIRTUAL_ENV "$bin" --python "$root/.venv-sa/bin/python" current 2>/dev/null | grep -q . \
    && fail "downgrade base through --python"

# A root with nothing but the binary, the libraries it loads and the project.
if [ "$(id -u)" = 0 ]; then
    bare=$work/bare
    mkdir -p "$bare/bin" "$bare/project"
    cp "$bin" "$bare/bin/retort"
    for lib in $(ldd "$bin" | grep -oE '/[^ ]+'); do
        mkdir -p "$bare$(dirname "$lib")"
        cp -L "$lib" "$bare$lib"
    done
    cp -r "$project/." "$bare/project/"
    if find "$bare" -name 'python*' -o -name 'libpython*' | grep -q .; then fail "the bare root has a Python"; fi
    heads=$(chroot "$bare" /bin/retort -c /project/alembic.ini heads)
    grep -q '0003_node_labels (head)' <<<"$heads" || fail "heads in a root with no Python: $heads"
    echo "packaging: heads runs in a root with no Python"
else
    echo "packaging: not root, the no-Python root check is skipped" >&2
fi
echo "packaging: $(basename "$wheel") installs a working retort (no libpython, no RUNPATH)"
