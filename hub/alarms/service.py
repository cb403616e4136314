"""Alarms for the API and the CLI: list, one with its events, acknowledge."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from hub.alarms.lookups import load_sites
from hub.alarms.snapshot import alarm_doc, event_doc
from hub.alarms.store import AlarmWriter
from hub.alarms.types import RuleSite, Status
from hub.db.alarms import Alarm, AlarmEvent
from hub.db.reference import Site
from hub.errors import Conflict, NotFound
from hub.paging import PageRequest, paginate


@dataclass(frozen=True)
class AlarmQuery:
    """Filters of ``GET /alarms``; ``start``/``end`` select alarms whose span overlaps them."""

    kind: str | None = None
    status: str | None = None
    county: str | None = None
    site: str | None = None
    parameter: str | None = None
    start: datetime | None = None
    end: datetime | None = None


def list_alarms(session: Session, q: AlarmQuery, page: PageRequest) -> dict[str, Any]:
    """A page of alarms, newest first."""
    stmt = select(Alarm, Site).join(Site, Site.id == Alarm.site_id)
    if q.kind:
        stmt = stmt.where(Alarm.kind == q.kind)
    if q.status:
        stmt = stmt.where(Alarm.status == q.status)
    if q.county:
        stmt = stmt.where(Site.county_code == q.county)
    if q.site:
        stmt = stmt.where(Site.code == q.site)
    if q.parameter:
        stmt = stmt.where(Alarm.parameter == q.parameter)
    if q.start is not None:
        stmt = stmt.where(Alarm.end_at >= q.start)
    if q.end is not None:
        stmt = stmt.where(Alarm.start_at < q.end)
    stmt = stmt.order_by(Alarm.opened_at.desc(), Alarm.id)

    def render(row: Any) -> dict[str, Any]:
        alarm, site = row
        info = RuleSite(site.id, site.code, site.network_code, site.county_code, None)
        return alarm_doc(alarm, info)

    return paginate(session, stmt, page, render)


def _find(session: Session, alarm_id: str, lock: bool = False) -> Alarm:
    try:
        uuid.UUID(alarm_id)
    except ValueError:
        raise NotFound(f"no alarm '{alarm_id}'") from None
    stmt = select(Alarm).where(Alarm.id == alarm_id)
    alarm = session.scalar(stmt.with_for_update() if lock else stmt)
    if alarm is None:
        raise NotFound(f"no alarm '{alarm_id}'")
    return alarm


def get_alarm(session: Session, alarm_id: str) -> dict[str, Any]:
    """One alarm and every event of it, oldest first."""
    alarm = _find(session, alarm_id)
    site = load_sites(session, ids=[alarm.site_id])[alarm.site_id]
    events = session.scalars(
        select(AlarmEvent).where(AlarmEvent.alarm_id == alarm.id).order_by(AlarmEvent.seq)
    )
    doc = alarm_doc(alarm, site)
    doc["events"] = [{k: v for k, v in event_doc(e).items() if k != "alarm"} for e in events]
    return doc


def acknowledge(
    session: Session, alarm_id: str, who: str, note: str | None, now: datetime
) -> tuple[dict[str, Any], bool]:
    """Acknowledge an open alarm; (the alarm, whether an event was written).

    Acknowledging an acknowledged alarm changes nothing; a closed one is a 409.
    """
    alarm = _find(session, alarm_id, lock=True)
    site = load_sites(session, ids=[alarm.site_id])[alarm.site_id]
    if alarm.status == Status.CLOSED:
        raise Conflict(f"alarm {alarm_id} is closed; there is nothing left to acknowledge")
    if alarm.status == Status.ACKNOWLEDGED:
        return alarm_doc(alarm, site), False
    # close_after is irrelevant to an acknowledgement; the writer only numbers the event.
    writer = AlarmWriter(session, now, close_after=timedelta(0))
    writer.acknowledge(alarm, site, who, note)
    writer.flush()
    return alarm_doc(alarm, site), True
