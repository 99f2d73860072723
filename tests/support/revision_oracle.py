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

Output: one line per query, in order:

    OK w<warnings> <id> <id> ...       ("base" / "None" for those pseudo-revisions)
    ERR w<warnings> <ExceptionClass> <message>

Newlines in messages are written as a literal backslash-n.

Alembic keeps a revision's normalized dependencies in ``tuple(set(...))``, so
where a revision has two or more of them their order, and with it the order of
steps, depends on the interpreter's hash seed. For such graphs every query is
also answered with those tuples permuted (every combination of orders when
there are at most ``MAX_VARIANTS``, else the order as built, the declared order,
its reverse and a sample), and each distinct answer is printed on the same
line, separated by a tab: any of them is something Alembic can answer.
"""

import itertools
import random
import sys
import warnings

from alembic.script.revision import Revision
from alembic.script.revision import RevisionMap


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


def answer(map_, words):
    op = words[0]
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
                    return [
                        Revision(
                            rev_id,
                            downs or None,
                            dependencies=deps or None,
                            branch_labels=labels or None,
                        )
                        for rev_id, downs, deps, labels in specs
                    ]

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
