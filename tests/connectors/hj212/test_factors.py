"""Annex B factor table."""

import pytest

from connectors.hj212 import FACTORS, get_factor, is_known

HUB_CODES = [
    "a21026",
    "a21004",
    "a21005",
    "a05024",
    "a34002",
    "a34004",
    "a01001",
    "a01002",
    "a01006",
    "a01007",
    "a01008",
    "a00000",
    "a21002",
    "a34013",
    "w00000",
    "w01001",
    "w01009",
    "w01010",
    "w01014",
    "w01018",
    "w01019",
    "w01017",
    "w21003",
    "w21011",
    "w21001",
    "w20111",
    "w20115",
    "w20117",
    "w20120",
    "w20122",
    "w20123",
    "w20141",
    "w21016",
    "w21017",
    "w21019",
    "w22001",
    "w23002",
    "w19002",
    "w02003",
]


@pytest.mark.parametrize("code", HUB_CODES)
def test_hub_codes_are_known(code: str) -> None:
    assert is_known(code)


@pytest.mark.parametrize(
    ("code", "name", "unit"),
    [
        ("a21026", "二氧化硫", "mg/m³"),
        ("a21004", "二氧化氮", "mg/m³"),
        ("a21005", "一氧化碳", "mg/m³"),
        ("a21002", "氮氧化物", "mg/m³"),
        ("a34013", "烟尘", "mg/m³"),
        # Annex B states particulates in 纳克/立方米 (ng/m³), not µg/m³.
        ("a34002", "可吸入颗粒物 PM10", "ng/m³"),
        ("a34004", "细微颗粒物 PM2.5", "ng/m³"),
        ("a01001", "温度", "°C"),
        ("a01002", "湿度", "%"),
        ("a01006", "气压", "kPa"),
        ("a01007", "风速", "m/s"),
        ("a01008", "风向", "°"),
        ("a00000", "废气", "m³/s"),
        ("w00000", "污水", "L/s"),
        ("w01001", "pH 值", "1"),
        ("w01014", "电导率", "µS/cm"),
        ("w01018", "化学需氧量", "mg/L"),
        ("w20111", "总汞", "µg/L"),
        ("w20117", "六价铬", "µg/L"),
        ("w20141", "砷", "mg/L"),
        ("w02003", "粪大肠菌群", "count/L"),
    ],
)
def test_names_and_units_from_annex_b(code: str, name: str, unit: str) -> None:
    factor = get_factor(code)
    assert factor is not None and factor.in_annex_b
    assert (factor.name_zh, factor.unit) == (name, unit)


def test_details() -> None:
    cod = FACTORS["w01018"]
    assert (cod.emission_unit_zh, cod.data_type, cod.original_code, cod.name_en) == (
        "千克",
        "N5.1",
        "011",
        "COD",
    )
    assert cod.medium == "water" and FACTORS["a21026"].medium == "air"
    assert FACTORS["LA"].medium == "noise" and FACTORS["LA"].unit == "dB"


def test_o3_is_a_supplement_not_in_annex_b() -> None:
    o3 = FACTORS["a05024"]
    assert not o3.in_annex_b and o3.unit is None and o3.name_en == "O3"


def test_unknown_codes() -> None:
    assert not is_known("x99999") and get_factor("x99999") is None
    assert len(FACTORS) == 197
