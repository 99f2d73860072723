"""``revision --autogenerate`` and ``check``: env.py's ``target_metadata``
compared with the live database (``compare``), the operations and their
reverse (``ops``), and the migration's Python (``render``).

Called while env.py's ``run_migrations()`` runs, on the connection it
configured, as Alembic's ``RevisionContext.run_autogenerate`` is."""

import uuid

from ..environment import CommandError
from . import compare, ops, render


class MigrationScript:
    """The directive ``process_revision_directives`` receives and may change."""

    def __init__(self, command, upgrade_ops, downgrade_ops):
        self.rev_id = command.get("rev_id")
        self.message = command.get("message")
        self.head = command.get("head")
        self.splice = command.get("splice")
        self.branch_label = command.get("branch_label")
        self.version_path = command.get("version_path")
        self.depends_on = command.get("depends_on")
        self.imports = set()
        self.upgrade_ops = upgrade_ops
        self.downgrade_ops = downgrade_ops

    @property
    def upgrade_ops_list(self):
        return [self.upgrade_ops]

    @property
    def downgrade_ops_list(self):
        return [self.downgrade_ops]


def _metadata(context):
    metadata = context.opts.get("target_metadata")
    if metadata is None:
        from .. import proxy

        # Alembic names the script by its script directory's env.py.
        env_py = proxy.environment().command.get("env_py", "env.py")
        raise CommandError(
            "Can't proceed with --autogenerate option; environment script %s does not provide "
            "a MetaData object or sequence of objects to the context." % env_py
        )
    return metadata


def compare_database(context):
    """The upgrade and downgrade operations between the model and the
    database."""
    if context.as_sql:
        raise CommandError(
            "autogenerate can't use as_sql=True as it prevents querying the database for schema information"
        )
    upgrade = compare.Comparison(context, _metadata(context)).run()
    downgrade = ops.Container(upgrade.reversed_ops())
    return upgrade, downgrade


def _directed_script(context, command):
    """The compared operations as a migration script, after env.py's
    ``process_revision_directives`` (Alembic runs it for ``check`` too); None
    when that hook removed the revision."""
    upgrade, downgrade = compare_database(context)
    directives = [MigrationScript(command, upgrade, downgrade)]
    hook = context.opts.get("process_revision_directives")
    if hook:
        hook(context, tuple(context.get_current_heads()), directives)
    return directives[-1] if directives else None


def revision_args(context, command):
    """For ``revision --autogenerate``: the template variables (bodies and
    imports), after env.py's ``process_revision_directives``; None when that
    hook removed the revision.  Also returns what it changed: rev_id and
    message."""
    script = _directed_script(context, command)
    if script is None:
        return None
    args = render.render_into(context.opts, context.dialect, script.upgrade_ops, script.downgrade_ops)
    if script.imports:
        lines = set(args["imports"].split("\n")) if args["imports"] else set()
        lines.update(script.imports)
        args["imports"] = "\n".join(sorted(lines))
    return args, script.rev_id, script.message


def check_diffs(context):
    """For ``check``: the differences as Alembic's ``as_diffs()`` lists them,
    from the script ``process_revision_directives`` left (the command as
    Alembic's ``check`` makes it: no message, a fresh revision id)."""
    command = {"rev_id": uuid.uuid4().hex[-12:], "message": None, "head": "head", "splice": False}
    script = _directed_script(context, command)
    if script is None:
        # Alembic takes the last generated revision of an empty list.
        raise IndexError("list index out of range")
    return script.upgrade_ops.diffs()
