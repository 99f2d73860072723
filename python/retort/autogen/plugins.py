"""Which of Alembic's autogenerate comparators run: env.py's
``autogenerate_plugins`` (Alembic's ``Plugin.populate_autogenerate_priority_dispatch``),
by default ``["alembic.autogenerate.*"]``, which leaves out the opt-in
``alembic.ext.checkconstraint_byname`` (check constraints by name).

Only Alembic's own plugins are known: a third-party plugin's comparators are
written against Alembic's API, which retort does not provide."""

import re

from ..environment import CommandError

SCHEMAS = "alembic.autogenerate.schemas"
TABLES = "alembic.autogenerate.tables"
TYPES = "alembic.autogenerate.types"
CONSTRAINTS = "alembic.autogenerate.constraints"
DEFAULTS = "alembic.autogenerate.defaults"
COMMENTS = "alembic.autogenerate.comments"
CHECKS = "alembic.ext.checkconstraint_byname"

# In Alembic's order of registration.
BUILTIN = (SCHEMAS, TABLES, TYPES, CONSTRAINTS, DEFAULTS, COMMENTS, CHECKS)
DEFAULT = ["alembic.autogenerate.*"]

# Names from before a plugin was renamed, still accepted as include or
# exclude (never inside a wildcard).
_LEGACY = {"alembic.autogenerate.checkconstraint_byname": CHECKS}


def _make_re(name):
    reg = ""
    for token in name.split("."):
        if token == "*":
            reg += r"\..+?"
        elif token.isidentifier():
            reg += r"\." + token
        else:
            raise ValueError("Invalid plugin expression %r" % name)
    return re.compile("^%s$" % reg[2:])


def enabled(opts):
    """The names of the plugins whose comparators run."""
    exclude, include = [], {}
    for name in opts.get("autogenerate_plugins", DEFAULT):
        if name.startswith("~"):
            exclude.append(_make_re(_LEGACY.get(name[1:], name[1:])))
        else:
            include[name] = _make_re(_LEGACY.get(name, name))
    matched, out = set(), set()
    for plugin in BUILTIN:
        if any(e.match(plugin) for e in exclude):
            continue
        hits = [n for n, r in include.items() if r.match(plugin)]
        if hits:
            matched.update(hits)
            out.add(plugin)
    never = set(include).difference(matched)
    if never:
        raise CommandError("Did not locate plugins: %s" % ", ".join(never))
    return out
