"""The HJ 212 sink: a delivered packet becomes observations through the ingest pipeline."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from connectors.hj212 import DataKind, Delivery, DeviceInfo, decode_frame
from hub.db.records import Observation, Submission
from hub.db.reference import Site
from hub.hj212.devices import add_device
from hub.hj212.registry import DbDeviceRegistry
from hub.hj212.sink import ObservationSink, idempotency_key
from hub.ingest.pipeline import IngestOutcome, IngestPipeline
from hub.observations.store import NormalRecord
from tests.support.hj212 import (
    AIR_SITE,
    MN_AIR,
    MN_SOURCE,
    PW_AIR,
    PW_SOURCE,
    SOURCE_SITE,
    frame,
    hj,
    recent_hour,
    register_source_site,
    segment,
)

pytestmark = pytest.mark.postgres
T0 = recent_hour(3)


@pytest.fixture
def sink(db: sessionmaker[Session]) -> ObservationSink:
    with db.begin() as s:
        add_device(s, mn=MN_AIR, site=AIR_SITE, password=PW_AIR)
        register_source_site(s)
        add_device(
            s,
            mn=MN_SOURCE,
            site=SOURCE_SITE,
            password=PW_SOURCE,
            minute_interval=5,
            factors={"SO2": "a21026"},
            units={"a34013": "g/m3"},
        )
    return ObservationSink(db, IngestPipeline(), DbDeviceRegistry(db))


def deliver(sink: ObservationSink, seg: str) -> None:
    packet = decode_frame(frame(seg))
    sink(
        Delivery(
            packet=packet,
            device=DeviceInfo(mn=packet.mn),
            kind=DataKind(packet.cn),
            received_at=datetime.now(UTC),
            peer="test",
        )
    )


def stored(db: sessionmaker[Session], site: str) -> list[tuple[Any, ...]]:
    with db() as s:
        rows = s.execute(
            select(
                Observation.parameter_code,
                Observation.period_start,
                Observation.period,
                Observation.value,
                Observation.flag,
            )
            .join(Site, Site.id == Observation.site_id)
            .where(Site.code == site, Observation.is_current.is_(True))
            .order_by(Observation.period_start, Observation.parameter_code)
        )
        return [(p, t, per, round(v, 6) if v is not None else None, f) for p, t, per, v, f in rows]


def test_minute_packet_units_flags_period_and_provenance(
    db: sessionmaker[Session], sink: ObservationSink
) -> None:
    cp = (
        f"DataTime={hj(T0)};a21026-Avg=0.012,a21026-Flag=N;a34004-Avg=35,a34004-Flag=N;"
        "a21004-Avg=0.021,a21004-Min=0.01,a21004-Flag=D;a21005-Avg=0.6,a21005-Flag=N"
    )
    deliver(sink, segment("2051", cp, qn="20261101100000001"))
    assert stored(db, AIR_SITE) == [
        ("a21004", T0, "PT10M", 21.0, "D"),  # NO2 mg/m³ -> µg/m³, the device's flag kept
        ("a21005", T0, "PT10M", 0.6, "N"),  # CO stays mg/m³
        ("a21026", T0, "PT10M", 12.0, "N"),  # SO2 0.012 mg/m³ -> 12 µg/m³
        ("a34004", T0, "PT10M", 35.0, "N"),  # PM2.5 defaults to µg/m³, not Annex B's ng/m³
    ]
    with db() as s:
        sub = s.scalars(select(Submission)).one()
    assert (sub.channel, sub.client_id, sub.department_code) == (
        "hj212",
        f"hj212:{MN_AIR}",
        "environment",
    )
    assert sub.idempotency_key == f"hj212:{MN_AIR}:20261101100000001:2051"
    assert sub.accepted == 4 and sub.rejected == 0 and sub.chain_hash
    assert sink.counters.packets_ingested == 1 and sink.counters.observations_accepted == 4


def test_value_and_period_per_command(db: sessionmaker[Session], sink: ObservationSink) -> None:
    t = T0 + timedelta(minutes=7, seconds=30)
    deliver(sink, segment("2011", f"DataTime={hj(t)};a34004-Rtd=40,a34004-Flag=N;SB1-RS=1", qn="1"))
    deliver(sink, segment("2061", f"DataTime={hj(T0)};a34004-Avg=33,a34004-Max=50", qn="2"))
    day = datetime(T0.year, T0.month, T0.day, tzinfo=UTC) - timedelta(days=1, hours=8)
    deliver(sink, segment("2031", f"DataTime={hj(day)};a34004-Avg=30,a34004-Flag=N", qn="3"))
    deliver(sink, segment("2021", f"DataTime={hj(T0)};i12001-Info=1", qn="4"))
    assert stored(db, AIR_SITE) == [
        ("a34004", day, "P1D", 30.0, "N"),
        ("a34004", T0, "PT1H", 33.0, "N"),
        ("a34004", t, "PT0S", 40.0, "N"),
    ]
    assert sink.counters.status_packets == 1


def test_device_mapping_units_and_minute_interval(
    db: sessionmaker[Session], sink: ObservationSink
) -> None:
    cp = (
        f"DataTime={hj(T0)};SO2-Avg=0.012,SO2-Flag=N;a34013-Avg=0.0123,a34013-Flag=N;"
        "a21002-Avg=25.3,a21002-Flag=T"
    )
    deliver(sink, segment("2051", cp, mn=MN_SOURCE, pw=PW_SOURCE, qn="1"))
    assert stored(db, SOURCE_SITE) == [
        ("a21002", T0, "PT5M", 25.3, "T"),
        ("a21026", T0, "PT5M", 12.0, "N"),
        ("a34013", T0, "PT5M", 12.3, "N"),  # the device's g/m3 override -> mg/m3
    ]


def test_unknown_and_foreign_factors_do_not_stop_the_rest(
    db: sessionmaker[Session], sink: ObservationSink
) -> None:
    cp = (
        f"DataTime={hj(T0)};a21026-Avg=0.012,a21026-Flag=N;a99999-Avg=1,a99999-Flag=N;"
        "a01001-Avg=21.5,a01001-Flag=N;a34004-Avg=abc,a34004-Flag=N"
    )
    deliver(sink, segment("2061", cp, qn="5"))
    assert stored(db, AIR_SITE) == [("a21026", T0, "PT1H", 12.0, "N")]
    with db() as s:
        sub = s.scalars(select(Submission)).one()
    assert sub.accepted == 1 and sub.rejected == 3
    messages = " ".join(e["message"] for e in (sub.receipt or {})["errors"])
    assert "a99999" in messages and "a01001" in messages and "a34004" in messages
    c = sink.counters
    assert (c.factors_unknown, c.factors_not_allowed, c.observations_rejected) == (1, 1, 3)


def test_resent_packet_is_a_replay_and_reused_qn_is_not_lost(
    db: sessionmaker[Session], sink: ObservationSink
) -> None:
    seg = segment("2061", f"DataTime={hj(T0)};a34004-Avg=33,a34004-Flag=N", qn="7")
    deliver(sink, seg)
    deliver(sink, seg)  # the logger missed our 9014 and sent it again
    with db() as s:
        assert len(s.scalars(select(Submission)).all()) == 1
    assert sink.counters.packets_replayed == 1
    later = T0 + timedelta(hours=1)
    deliver(sink, segment("2061", f"DataTime={hj(later)};a34004-Avg=34,a34004-Flag=N", qn="7"))
    assert [r[1] for r in stored(db, AIR_SITE)] == [T0, later]
    assert sink.counters.idempotency_conflicts == 1


def test_packet_without_qn_keys_on_datatime() -> None:
    packet = decode_frame(
        frame(segment("2061", "DataTime=20261101100000;a34004-Avg=1", qn=None, flag=None))
    )
    assert idempotency_key(packet) == f"hj212:{MN_AIR}:20261101100000:2061"


def test_the_app_hooks_run_for_hj212_packets(db: sessionmaker[Session]) -> None:
    with db.begin() as s:
        add_device(s, mn=MN_AIR, site=AIR_SITE, password=PW_AIR)
    seen: list[IngestOutcome] = []

    def qc(_s: Session, records: list[NormalRecord], _now: datetime) -> list[NormalRecord]:
        return records

    pipeline = IngestPipeline(qc=qc, after_commit=[seen.append])
    sink = ObservationSink(db, pipeline, DbDeviceRegistry(db))
    deliver(sink, segment("2061", f"DataTime={hj(T0)};a34004-Avg=33", qn="8"))
    assert len(seen) == 1 and seen[0].receipt["accepted"] == 1
