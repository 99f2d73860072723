"""Entry point the Rust host calls: run env.py for one command and report
how it ended, as (kind, message) or None."""

import os
import sys
import traceback

_OURS = (os.sep + "sqlalchemy" + os.sep, "<retort>/", "<frozen ", os.sep + "contextlib.py")


def _trimmed(exc):
    """The traceback of the user's own frames (env.py, scripts, app code)."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if not any(p in f.filename for p in _OURS)]
    lines = ["Traceback (most recent call last):\n"] if frames else []
    lines += traceback.format_list(frames)
    lines += traceback.format_exception_only(type(exc), exc)
    return "".join(lines + _notes(exc)).rstrip()


def _notes(exc):
    """An exception's ``__notes__``, which traceback prints itself from 3.11."""
    if sys.version_info >= (3, 11):
        return []
    return ["%s\n" % note for note in getattr(exc, "__notes__", ())]


def _formatted(exc):
    """The whole traceback (``--raiseerr``)."""
    return "".join(traceback.format_exception(type(exc), exc, exc.__traceback__) + _notes(exc)).rstrip()


def main(command):
    from . import config as config_module
    from . import environment

    config = config_module.from_command(command)
    try:
        environment.run_env(command["env_py"], config, command)
    except environment.CommandError as e:
        return ("command", str(e))
    except BaseException as e:  # noqa: B036 - everything is reported, SystemExit included
        if isinstance(e, SystemExit) and e.code in (None, 0):
            return None
        if command.get("raiseerr"):
            return ("python", _formatted(e))
        return ("python", _trimmed(e))
    return None
