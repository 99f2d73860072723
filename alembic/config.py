from retort.config import Config  # noqa: F401
