# Stub written for retort's corpus parity tests (tests/corpora_parity.rs): only
# what keystone's migrations use.  A Python-side column default,
# never called while migrating.
import datetime


def utcnow():
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)
