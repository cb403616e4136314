"""Producers on a real migrated PostgreSQL database: which values count, and how."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from catalogue.directory import load_directory
from catalogue.producers import produce
from tests.catalogue.world import DAYS, SOURCE_SITE, TAP_SITE, local, seed
from tests.support.data import store

pytestmark = pytest.mark.postgres
START, END = local(DAYS[0], 0), local(DAYS[-1] + timedelta(days=1), 0)


def rows(db: Any, entry_id: str, start: Any = START, end: Any = END) -> list[dict[str, Any]]:
    entry = load_directory().get(entry_id)
    assert entry is not None
    with db() as s:
        return list(produce(s, entry, start, end).rows)


def test_hourly_aqi_uses_the_current_revision_and_skips_invalid_values(db: Any) -> None:
    seed(db)
    at = local(DAYS[0], 8)
    store(db, [("YJ-AIR-K01", "a34004", at, "PT1H", 20.0)])  # a correction: revision 2
    store(db, [("YJ-AIR-C01", "a34004", at, "PT1H", 500.0)], flag="D")  # device fault
    got = rows(db, "air-aqi-hourly", at, at + timedelta(hours=1))
    hour = {(r["site"], r["time"]): r for r in got}
    stamp = "2026-11-18T00:00:00Z"
    assert hour[("YJ-AIR-K01", stamp)]["pm25"] == 20.0
    assert hour[("YJ-AIR-K01", stamp)]["quality_en"] == "excellent"
    faulty = hour[("YJ-AIR-C01", stamp)]
    assert faulty["pm25"] is None and faulty["aqi"] is None  # missing PM2.5, others ≤ 100: NA


def test_raw_keeps_everything_and_means_only_valid_values(db: Any) -> None:
    seed(db)
    at = local(DAYS[0], 9)
    store(db, [(SOURCE_SITE, "w01018", at + timedelta(minutes=30), "PT1M", 999.0)], flag="C")
    means = rows(db, "pollution-source-online")
    assert [(r["hour"], r["mean"], r["count"]) for r in means] == [
        ("2026-11-18T01:00:00Z", 42.0, 1), ("2026-11-19T01:00:00Z", 42.0, 1)]
    raw = rows(db, "air-raw-qc-review", at, at + timedelta(hours=1))
    assert len(raw) == 12 and {r["flag"] for r in raw} == {"N"}


def test_noise_night_runs_past_midnight(db: Any) -> None:
    store(db, [("YJ-NZ-02", "n_leq", local(DAYS[0], 23), "PT1H", 50.0),
               ("YJ-NZ-02", "n_leq", local(DAYS[1], 2), "PT1H", 40.0),
               ("YJ-NZ-02", "n_lmax", local(DAYS[1], 2), "PT1H", 70.0),
               ("YJ-NZ-02", "n_leq", local(DAYS[1], 12), "PT1H", 61.0)])
    got = {(r["day"], r["day_part"]): r for r in rows(db, "noise-functional-zones")}
    night = got[(DAYS[0].isoformat(), "night")]
    assert night["hours"] == 2 and night["leq"] == 47.4  # energy mean of 50 and 40 dB(A)
    assert (night["limit"], night["lmax_limit"], night["compliant"]) == (50.0, 65.0, False)
    day = got[(DAYS[1].isoformat(), "day")]
    assert (day["zone"], day["leq"], day["limit"], day["compliant"]) == ("2", 61.0, 60.0, False)


def test_drinking_water_sources_tap_water_and_sea(db: Any) -> None:
    seed(db)
    (source,) = rows(db, "drinking-water-sources")
    assert (source["site"], source["water_class"], source["compliant"]) == ("YJ-DW-01", "II", True)
    assert source["month"] == "2026-11" and source["samples"] == 1
    (tap,) = rows(db, "tap-water-quality")
    assert (tap["site"], tap["point"], tap["compliant"], tap["evaluated"]) == (
        TAP_SITE, "tap", True, 4)
    (sea,) = rows(db, "coastal-water-quality")
    assert (sea["sea_class"], sea["class_number"], sea["target_class"], sea["meets_target"]) == (
        "二类", 2, 2, True)


def test_county_assessment_method(db: Any) -> None:
    seed(db)
    got = {r["county"]: r for r in rows(db, "county-assessment")}
    assert set(got) == {"441702", "441781"}
    jiangcheng = got["441702"]
    assert (jiangcheng["air_days"], jiangcheng["good_air_days"], jiangcheng["good_air_share"]) == (
        2, 2, 100.0)
    assert (jiangcheng["sections"], jiangcheng["sections_meeting_target"]) == (1, 1)
    yangchun = got["441781"]
    assert (yangchun["good_air_share"], yangchun["sections_meeting_share"]) == (0.0, 0.0)
    assert yangchun["county_name_en"] == "Yangchun City"
