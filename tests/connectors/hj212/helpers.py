"""Shared fixtures for the HJ 212 tests: Annex C examples, packet builders, test doubles."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from dataclasses import replace
from pathlib import Path

from connectors.hj212 import (
    AuthFailure,
    AuthResult,
    Delivery,
    DeviceInfo,
    FrameDecoder,
    Hj212Server,
    Packet,
    ServerConfig,
    encode_segment,
)

ANNEX_A_SEGMENT = (
    "QN=20160801085857223;ST=32;CN=1062;PW=100000;MN=010000A8900016F000169DC0;Flag=5;"
    "CP=&&RtdInterval=30&&"
)
# Annex A prints this frame with CRC 1C80 (its prose says "1C08", a transposition typo).
ANNEX_A_FRAME = b"##0101" + ANNEX_A_SEGMENT.encode() + b"1C80\r\n"
MN24 = "010000A8900016F000169DC0"
MN14 = "88888880000001"
PW = "s3cretPW"


def annex_c() -> list[tuple[str, str]]:
    """(table, data segment) for every Annex C example, verbatim."""
    rows = []
    for line in (Path(__file__).parent / "annex_c.txt").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            table, segment = line.split("\t", 1)
            rows.append((table, segment))
    return rows


def annex_c_segment(table: str, index: int = 0) -> str:
    """The ``index``-th example of an Annex C table."""
    return [seg for t, seg in annex_c() if t == table][index]


def segment(
    cn: str = "2051",
    *,
    mn: str = MN24,
    pw: str | None = PW,
    flag: int | None = 5,
    qn: str | None = "20240501101000001",
    st: str = "22",
    cp: str = "DataTime=20240501100000;a21026-Avg=12.5,a21026-Flag=N",
    pnum: int | None = None,
    pno: int | None = None,
) -> str:
    """A data segment with sensible defaults (minute data of an air station)."""
    parts = [
        f"QN={qn}" if qn is not None else None,
        f"ST={st}",
        f"CN={cn}",
        f"PW={pw}" if pw is not None else None,
        f"MN={mn}",
        f"Flag={flag}" if flag is not None else None,
        f"PNUM={pnum}" if pnum is not None else None,
        f"PNO={pno}" if pno is not None else None,
    ]
    return ";".join(p for p in parts if p is not None) + f";CP=&&{cp}&&"


def frame(seg: str) -> bytes:
    """Wrap a data segment in a frame (length + CRC)."""
    return encode_segment(seg)


def without_warnings(packet: Packet) -> Packet:
    """The packet with CP warnings cleared (they describe the input text, not the data)."""
    return replace(packet, cp=replace(packet.cp, warnings=()))


class Registry:
    """Stands in for the hub's device table: MN -> password."""

    def __init__(self, devices: dict[str, str]) -> None:
        self.devices = devices
        self.calls: list[str] = []

    def authenticate(self, mn: str, pw: str) -> AuthResult:
        self.calls.append(mn)
        if mn not in self.devices:
            return AuthFailure.UNKNOWN_MN
        if self.devices[mn] != pw:
            return AuthFailure.BAD_PASSWORD
        return DeviceInfo(mn=mn, station_id=f"station-{mn[-4:]}")


class CredentialRegistry(Registry):
    """A registry with credential stamps and ``recheck``, counting the (slow) verifications."""

    def __init__(self, devices: dict[str, str]) -> None:
        super().__init__(devices)
        self.verifications = 0
        self.rechecks = 0

    def authenticate(self, mn: str, pw: str) -> AuthResult:
        self.verifications += 1
        result = super().authenticate(mn, pw)
        if isinstance(result, DeviceInfo):
            return replace(result, credential=f"stamp:{self.devices[mn]}")
        return result

    def recheck(self, mn: str, credential: str) -> AuthResult:
        self.rechecks += 1
        if mn not in self.devices:
            return AuthFailure.UNKNOWN_MN
        if credential != f"stamp:{self.devices[mn]}":
            return AuthFailure.BAD_PASSWORD
        return DeviceInfo(mn=mn, station_id=f"station-{mn[-4:]}", credential=credential)


class AsyncRegistry:
    """The same registry behind an async method (awaited on the event loop)."""

    def __init__(self, devices: dict[str, str]) -> None:
        self.inner = Registry(devices)

    async def authenticate(self, mn: str, pw: str) -> AuthResult:
        await asyncio.sleep(0)
        return self.inner.authenticate(mn, pw)


class Sink:
    """Async sink double; optional per-delivery hook (delay, failure)."""

    def __init__(self, hook: Callable[[Delivery], object] | None = None) -> None:
        self.deliveries: list[Delivery] = []
        self.hook = hook

    async def __call__(self, delivery: Delivery) -> None:
        if self.hook is not None:
            result = self.hook(delivery)
            if asyncio.iscoroutine(result):
                await result
        self.deliveries.append(delivery)


class Client:
    """A logger simulator on a real TCP connection."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer
        self.decoder = FrameDecoder()
        self.pending: list[Packet] = []

    @classmethod
    async def connect(cls, port: int, source: str | None = None) -> Client:
        """Connect to 127.0.0.1:port, from the loopback address ``source`` if given."""
        local = (source, 0) if source is not None else None
        reader, writer = await asyncio.open_connection("127.0.0.1", port, local_addr=local)
        return cls(reader, writer)

    async def closed_by_server(self, timeout: float = 5.0) -> bool:
        """True when the server closes the connection within ``timeout`` (bounded wait)."""
        try:
            async with asyncio.timeout(timeout):
                while await self.reader.read(4096):
                    pass
        except TimeoutError:
            return False
        except ConnectionError:
            return True
        return True

    async def send(self, data: bytes) -> None:
        self.writer.write(data)
        await self.writer.drain()

    async def receive(self, count: int = 1, timeout: float = 2.0) -> list[Packet]:
        """The next ``count`` packets from the server."""
        async with asyncio.timeout(timeout):
            while len(self.pending) < count:
                data = await self.reader.read(4096)
                if not data:
                    raise ConnectionError("server closed the connection")
                for event in self.decoder.feed(data):
                    assert event.packet is not None, event.error
                    self.pending.append(event.packet)
        out, self.pending = self.pending[:count], self.pending[count:]
        return out

    async def close(self) -> None:
        self.writer.close()
        with contextlib.suppress(ConnectionError, OSError):
            await self.writer.wait_closed()


async def wait_until(condition: Callable[[], bool], timeout: float = 2.0) -> None:
    """Poll ``condition`` until true (fails the test on timeout)."""
    async with asyncio.timeout(timeout):
        while not condition():
            await asyncio.sleep(0.005)


def run_server(
    scenario: Callable[[Hj212Server, Sink], Awaitable[None]],
    *,
    registry: object,
    config: ServerConfig,
    sink: Sink | None = None,
    bound: float = 60.0,
) -> Hj212Server:
    """Start a server on a free port, run ``scenario`` (at most ``bound`` seconds, so a broken
    server fails the test instead of hanging it), close everything; the server is returned
    for its counters."""
    sink = sink or Sink()

    async def main() -> Hj212Server:
        server = Hj212Server(registry, sink, config)  # type: ignore[arg-type]
        await server.start("127.0.0.1", 0)
        try:
            await asyncio.wait_for(scenario(server, sink), bound)
        finally:
            await server.close()
        return server

    return asyncio.run(main())
