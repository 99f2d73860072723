#!/usr/bin/env python3
"""Start-up of the commands that run Python: `current` with a custom env.py
and a no-op `upgrade head`, retort beside Alembic in one run; and the cost
of the calls a script makes into retort (`upgrade` of one revision that runs
`SELECT 1` through `op.get_bind()` CALLS times, then an untimed `downgrade`).

The project is the bundled example (examples/homegpu/backend, whose env.py is
its own: it reads DATABASE_URL), copied to a temporary directory and migrated
to head once on a SQLite file; then each command runs once to warm caches
(retort's bytecode cache included) and K timed times per tool, interleaved so
that a change in the machine's load hits every tool alike.  Several retort
binaries may be given (`--retort before=/path --retort after=/path`) to
compare builds; each is run with the same interpreter and virtualenv.

    .venv/bin/python bench/startup.py [--runs 15] [--retort label=path]... [--markdown]

Standard library only.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
COMMANDS = (("current", ["current"]), ("upgrade head (no-op)", ["upgrade", "head"]))

CALLS_SCRIPT = '''"""calls

Revision ID: c0ffee000001
Revises:
Create Date: 2026-01-01 00:00:00

"""
from alembic import op

revision = "c0ffee000001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    bind = op.get_bind()
    for _ in range(%d):
        bind.exec_driver_sql("SELECT 1").scalar()


def downgrade():
    pass
'''


def calls_project(work: Path, alembic: str, calls: int) -> Path:
    """A stock project (`alembic init`) with the one revision above."""
    project = work / "calls"
    project.mkdir()
    subprocess.run([alembic, "init", "migrations"], cwd=project, check=True, capture_output=True)
    ini = project / "alembic.ini"
    lines = ini.read_text().splitlines()
    url = "sqlalchemy.url = sqlite:///%s" % (work / "calls.db")
    ini.write_text("\n".join(url if line.startswith("sqlalchemy.url") else line for line in lines) + "\n")
    (project / "migrations/versions/c0ffee000001_calls.py").write_text(CALLS_SCRIPT % calls)
    return project


def timed(argv: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit("%s failed (%d):\n%s%s" % (" ".join(argv), done.returncode, done.stdout, done.stderr))
    return elapsed, done.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--retort", action="append", default=[], help="label=path (default: target/release/retort)")
    parser.add_argument("--alembic", default=str(REPO / ".venv/bin/alembic"))
    parser.add_argument("--venv", default=str(REPO / ".venv"), help="the virtualenv both tools run in")
    parser.add_argument("--calls", type=int, default=2000, help="SELECT 1 calls of the calls case (0: skip it)")
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args()

    tools = [("alembic", [args.alembic])]
    for spec in args.retort or ["retort=%s" % (REPO / "target/release/retort")]:
        label, _, path = spec.partition("=")
        tools.append((label, [path]))

    work = Path(tempfile.mkdtemp(prefix="retort-startup-"))
    try:
        project = work / "backend"
        shutil.copytree(REPO / "examples/homegpu/backend", project)
        env = dict(os.environ, VIRTUAL_ENV=args.venv, DATABASE_URL="sqlite:///%s" % (work / "bench.db"))
        env["PATH"] = "%s/bin:%s" % (args.venv, env.get("PATH", ""))
        timed([args.alembic, "upgrade", "head"], project, env)

        rows = []
        for title, command in COMMANDS:
            outputs = {}
            times: dict[str, list[float]] = {label: [] for label, _ in tools}
            for label, argv in tools:  # warm-up, and the output every tool must agree on
                outputs[label] = timed(argv + command, project, env)[1]
            for _ in range(args.runs):
                for label, argv in tools:
                    times[label].append(timed(argv + command, project, env)[0])
            same = len(set(outputs.values())) == 1
            rows.append((title, {label: statistics.median(t) for label, t in times.items()}, same))
        if args.calls:
            rows.append(calls_row(work, tools, env, args))
    finally:
        shutil.rmtree(work, ignore_errors=True)

    labels = [label for label, _ in tools]
    rows = [row for row in rows if row is not None]
    load = os.getloadavg()[0]
    python = subprocess.run(
        [str(Path(args.venv) / "bin/python"), "-c", "import sys; print(sys.version.split()[0])"],
        capture_output=True,
        text=True,
    ).stdout.strip()
    print("median of %d runs, Python %s, load average %.2f at the end" % (args.runs, python, load))
    header = ["command"] + ["%s s" % label for label in labels] + ["alembic/%s" % label for label in labels[1:]]
    if len(labels) > 2:
        header.append("%s/%s" % (labels[1], labels[-1]))
    header.append("same stdout")
    if args.markdown:
        print("| " + " | ".join(header) + " |")
        print("|" + "---|" * len(header))
    for title, medians, same in rows:
        cells = [title] + ["%.3f" % medians[label] for label in labels]
        cells += ["%.2fx" % (medians["alembic"] / medians[label]) for label in labels[1:]]
        if len(labels) > 2:
            cells.append("%.2fx" % (medians[labels[1]] / medians[labels[-1]]))
        cells.append("yes" if same else "NO")
        print(("| " + " | ".join(cells) + " |") if args.markdown else "  ".join(cells))


def calls_row(work: Path, tools, env, args):
    project = calls_project(work, args.alembic, args.calls)
    times: dict[str, list[float]] = {label: [] for label, _ in tools}
    outputs = {}
    for run in range(args.runs + 1):
        for label, argv in tools:
            elapsed, out = timed(argv + ["upgrade", "head"], project, env)
            timed(argv + ["downgrade", "base"], project, env)
            if run == 0:
                outputs[label] = out  # the warm-up
            else:
                times[label].append(elapsed)
    title = "upgrade: %d x SELECT 1 via op.get_bind()" % args.calls
    return (title, {label: statistics.median(t) for label, t in times.items()}, len(set(outputs.values())) == 1)


if __name__ == "__main__":
    main()
