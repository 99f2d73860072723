"""The little of ``ScriptDirectory`` env.py files use, answered by Rust's
revision map (no script is imported)."""

import _retort


class ScriptDirectory:
    def get_heads(self):
        return list(_retort.script_heads())

    def get_current_head(self):
        heads = self.get_heads()
        if len(heads) > 1:
            from .environment import CommandError

            raise CommandError(
                "The script directory has multiple heads (due to branching).Please use get_heads(), "
                "or merge the branches using alembic merge."
            )
        return heads[0] if heads else None

    def as_revision_number(self, id_):
        return id_

    @classmethod
    def from_config(cls, config):
        return cls()
