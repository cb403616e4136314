"""IAQI by edition: breakpoints, boundaries, GB/T 8170 rounding and rules (b), (c)."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from hub.standards import IaqiRule, aqi_edition, iaqi
from hub.standards.aqi_tables import (
    CO_24H,
    NO2_1H,
    O3_1H,
    O3_8H,
    PM10_24H,
    PM25_24H,
    SO2_1H,
    SO2_24H,
)

OLD = date(2026, 2, 28)  # last local day of HJ 633-2012
NEW = date(2026, 3, 1)  # first local day of HJ 633-2026


@pytest.mark.parametrize(
    ("indicator", "value", "day", "expected"),
    [
        (SO2_24H, 0, OLD, 0),
        (SO2_24H, 50, NEW, 50),
        (SO2_24H, 150, OLD, 100),
        (SO2_24H, 150, NEW, 100),
        (SO2_24H, Decimal("150.1"), OLD, 101),  # 100.015 rounded up
        (SO2_24H, Decimal("150.1"), NEW, 100),  # rounded to 150 first
        (SO2_24H, 151, NEW, 101),
        (SO2_24H, 2620, NEW, 500),
        (NO2_1H, 200, NEW, 100),
        (NO2_1H, 201, NEW, 101),  # 100.1
        (CO_24H, 4, OLD, 100),
        (CO_24H, Decimal("4.04"), OLD, 101),  # 100.2, no rounding in 2012
        (CO_24H, Decimal("4.04"), NEW, 100),  # 4.0
        (CO_24H, Decimal("4.05"), NEW, 100),  # half to even: 4.0
        (CO_24H, Decimal("4.15"), NEW, 101),  # 4.2 → exactly 101
        (CO_24H, Decimal("4.35"), NEW, 102),  # 4.4 → 102
        (PM10_24H, 120, OLD, 85),  # 50 + 50/100 × 70, exact
        (PM10_24H, 120, NEW, 100),
        (PM10_24H, 150, OLD, 100),
        (PM10_24H, 150, NEW, 112),  # 111.54
        (PM25_24H, 35, NEW, 50),
        (PM25_24H, 36, NEW, 52),  # exactly 52
        (PM25_24H, Decimal("35.1"), OLD, 51),  # 50.125
        (PM25_24H, Decimal("35.1"), NEW, 50),
        (PM25_24H, 75, OLD, 100),
        (PM25_24H, 75, NEW, 114),  # 113.64
        (PM25_24H, 70, OLD, 94),  # 93.75
        (PM25_24H, 70, NEW, 110),  # 109.09
        (PM25_24H, 500, NEW, 500),
        (O3_1H, 1200, OLD, 500),
    ],
)
def test_iaqi_table_values(indicator, value, day, expected):
    assert iaqi(indicator, value, when=day).iaqi == expected


@pytest.mark.parametrize(
    ("value", "evaluated", "expected"),
    [
        ("60.4", "60", 100),
        ("60.5", "60", 100),  # 五成双: 60.5 → 60
        ("61.5", "62", 102),  # 61.5 → 62, 101.8 → 102
        ("60.51", "61", 101),  # anything after the 5 rounds up
    ],
)
def test_gbt8170_rounding_before_iaqi_in_2026(value, evaluated, expected):
    result = iaqi(PM25_24H, Decimal(value), when=NEW)
    assert result.evaluated == Decimal(evaluated)
    assert result.iaqi == expected


def test_2012_does_not_round_concentrations():
    result = iaqi(PM25_24H, 60.4, when=OLD)
    assert result.evaluated == Decimal("60.4")
    assert result.iaqi == 82  # 81.75


def test_float_input_is_read_as_typed_decimal():
    # 60.5 as a float is exact, 4.15 is not: both must behave like the decimal written.
    assert iaqi(PM25_24H, 60.5, when=NEW).iaqi == 100
    assert iaqi(CO_24H, 4.15, when=NEW).evaluated == Decimal("4.2")


def test_above_the_top_breakpoint_is_capped_at_500():
    result = iaqi(PM10_24H, 700, when=NEW)
    assert (result.iaqi, result.rule) == (500, IaqiRule.ABOVE_SCALE)
    assert iaqi(O3_1H, 1201, when=OLD).iaqi == 500


def test_rule_b_so2_1h_at_800_is_in_the_table():
    for day in (OLD, NEW):
        result = iaqi(SO2_1H, 800, when=day)
        assert (result.iaqi, result.rule) == (200, IaqiRule.TABLE)


def test_rule_b_2026_fixed_200():
    result = iaqi(SO2_1H, 801, when=NEW)
    assert (result.iaqi, result.rule) == (200, IaqiRule.FIXED)
    # 800.5 rounds (half even) to 800: still the table value.
    assert iaqi(SO2_1H, Decimal("800.5"), when=NEW).rule is IaqiRule.TABLE


def test_rule_b_2012_uses_so2_24h_iaqi():
    result = iaqi(SO2_1H, 801, when=OLD, related={SO2_24H: 160})
    assert (result.iaqi, result.rule) == (102, IaqiRule.SUBSTITUTED)  # 101.54
    assert iaqi(SO2_1H, Decimal("800.1"), when=OLD, related={SO2_24H: 10}).iaqi == 10


def test_rule_b_2012_without_so2_24h_has_no_iaqi():
    assert iaqi(SO2_1H, 900, when=OLD).iaqi is None


def test_rule_c_o3_8h():
    assert iaqi(O3_8H, 800, when=OLD).iaqi == 300
    assert iaqi(O3_8H, 800, when=NEW).iaqi == 300
    fixed = iaqi(O3_8H, 801, when=NEW)
    assert (fixed.iaqi, fixed.rule) == (300, IaqiRule.FIXED)
    used = iaqi(O3_8H, 801, when=OLD, related={O3_1H: 900})
    assert (used.iaqi, used.rule) == (350, IaqiRule.SUBSTITUTED)
    assert iaqi(O3_8H, 801, when=OLD, related={O3_1H: 1300}).iaqi == 500


def test_edition_follows_the_local_day():
    # 16:30 UTC on 28 Feb is 00:30 on 1 March in Yangjiang.
    assert aqi_edition(datetime(2026, 2, 28, 16, 30, tzinfo=UTC)).edition.code == "HJ 633-2026"
    assert aqi_edition(datetime(2026, 2, 28, 15, 59, tzinfo=UTC)).edition.code == "HJ 633-2012"
    assert iaqi(PM25_24H, 70, when=datetime(2026, 2, 28, 16, 30, tzinfo=UTC)).iaqi == 110


def test_bad_inputs_are_rejected():
    with pytest.raises(ValueError):
        iaqi(PM25_24H, -1, when=NEW)
    with pytest.raises(ValueError):
        iaqi(PM25_24H, float("nan"), when=NEW)
    with pytest.raises(ValueError):
        iaqi(PM25_24H, 10, when=datetime(2026, 3, 1, 12))  # naive
