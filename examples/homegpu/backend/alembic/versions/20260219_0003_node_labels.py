"""add nodes.labels and backfill it

Labels are comma-separated scheduling hints set by the node agent. Nodes
registered before this revision get a starting value derived from what
we already know about them: "gpu" when they have at least one GPU,
"cpu-only" otherwise.

Revision ID: 0003_node_labels
Revises: 0002_job_priority
Create Date: 2026-02-19 17:20:45.093166

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# Identifiers Alembic uses to place this file in the revision graph.
revision: str = "0003_node_labels"
down_revision: Union[str, Sequence[str], None] = "0002_job_priority"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("nodes") as batch_op:
        batch_op.add_column(sa.Column("labels", sa.Text(), nullable=True))

    # Data migration: plain SQL that runs unchanged on SQLite, PostgreSQL
    # and MySQL/MariaDB, and renders as-is under `alembic upgrade --sql`.
    op.execute(
        sa.text(
            "UPDATE nodes SET labels = 'gpu' "
            "WHERE EXISTS (SELECT 1 FROM gpus WHERE gpus.node_id = nodes.id)"
        )
    )
    op.execute(sa.text("UPDATE nodes SET labels = 'cpu-only' WHERE labels IS NULL"))


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("nodes") as batch_op:
        batch_op.drop_column("labels")
