"""Asyncio TCP server for HJ 212 loggers, independent of the hub's database.

Per packet: decode -> authenticate MN/PW with the registry -> by command: data goes through
split-packet reassembly to the sink and is acknowledged (9014, if Flag bit A asks) only after the
sink returned; 1013 gets 9013; 9011/9012 update the status of hub requests; everything else is
logged as ignored. Refused or malformed packets are counted and logged but never close the
connection -- loggers resend, and one bad frame must not cut off a station.

Abuse limits (``ServerConfig``): a cap of connections per IP and in total; a connection that
has not sent an authenticated packet within ``login_deadline`` is closed, so idle or garbage
sockets cannot hold the slots real loggers need; ``lockout_attempts`` wrong PWs lock that MN
and that IP out for ``lockout_duration`` (refused before the registry is asked, logged once);
warnings are rate limited per connection, with the count of suppressed lines logged. A PW
verified on a connection is remembered there (see ``CredentialRecheck``), so the registry's
slow KDF runs once per connection, not once per packet.

Split packets with acks (Annex C table C.50): the logger waits for the 9014 of each part before
sending the next, so non-final parts are acknowledged on receipt; the final part is acknowledged
after the merged packet is stored. If storing fails, the set is kept so a resent final part
completes it again.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
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
    flush_suppressed,
    log,
    log_event,
    log_limited,
)
from connectors.hj212.errors import CrcError, FrameError, LengthError
from connectors.hj212.guard import Lockout, LogLimit, PeerCount
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
        cfg = self.config
        self._peers = PeerCount(cfg.max_connections_per_ip)
        self._lockout = Lockout(cfg.lockout_attempts, cfg.lockout_window, cfg.lockout_duration)
        # Connection events of not (yet) authenticated peers share one budget: a flood of
        # connections must not flood the log either.
        self._conn_log = LogLimit(cfg.log_burst, cfg.log_interval)

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
        cfg = self.config
        conn = Connection(reader, writer, cfg.max_data_len, LogLimit(cfg.log_burst,
                                                                     cfg.log_interval))
        task = asyncio.current_task()
        reason = counter = ""
        if task is None or len(self._conns) >= cfg.max_connections:
            reason, counter = "max_connections", "connections_rejected"
        elif not self._peers.acquire(conn.host):
            reason, counter = "max_connections_per_ip", "connections_rejected_per_ip"
        if task is None or reason:
            setattr(self.counters, counter, getattr(self.counters, counter) + 1)
            self._conn_event(logging.WARNING, "hj212.connection_rejected", peer=conn.peer,
                             reason=reason)
            writer.close()
            return
        self._conns[task] = conn
        self.counters.connections_opened += 1
        self.counters.connections_active += 1
        self._conn_event(logging.INFO, "hj212.connected", peer=conn.peer)
        try:
            await self._serve(conn)
        except Exception:
            log.exception("hj212.connection_failed peer=%s", conn.peer)
        finally:
            self._conns.pop(task, None)
            self._peers.release(conn.host)
            for mn in [m for m, c in self._by_mn.items() if c is conn]:
                del self._by_mn[mn]
            self.counters.connections_active -= 1
            self.counters.connections_closed += 1
            writer.close()
            with contextlib.suppress(Exception, asyncio.CancelledError):
                await asyncio.wait_for(writer.wait_closed(), 1.0)
            flush_suppressed(conn)
            if conn.authenticated:
                log_event(logging.INFO, "hj212.disconnected", peer=conn.peer)
            else:
                self._conn_event(logging.INFO, "hj212.disconnected", peer=conn.peer)

    def _conn_event(self, level: int, event: str, **fields: object) -> None:
        if not self._conn_log.allow():
            self.counters.log_lines_suppressed += 1
            return
        dropped = self._conn_log.take_suppressed()
        if dropped:
            log_event(logging.WARNING, "hj212.log_suppressed", scope="connections",
                      lines=dropped)
        log_event(level, event, **fields)

    async def _serve(self, conn: Connection) -> None:
        cfg = self.config
        loop = asyncio.get_running_loop()
        deadline = loop.time() + cfg.login_deadline if cfg.login_deadline > 0 else None
        while True:
            timeout, login = cfg.idle_timeout, False
            if deadline is not None and not conn.authenticated:
                # Garbage keeps a read from timing out: the deadline is counted from connect.
                remaining = deadline - loop.time()
                if remaining < timeout:
                    timeout, login = max(remaining, 0.0), True
            try:
                data = await asyncio.wait_for(conn.reader.read(cfg.read_size), timeout)
            except TimeoutError:
                if login:
                    self.counters.login_timeouts += 1
                    self._conn_event(logging.INFO, "hj212.login_timeout", peer=conn.peer,
                                     seconds=cfg.login_deadline)
                else:
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
        conn.authenticated = True
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
        pw, mn = packet.pw or "", packet.mn
        keys = (f"mn:{mn}", f"ip:{conn.host}")
        try:
            known = await self._known_on_connection(conn, mn, pw)
            if known is not None:
                return known
            if self._lockout.locked(*keys):
                # Refused before the registry is asked; logged once, when the lock began.
                self.counters.refused_locked_out += 1
                return None
            result = await self._authenticate_mn(mn, pw)
        except Exception as exc:
            self.counters.registry_errors += 1
            log_limited(conn, self.counters, logging.ERROR, "hj212.registry_failed", mn=mn,
                        error=type(exc).__name__)
            return None
        if isinstance(result, DeviceInfo):
            # Earlier failures are not forgiven by a success: whoever guesses cannot reset the
            # count with a login of their own (they age out of the window instead).
            if result.credential is not None:
                if len(conn.verified) >= 16:
                    conn.verified.clear()
                conn.verified[mn] = (pw, result.credential)
            return result
        if result is AuthFailure.BAD_PASSWORD:
            self.counters.refused_bad_password += 1
            reason = "bad_password"
            locked = self._lockout.failed(*keys)
        else:  # AuthFailure.UNKNOWN_MN, or None from a lenient registry
            self.counters.refused_unknown_mn += 1
            reason = "unknown_mn"
            locked = self._lockout.failed(keys[1])  # no entry per made-up MN: bounded
        log_limited(conn, self.counters, logging.WARNING, "hj212.refused", reason=reason,
                    mn=mn, cn=packet.cn, qn=packet.qn, peer=conn.peer)
        for key in locked:
            self.counters.lockouts += 1
            log_event(logging.WARNING, "hj212.locked_out", key=key, peer=conn.peer,
                      attempts=self.config.lockout_attempts,
                      seconds=self.config.lockout_duration)
        return None

    async def _known_on_connection(self, conn: Connection, mn: str,
                                   pw: str) -> DeviceInfo | None:
        """The device, when this connection already proved this PW and it is still valid.

        A logger that proved its PW keeps working while someone else's guesses lock the MN.
        """
        verified = conn.verified.get(mn)
        if verified is None or not hmac.compare_digest(verified[0].encode(), pw.encode()):
            return None
        result = await self._authenticate_mn.recheck(mn, verified[1])
        if isinstance(result, DeviceInfo):
            return result
        del conn.verified[mn]  # disabled, or the PW changed: verify from scratch
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
        log_limited(conn, self.counters, logging.WARNING, "hj212.frame_rejected", kind=counter,
                    peer=conn.peer, reason=err)

    async def _send(self, conn: Connection, packet: Packet) -> bool:
        try:
            await conn.send(packet, self.config.write_timeout)
        except (OSError, TimeoutError) as exc:
            self.counters.write_errors += 1
            log_limited(conn, self.counters, logging.WARNING, "hj212.write_failed", peer=conn.peer,
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
