from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from hub.qc import (
    ParameterRules,
    Point,
    Range,
    check_device_flags,
    check_missing_values,
    check_period_complete,
    check_range,
)

Series = Callable[..., list[Point]]
T0 = datetime(2024, 7, 1, tzinfo=UTC)  # the hourly fixture's first period start
HOUR = timedelta(hours=1)

PM25 = ParameterRules("a34004", Range(0, 500), site_ranges={"coast-1": Range(0, 200)})


def test_values_exactly_at_the_range_limits_are_valid(hourly: Series) -> None:
    assert check_range(hourly([0.0, 500.0, 250.0]), PM25) == []


def test_values_outside_the_range_are_invalid_with_the_numbers_in_the_reason(
    hourly: Series,
) -> None:
    flags = check_range(hourly([-0.5, 12.0, 500.1]), PM25)
    assert [(f.index, f.code, f.severity) for f in flags] == [
        (0, "range", "invalid"),
        (2, "range", "invalid"),
    ]
    assert "-0.5" in flags[0].reason and "minimum 0" in flags[0].reason
    assert "500.1" in flags[1].reason and "maximum 500" in flags[1].reason
    assert flags[1].time == T0 + 2 * HOUR


def test_float_noise_at_the_limit_is_not_out_of_range(hourly: Series) -> None:
    rules = ParameterRules("w20111", Range(0, 0.3))
    assert check_range(hourly([0.1 + 0.2]), rules) == []


def test_site_override_applies_to_its_site(hourly: Series) -> None:
    series = hourly([300.0])
    assert check_range(series, PM25) == []
    flags = check_range(series, PM25, site="coast-1")
    assert [f.code for f in flags] == ["range"]
    assert "coast-1" in flags[0].reason and "200" in flags[0].reason


def test_nan_and_infinity_are_invalid_and_none_is_left_to_the_missing_check(
    hourly: Series,
) -> None:
    flags = check_range(hourly([float("nan"), float("inf"), None]), PM25)
    assert [f.index for f in flags] == [0, 1]
    assert all("not a finite number" in f.reason for f in flags)


def test_open_range_never_trips(hourly: Series) -> None:
    assert check_range(hourly([-1e9, 1e9]), ParameterRules("x")) == []


def test_a_point_without_value_is_flagged_missing(hourly: Series) -> None:
    flags = check_missing_values(hourly([1.0, None, 2.0]))
    assert [(f.index, f.code, f.severity) for f in flags] == [(1, "missing", "invalid")]


@pytest.mark.parametrize("flag", list("FMSDCB"))
def test_hj212_stop_maintenance_manual_fault_calibration_comms_flags_are_invalid(
    hourly: Series, flag: str
) -> None:
    flags = check_device_flags(hourly([10.0], flags=flag))
    assert [(f.code, f.severity) for f in flags] == [("device_flag", "invalid")]
    assert f"'{flag}'" in flags[0].reason


def test_normal_flag_raises_nothing(hourly: Series) -> None:
    assert check_device_flags(hourly([10.0, 11.0], flags="NN")) == []


def test_over_range_flag_is_suspect_but_kept_for_statistics(hourly: Series) -> None:
    flags = check_device_flags(hourly([1000.0], flags="T"))
    assert [(f.code, f.severity) for f in flags] == [("over_range", "suspect")]
    assert "at least 1000" in flags[0].reason


def test_an_unknown_extension_flag_is_suspect(hourly: Series) -> None:
    flags = check_device_flags(hourly([10.0], flags="X"))
    assert [(f.code, f.severity) for f in flags] == [("device_flag", "suspect")]


def test_a_period_that_has_not_ended_is_invalid(hourly: Series) -> None:
    series = hourly([1.0, 2.0, 3.0])  # periods end at 01:00, 02:00, 03:00
    now = T0 + 2 * HOUR
    flags = check_period_complete(series, now, timedelta(0))
    assert [(f.index, f.code, f.severity) for f in flags] == [(2, "future_time", "invalid")]


def test_clock_skew_allowance_forgives_a_period_ending_just_after_now(hourly: Series) -> None:
    series = hourly([1.0])
    now = T0 + HOUR - timedelta(minutes=3)
    assert check_period_complete(series, now, timedelta(minutes=5)) == []
    assert len(check_period_complete(series, now, timedelta(minutes=2))) == 1
