"""HJ 212 test helpers: packet builders, a blocking logger simulator, test sites and devices."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from connectors.hj212 import BEIJING, FrameDecoder, Packet, encode_segment, format_hj_time
from hub.reference.sites import register_sites

MN_AIR = "YJAIRC01HJ212TEST0000001"  # 24 characters
MN_SOURCE = "88888880000001"  # 14 characters
PW_AIR = "air123"
PW_SOURCE = "src456"
AIR_SITE = "YJ-AIR-C01"
SOURCE_SITE = "PS-HJ212-TEST"


def segment(
    cn: str,
    cp: str,
    *,
    mn: str = MN_AIR,
    pw: str | None = PW_AIR,
    qn: str | None = None,
    flag: int | None = 5,
    st: str = "22",
    pnum: int | None = None,
    pno: int | None = None,
) -> str:
    """A data segment; ``cp`` is the text between ``CP=&&`` and ``&&``."""
    head = [
        ("QN", qn),
        ("ST", st),
        ("CN", cn),
        ("PW", pw),
        ("MN", mn),
        ("Flag", flag),
        ("PNUM", pnum),
        ("PNO", pno),
    ]
    items = [f"{k}={v}" for k, v in head if v is not None]
    return ";".join(items) + f";CP=&&{cp}&&"


def frame(seg: str) -> bytes:
    """The segment framed with its length and CRC."""
    return encode_segment(seg)


def hj(t: datetime) -> str:
    """An HJ 212 time (Beijing)."""
    return format_hj_time(t.astimezone(BEIJING))


def recent_hour(hours_ago: int = 3) -> datetime:
    """The start of a whole hour some hours ago (UTC)."""
    now = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    return now - timedelta(hours=hours_ago)


def register_source_site(session: Session, code: str = SOURCE_SITE) -> None:
    """A key pollution source of the environment department (network pollution-source)."""
    report = register_sites(
        session,
        "environment",
        [
            {
                "code": code,
                "name_zh": "测试废气排放口",
                "name_en": "Test stack outlet",
                "network": "pollution-source",
                "county": None,
                "latitude": 21.86,
                "longitude": 111.97,
            }
        ],
    )
    assert not report["errors"], report


class Logger:
    """A data logger on a real TCP connection (blocking socket)."""

    def __init__(self, port: int, timeout: float = 5.0) -> None:
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.decoder = FrameDecoder()
        self.pending: list[Packet] = []

    def send(self, data: bytes) -> None:
        self.sock.sendall(data)

    def send_bytewise(self, data: bytes, pause: float = 0.0005) -> None:
        """One byte per write, so the server sees the frame across many reads."""
        for i in range(len(data)):
            self.sock.sendall(data[i : i + 1])
            time.sleep(pause)

    def receive(self, count: int = 1, timeout: float = 5.0) -> list[Packet]:
        """The next ``count`` packets from the hub."""
        deadline = time.monotonic() + timeout
        while len(self.pending) < count:
            self.sock.settimeout(max(deadline - time.monotonic(), 0.01))
            data = self.sock.recv(4096)
            if not data:
                raise ConnectionError("the hub closed the connection")
            for event in self.decoder.feed(data):
                assert event.packet is not None, event.error
                self.pending.append(event.packet)
        out, self.pending = self.pending[:count], self.pending[count:]
        return out

    def quiet(self, seconds: float = 0.3) -> bool:
        """True when nothing arrives within ``seconds`` (and the connection is still open)."""
        self.sock.settimeout(seconds)
        try:
            data = self.sock.recv(4096)
        except TimeoutError:
            return True
        if data:
            self.pending.extend(e.packet for e in self.decoder.feed(data) if e.packet)
        return False

    def closed_by_hub(self, timeout: float) -> bool:
        """True when the hub closes the connection within ``timeout``."""
        self.sock.settimeout(timeout)
        try:
            return self.sock.recv(4096) == b""
        except TimeoutError:
            return False
        except ConnectionResetError:
            return True

    def close(self) -> None:
        self.sock.close()

    def __enter__(self) -> Logger:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


class ServeThread:
    """Runs a receiver in a thread with its own event loop, as ``ecohub hj212 serve`` would.

    ``run(ready)`` is a coroutine function that starts the service, calls ``ready(service)``
    once it listens and serves until stopped (``service.stop_threadsafe()``).
    """

    def __init__(self, run: Callable[[Callable[[Any], None]], Awaitable[None]]) -> None:
        self._run = run
        self.service: Any = None
        self.error: BaseException | None = None
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._main, name="hj212-serve", daemon=True)

    def _main(self) -> None:
        try:
            asyncio.run(self._run(self._on_ready))
        except BaseException as exc:
            self.error = exc
        finally:
            self._ready.set()

    def _on_ready(self, service: Any) -> None:
        self.service = service
        self._ready.set()

    def start(self, timeout: float = 30.0) -> Any:
        self._thread.start()
        assert self._ready.wait(timeout), "the receiver did not start"
        if self.service is None:
            raise RuntimeError("the receiver failed to start") from self.error
        return self.service

    def stop(self) -> None:
        if self.service is not None:
            self.service.stop_threadsafe()
        self._thread.join(10)
        assert not self._thread.is_alive(), "the receiver did not stop"
        if self.error is not None:
            raise self.error
