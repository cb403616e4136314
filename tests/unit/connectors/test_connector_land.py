"""Land and Resources Bureau connector: groundwater wells and mine-geology points."""

from datetime import UTC, datetime

import pytest

from connectors.base import CanonicalObservation, load_record, normalise
from connectors.land import CONNECTOR

NOW = datetime(2026, 12, 1, tzinfo=UTC)
WELL = {
    "point": "YJ-GW-04",
    "measured_at": "2026-11-10T10:15:00+08:00",
    "depth_to_water_m": 4.35,
    "water_level_m": 12.81,
    "ph": 7.1,
    "tds_mg_l": 212,
    "hardness_mg_l": 118,
    "nh3n_mg_l": 0.08,
    "no3n_mg_l": 3.2,
    "as_ug_l": 1.2,
    "hg_ug_l": 0.05,
    "pb_ug_l": None,
}
MINE = {
    "point": "YJ-MG-02",
    "measured_at": "2026-11-10T15:00:00+08:00",
    "displacement_mm": 12.4,
    "depth_to_water_m": 18.2,
}


def _normalise(raw: dict) -> CanonicalObservation | list:
    return normalise(
        CONNECTOR,
        {"site": "YJ-MG-02", "time": "2026-11-10T15:00:00+08:00", "period": "PT0S", **raw},
        "observations[0]",
        NOW,
    )


def test_well_visit_translates_level_and_quality() -> None:
    obs, errors = load_record(CONNECTOR, WELL, "records[0]", NOW)
    assert errors == []
    by_code = {o.parameter: o for o in obs}
    assert set(by_code) == {
        "g_depth",
        "w_level",
        "w01001",
        "w01006",
        "g_hardness",
        "w21003",
        "w21007",
        "w20141",
        "w20111",
    }
    assert {(o.site, o.time, o.period) for o in obs} == {
        ("YJ-GW-04", datetime(2026, 11, 10, 2, 15, tzinfo=UTC), "PT0S")
    }
    assert by_code["g_depth"].value == 4.35
    assert by_code["w_level"].value == 12.81
    assert by_code["g_hardness"].value == 118
    assert by_code["w20141"].value == pytest.approx(0.0012, rel=1e-12)  # 1.2 µg/L As
    assert by_code["w20111"].value == pytest.approx(0.00005, rel=1e-12)


def test_mine_point_translates_displacement() -> None:
    obs, errors = load_record(CONNECTOR, MINE, "records[0]", NOW)
    assert errors == []
    assert {(o.site, o.parameter, o.value) for o in obs} == {
        ("YJ-MG-02", "g_displacement", 12.4),
        ("YJ-MG-02", "g_depth", 18.2),
    }


@pytest.mark.parametrize(
    ("parameter", "unit", "value", "expected"),
    [
        ("g_displacement", "cm", 1.24, 12.4),
        ("g_displacement", "m", -0.0031, -3.1),
        ("g_depth", "cm", 435, 4.35),
        ("w20141", "ug/L", 1.2, 0.0012),
    ],
)
def test_department_units_convert(parameter: str, unit: str, value: float, expected: float) -> None:
    result = _normalise({"parameter": parameter, "unit": unit, "value": value})
    assert isinstance(result, CanonicalObservation)
    assert result.value == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize(
    ("record", "path"),
    [
        ({**WELL, "depth_to_water": 4.35}, "records[0].depth_to_water"),  # typo'd column
        ({**MINE, "displacement_mm": "12.4mm"}, "records[0].displacement_mm"),
        ({k: v for k, v in MINE.items() if k != "point"}, "records[0].point"),
        ({**MINE, "measured_at": "2026-11-10"}, "records[0].measured_at"),
    ],
)
def test_bad_record_points_at_the_field(record: dict, path: str) -> None:
    obs, errors = load_record(CONNECTOR, record, "records[0]", NOW)
    assert obs == []
    assert [e.path for e in errors] == [path]


def test_parameter_of_another_department_is_not_allowed() -> None:
    result = _normalise({"parameter": "s_cd", "unit": "mg/kg", "value": 0.2})
    assert isinstance(result, list)
    assert [(e.path, e.code) for e in result] == [("observations[0].parameter", "not_allowed")]


def test_unit_that_cannot_be_converted_is_refused() -> None:
    # A tiltmeter's angle is not a displacement.
    result = _normalise({"parameter": "g_displacement", "unit": "deg", "value": 0.3})
    assert isinstance(result, list)
    assert [(e.path, e.code) for e in result] == [("observations[0].unit", "not_convertible")]
