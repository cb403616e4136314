"""The pure assessment engine against hand-computed cases (no I/O)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from hub.assessments import air, county, noise, water
from hub.assessments.validity import qc_invalid, stored_value_valid, valid_for_statistics
from hub.standards import DayPart, NoiseZone, WaterClass
from hub.timeutil import LOCAL_TZ

H = timedelta(hours=1)
INVALID_QC = [{"code": "range", "severity": "invalid"}]


def local(day: date, hour: int) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=LOCAL_TZ) + hour * H


# --- validity ------------------------------------------------------------------------------


@pytest.mark.parametrize("flag", list("FMSDCB"))
def test_device_flags_that_invalidate(flag: str) -> None:
    assert not valid_for_statistics(1.0, flag, invalid_by_qc=False)


def test_what_stays_valid() -> None:
    assert valid_for_statistics(1.0, "N", invalid_by_qc=False)
    assert valid_for_statistics(1.0, "T", invalid_by_qc=False)  # over range: a real high value
    assert not valid_for_statistics(None, "N", invalid_by_qc=False)
    assert not valid_for_statistics(1.0, "N", invalid_by_qc=True)
    # QC flags that do not invalidate (a suspect spike) leave the value in.
    assert stored_value_valid(1.0, "N", "flagged", [{"code": "spike", "severity": "suspect"}])
    assert not stored_value_valid(1.0, "N", "flagged", INVALID_QC)
    assert not qc_invalid(INVALID_QC, "passed")  # QC passed it: its verdict stands


# --- air -----------------------------------------------------------------------------------


def _polluted_morning(day: date) -> air.AirSeries:
    steady = {"a21026": 10.0, "a21004": 20.0, "a21005": 0.5, "a05024": 50.0, "a34002": 40.0}
    triples = []
    for k in range(-24, 24):
        at = local(day, k)
        triples += [(code, at, v) for code, v in steady.items()]
        triples.append(("a34004", at, 250.0 if 0 <= k < 12 else 10.0))
    return air.air_series(triples)


def test_2012_hourly_aqi_carries_the_pm25_moving_mean() -> None:
    day = date(2025, 11, 10)
    # 14:00: mean of 12 polluted and 12 clean hours = 130 → 150 + 50/35·15 = 171.4 → 172.
    result = air.hour_aqi(_polluted_morning(day), local(day, 14))
    assert (result.aqi, result.edition) == (172, "HJ 633-2012")
    assert result.primary_pollutants == ("a34004",)


def test_2026_hourly_aqi_has_no_moving_means() -> None:
    day = date(2026, 3, 1)
    result = air.hour_aqi(_polluted_morning(day), local(day, 14))
    assert result.edition == "HJ 633-2026" and result.aqi is not None and result.aqi <= 50


def test_hourly_window_reads_the_day_before() -> None:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    assert air.hourly_window(start, start + H) == (start - 24 * H, start + H)


def test_air_series_ignores_other_codes_and_instants_off_the_hour() -> None:
    at = datetime(2026, 1, 1, 3, tzinfo=UTC)
    series = air.air_series([("a34004", at, 5.0), ("a34004", at + timedelta(minutes=5), 9.0),
                             ("w01001", at, 7.0)])
    assert series == {"a34004": {at: Decimal("5.0")}}


# --- noise ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("hour", "day_offset", "part"),
    [(5, -1, DayPart.NIGHT), (6, 0, DayPart.DAY), (21, 0, DayPart.DAY),
     (22, 0, DayPart.NIGHT), (23, 0, DayPart.NIGHT), (24 + 3, 0, DayPart.NIGHT)],
)
def test_the_night_runs_from_22_to_06_the_next_day(
    hour: int, day_offset: int, part: DayPart
) -> None:
    day = date(2026, 11, 3)
    assert noise.assessed_as(local(day, hour)) == (day + timedelta(days=day_offset), part)


def test_day_window_runs_to_06_the_morning_after() -> None:
    day = date(2026, 11, 3)
    assert noise.day_window(day, day) == (local(day, 6), local(day, 30))


def test_the_mean_is_rounded_before_it_is_compared() -> None:
    at = local(date(2026, 11, 3), 10)
    assert noise.judge_leq("1", at, 55.0075).compliant  # 55.0 = the limit: complies
    assert not noise.judge_leq("1", at, 55.06).compliant  # 55.1
    assert noise.rounded_level(noise.energy_mean([50.0, 40.0])) == Decimal("47.4")


def test_noise_day_uses_only_its_own_hours() -> None:
    day = date(2026, 11, 3)
    leq = [(local(day, h), 40.0) for h in range(22, 30)]
    leq += [(local(day, h), 80.0) for h in range(6)]  # the night before
    lmax = [(local(day, 26), 61.0), (local(day, 3), 99.0)]
    result = noise.noise_day(NoiseZone.Z1, day, leq, lmax)
    night = result.night
    assert (night.hours, night.lmax, night.compliant) == (8, 61.0, False)  # 61 > 45 + 15
    assert result.day_part.result is None and result.compliant is None


# --- water ---------------------------------------------------------------------------------


def test_targets_are_read_one_way() -> None:
    assert water.surface_target({"water_class": " iii "}) is WaterClass.III
    assert water.surface_target({"water_class": "VI"}) is None
    assert water.sea_target({"seawater_class": 2}) == water.sea_target({"seawater_class": "2"})
    assert water.water_body({"waterbody": "Reservoir"}).value == "lake"


def test_a_month_against_its_target() -> None:
    month = water.surface_month(
        {"water_class": "III"}, date(2026, 10, 1), {"w21003": [1.2, 1.4], "w01009": [6.5]}
    )
    assert month.result.water_class is WaterClass.IV and month.met is False
    (failing,) = month.failing
    assert failing.parameter == "w21003" and failing.target_limit == Decimal("1.0")
    assert failing.exceedance == pytest.approx(0.3)


# --- county --------------------------------------------------------------------------------


def test_tally_share() -> None:
    assert county.Tally().share is None
    assert county.Tally().add(True).add(False).add(True).share == 66.7
