"""Entry point the Rust host calls: run env.py for one command and report
how it ended, as (kind, message) or None."""

import os
import traceback

_OURS = (os.sep + "sqlalchemy" + os.sep, "<retort>/", "<frozen ", os.sep + "contextlib.py")


def _trimmed(exc):
    """The traceback of the user's own frames (env.py, scripts, app code)."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if not any(p in f.filename for p in _OURS)]
    lines = ["Traceback (most recent call last):\n"] if frames else []
    lines += traceback.format_list(frames)
    lines += traceback.format_exception_only(type(exc), exc)
    return "".join(lines).rstrip()


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
            return ("python", "".join(traceback.format_exception(type(e), e, e.__traceback__)).rstrip())
        return ("python", _trimmed(e))
    return None
