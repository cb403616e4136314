"""Server internals: one client connection, the registry/sink adapters, structured logging."""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections import OrderedDict
from collections.abc import Callable
from datetime import UTC, datetime

from connectors.hj212.commands import CommandKind
from connectors.hj212.frame import encode_packet
from connectors.hj212.guard import LogLimit
from connectors.hj212.packet import Packet
from connectors.hj212.server_types import (
    AsyncDeviceRegistry,
    AuthFailure,
    Delivery,
    DeviceRegistry,
    PacketSink,
    RequestStatus,
    ServerCounters,
)
from connectors.hj212.stream import FrameDecoder

log = logging.getLogger("connectors.hj212")


def log_event(level: int, event: str, **fields: object) -> None:
    """Log ``event key=value ...``; the fields also go in ``extra`` for JSON formatters.

    Callers never pass PW: it is a credential.
    """
    text = " ".join(f"{k}={v}" for k, v in fields.items() if v is not None)
    log.log(level, "%s %s", event, text, extra={"hj212_event": event, "hj212": fields})


def log_limited(conn: Connection, counters: ServerCounters, level: int, event: str,
                **fields: object) -> None:
    """``log_event`` within the connection's line budget (garbage must not flood the log).

    Lines over the budget are counted; the count is logged once, with the next line allowed.
    """
    if not conn.log_limit.allow():
        counters.log_lines_suppressed += 1
        return
    flush_suppressed(conn)
    log_event(level, event, **fields)


def flush_suppressed(conn: Connection) -> None:
    """Log how many lines the connection's budget swallowed since the last such line."""
    dropped = conn.log_limit.take_suppressed()
    if dropped:
        log_event(logging.WARNING, "hj212.log_suppressed", peer=conn.peer, lines=dropped)


def is_async_callable(func: object) -> bool:
    """True for ``async def`` functions and objects with an ``async def __call__``."""
    return inspect.iscoroutinefunction(func) or inspect.iscoroutinefunction(
        getattr(func, "__call__", None))  # noqa: B004 - looking for async __call__


class Connection:
    """State of one logger connection."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                 max_data_len: int, log_limit: LogLimit | None = None) -> None:
        self.reader, self.writer = reader, writer
        name = writer.get_extra_info("peername")
        self.peer = f"{name[0]}:{name[1]}" if isinstance(name, tuple) else str(name)
        self.host = str(name[0]) if isinstance(name, tuple) else str(name)
        self.log_limit = log_limit or LogLimit(20, 60.0)
        self.authenticated = False  # has sent at least one accepted packet
        # MN -> (PW, credential stamp) verified on this connection: later packets with the same
        # PW skip the slow KDF (see CredentialRecheck). Bounded: a DTU carries a few MNs.
        self.verified: dict[str, tuple[str, str]] = {}
        self.decoder = FrameDecoder(max_data_len=max_data_len)
        self.lock = asyncio.Lock()  # replies and hub requests must not interleave on the wire
        self.last: Packet | None = None  # last authenticated packet, for requests to this MN
        self.st: str | None = None  # the logger's own ST (not 91), for requests

    async def send(self, packet: Packet, timeout: float) -> None:
        """Write one packet; a peer that does not read within ``timeout`` raises TimeoutError."""
        data = encode_packet(packet)
        async with self.lock:
            self.writer.write(data)
            await asyncio.wait_for(self.writer.drain(), timeout)


class Authenticator:
    """Calls a sync registry in a worker thread, or awaits an async one."""

    def __init__(self, registry: DeviceRegistry | AsyncDeviceRegistry) -> None:
        self._registry = registry

    async def __call__(self, mn: str, pw: str) -> object:
        """The registry's answer (DeviceInfo, AuthFailure or None); registry errors propagate."""
        return await _call(self._registry.authenticate, mn, pw)

    async def recheck(self, mn: str, credential: str) -> object:
        """The registry's ``recheck`` answer; UNKNOWN_MN when it has none (verify again)."""
        method = getattr(self._registry, "recheck", None)
        if method is None:
            return AuthFailure.UNKNOWN_MN
        return await _call(method, mn, credential)


async def _call(method: Callable[..., object], *args: str) -> object:
    if is_async_callable(method):
        pending = method(*args)
        return await pending if inspect.isawaitable(pending) else pending
    return await asyncio.to_thread(method, *args)


class SinkRunner:
    """Calls a sync sink in a worker thread, or awaits an async one, with a timeout."""

    def __init__(self, sink: PacketSink, timeout: float | None) -> None:
        self._sink = sink
        self._async = is_async_callable(sink)
        self._timeout = timeout

    async def __call__(self, delivery: Delivery) -> None:
        """Return when the sink has stored ``delivery``; raise if it failed or timed out."""
        if self._async:
            result = self._sink(delivery)
            if inspect.isawaitable(result):
                await asyncio.wait_for(result, self._timeout)
            return
        await asyncio.wait_for(asyncio.to_thread(self._sink, delivery), self._timeout)


class RequestTracker:
    """Remembers recent hub -> logger requests and records the logger's 9011/9012 answers."""

    def __init__(self, limit: int) -> None:
        self._limit = limit
        self._requests: OrderedDict[str, RequestStatus] = OrderedDict()

    def sent(self, qn: str, mn: str, cn: str) -> RequestStatus:
        """Track a request just sent (the oldest is forgotten beyond the limit)."""
        status = RequestStatus(qn=qn, mn=mn, cn=cn, sent_at=datetime.now(UTC))
        self._requests[qn] = status
        while len(self._requests) > self._limit:
            self._requests.popitem(last=False)
        return status

    def get(self, qn: str) -> RequestStatus | None:
        """The tracked request with this QN, if any."""
        return self._requests.get(qn)

    def answer(self, packet: Packet, kind: CommandKind) -> None:
        """Record a 9011 (QnRtn) or 9012 (ExeRtn) received from a logger, and log it."""
        status = self._requests.get(packet.qn or "")
        name = "QnRtn" if kind is CommandKind.REQUEST_REPLY else "ExeRtn"
        value = packet.cp.fields.get(name, "")
        if status is not None and status.mn == packet.mn and value.isdigit():
            if kind is CommandKind.REQUEST_REPLY:
                status.qn_rtn = int(value)
            else:
                status.exe_rtn = int(value)
        log_event(logging.INFO, "hj212.request_reply", mn=packet.mn, qn=packet.qn, cn=packet.cn,
                  result=f"{name}={value}", known=status is not None)
