"""Health Bureau connector: tap water at plants and taps, exposed-population blood lead."""

from datetime import UTC, datetime

import pytest

from connectors.base import CanonicalObservation, load_record, normalise
from connectors.health import CONNECTOR

NOW = datetime(2026, 12, 1, tzinfo=UTC)
TAP = {
    "site": "YJ-TAP-03",
    "sampled_at": "2026-11-12T09:00:00+08:00",
    "turbidity_ntu": 0.35,
    "free_chlorine_mg_l": 0.62,
    "total_coliform_mpn_100ml": 0,
    "e_coli_mpn_100ml": 0,
    "cfu_per_ml": 12,
    "ph": 7.3,
    "nitrate_n_mg_l": 2.1,
    "codmn_mg_l": 1.1,
    "as_ug_l": 0.8,
    "pb_ug_l": 0.5,
    "hg_ug_l": None,
}
SURVEY = {"site": "YJ-PH-01", "sampled_at": "2026-09-15T09:00:00+08:00", "blood_pb_ug_l": 46}


def _normalise(raw: dict) -> CanonicalObservation | list:
    return normalise(
        CONNECTOR,
        {"site": "YJ-TAP-03", "time": "2026-11-12T09:00:00+08:00", "period": "PT0S", **raw},
        "observations[0]",
        NOW,
    )


def test_tap_sample_translates_to_gb5749_codes() -> None:
    obs, errors = load_record(CONNECTOR, TAP, "records[0]", NOW)
    assert errors == []
    by_code = {o.parameter: o.value for o in obs}
    assert {c: by_code.pop(c) for c in ("w20141", "w20120")} == pytest.approx(
        {"w20141": 0.0008, "w20120": 0.0005}, rel=1e-12
    )  # µg/L → mg/L
    assert by_code == {
        "d_turbidity": 0.35,
        "d_free_chlorine": 0.62,
        "d_total_coliform": 0,
        "d_e_coli": 0,
        "d_cfu": 12,
        "w01001": 7.3,
        "w21007": 2.1,
        "w01019": 1.1,
    }
    assert {(o.site, o.time, o.period) for o in obs} == {
        ("YJ-TAP-03", datetime(2026, 11, 12, 1, 0, tzinfo=UTC), "PT0S")
    }


def test_blood_lead_survey() -> None:
    obs, errors = load_record(CONNECTOR, SURVEY, "records[0]", NOW)
    assert errors == []
    assert [(o.site, o.parameter, o.value) for o in obs] == [("YJ-PH-01", "h_blood_pb", 46)]


@pytest.mark.parametrize(
    ("parameter", "unit", "value", "expected"),
    [
        ("h_blood_pb", "ug/dL", 4.6, 46),
        ("d_total_coliform", "CFU/100mL", 2, 2),
        ("d_e_coli", "MPN/L", 10, 1),
        ("d_cfu", "CFU/mL", 12, 12),
        ("w21007", "mg/L", 2.1, 2.1),
    ],
)
def test_department_units_convert(parameter: str, unit: str, value: float, expected: float) -> None:
    result = _normalise({"parameter": parameter, "unit": unit, "value": value})
    assert isinstance(result, CanonicalObservation)
    assert result.value == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize(
    ("record", "path"),
    [
        ({**TAP, "free_chlorine": 0.62}, "records[0].free_chlorine"),  # typo'd column
        ({**TAP, "turbidity_ntu": True}, "records[0].turbidity_ntu"),
        ({k: v for k, v in TAP.items() if k != "site"}, "records[0].site"),
        ({**TAP, "sampled_at": "12/11/2026 09:00"}, "records[0].sampled_at"),
    ],
)
def test_bad_record_points_at_the_field(record: dict, path: str) -> None:
    obs, errors = load_record(CONNECTOR, record, "records[0]", NOW)
    assert obs == []
    assert [e.path for e in errors] == [path]


def test_parameter_of_another_department_is_not_allowed() -> None:
    result = _normalise({"parameter": "w_din", "unit": "mg/L", "value": 0.18})
    assert isinstance(result, list)
    assert [(e.path, e.code) for e in result] == [("observations[0].parameter", "not_allowed")]


@pytest.mark.parametrize(
    ("parameter", "unit"),
    [
        ("d_turbidity", "FNU"),  # infrared turbidity reads differently from NTU
        ("d_cfu", "CFU/100mL"),
    ],
)
def test_unit_that_cannot_be_converted_is_refused(parameter: str, unit: str) -> None:
    result = _normalise({"parameter": parameter, "unit": unit, "value": 0.35})
    assert isinstance(result, list)
    assert [(e.path, e.code) for e in result] == [("observations[0].unit", "not_convertible")]
