from retort.environment import CommandError  # noqa: F401
