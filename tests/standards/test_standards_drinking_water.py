"""GB 5749-2022, as far as the reference gives numbers."""

from datetime import date

import pytest

from hub.standards import Confidence, NoEditionInForce, check_drinking_water
from hub.standards.drinking_water import GB5749_2022

ON = date(2025, 6, 1)


def test_limits_inclusive():
    assert check_drinking_water({"w20141": 0.01, "w01001": 6.5}, when=ON).compliant
    assert not check_drinking_water({"w20141": 0.011}, when=ON).compliant
    assert not check_drinking_water({"w01001": 6.49}, when=ON).compliant


def test_not_detectable_microbes():
    assert check_drinking_water({"d_e_coli": 0}, when=ON).compliant
    assert not check_drinking_water({"d_total_coliform": 1}, when=ON).compliant


def test_free_chlorine_depends_on_sample_point_and_is_unconfirmed():
    tap = check_drinking_water({"d_free_chlorine": 0.05}, when=ON, point="tap")
    plant = check_drinking_water({"d_free_chlorine": 0.2}, when=ON, point="plant")
    assert (tap.compliant, plant.compliant) == (True, False)
    assert plant.checks[0].confidence is Confidence.U


def test_unlisted_parameters_are_not_evaluated():
    result = check_drinking_water({"w21003": 0.4, "w20122": 5}, when=ON)
    assert (result.compliant, result.not_evaluated) == (True, ("w20122",))
    assert result.checks[0].confidence is Confidence.M


def test_every_number_carries_a_confidence_mark():
    for limit in GB5749_2022.limits:
        marks = [b.confidence for b in (limit.maximum, limit.minimum) if b is not None]
        if limit.not_detectable is not None:
            marks.append(limit.not_detectable)
        assert marks
        assert all(isinstance(m, Confidence) for m in marks)


def test_before_2023_04_01_no_edition_held():
    with pytest.raises(NoEditionInForce):
        check_drinking_water({"w20141": 0.01}, when=date(2023, 3, 31))
