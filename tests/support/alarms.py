"""Helpers for alarm tests: push through the real ingest service, a worker, a clock."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from connectors.base import CanonicalObservation
from hub.alarms.config import AlarmConfig
from hub.alarms.metrics import AlarmMetrics
from hub.alarms.signing import SecretBox
from hub.alarms.worker import AlarmWorker
from hub.db.alarms import Alarm, AlarmEvent
from hub.ingest.pipeline import IngestBatch, IngestOutcome, ingest

BOX = SecretBox(b"test-alarm-key")
Row = (
    tuple[str, str, datetime, str, float | None] | tuple[str, str, datetime, str, float | None, str]
)


def push(
    db: sessionmaker[Session], rows: Iterable[Row], now: datetime | None = None
) -> IngestOutcome:
    """Push (site, parameter, time, period, value[, flag]) rows as the environment department."""
    obs = [
        (
            f"observations[{i}]",
            CanonicalObservation(r[0], r[1], r[2], r[3], r[4], r[5] if len(r) > 5 else "N"),
        )
        for i, r in enumerate(rows)
    ]
    payload = repr(obs).encode()
    batch = IngestBatch(
        department="environment",
        client_id="test",
        channel="test",
        payload=payload,
        request_hash=hashlib.sha256(payload).hexdigest(),
        received=len(obs),
        observations=obs,
    )
    return ingest(db, batch, now or datetime.now(UTC))


@dataclass
class Clock:
    now: datetime = field(default_factory=lambda: datetime(2026, 11, 3, 12, tzinfo=UTC))

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@dataclass
class Receiver:
    """A sender that records what it was given and answers from a script (default 200)."""

    script: list[int | Exception] = field(default_factory=list)
    calls: list[tuple[str, bytes, dict[str, str]]] = field(default_factory=list)

    def __call__(self, url: str, body: bytes, headers: dict[str, str]) -> int:
        self.calls.append((url, body, headers))
        answer = self.script.pop(0) if self.script else 200
        if isinstance(answer, Exception):
            raise answer
        return answer


def worker(
    db: sessionmaker[Session], clock: Clock | None = None, sender: Any = None, **config: Any
) -> AlarmWorker:
    settings = {"worker": False, "gap_sweep_seconds": 0, "falsification_sweep_seconds": 0, **config}
    return AlarmWorker(
        db,
        AlarmConfig(**settings),
        BOX,
        AlarmMetrics(),
        sender=sender or Receiver(),
        clock=clock or Clock(),
    )


def alarms(db: sessionmaker[Session]) -> list[Alarm]:
    with db() as s:
        return list(s.scalars(select(Alarm).order_by(Alarm.start_at, Alarm.kind)))


def events(db: sessionmaker[Session]) -> list[AlarmEvent]:
    with db() as s:
        return list(s.scalars(select(AlarmEvent).order_by(AlarmEvent.seq)))
