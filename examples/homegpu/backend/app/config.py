"""Application settings.

Deliberately tiny and dependency-free. The database URL is resolved in
this order:

1. the ``DATABASE_URL`` environment variable;
2. a ``DATABASE_URL=...`` line in ``backend/.env`` (next to alembic.ini);
3. a SQLite file ``backend/homegpu.db``.

All paths are derived from this file's location, so the result does not
depend on the current working directory.
"""

from __future__ import annotations

import os
from pathlib import Path

# backend/app/config.py -> backend/
BACKEND_DIR = Path(__file__).resolve().parent.parent
ENV_FILE = BACKEND_DIR / ".env"
DEFAULT_SQLITE_PATH = BACKEND_DIR / "homegpu.db"


def read_env_file(path: Path) -> dict[str, str]:
    """Parse a minimal ``KEY=VALUE`` file.

    Blank lines and ``#`` comments are skipped, an optional leading
    ``export`` is accepted, and one pair of matching quotes around the
    value is removed. Nothing else (no interpolation, no multi-line values).
    """
    values: dict[str, str] = {}
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return values
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("export "):
            line = line[len("export "):].lstrip()
        key, sep, value = line.partition("=")
        if not sep:
            continue
        key = key.strip()
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        if key:
            values[key] = value
    return values


def get_database_url() -> str:
    """Return the SQLAlchemy URL the application (and Alembic) should use."""
    url = os.environ.get("DATABASE_URL")
    if url:
        return url
    url = read_env_file(ENV_FILE).get("DATABASE_URL")
    if url:
        return url
    return "sqlite:///" + DEFAULT_SQLITE_PATH.as_posix()


DATABASE_URL = get_database_url()
