"""History requests to HJ 212 loggers: the queue and the request lifecycle.

Requests are rows of ``hj212_backfill_requests``: queued by an operator
(``ecohub hj212 backfill``) or by the serve process's gap scan, sent by the serve process when
the logger is connected (one request in flight per logger: a logger works through one history
upload at a time), and updated from the logger's 9011 (accepted/refused) and 9012 (done/failed).
The data itself comes back as ordinary 2051/2061/2031 uploads and is stored like any other.
The gap scan that queues requests by itself is in ``hj212_gaps``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from hub.db.hj212 import Hj212BackfillRequest, Hj212Device
from hub.errors import FieldError, NotFound, ValidationFailed
from hub.timeutil import iso_utc

HISTORY_CNS = ("2051", "2061", "2031")
IN_FLIGHT = ("sent", "accepted")
MAX_SPAN = timedelta(days=31)


@dataclass(frozen=True)
class BackfillConfig:
    """How often and how far the serve process looks for gaps, and how long it waits."""

    poll_interval: float = 15.0  # seconds between sending queued requests / reading answers
    scan_interval: float = 900.0  # seconds between gap scans
    lookback: timedelta = timedelta(hours=24)
    # A period's data is not missing until this long after the period ended (loggers upload
    # hourly data a few minutes past the hour).
    settle: timedelta = timedelta(minutes=15)
    retry_after: timedelta = timedelta(hours=6)  # a gap is asked for again only after this
    answer_timeout: timedelta = timedelta(minutes=30)
    max_gaps_per_device: int = 4


@dataclass(frozen=True)
class PendingRequest:
    """A queued request, as the dispatcher sends it."""

    id: int
    mn: str
    cn: str
    begin: datetime
    end: datetime


def request_doc(row: Hj212BackfillRequest) -> dict[str, Any]:
    """A request as the CLI shows it."""

    def t(value: datetime | None) -> str | None:
        return iso_utc(value) if value else None

    return {
        "id": row.id,
        "mn": row.mn,
        "cn": row.cn,
        "begin": t(row.begin_time),
        "end": t(row.end_time),
        "status": row.status,
        "origin": row.origin,
        "qn": row.qn,
        "qn_rtn": row.qn_rtn,
        "exe_rtn": row.exe_rtn,
        "created_at": t(row.created_at),
        "sent_at": t(row.sent_at),
        "answered_at": t(row.answered_at),
    }


def queue_backfill(
    session: Session,
    *,
    mn: str,
    cn: str,
    begin: datetime,
    end: datetime,
    origin: str = "cli",
    now: datetime | None = None,
) -> dict[str, Any]:
    """Queue a history request (BeginTime/EndTime inclusive) for the serve process to send."""
    if session.get(Hj212Device, mn) is None:
        raise NotFound(f"no device with MN '{mn}'")
    errors = []
    if cn not in HISTORY_CNS:
        errors.append(FieldError("cn", f"must be one of {', '.join(HISTORY_CNS)}"))
    if begin.utcoffset() is None or end.utcoffset() is None:
        errors.append(FieldError("from", "times need a UTC offset"))
    elif end < begin:
        errors.append(FieldError("to", "must not be before 'from'"))
    elif end - begin > MAX_SPAN:
        errors.append(FieldError("to", f"at most {MAX_SPAN.days} days per request"))
    if errors:
        raise ValidationFailed("; ".join(e.message for e in errors), errors=errors)
    row = Hj212BackfillRequest(
        mn=mn,
        cn=cn,
        begin_time=begin,
        end_time=end,
        status="pending",
        origin=origin,
        created_at=now or datetime.now(UTC),
    )
    session.add(row)
    session.flush()
    return request_doc(row)


def list_backfill(
    session: Session, mn: str | None = None, limit: int = 100
) -> list[dict[str, Any]]:
    """The most recent requests, newest first."""
    stmt = select(Hj212BackfillRequest).order_by(Hj212BackfillRequest.id.desc()).limit(limit)
    if mn is not None:
        stmt = stmt.where(Hj212BackfillRequest.mn == mn)
    return [request_doc(r) for r in session.scalars(stmt)]


def next_pending(
    session: Session, mns: Iterable[str], now: datetime, config: BackfillConfig
) -> list[PendingRequest]:
    """The oldest pending request of each given logger that has none in flight."""
    R = Hj212BackfillRequest
    mn_list = sorted(set(mns))
    if not mn_list:
        return []
    busy = set(
        session.scalars(
            select(R.mn).where(
                R.mn.in_(mn_list), R.status.in_(IN_FLIGHT), R.sent_at >= now - config.answer_timeout
            )
        )
    )
    out: dict[str, PendingRequest] = {}
    for row in session.scalars(
        select(R).where(R.mn.in_(mn_list), R.status == "pending").order_by(R.created_at, R.id)
    ):
        if row.mn not in busy and row.mn not in out:
            out[row.mn] = PendingRequest(row.id, row.mn, row.cn, row.begin_time, row.end_time)
    return list(out.values())


def mark_sent(session: Session, request_id: int, qn: str, now: datetime) -> None:
    """Record that the request went out with this QN."""
    row = session.get(Hj212BackfillRequest, request_id)
    if row is not None:
        row.status, row.qn, row.sent_at = "sent", qn, now


def in_flight_qns(session: Session) -> list[str]:
    """QNs of sent requests still waiting for an answer."""
    R = Hj212BackfillRequest
    return [qn for qn in session.scalars(select(R.qn).where(R.status.in_(IN_FLIGHT))) if qn]


def apply_answers(
    session: Session,
    answers: Mapping[str, tuple[int | None, int | None]],
    now: datetime,
    config: BackfillConfig,
) -> int:
    """Update in-flight requests from the logger's (QnRtn, ExeRtn) by QN; expire silent ones.

    Returns how many rows changed status.
    """
    R = Hj212BackfillRequest
    changed = 0
    for row in session.scalars(select(R).where(R.status.in_(IN_FLIGHT))):
        qn_rtn, exe_rtn = answers.get(row.qn or "", (None, None))
        status = row.status
        if exe_rtn is not None:
            status = "done" if exe_rtn == 1 else "failed"
        elif qn_rtn is not None and row.status == "sent":
            status = "accepted" if qn_rtn == 1 else "refused"
        elif row.sent_at is None or row.sent_at < now - config.answer_timeout:
            status = "expired"
        if status != row.status:
            row.qn_rtn = qn_rtn if qn_rtn is not None else row.qn_rtn
            row.exe_rtn = exe_rtn
            if status != "expired":
                row.answered_at = row.answered_at or now
            row.status = status
            changed += 1
    return changed
