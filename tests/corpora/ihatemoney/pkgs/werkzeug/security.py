# Stub written for retort's corpus parity tests (tests/corpora_parity.rs): only
# what ihatemoney's migrations use.  The real function salts its hashes
# at random (twin databases would differ); the migration calls it once per
# project row, and the walk has none.  Deterministic, so that would still agree.
import hashlib


def generate_password_hash(password):
    return "stub-sha256$" + hashlib.sha256(password.encode()).hexdigest()
