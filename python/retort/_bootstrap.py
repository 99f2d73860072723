"""Runs first in the user's interpreter, started by the Rust host with one
end of a socket pair: receives the embedded ``alembic`` shim and ``retort``
helpers, serves them from memory (with a bytecode cache per interpreter), and
hands the socket to :mod:`retort.channel`.

Executed by the host's ``python -c`` line, which calls ``serve(fd, rfile)``;
nothing here may import the shim itself before the finder is in place.
"""

import marshal
import os
import sys
from importlib._bootstrap_external import MAGIC_NUMBER
from importlib.machinery import ModuleSpec


def _read_frame(rfile):
    head = rfile.read(4)
    if len(head) < 4:
        raise EOFError
    return marshal.loads(rfile.read(int.from_bytes(head, "little")))


# A finder and loader by protocol, not by importlib.abc's base classes: that
# module pulls in importlib.resources and costs more than everything here.
class EmbeddedFinder:
    """Finds modules compiled into the retort binary (name -> (is_pkg,
    source)); their bytecode is kept in ``cache`` (a file per retort build
    and interpreter), compiled on first use."""

    def __init__(self, table, cache):
        self.table = table
        self.cache = cache
        self.codes = None

    def origin(self, name):
        return "<retort>/" + name.replace(".", "/") + ("/__init__.py" if self.table[name][0] else ".py")

    def find_spec(self, name, path=None, target=None):
        entry = self.table.get(name)
        if entry is None:
            return None
        return ModuleSpec(name, self, origin=self.origin(name), is_package=entry[0])

    def create_module(self, spec):
        return None

    def _load_codes(self):
        try:
            with open(self.cache, "rb") as f:
                codes = marshal.loads(f.read())
            if isinstance(codes, dict):
                return codes
        except (OSError, ValueError, EOFError, TypeError):
            pass
        # First run of this build on this interpreter: compile all, keep them.
        codes = {
            name: compile(source, self.origin(name), "exec", dont_inherit=True)
            for name, (_, source) in self.table.items()
        }
        self._save(codes)
        return codes

    def _save(self, codes):
        # retort's own cache, outside any source tree: PYTHONDONTWRITEBYTECODE
        # (no __pycache__ beside the sources) does not concern it.
        if self.cache is None:
            return
        try:
            os.makedirs(os.path.dirname(self.cache), mode=0o700, exist_ok=True)
            tmp = "%s.%d.tmp" % (self.cache, os.getpid())
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as f:
                f.write(marshal.dumps(codes))
            os.replace(tmp, self.cache)
        except OSError:
            pass  # a read-only or full cache: compile again next time

    def exec_module(self, module):
        name = module.__name__
        is_pkg, source = self.table[name]
        if is_pkg:
            module.__path__ = []
        module.__file__ = module.__spec__.origin
        # linecache serves the source to tracebacks.
        import linecache

        linecache.cache[module.__file__] = (len(source), None, source.splitlines(True), module.__file__)
        if self.codes is None:
            self.codes = self._load_codes()
        code = self.codes.get(name)
        if code is None:
            code = compile(source, module.__file__, "exec", dont_inherit=True)
        exec(code, module.__dict__)


def _cache_path(cache_dir, build_hash):
    if not cache_dir:
        return None
    tag = "%s-%s-O%d" % (sys.implementation.cache_tag, MAGIC_NUMBER.hex(), sys.flags.optimize)
    return os.path.join(cache_dir, "code-%s-%s.marshal" % (build_hash, tag))


def serve(fd, rfile):
    """Installs the shim from the host's first message, then serves."""
    _, table, prepend, argv, cache_dir, build_hash, history_table = _read_frame(rfile)
    sys.argv = list(argv)
    # `python -c` put the current directory first; the `alembic` command
    # has its script's directory there, never the current one.
    if sys.path and sys.path[0] == "":
        del sys.path[0]
    sys.path[:0] = list(prepend)
    for name in [n for n in sys.modules if n == "alembic" or n.startswith("alembic.")]:
        del sys.modules[name]
    table = {name: (is_pkg, source) for name, is_pkg, source in table}
    sys.meta_path.insert(0, EmbeddedFinder(table, _cache_path(cache_dir, build_hash)))

    from retort import bridge, channel

    bridge.HISTORY_TABLE = history_table
    sys.modules["_retort"] = bridge
    channel.start(fd, rfile)
