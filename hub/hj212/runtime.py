"""The HJ 212 serve process: TCP server + database registry + ingest sink + backfill worker.

``Hj212Service`` wires the protocol layer (``connectors.hj212.Hj212Server``) to the hub; it is
what ``ecohub hj212 serve`` runs, and what the end-to-end tests start on port 0.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import TypeVar

from sqlalchemy.orm import Session, sessionmaker

from connectors.hj212 import DeviceNotConnectedError, Hj212Server, ServerConfig
from hub.hj212 import backfill as bf
from hub.hj212.convert import DEFAULT_MAX_DATA_AGE
from hub.hj212.gaps import scan_device_gaps
from hub.hj212.registry import DbDeviceRegistry
from hub.hj212.sink import ObservationSink
from hub.ingest.pipeline import IngestPipeline

log = logging.getLogger("hub.hj212")
Clock = Callable[[], datetime]
T = TypeVar("T")


def _utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass
class BackfillCounters:
    """What the backfill worker did, for metrics (monotonic)."""

    gap_scans: int = 0
    gaps_queued: int = 0
    backfill_send_failures: int = 0
    backfill_answers: int = 0
    backfill_errors: int = 0


class BackfillWorker:
    """Periodically: read the loggers' answers, scan for gaps, send queued requests."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        server: Hj212Server,
        registry: DbDeviceRegistry,
        config: bf.BackfillConfig,
        clock: Clock = _utcnow,
    ) -> None:
        self._sessions = sessions
        self._server = server
        self._registry = registry
        self.config = config
        self._clock = clock
        self.counters = BackfillCounters()

    async def run(self) -> None:
        """Run until cancelled; an error in one round is logged and the next round goes on."""
        loop = asyncio.get_running_loop()
        next_scan = loop.time() + self.config.scan_interval
        while True:
            await asyncio.sleep(self.config.poll_interval)
            scan = loop.time() >= next_scan
            if scan:
                next_scan = loop.time() + self.config.scan_interval
            await self.round(scan=scan)

    async def round(self, *, scan: bool) -> None:
        """One round: answers, then (when ``scan``) the gap scan, then sending."""
        try:
            await self.collect_answers()
            if scan:
                await self.scan()
            await self.dispatch()
        except Exception:
            self.counters.backfill_errors += 1
            log.exception("hj212 backfill round failed")

    async def collect_answers(self) -> None:
        """Copy the server's record of 9011/9012 answers into the request rows."""
        qns = await asyncio.to_thread(self._read, bf.in_flight_qns)
        answers = {}
        for qn in qns:
            status = self._server.request_status(qn)
            if status is not None:
                answers[qn] = (status.qn_rtn, status.exe_rtn)
        now = self._clock()
        changed = await asyncio.to_thread(
            self._write, partial(bf.apply_answers, answers=answers, now=now, config=self.config)
        )
        self.counters.backfill_answers += changed

    async def scan(self) -> None:
        """Queue requests for the gaps of every connected logger's site."""
        self.counters.gap_scans += 1
        now = self._clock()
        for mn in self._server.connected_mns():
            profile = await asyncio.to_thread(self._registry.profile, mn)
            if profile is None:
                continue
            queued = await asyncio.to_thread(
                self._write,
                partial(scan_device_gaps, profile=profile, now=now, config=self.config),
            )
            self.counters.gaps_queued += len(queued)
            for doc in queued:
                log.info(
                    "hj212 gap queued for backfill",
                    extra={"mn": mn, "cn": doc["cn"], "begin": doc["begin"], "end": doc["end"]},
                )

    async def dispatch(self) -> None:
        """Send the next queued request of each connected logger that has none in flight."""
        connected = self._server.connected_mns()
        now = self._clock()
        pending = await asyncio.to_thread(
            self._read, partial(bf.next_pending, mns=connected, now=now, config=self.config)
        )
        for req in pending:
            try:
                qn = await self._server.request_history(req.mn, req.cn, req.begin, req.end)
            except DeviceNotConnectedError:
                self.counters.backfill_send_failures += 1
                continue  # stays pending; sent when the logger is back
            await asyncio.to_thread(
                self._write, partial(bf.mark_sent, request_id=req.id, qn=qn, now=self._clock())
            )

    def _read(self, fn: Callable[[Session], T]) -> T:
        with self._sessions() as session:
            return fn(session)

    def _write(self, fn: Callable[[Session], T]) -> T:
        with self._sessions.begin() as session:
            return fn(session)


class Hj212Service:
    """The hub's HJ 212 receiver: ``await svc.start(host, port); await svc.serve_forever()``."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        pipeline: IngestPipeline,
        *,
        config: ServerConfig | None = None,
        backfill: bf.BackfillConfig | None = None,
        registry_ttl: float = 30.0,
        max_data_age: timedelta = DEFAULT_MAX_DATA_AGE,
    ) -> None:
        self.registry = DbDeviceRegistry(sessions, registry_ttl)
        self.sink = ObservationSink(sessions, pipeline, self.registry, max_data_age)
        self.server = Hj212Server(self.registry, self.sink, config)
        self.backfill = BackfillWorker(
            sessions, self.server, self.registry, backfill or bf.BackfillConfig()
        )
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None

    async def start(self, host: str, port: int) -> None:
        """Listen on ``host:port`` (0: any free port, see ``port``)."""
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        await self.server.start(host, port)

    @property
    def port(self) -> int:
        """The bound TCP port."""
        return self.server.port

    async def serve_forever(self) -> None:
        """Serve and run the backfill worker until cancelled or ``stop_threadsafe``."""
        if self._stop is None:
            raise RuntimeError("start() first")
        tasks = [
            asyncio.create_task(self.server.serve_forever()),
            asyncio.create_task(self.backfill.run()),
            asyncio.create_task(self._stop.wait()),
        ]
        try:
            done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
            for task in done:
                if not task.cancelled() and task.exception() is not None:
                    # The listener or the worker died: stop, loudly, rather than limp on.
                    log.error("hj212 receiver task failed", exc_info=task.exception())
        finally:
            for task in tasks:
                task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.gather(*tasks, return_exceptions=True)

    def stop_threadsafe(self) -> None:
        """Ask ``serve_forever`` to return (callable from any thread)."""
        if self._loop is not None and self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)

    async def close(self) -> None:
        """Close the listener and every connection."""
        await self.server.close()

    def counters(self) -> dict[str, int]:
        """Every counter of the server, sink and backfill worker (names are unique)."""
        return {
            **self.server.counters.as_dict(),
            **self.sink.counters.as_dict(),
            **asdict(self.backfill.counters),
            "registry_loads": self.registry.loads,
        }
