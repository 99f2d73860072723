"""add jobs.priority

Lets members bump their own jobs ahead in the queue. Existing rows get
priority 0 through the server default.

Revision ID: 0002_job_priority
Revises: 0001_initial
Create Date: 2026-02-03 09:48:12.771930

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# Identifiers Alembic uses to place this file in the revision graph.
revision: str = "0002_job_priority"
down_revision: Union[str, Sequence[str], None] = "0001_initial"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("jobs") as batch_op:
        batch_op.add_column(
            sa.Column("priority", sa.Integer(), server_default="0", nullable=False)
        )
        batch_op.create_index(batch_op.f("ix_jobs_priority"), ["priority"], unique=False)


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("jobs") as batch_op:
        batch_op.drop_index(batch_op.f("ix_jobs_priority"))
        batch_op.drop_column("priority")
