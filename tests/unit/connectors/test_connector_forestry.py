"""Forestry Bureau connector: annual forest and wetland figures, hourly ecological stations."""

from datetime import UTC, datetime

import pytest

from connectors.base import CanonicalObservation, load_record, normalise
from connectors.forestry import CONNECTOR

NOW = datetime(2026, 12, 1, tzinfo=UTC)
INVENTORY = {
    "site": "YJ-FOR-02",
    "period_start": "2025-01-01T00:00:00+08:00",
    "period": "P1Y",
    "forest_cover_pct": 71.3,
    "forest_land_area_ha": 8650,
}
STATION = {
    "site": "YJ-ECO-01",
    "period_start": "2026-11-01T08:00:00+08:00",
    "period": "PT1H",
    "negative_ions_per_cm3": 2350,
    "air_temp_c": 22.4,
    "rh_pct": 78,
    "pm25_ug_m3": 14,
}


def _normalise(raw: dict) -> CanonicalObservation | list:
    return normalise(
        CONNECTOR,
        {"site": "YJ-WL-01", "time": "2025-01-01T00:00:00+08:00", "period": "P1Y", **raw},
        "observations[0]",
        NOW,
    )


def test_annual_inventory_keeps_its_year() -> None:
    obs, errors = load_record(CONNECTOR, INVENTORY, "records[0]", NOW)
    assert errors == []
    assert {(o.site, o.parameter, o.time, o.period, o.value) for o in obs} == {
        ("YJ-FOR-02", "e_forest_cover", datetime(2024, 12, 31, 16, tzinfo=UTC), "P1Y", 71.3),
        ("YJ-FOR-02", "e_forest_land_area", datetime(2024, 12, 31, 16, tzinfo=UTC), "P1Y", 8650),
    }


def test_station_hour() -> None:
    obs, errors = load_record(CONNECTOR, STATION, "records[0]", NOW)
    assert errors == []
    assert {o.parameter: o.value for o in obs} == {
        "e_negative_ions": 2350,
        "a01001": 22.4,
        "a01002": 78,
        "a34004": 14,
    }
    assert {(o.time, o.period) for o in obs} == {(datetime(2026, 11, 1, 0, tzinfo=UTC), "PT1H")}


@pytest.mark.parametrize(
    ("parameter", "unit", "value", "expected"),
    [
        ("e_wetland_area", "亩", 1500, 100),  # 1 亩 = 1/15 ha
        ("e_wetland_area", "km2", 12.5, 1250),
        ("e_wetland_area", "hm²", 1250, 1250),
        ("e_forest_cover", "fraction", 0.713, 71.3),
        ("e_negative_ions", "个/cm³", 2350, 2350),
    ],
)
def test_department_units_convert(parameter: str, unit: str, value: float, expected: float) -> None:
    result = _normalise({"parameter": parameter, "unit": unit, "value": value})
    assert isinstance(result, CanonicalObservation)
    assert result.value == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize(
    ("record", "path"),
    [
        ({**STATION, "negative_ion_per_cm3": 2350}, "records[0].negative_ion_per_cm3"),  # typo
        ({**STATION, "period": "1 hour"}, "records[0].period"),
        ({**INVENTORY, "forest_cover_pct": "71.3%"}, "records[0].forest_cover_pct"),
        ({k: v for k, v in STATION.items() if k != "site"}, "records[0].site"),
        ({k: v for k, v in INVENTORY.items() if k != "period"}, "records[0].period"),
    ],
)
def test_bad_record_points_at_the_field(record: dict, path: str) -> None:
    obs, errors = load_record(CONNECTOR, record, "records[0]", NOW)
    assert obs == []
    assert [e.path for e in errors] == [path]


def test_parameter_of_another_department_is_not_allowed() -> None:
    result = _normalise({"parameter": "g_depth", "unit": "m", "value": 4.3})
    assert isinstance(result, list)
    assert [(e.path, e.code) for e in result] == [("observations[0].parameter", "not_allowed")]


def test_unit_that_cannot_be_converted_is_refused() -> None:
    # Cover is a share of land, not an area.
    result = _normalise({"parameter": "e_forest_cover", "unit": "ha", "value": 8650})
    assert isinstance(result, list)
    assert [(e.path, e.code) for e in result] == [("observations[0].unit", "not_convertible")]
