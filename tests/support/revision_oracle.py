"""Oracle for tests/revision_oracle.rs: answers revision-graph queries with
Alembic's own ``alembic.script.revision.RevisionMap``.

Input (stdin, read completely before anything is answered), one item a line:

    graph <name>                       starts a new graph
    rev <id>|<down,...>|<dep,...>|<label,...>
                                       one revision, in file order
    q heads | q real_heads | q bases
    q up <rows> <target>               <rows>: comma-separated, or "-" for none
    q down <rows> <target>
    q hist <lower> <upper>             what ``alembic history -r lower:upper`` walks
    q get <ident>
    q vup <rows> <target>              the upgrade's steps, run through a HeadMaintainer
    q vdown <rows> <target>            the same for a downgrade
    q stamp <rows> <rev,...>           ``ScriptDirectory._stamp_revs``, run the same way

Output: one line per query, in order:

    OK w<warnings> <id> <id> ...       ("base" / "None" for those pseudo-revisions)
    ERR w<warnings> <ExceptionClass> <message>

For vup, vdown and stamp an answer lists, per step, its log line
(``"Running %s" % step``, spaces written as ``_``) behind ``#``, then the
version-table statements the step ran (``I:<v>``, ``U:<from>><to>``,
``D:<v>``); then ``=`` and the final rows, sorted. A step whose statements
depend on the iteration order of a set (a merge beside other heads, an
unmerge) is marked ``~#``: only the order of the kinds of statements and the
rows they remove and add are then meaningful. A failure of the HeadMaintainer
itself (``AssertionError``, ``CommandError``, or the ``KeyError``/``IndexError``
of its set bookkeeping) is reported as
``ERR w<n> VersionTable step <k>: <class>: <message>``.

Newlines in messages are written as a literal backslash-n.

Alembic keeps a revision's normalized dependencies in ``tuple(set(...))``, so
where a revision has two or more of them their order, and with it the order of
steps, depends on the interpreter's hash seed. For such graphs every query is
also answered with those tuples permuted (every combination of orders when
there are at most ``MAX_VARIANTS``, else the order as built, the declared order,
its reverse and a sample), and each distinct answer is printed on the same
line, separated by a tab: any of them is something Alembic can answer.
"""

import contextlib
import itertools
import random
import sys
import warnings

import sqlalchemy as sa
from alembic.runtime.migration import HeadMaintainer
from alembic.runtime.migration import RevisionStep
from alembic.script.base import ScriptDirectory
from alembic.script.revision import Revision
from alembic.script.revision import RevisionMap
from alembic.util import CommandError


MAX_VARIANTS = 48


def dependency_orders(map_):
    """Alternative orders of every multi-entry normalized dependency tuple,
    as a list of {revision: tuple} assignments (the first is the order as
    built). Empty when the graph has no such tuple or does not build."""
    try:
        revs = [
            r
            for key, r in map_._revision_map.items()
            if r is not None and key == r.revision
        ]
    except Exception:  # noqa: BLE001 - the queries report the failure
        return []
    multi = [r for r in revs if len(r._normalized_resolved_dependencies) > 1]
    if not multi:
        return []
    built = {r: r._normalized_resolved_dependencies for r in multi}
    choices = [list(itertools.permutations(built[r])) for r in multi]
    total = 1
    for c in choices:
        total *= len(c)
    if total <= MAX_VARIANTS:
        combos = list(itertools.product(*choices))
    else:
        rng = random.Random(len(multi) * 7919 + total)
        declared = [
            tuple(d for d in r._resolved_dependencies if d in built[r]) for r in multi
        ]
        combos = [tuple(declared), tuple(tuple(reversed(d)) for d in declared)]
        combos += [
            tuple(rng.choice(c) for c in choices) for _ in range(MAX_VARIANTS)
        ]
    variants = [built]
    for combo in combos:
        v = dict(zip(multi, combo))
        if v not in variants:
            variants.append(v)
    return variants


def set_orders(variant):
    for rev, deps in variant.items():
        rev._normalized_resolved_dependencies = deps


def answer_line(map_, words):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = answer(map_, words)
        except Exception as exc:  # noqa: BLE001 - every failure is an answer
            message = str(exc).replace("\n", "\\n")
            line = "ERR w%d %s %s" % (len(caught), type(exc).__name__, message)
        else:
            line = "OK w%d %s" % (len(caught), " ".join(show(r) for r in result))
    return line.rstrip(" ")


def split_list(text):
    return tuple(x for x in text.split(",") if x)


def show(rev):
    if rev is None:
        return "None"
    if isinstance(rev, str):
        return rev
    return rev.revision


def rows_tuple(text):
    return () if text == "-" else split_list(text)


VERSION_TABLE = sa.Table(
    "alembic_version",
    sa.MetaData(),
    sa.Column("version_num", sa.String(32), nullable=False),
)


class VersionTable(Exception):
    """The HeadMaintainer refused a step (retort's RuntimeError::VersionTable)."""


class FakeImpl:
    def __init__(self):
        self.statements = []

    def _exec(self, statement):
        self.statements.append(statement)


class FakeContext:
    """What HeadMaintainer touches of a MigrationContext. ``as_sql`` skips the
    rowcount checks; statements are built against a real Table."""

    as_sql = True
    version_table = "alembic_version"

    def __init__(self):
        self.impl = FakeImpl()
        self._version = VERSION_TABLE


class RecordingMaintainer(HeadMaintainer):
    """Alembic's HeadMaintainer, noting each version-table change it makes."""

    def __init__(self, heads):
        super().__init__(FakeContext(), heads)
        self.ops = []

    def _insert_version(self, version):
        super()._insert_version(version)
        self.ops.append("I:%s" % version)

    def _delete_version(self, version):
        super()._delete_version(version)
        self.ops.append("D:%s" % version)

    def _update_version(self, from_, to_):
        super()._update_version(from_, to_)
        self.ops.append("U:%s>%s" % (from_, to_))


class FakeModule:
    """``Revision.module`` for RevisionStep: it only takes the functions."""

    @staticmethod
    def upgrade():
        pass

    @staticmethod
    def downgrade():
        pass


class StubScriptDirectory:
    """Enough of a ScriptDirectory to call ``_stamp_revs`` on (errors are not
    rewritten, as retort's ``stamp_steps`` does not rewrite them either)."""

    def __init__(self, map_):
        self.revision_map = map_

    def get_revisions(self, id_):
        return self.revision_map.get_revisions(id_)

    def _catch_revision_errors(self, **kw):
        return contextlib.nullcontext()


def order_dependent(step, heads):
    """Whether the statements of ``step`` depend on set iteration order:
    ``merge_branch_idents`` lists a set when other heads remain, and
    ``_unmerge_to_revisions`` always returns one."""
    if not isinstance(step, RevisionStep):
        return False
    downs = step.revision._normalized_down_revisions
    if len(downs) < 2:
        return False
    if step.is_upgrade:
        return len(heads.intersection(downs)) > 1 and bool(heads.difference(downs))
    return step.revision.revision in heads


def run_steps(rows, steps):
    maintainer = RecordingMaintainer(rows)
    out = []
    for k, step in enumerate(steps):
        mark = "~" if order_dependent(step, maintainer.heads) else ""
        # As MigrationContext.run_migrations logs it.
        out.append("%s#Running %s" % (mark, step))
        out[-1] = out[-1].replace(" ", "_")
        maintainer.ops = []
        before = len(maintainer.context.impl.statements)
        try:
            maintainer.update_to_step(step)
        except (AssertionError, CommandError, KeyError, IndexError) as exc:
            raise VersionTable(
                "step %d: %s: %s" % (k, type(exc).__name__, exc)
            ) from exc
        ran = len(maintainer.context.impl.statements) - before
        assert ran == len(maintainer.ops), (ran, maintainer.ops)
        out.extend(maintainer.ops)
    out.append("=")
    out.extend(sorted(maintainer.heads))
    return out


def answer(map_, words):
    op = words[0]
    if op == "vup":
        rows, target = rows_tuple(words[1]), words[2]
        revs = reversed(list(map_.iterate_revisions(target, rows, implicit_base=True)))
        return run_steps(rows, [RevisionStep(map_, r, True) for r in revs])
    if op == "vdown":
        rows, target = rows_tuple(words[1]), words[2]
        revs = map_.iterate_revisions(rows, target, select_for_downgrade=True)
        return run_steps(rows, [RevisionStep(map_, r, False) for r in revs])
    if op == "stamp":
        rows, revisions = rows_tuple(words[1]), rows_tuple(words[2])
        steps = ScriptDirectory._stamp_revs(
            StubScriptDirectory(map_), revisions, rows
        )
        return run_steps(rows, steps)
    if op == "heads":
        return list(map_.heads)
    if op == "real_heads":
        return list(map_._real_heads)
    if op == "bases":
        return list(map_.bases)
    if op == "up":
        rows, target = rows_tuple(words[1]), words[2]
        return list(
            reversed(list(map_.iterate_revisions(target, rows, implicit_base=True)))
        )
    if op == "down":
        rows, target = rows_tuple(words[1]), words[2]
        return list(map_.iterate_revisions(rows, target, select_for_downgrade=True))
    if op == "hist":
        lower, upper = words[1], words[2]
        return list(
            map_.iterate_revisions(
                upper, lower, inclusive=True, assert_relative_length=False
            )
        )
    if op == "get":
        return list(map_.get_revisions(words[1]))
    raise SystemExit("revision_oracle.py: unknown query %r" % (words,))


def main():
    lines = sys.stdin.read().splitlines()
    out = []
    revisions = []
    map_ = None
    variants = []
    for line in lines:
        if not line.strip():
            continue
        kind, _, rest = line.partition(" ")
        if kind == "graph":
            revisions = []
            map_ = None
        elif kind == "rev":
            rev_id, downs, deps, labels = rest.split("|")
            revisions.append(
                (rev_id, split_list(downs), split_list(deps), split_list(labels))
            )
        elif kind == "q":
            if map_ is None:
                specs = list(revisions)

                def generate(specs=specs):
                    revs = [
                        Revision(
                            rev_id,
                            downs or None,
                            dependencies=deps or None,
                            branch_labels=labels or None,
                        )
                        for rev_id, downs, deps, labels in specs
                    ]
                    for r in revs:
                        # What RevisionStep reads of a Script.
                        r.module = FakeModule
                        r.doc = None
                    return revs

                map_ = RevisionMap(generate)
                variants = dependency_orders(map_)
            words = rest.split(" ")
            if not variants:
                out.append(answer_line(map_, words))
                continue
            answers = []
            for variant in variants:
                set_orders(variant)
                line_out = answer_line(map_, words)
                if line_out not in answers:
                    answers.append(line_out)
            set_orders(variants[0])
            out.append("\t".join(answers))
        else:
            raise SystemExit("revision_oracle.py: cannot read line %r" % (line,))
    sys.stdout.write("\n".join(out) + ("\n" if out else ""))


if __name__ == "__main__":
    main()
