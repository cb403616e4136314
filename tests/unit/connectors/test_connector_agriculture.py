"""Agriculture Bureau connector: farmland soil, non-point and livestock water samples."""

from datetime import UTC, datetime

import pytest

from connectors.agriculture import CONNECTOR
from connectors.base import CanonicalObservation, load_record, normalise

NOW = datetime(2026, 12, 1, tzinfo=UTC)
SOIL = {
    "site": "YJ-FS-07",
    "sampled_at": "2026-10-20T10:00:00+08:00",
    "soil_ph": 5.8,
    "cd_mg_kg": 0.21,
    "hg_mg_kg": 0.08,
    "as_mg_kg": 9.6,
    "pb_mg_kg": 38.0,
    "cr_mg_kg": 52.0,
    "cu_mg_kg": 18.5,
    "ni_mg_kg": 14.2,
    "zn_mg_kg": 61.0,
}
EFFLUENT = {
    "site": "YJ-LS-03",
    "sampled_at": "2026-10-21T09:00:00+08:00",
    "water_ph": 7.6,
    "cod_mg_l": 310,
    "nh3n_mg_l": 58,
    "tn_mg_l": 92,
    "tp_mg_l": 6.2,
    "fecal_coliform_per_100ml": 4600,
}


def _normalise(raw: dict) -> CanonicalObservation | list:
    return normalise(
        CONNECTOR,
        {"site": "YJ-FS-07", "time": "2026-10-20T10:00:00+08:00", "period": "PT0S", **raw},
        "observations[0]",
        NOW,
    )


def test_soil_sample_translates_to_soil_parameters() -> None:
    obs, errors = load_record(CONNECTOR, SOIL, "records[0]", NOW)
    assert errors == []
    assert {o.parameter: o.value for o in obs} == {
        "s_ph": 5.8,
        "s_cd": 0.21,
        "s_hg": 0.08,
        "s_as": 9.6,
        "s_pb": 38.0,
        "s_cr": 52.0,
        "s_cu": 18.5,
        "s_ni": 14.2,
        "s_zn": 61.0,
    }
    assert {(o.site, o.time, o.period) for o in obs} == {
        ("YJ-FS-07", datetime(2026, 10, 20, 2, 0, tzinfo=UTC), "PT0S")
    }


def test_livestock_effluent_converts_coliform_to_per_litre() -> None:
    obs, errors = load_record(CONNECTOR, EFFLUENT, "records[0]", NOW)
    assert errors == []
    assert {o.parameter: o.value for o in obs} == {
        "w01001": 7.6,
        "w01018": 310,
        "w21003": 58,
        "w21001": 92,
        "w21011": 6.2,
        "w02003": 46000,
    }  # 4600 per 100 mL


@pytest.mark.parametrize(
    ("parameter", "unit", "value", "expected"),
    [
        ("s_cd", "ug/kg", 210, 0.21),
        ("s_hg", "ug/g", 0.08, 0.08),
        ("s_pb", "毫克/千克", 38, 38),
        ("w21011", "ug/L", 620, 0.62),
    ],
)
def test_department_units_convert(parameter: str, unit: str, value: float, expected: float) -> None:
    result = _normalise({"parameter": parameter, "unit": unit, "value": value})
    assert isinstance(result, CanonicalObservation)
    assert result.value == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize(
    ("record", "path"),
    [
        ({**SOIL, "cd_mg_kq": 0.21}, "records[0].cd_mg_kq"),  # typo'd column
        ({**SOIL, "pb_mg_kg": "38 mg/kg"}, "records[0].pb_mg_kg"),
        ({k: v for k, v in SOIL.items() if k != "site"}, "records[0].site"),
        ({**SOIL, "site": ""}, "records[0].site"),
    ],
)
def test_bad_record_points_at_the_field(record: dict, path: str) -> None:
    obs, errors = load_record(CONNECTOR, record, "records[0]", NOW)
    assert obs == []
    assert [e.path for e in errors] == [path]


def test_parameter_of_another_department_is_not_allowed() -> None:
    result = _normalise({"parameter": "w_algae", "unit": "cells/L", "value": 2.6e6})
    assert isinstance(result, list)
    assert [(e.path, e.code) for e in result] == [("observations[0].parameter", "not_allowed")]


def test_unit_that_cannot_be_converted_is_refused() -> None:
    # A leachate concentration is not a soil content.
    result = _normalise({"parameter": "s_cd", "unit": "mg/L", "value": 0.21})
    assert isinstance(result, list)
    assert [(e.path, e.code) for e in result] == [("observations[0].unit", "not_convertible")]
