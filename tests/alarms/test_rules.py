"""Alarm rules against hand-computed cases from the standards' tables (no I/O)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta, timezone

import pytest

from hub.alarms.rules import RULES, Rule, RuleContext, device, emission, evaluate
from hub.alarms.targets import AQI_PARAMETER, air_quality, noise, seawater, surface_water
from hub.alarms.types import Kind, Reading, RuleSite
from hub.assessments.air import AirSeries, air_series

CST = timezone(timedelta(hours=8))
T = datetime(2026, 11, 3, 10, 0, tzinfo=CST)
HOUR, GRAB = timedelta(hours=1), timedelta(0)


class FakeLookups:
    def __init__(
        self,
        limits: Mapping[tuple[int, str], tuple[float, str]] | None = None,
        hours: Mapping[tuple[int, datetime], Mapping[str, float]] | None = None,
        flags: Sequence[str] = (),
    ) -> None:
        self.limits, self.hours, self.flags = dict(limits or {}), dict(hours or {}), list(flags)

    def emission_limit(self, site_id: int, parameter: str) -> tuple[float, str] | None:
        return self.limits.get((site_id, parameter))

    def air_series(self, site_id: int, hour: datetime) -> AirSeries:
        return air_series(
            (code, at, value)
            for (sid, at), values in self.hours.items()
            if sid == site_id
            for code, value in values.items()
        )

    def recent_flags(self, site_id: int, parameter: str, until: datetime, n: int) -> list[str]:
        return self.flags[:n]

    def value_at(self, site_id: int, parameter: str, start: datetime) -> float | None:
        return self.hours.get((site_id, start), {}).get(parameter)


RIVER_III = RuleSite(
    1, "SW", "surface-water", "441702", "water", {"water_class": "III", "waterbody": "river"}
)
RESERVOIR_II = RuleSite(
    2, "DW", "drinking-water", "441704", "water", {"water_class": "II", "waterbody": "reservoir"}
)
SEA_2 = RuleSite(3, "SEA", "coastal", "hailingwan", "sea", {"seawater_class": 2})
NOISE_1 = RuleSite(4, "NZ", "noise-functional", "441702", "noise", {"noise_zone": "1"})
AIR = RuleSite(5, "AIR", "air-city", "441702", "air", {})
SOURCE = RuleSite(6, "SRC", "pollution-source", "441702", "emission", {})
CX = RuleContext()


def read(
    site: RuleSite,
    parameter: str,
    value: float | None,
    *,
    at: datetime = T,
    period: timedelta = GRAB,
    flag: str = "N",
) -> Reading:
    return Reading(site, parameter, at, period, value, flag, "mg/L")


# --- GB 3838 surface water (class III river: NH3-N ≤ 1.0, IV ≤ 1.5, V ≤ 2.0) -------------


@pytest.mark.parametrize(
    ("value", "breach", "cls"),
    [
        (1.8, True, "V"),
        (1.0, False, "III"),
        (1.0001, True, "IV"),
        (0.15, False, "I"),
        (2.01, True, "劣V"),
    ],
)
def test_ammonia_against_class_iii(value: float, breach: bool, cls: str) -> None:
    v = surface_water(read(RIVER_III, "w21003", value), FakeLookups(), CX)
    assert v is not None and v.kind is Kind.EXCEEDANCE and v.rule == "gb3838"
    assert v.breach is breach and v.detail["class"] == cls
    assert v.limit == 1.0 and v.target == "GB 3838 class III"


def test_dissolved_oxygen_is_a_floor() -> None:
    # DO ≥ 5 mg/L for class III: 5.0 complies, 4.9 is class IV.
    assert surface_water(read(RIVER_III, "w01009", 5.0), FakeLookups(), CX).breach is False
    low = surface_water(read(RIVER_III, "w01009", 4.9), FakeLookups(), CX)
    assert low.breach is True and low.limit == 5.0 and low.detail["class"] == "IV"


def test_phosphorus_is_stricter_in_reservoirs() -> None:
    # TP 0.05 mg/L: class II in a river (≤ 0.1); lakes/reservoirs class II ≤ 0.025.
    assert surface_water(read(RIVER_III, "w21011", 0.05), FakeLookups(), CX).breach is False
    res = surface_water(read(RESERVOIR_II, "w21011", 0.05), FakeLookups(), CX)
    assert res.breach is True and res.limit == 0.025


def test_ph_outside_6_to_9_and_items_outside_the_method() -> None:
    assert surface_water(read(RIVER_III, "w01001", 9.5), FakeLookups(), CX).breach is True
    assert surface_water(read(RIVER_III, "w01001", 9.0), FakeLookups(), CX).breach is False
    # TN in a river and fecal coliform take no part in the single-factor method.
    assert surface_water(read(RIVER_III, "w21001", 9.0), FakeLookups(), CX) is None
    assert surface_water(read(RIVER_III, "w02003", 1e6), FakeLookups(), CX) is None


def test_invalid_values_are_not_judged_against_limits() -> None:
    for flag in "DFBMCS":
        assert surface_water(read(RIVER_III, "w21003", 9.0, flag=flag), FakeLookups(), CX) is None
    bad_qc = Reading(RIVER_III, "w21003", T, GRAB, 9.0, "N", "mg/L", qc_invalid=True)
    assert surface_water(bad_qc, FakeLookups(), CX) is None
    # T (over the instrument's range) is a real, high reading.
    assert surface_water(read(RIVER_III, "w21003", 9.0, flag="T"), FakeLookups(), CX).breach


# --- GB 3097 seawater (class 2: COD ≤ 3; DO > 5) -----------------------------------------


def test_seawater_class_2() -> None:
    assert seawater(read(SEA_2, "w01018", 3.0), FakeLookups(), CX).breach is False
    worse = seawater(read(SEA_2, "w01018", 3.1), FakeLookups(), CX)
    assert worse.breach is True and worse.limit == 3.0 and worse.detail["class"] == 3
    # DO must be *above* 5 for class 2: exactly 5 is class 3.
    assert seawater(read(SEA_2, "w01009", 5.0), FakeLookups(), CX).breach is True
    assert seawater(read(SEA_2, "w01009", 5.01), FakeLookups(), CX).breach is False
    assert seawater(read(SEA_2, "w21003", 5.0), FakeLookups(), CX) is None  # not in GB 3097


# --- GB 3096 noise (zone 1: day 55, night 45 dB(A); night from 22:00 local) --------------


@pytest.mark.parametrize(
    ("local_hour", "leq", "breach", "limit"),
    [
        (10, 55.0, False, 55.0),
        (10, 55.1, True, 55.0),
        (22, 45.1, True, 45.0),
        (5, 45.0, False, 45.0),
        (6, 50.0, False, 55.0),
        (21, 55.1, True, 55.0),
    ],
)
def test_noise_zone_1_day_and_night(
    local_hour: int, leq: float, breach: bool, limit: float
) -> None:
    at = T.replace(hour=local_hour)
    v = noise(read(NOISE_1, "n_leq", leq, at=at, period=HOUR), FakeLookups(), CX)
    assert v is not None and v.breach is breach and v.limit == limit
    assert noise(read(NOISE_1, "n_lmax", 90.0, at=at), FakeLookups(), CX) is None


# --- HJ 633 hourly AQI: level 4 (AQI ≥ 151) and up ---------------------------------------


def _air(at: datetime, values: Mapping[str, float]) -> Reading:
    lookups = FakeLookups(hours={(AIR.id, at): values})
    reading = Reading(AIR, "a34004", at, HOUR, values.get("a34004"), "N", "ug/m3")
    return air_quality(reading, lookups, CX)


def test_pm25_150_is_aqi_200_level_4() -> None:
    v = _air(T, {"a34004": 150.0})
    assert v is not None and v.parameter == AQI_PARAMETER and v.breach
    assert (
        v.value == 200 and v.detail["level"] == 4 and v.detail["primary_pollutants"] == ["a34004"]
    )


def test_pm25_115_is_aqi_150_level_3_no_alarm() -> None:
    v = _air(
        T,
        {
            "a34004": 115.0,
            "a21026": 10.0,
            "a21004": 20.0,
            "a21005": 0.5,
            "a05024": 50.0,
            "a34002": 60.0,
        },
    )
    assert v is not None and v.value == 150 and v.breach is False


def test_same_hour_value_either_side_of_2026_03_01() -> None:
    # PM2.5 115.4 µg/m³. HJ 633-2012 (to 2026-02-28): 150 + 50/35 × 0.4 = 150.57 → 151,
    # level 4 → alarm. HJ 633-2026 rounds to 115 first → IAQI 150, level 3 → no alarm.
    before = _air(datetime(2026, 2, 28, 10, tzinfo=CST), {"a34004": 115.4})
    after = _air(datetime(2026, 3, 1, 10, tzinfo=CST), {"a34004": 115.4})
    assert before.breach and before.value == 151 and before.detail["edition"] == "HJ 633-2012"
    assert not after.breach and after.value == 150 and after.detail["edition"] == "HJ 633-2026"
    # The edition follows the local day: 2026-03-01 00:00+08:00 is still 2026-02-28 in UTC.
    midnight = _air(datetime(2026, 3, 1, 0, tzinfo=CST), {"a34004": 115.4})
    assert midnight.detail["edition"] == "HJ 633-2026"


def test_na_hour_gives_no_verdict() -> None:
    # One pollutant at IAQI ≤ 100 with the others missing: AQI "NA".
    assert _air(T, {"a34004": 50.0}) is None


def test_air_rule_needs_an_hourly_air_value() -> None:
    daily = Reading(AIR, "a34004", T, timedelta(days=1), 300.0, "N", "ug/m3")
    assert air_quality(daily, FakeLookups(), CX) is None
    assert air_quality(read(RIVER_III, "a34004", 300.0, period=HOUR), FakeLookups(), CX) is None


# --- emission limits, device flags -------------------------------------------------------


def test_emission_over_the_configured_limit() -> None:
    lk = FakeLookups(limits={(SOURCE.id, "a21026"): (100.0, "mg/m3")})
    assert emission(read(SOURCE, "a21026", 100.0), lk, CX).breach is False
    over = emission(read(SOURCE, "a21026", 100.5), lk, CX)
    assert over.kind is Kind.EMISSION and over.breach and over.limit == 100.0
    assert emission(read(SOURCE, "a21002", 999.0), lk, CX) is None  # no limit configured


def test_device_run_of_three() -> None:
    run = device(read(AIR, "a34004", None, flag="D"), FakeLookups(flags="DFB"), CX)
    assert run.kind is Kind.DEVICE and run.breach and run.may_open
    short = device(read(AIR, "a34004", None, flag="D"), FakeLookups(flags="DND"), CX)
    assert short.breach and not short.may_open
    few = device(read(AIR, "a34004", None, flag="B"), FakeLookups(flags="BB"), CX)
    assert not few.may_open
    assert device(read(AIR, "a34004", 1.0, flag="N"), FakeLookups(), CX).breach is False
    assert device(read(AIR, "a34004", 1.0, flag="M"), FakeLookups(), CX) is None
    longer = RuleContext(device_run=5)
    assert not device(
        read(AIR, "a34004", None, flag="D"), FakeLookups(flags="DDD"), longer
    ).may_open


def test_the_table_walks_every_rule_and_skips_one_that_fails() -> None:
    kinds = {v.kind for v in evaluate(read(RIVER_III, "w21003", 1.8), FakeLookups(), CX)}
    assert kinds == {Kind.EXCEEDANCE, Kind.DEVICE}
    broken = RuleSite(9, "X", "surface-water", None, "water", {"water_class": "VI"})
    verdicts = evaluate(read(broken, "w21003", 1.8), FakeLookups(), CX)
    assert [v.kind for v in verdicts] == [Kind.DEVICE]

    def boom(*_: object) -> None:
        raise ValueError("no")

    assert (
        evaluate(
            read(RIVER_III, "w21003", 1.8),
            FakeLookups(),
            CX,
            (Rule("boom", Kind.EXCEEDANCE, boom),),
        )
        == []
    )
    assert {r.kind for r in RULES} == {Kind.EXCEEDANCE, Kind.EMISSION, Kind.DEVICE}


PADDY = RuleSite(7, "FS", "farmland-soil", "441781", "soil", {"soil_land_use": "paddy"})
ORCHARD_LESS = RuleSite(8, "FS2", "farmland-soil", "441781", "soil", {})


@pytest.mark.parametrize(
    ("site", "ph", "cd", "breach"),
    [
        (PADDY, 5.0, 0.30, False),  # pH <= 5.5, paddy Cd screening 0.3: at the value complies
        (PADDY, 5.0, 0.31, True),
        (PADDY, 7.0, 0.55, False),  # 6.5 < pH <= 7.5, paddy 0.6
        (PADDY, 7.0, 0.61, True),
        (ORCHARD_LESS, 7.0, 0.35, True),  # "other" land: 0.3 in that band
    ],
)
def test_soil_screening_values_by_ph_band(site, ph, cd, breach) -> None:
    from hub.alarms.targets import soil

    lk = FakeLookups(hours={(site.id, T): {"s_ph": ph}})
    v = soil(Reading(site, "s_cd", T, GRAB, cd, "N", "mg/kg"), lk, CX)
    assert v is not None and v.breach is breach
    assert v.kind is Kind.EXCEEDANCE


def test_soil_without_the_samples_ph_is_not_judged() -> None:
    from hub.alarms.targets import soil

    assert soil(Reading(PADDY, "s_cd", T, GRAB, 5.0, "N", "mg/kg"), FakeLookups(), CX) is None


def test_2012_air_rule_counts_the_moving_means_like_the_api() -> None:
    # Twelve hours of PM2.5 250 then twelve of 10 µg/m³ (other pollutants low): at the last
    # clean hour the moving 24-hour mean is 130 → IAQI 172 under HJ 633-2012 (the API's
    # answer), while the hour's own 10 µg/m³ would be IAQI 15.
    last = datetime(2025, 11, 10, 23, tzinfo=CST)
    steady = {"a21026": 10.0, "a21004": 20.0, "a21005": 0.5, "a05024": 50.0, "a34002": 40.0}
    hours = {
        (AIR.id, last - k * HOUR): {**steady, "a34004": 10.0 if k < 12 else 250.0}
        for k in range(24)
    }
    reading = Reading(AIR, "a34004", last, HOUR, 10.0, "N", "ug/m3")
    v = air_quality(reading, FakeLookups(hours=hours), CX)
    assert v is not None and v.value == 172 and v.breach and v.detail["edition"] == "HJ 633-2012"
