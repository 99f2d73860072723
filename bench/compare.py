#!/usr/bin/env python3
"""Side-by-side benchmark: `retort` vs the Python `alembic` CLI.

For each project size N (default 1000, 5000, 20000 revisions) a synthetic
Alembic project is generated once by gen_project.py and cached under
bench/out/.  Then, in the same run, each command (`heads`, `history`) is run
with cwd = the project by both tools: one warm-up run whose stdout is kept and
compared between the tools, then K timed runs with stdout to /dev/null.
Reported: median wall time, peak RSS (ru_maxrss from os.wait4) over the timed
runs, and whether both tools printed byte-identical stdout.

Standard library only (Python 3.11).  Run it as

    .venv/bin/python bench/compare.py [--sizes 1000,5000,20000] [--markdown]
"""

from __future__ import annotations

import argparse
import difflib
import hashlib
import os
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO_DIR = BENCH_DIR.parent
sys.path.insert(0, str(BENCH_DIR))
import gen_project  # noqa: E402

DEFAULT_SIZES = (1000, 5000, 20000)
DEFAULT_COMMANDS = ("heads", "history")


def log(msg: str = "") -> None:
    print(msg, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------
# project generation (cached)


def gen_stamp(n: int, seed: int, period: int) -> str:
    src = Path(gen_project.__file__).read_bytes()
    h = hashlib.sha256(src)
    h.update(("|%d|%d|%d" % (n, seed, period)).encode())
    return h.hexdigest()


def ensure_project(outroot: Path, n: int, seed: int, period: int) -> Path:
    proj = outroot / ("n%d-seed%d" % (n, seed))
    stamp_file = proj / ".gen-stamp"
    stamp = gen_stamp(n, seed, period)
    if stamp_file.is_file() and stamp_file.read_text().strip() == stamp:
        log("project N=%d: cached at %s" % (n, proj))
        return proj
    outroot.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".gen-", dir=outroot))
    t0 = time.perf_counter()
    info = gen_project.generate(n, str(tmp), seed=seed, period=period)
    (tmp / ".gen-stamp").write_text(stamp + "\n")
    if proj.exists():
        shutil.rmtree(proj)
    os.rename(tmp, proj)
    log("project N=%d: generated in %.1fs at %s (%d branch points, "
        "%d merge points, head %s)"
        % (n, time.perf_counter() - t0, proj, info["branch_points"],
           info["merge_points"], info["head"]))
    return proj


# --------------------------------------------------------------------------
# running and measuring


@dataclass
class Run:
    seconds: float
    maxrss_kib: int
    exitcode: int


def run_once(argv: list[str], cwd: Path, env: dict[str, str],
             stdout_path: str | None = None,
             stderr_path: str | None = None) -> Run:
    """Run argv to completion; wall time and peak RSS via os.wait4."""
    out = open(stdout_path, "wb") if stdout_path else open(os.devnull, "wb")
    err = open(stderr_path, "wb") if stderr_path else open(os.devnull, "wb")
    try:
        t0 = time.perf_counter()
        p = subprocess.Popen(argv, cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                             stdout=out, stderr=err)
        _, status, ru = os.wait4(p.pid, 0)
        elapsed = time.perf_counter() - t0
        p.returncode = os.waitstatus_to_exitcode(status)  # reaped already
    finally:
        out.close()
        err.close()
    # Linux reports ru_maxrss in KiB (macOS in bytes).
    rss = ru.ru_maxrss if sys.platform != "darwin" else ru.ru_maxrss // 1024
    return Run(elapsed, rss, p.returncode)


@dataclass
class Measurement:
    tool: str
    runs: list[Run] = field(default_factory=list)
    warmup: Run | None = None
    stdout: bytes = b""
    stderr: bytes = b""
    failed: bool = False

    @property
    def median(self) -> float | None:
        if self.failed or not self.runs:
            return None
        return statistics.median(r.seconds for r in self.runs)

    @property
    def maxrss_mib(self) -> float | None:
        if self.failed or not self.runs:
            return None
        return max(r.maxrss_kib for r in self.runs) / 1024.0


def measure(tool: str, binary: str, command: str, proj: Path,
            env: dict[str, str], runs: int, slow_seconds: float,
            slow_runs: int, workdir: Path) -> Measurement:
    argv = [binary, command]
    m = Measurement(tool)
    so = workdir / ("%s-%s.stdout" % (tool, command))
    se = workdir / ("%s-%s.stderr" % (tool, command))
    m.warmup = run_once(argv, proj, env, str(so), str(se))
    m.stdout = so.read_bytes()
    m.stderr = se.read_bytes()
    if m.warmup.exitcode != 0:
        m.failed = True
        log("!!! %s %s in %s exited %d; stderr:\n%s"
            % (tool, command, proj.name, m.warmup.exitcode,
               m.stderr.decode(errors="replace")[-2000:]))
        return m
    if m.warmup.seconds > slow_seconds and runs > slow_runs:
        log("    %s %s: warm-up took %.1fs > %.0fs, timing %d run(s) "
            "instead of %d" % (tool, command, m.warmup.seconds, slow_seconds,
                               slow_runs, runs))
        runs = slow_runs
    for _ in range(runs):
        r = run_once(argv, proj, env)
        if r.exitcode != 0:
            m.failed = True
            log("!!! %s %s exited %d in a timed run" % (tool, command,
                                                         r.exitcode))
            return m
        m.runs.append(r)
    log("    %-7s %-8s median %8.3fs  max RSS %7.1f MiB  (%d runs: %s)"
        % (tool, command, m.median, m.maxrss_mib, len(m.runs),
           ", ".join("%.3f" % r.seconds for r in m.runs)))
    return m


def compare_outputs(command: str, n: int, a: Measurement,
                    r: Measurement) -> str:
    """Return 'yes', 'NO' or '-'; print a loud diff on mismatch."""
    if a.failed or r.failed:
        return "-"
    if a.stdout == r.stdout:
        return "yes"
    al = a.stdout.decode(errors="replace").splitlines(keepends=True)
    rl = r.stdout.decode(errors="replace").splitlines(keepends=True)
    diff = list(difflib.unified_diff(al, rl, "alembic %s" % command,
                                     "retort %s" % command, n=1))
    bar = "!" * 72
    log(bar)
    log("!!! STDOUT MISMATCH: `%s` at N=%d (alembic %d lines, retort %d "
        "lines); first differences:" % (command, n, len(al), len(rl)))
    for line in diff[:40]:
        log("!!!   " + line.rstrip("\n"))
    if len(diff) > 40:
        log("!!!   ... (%d more diff lines)" % (len(diff) - 40))
    log(bar)
    return "NO"


# --------------------------------------------------------------------------
# environment description


def first_line(argv: list[str], env: dict[str, str]) -> str:
    try:
        p = subprocess.run(argv, env=env, capture_output=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as e:
        return "unavailable (%s)" % e
    text = (p.stdout or p.stderr).decode(errors="replace").strip()
    line = text.splitlines()[0] if text else ""
    if p.returncode != 0:
        return "unavailable (exit %d: %s)" % (p.returncode, line)
    return line


def shebang_python(script: str) -> str | None:
    """The interpreter named on a script's #! line, if it is a Python."""
    try:
        with open(script, "rb") as f:
            head = f.readline(512)
    except OSError:
        return None
    if not head.startswith(b"#!"):
        return None
    parts = head[2:].decode(errors="replace").split()
    if parts and os.path.basename(parts[0]) == "env":
        parts = parts[1:]
    if parts and "python" in os.path.basename(parts[0]):
        return parts[0]
    return None


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def mem_total() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                kib = int(line.split()[1])
                return "%.1f GiB" % (kib / 1024 / 1024)
    except (OSError, ValueError):
        pass
    return "unknown"


def describe(args, env) -> list[tuple[str, str]]:
    info = [("command line", shlex.join([sys.executable] + sys.argv))]
    info.append(("machine", "%s; %s; %d CPUs; %s RAM" % (
        platform.platform(), cpu_model(), os.cpu_count() or 0, mem_total())))
    info.append(("python (compare.py)", "%s (%s)" % (
        sys.version.split()[0], sys.executable)))
    py = shebang_python(args.alembic)
    if py:
        info.append(("python (alembic)", "%s (%s)" % (
            first_line([py, "--version"], env).replace("Python ", ""), py)))
    info.append(("alembic", "%s (%s)" % (
        first_line([args.alembic, "--version"], env), args.alembic)))
    if args.alembic_only:
        info.append(("retort", "not run (--alembic-only)"))
    else:
        info.append(("retort", "%s (%s)" % (
            first_line([args.retort, "--version"], env), args.retort)))
    info.append(("python bytecode cache", "disabled (--no-bytecode-cache)"
                 if args.no_bytecode_cache else
                 "enabled (versions/__pycache__ written by the warm-up run)"))
    info.append(("runs", "1 warm-up + median of %d (alembic) / %d (retort); "
                 "%d if the warm-up exceeds %gs" % (
                     args.alembic_runs, args.retort_runs, args.slow_runs,
                     args.slow_seconds)))
    return info


# --------------------------------------------------------------------------
# output


HEADERS = ["command", "N", "alembic median s", "retort median s",
           "ratio (alembic/retort)", "alembic max RSS MiB",
           "retort max RSS MiB", "runs (a/r)", "same stdout"]


def fmt(v: float | None, spec: str, m: Measurement | None = None) -> str:
    if m is not None and m.failed:
        return "FAIL"
    return "-" if v is None else format(v, spec)


def table_rows(results) -> list[list[str]]:
    rows = []
    for command, n, a, r, same in results:
        ratio = (a.median / r.median
                 if a.median is not None and r is not None
                 and r.median else None)
        rows.append([
            command, str(n),
            fmt(a.median, ".3f", a),
            fmt(r.median if r else None, ".3f", r),
            "-" if ratio is None else "%.1fx" % ratio,
            fmt(a.maxrss_mib, ".1f"),
            fmt(r.maxrss_mib if r else None, ".1f"),
            "%d/%s" % (len(a.runs), len(r.runs) if r else "-"),
            same,
        ])
    return rows


def print_text(info, rows) -> None:
    for k, v in info:
        print("%-22s %s" % (k + ":", v))
    print()
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h)
              for i, h in enumerate(HEADERS)]
    line = "  ".join(h.rjust(w) if i > 1 else h.ljust(w)
                     for i, (h, w) in enumerate(zip(HEADERS, widths)))
    print(line)
    print("-" * len(line))
    for row in rows:
        print("  ".join(c.rjust(w) if i > 1 else c.ljust(w)
                        for i, (c, w) in enumerate(zip(row, widths))))


def print_markdown(info, rows) -> None:
    for k, v in info:
        print("- %s: `%s`" % (k, v) if k == "command line"
              else "- %s: %s" % (k, v))
    print()
    print("| " + " | ".join(HEADERS) + " |")
    print("|" + "|".join(["---", "--:"] + ["--:"] * (len(HEADERS) - 3)
                         + [":-:"]) + "|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


# --------------------------------------------------------------------------


def parse_sizes(s: str) -> list[int]:
    out = []
    for part in s.split(","):
        part = part.strip().lower().replace("_", "")
        if not part:
            continue
        mult = 1
        if part.endswith("k"):
            part, mult = part[:-1], 1000
        out.append(int(part) * mult)
    if not out or any(n < 1 for n in out):
        raise argparse.ArgumentTypeError("sizes must be positive integers")
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        description="Benchmark retort against alembic on generated projects.")
    p.add_argument("--sizes", type=parse_sizes,
                   default=list(DEFAULT_SIZES),
                   help="comma-separated revision counts (default "
                   "1000,5000,20000; '20k' works too)")
    p.add_argument("--commands", default=",".join(DEFAULT_COMMANDS),
                   help="comma-separated subcommands (default heads,history)")
    p.add_argument("--retort", default=str(REPO_DIR / "target" / "release"
                                           / "retort"),
                   help="retort binary (default target/release/retort)")
    p.add_argument("--alembic", default=str(REPO_DIR / ".venv" / "bin"
                                            / "alembic"),
                   help="alembic executable (default .venv/bin/alembic)")
    p.add_argument("--retort-runs", type=int, default=5,
                   help="timed runs per command for retort (default 5)")
    p.add_argument("--alembic-runs", type=int, default=3,
                   help="timed runs per command for alembic (default 3)")
    p.add_argument("--slow-seconds", type=float, default=20.0,
                   help="if a warm-up run takes longer than this, time only "
                   "--slow-runs runs for that tool/command (default 20)")
    p.add_argument("--slow-runs", type=int, default=1,
                   help="timed runs for slow cases (default 1)")
    p.add_argument("--seed", type=int, default=0,
                   help="generator seed (default 0)")
    p.add_argument("--period", type=int, default=50,
                   help="generator: trunk revisions between forks "
                   "(default 50)")
    p.add_argument("--out", default=str(BENCH_DIR / "out"),
                   help="project cache directory (default bench/out)")
    p.add_argument("--alembic-only", action="store_true",
                   help="time alembic only (no retort, no output check)")
    p.add_argument("--no-bytecode-cache", action="store_true",
                   help="run with PYTHONDONTWRITEBYTECODE=1 and no "
                   "versions/__pycache__ (cold alembic imports every run); "
                   "by default the variable is removed so alembic behaves "
                   "as on a normal install")
    p.add_argument("--markdown", action="store_true",
                   help="print the results as Markdown (for BENCHMARKS.md)")
    args = p.parse_args(argv)

    args.retort = os.path.abspath(args.retort)
    args.alembic = os.path.abspath(args.alembic)
    commands = [c.strip() for c in args.commands.split(",") if c.strip()]
    tools = [("alembic", args.alembic, args.alembic_runs)]
    if not args.alembic_only:
        tools.append(("retort", args.retort, args.retort_runs))
    for name, path, _ in tools:
        if not os.access(path, os.X_OK):
            p.error("%s executable not found: %s" % (name, path))

    env = dict(os.environ)
    if args.no_bytecode_cache:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    else:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.pop("ALEMBIC_CONFIG", None)  # let both tools find ./alembic.ini

    info = describe(args, env)
    for k, v in info:
        log("%s: %s" % (k, v))
    log()

    outroot = Path(args.out).resolve()
    results = []
    mismatches = failures = 0
    with tempfile.TemporaryDirectory(prefix="retort-bench-") as wd:
        workdir = Path(wd)
        for n in args.sizes:
            proj = ensure_project(outroot, n, args.seed, args.period)
            if args.no_bytecode_cache:
                shutil.rmtree(proj / "versions" / "__pycache__",
                              ignore_errors=True)
            for command in commands:
                log("N=%d %s" % (n, command))
                ms = {name: measure(name, path, command, proj, env, runs,
                                    args.slow_seconds, args.slow_runs,
                                    workdir)
                      for name, path, runs in tools}
                a = ms["alembic"]
                r = ms.get("retort")
                failures += a.failed + (r.failed if r else 0)
                if r is None:
                    same = "-"
                else:
                    same = compare_outputs(command, n, a, r)
                    mismatches += same == "NO"
                results.append((command, n, a, r, same))

    rows = table_rows(results)
    log()
    if args.markdown:
        print_markdown(info, rows)
    else:
        print_text(info, rows)
    if mismatches or failures:
        log()
        log("!!! %d stdout mismatch(es), %d failed tool run(s): see above"
            % (mismatches, failures))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
