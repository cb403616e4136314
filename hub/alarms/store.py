"""Write alarms, their events and the delivery outbox inside the caller's transaction.

``AlarmWriter`` applies verdicts through the pure lifecycle, keeps each event with a
snapshot of the alarm as it stood then, and ``flush`` numbers the events on stream
"alarms" (``next_seq``, commit order) and queues a delivery for every matching
subscription — all in the same transaction as the change itself, so an event is
published if and only if the change committed.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, tuple_
from sqlalchemy.orm import Session

from hub.alarms import lifecycle
from hub.alarms.lookups import load_sites
from hub.alarms.metrics import AlarmMetrics
from hub.alarms.snapshot import alarm_doc
from hub.alarms.types import EventType, Kind, RuleSite, Status, Verdict
from hub.db.alarms import Alarm, AlarmDelivery, AlarmEvent, AlarmSubscription
from hub.feed.commitlog import next_seq

Key = tuple[int, str, str]  # site id, parameter, kind
STREAM = "alarms"


@dataclass
class _Pending:
    alarm: Alarm
    type: EventType
    actor: str | None
    snapshot: dict[str, Any]
    cause: dict[str, Any]


def _span(a: Alarm) -> lifecycle.Span:
    return lifecycle.Span(a.start_at, a.end_at, a.recovery_anchor)


def _cause(v: Verdict) -> dict[str, Any]:
    return {"rule": v.rule, "value": v.value, "at": v.at, "end": v.end, "detail": dict(v.detail)}


class AlarmWriter:
    """Applies verdicts and lifecycle steps to alarms in one session."""

    def __init__(
        self,
        session: Session,
        now: datetime,
        close_after: timedelta,
        metrics: AlarmMetrics | None = None,
    ) -> None:
        self.session, self.now, self.close_after, self.metrics = session, now, close_after, metrics
        self._open: dict[Key, Alarm | None] = {}
        self._sites: dict[int, RuleSite] = {}
        self._pending: list[_Pending] = []
        # Counted only once the transaction commits (see publish_metrics).
        self._tally: list[tuple[str, str]] = []

    def load_open(self, keys: Iterable[Key]) -> None:
        """Fetch (and lock) the open alarms of ``keys`` in one query per 500 keys."""
        wanted = [k for k in set(keys) if k not in self._open]
        for i in range(0, len(wanted), 500):
            chunk = wanted[i : i + 500]
            stmt = (
                select(Alarm)
                .where(
                    Alarm.status != Status.CLOSED,
                    tuple_(Alarm.site_id, Alarm.parameter, Alarm.kind).in_(chunk),
                )
                .with_for_update()
            )
            found = {(a.site_id, a.parameter, a.kind): a for a in self.session.scalars(stmt)}
            for key in chunk:
                self._open[key] = found.get(key)

    def open_alarm(self, site_id: int, parameter: str, kind: Kind) -> Alarm | None:
        key = (site_id, parameter, str(kind))
        if key not in self._open:
            self.load_open([key])
        return self._open[key]

    def apply(self, site: RuleSite, v: Verdict) -> lifecycle.Step:
        """Run ``v`` through the lifecycle for its key and record what happened."""
        self._sites[site.id] = site
        alarm = self.open_alarm(site.id, v.parameter, v.kind)
        step = lifecycle.decide(_span(alarm) if alarm else None, v, self.close_after)
        if step is lifecycle.Step.OPEN:
            self._opened(site, v)
        elif step is lifecycle.Step.EXTEND and alarm is not None:
            span = lifecycle.extended(_span(alarm), v)
            alarm.start_at, alarm.end_at, alarm.recovery_anchor = span.start, span.end, span.anchor
            alarm.last_value = v.value
            alarm.worst_value = lifecycle.worse(alarm.worst_value, v.value, alarm.limit_value)
            alarm.occurrences += 1
            alarm.updated_at = self.now
            self._event(alarm, EventType.EXTENDED, "engine", _cause(v))
        elif step is lifecycle.Step.CLOSE and alarm is not None:
            reason = (
                f"within limits from {alarm.recovery_anchor.isoformat()} to {v.end.isoformat()}"
            )
            self.close(alarm, reason, cause=_cause(v))
        return step

    def _opened(self, site: RuleSite, v: Verdict) -> Alarm:
        span = lifecycle.opened(v)
        alarm = Alarm(
            id=str(uuid.uuid4()),
            kind=str(v.kind),
            site_id=site.id,
            parameter=v.parameter,
            rule=v.rule,
            status=str(Status.OPEN),
            start_at=span.start,
            end_at=span.end,
            recovery_anchor=span.anchor,
            first_value=v.value,
            last_value=v.value,
            worst_value=v.value,
            limit_value=v.limit,
            unit=v.unit,
            target=v.target,
            occurrences=1,
            detail=_jsonable(dict(v.detail)),
            opened_at=self.now,
            opened_by="engine",
            updated_at=self.now,
        )
        self.session.add(alarm)
        self._open[(site.id, v.parameter, str(v.kind))] = alarm
        self._tally.append(("opened", alarm.kind))
        self._event(alarm, EventType.OPENED, "engine", _cause(v))
        return alarm

    def close(
        self, alarm: Alarm, reason: str, by: str = "engine", cause: dict[str, Any] | None = None
    ) -> None:
        """Close ``alarm`` now, saying why."""
        alarm.status = str(Status.CLOSED)
        alarm.closed_at, alarm.closed_by, alarm.close_reason = self.now, by, reason
        alarm.updated_at = self.now
        self._open[(alarm.site_id, alarm.parameter, alarm.kind)] = None
        self._tally.append(("closed", alarm.kind))
        self._event(alarm, EventType.CLOSED, by, cause or {"reason": reason})

    def acknowledge(self, alarm: Alarm, site: RuleSite, who: str, note: str | None) -> None:
        """Mark ``alarm`` acknowledged by ``who`` (the caller checked it is not closed)."""
        self._sites[site.id] = site
        alarm.status = str(Status.ACKNOWLEDGED)
        alarm.acknowledged_at, alarm.acknowledged_by, alarm.ack_note = self.now, who, note
        alarm.updated_at = self.now
        self._event(alarm, EventType.ACKNOWLEDGED, who, {"note": note})

    def _event(
        self, alarm: Alarm, kind: EventType, actor: str | None, cause: dict[str, Any]
    ) -> None:
        if alarm.site_id not in self._sites:
            self._sites.update(load_sites(self.session, ids=[alarm.site_id]))
        snapshot = alarm_doc(alarm, self._sites[alarm.site_id])
        self._pending.append(_Pending(alarm, kind, actor, snapshot, _jsonable(cause)))

    def flush(self) -> list[AlarmEvent]:
        """Number the pending events in commit order and queue their deliveries.

        Call last before commit: ``next_seq`` holds the stream's head lock until then.
        """
        if not self._pending:
            return []
        self.session.flush()  # alarms exist before events refer to them
        subs = list(self.session.scalars(select(AlarmSubscription)))
        events: list[AlarmEvent] = []
        for p in self._pending:
            event_id = str(uuid.uuid4())
            seq = next_seq(self.session, STREAM)
            payload = {
                "event": {
                    "id": event_id,
                    "seq": seq,
                    "type": str(p.type),
                    "at": _iso(self.now),
                    "actor": p.actor,
                    "cause": p.cause,
                },
                "alarm": p.snapshot,
            }
            event = AlarmEvent(
                id=event_id,
                alarm_id=p.alarm.id,
                seq=seq,
                type=str(p.type),
                at=self.now,
                actor=p.actor,
                payload=payload,
            )
            self.session.add(event)
            events.append(event)
            self._tally.append(("events", str(p.type)))
        self.session.flush()
        for event, p in zip(events, self._pending, strict=True):
            for sub in subs:
                if matches(sub, p.snapshot):
                    self.session.add(
                        AlarmDelivery(
                            subscription_id=sub.id,
                            event_id=event.id,
                            event_seq=event.seq,
                            status="pending",
                            attempts=0,
                            next_attempt_at=self.now,
                            created_at=self.now,
                        )
                    )
        self._pending.clear()
        return events

    def publish_metrics(self) -> None:
        """Count what this writer did; call after the transaction committed."""
        if self.metrics is not None:
            for name, label in self._tally:
                getattr(self.metrics, name).labels(label).inc()
        self._tally.clear()


def matches(sub: AlarmSubscription, alarm: dict[str, Any]) -> bool:
    """Whether a subscription's kinds/counties filters let this alarm through."""
    if sub.kinds and alarm.get("kind") not in sub.kinds:
        return False
    return not (sub.counties and alarm.get("county") not in sub.counties)


def _iso(dt: datetime) -> str:
    from hub.timeutil import iso_utc

    return iso_utc(dt)


def _jsonable(value: Any) -> Any:
    """Datetimes as ISO strings, recursively (JSON columns take plain JSON only)."""
    if isinstance(value, datetime):
        return _iso(value)
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value
