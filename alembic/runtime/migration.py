from retort.environment import MigrationContext  # noqa: F401
