# Stub written for retort's corpus parity tests (tests/corpora_parity.rs): only
# what keystone's migrations use.
