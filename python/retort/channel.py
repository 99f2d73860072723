"""The conversation with the Rust host over the socket it gave this process.

A message is a ``marshal`` (version 2) value in a frame of its length (4
bytes, little-endian).  ``("call", name, args)`` asks the other side to run
something; it answers ``("ok", value)`` or ``("err", kind, args)``.  While
one side waits for an answer it serves the other's calls, so Rust can call
back into Python from inside a call Python made (a template rendered while
env.py runs).  Standard streams are flushed before every message so that the
two processes' output interleaves as one process's would.
"""

import marshal
import os
import signal
import sys
import threading
import traceback

_channel = None
# One conversation at a time: threads of a migration take turns.
_lock = threading.RLock()
# Python objects the host holds on to by id (a creation date, template args).
_kept = {}
_BLOCK = {signal.SIGINT}


class HostGone(Exception):
    """The Rust host closed the socket."""


class _Channel:
    def __init__(self, fd, rfile):
        self.fd = fd
        self.rfile = rfile

    def send(self, message):
        self.send_bytes(marshal.dumps(message, 2))

    def send_bytes(self, data):
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (AttributeError, OSError, ValueError):
                pass
        view = memoryview(len(data).to_bytes(4, "little") + data)
        while view:
            view = view[os.write(self.fd, view) :]

    def recv(self):
        # Ctrl-C while the host works is delivered when it has answered, so
        # the conversation never loses its place.
        old = signal.pthread_sigmask(signal.SIG_BLOCK, _BLOCK)
        try:
            head = self.rfile.read(4)
            if len(head) < 4:
                raise HostGone()
            return marshal.loads(self.rfile.read(int.from_bytes(head, "little")))
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, old)

    def serve_one(self, message):
        _, target, args = message
        module, _, name = target.rpartition(".")
        try:
            function = getattr(__import__(module, fromlist=[name]), name)
            answer = ("ok", function(*args))
        except BaseException as e:  # noqa: B036 - every failure goes back to the host
            answer = ("err", "python", "".join(traceback.format_exception(type(e), e, e.__traceback__)).rstrip())
        try:
            self.send(answer)
        except ValueError:
            self.send(("err", "python", "unmarshallable answer from %s: %r" % (target, answer[1])))


def start(fd, rfile):
    """Reports the set-up's outcome, then serves the host until it leaves."""
    global _channel
    _channel = _Channel(fd, rfile)
    problem = _check_sqlalchemy()
    if not problem:
        from . import dialects

        # create_engine and friends give connections through the host.
        dialects.install()
    _channel.send(("err", "setup", problem) if problem else ("ok", None))
    if problem:
        return
    while True:
        try:
            message = _channel.recv()
        except HostGone:
            break
        _channel.serve_one(message)
    _exit()


def _exit():
    """Ends the process as the interpreter would (threads joined, atexit
    handlers run, streams flushed) without tearing every module down, which
    costs more than a whole `current` and shows nothing."""
    import atexit

    shutdown = getattr(threading, "_shutdown", None)
    if shutdown is not None:
        shutdown()
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (AttributeError, OSError, ValueError):
            pass
    os._exit(0)


def _check_sqlalchemy():
    try:
        import sqlalchemy
    except ImportError as e:
        return (
            "SQLAlchemy is not installed in the Python environment %s (%s, %s); migration scripts "
            "import it, so install it there: pip install 'SQLAlchemy>=1.4'" % (sys.prefix, sys.executable, e)
        )
    version = tuple(int(p) for p in sqlalchemy.__version__.split(".")[:2] if p.isdigit())
    if version < (1, 4):
        return "SQLAlchemy %s in %s is too old for retort (it needs 1.4 or later): pip install -U 'SQLAlchemy>=2.0'" % (
            sqlalchemy.__version__,
            sys.prefix,
        )
    return None


def plain(value):
    """``value`` with subclasses of str, int, float, tuple, list and dict made
    plain, which marshal refuses (a ``quoted_name`` is a str subclass)."""
    if isinstance(value, bool) or value is None:
        return value
    for kind in (str, int, float, bytes):
        if isinstance(value, kind):
            return kind(value)
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, tuple):
        return tuple(plain(v) for v in value)
    if isinstance(value, dict):
        return {plain(k): plain(v) for k, v in value.items()}
    raise ValueError("retort cannot hand %r to its host" % (value,))


def call(name, *args):
    """Calls ``name`` in the host; serves its calls until it answers."""
    try:
        data = marshal.dumps(("call", name, args), 2)
    except ValueError:
        data = marshal.dumps(("call", name, plain(args)), 2)
    with _lock:
        _channel.send_bytes(data)
        while True:
            message = _channel.recv()
            kind = message[0]
            if kind == "ok":
                return message[1]
            if kind == "err":
                raise _exception(message[1], message[2])
            _channel.serve_one(message)


def _exception(kind, args):
    if kind == "DbError":
        from .bridge import DbError

        return DbError(*args)
    if kind == "CommandError":
        from .environment import CommandError

        return CommandError(*args)
    return RuntimeError(*args)


def keep(obj):
    """Holds ``obj`` for the host, which names it by the returned id."""
    key = len(_kept) + 1
    _kept[key] = obj
    return key


def kept(key):
    return None if key is None else _kept[key]
