from retort.environment import EnvironmentContext  # noqa: F401
