"""The objects ``alembic.context`` and ``alembic.op`` stand for while env.py
and a migration script run (Alembic installs them the same way, so a helper
module that imported ``op`` early still sees the current one)."""

import contextlib

_environment = None
_operations = None


class NotConfigured(NameError):
    pass


def environment():
    if _environment is None:
        raise NotConfigured(
            "Can't invoke function on 'context' proxy object; no EnvironmentContext is in effect "
            "(alembic.context is only usable while retort runs env.py)"
        )
    return _environment


def operations():
    if _operations is None:
        raise NotConfigured(
            "Can't invoke function on 'op' proxy object; no Operations object is in effect "
            "(alembic.op is only usable while retort runs a migration script)"
        )
    return _operations


@contextlib.contextmanager
def environment_in_effect(env):
    global _environment
    previous, _environment = _environment, env
    try:
        yield env
    finally:
        _environment = previous


@contextlib.contextmanager
def operations_in_effect(ops):
    global _operations
    previous, _operations = _operations, ops
    try:
        yield ops
    finally:
        _operations = previous
