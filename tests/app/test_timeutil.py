from datetime import UTC, date, datetime

import pytest

from hub.timeutil import canonical_period, local_day_bounds, parse_instant, parse_period


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("PT1H", "PT1H"),
        ("PT60M", "PT1H"),
        ("PT3600S", "PT1H"),
        ("P1D", "P1D"),
        ("PT24H", "P1D"),
        ("PT0S", "PT0S"),
        ("P1M", "P1M"),
        ("P12M", "P1Y"),
        ("pt5m", "PT5M"),
        ("PT1H30M", "PT1H30M"),
        ("P1W", "P7D"),
    ],
)
def test_periods_have_one_spelling(text: str, iso: str) -> None:
    assert canonical_period(text) == iso


@pytest.mark.parametrize("bad", ["", "P", "PT", "1H", "PTH", "P1.5D", "hourly", "P1DT"])
def test_bad_periods_are_refused(bad: str) -> None:
    with pytest.raises(ValueError):
        parse_period(bad)


def test_local_time_is_stored_as_utc() -> None:
    assert parse_instant("2026-11-01T08:00:00+08:00") == datetime(2026, 11, 1, 0, 0, tzinfo=UTC)
    assert parse_instant("2026-11-01T00:00:00Z") == datetime(2026, 11, 1, 0, 0, tzinfo=UTC)


def test_a_bare_date_is_the_start_of_the_local_day() -> None:
    assert parse_instant("2026-11-01") == datetime(2026, 10, 31, 16, 0, tzinfo=UTC)


def test_a_time_without_offset_is_refused() -> None:
    with pytest.raises(ValueError, match="offset"):
        parse_instant("2026-11-01T08:00:00")


def test_local_day_is_utc_plus_eight() -> None:
    start, end = local_day_bounds(date(2026, 3, 1))
    assert start == datetime(2026, 2, 28, 16, tzinfo=UTC)
    assert (end - start).total_seconds() == 86400
