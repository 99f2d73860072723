"""Runs first in the embedded interpreter: selects the user's environment,
serves the embedded ``alembic`` shim and ``retort`` helpers from memory, and
checks that SQLAlchemy is importable.

Executed by the host with ``install(table, settings)``; nothing here may import
the shim itself before the finder is in place.
"""

import importlib.abc
import importlib.util
import marshal
import os
import site
import sys


class EmbeddedFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Finds modules compiled into the retort binary (name -> (is_pkg, source,
    bytecode or None)); the bytecode was compiled from that source at build
    time."""

    def __init__(self, table):
        self.table = table

    def find_spec(self, name, path=None, target=None):
        entry = self.table.get(name)
        if entry is None:
            return None
        origin = "<retort>/" + name.replace(".", "/") + ("/__init__.py" if entry[0] else ".py")
        return importlib.util.spec_from_loader(name, self, origin=origin, is_package=entry[0])

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        is_pkg, source, code = self.table[module.__name__]
        if is_pkg:
            module.__path__ = []
        module.__file__ = module.__spec__.origin
        # linecache serves the source to tracebacks.
        import linecache

        linecache.cache[module.__file__] = (len(source), None, source.splitlines(True), module.__file__)
        # The bytecode was compiled without -O: under -O, compile the source.
        if code is None or sys.flags.optimize:
            code = compile(source, module.__file__, "exec")
        else:
            code = marshal.loads(code)
        exec(code, module.__dict__)


def _select_environment(venv, prepend):
    """Puts the virtualenv's site-packages on sys.path the way its own
    interpreter would, then the ini's ``prepend_sys_path`` entries in front."""
    if venv:
        cfg = {}
        try:
            with open(os.path.join(venv, "pyvenv.cfg"), encoding="utf-8") as f:
                for line in f:
                    key, sep, value = line.partition("=")
                    if sep:
                        cfg[key.strip().lower()] = value.strip()
        except OSError:
            pass
        ours = "%d.%d" % sys.version_info[:2]
        theirs = cfg.get("version_info") or cfg.get("version") or ""
        if theirs and ".".join(theirs.split(".")[:2]) != ours:
            raise RuntimeError(
                "the virtualenv %s is Python %s, but this retort embeds Python %s; "
                "install retort into that environment's Python version or activate a %s environment"
                % (venv, theirs, ours, ours)
            )
        base = [p for p in site.getsitepackages() + [site.getusersitepackages()] if p]
        include_system = cfg.get("include-system-site-packages", "false").lower() == "true"
        kept = [p for p in sys.path if include_system or p not in base]
        sys.path[:] = kept
        before = list(sys.path)
        venv_site = os.path.join(venv, "lib", "python" + ours, "site-packages")
        site.addsitedir(venv_site)
        added = [p for p in sys.path if p not in before]
        # The venv's packages come before the base interpreter's, as in the venv.
        first_base = next((i for i, p in enumerate(kept) if p in base), len(kept))
        sys.path[:] = kept[:first_base] + added + kept[first_base:]
        sys.prefix = sys.exec_prefix = venv
        sys.executable = os.path.join(venv, "bin", "python")
    sys.path[:0] = list(prepend)


def install(table, venv, prepend, argv):
    sys.argv = list(argv)
    if sys.flags.no_site:
        # The host skipped the base interpreter's site processing (see
        # interpreter.rs); these builtins come from it.
        site.setquit()
        site.setcopyright()
        site.sethelper()
    _select_environment(venv, prepend)
    for name in [n for n in sys.modules if n == "alembic" or n.startswith("alembic.")]:
        del sys.modules[name]
    sys.meta_path.insert(0, EmbeddedFinder(table))
    try:
        import sqlalchemy
    except ImportError as e:
        where = venv or sys.prefix
        raise ImportError(
            "SQLAlchemy is not installed in the Python environment %s (%s); migration scripts "
            "import it, so install it there: pip install 'SQLAlchemy>=1.4'" % (where, e)
        ) from None
    version = tuple(int(p) for p in sqlalchemy.__version__.split(".")[:2] if p.isdigit())
    if version < (1, 4):
        raise ImportError(
            "SQLAlchemy %s is too old for retort (it needs 1.4 or later): pip install -U 'SQLAlchemy>=2.0'"
            % sqlalchemy.__version__
        )
