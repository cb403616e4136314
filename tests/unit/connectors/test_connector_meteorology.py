"""Meteorological Bureau connector: hourly weather and atmospheric-composition reports."""

from datetime import UTC, datetime

import pytest

from connectors.base import CanonicalObservation, load_record, normalise
from connectors.meteorology import CONNECTOR

NOW = datetime(2026, 12, 1, tzinfo=UTC)
REPORT = {
    "station": "YJ-MET-59663",
    "observed_at": "2026-11-01T08:00:00+08:00",
    "temp_c": 21.6,
    "rh_pct": 83,
    "pressure_hpa": 1013.2,
    "wind_speed_ms": 3.4,
    "wind_dir_deg": None,
    "precip_mm": 0.4,
    "visibility_m": 8500,
    "pm25_ug_m3": 28,
    "o3_ug_m3": 61,
    "co_mg_m3": 0.7,
}


def _normalise(raw: dict) -> CanonicalObservation | list:
    return normalise(
        CONNECTOR,
        {"site": "YJ-MET-59663", "time": "2026-11-01T07:00:00+08:00", **raw},
        "observations[0]",
        NOW,
    )


def test_report_becomes_the_hour_ending_at_the_observation_time() -> None:
    obs, errors = load_record(CONNECTOR, REPORT, "records[0]", NOW)
    assert errors == []
    # 08:00 Beijing time closes the hour 07:00-08:00, i.e. 23:00-24:00 UTC the day before.
    assert {(o.site, o.time, o.period) for o in obs} == {
        ("YJ-MET-59663", datetime(2026, 10, 31, 23, 0, tzinfo=UTC), "PT1H")
    }
    by_code = {o.parameter: o.value for o in obs}
    assert by_code.pop("a01006") == pytest.approx(101.32, rel=1e-12)  # 1013.2 hPa
    assert by_code.pop("m_visibility") == pytest.approx(8.5, rel=1e-12)  # 8500 m
    assert by_code == {
        "a01001": 21.6,
        "a01002": 83,
        "a01007": 3.4,
        "m_precip": 0.4,
        "a34004": 28,
        "a05024": 61,
        "a21005": 0.7,
    }  # calm: no direction


@pytest.mark.parametrize(
    ("parameter", "unit", "value", "expected"),
    [
        ("a01006", "hPa", 1013.2, 101.32),
        ("a01006", "Pa", 101320, 101.32),
        ("a01001", "K", 294.75, 21.6),
        ("a01007", "km/h", 12.24, 3.4),
        ("m_visibility", "m", 8500, 8.5),
        ("m_precip", "cm", 0.04, 0.4),
        ("a05024", "ppb", 30, 30 * 47.998 / 24.465),
    ],
)
def test_department_units_convert(parameter: str, unit: str, value: float, expected: float) -> None:
    result = _normalise({"parameter": parameter, "unit": unit, "value": value})
    assert isinstance(result, CanonicalObservation)
    assert result.value == pytest.approx(expected, rel=1e-12)


def test_local_plausible_ranges() -> None:
    assert CONNECTOR.parameters["a01001"].plausible == (-5.0, 42.0)
    assert CONNECTOR.parameters["a01006"].plausible == (90.0, 106.0)


@pytest.mark.parametrize(
    ("record", "path"),
    [
        ({**REPORT, "pressure_hPa": 1013.2}, "records[0].pressure_hPa"),  # typo'd column
        ({**REPORT, "temp_c": "21.6C"}, "records[0].temp_c"),
        ({k: v for k, v in REPORT.items() if k != "station"}, "records[0].station"),
        ({**REPORT, "observed_at": "2026-11-01 08"}, "records[0].observed_at"),
    ],
)
def test_bad_record_points_at_the_field(record: dict, path: str) -> None:
    obs, errors = load_record(CONNECTOR, record, "records[0]", NOW)
    assert obs == []
    assert [e.path for e in errors] == [path]


def test_parameter_of_another_department_is_not_allowed() -> None:
    result = _normalise({"parameter": "w01001", "unit": "pH", "value": 7.2})
    assert isinstance(result, list)
    assert [(e.path, e.code) for e in result] == [("observations[0].parameter", "not_allowed")]


def test_unit_that_cannot_be_converted_is_refused() -> None:
    # Specific humidity is not relative humidity.
    result = _normalise({"parameter": "a01002", "unit": "g/kg", "value": 14.1})
    assert isinstance(result, list)
    assert [(e.path, e.code) for e in result] == [("observations[0].unit", "not_convertible")]
