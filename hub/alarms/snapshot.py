"""The public shape of an alarm and of an alarm event (API, feed and webhook alike)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from hub.alarms.types import RuleSite
from hub.db.alarms import Alarm, AlarmEvent
from hub.timeutil import iso_utc


def _iso(dt: datetime | None) -> str | None:
    return None if dt is None else iso_utc(dt)


def alarm_doc(a: Alarm, site: RuleSite) -> dict[str, Any]:
    """An alarm as clients see it; ``id`` is stable for its whole life."""
    return {
        "id": a.id,
        "kind": a.kind,
        "status": a.status,
        "site": site.code,
        "network": site.network,
        "county": site.county,
        "parameter": a.parameter,
        "rule": a.rule,
        "start": _iso(a.start_at),
        "end": _iso(a.end_at),
        "first_value": a.first_value,
        "last_value": a.last_value,
        "worst_value": a.worst_value,
        "limit": a.limit_value,
        "unit": a.unit,
        "target": a.target,
        "occurrences": a.occurrences,
        "detail": a.detail or {},
        "opened_at": _iso(a.opened_at),
        "opened_by": a.opened_by,
        "acknowledged_at": _iso(a.acknowledged_at),
        "acknowledged_by": a.acknowledged_by,
        "ack_note": a.ack_note,
        "closed_at": _iso(a.closed_at),
        "closed_by": a.closed_by,
        "close_reason": a.close_reason,
        "updated_at": _iso(a.updated_at),
    }


def event_doc(e: AlarmEvent) -> dict[str, Any]:
    """An event as stored: what happened, and the alarm as it stood right after."""
    event = dict(e.payload.get("event") or {})
    return {
        "id": e.id,
        "seq": e.seq,
        "type": e.type,
        "at": _iso(e.at),
        "actor": e.actor,
        "alarm_id": e.alarm_id,
        "cause": event.get("cause"),
        "alarm": e.payload.get("alarm"),
    }
