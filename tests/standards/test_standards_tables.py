"""Integrity of the data tables and of the public API."""

import itertools
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

from hub.standards import STANDARD_PARAMETERS, local_day
from hub.standards.air_limits import AIR_LIMIT_TABLES
from hub.standards.aqi_tables import AQI_EDITIONS, IAQI_STEPS
from hub.standards.rounding import round_gbt8170, to_decimal
from hub.standards.surface_water_tables import GB3838_2002

EDITION_CHAINS = [AQI_EDITIONS, AIR_LIMIT_TABLES]


@pytest.mark.parametrize("chain", EDITION_CHAINS)
def test_editions_follow_each_other_without_gap_or_overlap(chain):
    for older, newer in itertools.pairwise(chain):
        assert older.edition.valid_until + timedelta(days=1) == newer.edition.valid_from
    assert chain[-1].edition.valid_until is None


def test_the_aqi_switch_day():
    assert AQI_EDITIONS[1].edition.valid_from == date(2026, 3, 1)


@pytest.mark.parametrize("edition", AQI_EDITIONS)
def test_breakpoint_columns(edition):
    for indicator, column in edition.breakpoints.items():
        assert column[0] == 0
        assert all(a < b for a, b in itertools.pairwise(column)), indicator
        assert len(column) <= len(IAQI_STEPS)
        if len(column) < len(IAQI_STEPS):  # columns that stop early need rule (b)/(c)
            assert indicator in edition.above_scale


def test_2012_and_2026_differ_only_at_pm_iaqi_100():
    old, new = (e.breakpoints for e in AQI_EDITIONS)
    diffs = {
        (str(k), i)
        for k in old
        for i, (a, b) in enumerate(zip(old[k], new[k], strict=True))
        if a != b
    }
    assert diffs == {("a34002/24h", 2), ("a34002/1h", 2), ("a34004/24h", 2), ("a34004/1h", 2)}


def test_parameter_mapping():
    assert STANDARD_PARAMETERS["HJ 633"] == {
        "a21026",
        "a21004",
        "a21005",
        "a05024",
        "a34002",
        "a34004",
    }
    # The 21 items of the section class (pH included) plus TN and fecal coliform.
    assert len(STANDARD_PARAMETERS["GB 3838"]) == 23
    section = [i for i in GB3838_2002.items.values() if i.in_section_class]
    assert len(section) + 1 == 21  # + pH, held apart as a range
    assert {"w21001", "w02003", "w01001"} <= STANDARD_PARAMETERS["GB 3838"]
    assert "s_ph" in STANDARD_PARAMETERS["GB 15618"]
    assert STANDARD_PARAMETERS["GB 3096"] == {"n_leq", "n_lmax"}


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        ("60.5", 0, "60"),
        ("61.5", 0, "62"),
        ("60.51", 0, "61"),
        ("60.4", 0, "60"),
        ("10.05", 1, "10.0"),
        ("10.15", 1, "10.2"),
        ("10.25", 1, "10.2"),
    ],
)
def test_gbt8170(value, places, expected):
    assert round_gbt8170(Decimal(value), places) == Decimal(expected)


def test_to_decimal():
    assert to_decimal(0.1) == Decimal("0.1")
    for bad in (True, float("inf"), Decimal("NaN")):
        with pytest.raises(ValueError):
            to_decimal(bad)


def test_local_day_rejects_naive_datetime():
    with pytest.raises(ValueError):
        local_day(datetime(2026, 3, 1))
