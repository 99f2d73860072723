from retort.scriptdir import ScriptDirectory  # noqa: F401
