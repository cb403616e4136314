from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from hub.qc import Point, QcFlag, check_flatline, check_rate_of_change

Series = Callable[..., list[Point]]
T0 = datetime(2024, 7, 1, tzinfo=UTC)
HOUR = timedelta(hours=1)


def codes_at(flags: list[QcFlag]) -> list[tuple[int | None, str]]:
    return [(f.index, f.code) for f in flags]


def test_jump_up_and_back_down_flags_only_the_peak_as_spike(hourly: Series) -> None:
    flags = check_rate_of_change(hourly([30.0, 32.0, 180.0, 31.0, 33.0]), 50.0)
    assert codes_at(flags) == [(2, "spike")]
    assert flags[0].severity == "suspect"
    assert "+148" in flags[0].reason and "-149" in flags[0].reason and "50/h" in flags[0].reason


def test_a_dip_and_recovery_is_a_spike_too(hourly: Series) -> None:
    flags = check_rate_of_change(hourly([80.0, 82.0, 0.0, 81.0]), 50.0)
    assert codes_at(flags) == [(2, "spike")]


def test_a_step_change_flags_only_the_first_new_value(hourly: Series) -> None:
    flags = check_rate_of_change(hourly([30.0, 31.0, 150.0, 151.0, 150.0]), 50.0)
    assert codes_at(flags) == [(2, "rate_of_change")]
    assert "119/h" in flags[0].reason


def test_change_at_exactly_the_maximum_rate_is_allowed(hourly: Series) -> None:
    assert check_rate_of_change(hourly([0.0, 50.0, 0.0, 50.0]), 50.0) == []
    assert check_rate_of_change(hourly([0.0, 0.1 + 0.2]), 0.3) == []


def test_rate_is_normalised_by_the_time_between_points() -> None:
    slow = [Point(T0, HOUR, 10.0), Point(T0 + 3 * HOUR, HOUR, 130.0)]  # 40/h
    fast = [Point(T0, HOUR, 10.0), Point(T0 + HOUR, HOUR, 130.0)]  # 120/h
    assert check_rate_of_change(slow, 50.0) == []
    assert codes_at(check_rate_of_change(fast, 50.0)) == [(1, "rate_of_change")]


def test_missing_values_are_skipped_and_the_gap_counts_as_time(hourly: Series) -> None:
    # 10 → 100 over two hours is 45/h: fine across the missing hour.
    assert check_rate_of_change(hourly([10.0, None, 100.0]), 50.0) == []


def test_flags_point_into_the_input_even_when_it_is_unsorted(hourly: Series) -> None:
    a, b, c, d = hourly([30.0, 31.0, 180.0, 32.0])
    flags = check_rate_of_change([d, c, a, b], 50.0)
    assert codes_at(flags) == [(1, "spike")]
    assert flags[0].time == c.time


def test_flatline_of_exactly_n_values_flags_every_point_of_the_run(hourly: Series) -> None:
    flags = check_flatline(hourly([5.0, 7.0, 7.0, 7.0, 7.0, 8.0]), run_length=4, tolerance=0.0)
    assert codes_at(flags) == [(i, "flatline") for i in (1, 2, 3, 4)]
    assert {f.severity for f in flags} == {"suspect"}
    assert "4 values in a row" in flags[0].reason and "threshold 4" in flags[0].reason


def test_flatline_of_n_minus_one_values_is_not_flagged(hourly: Series) -> None:
    assert check_flatline(hourly([5.0, 7.0, 7.0, 7.0, 8.0]), run_length=4, tolerance=0.0) == []


def test_flatline_tolerance_counts_small_wobble_as_stuck(hourly: Series) -> None:
    wobble = hourly([7.0, 7.1, 6.95, 7.05])
    assert len(check_flatline(wobble, run_length=4, tolerance=0.15)) == 4
    assert check_flatline(wobble, run_length=4, tolerance=0.1) == []


def test_float_noise_does_not_break_a_flatline(hourly: Series) -> None:
    assert len(check_flatline(hourly([0.3, 0.1 + 0.2, 0.3]), run_length=3, tolerance=0.0)) == 3


def test_none_breaks_a_run_and_runs_of_none_are_not_flat(hourly: Series) -> None:
    broken = hourly([7.0, 7.0, None, 7.0, 7.0])
    assert check_flatline(broken, run_length=3, tolerance=0.0) == []
    assert check_flatline(hourly([None] * 10), run_length=3, tolerance=0.0) == []


def test_a_moving_signal_is_not_flat(hourly: Series) -> None:
    assert check_flatline(hourly([float(v) for v in range(24)]), run_length=3, tolerance=0.5) == []
