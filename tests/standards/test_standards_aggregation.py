"""Hourly → daily aggregation with GB 3095 validity, on local (UTC+8) days."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from hub.standards import (
    LOCAL_TZ,
    daily_aqi,
    daily_indicators,
    daily_max_1h,
    daily_max_8h,
    daily_mean,
    index_hourly,
    trailing_mean,
)
from hub.standards.aqi_tables import O3_1H, O3_8H, PM25_24H, SO2_24H

DAY = date(2026, 3, 1)
MIDNIGHT = datetime(2026, 3, 1, tzinfo=LOCAL_TZ)  # = 2026-02-28T16:00Z


def hours(values, start=MIDNIGHT):
    """Pairs (UTC hour start, value) for consecutive local hours from ``start``."""
    return [((start + timedelta(hours=k)).astimezone(UTC), v) for k, v in enumerate(values)]


def test_daily_mean_needs_20_valid_hours():
    twenty = hours([10] * 20 + [None] * 4)
    nineteen = hours([10] * 19 + [None] * 5)
    assert daily_mean(twenty, DAY) == Decimal(10)
    assert daily_mean(nineteen, DAY) is None


def test_daily_mean_is_exact_and_skips_invalid_hours():
    series = hours([*range(1, 21), None, float("nan"), None, None])
    assert daily_mean(series, DAY) == Decimal("10.5")


def test_daily_mean_uses_the_local_calendar_day():
    before = [(datetime(2026, 2, 28, 15, tzinfo=UTC), 1000)]  # 23:00 local on 28 Feb
    after = [(datetime(2026, 3, 1, 16, tzinfo=UTC), 1000)]  # 00:00 local on 2 March
    assert daily_mean(before + hours([10] * 24) + after, DAY) == Decimal(10)
    # The same local day named by an aware UTC datetime inside it.
    assert daily_mean(hours([10] * 24), datetime(2026, 2, 28, 16, 30, tzinfo=UTC)) == 10


def test_bad_hourly_input_is_rejected():
    with pytest.raises(ValueError, match="naive"):
        index_hourly([(datetime(2026, 3, 1, 0), 1)])
    with pytest.raises(ValueError, match="on the hour"):
        index_hourly([(datetime(2026, 3, 1, 0, 30, tzinfo=UTC), 1)])
    with pytest.raises(ValueError, match="duplicate"):
        index_hourly([(MIDNIGHT, 1), (MIDNIGHT.astimezone(UTC), 2)])


def test_trailing_8h_mean_needs_6_of_8_hours():
    last = MIDNIGHT + timedelta(hours=7)
    six = hours([8, None, 8, 8, None, 8, 8, 8])
    five = hours([8, None, 8, None, None, 8, 8, 8])
    assert trailing_mean(six, last, 8, 6) == Decimal(8)
    assert trailing_mean(five, last, 8, 6) is None


def test_daily_max_8h_stays_inside_the_local_day():
    # Hours 17–23 at 200, hour 16 at 50; the next day's first hours at 200 too. A window
    # starting at 17:00 would reach into the next day and is not counted.
    today = [50] * 17 + [200] * 7
    series = hours(today + [200] * 8)
    assert daily_max_8h(series, DAY) == Decimal("181.25")  # (50 + 7 × 200) / 8


def test_daily_max_8h_needs_14_windows_unless_it_already_exceeds():
    # Only hours 00–12 valid: windows starting 00–07 have ≥ 6 valid hours → 8 windows.
    high = hours([200] * 13 + [None] * 11)
    low = hours([100] * 13 + [None] * 11)
    assert daily_max_8h(high, DAY) is None
    assert daily_max_8h(high, DAY, exceedance_limit=160) == Decimal(200)
    assert daily_max_8h(low, DAY, exceedance_limit=160) is None
    assert daily_max_8h(low, DAY, min_valid_windows=8) == Decimal(100)


def test_daily_max_1h():
    assert daily_max_1h(hours([10] * 23 + [250]), DAY) == Decimal(250)
    assert daily_max_1h(hours([250] * 19), DAY) is None


def test_daily_indicators_feed_daily_aqi():
    series = {
        "a21026": hours([10] * 24),
        "a05024": hours([100] * 24),
        "a34004": hours([70] * 20 + [None] * 4),
    }
    values = daily_indicators(series, DAY)
    assert (values[SO2_24H], values[PM25_24H]) == (Decimal(10), Decimal(70))
    assert (values[O3_8H], values[O3_1H]) == (Decimal(100), Decimal(100))
    assert values[next(k for k in values if k.code == "a21004")] is None
    result = daily_aqi(DAY, values)
    # NO2, CO and PM10 missing, PM2.5 gives 110 > 100: published.
    assert (result.aqi, result.primary_pollutants) == (110, ("a34004",))
