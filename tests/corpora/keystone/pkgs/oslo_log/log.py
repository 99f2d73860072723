# Stub written for retort's corpus parity tests (tests/corpora_parity.rs): only
# what keystone's migrations use.
import logging


def getLogger(name=None):
    return logging.getLogger(name)
