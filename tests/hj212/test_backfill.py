"""History requests: the queue, the gap scan, the request lifecycle, and the worker on TCP."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from connectors.hj212 import (
    DataKind,
    Delivery,
    DeviceInfo,
    build_execution_result,
    build_request_reply,
    decode_frame,
    encode_packet,
)
from hub.db.hj212 import Hj212BackfillRequest
from hub.db.records import Observation
from hub.errors import NotFound, ValidationFailed
from hub.hj212.backfill import (
    BackfillConfig,
    apply_answers,
    mark_sent,
    next_pending,
    queue_backfill,
)
from hub.hj212.devices import add_device
from hub.hj212.gaps import align, scan_device_gaps
from hub.hj212.registry import DbDeviceRegistry
from hub.hj212.runtime import Hj212Service
from hub.hj212.sink import ObservationSink
from hub.ingest.pipeline import IngestPipeline
from tests.support.hj212 import (
    AIR_SITE,
    MN_AIR,
    PW_AIR,
    Logger,
    ServeThread,
    frame,
    hj,
    segment,
)
from tests.support.net import wait_until

pytestmark = pytest.mark.postgres
HOUR = timedelta(hours=1)


def _device(db: sessionmaker[Session], created: datetime) -> ObservationSink:
    with db.begin() as s:
        add_device(s, mn=MN_AIR, site=AIR_SITE, password=PW_AIR, now=created)
    return ObservationSink(db, IngestPipeline(), DbDeviceRegistry(db))


def _hourly(sink: ObservationSink, hours: list[datetime], cn: str = "2061") -> None:
    for i, t in enumerate(hours):
        seg = segment(cn, f"DataTime={hj(t)};a34004-Avg={20 + i},a34004-Flag=N", qn=f"9{i:03d}")
        packet = decode_frame(frame(seg))
        sink(
            Delivery(
                packet=packet,
                device=DeviceInfo(mn=MN_AIR),
                kind=DataKind(cn),
                received_at=datetime.now(UTC),
                peer="test",
            )
        )


def _rows(db: sessionmaker[Session]) -> list[Hj212BackfillRequest]:
    with db() as s:
        return list(s.scalars(select(Hj212BackfillRequest).order_by(Hj212BackfillRequest.id)))


def test_queue_validation(db: sessionmaker[Session]) -> None:
    t = datetime(2026, 11, 1, tzinfo=UTC)
    with pytest.raises(NotFound), db.begin() as s:
        queue_backfill(s, mn="NOPE", cn="2061", begin=t, end=t)
    _device(db, t)
    for cn, begin, end in [("2011", t, t), ("2061", t, t - HOUR), ("2061", t, t + 40 * 24 * HOUR)]:
        with pytest.raises(ValidationFailed), db.begin() as s:
            queue_backfill(s, mn=MN_AIR, cn=cn, begin=begin, end=end)


def test_align_uses_local_days() -> None:
    t = datetime(2026, 11, 1, 17, 30, tzinfo=UTC)  # 01:30 on 2 November in Yangjiang
    assert align(t, HOUR) == datetime(2026, 11, 1, 17, tzinfo=UTC)
    assert align(t, HOUR, up=True) == datetime(2026, 11, 1, 18, tzinfo=UTC)
    assert align(t, timedelta(days=1)) == datetime(2026, 11, 1, 16, tzinfo=UTC)


def test_gap_scan_queues_each_gap_once(db: sessionmaker[Session]) -> None:
    now = datetime.now(UTC)
    config = BackfillConfig()
    sink = _device(db, now - 30 * HOUR)
    start = align(now - config.lookback, HOUR, up=True)
    end = align(now - config.settle, HOUR)
    hours = [start + i * HOUR for i in range(int((end - start) / HOUR))]
    lonely, pair = hours[5], hours[10:12]
    _hourly(sink, [h for h in hours if h != lonely and h not in pair])
    _hourly(sink, [lonely], cn="2051")  # minute data does not fill an hourly slot
    registry = DbDeviceRegistry(db)
    profile = registry.profile(MN_AIR)
    assert profile is not None
    with db.begin() as s:
        queued = scan_device_gaps(s, profile, now, config)
    assert [(q["cn"], q["begin"], q["end"], q["origin"]) for q in queued] == [
        ("2061", _z(lonely), _z(lonely), "gap-scan"),
        ("2061", _z(pair[0]), _z(pair[1]), "gap-scan"),
    ]
    with db.begin() as s:
        assert scan_device_gaps(s, profile, now, config) == []  # asked recently
        later = now + config.retry_after + HOUR
        again = scan_device_gaps(
            s, profile, later, BackfillConfig(lookback=30 * HOUR, max_gaps_per_device=1)
        )
    assert len(again) == 1 and again[0]["begin"] > _z(pair[1])  # only the latest gap


def _z(t: datetime) -> str:
    return t.astimezone(UTC).isoformat().replace("+00:00", "Z")


def test_request_lifecycle(db: sessionmaker[Session]) -> None:
    now = datetime.now(UTC)
    config = BackfillConfig()
    _device(db, now)
    with db.begin() as s:
        first = queue_backfill(s, mn=MN_AIR, cn="2061", begin=now - 3 * HOUR, end=now - HOUR)
        second = queue_backfill(s, mn=MN_AIR, cn="2051", begin=now - HOUR, end=now)
    with db.begin() as s:
        (req,) = next_pending(s, [MN_AIR, "OTHER"], now, config)
        assert req.id == first["id"] and next_pending(s, [], now, config) == []
        mark_sent(s, req.id, "Q1", now)
    with db.begin() as s:
        assert next_pending(s, [MN_AIR], now, config) == []  # one in flight per logger
        assert apply_answers(s, {"Q1": (1, None)}, now, config) == 1
    with db.begin() as s:
        assert apply_answers(s, {"Q1": (1, 1)}, now, config) == 1
        (req,) = next_pending(s, [MN_AIR], now, config)
        assert req.id == second["id"]
        mark_sent(s, req.id, "Q2", now - HOUR)
    with db.begin() as s:
        apply_answers(s, {}, now, config)
    assert [(r.status, r.qn_rtn, r.exe_rtn) for r in _rows(db)] == [
        ("done", 1, 1),
        ("expired", None, None),
    ]


def test_worker_fills_a_gap_through_the_logger(db: sessionmaker[Session]) -> None:
    """Gap scan -> 2061 request on the logger's connection -> 9011, data, 9012 -> stored."""
    now = datetime.now(UTC)
    config = BackfillConfig(poll_interval=0.05, scan_interval=0.05, settle=timedelta(0))
    sink = _device(db, now - 6 * HOUR)
    start = align(now - 6 * HOUR, HOUR, up=True)
    hours = [start + i * HOUR for i in range(8) if start + i * HOUR <= now]
    gap = hours[2]
    _hourly(sink, [h for h in hours if h != gap])

    async def run(ready: Callable[[Any], None]) -> None:
        service = Hj212Service(db, IngestPipeline(), backfill=config)
        await service.start("127.0.0.1", 0)
        ready(service)
        try:
            await service.serve_forever()
        finally:
            await service.close()

    server = ServeThread(run)
    service = server.start()
    try:
        with Logger(service.port) as logger:
            logger.send(frame(segment("2061", f"DataTime={hj(hours[-1])};a34004-Avg=1", qn="1")))
            assert logger.receive()[0].cn == "9014"
            (request,) = logger.receive(timeout=5)
            assert (request.cn, request.cp.fields["BeginTime"], request.cp.fields["EndTime"]) == (
                "2061",
                hj(gap),
                hj(gap),
            )
            assert request.flag == 5 and request.pw == PW_AIR
            logger.send(encode_packet(build_request_reply(request)))
            logger.send(
                frame(
                    segment(
                        "2061",
                        f"DataTime={hj(gap)};a34004-Avg=77,a34004-Flag=N",
                        qn="20261101000000534",
                        flag=4,
                    )
                )
            )
            logger.send(encode_packet(build_execution_result(request)))
            wait_until(lambda: [r.status for r in _rows(db)] == ["done"])
        counters = service.counters()
    finally:
        server.stop()
    with db() as s:
        value = s.scalar(
            select(Observation.value).where(
                Observation.period_start == gap, Observation.period == "PT1H"
            )
        )
    assert value == 77.0
    (row,) = _rows(db)
    assert (row.origin, row.qn, row.qn_rtn, row.exe_rtn) == ("gap-scan", request.qn, 1, 1)
    assert counters["backfill_requests_sent"] == 1 and counters["gaps_queued"] == 1
