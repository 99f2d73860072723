"""Writes the offline goldens: what real Alembic prints for `--sql` commands.

Run from the repository root with the virtualenv that has real Alembic:

    .venv/bin/python tests/offline/generate.py

For each case of tests/offline/cases.txt it copies the fixture project to a
temporary directory (exactly as tests/offline_goldens.rs does), runs a list
of commands derived from the project's revision graph through the `alembic`
next to this Python, and stores, per command, Alembic's stdout, exit code and
(for a Python exception) the last line of stderr in
tests/offline/goldens/<line>/<case>/<NN>.sql, <line> being the installed
SQLAlchemy's (sa14, sa20, sa21).  Nothing in the goldens is typed by hand;
that line's directory is rewritten on every run.
"""

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from alembic.config import Config
from alembic.script import ScriptDirectory

ROOT = Path(__file__).resolve().parents[2]
HERE = ROOT / "tests" / "offline"
FIXTURES = ROOT / "tests" / "fixtures" / "migrate"
# One set of goldens per SQLAlchemy release line (sa14, sa20, sa21): the
# line of the SQLAlchemy this Python imports.
import sqlalchemy  # noqa: E402

LINE = "sa" + "".join(sqlalchemy.__version__.split(".")[:2])
GOLDENS = HERE / "goldens" / LINE
ALEMBIC = Path(sys.executable).with_name("alembic")


def read_cases():
    cases = []
    for line in (HERE / "cases.txt").read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            name, fixture, url, env = line.split()
            cases.append((name, fixture, url, env))
    return cases


def make_project(fixture, url, env, into):
    """The fixture's project with `url` and the chosen env.py; the Rust test
    builds the very same tree."""
    shutil.copytree(FIXTURES / fixture, into, dirs_exist_ok=True)
    ini = into / "alembic.ini"
    lines = ini.read_text().splitlines(keepends=True)
    ini.write_text(
        "".join(
            "sqlalchemy.url = %s\n" % url if line.startswith("sqlalchemy.url") else line
            for line in lines
        )
    )
    if env != "stock":
        shutil.copyfile(HERE / "env" / ("%s.py" % env), into / "migrations" / "env.py")
    for stale in ("steps",):
        (into / stale).unlink(missing_ok=True)


def commands(project):
    """The commands of one case: whole runs, every single-parent revision up
    and down on its own, stamps, partial ids, and the refusals."""
    script = ScriptDirectory.from_config(Config(str(project / "alembic.ini")))
    revs = list(reversed(list(script.walk_revisions())))
    heads = script.get_heads()
    out = [["upgrade", "heads", "--sql"]]
    for rev in revs:
        down = rev.down_revision
        if isinstance(down, (tuple, list)):
            if len(down) != 1:
                continue
            down = down[0]
        start = down or "base"
        out.append(["upgrade", "%s:%s" % (start, rev.revision), "--sql"])
        out.append(["downgrade", "%s:%s" % (rev.revision, start), "--sql"])
    if len(heads) == 1:
        out.append(["downgrade", "%s:base" % heads[0], "--sql"])
        out.append(["stamp", "%s:%s" % (revs[0].revision, heads[0]), "--sql"])
    out.append(["upgrade", "%s:heads" % revs[0].revision[:5], "--sql", "--tag", "release-1"])
    out.append(["stamp", "heads", "--sql"])
    out.append(["stamp", "heads", "--sql", "--purge"])
    out.append(["downgrade", "-1", "--sql"])
    out.append(["upgrade", "base:heads"])
    out.append(["upgrade", "nosuchrev:heads", "--sql"])
    return out


def run(project, args, seed=None):
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    if seed is not None:
        env["PYTHONHASHSEED"] = str(seed)
    env.pop("ALEMBIC_CONFIG", None)
    env.pop("DATABASE_URL", None)
    proc = subprocess.run(
        [str(ALEMBIC), *args], cwd=project, env=env, capture_output=True, text=True
    )
    return proc.returncode, proc.stdout, proc.stderr


# Alembic orders the version rows of a step that merges or unmerges
# branches by iterating a Python set, so the order follows the hash seed;
# SQLAlchemy 1.4 orders MySQL's table options (ENGINE=, COMMENT=, …) by one
# too.  tests/offline_goldens.rs runs retort with one of these seeds.
SEEDS = range(8)
ALTERNATIVE = "-- alternative output (Alembic orders this step by a Python set):\n"


def has_merges(project):
    script = ScriptDirectory.from_config(Config(str(project / "alembic.ini")))
    return any(len(rev._all_down_revisions) > 1 for rev in script.walk_revisions())


def outputs(project, args, merges):
    """Alembic's distinct outputs for `args`, first seen first."""
    seen = []
    for seed in SEEDS if merges else [None]:
        code, stdout, stderr = run(project, args, seed)
        error = None
        if code == 1:
            tail = [line for line in stderr.splitlines() if line.strip()]
            error = tail[-1] if tail else ""
        if (code, error, stdout) not in seen:
            seen.append((code, error, stdout))
    return seen


def golden(args, seen):
    codes = {(code, error) for code, error, _ in seen}
    assert len(codes) == 1, "exit code or error depends on the hash seed: %r" % (codes,)
    code, error, _ = seen[0]
    head = ["-- args: %s" % " ".join(args), "-- exit: %d" % code]
    if error is not None:
        head.append("-- error: %s" % error)
    return "\n".join(head) + "\n" + ALTERNATIVE.join(stdout for _, _, stdout in seen)


def seeded(merges, url):
    return merges or (LINE == "sa14" and url.startswith(("mysql", "mariadb")))


def main():
    # With case names, only those cases are rewritten.
    only = set(sys.argv[1:])
    if GOLDENS.exists() and not only:
        shutil.rmtree(GOLDENS)
    for name, fixture, url, env in read_cases():
        if only and name not in only:
            continue
        target = GOLDENS / name
        if target.exists():
            shutil.rmtree(target)
        target.mkdir(parents=True)
        with tempfile.TemporaryDirectory() as tmp:
            project = Path(tmp)
            make_project(fixture, url, env, project)
            merges = has_merges(project)
            for n, args in enumerate(commands(project)):
                seen = outputs(project, args, seeded(merges, url))
                (target / ("%02d.sql" % n)).write_text(golden(args, seen))
        print("%-28s %d commands" % (name, n + 1))


if __name__ == "__main__":
    main()
