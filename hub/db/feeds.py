"""Commit-ordered sequences for feeds, and the upstream forwarder's durable state."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from hub.db.base import Base, BigId, JsonDoc, UtcDateTime


class FeedHead(Base):
    """The last sequence number handed out on one stream (``alarms``…).

    The row is locked (SELECT … FOR UPDATE) by the transaction that takes the next number
    and stays locked until it commits, so numbers become visible in order: a reader that
    has seen N will never later find N−1 appear. (Observations use the audit chain's
    ``submissions.seq``, taken the same way.)
    """

    __tablename__ = "feed_heads"

    stream: Mapped[str] = mapped_column(String(32), primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger, default=0)


class ForwardState(Base):
    """Where forwarding to one upstream hub stands: its cursor, backlog and last error."""

    __tablename__ = "forward_state"

    target: Mapped[str] = mapped_column(String(300), primary_key=True)
    cursor: Mapped[str] = mapped_column(String(100), default="")
    forwarded: Mapped[int] = mapped_column(BigInteger, default=0)
    batches: Mapped[int] = mapped_column(BigInteger, default=0)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    last_error_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    last_success_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    next_attempt_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class ForwardOutbox(Base):
    """A batch waiting to be pushed upstream, in feed order; deleted once delivered.

    Batches are cut from the feed once and kept here, so a retry after a crash resends
    exactly the same batch under the same Idempotency-Key.
    """

    __tablename__ = "forward_outbox"
    __table_args__ = (Index("ix_forward_outbox_target_id", "target", "id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    target: Mapped[str] = mapped_column(String(300))
    department: Mapped[str] = mapped_column(String(32))
    idempotency_key: Mapped[str] = mapped_column(String(200))
    payload: Mapped[dict[str, Any]] = mapped_column(JsonDoc)
    items: Mapped[int] = mapped_column(Integer)
    last_cursor: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
