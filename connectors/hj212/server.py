"""Asyncio TCP server for HJ 212 loggers, independent of the hub's database.

Per packet: decode -> authenticate MN/PW with the registry -> by command: data goes through
split-packet reassembly to the sink and is acknowledged (9014, if Flag bit A asks) only after the
sink returned; 1013 gets 9013; 9011/9012 update the status of hub requests; everything else is
logged as ignored. Refused or malformed packets are counted and logged but never close the
connection -- loggers resend, and one bad frame must not cut off a station.

Split packets with acks (Annex C table C.50): the logger waits for the 9014 of each part before
sending the next, so non-final parts are acknowledged on receipt; the final part is acknowledged
after the merged packet is stored. If storing fails, the set is kept so a resent final part
completes it again.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import datetime

from connectors.hj212.commands import (
    CommandKind,
    QnFactory,
    build_data_ack,
    build_history_request,
    build_notify_reply,
    classify,
)
from connectors.hj212.connection import (
    Authenticator,
    Connection,
    RequestTracker,
    SinkRunner,
    log,
    log_event,
)
from connectors.hj212.errors import CrcError, FrameError, LengthError
from connectors.hj212.packet import Packet
from connectors.hj212.pipeline import DataPipeline
from connectors.hj212.reassembly import Reassembler
from connectors.hj212.server_types import (
    AsyncDeviceRegistry,
    AuthFailure,
    DeviceInfo,
    DeviceNotConnectedError,
    DeviceRegistry,
    PacketSink,
    RequestStatus,
    ServerConfig,
    ServerCounters,
)
from connectors.hj212.stream import DecodedFrame


class Hj212Server:
    """HJ 212 TCP server: ``async with Hj212Server(registry, sink) as srv: await srv.start()``."""

    def __init__(self, registry: DeviceRegistry | AsyncDeviceRegistry, sink: PacketSink,
                 config: ServerConfig | None = None) -> None:
        self.config = config or ServerConfig()
        self.counters = ServerCounters()
        self._authenticate_mn = Authenticator(registry)
        reassembler = Reassembler(timeout=self.config.reassembly_timeout,
                                  max_sets=self.config.reassembly_max_sets,
                                  max_pnum=self.config.reassembly_max_pnum)
        self._pipeline = DataPipeline(SinkRunner(sink, self.config.sink_timeout), reassembler,
                                      self.counters, self._send)
        self._server: asyncio.Server | None = None
        self._sweeper: asyncio.Task[None] | None = None
        self._conns: dict[asyncio.Task[object], Connection] = {}
        self._by_mn: dict[str, Connection] = {}
        self._requests = RequestTracker(self.config.max_tracked_requests)
        self._qns = QnFactory()

    async def start(self, host: str = "0.0.0.0", port: int = 0) -> None:
        """Listen on ``host:port`` (port 0 picks a free port, see ``port``)."""
        self._server = await asyncio.start_server(self._handle, host, port)
        self._sweeper = asyncio.create_task(self._sweep())
        log_event(logging.INFO, "hj212.listening", host=host, port=self.port)

    @property
    def port(self) -> int:
        """The bound TCP port."""
        if self._server is None or not self._server.sockets:
            raise RuntimeError("server not started")
        return int(self._server.sockets[0].getsockname()[1])

    async def serve_forever(self) -> None:
        """Run until cancelled (``start`` first)."""
        if self._server is None:
            raise RuntimeError("server not started")
        await self._server.serve_forever()

    async def close(self) -> None:
        """Stop listening and close every connection."""
        if self._server is not None:
            self._server.close()
        tasks = [t for t in (self._sweeper, *self._conns) if t is not None]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        if self._server is not None:
            await self._server.wait_closed()

    async def __aenter__(self) -> Hj212Server:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    def connected_mns(self) -> list[str]:
        """MNs that have sent an authenticated packet on a still open connection."""
        return sorted(self._by_mn)

    def request_status(self, qn: str) -> RequestStatus | None:
        """Status of a request sent with ``request_history`` (None if unknown or forgotten)."""
        return self._requests.get(qn)

    async def request_history(self, mn: str, cn: str, begin: datetime, end: datetime) -> str:
        """Ask a connected logger to resend 2051/2061/2031 data from begin to end; return QN."""
        conn = self._by_mn.get(mn)
        if conn is None or conn.last is None:
            raise DeviceNotConnectedError(f"device {mn} is not connected", field="MN")
        last = conn.last
        request = build_history_request(cn=cn, mn=mn, pw=last.pw, st=conn.st or last.st or "91",
                                        begin=begin, end=end, qn=self._qns.next(),
                                        version=last.version or 1)
        if not await self._send(conn, request):
            raise DeviceNotConnectedError(f"device {mn}: sending the request failed", field="MN")
        qn = request.qn or ""
        self._requests.sent(qn, mn, cn)
        self.counters.backfill_requests_sent += 1
        log_event(logging.INFO, "hj212.request_sent", mn=mn, cn=cn, qn=qn, peer=conn.peer)
        return qn

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        conn = Connection(reader, writer, self.config.max_data_len)
        task = asyncio.current_task()
        if task is None or len(self._conns) >= self.config.max_connections:
            self.counters.connections_rejected += 1
            log_event(logging.WARNING, "hj212.connection_rejected", peer=conn.peer)
            writer.close()
            return
        self._conns[task] = conn
        self.counters.connections_opened += 1
        self.counters.connections_active += 1
        log_event(logging.INFO, "hj212.connected", peer=conn.peer)
        try:
            await self._serve(conn)
        except Exception:
            log.exception("hj212.connection_failed peer=%s", conn.peer)
        finally:
            self._conns.pop(task, None)
            for mn in [m for m, c in self._by_mn.items() if c is conn]:
                del self._by_mn[mn]
            self.counters.connections_active -= 1
            self.counters.connections_closed += 1
            writer.close()
            with contextlib.suppress(Exception, asyncio.CancelledError):
                await asyncio.wait_for(writer.wait_closed(), 1.0)
            log_event(logging.INFO, "hj212.disconnected", peer=conn.peer)

    async def _serve(self, conn: Connection) -> None:
        while True:
            try:
                data = await asyncio.wait_for(conn.reader.read(self.config.read_size),
                                              self.config.idle_timeout)
            except TimeoutError:
                self.counters.idle_timeouts += 1
                log_event(logging.INFO, "hj212.idle_timeout", peer=conn.peer)
                return
            except OSError:
                return
            if not data:
                return
            for event in conn.decoder.feed(data):
                if not await self._on_event(conn, event):
                    return

    async def _on_event(self, conn: Connection, event: DecodedFrame) -> bool:
        """Handle one decoded frame; False means the connection must close."""
        if event.error is not None or event.packet is None:
            self._count_error(conn, event)
            return True
        packet = event.packet
        self.counters.frames_received += 1
        device = await self._authenticate(conn, packet)
        if device is None:
            return True
        self.counters.packets_accepted += 1
        conn.last = packet
        if packet.st != "91":
            conn.st = packet.st
        self._by_mn[packet.mn] = conn
        for warning in packet.cp.warnings:
            log_event(logging.DEBUG, "hj212.cp_warning", mn=packet.mn, qn=packet.qn,
                      detail=warning)
        kind = classify(packet.cn, heartbeat_cns=self.config.heartbeat_cns)
        if kind is CommandKind.DATA:
            return await self._pipeline.handle(conn, packet, device)
        if kind is CommandKind.NOTIFICATION:
            self.counters.notifications += 1
            return await self._send(conn, build_notify_reply(packet))
        if kind in (CommandKind.REQUEST_REPLY, CommandKind.EXECUTION_RESULT):
            self.counters.request_replies += 1
            self._requests.answer(packet, kind)
            return True
        if kind is CommandKind.HEARTBEAT:
            self.counters.heartbeats += 1
            ack = packet.ack_requested
            return await self._send(conn, build_notify_reply(packet)) if ack else True
        self.counters.ignored_commands += 1
        log_event(logging.INFO, "hj212.ignored", mn=packet.mn, cn=packet.cn, qn=packet.qn,
                  peer=conn.peer)
        if packet.ack_requested and self.config.ack_ignored:
            return await self._send(conn, build_data_ack(packet))
        return True

    async def _authenticate(self, conn: Connection, packet: Packet) -> DeviceInfo | None:
        pw = packet.pw or ""
        try:
            result = await self._authenticate_mn(packet.mn, pw)
        except Exception as exc:
            self.counters.registry_errors += 1
            log_event(logging.ERROR, "hj212.registry_failed", mn=packet.mn,
                      error=type(exc).__name__)
            return None
        if isinstance(result, DeviceInfo):
            return result
        if result is AuthFailure.BAD_PASSWORD:
            self.counters.refused_bad_password += 1
            reason = "bad_password"
        else:  # AuthFailure.UNKNOWN_MN, or None from a lenient registry
            self.counters.refused_unknown_mn += 1
            reason = "unknown_mn"
        log_event(logging.WARNING, "hj212.refused", reason=reason, mn=packet.mn, cn=packet.cn,
                  qn=packet.qn, peer=conn.peer)
        return None

    def _count_error(self, conn: Connection, event: DecodedFrame) -> None:
        err = event.error
        if isinstance(err, CrcError):
            counter = "crc_errors"
        elif isinstance(err, LengthError):
            counter = "length_errors"
        elif isinstance(err, FrameError):
            counter = "frame_errors"
        else:
            counter = "field_errors"
        setattr(self.counters, counter, getattr(self.counters, counter) + 1)
        self.counters.bytes_discarded += len(event.raw)
        log_event(logging.WARNING, "hj212.frame_rejected", kind=counter, peer=conn.peer,
                  reason=err)

    async def _send(self, conn: Connection, packet: Packet) -> bool:
        try:
            await conn.send(packet, self.config.write_timeout)
        except (OSError, TimeoutError) as exc:
            self.counters.write_errors += 1
            log_event(logging.WARNING, "hj212.write_failed", peer=conn.peer,
                      error=type(exc).__name__)
            return False
        if packet.cn in ("9013", "9014"):
            self.counters.acks_sent += 1
        return True

    async def _sweep(self) -> None:
        # Expire incomplete split sets even when no new parts arrive.
        interval = max(min(self.config.reassembly_timeout / 2, 30.0), 0.05)
        while True:
            await asyncio.sleep(interval)
            self._pipeline.expire()
