"""The receiver under abuse, over real sockets: idle and garbage connections, PW guessing, log
floods (issue 14, findings 4 and 7). Loopback addresses other than 127.0.0.1 stand for other
hosts."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

import pytest

from connectors.hj212 import Hj212Server, ServerConfig

from .helpers import (
    MN14,
    MN24,
    PW,
    Client,
    CredentialRegistry,
    Registry,
    Sink,
    frame,
    run_server,
    segment,
    wait_until,
)

DEVICES = {MN24: PW, MN14: "pw14"}
MINUTE = "DataTime=20240501100000;a21026-Avg=12.5,a21026-Flag=N"
OTHER_HOST = "127.0.0.2"


def run(
    scenario: Callable[[Hj212Server, Sink], Awaitable[None]],
    config: ServerConfig | None = None,
    registry: object = None,
) -> Hj212Server:
    """Run ``scenario`` against a server with these devices (the default limits unless
    ``config`` says otherwise)."""
    return run_server(
        scenario, registry=registry or Registry(dict(DEVICES)), config=config or ServerConfig()
    )


def data(qn: str, *, mn: str = MN24, pw: str = PW) -> bytes:
    return frame(segment(qn=qn, mn=mn, pw=pw, cp=MINUTE))


async def acked(client: Client, qn: str, **who: str) -> bool:
    """Send a data packet and say whether its 9014 came back."""
    await client.send(data(qn, **who))
    (ack,) = await client.receive(timeout=5)
    return ack.qn == qn


def test_per_ip_connection_cap_keeps_room_for_other_loggers() -> None:
    async def scenario(server: Hj212Server, sink: Sink) -> None:
        idle = [await Client.connect(server.port) for _ in range(20)]
        extra = await Client.connect(server.port)
        assert await extra.closed_by_server()  # the 21st from one address is refused
        other = await Client.connect(server.port, OTHER_HOST)
        assert await acked(other, "20240501100000001")  # another address still gets in
        for client in (*idle, extra, other):
            await client.close()

    server = run(scenario)  # the defaults: 20 per IP
    assert server.counters.connections_rejected_per_ip == 1


def test_connections_that_never_log_in_are_closed_at_the_deadline() -> None:
    config = ServerConfig(login_deadline=0.3, idle_timeout=60)

    async def scenario(server: Hj212Server, sink: Sink) -> None:
        logger = await Client.connect(server.port)
        assert await acked(logger, "20240501100000001")
        silent = await Client.connect(server.port)
        noisy = await Client.connect(server.port)

        async def babble() -> None:  # garbage keeps the socket busy, never a valid packet
            while True:
                await noisy.send(b"AT+CSQ\r\n" + data("1")[:-6] + b"ABCD\r\n")
                await asyncio.sleep(0.02)

        chatter = asyncio.create_task(babble())
        assert await silent.closed_by_server()
        assert await noisy.closed_by_server()
        chatter.cancel()
        await asyncio.gather(chatter, return_exceptions=True)
        # The logger that logged in is past the deadline too, and is still served.
        assert await acked(logger, "20240501100000002")
        for client in (logger, silent, noisy):
            await client.close()

    server = run(scenario, config)
    assert server.counters.login_timeouts == 2
    assert server.counters.idle_timeouts == 0


def test_wrong_passwords_lock_the_mn_and_the_ip_out(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="connectors.hj212")
    registry = Registry(dict(DEVICES))

    async def scenario(server: Hj212Server, sink: Sink) -> None:
        c = server.counters
        guesser = await Client.connect(server.port)
        await guesser.send(b"".join(data(f"{i:017d}", pw=f"{i:06d}") for i in range(300)))
        await wait_until(lambda: c.refused_bad_password + c.refused_locked_out == 300, 10)
        assert c.refused_bad_password == 10  # the registry was asked 10 times, then no more
        # The right PW now: refused for that MN from any address, and for any MN from there.
        await guesser.send(data("20240501100000001"))
        await wait_until(lambda: c.refused_locked_out == 291, 5)
        elsewhere = await Client.connect(server.port, OTHER_HOST)
        await elsewhere.send(data("20240501100000002"))
        await wait_until(lambda: c.refused_locked_out == 292, 5)
        await guesser.send(data("20240501100000003", mn=MN14, pw="pw14"))
        await wait_until(lambda: c.refused_locked_out == 293, 5)
        # Another MN from another address is not affected.
        assert await acked(elsewhere, "20240501100000004", mn=MN14, pw="pw14")
        assert sink.deliveries and all(d.device.mn == MN14 for d in sink.deliveries)
        for client in (guesser, elsewhere):
            await client.close()

    server = run(scenario, registry=registry)
    assert server.counters.lockouts == 2
    assert registry.calls.count(MN24) == 10
    locked = [r.getMessage() for r in caplog.records if "hj212.locked_out" in r.getMessage()]
    assert len(locked) == 2  # once per locked MN / IP, not once per refused packet
    assert any(f"key=mn:{MN24}" in m for m in locked)
    assert any("key=ip:127.0.0.1" in m for m in locked)


def test_lockout_ends() -> None:
    config = ServerConfig(lockout_attempts=3, lockout_duration=0.3)

    async def scenario(server: Hj212Server, sink: Sink) -> None:
        client = await Client.connect(server.port)
        await client.send(b"".join(data(f"{i:017d}", pw="wrong") for i in range(3)))
        await client.send(data("20240501100000001"))
        await wait_until(lambda: server.counters.refused_locked_out == 1, 5)
        qn = 20240501100000002
        async with asyncio.timeout(10):  # bounded: the lock lasts 0.3 s
            while not sink.deliveries:
                await client.send(data(str(qn)))
                await asyncio.sleep(0.05)
                qn += 1
        await client.close()

    run(scenario, config)


def test_a_proven_connection_verifies_once_and_survives_a_lockout() -> None:
    registry = CredentialRegistry(dict(DEVICES))

    async def scenario(server: Hj212Server, sink: Sink) -> None:
        logger = await Client.connect(server.port)
        for i in range(5):
            assert await acked(logger, f"2024050110000000{i}")
        assert (registry.verifications, registry.rechecks) == (1, 4)  # the KDF once
        attacker = await Client.connect(server.port, OTHER_HOST)
        await attacker.send(b"".join(data(f"{i:017d}", pw="guess") for i in range(10)))
        await wait_until(lambda: server.counters.lockouts == 2, 5)
        assert await acked(logger, "20240501100000010")  # the real logger keeps working
        # The PW changed in the registry: the connection's earlier proof no longer counts, and
        # without it the lock applies.
        registry.devices[MN24] = "n3wPW"
        await logger.send(data("20240501100000011"))
        await wait_until(lambda: server.counters.refused_locked_out == 1, 5)
        assert await acked(logger, "20240501100000012", mn=MN14, pw="pw14")
        assert [d.packet.qn for d in sink.deliveries][-1] == "20240501100000012"
        for client in (logger, attacker):
            await client.close()

    run(scenario, registry=registry)


def test_garbage_logs_a_bounded_number_of_lines(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="connectors.hj212")
    bad_crc = frame(segment(qn="20240501100000001", cp=MINUTE))[:-6] + b"ABCD\r\n"

    async def scenario(server: Hj212Server, sink: Sink) -> None:
        client = await Client.connect(server.port)
        for _ in range(5):  # ~0.8 MB: 5,000 broken frames and plain line noise
            await client.send(bad_crc * 1000 + b"\x00garbage" * 5000)
        await wait_until(lambda: server.counters.crc_errors == 5000, 25)
        await client.close()
        await wait_until(lambda: server.counters.connections_active == 0, 5)

    server = run(scenario)
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) <= 25  # the default budget: 20 lines per connection and minute
    suppressed = [r.getMessage() for r in warnings if "hj212.log_suppressed" in r.getMessage()]
    assert suppressed, "the suppressed lines are counted in the log"
    total = server.counters.log_lines_suppressed
    assert total > 5000 - 25 and f"lines={total}" in suppressed[-1]
