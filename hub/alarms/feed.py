"""The alarm event feed: every alarm event once, in commit order, like the observation feed.

Events are numbered on stream "alarms" by ``next_seq`` as the last step of the transaction
that writes them, so numbers become visible in order and a reader past N never finds an
event ≤ N appear later. A cursor is that number.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hub.alarms.snapshot import event_doc
from hub.db.alarms import Alarm, AlarmEvent
from hub.db.reference import Site
from hub.errors import BadRequest, FieldError


def encode_cursor(seq: int) -> str:
    return base64.urlsafe_b64encode(f"a1.{seq}".encode()).decode().rstrip("=")


def decode_cursor(text: str | None) -> int:
    """The sequence number a cursor stands for; an empty cursor is the start."""
    if not text:
        return 0
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode()
        tag, seq = raw.split(".")
        if tag != "a1":
            raise ValueError(tag)
        return int(seq)
    except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
        raise BadRequest(
            "'after' is not a cursor this feed handed out",
            errors=[FieldError("query.after", "malformed cursor", "format")],
        ) from exc


def read_alarm_feed(
    session: Session,
    after: int,
    limit: int,
    kind: str | None = None,
    county: str | None = None,
) -> tuple[list[dict[str, Any]], int]:
    """Up to ``limit`` events after sequence ``after``, and the sequence to continue from."""
    head = session.scalar(select(func.max(AlarmEvent.seq))) or 0
    stmt = select(AlarmEvent).where(AlarmEvent.seq > after).order_by(AlarmEvent.seq).limit(limit)
    if kind or county:
        stmt = stmt.join(Alarm, Alarm.id == AlarmEvent.alarm_id)
        if kind:
            stmt = stmt.where(Alarm.kind == kind)
        if county:
            stmt = stmt.join(Site, Site.id == Alarm.site_id).where(Site.county_code == county)
    events = list(session.scalars(stmt))
    items = [{"cursor": encode_cursor(e.seq), **event_doc(e)} for e in events]
    nxt = events[-1].seq if events else after
    if len(events) < limit and head > nxt:
        nxt = head  # nothing matching the filters up to the head
    return items, nxt
