"""Machines that members put into the pool, and the GPUs in them."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Optional

from sqlalchemy import (
    CheckConstraint,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base

if TYPE_CHECKING:
    from .jobs import Job
    from .users import User

NODE_STATUSES = ("online", "offline", "draining")


class Node(Base):
    """One member's machine running the homegpu agent."""

    __tablename__ = "nodes"
    __table_args__ = (
        UniqueConstraint("owner_id", "hostname"),
        CheckConstraint(
            "status IN ('online', 'offline', 'draining')", name="status"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False
    )
    hostname: Mapped[str] = mapped_column(String(255), nullable=False)
    status: Mapped[str] = mapped_column(
        String(16), nullable=False, default="offline", server_default="offline"
    )
    last_seen_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True))
    # Comma-separated scheduling hints ("gpu,cuda12"); added in 0003.
    labels: Mapped[Optional[str]] = mapped_column(Text)

    owner: Mapped[User] = relationship(back_populates="nodes")
    gpus: Mapped[list[Gpu]] = relationship(
        back_populates="node", cascade="all, delete-orphan", passive_deletes=True
    )


class Gpu(Base):
    __tablename__ = "gpus"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    node_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("nodes.id", ondelete="CASCADE"), nullable=False, index=True
    )
    model: Mapped[str] = mapped_column(String(100), nullable=False)
    vram_mb: Mapped[int] = mapped_column(Integer, nullable=False)

    node: Mapped[Node] = relationship(back_populates="gpus")
    jobs: Mapped[list[Job]] = relationship(back_populates="gpu")
