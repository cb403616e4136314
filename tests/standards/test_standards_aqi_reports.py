"""Hourly and daily AQI: indicator sets, primary pollutants, levels and the NA rule."""

from datetime import UTC, date, datetime

import pytest

from hub.standards import aqi_level, daily_aqi, hourly_aqi
from hub.standards.aqi_tables import (
    CO_1H,
    CO_24H,
    NO2_1H,
    NO2_24H,
    O3_1H,
    O3_8H,
    PM10_1H,
    PM10_24H,
    PM25_1H,
    PM25_24H,
    SO2_1H,
    SO2_24H,
)

OLD, NEW = date(2026, 2, 28), date(2026, 3, 1)
LAST_OLD_HOUR = datetime(2026, 2, 28, 15, tzinfo=UTC)  # 23:00 local on 28 Feb
FIRST_NEW_HOUR = datetime(2026, 2, 28, 16, tzinfo=UTC)  # 00:00 local on 1 March


def clean_day():
    # IAQIs: 10, 25, 13, 25, 40, 29 and O3 1h max 19 → AQI 40 under either edition.
    return {SO2_24H: 10, NO2_24H: 20, CO_24H: 0.5, O3_8H: 50, PM10_24H: 40, PM25_24H: 20, O3_1H: 60}


def clean_hour():
    # IAQIs: 4, 10, 5, 19, 40, 29 → AQI 40 under either edition.
    return {SO2_1H: 10, NO2_1H: 20, CO_1H: 0.5, O3_1H: 60, PM10_1H: 40, PM25_1H: 20}


def test_daily_pm25_70_either_side_of_the_switch():
    old = daily_aqi(OLD, clean_day() | {PM25_24H: 70})
    new = daily_aqi(NEW, clean_day() | {PM25_24H: 70})
    assert (old.edition, old.aqi, old.level.zh) == ("HJ 633-2012", 94, "良")
    assert (new.edition, new.aqi, new.level.zh) == ("HJ 633-2026", 110, "轻度污染")


def test_daily_day_given_as_utc_datetime_uses_local_day():
    result = daily_aqi(datetime(2026, 2, 28, 16, 30, tzinfo=UTC), clean_day() | {PM25_24H: 70})
    assert (result.day, result.aqi) == (NEW, 110)


def test_primary_pollutant_ties_are_all_listed():
    result = daily_aqi(NEW, clean_day() | {PM10_24H: 120, PM25_24H: 60})
    assert result.aqi == 100
    assert result.primary_pollutants == ("a34002", "a34004")


def test_no_primary_pollutant_at_aqi_50_but_one_at_51():
    at_50 = daily_aqi(NEW, clean_day() | {PM25_24H: 35})
    assert (at_50.aqi, at_50.primary_pollutants) == (50, ())
    at_52 = daily_aqi(NEW, clean_day() | {PM25_24H: 36})
    assert (at_52.aqi, at_52.primary_pollutants) == (52, ("a34004",))


def test_daily_2012_rule_c_uses_daily_max_1h_o3():
    result = daily_aqi(OLD, clean_day() | {O3_8H: 801, O3_1H: 900})
    assert result.aqi == 350
    assert result.primary_pollutants == ("a05024",)  # listed once, though two O3 indicators
    assert set(result.primary_indicators) == {O3_8H, O3_1H}
    assert result.level.en == "severe pollution"


def test_daily_2026_rule_c_fixed_300():
    result = daily_aqi(NEW, clean_day() | {O3_8H: 801})
    assert (result.aqi, result.level.level, result.level.colour) == (300, 5, "#99004C")


def test_daily_2026_ignores_the_1h_o3_maximum():
    result = daily_aqi(NEW, clean_day() | {O3_1H: 1000})
    assert result.aqi == 40
    assert O3_1H not in {i.indicator for i in result.iaqis}


def test_daily_2012_needs_the_1h_o3_maximum():
    values = clean_day()
    del values[O3_1H]
    assert daily_aqi(OLD, values).published == "NA"
    assert daily_aqi(NEW, values).aqi is not None


def test_na_when_a_pollutant_is_missing_and_the_rest_stay_at_100():
    result = daily_aqi(NEW, clean_day() | {NO2_24H: None, PM25_24H: 60})
    assert result.aqi is None
    assert result.published == "NA"
    assert result.missing == (NO2_24H,)
    assert (result.level, result.primary_pollutants) == (None, ())


def test_published_when_a_pollutant_is_missing_but_the_rest_exceed_100():
    values = clean_day() | {PM25_24H: 61.5}
    del values[NO2_24H]  # an absent key counts as missing too
    result = daily_aqi(NEW, values)
    assert (result.aqi, result.primary_pollutants) == (102, ("a34004",))
    assert result.missing == (NO2_24H,)


def test_hourly_2026_places_pm_1h_on_24h_breakpoints():
    new = hourly_aqi(FIRST_NEW_HOUR, clean_hour() | {PM25_1H: 75})
    old = hourly_aqi(LAST_OLD_HOUR, clean_hour() | {PM25_1H: 75})
    assert (new.edition, new.aqi) == ("HJ 633-2026", 114)
    assert (old.edition, old.aqi) == ("HJ 633-2012", 100)


def test_hourly_2012_takes_the_optional_moving_means():
    result = hourly_aqi(LAST_OLD_HOUR, clean_hour() | {PM25_1H: 50, PM25_24H: 80})
    assert result.aqi == 107  # 106.25 from the 24h moving mean, above the 1h value's 69
    assert result.primary_indicators == (PM25_24H,)
    assert len(result.iaqis) == 7


def test_hourly_2012_without_moving_means_is_not_na():
    assert hourly_aqi(LAST_OLD_HOUR, clean_hour()).aqi == 40


def test_hourly_2026_ignores_moving_means():
    result = hourly_aqi(FIRST_NEW_HOUR, clean_hour() | {PM25_24H: 500})
    assert result.aqi == 40


def test_hourly_2026_so2_above_800():
    result = hourly_aqi(FIRST_NEW_HOUR, clean_hour() | {SO2_1H: 900})
    assert (result.aqi, result.primary_pollutants) == (200, ("a21026",))


def test_hourly_2012_so2_above_800_with_and_without_the_24h_mean():
    with_24h = hourly_aqi(LAST_OLD_HOUR, clean_hour() | {SO2_1H: 900, SO2_24H: 160})
    assert with_24h.aqi == 102
    without = hourly_aqi(LAST_OLD_HOUR, clean_hour() | {SO2_1H: 900})
    assert (without.published, without.missing) == ("NA", (SO2_1H,))
    busy = hourly_aqi(LAST_OLD_HOUR, clean_hour() | {SO2_1H: 900, PM25_1H: 200})
    assert busy.aqi == 250


def test_hourly_rejects_naive_time():
    with pytest.raises(ValueError):
        hourly_aqi(datetime(2026, 3, 1, 8), clean_hour())


@pytest.mark.parametrize(
    ("aqi", "level", "colour"),
    [
        (0, 1, "#00E400"),
        (50, 1, "#00E400"),
        (51, 2, "#FFFF00"),
        (100, 2, "#FFFF00"),
        (101, 3, "#FF7E00"),
        (150, 3, "#FF7E00"),
        (151, 4, "#FF0000"),
        (200, 4, "#FF0000"),
        (201, 5, "#99004C"),
        (300, 5, "#99004C"),
        (301, 6, "#7E0023"),
        (500, 6, "#7E0023"),
    ],
)
def test_levels(aqi, level, colour):
    assert (aqi_level(aqi).level, aqi_level(aqi).colour) == (level, colour)
