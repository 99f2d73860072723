"""retort's Python side: the helpers the embedded ``alembic`` shim runs on."""
