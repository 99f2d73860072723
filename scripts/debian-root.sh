#!/usr/bin/env bash
# Usage: scripts/debian-root.sh [SUITE]      (SUITE: trixie, the default, sid or bookworm)
#
# Makes once, and caches, a minimal Debian root with python3, venv and pip, for
# running retort on a Python other than the host's (scripts/python-matrix.sh).
# Prints the root's path (the only line on stdout).  Needs root (debootstrap,
# chroot); installs debootstrap with apt-get when it is missing.
#
#   trixie  Debian 13: python3 is CPython 3.13, and no libpython3.13 is installed
#           (an interpreter with no shared library).
#   sid     Debian unstable, with python3.14 (its python3 today; named, so that the
#           root keeps a 3.14 when python3 moves on).
#   bookworm  Debian 12: CPython 3.11 with no libpython3.11 installed (unlike a
#           Debian 12 host with python3-dev, which has one, though its
#           /usr/bin/python3.11 does not load it).
#
# Cached under ${RETORT_ROOTS:-~/.cache/retort/roots}/SUITE.  The root is built in a
# temporary directory next to the cache and renamed into place only when complete,
# so an interrupted run leaves nothing that looks like a root (its temporary
# directory is removed by the next run).  The host's /etc/resolv.conf, /etc/pip.conf
# and CA bundle are copied in on every call, so pip reaches the package index from
# inside the root as it does on the host.
set -euo pipefail

suite=${1:-trixie}
case $suite in
    trixie | bookworm) extra= ;;
    sid) extra=python3.14,python3.14-venv ;;
    *) echo "debian-root: unknown suite '$suite' (trixie, sid or bookworm)" >&2; exit 2 ;;
esac

cache=${RETORT_ROOTS:-${XDG_CACHE_HOME:-$HOME/.cache}/retort/roots}
root=$cache/$suite

# The host's network settings, refreshed on every call (cheap; they may change).
copy_host_files() {
    local dir=$1 f
    for f in /etc/resolv.conf /etc/pip.conf /etc/ssl/certs/ca-certificates.crt; do
        if [ -f "$f" ]; then
            mkdir -p "$dir$(dirname "$f")"
            # resolv.conf may be a symlink inside the root (systemd-resolved).
            rm -f "$dir$f"
            cp -L "$f" "$dir$f"
        fi
    done
}

if [ -d "$root" ]; then
    copy_host_files "$root"
    echo "$root"
    exit 0
fi

if [ "$(id -u)" != 0 ]; then
    echo "debian-root: needs root (debootstrap and chroot)" >&2
    exit 1
fi
if ! command -v debootstrap >/dev/null; then
    echo "debian-root: installing debootstrap" >&2
    apt-get install -y -qq debootstrap >&2 || {
        apt-get update -qq >&2 && apt-get install -y -qq debootstrap >&2
    }
fi

mkdir -p "$cache"
# One build of a suite at a time: a second run waits, then finds the root.
exec 9>"$cache/.lock-$suite"
flock 9
if [ -d "$root" ]; then
    copy_host_files "$root"
    echo "$root"
    exit 0
fi
# Leftovers of interrupted runs (never a complete root: those are renamed).
for old in "$cache"/.build-"$suite".*; do
    [ -d "$old" ] || continue
    # debootstrap mounts proc and sys inside while it runs.
    grep -o " $old/[^ ]*" /proc/mounts | sort -r | xargs -r -n1 umount -l 2>/dev/null || true
    rm -rf --one-file-system "$old"
done

tmp=$(mktemp -d "$cache/.build-$suite.XXXXXX")
cleanup() {
    grep -o " $tmp/[^ ]*" /proc/mounts | sort -r | xargs -r -n1 umount -l 2>/dev/null || true
    rm -rf --one-file-system "$tmp"
}
trap cleanup EXIT

echo "debian-root: debootstrap $suite (a few minutes, once)" >&2
start=$SECONDS
debootstrap --variant=minbase --include="python3,python3-venv,python3-pip${extra:+,$extra}" \
    "$suite" "$tmp/root" >"$tmp/debootstrap.log" 2>&1 || {
    tail -n 30 "$tmp/debootstrap.log" >&2
    echo "debian-root: debootstrap $suite failed (log above)" >&2
    exit 1
}
copy_host_files "$tmp/root"
# Smoke check: the interpreters run inside.
chroot "$tmp/root" python3 -c 'import venv, sys; print(sys.version.split()[0])' >/dev/null
if [ "$suite" = sid ]; then
    chroot "$tmp/root" python3.14 -c 'import venv' >/dev/null
fi
# Atomic: the root appears complete or not at all.
mv -T "$tmp/root" "$root"
echo "debian-root: $suite ready in $((SECONDS - start))s" >&2
echo "$root"
