"""HJ 212 end to end: loggers on real TCP connections -> ``ecohub hj212 serve``'s code path ->
PostgreSQL -> ``GET /api/v1/observations``, exactly the right observations and nothing more."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import httpx
import pytest
from click.testing import CliRunner
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from connectors.hj212 import build_execution_result, build_request_reply, encode_packet
from hub import create_app
from hub.auth.clients import create_client
from hub.cli import main
from hub.db.hj212 import Hj212BackfillRequest
from hub.db.records import Submission
from hub.hj212.backfill import BackfillConfig
from hub.hj212.cli import run_serve
from hub.hj212.devices import add_device
from hub.settings import Settings
from tests.support.auth import bearer, token_for
from tests.support.hj212 import (
    AIR_SITE,
    MN_AIR,
    MN_SOURCE,
    PW_AIR,
    PW_SOURCE,
    SOURCE_SITE,
    Logger,
    ServeThread,
    frame,
    hj,
    recent_hour,
    register_source_site,
    segment,
)
from tests.support.net import free_port, wait_until

pytestmark = pytest.mark.postgres
T0 = recent_hour(3)
H = timedelta(hours=1)
M = timedelta(minutes=10)
MN_BENCH = "YJAIRC02HJ212BENCH000001"
IDLE_TIMEOUT = 3.0


@pytest.fixture
def receiver(db: sessionmaker[Session], settings: Settings) -> Iterator[tuple[Any, int]]:
    """Devices registered, and the receiver running as ``ecohub hj212 serve`` runs it."""
    with db.begin() as s:
        add_device(s, mn=MN_AIR, site=AIR_SITE, password=PW_AIR)
        register_source_site(s)
        add_device(s, mn=MN_SOURCE, site=SOURCE_SITE, password=PW_SOURCE, minute_interval=5)
        add_device(s, mn=MN_BENCH, site="YJ-AIR-C02", password=PW_AIR)
    metrics_port = free_port()

    def run(ready: Callable[[Any], None]) -> Any:
        return run_serve(
            settings,
            host="127.0.0.1",
            port=0,
            idle_timeout=IDLE_TIMEOUT,
            metrics_port=metrics_port,
            ready=ready,
            backfill=BackfillConfig(poll_interval=0.05, scan_interval=3600),
        )

    server = ServeThread(run)
    service = server.start()
    try:
        yield service, metrics_port
    finally:
        server.stop()


def _minute(i: int, qn: str) -> str:
    cp = f"DataTime={hj(T0 + i * M)};a21026-Avg=0.0{10 + i},a21026-Flag=N;a34004-Avg={30 + i}"
    return segment("2051", cp, qn=qn)


def _acks(logger: Logger, count: int = 1) -> list[str]:
    acks = logger.receive(count)
    assert all(a.cn == "9014" and a.st == "91" for a in acks)
    return [a.qn or "" for a in acks]


def _air_station(air: Logger) -> None:
    m1 = frame(
        segment(
            "2051",
            f"DataTime={hj(T0)};a21026-Avg=0.012,a21026-Flag=N;"
            "a34004-Avg=35,a34004-Flag=N;a21004-Avg=0.021,a21004-Flag=D",
            qn="20261101100000001",
        )
    )
    air.send(m1)
    assert _acks(air) == ["20261101100000001"]
    # Minute and hourly data concatenated in one write: two acks, in order.
    hourly = segment(
        "2061", f"DataTime={hj(T0 - H)};a21026-Avg=0.011;a34004-Avg=33", qn="20261101100000003"
    )
    air.send(frame(_minute(1, "20261101100000002")) + frame(hourly))
    assert _acks(air, 2) == ["20261101100000002", "20261101100000003"]
    air.send_bytewise(frame(_minute(2, "20261101100000004")))
    assert _acks(air) == ["20261101100000004"]
    # An hourly packet split in two (Annex C table C.50: each part has its QN and its ack).
    parts = [
        segment(
            "2061",
            f"DataTime={hj(T0)};a21026-Avg=0.013;a21004-Avg=0.025",
            qn="534",
            flag=7,
            pnum=2,
            pno=1,
        ),
        segment(
            "2061", f"DataTime={hj(T0)};a34004-Avg=36;a99999-Avg=1", qn="535", flag=7, pnum=2, pno=2
        ),
    ]
    air.send(frame(parts[0]))
    assert _acks(air) == ["534"]
    air.send(frame(parts[1]))
    assert _acks(air) == ["535"]
    # Refused frames get no ack and the connection stays up: the next packet is answered.
    bad_crc = frame(_minute(3, "20261101100000005"))[:-6] + b"0000\r\n"
    unknown = frame(
        segment(
            "2051", f"DataTime={hj(T0)};a34004-Avg=99", mn="99999999999999", qn="20261101100000006"
        )
    )
    wrong_pw = frame(
        segment("2051", f"DataTime={hj(T0)};a34004-Avg=98", pw="guess", qn="20261101100000007")
    )
    air.send(bad_crc)
    air.send(frame(_minute(3, "20261101100000008")))
    assert _acks(air) == ["20261101100000008"]
    air.send(unknown + wrong_pw)
    air.send(frame(_minute(4, "20261101100000009")))
    assert _acks(air) == ["20261101100000009"]
    air.send(m1)  # our ack was "lost": the logger sends the packet again
    assert _acks(air) == ["20261101100000001"]
    assert air.quiet(0.2)


def _pollution_source(src: Logger, pg_url: str) -> None:
    cp = (
        f"DataTime={hj(T0)};a21026-Avg=0.012,a21026-Flag=N;a21002-Avg=25.3,a21002-Flag=N;"
        "a00000-Avg=12.5,a00000-Flag=N;a01001-Avg=21.5,a01001-Flag=N"
    )
    src.send(
        frame(segment("2061", cp, mn=MN_SOURCE, pw=PW_SOURCE, qn="20261101100000101", st="31"))
    )
    assert _acks(src) == ["20261101100000101"]
    # An older logger: no QN, no Flag, so no ack; the next packet's ack shows it was handled.
    src.send(
        frame(
            segment(
                "2051",
                f"DataTime={hj(T0)};a21002-Avg=24.0",
                mn=MN_SOURCE,
                pw=PW_SOURCE,
                qn=None,
                flag=None,
                st="31",
            )
        )
    )
    src.send(
        frame(
            segment(
                "2051",
                f"DataTime={hj(T0 + 5 * timedelta(minutes=1))};a21002-Avg=26.0",
                mn=MN_SOURCE,
                pw=PW_SOURCE,
                qn="102",
                st="31",
            )
        )
    )
    assert _acks(src) == ["102"]

    # An operator asks for an hour of history; the serve process sends it to the logger.
    result = CliRunner().invoke(
        main,
        [
            "hj212",
            "backfill",
            "--mn",
            MN_SOURCE,
            "--cn",
            "2061",
            "--from",
            hj(T0 - H),
            "--to",
            hj(T0 - H),
        ],
        env={"HUB_DATABASE_URL": pg_url, "HUB_LOG_JSON": "0"},
    )
    assert result.exit_code == 0, result.output
    (request,) = src.receive(timeout=5)
    assert (request.cn, request.st, request.cp.fields["BeginTime"]) == ("2061", "31", hj(T0 - H))
    src.send(encode_packet(build_request_reply(request)))
    src.send(
        frame(
            segment(
                "2061",
                f"DataTime={hj(T0 - H)};a21002-Avg=22.2,a21002-Flag=N",
                mn=MN_SOURCE,
                pw=PW_SOURCE,
                qn="103",
                flag=4,
                st="31",
            )
        )
    )
    src.send(encode_packet(build_execution_result(request)))


def _bench(port: int, connections: int = 4, per_connection: int = 30) -> float:
    """Packets per second with ``connections`` loggers each sending and awaiting acks."""

    def one(c: int) -> None:
        with Logger(port) as logger:
            for i in range(per_connection):
                t = T0 - 2 * H + (c * per_connection + i) * timedelta(seconds=30)
                logger.send(
                    frame(
                        segment(
                            "2011",
                            f"DataTime={hj(t)};a34004-Rtd={i};a21026-Rtd=0.0{i % 10}",
                            mn=MN_BENCH,
                            qn=f"{c}{i:04d}",
                        )
                    )
                )
                _acks(logger)

    threads = [threading.Thread(target=one, args=(c,)) for c in range(connections)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return connections * per_connection / (time.perf_counter() - start)


def test_loggers_to_the_observations_api(
    receiver: tuple[Any, int], db: sessionmaker[Session], settings: Settings, pg_url: str
) -> None:
    service, metrics_port = receiver
    # A logger that connects and stalls mid-frame must not hold up the others.
    silent = Logger(service.port)
    silent.send(b"##0101QN=2026110110")
    with Logger(service.port) as air, Logger(service.port) as src:
        _air_station(air)
        _pollution_source(src, pg_url)
        with db() as s:
            wait_until(lambda: s.scalar(select(Hj212BackfillRequest.status)) == "done")
            s.rollback()
        rate = _bench(service.port)
        assert silent.closed_by_hub(timeout=IDLE_TIMEOUT + 3)  # idle timeout, others unaffected
        metrics = httpx.get(f"http://127.0.0.1:{metrics_port}/metrics").text
    silent.close()
    assert rate > 10, rate
    counted = {
        name: float(value)
        for name, value in (
            line.split() for line in metrics.splitlines() if line.startswith("hub_hj212_")
        )
    }
    assert counted["hub_hj212_idle_timeouts_total"] >= 1
    # The app's ingest counters by channel are on the same endpoint.
    assert 'channel="hj212"' in metrics
    for name in (
        "crc_errors",
        "refused_unknown_mn",
        "refused_bad_password",
        "packets_replayed",
        "factors_unknown",
        "factors_not_allowed",
        "backfill_requests_sent",
    ):
        assert counted[f"hub_hj212_{name}_total"] == 1, name
    assert counted["hub_hj212_packets_stored_total"] == 8 + 4 + 120

    app = create_app(settings)
    try:
        with app.test_client() as client:
            with db.begin() as s:
                reader = create_client(s, "reader", None, ["observations:read"])
                env_reader = create_client(s, "env reader", "environment", ["observations:read"])
            headers = bearer(token_for(client, reader))

            def observations(site: str, **query: str) -> list[tuple[Any, ...]]:
                r = client.get(
                    "/api/v1/observations",
                    headers=headers,
                    params={"site": site, "limit": 1000, **query},
                )
                assert r.status_code == 200, r.text
                rows = [
                    (
                        o["parameter"],
                        o["time"],
                        o["period"],
                        round(o["value"], 6),
                        o["unit"],
                        o["flag"],
                    )
                    for o in r.json()["results"]
                ]
                return sorted(rows, key=lambda o: (o[1], o[0], o[2]))

            def z(i: int, step: timedelta = M) -> str:
                return (T0 + i * step).isoformat().replace("+00:00", "Z")

            assert observations(AIR_SITE) == [
                ("a21026", z(-1, H), "PT1H", 11.0, "ug/m3", "N"),
                ("a34004", z(-1, H), "PT1H", 33.0, "ug/m3", "N"),
                ("a21004", z(0), "PT10M", 21.0, "ug/m3", "D"),  # -Flag=D kept
                ("a21004", z(0), "PT1H", 25.0, "ug/m3", "N"),  # split packet, merged
                ("a21026", z(0), "PT10M", 12.0, "ug/m3", "N"),  # 0.012 mg/m³
                ("a21026", z(0), "PT1H", 13.0, "ug/m3", "N"),
                ("a34004", z(0), "PT10M", 35.0, "ug/m3", "N"),
                ("a34004", z(0), "PT1H", 36.0, "ug/m3", "N"),
                *[
                    row
                    for i in range(1, 5)
                    for row in (
                        ("a21026", z(i), "PT10M", float(10 + i), "ug/m3", "N"),
                        ("a34004", z(i), "PT10M", float(30 + i), "ug/m3", "N"),
                    )
                ],
            ]
            assert observations(SOURCE_SITE) == [
                ("a21002", z(-1, H), "PT1H", 22.2, "mg/m3", "N"),  # backfilled on request
                ("a00000", z(0), "PT1H", 12.5, "m3/s", "N"),
                ("a21002", z(0), "PT1H", 25.3, "mg/m3", "N"),
                ("a21002", z(0), "PT5M", 24.0, "mg/m3", "N"),  # the device's 5-minute interval
                ("a21026", z(0), "PT1H", 12.0, "ug/m3", "N"),
                ("a21002", z(1, timedelta(minutes=5)), "PT5M", 26.0, "mg/m3", "N"),
            ]
            bench = client.get(
                "/api/v1/observations",
                headers=headers,
                params={"site": "YJ-AIR-C02", "period": "PT0S", "limit": 1},
            )
            assert bench.json()["meta"]["found"] == 2 * 120

            sub_id = client.get(
                "/api/v1/observations", headers=headers, params={"site": AIR_SITE, "limit": 1}
            ).json()["results"][0]
            r = client.get(
                f"/api/v1/submissions/{sub_id['submission']}",
                headers=bearer(token_for(client, env_reader)),
            )
            assert r.status_code == 200, r.text
            assert (r.json()["channel"], r.json()["client_id"]) == ("hj212", f"hj212:{MN_AIR}")
    finally:
        app.app.extensions["hub"].close()
    with db() as s:
        channels = s.execute(select(Submission.channel, func.count()).group_by(Submission.channel))
        # air: 7 packets (the resent one was a replay); source: 4; bench: 120
        assert dict(channels.all()) == {"hj212": 7 + 4 + 120}
