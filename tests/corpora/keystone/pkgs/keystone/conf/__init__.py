# Stub written for retort's corpus parity tests (tests/corpora_parity.rs): only
# what keystone's migrations use.  keystone.conf.CONF is an oslo.config
# object; the initial migration reads one option, with keystone's default.
import types

CONF = types.SimpleNamespace(saml=types.SimpleNamespace(relay_state_prefix="ss:mem:"))
