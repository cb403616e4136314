from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from hub.qc import Gap, Point, find_gaps

Series = Callable[..., list[Point]]
T0 = datetime(2024, 7, 1, tzinfo=UTC)
HOUR = timedelta(hours=1)


def test_a_complete_series_has_no_gaps(hourly: Series) -> None:
    assert find_gaps(hourly([1.0] * 24), HOUR, T0, T0 + 24 * HOUR) == []


def test_consecutive_missing_hours_become_one_gap_record(hourly: Series) -> None:
    series = [p for k, p in enumerate(hourly([1.0] * 10)) if k not in (3, 4, 5, 8)]
    assert find_gaps(series, HOUR, T0, T0 + 10 * HOUR) == [
        Gap(T0 + 3 * HOUR, T0 + 6 * HOUR, 3),
        Gap(T0 + 8 * HOUR, T0 + 9 * HOUR, 1),
    ]


def test_gaps_at_both_edges_of_the_window(hourly: Series) -> None:
    series = hourly([1.0] * 3, start=T0 + 2 * HOUR)  # 02:00, 03:00, 04:00
    assert find_gaps(series, HOUR, T0, T0 + 8 * HOUR) == [
        Gap(T0, T0 + 2 * HOUR, 2),
        Gap(T0 + 5 * HOUR, T0 + 8 * HOUR, 3),
    ]


def test_an_empty_series_is_one_gap_over_the_whole_window() -> None:
    assert find_gaps([], HOUR, T0, T0 + 24 * HOUR) == [Gap(T0, T0 + 24 * HOUR, 24)]


def test_a_point_without_value_is_missing(hourly: Series) -> None:
    assert find_gaps(hourly([1.0, None, 1.0]), HOUR, T0, T0 + 3 * HOUR) == [
        Gap(T0 + HOUR, T0 + 2 * HOUR, 1)
    ]


def test_the_window_is_half_open_and_points_outside_it_do_not_count(hourly: Series) -> None:
    series = hourly([1.0] * 5, start=T0 - HOUR)  # 23:00 the day before … 03:00
    assert find_gaps(series, HOUR, T0, T0 + 3 * HOUR) == []
    assert find_gaps(series, HOUR, T0 + 3 * HOUR, T0 + 5 * HOUR) == [
        Gap(T0 + 4 * HOUR, T0 + 5 * HOUR, 1)
    ]


def test_a_window_not_a_multiple_of_the_interval_clips_the_last_gap() -> None:
    assert find_gaps([], HOUR, T0, T0 + timedelta(minutes=150)) == [
        Gap(T0, T0 + timedelta(minutes=150), 3)
    ]


def test_a_logger_clock_a_few_minutes_off_still_fills_its_slot() -> None:
    late = [Point(T0 + k * HOUR + timedelta(minutes=2), HOUR, 1.0) for k in range(3)]
    assert find_gaps(late, HOUR, T0, T0 + 3 * HOUR) == []


def test_an_empty_or_inverted_window_has_no_gaps() -> None:
    assert find_gaps([], HOUR, T0, T0) == []
    assert find_gaps([], HOUR, T0 + HOUR, T0) == []


def test_a_non_positive_interval_or_naive_window_is_refused() -> None:
    with pytest.raises(ValueError, match="positive"):
        find_gaps([], timedelta(0), T0, T0 + HOUR)
    with pytest.raises(ValueError, match="aware"):
        find_gaps([], HOUR, datetime(2024, 7, 1), datetime(2024, 7, 2))
