"""Observations and the submissions that brought them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from hub.db.base import Base, BigId, JsonDoc, UtcDateTime


class Submission(Base):
    """Provenance of one batch: who sent it, when, and what it hashed to.

    Submissions form a hash chain in commit order: ``seq`` is the position and
    ``chain_hash`` = H(``prev_hash``, this row's fields, ``records_hash``), so rewriting a
    stored batch or one of its observations breaks the chain (``ecohub audit verify``).
    """

    __tablename__ = "submissions"
    __table_args__ = (
        Index("ix_submissions_department_received", "department_code", "received_at"),
        UniqueConstraint("client_id", "idempotency_key", name="uq_submissions_idempotency"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    client_id: Mapped[str | None] = mapped_column(String(64), index=True)
    department_code: Mapped[str | None] = mapped_column(ForeignKey("departments.code"))
    received_at: Mapped[datetime] = mapped_column(UtcDateTime())
    channel: Mapped[str] = mapped_column(String(16))
    payload_hash: Mapped[str] = mapped_column(String(64))
    accepted: Mapped[int] = mapped_column(Integer, default=0)
    rejected: Mapped[int] = mapped_column(Integer, default=0)
    idempotency_key: Mapped[str | None] = mapped_column(String(200))
    # H(method, path, content type, body): the same key with another request is a conflict.
    request_hash: Mapped[str | None] = mapped_column(String(64))
    receipt: Mapped[dict[str, Any] | None] = mapped_column(JsonDoc)
    seq: Mapped[int | None] = mapped_column(BigInteger, unique=True)
    records_hash: Mapped[str | None] = mapped_column(String(64))
    prev_hash: Mapped[str | None] = mapped_column(String(64))
    chain_hash: Mapped[str | None] = mapped_column(String(64))


class AuditHead(Base):
    """The end of the submission hash chain; one row, locked while a link is added."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger, default=0)
    hash: Mapped[str] = mapped_column(String(64))


class Observation(Base):
    """One value for (site, parameter, period start, period length), at one revision.

    ``id`` grows with every insert and is the ingest sequence. A correction is a new row
    with the next revision; ``is_current`` marks the latest revision of each key.
    """

    __tablename__ = "observations"
    __table_args__ = (
        UniqueConstraint(
            "site_id",
            "parameter_code",
            "period_start",
            "period",
            "revision",
            name="uq_observations_key_revision",
        ),
        CheckConstraint("revision >= 1", name="revision"),
        # The read API's main query: one site and parameter over a time range.
        Index("ix_observations_site_param_time", "site_id", "parameter_code", "period_start"),
        # Time-window scans across sites (latest hour of every station, feeds by time).
        Index("ix_observations_param_time", "parameter_code", "period_start"),
        # The feed walks submissions in commit order, then their rows by id.
        Index("ix_observations_submission", "submission_id", "id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    parameter_code: Mapped[str] = mapped_column(ForeignKey("parameters.code"))
    period_start: Mapped[datetime] = mapped_column(UtcDateTime())
    # ISO 8601 duration in canonical spelling (PT1H, P1D, P1M): months are not seconds.
    period: Mapped[str] = mapped_column(String(16))
    value: Mapped[float | None] = mapped_column(Float)
    flag: Mapped[str] = mapped_column(String(1), default="N")
    revision: Mapped[int] = mapped_column(Integer, default=1)
    is_current: Mapped[bool] = mapped_column(default=True)
    submission_id: Mapped[str] = mapped_column(ForeignKey("submissions.id"))
    # Quality control flags, never a reason to drop: "passed" or "flagged", and the flags
    # ([{code, severity, reason}]) that say why.
    qc_status: Mapped[str] = mapped_column(String(8), default="passed")
    qc_flags: Mapped[list[dict[str, Any]] | None] = mapped_column(JsonDoc)
