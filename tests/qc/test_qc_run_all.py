from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from hub.qc import ParameterRules, Point, Range, run_all

Series = Callable[..., list[Point]]
T0 = datetime(2024, 7, 1, tzinfo=UTC)
HOUR = timedelta(hours=1)
LATER = T0 + 30 * 24 * HOUR  # "now", well after every test series
PM25 = ParameterRules(
    "a34004",
    Range(0, 1000),
    site_ranges={"coast-1": Range(0, 200)},
    max_rate_per_hour=50.0,
    flatline_run=4,
)


def test_one_result_per_point_in_input_order(hourly: Series) -> None:
    a, b, c, d = hourly([30.0, None, 2000.0, 31.0])
    results = run_all([d, c, b, a], PM25, LATER)
    assert [r.codes for r in results] == [(), ("range",), ("missing",), ()]
    assert [r.valid_for_statistics for r in results] == [True, False, False, True]


def test_an_empty_series_gives_no_results() -> None:
    assert run_all([], PM25, LATER) == []


def test_a_clean_series_is_valid_everywhere(hourly: Series) -> None:
    results = run_all(hourly([30.0, 35.0, 33.0, 40.0, 38.0]), PM25, LATER)
    assert all(r.flags == () and r.valid_for_statistics for r in results)


def test_a_calibration_value_is_reported_once_not_also_as_a_spike(hourly: Series) -> None:
    results = run_all(hourly([30.0, 31.0, 800.0, 32.0], flags="NNCN"), PM25, LATER)
    assert [r.codes for r in results] == [(), (), ("device_flag",), ()]
    assert not results[2].valid_for_statistics


def test_a_sentinel_out_of_range_is_not_also_a_spike(hourly: Series) -> None:
    results = run_all(hourly([30.0, -9999.0, 31.0]), PM25, LATER)
    assert [r.codes for r in results] == [(), ("range",), ()]


def test_spike_and_flatline_are_suspect_but_still_count(hourly: Series) -> None:
    results = run_all(hourly([30.0, 180.0, 31.0, 20.0, 20.0, 20.0, 20.0]), PM25, LATER)
    assert [r.codes for r in results] == [(), ("spike",), (), *[("flatline",)] * 4]
    assert all(r.valid_for_statistics for r in results)


def test_an_instrument_pinned_at_its_ceiling_is_over_range_not_flatline(hourly: Series) -> None:
    results = run_all(hourly([1000.0] * 5, flags="TTTTT"), PM25, LATER)
    assert {r.codes for r in results} == {("over_range",)}
    assert all(r.valid_for_statistics for r in results)


def test_the_site_override_is_used_for_that_site(hourly: Series) -> None:
    series = hourly([190.0, 210.0, 195.0])
    assert run_all(series, PM25, LATER)[1].codes == ()
    assert run_all(series, PM25, LATER, site="coast-1")[1].codes == ("range",)


def test_a_period_not_yet_ended_at_now_is_invalid(hourly: Series) -> None:
    results = run_all(hourly([30.0, 31.0, 32.0]), PM25, now=T0 + 2 * HOUR + timedelta(minutes=1))
    assert [r.codes for r in results] == [(), (), ("future_time",)]


def test_switched_off_rate_and_flatline_checks_stay_quiet(hourly: Series) -> None:
    rules = ParameterRules("a34004", Range(0, 1000), flatline_run=None)
    results = run_all(hourly([10.0, 900.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0]), rules, LATER)
    assert all(r.codes == () for r in results)
