"""GB 3838-2002 item classes and the ministry's section evaluation."""

from datetime import date
from decimal import Decimal

import pytest

from hub.standards import (
    WaterBody,
    WaterClass,
    item_class,
    section_class,
    section_class_for_period,
)

ON = date(2025, 6, 1)
W = WaterClass


@pytest.mark.parametrize(
    ("code", "value", "expected"),
    [
        ("w21003", "0.15", W.I),
        ("w21003", "0.5", W.II),  # equal to the class II limit
        ("w21003", "0.51", W.III),
        ("w21003", "2.0", W.V),
        ("w21003", "2.01", W.WORSE_THAN_V),
        ("w01018", "15", W.I),  # classes I and II share 15
        ("w01018", "15.1", W.III),
        ("w01009", "7.5", W.I),  # DO: higher is better
        ("w01009", "7.49", W.II),
        ("w01009", "5", W.III),
        ("w01009", "2", W.V),
        ("w01009", "1.99", W.WORSE_THAN_V),
        ("w01001", "6", W.I),
        ("w01001", "9", W.I),
        ("w01001", "9.01", W.WORSE_THAN_V),
        ("w01001", "5.99", W.WORSE_THAN_V),
        ("w20111", "0.0001", W.III),
        ("w02003", "40001", W.WORSE_THAN_V),
    ],
)
def test_item_class_boundaries(code, value, expected):
    assert item_class(code, Decimal(value), when=ON).water_class is expected


def test_tp_lake_versus_river():
    assert item_class("w21011", Decimal("0.1"), when=ON).water_class is W.II
    lake = item_class("w21011", Decimal("0.1"), body=WaterBody.LAKE, when=ON)
    assert lake.water_class is W.IV
    assert item_class("w21011", 0.05, body=WaterBody.LAKE, when=ON).water_class is W.III


def test_tn_only_for_lakes():
    with pytest.raises(ValueError):
        item_class("w21001", 1.2, when=ON)
    assert item_class("w21001", 1.2, body=WaterBody.LAKE, when=ON).water_class is W.IV


def test_exceedance_multiples():
    assert item_class("w21003", 1.6, when=ON).exceedance == Decimal("0.6")
    assert item_class("w01009", 2.5, when=ON).exceedance == Decimal(1)  # 5 / 2.5 − 1
    assert item_class("w21003", 1.0, when=ON).exceedance is None  # class III: no multiple


def test_section_class_worst_item_and_labels():
    good = section_class({"w01009": 6.5, "w01019": 5, "w21003": 0.4}, when=ON)
    assert (good.water_class, good.quality_zh, good.quality_en) == (W.III, "良好", "good")
    assert good.main_pollutants == ()
    excellent = section_class({"w01009": 6.5, "w21003": 0.4}, when=ON)
    assert (excellent.water_class.label, excellent.quality_zh) == ("II", "优")


def test_main_pollutants_ministry_order():
    # COD 劣V (×1.05); CODMn V (×1.33), BOD5 V (×1.25), volatile phenol V (×17).
    # Worse class first, then the larger multiple: COD, phenol, CODMn.
    result = section_class(
        {"w01018": 41, "w01019": 14, "w01017": 9, "w23002": 0.09, "w21003": 0.4}, when=ON
    )
    assert (result.water_class.label, result.quality_zh) == ("劣V", "重度污染")
    assert result.main_pollutants == ("w01018", "w23002", "w01019")


def test_main_pollutants_put_cyanide_and_heavy_metals_first():
    result = section_class({"w01018": 41, "w01019": 14, "w20111": 0.0009}, when=ON)
    assert result.water_class is W.WORSE_THAN_V
    assert result.main_pollutants == ("w20111", "w01018", "w01019")


def test_ph_alone_makes_worse_than_v():
    result = section_class({"w01001": 9.5, "w21003": 0.4}, when=ON)
    assert (result.water_class, result.main_pollutants) == (W.WORSE_THAN_V, ("w01001",))


def test_tn_and_coliform_are_not_in_the_section_class():
    river = section_class({"w21003": 0.4, "w21001": 5, "w02003": 90000, "w01010": 25}, when=ON)
    assert river.water_class is W.II
    assert set(river.not_evaluated) == {"w21001", "w02003", "w01010"}
    lake = section_class({"w21003": 0.4, "w21001": 5}, body=WaterBody.LAKE, when=ON)
    assert lake.water_class is W.II
    assert lake.lake_tn.water_class is W.WORSE_THAN_V


def test_period_samples_are_averaged_first():
    result = section_class_for_period(
        {"w21003": [0.4, 0.7, None], "w21011": [0.1, 0.3], "w01009": []}, when=ON
    )
    assert result.water_class is W.III  # NH3-N 0.55 → III, TP 0.2 → III
    assert {i.code: i.value for i in result.items} == {
        "w21003": Decimal("0.55"),
        "w21011": Decimal("0.2"),
    }


def test_nothing_evaluated():
    result = section_class({"w01010": 20}, when=ON)
    assert (result.water_class, result.quality_zh) == (None, None)
