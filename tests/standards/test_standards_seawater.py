"""GB 3097-1997 seawater classes."""

from datetime import date
from decimal import Decimal

import pytest

from hub.standards import SeaClass, seawater_class, seawater_item_class

ON = date(2025, 6, 1)
S = SeaClass


@pytest.mark.parametrize(
    ("code", "value", "expected"),
    [
        ("w01001", "7.8", S.CLASS_1),
        ("w01001", "8.5", S.CLASS_1),
        ("w01001", "8.51", S.CLASS_3),
        ("w01001", "7.79", S.CLASS_3),
        ("w01001", "6.8", S.CLASS_3),
        ("w01001", "8.8", S.CLASS_3),
        ("w01001", "8.81", S.WORSE_THAN_4),
        ("w01001", "6.79", S.WORSE_THAN_4),
        ("w01009", "6.01", S.CLASS_1),
        ("w01009", "6", S.CLASS_2),  # DO must be strictly greater than the limit
        ("w01009", "3.01", S.CLASS_4),
        ("w01009", "3", S.WORSE_THAN_4),
        ("w_po4", "0.030", S.CLASS_2),
        ("w_po4", "0.031", S.CLASS_4),
        ("w_po4", "0.046", S.WORSE_THAN_4),
        ("w_din", "0.20", S.CLASS_1),
        ("w_din", "0.51", S.WORSE_THAN_4),
        ("w02003", "2000", S.CLASS_1),
        ("w02003", "2001", S.CLASS_4),  # no class 4 limit
    ],
)
def test_item_classes(code, value, expected):
    assert seawater_item_class(code, Decimal(value), when=ON).sea_class is expected


def test_overall_class_is_the_worst_item():
    result = seawater_class({"w01001": 8.1, "w01009": 5.5, "w_din": 0.45, "w01010": 20}, when=ON)
    assert result.sea_class is S.CLASS_4
    assert result.not_evaluated == ("w01010",)
    assert result.edition == "GB 3097-1997"
