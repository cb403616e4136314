"""Ocean and Fisheries Bureau connector: coastal and fishery seawater samples."""

from datetime import UTC, datetime

import pytest

from connectors.base import CanonicalObservation, load_record, normalise
from connectors.marine import CONNECTOR

NOW = datetime(2026, 12, 1, tzinfo=UTC)
SAMPLE = {
    "station": "YJ-MC-05",
    "sampled_at": "2026-08-14T10:20:00+08:00",
    "water_temp_c": 28.9,
    "salinity_psu": 31.6,
    "ph": 8.12,
    "do_mg_l": 6.4,
    "cod_mg_l": 1.1,
    "din_mg_l": 0.182,
    "po4_mg_l": 0.012,
    "petroleum_mg_l": 0.021,
    "hg_ug_l": 0.031,
    "pb_ug_l": 0.86,
    "cu_ug_l": 2.3,
    "chla_ug_l": 2.4,
}


def _normalise(raw: dict) -> CanonicalObservation | list:
    return normalise(
        CONNECTOR,
        {"site": "YJ-FW-02", "time": "2026-08-14T10:20:00+08:00", "period": "PT0S", **raw},
        "observations[0]",
        NOW,
    )


def test_sample_translates_with_metals_in_mg_per_litre() -> None:
    obs, errors = load_record(CONNECTOR, SAMPLE, "records[0]", NOW)
    assert errors == []
    by_code = {o.parameter: o for o in obs}
    assert {(o.site, o.time, o.period) for o in obs} == {
        ("YJ-MC-05", datetime(2026, 8, 14, 2, 20, tzinfo=UTC), "PT0S")
    }
    assert {
        c: by_code[c].value
        for c in (
            "w01010",
            "w_salinity",
            "w01001",
            "w01009",
            "w01018",
            "w_din",
            "w_po4",
            "w22001",
            "w_chla",
        )
    } == {
        "w01010": 28.9,
        "w_salinity": 31.6,
        "w01001": 8.12,
        "w01009": 6.4,
        "w01018": 1.1,
        "w_din": 0.182,
        "w_po4": 0.012,
        "w22001": 0.021,
        "w_chla": 2.4,
    }
    assert by_code["w20111"].value == pytest.approx(0.000031, rel=1e-12)  # 0.031 µg/L Hg
    assert by_code["w20120"].value == pytest.approx(0.00086, rel=1e-12)
    assert by_code["w20122"].value == pytest.approx(0.0023, rel=1e-12)
    assert len(obs) == 12


@pytest.mark.parametrize(
    ("parameter", "unit", "value", "expected"),
    [
        ("w_din", "umol/L", 13.0, 0.182091),  # as N, 14.007 g/mol
        ("w_po4", "µmol/L", 0.4, 0.0123896),  # as P, 30.974 g/mol
        ("w_chla", "mg/m³", 2.4, 2.4),
        ("w02003", "MPN/100mL", 130, 1300),
        ("w20121", "ug/L", 1.5, 0.0015),
    ],
)
def test_department_units_convert(parameter: str, unit: str, value: float, expected: float) -> None:
    result = _normalise({"parameter": parameter, "unit": unit, "value": value})
    assert isinstance(result, CanonicalObservation)
    assert result.value == pytest.approx(expected, rel=1e-12)


def test_seawater_ph_has_its_own_plausible_range() -> None:
    assert CONNECTOR.parameters["w01001"].plausible == (6.0, 9.5)


@pytest.mark.parametrize(
    ("record", "path"),
    [
        ({**SAMPLE, "din_mgl": 0.182}, "records[0].din_mgl"),  # typo'd column
        ({**SAMPLE, "salinity_psu": [31.6]}, "records[0].salinity_psu"),
        ({k: v for k, v in SAMPLE.items() if k != "station"}, "records[0].station"),
        ({k: v for k, v in SAMPLE.items() if k != "sampled_at"}, "records[0].sampled_at"),
    ],
)
def test_bad_record_points_at_the_field(record: dict, path: str) -> None:
    obs, errors = load_record(CONNECTOR, record, "records[0]", NOW)
    assert obs == []
    assert [e.path for e in errors] == [path]


def test_parameter_of_another_department_is_not_allowed() -> None:
    result = _normalise({"parameter": "sp_oil_content", "unit": "mg/L", "value": 12})
    assert isinstance(result, list)
    assert [(e.path, e.code) for e in result] == [("observations[0].parameter", "not_allowed")]


@pytest.mark.parametrize(
    ("parameter", "unit"),
    [
        ("w_salinity", "‰"),  # Knudsen salinity is not the practical scale
        ("w_din", "mg/kg"),
    ],
)
def test_unit_that_cannot_be_converted_is_refused(parameter: str, unit: str) -> None:
    result = _normalise({"parameter": parameter, "unit": unit, "value": 31.6})
    assert isinstance(result, list)
    assert [(e.path, e.code) for e in result] == [("observations[0].unit", "not_convertible")]
