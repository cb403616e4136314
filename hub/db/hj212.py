"""HJ 212 data loggers: the registered devices and the history requests sent to them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from hub.db.base import Base, BigId, JsonDoc, UtcDateTime


class Hj212Device(Base):
    """A data logger (HJ 212 MN) and the site whose data it sends.

    The password (PW) is kept only as a scrypt hash, like client secrets (a stolen table
    must not give 6-digit PWs away in seconds); the logger sends it in clear in every packet,
    so the receiver pays the KDF once per connection (``hub.hj212.devices``; older salted
    HMAC hashes are replaced at the next login). ``factor_map`` maps the logger's factor
    codes to hub parameter codes where they differ; ``unit_overrides`` gives the unit a
    logger really sends per factor.
    """

    __tablename__ = "hj212_devices"
    __table_args__ = (CheckConstraint("minute_interval > 0", name="minute_interval"),)

    mn: Mapped[str] = mapped_column(String(24), primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), index=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    factor_map: Mapped[dict[str, Any]] = mapped_column(JsonDoc, default=dict)
    unit_overrides: Mapped[dict[str, Any]] = mapped_column(JsonDoc, default=dict)
    # Length of one 2051 minute-data period, in minutes (the logger's own setting, 1064).
    minute_interval: Mapped[int] = mapped_column(Integer, default=10)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    disabled_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class Hj212BackfillRequest(Base):
    """A history request (2051/2061/2031 with BeginTime/EndTime) for one logger.

    Queued by ``ecohub hj212 backfill`` or by the serve process's gap scan (``origin``); the
    serve process sends it when the logger is connected and records the logger's answers.
    Status: pending -> sent -> accepted | refused -> done | failed; sent requests with no
    answer in time become ``expired``.
    """

    __tablename__ = "hj212_backfill_requests"
    __table_args__ = (
        Index("ix_hj212_backfill_requests_status_mn", "status", "mn"),
        Index("ix_hj212_backfill_requests_mn_cn_begin", "mn", "cn", "begin_time"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    mn: Mapped[str] = mapped_column(ForeignKey("hj212_devices.mn"))
    cn: Mapped[str] = mapped_column(String(4))
    begin_time: Mapped[datetime] = mapped_column(UtcDateTime())
    end_time: Mapped[datetime] = mapped_column(UtcDateTime())
    status: Mapped[str] = mapped_column(String(16), default="pending")
    origin: Mapped[str] = mapped_column(String(16), default="cli")
    qn: Mapped[str | None] = mapped_column(String(20))
    qn_rtn: Mapped[int | None] = mapped_column(SmallInteger)
    exe_rtn: Mapped[int | None] = mapped_column(SmallInteger)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    answered_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
