from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from hub.qc import ParameterRules, Point, QcConfig, QcFlag, QcResult, Range

T0 = datetime(2024, 7, 1, tzinfo=UTC)


def test_point_needs_an_aware_time() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        Point(datetime(2024, 7, 1), timedelta(hours=1), 1.0)


def test_point_needs_a_positive_period() -> None:
    with pytest.raises(ValueError, match="period"):
        Point(T0, timedelta(0), 1.0)


def test_point_end_is_start_plus_period() -> None:
    assert Point(T0, timedelta(hours=1), 1.0).end == T0 + timedelta(hours=1)


def test_result_is_valid_unless_a_flag_is_invalid() -> None:
    suspect = QcFlag("spike", "suspect", "jumped")
    review = QcFlag("dup_series", "review", "copied")
    invalid = QcFlag("range", "invalid", "too high")
    assert QcResult((suspect, review)).valid_for_statistics
    assert not QcResult((suspect, invalid)).valid_for_statistics
    assert QcResult((suspect, invalid)).codes == ("spike", "range")


def test_site_override_replaces_the_parameter_range_for_that_site_only() -> None:
    rules = ParameterRules("w01001", Range(0, 14), site_ranges={"S1": Range(6, 9)})
    assert rules.range_for("S1") == Range(6, 9)
    assert rules.range_for("S2") == Range(0, 14)
    assert rules.range_for(None) == Range(0, 14)


@pytest.mark.parametrize(
    "kwargs",
    [{"flatline_run": 1}, {"max_rate_per_hour": 0.0}, {"flatline_tolerance": -0.1}],
)
def test_nonsense_rules_are_refused(kwargs: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        ParameterRules("a34004", **kwargs)


def test_inverted_range_is_refused() -> None:
    with pytest.raises(ValueError, match="exceeds"):
        Range(10, 0)


def test_config_knows_rules_and_intervals() -> None:
    pm25 = ParameterRules("a34004", Range(0, 2000))
    config = QcConfig(
        parameters={"a34004": pm25},
        expected_intervals={"air-city": timedelta(hours=1), "surface-water": None},
    )
    assert config.rules_for("a34004") is pm25
    assert config.rules_for("w99999") == ParameterRules("w99999")
    assert config.expected_interval("air-city") == timedelta(hours=1)
    assert config.expected_interval("surface-water") is None
