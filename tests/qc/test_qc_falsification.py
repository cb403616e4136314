from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from hub.qc import (
    Point,
    detect_constant_during_exceedance,
    detect_identical_series,
    detect_under_limit_clustering,
)

Series = Callable[..., list[Point]]
T0 = datetime(2024, 7, 1, tzinfo=UTC)
HOUR = timedelta(hours=1)
# A day of PM2.5 that moves like real air: no two neighbours equal.
DAY = [35.0 + 10 * ((k * 7) % 11) / 11 + k / 3 for k in range(24)]


def test_a_copied_series_is_flagged_for_review_over_its_span(hourly: Series) -> None:
    flags = detect_identical_series(hourly(DAY), hourly(DAY), site_a="YJ-01", site_b="YJ-07")
    assert [(f.code, f.severity, f.time, f.end) for f in flags] == [
        ("dup_series", "review", T0, T0 + 24 * HOUR)
    ]
    assert "24 values of YJ-01 and YJ-07" in flags[0].reason


def test_a_copy_within_tolerance_is_still_a_copy(hourly: Series) -> None:
    rounded = [round(v, 1) for v in DAY]
    assert detect_identical_series(hourly(DAY), hourly(rounded), site_a="A", site_b="B") == []
    flags = detect_identical_series(
        hourly(DAY), hourly(rounded), site_a="A", site_b="B", tolerance=0.05
    )
    assert len(flags) == 1


def test_a_constant_offset_is_not_identical(hourly: Series) -> None:
    shifted = [v + 0.5 for v in DAY]
    assert detect_identical_series(hourly(DAY), hourly(shifted), site_a="A", site_b="B") == []


def test_two_stuck_sensors_are_flatline_not_copying(hourly: Series) -> None:
    stuck = hourly([20.0] * 48)
    assert detect_identical_series(stuck, stuck, site_a="A", site_b="B") == []


def test_overlap_one_short_of_the_minimum_is_not_flagged(hourly: Series) -> None:
    a, b = hourly(DAY), hourly(DAY[:23])
    assert detect_identical_series(a, b, site_a="A", site_b="B") == []


def test_only_the_copied_stretch_of_a_longer_series_is_flagged(hourly: Series) -> None:
    own = [v + 3.0 for v in DAY]
    a = hourly(DAY + DAY + DAY)
    b = hourly(own + DAY + own)  # copied on day two only
    flags = detect_identical_series(a, b, site_a="A", site_b="B")
    assert [(f.index, f.time, f.end) for f in flags] == [(24, T0 + 24 * HOUR, T0 + 48 * HOUR)]


def test_comparing_a_site_with_itself_is_refused(hourly: Series) -> None:
    with pytest.raises(ValueError):
        detect_identical_series(hourly(DAY), hourly(DAY), site_a="A", site_b="A")


LIMIT = 100.0


def test_a_constant_compliant_value_between_exceedances_is_flagged(hourly: Series) -> None:
    series = hourly([120.0, 130.0, 80.0, 80.0, 80.0, 125.0])
    flags = detect_constant_during_exceedance(series, LIMIT)
    assert [(f.code, f.severity, f.index, f.time, f.end) for f in flags] == [
        ("const_exceedance", "review", 2, T0 + 2 * HOUR, T0 + 5 * HOUR)
    ]
    assert "130" in flags[0].reason and "125" in flags[0].reason and "limit 100" in flags[0].reason


def test_a_run_one_short_of_the_minimum_is_not_flagged(hourly: Series) -> None:
    series = hourly([120.0, 130.0, 80.0, 80.0, 125.0])
    assert detect_constant_during_exceedance(series, LIMIT, min_run=3) == []


def test_a_varying_dip_below_the_limit_is_not_flagged(hourly: Series) -> None:
    series = hourly([120.0, 130.0, 80.0, 85.0, 90.0, 125.0])
    assert detect_constant_during_exceedance(series, LIMIT) == []


def test_exceedance_on_one_side_only_needs_an_exceedance_window(hourly: Series) -> None:
    series = hourly([120.0, 80.0, 80.0, 80.0, 70.0])
    assert detect_constant_during_exceedance(series, LIMIT) == []
    window = (T0 + 2 * HOUR, T0 + 6 * HOUR)  # e.g. neighbouring sites exceeding
    flags = detect_constant_during_exceedance(series, LIMIT, exceedance_windows=[window])
    assert len(flags) == 1 and "exceedance window" in flags[0].reason


def test_an_exceedance_window_that_only_touches_the_run_does_not_count(hourly: Series) -> None:
    series = hourly([70.0, 80.0, 80.0, 80.0, 70.0])  # run covers 01:00–04:00
    touching = (T0 + 4 * HOUR, T0 + 6 * HOUR)
    assert detect_constant_during_exceedance(series, LIMIT, exceedance_windows=[touching]) == []


def test_a_constant_above_the_limit_hides_nothing(hourly: Series) -> None:
    series = hourly([120.0, 130.0, 110.0, 110.0, 110.0, 125.0])
    assert detect_constant_during_exceedance(series, LIMIT) == []


def test_a_value_at_the_limit_does_not_count_as_exceeding(hourly: Series) -> None:
    series = hourly([100.0, 80.0, 80.0, 80.0, 130.0])
    assert detect_constant_during_exceedance(series, LIMIT) == []


def _values(*groups: tuple[float, int]) -> list[float]:
    return [value for value, count in groups for _ in range(count)]


# Limit 50, band 5 %: upper band [47.5, 50), lower band [45, 47.5).
def test_values_piled_just_under_the_limit_are_flagged(hourly: Series) -> None:
    values = _values((30.0, 100), (46.0, 5), (49.0, 40), (60.0, 3))
    flags = detect_under_limit_clustering(hourly(values), 50.0)
    assert [(f.code, f.severity) for f in flags] == [("under_limit_clustering", "review")]
    assert "40 values in [47.5, 50)" in flags[0].reason and "against 5" in flags[0].reason
    assert flags[0].time == T0 and flags[0].end == T0 + len(values) * HOUR


def test_a_smooth_distribution_near_the_limit_is_not_flagged(hourly: Series) -> None:
    values = _values((30.0, 100), (46.0, 20), (49.0, 18), (55.0, 10))
    assert detect_under_limit_clustering(hourly(values), 50.0) == []


def test_a_ratio_of_two_without_significance_is_not_flagged(hourly: Series) -> None:
    values = _values((46.0, 10), (49.0, 20))  # ratio 2, but p ≈ 0.049
    assert detect_under_limit_clustering(hourly(values), 50.0) == []


def test_too_few_values_in_the_bands_are_not_judged(hourly: Series) -> None:
    values = _values((49.0, 29), (30.0, 200))  # p ≈ 2e-9 but only 29 values in the bands
    assert detect_under_limit_clustering(hourly(values), 50.0) == []
    assert len(detect_under_limit_clustering(hourly([*values, 49.5]), 50.0)) == 1


def test_values_at_the_limit_are_not_just_under_it(hourly: Series) -> None:
    values = _values((46.0, 10), (50.0, 40), (48.0, 10))
    assert detect_under_limit_clustering(hourly(values), 50.0) == []
