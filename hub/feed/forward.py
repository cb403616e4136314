"""Forward everything this hub accepted to an upstream hub, from a durable outbox.

``fill_outbox`` cuts the next feed page into per-department batches and stores them with
their Idempotency-Key, advancing the forwarder's cursor in the same transaction.
``send_next`` pushes the oldest batch; it is deleted only once the upstream answered.
A crash anywhere resends at most one batch, under the same key, so the upstream stores
nothing twice. Transient failures back off exponentially.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session

from hub.db.feeds import ForwardOutbox, ForwardState
from hub.db.records import Observation, Submission
from hub.db.reference import Site
from hub.feed.observations import Cursor, FeedFilter, FeedRow, read_feed
from hub.feed.render import feed_item
from hub.feed.upstream import UpstreamClient, UpstreamError
from hub.reference.reads import site_doc

log = logging.getLogger("hub.forward")
_OBS_FIELDS = ("site", "parameter", "time", "period", "value", "unit", "flag")
_SITE_FIELDS = (
    "code",
    "name_zh",
    "name_en",
    "network",
    "county",
    "latitude",
    "longitude",
    "coordinates_approximate",
    "targets",
    "status",
    "note",
)


def state_for(session: Session, target: str) -> ForwardState:
    state = session.get(ForwardState, target, with_for_update=True)
    if state is None:
        state = ForwardState(target=target, cursor="", forwarded=0, batches=0, attempts=0)
        session.add(state)
        session.flush()
    return state


def _site_docs(session: Session, codes: list[str]) -> list[dict[str, Any]]:
    sites = session.scalars(select(Site).where(Site.code.in_(codes)).order_by(Site.code))
    return [{k: site_doc(s)[k] for k in _SITE_FIELDS} for s in sites]


def fill_outbox(session: Session, target: str, batch_size: int, now: datetime) -> int:
    """Move the next feed page into the outbox; returns how many observations it took."""
    state = state_for(session, target)
    rows, nxt = read_feed(session, Cursor.decode(state.cursor), batch_size, FeedFilter())
    groups: list[list[FeedRow]] = []
    for row in rows:
        if groups and groups[-1][0].department == row.department:
            groups[-1].append(row)
        else:
            groups.append([row])
    for group in groups:
        first, last = group[0].cursor.encode(), group[-1].cursor.encode()
        payload = {
            "sites": _site_docs(session, sorted({r.site for r in group})),
            # Rendered as the public feed renders them, cut to what a push accepts.
            "observations": [
                {k: item[k] for k in _OBS_FIELDS} for item in map(feed_item, group)
            ],
        }
        session.add(
            ForwardOutbox(
                target=target,
                department=group[0].department,
                idempotency_key=f"fwd:{first}:{last}",
                payload=payload,
                items=len(group),
                last_cursor=last,
                created_at=now,
            )
        )
    state.cursor = nxt.encode()
    return len(rows)


def backoff(attempts: int, base: float = 1.0, cap: float = 300.0) -> float:
    """Seconds to wait after ``attempts`` consecutive failures: 1, 2, 4 … capped."""
    return float(min(cap, base * 2 ** max(0, attempts - 1)))


@dataclass
class SendResult:
    sent: bool
    items: int = 0
    error: str | None = None
    transient: bool = False


def send_next(
    session: Session, target: str, client: UpstreamClient, now: datetime, max_backoff: float = 300.0
) -> SendResult | None:
    """Push the oldest outbox batch; None when the outbox is empty or backing off."""
    state = state_for(session, target)
    if state.next_attempt_at is not None and state.next_attempt_at > now:
        return None
    row = session.scalar(
        select(ForwardOutbox)
        .where(ForwardOutbox.target == target)
        .order_by(ForwardOutbox.id)
        .limit(1)
    )
    if row is None:
        return None
    dept = row.department
    try:
        if row.payload.get("sites"):
            status, doc = client.post(
                f"/api/v1/departments/{dept}/sites", {"sites": row.payload["sites"]}
            )
            if status not in (200, 207):
                raise UpstreamError(f"site registration answered {status}: {doc}", transient=False)
        status, doc = client.post(
            f"/api/v1/departments/{dept}/observations",
            {"observations": row.payload["observations"]},
            headers={"Idempotency-Key": row.idempotency_key},
        )
        if status not in (201, 207, 422):
            raise UpstreamError(f"push answered {status}: {str(doc)[:300]}", transient=False)
    except UpstreamError as exc:
        state.attempts += 1
        state.last_error = str(exc)
        state.last_error_at = now
        wait = backoff(state.attempts, cap=max_backoff) if exc.transient else max_backoff
        state.next_attempt_at = now + timedelta(seconds=wait)
        log.warning(
            "forward failed", extra={"target": target, "error": str(exc), "retry_in_s": wait}
        )
        return SendResult(False, error=str(exc), transient=exc.transient)
    if doc.get("rejected"):
        first = (doc.get("errors") or [{}])[0]
        state.last_error = f"upstream rejected {doc['rejected']} records, e.g. {first}"
        state.last_error_at = now
        log.warning(
            "upstream rejected records", extra={"target": target, "rejected": doc["rejected"]}
        )
    session.execute(delete(ForwardOutbox).where(ForwardOutbox.id == row.id))
    state.forwarded += row.items
    state.batches += 1
    state.attempts = 0
    state.next_attempt_at = None
    state.last_success_at = now
    return SendResult(True, items=row.items)


def status(session: Session, target: str) -> dict[str, Any]:
    """Backlog (outbox + feed not yet cut into batches), counters and the last error."""
    state = session.get(ForwardState, target)
    cursor = Cursor.decode(state.cursor if state else "")
    pending_outbox = (
        session.scalar(
            select(func.coalesce(func.sum(ForwardOutbox.items), 0)).where(
                ForwardOutbox.target == target
            )
        )
        or 0
    )
    o, s = Observation, Submission
    not_cut = (
        session.scalar(
            select(func.count())
            .select_from(o)
            .join(s, s.id == o.submission_id)
            .where(
                s.seq.is_not(None), s.seq >= cursor.seq, or_(s.seq > cursor.seq, o.id > cursor.id)
            )
        )
        or 0
    )

    def iso(dt: datetime | None) -> str | None:
        return dt.isoformat() if dt else None

    return {
        "target": target,
        "backlog": int(pending_outbox) + int(not_cut),
        "outbox_batches": session.scalar(
            select(func.count()).select_from(ForwardOutbox).where(ForwardOutbox.target == target)
        ),
        "forwarded": state.forwarded if state else 0,
        "batches": state.batches if state else 0,
        "attempts": state.attempts if state else 0,
        "last_error": state.last_error if state else None,
        "last_error_at": iso(state.last_error_at) if state else None,
        "last_success_at": iso(state.last_success_at) if state else None,
        "next_attempt_at": iso(state.next_attempt_at) if state else None,
    }
