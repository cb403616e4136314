"""Water Affairs Bureau connector: a water-function-zone / reservoir sample, algae counts."""

from datetime import UTC, datetime

import pytest

from connectors.base import CanonicalObservation, load_record, normalise
from connectors.water import CONNECTOR

NOW = datetime(2026, 12, 1, tzinfo=UTC)
SAMPLE = {
    "section": "YJ-RES-02",
    "sampled_at": "2026-11-05T09:30:00+08:00",
    "water_temp_c": 22.4,
    "ph": 7.2,
    "do_mg_l": 6.8,
    "codmn_mg_l": 2.1,
    "nh3n_mg_l": 0.32,
    "tp_mg_l": 0.05,
    "cu_ug_l": 3.1,
    "hg_ug_l": 0.02,
    "cd_ug_l": None,
    "fecal_coliform_per_l": 1300,
    "chla_ug_l": 8.4,
    "transparency_m": 1.6,
    "algae_cells_l": 2.6e6,
}


def _obs(raw: dict) -> CanonicalObservation:
    result = normalise(
        CONNECTOR,
        {"site": "YJ-RES-02", "time": "2026-11-05T09:30:00+08:00", "period": "PT0S", **raw},
        "observations[0]",
        NOW,
    )
    assert isinstance(result, CanonicalObservation), result
    return result


def test_sample_becomes_one_grab_observation_per_filled_column() -> None:
    obs, errors = load_record(CONNECTOR, SAMPLE, "records[0]", NOW)
    assert errors == []
    by_code = {o.parameter: o for o in obs}
    assert set(by_code) == {
        "w01010",
        "w01001",
        "w01009",
        "w01019",
        "w21003",
        "w21011",
        "w20122",
        "w20111",
        "w02003",
        "w_chla",
        "w_transparency",
        "w_algae",
    }
    assert {(o.site, o.time, o.period, o.flag) for o in obs} == {
        ("YJ-RES-02", datetime(2026, 11, 5, 1, 30, tzinfo=UTC), "PT0S", "N")
    }
    assert by_code["w01001"].value == 7.2
    assert by_code["w21003"].value == 0.32
    assert by_code["w20122"].value == pytest.approx(0.0031, rel=1e-12)  # 3.1 µg/L Cu
    assert by_code["w20111"].value == pytest.approx(0.00002, rel=1e-12)
    assert by_code["w02003"].value == 1300
    assert by_code["w_chla"].value == 8.4
    assert by_code["w_algae"].value == 2.6e6


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ({"unit": "mg/L", "value": 0.0031}, 0.0031),
        ({"unit": "ug/L", "value": 3.1}, 0.0031),
        ({"unit": "微克/升", "value": 3.1}, 0.0031),
    ],
)
def test_copper_units(raw: dict, expected: float) -> None:
    assert _obs({"parameter": "w20122", **raw}).value == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize(
    ("parameter", "unit", "value", "expected"),
    [
        ("w_algae", "万个/L", 260, 2.6e6),
        ("w_algae", "cells/mL", 2600, 2.6e6),
        ("w02003", "MPN/100mL", 130, 1300),
        ("w_chla", "mg/m3", 8.4, 8.4),
        ("w_transparency", "cm", 160, 1.6),
        ("w_zooplankton", "ind/L", 420, 420),
    ],
)
def test_department_units_convert(parameter: str, unit: str, value: float, expected: float) -> None:
    assert _obs({"parameter": parameter, "unit": unit, "value": value}).value == pytest.approx(
        expected, rel=1e-12
    )


@pytest.mark.parametrize(
    ("change", "path"),
    [
        ({"cu_ug_L": 3.1}, "records[0].cu_ug_L"),  # typo'd column
        ({"ph": "seven"}, "records[0].ph"),
        ({"section": None}, "records[0].section"),
        ({"sampled_at": "2026-11-05T09:30:00"}, "records[0].sampled_at"),  # no UTC offset
    ],
)
def test_bad_record_points_at_the_field(change: dict, path: str) -> None:
    obs, errors = load_record(CONNECTOR, {**SAMPLE, **change}, "records[0]", NOW)
    assert obs == []
    assert [e.path for e in errors] == [path]


def test_missing_section_is_reported() -> None:
    record = {k: v for k, v in SAMPLE.items() if k != "section"}
    _, errors = load_record(CONNECTOR, record, "records[0]", NOW)
    assert [e.path for e in errors] == ["records[0].section"]


def test_parameter_of_another_department_is_not_allowed() -> None:
    result = normalise(
        CONNECTOR,
        {
            "site": "YJ-RES-02",
            "parameter": "s_cd",
            "time": "2026-11-05T09:30:00+08:00",
            "value": 0.2,
            "unit": "mg/kg",
        },
        "observations[0]",
        NOW,
    )
    assert isinstance(result, list)
    assert [(e.path, e.code) for e in result] == [("observations[0].parameter", "not_allowed")]


def test_unit_that_cannot_be_converted_is_refused() -> None:
    # Copper as a mass fraction (sediment) is not a water concentration.
    result = normalise(
        CONNECTOR,
        {
            "site": "YJ-RES-02",
            "parameter": "w20122",
            "time": "2026-11-05T09:30:00+08:00",
            "value": 3.1,
            "unit": "mg/kg",
        },
        "observations[0]",
        NOW,
    )
    assert isinstance(result, list)
    assert [(e.path, e.code) for e in result] == [("observations[0].unit", "not_convertible")]
