"""The alarm worker: evaluate the observation feed after commit, then deliver the outbox.

Guarantees:
- *After commit, never in the ingest path.* The engine reads the commit-ordered feed, so it
  only ever sees committed observations; an ingest's after-commit hook merely wakes it.
- *Single writer.* Each round locks the engine's state row, which a migration seeds
  (PostgreSQL: ``FOR UPDATE SKIP LOCKED``; SQLite: the first statement is a write, which
  takes the database's single write lock). A worker that finds the row locked skips the
  round.
- *Crash recovery.* Alarms, events, queued deliveries and the new cursor commit in one
  transaction; a crash rolls all of them back and the next round re-reads the same page.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from hub.alarms.config import AlarmConfig
from hub.alarms.delivery import Deliverer, HttpSender, Sender
from hub.alarms.engine import evaluate_page
from hub.alarms.metrics import AlarmMetrics
from hub.alarms.signing import SecretBox
from hub.alarms.store import AlarmWriter
from hub.alarms.sweep import sweep_falsification, sweep_gaps
from hub.db.alarms import AlarmEngineState

log = logging.getLogger("hub.alarms")
ENGINE = "default"


def utcnow() -> datetime:
    return datetime.now(UTC)


def _due(last: datetime | None, every: float, now: datetime) -> bool:
    return every > 0 and (last is None or now - last >= timedelta(seconds=every))


class MissingStateRow(RuntimeError):
    """The engine's state row is absent: the database is not migrated to the current head."""


def lock_state(session: Session, name: str = ENGINE) -> AlarmEngineState | None:
    """The engine's state row, locked for this transaction; None if another worker has it.

    The row is seeded by a migration (0010), never inserted here: a worker that inserted
    it would hold an uncommitted row that a second worker's insert blocks on.
    """
    st = AlarmEngineState
    if session.get_bind().dialect.name == "sqlite":
        # A write first: SQLite then holds its one write lock until this transaction ends.
        done = session.execute(update(st).where(st.name == name).values(name=name))
        if not getattr(done, "rowcount", 0):
            raise MissingStateRow(f"no alarm engine state {name!r}: run 'ecohub db upgrade'")
        return session.get(st, name)
    row = session.scalar(select(st).where(st.name == name).with_for_update(skip_locked=True))
    if row is None and session.scalar(select(st.name).where(st.name == name)) is None:
        raise MissingStateRow(f"no alarm engine state {name!r}: run 'ecohub db upgrade'")
    return row  # None: exists and is locked by another worker


class AlarmWorker:
    """Runs evaluation rounds and delivery passes, in a thread or in the foreground."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        config: AlarmConfig,
        box: SecretBox,
        metrics: AlarmMetrics | None = None,
        *,
        sender: Sender | None = None,
        clock: Callable[[], datetime] = utcnow,
        name: str = ENGINE,
    ) -> None:
        self.sessions, self.config, self.metrics, self.clock, self.name = (
            sessions,
            config,
            metrics,
            clock,
            name,
        )
        self._http: HttpSender | None = None
        if sender is None:  # the real one: only to targets the egress policy allows
            self._http = HttpSender(config.delivery_timeout_seconds, config.egress())
        owner = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        send = sender if sender is not None else self._http
        assert send is not None
        self.deliverer = Deliverer(sessions, box, send, config, owner, clock, metrics)
        # Called after a round that wrote events commits (wakes alarm-feed long polls).
        self.listeners: list[Callable[[], None]] = []
        self._wake = threading.Event()
        self._stop = threading.Event()
        self.deliverer.stopping = self._stop.is_set
        self._thread: threading.Thread | None = None
        self._last_error: str | None = None

    def run_once(self) -> int | None:
        """One round: due sweeps and one feed page. Items read, or None when locked out."""
        now = self.clock()
        with self.sessions.begin() as session:
            state = lock_state(session, self.name)
            if state is None:
                return None
            writer = AlarmWriter(session, now, self.config.close_after, self.metrics)
            if _due(state.last_gap_sweep_at, self.config.gap_sweep_seconds, now):
                sweep_gaps(session, writer)
                state.last_gap_sweep_at = now
            if _due(
                state.last_falsification_sweep_at, self.config.falsification_sweep_seconds, now
            ):
                sweep_falsification(session, writer, self.config, now)
                state.last_falsification_sweep_at = now
            read, cursor = evaluate_page(session, state.cursor, self.config, writer)
            state.cursor, state.evaluated, state.last_run_at = cursor, state.evaluated + read, now
            state.last_error = None
            events = writer.flush()  # last: takes the alarm stream's commit-order lock
        writer.publish_metrics()
        if self.metrics:
            self.metrics.evaluated.inc(read)
        if events:
            for listener in self.listeners:
                listener()
        return read

    def catch_up(self, max_rounds: int = 10_000) -> int:
        """Evaluate until the feed is exhausted (or another worker holds the lock)."""
        total = 0
        for _ in range(max_rounds):
            if self._stop.is_set():
                break
            read = self.run_once()
            if not read:
                break
            total += read
        return total

    def step(self) -> None:
        """Catch up, then deliver; errors are logged and retried on the next step."""
        for stage, action in (("evaluate", self.catch_up), ("deliver", self.deliverer.run_pass)):
            if self._stop.is_set():
                return
            try:
                action()
            except Exception as exc:
                # The same failure every poll (database not migrated yet, say) is logged
                # once with its trace, then quietly until it changes.
                again = self._last_error == repr(exc)
                self._last_error = repr(exc)
                log.log(
                    logging.DEBUG if again else logging.ERROR,
                    "alarm worker round failed",
                    exc_info=not again,
                    extra={"stage": stage, "error": repr(exc)},
                )
                if self.metrics:
                    self.metrics.errors.labels(stage).inc()
                self._record_error(stage, exc)

    def _record_error(self, stage: str, exc: Exception) -> None:
        try:
            with self.sessions.begin() as s:
                s.execute(
                    update(AlarmEngineState)
                    .where(AlarmEngineState.name == self.name)
                    .values(last_error=f"{stage}: {type(exc).__name__}: {exc}"[:2000])
                )
        except Exception:
            log.debug("could not record the worker error", exc_info=True)

    def wake(self, _outcome: Any = None) -> None:
        """Run the next round now (an ingest committed); used as an after-commit hook."""
        self._wake.set()

    def run_forever(self) -> None:
        while not self._stop.is_set():
            self._wake.clear()
            self.step()
            self._wake.wait(self.config.poll_seconds)

    def start(self) -> None:
        self._thread = threading.Thread(target=self.run_forever, name="alarm-worker", daemon=True)
        self._thread.start()

    def request_stop(self) -> None:
        """Ask the loop to stop after the current round (safe from a signal handler)."""
        self._stop.set()
        self._wake.set()

    def stop(self, timeout: float = 30.0) -> None:
        """Finish the current round and stop; closes the HTTP client."""
        self.request_stop()
        if self._thread is not None:
            self._thread.join(timeout)
        if self._http is not None:
            self._http.close()
