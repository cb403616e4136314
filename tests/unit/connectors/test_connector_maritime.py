"""Maritime Safety Administration connector: ship-pollution inspections."""

from datetime import UTC, datetime

import pytest

from connectors.base import CanonicalObservation, load_record, normalise
from connectors.maritime import CONNECTOR

NOW = datetime(2026, 12, 1, tzinfo=UTC)
INSPECTION = {
    "inspection_no": "YJMSA-2026-0412",
    "ship_name": "HAI XING 8",
    "imo": "9074729",
    "port_site": "YJ-SP-01",
    "inspected_at": "2026-11-18T14:30:00+08:00",
    "oil_content_mg_l": 12.0,
    "discharge_m3": 3.5,
}


def _normalise(raw: dict) -> CanonicalObservation | list:
    return normalise(
        CONNECTOR,
        {"site": "YJ-SP-01", "time": "2026-11-18T14:30:00+08:00", "period": "PT0S", **raw},
        "observations[0]",
        NOW,
    )


def test_inspection_attaches_to_the_port_site_not_the_ship() -> None:
    obs, errors = load_record(CONNECTOR, INSPECTION, "records[0]", NOW)
    assert errors == []
    assert {(o.site, o.parameter, o.time, o.period, o.value) for o in obs} == {
        ("YJ-SP-01", "sp_oil_content", datetime(2026, 11, 18, 6, 30, tzinfo=UTC), "PT0S", 12.0),
        ("YJ-SP-01", "sp_oil_discharge", datetime(2026, 11, 18, 6, 30, tzinfo=UTC), "PT0S", 3.5),
    }


def test_ship_without_imo_number() -> None:
    record = {k: v for k, v in INSPECTION.items() if k not in ("imo", "inspection_no")}
    obs, errors = load_record(CONNECTOR, {**record, "ship_name": "粤阳江货1234"}, "r", NOW)
    assert errors == [] and len(obs) == 2


@pytest.mark.parametrize(
    ("parameter", "unit", "value", "expected"),
    [
        ("sp_oil_discharge", "L", 3500, 3.5),
        ("sp_oil_discharge", "立方米", 3.5, 3.5),
        ("sp_oil_content", "ug/L", 12000, 12.0),
    ],
)
def test_department_units_convert(parameter: str, unit: str, value: float, expected: float) -> None:
    result = _normalise({"parameter": parameter, "unit": unit, "value": value})
    assert isinstance(result, CanonicalObservation)
    assert result.value == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize(
    ("record", "path"),
    [
        ({**INSPECTION, "oil_content": 12.0}, "records[0].oil_content"),  # typo'd column
        ({**INSPECTION, "discharge_m3": "3.5 t"}, "records[0].discharge_m3"),
        ({**INSPECTION, "imo": "9074728"}, "records[0].imo"),  # check digit fails
        ({**INSPECTION, "imo": "IMO9074729"}, "records[0].imo"),
        ({k: v for k, v in INSPECTION.items() if k != "port_site"}, "records[0].port_site"),
        ({k: v for k, v in INSPECTION.items() if k != "ship_name"}, "records[0].ship_name"),
    ],
)
def test_bad_record_points_at_the_field(record: dict, path: str) -> None:
    obs, errors = load_record(CONNECTOR, record, "records[0]", NOW)
    assert obs == []
    assert [e.path for e in errors] == [path]


def test_parameter_of_another_department_is_not_allowed() -> None:
    result = _normalise({"parameter": "w22001", "unit": "mg/L", "value": 0.3})
    assert isinstance(result, list)
    assert [(e.path, e.code) for e in result] == [("observations[0].parameter", "not_allowed")]


@pytest.mark.parametrize(
    ("parameter", "unit"),
    [
        ("sp_oil_discharge", "t"),  # oily water has no fixed density
        ("sp_oil_content", "ppm"),  # oil content meters read ppm by volume
    ],
)
def test_unit_that_cannot_be_converted_is_refused(parameter: str, unit: str) -> None:
    result = _normalise({"parameter": parameter, "unit": unit, "value": 15})
    assert isinstance(result, list)
    assert [(e.path, e.code) for e in result] == [("observations[0].unit", "not_convertible")]
