"""The TCP server over real sockets on 127.0.0.1 (sync tests driving asyncio.run)."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from datetime import datetime
from decimal import Decimal

import pytest

from connectors.hj212 import (
    BEIJING,
    DataKind,
    Delivery,
    DeviceNotConnectedError,
    Hj212Server,
    Packet,
    ServerConfig,
    encode_packet,
    make_cp,
    split_packet,
)

from .helpers import (
    MN14,
    MN24,
    PW,
    AsyncRegistry,
    Client,
    Registry,
    Sink,
    frame,
    run_server,
    segment,
    wait_until,
)

DEVICES = {MN24: PW, MN14: "pw14"}
MINUTE = "DataTime=20240501100000;a21026-Avg=12.5,a21026-Flag=N;a34004-Avg=35,a34004-Flag=N"
HOURLY = "DataTime=20240501090000;a21026-Avg=10.1,a21026-Flag=N"


def run(
    scenario: Callable[[Hj212Server, Sink], Awaitable[None]],
    *,
    config: ServerConfig | None = None,
    sink: Sink | None = None,
    registry: object = None,
) -> Hj212Server:
    """Run ``scenario`` against a server with these devices and a 5 s idle timeout."""
    return run_server(
        scenario,
        registry=registry or Registry(DEVICES),
        config=config or ServerConfig(idle_timeout=5),
        sink=sink,
        bound=10,
    )


def _hourly_split(flag: int) -> list[Packet]:
    factors: dict[str, dict[str, Decimal | str]] = {
        f"w2{i:04d}": {"Avg": Decimal(i), "Flag": "N"} for i in range(100)
    }
    packet = Packet(
        qn="20240501100000777",
        st="32",
        cn="2061",
        pw=PW,
        mn=MN24,
        flag=flag,
        cp=make_cp({"DataTime": "20240501090000"}, factors),
    )
    return split_packet(packet)


def test_minute_hourly_refusals_errors_and_acks(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="connectors.hj212")

    async def scenario(server: Hj212Server, sink: Sink) -> None:
        client = await Client.connect(server.port)
        # Minute + hourly concatenated in one write: two acks, in order, after storing.
        await client.send(
            frame(segment("2051", qn="20240501100000001", cp=MINUTE))
            + frame(segment("2061", qn="20240501100000002", cp=HOURLY))
        )
        acks = await client.receive(2)
        assert [(a.cn, a.qn, a.st, a.flag) for a in acks] == [
            ("9014", "20240501100000001", "91", 4),
            ("9014", "20240501100000002", "91", 4),
        ]
        assert [d.kind for d in sink.deliveries] == [DataKind.MINUTE, DataKind.HOURLY]
        first = sink.deliveries[0]
        assert first.device.station_id == "station-9DC0"
        assert first.packet.cp.factors["a34004"].values["Avg"] == Decimal(35)
        assert first.packet.cp.data_time == datetime(2024, 5, 1, 10, tzinfo=BEIJING)

        # Bad CRC, unknown MN, wrong password: no ack, connection stays usable.
        bad_crc = frame(segment(qn="20240501100000003", cp=MINUTE))[:-6] + b"ABCD\r\n"
        unknown = frame(segment(qn="20240501100000004", mn="99999999999999", cp=MINUTE))
        wrong_pw = frame(segment(qn="20240501100000005", pw="guess", cp=MINUTE))
        for bad in (bad_crc, unknown, wrong_pw):
            await client.send(bad)
            await client.send(frame(segment(qn="20240501100000009", cp=MINUTE)))
            (ack,) = await client.receive()
            assert ack.qn == "20240501100000009"  # the refused packet got no ack
        assert len(sink.deliveries) == 5

        # Flag=4: stored, not acknowledged. 14-character MN with its own password.
        await client.send(frame(segment(qn="20240501100000010", flag=4, cp=MINUTE)))
        await client.send(frame(segment(qn="20240501100000011", mn=MN14, pw="pw14", cp=MINUTE)))
        (ack,) = await client.receive()
        assert (ack.qn, ack.mn) == ("20240501100000011", MN14)
        assert [d.packet.qn for d in sink.deliveries][-2:] == [
            "20240501100000010",
            "20240501100000011",
        ]
        await client.close()

    server = run(scenario)
    c = server.counters
    assert (c.crc_errors, c.refused_unknown_mn, c.refused_bad_password) == (1, 1, 1)
    assert (c.packets_stored, c.acks_sent, c.connections_opened) == (7, 6, 1)
    assert c.as_dict()["connections_active"] == 0
    assert PW not in caplog.text and "guess" not in caplog.text and "pw14" not in caplog.text
    assert "hj212.refused reason=bad_password" in caplog.text
    assert "hj212.refused reason=unknown_mn" in caplog.text


def test_split_packets_with_acks_c50_style() -> None:
    parts = _hourly_split(flag=7)
    assert len(parts) >= 3

    async def scenario(server: Hj212Server, sink: Sink) -> None:
        client = await Client.connect(server.port)
        for i, part in enumerate(parts):
            # Annex C.50: the logger waits for each part's ack before the next part.
            await client.send(encode_packet(part))
            (ack,) = await client.receive()
            assert (ack.cn, ack.qn) == ("9014", part.qn)
            assert len(sink.deliveries) == (1 if i == len(parts) - 1 else 0)
        merged = sink.deliveries[0].packet
        assert len(merged.cp.factors) == 100 and not merged.is_split
        await client.close()

    assert run(scenario).counters.split_parts_received == len(parts)


def test_split_out_of_order_concatenated_byte_chunks_and_garbage() -> None:
    parts = _hourly_split(flag=6)
    data = b"AT+CIPSEND\r\n" + b"".join(encode_packet(p) for p in reversed(parts))

    async def scenario(server: Hj212Server, sink: Sink) -> None:
        client = await Client.connect(server.port)
        for i in range(0, len(data), 7):  # small TCP segments
            await client.send(data[i : i + 7])
        await client.send(frame(segment(qn="20240501100000100", cp=MINUTE)))
        (ack,) = await client.receive()
        assert ack.qn == "20240501100000100"  # no acks for Flag=6 parts
        assert len(sink.deliveries) == 2
        assert len(sink.deliveries[0].packet.cp.factors) == 100
        await client.close()

    server = run(scenario)
    assert server.counters.frame_errors == 1 and server.counters.bytes_discarded == 12


def test_ack_only_after_the_sink_succeeds_and_resend_works() -> None:
    failures = [True]

    def hook(delivery: Delivery) -> None:
        if failures and failures.pop():
            raise RuntimeError("database down")

    async def scenario(server: Hj212Server, sink: Sink) -> None:
        client = await Client.connect(server.port)
        await client.send(frame(segment(qn="20240501100000001", cp=MINUTE)))
        await client.send(frame(segment(qn="20240501100000001", cp=MINUTE)))  # logger resends
        (ack,) = await client.receive()
        assert ack.qn == "20240501100000001"
        assert len(sink.deliveries) == 1
        await client.close()

    assert run(scenario, sink=Sink(hook)).counters.sink_errors == 1


def test_sync_sink_and_async_registry() -> None:
    stored: list[Delivery] = []

    def sync_sink(delivery: Delivery) -> None:
        time.sleep(0.01)  # runs in a worker thread
        stored.append(delivery)

    async def main() -> None:
        server = Hj212Server(AsyncRegistry(DEVICES), sync_sink, ServerConfig(idle_timeout=5))
        await server.start("127.0.0.1", 0)
        client = await Client.connect(server.port)
        await client.send(frame(segment(cn="2011", cp="DataTime=20240501100000;a21026-Rtd=3")))
        (ack,) = await client.receive()
        assert ack.cn == "9014" and stored[0].kind is DataKind.REALTIME
        await client.close()
        await server.close()

    asyncio.run(main())


def test_idle_connection_is_closed() -> None:
    async def scenario(server: Hj212Server, sink: Sink) -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
        started = time.monotonic()
        assert await asyncio.wait_for(reader.read(100), 2) == b""  # closed by the server
        assert 0.2 <= time.monotonic() - started < 2
        writer.close()
        await wait_until(lambda: server.counters.connections_active == 0)

    server = run(scenario, config=ServerConfig(idle_timeout=0.3))
    assert server.counters.idle_timeouts == 1


def test_silent_and_slow_clients_do_not_block_others() -> None:
    async def slow(delivery: Delivery) -> None:
        if delivery.device.mn == MN14:
            await asyncio.sleep(0.8)

    async def scenario(server: Hj212Server, sink: Sink) -> None:
        silent = await Client.connect(server.port)
        await silent.send(frame(segment(cp=MINUTE))[:30])  # half a frame, then nothing
        slow_client = await Client.connect(server.port)
        await slow_client.send(frame(segment(mn=MN14, pw="pw14", cp=MINUTE)))
        other = await Client.connect(server.port)
        started = time.monotonic()
        await other.send(frame(segment(cp=MINUTE)))
        (ack,) = await other.receive()
        assert ack.mn == MN24 and time.monotonic() - started < 0.5  # sink takes 0.8 s
        (slow_ack,) = await slow_client.receive()
        assert slow_ack.mn == MN14
        for c in (silent, slow_client, other):
            await c.close()

    run(scenario, sink=Sink(slow))


def test_many_concurrent_connections() -> None:
    async def one(port: int, i: int) -> str | None:
        client = await Client.connect(port)
        await client.send(frame(segment(qn=f"2024050110000{i:04d}", cp=MINUTE)))
        (ack,) = await client.receive(timeout=5)
        await client.close()
        return ack.qn

    async def scenario(server: Hj212Server, sink: Sink) -> None:
        qns = await asyncio.gather(*(one(server.port, i) for i in range(60)))
        assert sorted(qns) == [f"2024050110000{i:04d}" for i in range(60)]  # type: ignore[type-var]
        assert len(sink.deliveries) == 60

    # All from 127.0.0.1: the per-IP cap raised (loggers behind one NAT address look the same).
    run(scenario, config=ServerConfig(idle_timeout=5, max_connections_per_ip=100))


def test_backfill_request_and_replies() -> None:
    async def scenario(server: Hj212Server, sink: Sink) -> None:
        with pytest.raises(DeviceNotConnectedError):
            await server.request_history(MN24, "2061", datetime(2024, 5, 1), datetime(2024, 5, 1))
        client = await Client.connect(server.port)
        await client.send(frame(segment(flag=4, st="32", cp=MINUTE)))  # identifies the logger
        await wait_until(lambda: server.connected_mns() == [MN24])
        begin = datetime(2024, 5, 1, 8, tzinfo=BEIJING)
        end = datetime(2024, 5, 1, 9, tzinfo=BEIJING)
        qn = await server.request_history(MN24, "2061", begin, end)
        (request,) = await client.receive()
        assert (request.cn, request.qn, request.st, request.flag, request.pw) == (
            "2061",
            qn,
            "32",
            5,
            PW,
        )
        assert request.cp.fields == {"BeginTime": "20240501080000", "EndTime": "20240501090000"}
        # The logger answers as in Annex C.21: 9011, the data (Flag=4), 9012.
        reply = segment("9011", qn=qn, st="91", flag=4, cp="QnRtn=1")
        data = segment("2061", qn="20240501100000999", st="32", flag=4, cp=HOURLY)
        result = segment("9012", qn=qn, st="91", flag=4, cp="ExeRtn=1")
        await client.send(frame(reply) + frame(data) + frame(result))
        await wait_until(
            lambda: (server.request_status(qn) or object()).__dict__.get("exe_rtn") == 1
        )
        status = server.request_status(qn)
        assert status is not None and status.qn_rtn == 1 and status.mn == MN24
        assert sink.deliveries[-1].kind is DataKind.HOURLY
        await client.close()
        await wait_until(lambda: server.connected_mns() == [])

    server = run(scenario)
    assert server.counters.backfill_requests_sent == 1 and server.counters.request_replies == 2


def test_notification_and_ignored_commands() -> None:
    async def scenario(server: Hj212Server, sink: Sink) -> None:
        client = await Client.connect(server.port)
        await client.send(frame(segment("1013", cp="PolId=w01018")))
        (reply,) = await client.receive()
        assert (reply.cn, reply.st, reply.flag) == ("9013", "91", 4)
        await client.send(
            frame(segment("2081", cp="DataTime=20240501100000;RestartTime=20240501095000"))
        )
        (ack,) = await client.receive()
        assert ack.cn == "9014"  # ignored upload, acknowledged so it is not resent
        assert sink.deliveries == []
        await client.close()

    server = run(scenario)
    assert server.counters.ignored_commands == 1 and server.counters.notifications == 1
