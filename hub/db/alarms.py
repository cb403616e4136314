"""Alarms: the alarms themselves, their events, emission limits, webhook subscriptions,
the delivery outbox and the evaluation engine's state."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from hub.db.base import Base, BigId, JsonDoc, UtcDateTime

_OPEN = text("status <> 'closed'")


class Alarm(Base):
    """One alarm: a kind of trouble at one site and parameter over a span of data time.

    ``id`` (a UUID) is what receivers deduplicate on. At most one alarm per (site,
    parameter, kind) is not closed — a partial unique index holds that even against two
    engines racing. ``recovery_anchor`` is the end of the last offending period: the
    alarm closes once compliant data reach ``recovery_anchor + close_after``.
    """

    __tablename__ = "alarms"
    __table_args__ = (
        Index(
            "uq_alarms_one_open",
            "site_id",
            "parameter",
            "kind",
            unique=True,
            postgresql_where=_OPEN,
            sqlite_where=_OPEN,
        ),
        Index("ix_alarms_status_kind", "status", "kind"),
        Index("ix_alarms_site_opened", "site_id", "opened_at"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    # A parameter code, or a hub pseudo-parameter such as "aqi" (not a foreign key).
    parameter: Mapped[str] = mapped_column(String(32))
    rule: Mapped[str] = mapped_column(String(48))
    status: Mapped[str] = mapped_column(String(16), default="open")
    start_at: Mapped[datetime] = mapped_column(UtcDateTime())
    end_at: Mapped[datetime] = mapped_column(UtcDateTime())
    recovery_anchor: Mapped[datetime] = mapped_column(UtcDateTime())
    first_value: Mapped[float | None] = mapped_column(Float)
    last_value: Mapped[float | None] = mapped_column(Float)
    worst_value: Mapped[float | None] = mapped_column(Float)
    limit_value: Mapped[float | None] = mapped_column(Float)
    unit: Mapped[str | None] = mapped_column(String(32))
    target: Mapped[str | None] = mapped_column(String(120))
    occurrences: Mapped[int] = mapped_column(Integer, default=1)
    detail: Mapped[dict[str, Any]] = mapped_column(JsonDoc, default=dict)
    opened_at: Mapped[datetime] = mapped_column(UtcDateTime())
    opened_by: Mapped[str] = mapped_column(String(64), default="engine")
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())
    acknowledged_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    acknowledged_by: Mapped[str | None] = mapped_column(String(64))
    ack_note: Mapped[str | None] = mapped_column(Text)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    closed_by: Mapped[str | None] = mapped_column(String(64))
    close_reason: Mapped[str | None] = mapped_column(Text)


class AlarmEvent(Base):
    """Something that happened to an alarm, numbered in commit order on stream "alarms"."""

    __tablename__ = "alarm_events"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    alarm_id: Mapped[str] = mapped_column(ForeignKey("alarms.id"), index=True)
    seq: Mapped[int] = mapped_column(BigInteger, unique=True)
    type: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    actor: Mapped[str | None] = mapped_column(String(64))
    # The alarm as it stood after this event, plus what caused it: the body delivered.
    payload: Mapped[dict[str, Any]] = mapped_column(JsonDoc)


class EmissionLimit(Base):
    """A pollution source's permitted concentration of one parameter (canonical unit)."""

    __tablename__ = "emission_limits"

    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), primary_key=True)
    parameter_code: Mapped[str] = mapped_column(ForeignKey("parameters.code"), primary_key=True)
    limit_value: Mapped[float] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(32))
    note: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


class AlarmSubscription(Base):
    """A webhook an enforcement system registered. The HMAC secret is kept encrypted
    (the hub must sign with it, so it cannot be a one-way hash)."""

    __tablename__ = "alarm_subscriptions"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    url: Mapped[str] = mapped_column(String(2000))
    kinds: Mapped[list[str] | None] = mapped_column(JsonDoc)
    counties: Mapped[list[str] | None] = mapped_column(JsonDoc)
    secret_encrypted: Mapped[str] = mapped_column(Text)
    client_id: Mapped[str | None] = mapped_column(String(64), index=True)
    description: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    # A delivery worker leases the subscription while it sends, so that one subscription's
    # events leave in order even with several workers; a crashed worker's lease expires.
    lease_owner: Mapped[str | None] = mapped_column(String(64))
    lease_until: Mapped[datetime | None] = mapped_column(UtcDateTime())


class AlarmDelivery(Base):
    """The outbox: one alarm event owed to one subscription, kept until it is delivered."""

    __tablename__ = "alarm_deliveries"
    __table_args__ = (
        UniqueConstraint("subscription_id", "event_id", name="uq_alarm_deliveries_sub_event"),
        Index("ix_alarm_deliveries_pending", "subscription_id", "status", "event_seq"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    subscription_id: Mapped[str] = mapped_column(
        ForeignKey("alarm_subscriptions.id", ondelete="CASCADE")
    )
    event_id: Mapped[str] = mapped_column(ForeignKey("alarm_events.id"))
    event_seq: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UtcDateTime())
    last_error: Mapped[str | None] = mapped_column(Text)
    last_status: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    delivered_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class AlarmEngineState(Base):
    """Where the evaluation engine stands in the observation feed; locked while it runs."""

    __tablename__ = "alarm_engine_state"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    cursor: Mapped[str] = mapped_column(String(100), default="")
    evaluated: Mapped[int] = mapped_column(BigInteger, default=0)
    last_run_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    last_gap_sweep_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    last_falsification_sweep_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    last_error: Mapped[str | None] = mapped_column(Text)
