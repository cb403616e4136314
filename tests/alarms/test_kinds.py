"""Each kind of alarm from data pushed through the real ingest service, on PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from hub.alarms import limits
from hub.db.qc import DataGap
from hub.reference.sites import register_sites
from tests.support.alarms import Clock, alarms, events, push, worker
from tests.support.data import site_id

pytestmark = pytest.mark.postgres
NOW = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
T = NOW - timedelta(hours=24)
H = timedelta(hours=1)


@pytest.fixture
def source(db) -> str:
    with db.begin() as s:
        result = register_sites(
            s,
            "environment",
            [
                {
                    "code": "SRC-TEST-01",
                    "name_zh": "测试污染源",
                    "name_en": "Test source",
                    "network": "pollution-source",
                    "county": "441702",
                    "latitude": 21.86,
                    "longitude": 111.97,
                }
            ],
        )
        assert result["created"] == ["SRC-TEST-01"], result
        limits.set_limit(s, "SRC-TEST-01", "a34013", 0.1, "g/m3", NOW, "permit 2026-01")
    return "SRC-TEST-01"


def test_emission_limit_with_unit_conversion(db, source) -> None:
    with db() as s:
        [doc] = limits.list_limits(s)
    assert (doc["limit"], doc["unit"]) == (100.0, "mg/m3")  # 0.1 g/m³ stored canonically
    push(db, [(source, "a34013", T, "PT1H", 99.0), (source, "a34013", T + H, "PT1H", 140.0)])
    worker(db).catch_up()
    [alarm] = alarms(db)
    assert (alarm.kind, alarm.rule, alarm.limit_value, alarm.last_value) == (
        "emission",
        "emission_limit",
        100.0,
        140.0,
    )


def test_device_faults_in_a_row(db) -> None:
    site = "YJ-AIR-C02"
    rows = [(site, "a21004", T + i * H, "PT1H", None, "D") for i in range(2)]
    push(db, rows)
    w = worker(db, device_run=3)
    w.catch_up()
    assert alarms(db) == []  # two faults are not yet a run
    push(db, [(site, "a21004", T + 2 * H, "PT1H", None, "B")])
    w.catch_up()
    [alarm] = alarms(db)
    assert (alarm.kind, alarm.parameter, alarm.rule) == ("device", "a21004", "device_flags")
    push(db, [(site, "a21004", T + 3 * H, "PT1H", 30.0, "N")])
    push(db, [(site, "a21004", T + 4 * H, "PT1H", 31.0, "N")])
    w.catch_up()
    assert alarms(db)[0].status == "closed"


def test_air_quality_level_4_from_the_hour_pollutants(db) -> None:
    site, hour = "YJ-AIR-C03", T
    w = worker(db)
    push(db, [(site, "a34004", hour, "PT1H", 100.0), (site, "a34002", hour, "PT1H", 80.0)])
    w.catch_up()
    assert alarms(db) == []  # AQI 133: level 3
    push(db, [(site, "a21004", hour, "PT1H", 1300.0)])  # NO2 1h: 200 + 100·100/1140 → 209
    w.catch_up()
    [alarm] = alarms(db)
    assert (alarm.parameter, alarm.rule, alarm.last_value) == ("aqi", "hj633", 209.0)
    assert alarm.detail["primary_pollutants"] == ["a21004"] and alarm.detail["level"] == 5
    # Another pollutant of the same hour is no extension.
    push(db, [(site, "a34013", hour, "PT1H", 10.0)])
    w.catch_up()
    assert [e.type for e in events(db)] == ["opened"]


def test_missing_data_follows_open_gaps(db) -> None:
    with db.begin() as s:
        sid = site_id(s, "YJ-AIR-C04")
        gap = DataGap(
            site_id=sid,
            parameter_code="a34004",
            start=T,
            end=T + 3 * H,
            missing=3,
            interval_seconds=3600,
            detected_at=NOW,
            updated_at=NOW,
        )
        s.add(gap)
    clock = Clock(NOW)
    w = worker(db, clock, gap_sweep_seconds=60)
    w.run_once()
    [alarm] = alarms(db)
    assert (alarm.kind, alarm.parameter, alarm.last_value) == ("missing_data", "a34004", 3.0)
    with db.begin() as s:
        s.get(DataGap, gap.id).end = T + 5 * H
    clock.advance(30)
    w.run_once()  # not due yet
    assert alarms(db)[0].end_at == T + 3 * H
    clock.advance(31)
    w.run_once()
    assert alarms(db)[0].end_at == T + 5 * H
    with db.begin() as s:
        closing = s.get(DataGap, gap.id)
        closing.closed_at, closing.closed_reason = NOW, "data_arrived"
    clock.advance(61)
    w.run_once()
    assert alarms(db)[0].status == "closed"
    assert [e.type for e in events(db)] == ["opened", "extended", "closed"]


def test_falsification_sweep_flags_a_constant_value_during_an_exceedance(db, source) -> None:
    values = [150.0, 160.0, 99.0, 99.0, 99.0, 99.0, 170.0, 40.0, 40.0]
    push(db, [(source, "a34013", T + i * H, "PT1H", v) for i, v in enumerate(values)])
    clock = Clock(NOW)
    w = worker(db, clock, falsification_sweep_seconds=3600, close_after_seconds=3600)
    w.catch_up()
    kinds = sorted(a.kind for a in alarms(db))
    # 150–160, then 170 (closed after recovery), and the 99s between them: the values just
    # before and after a constant, compliant run exceed the limit.
    assert kinds == ["emission", "emission", "falsification"]
    [suspect] = [a for a in alarms(db) if a.kind == "falsification"]
    assert suspect.rule == "qc:const_exceedance" and suspect.parameter == "a34013"
    assert suspect.start_at == T + 2 * H and suspect.end_at == T + 6 * H
    clock.advance(3600)
    w.run_once()  # the next sweep finds the same evidence: nothing new
    # Emission: opened, extended, closed; opened, closed. Falsification: opened.
    assert sorted(e.type for e in events(db)) == ["closed"] * 2 + ["extended"] + ["opened"] * 3
    # Once the window has moved past the evidence, the alarm closes.
    clock.advance(8 * 24 * 3600)
    w.run_once()
    assert [a.status for a in alarms(db) if a.kind == "falsification"] == ["closed"]
