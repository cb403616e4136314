"""GB 3096-2008 noise: day/night by local time, zone limits, night Lmax."""

from datetime import UTC, datetime, time
from decimal import Decimal

import pytest

from hub.standards import LOCAL_TZ, DayPart, assess_noise, day_part


def local(h, m):
    return datetime(2025, 6, 1, h, m, tzinfo=LOCAL_TZ)


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        (local(5, 59), DayPart.NIGHT),
        (local(6, 0), DayPart.DAY),
        (local(21, 59), DayPart.DAY),
        (local(22, 0), DayPart.NIGHT),
        (datetime(2025, 5, 31, 21, 59, tzinfo=UTC), DayPart.NIGHT),  # 05:59 local
        (datetime(2025, 5, 31, 22, 0, tzinfo=UTC), DayPart.DAY),  # 06:00 local
        (datetime(2025, 6, 1, 14, 0, tzinfo=UTC), DayPart.NIGHT),  # 22:00 local
    ],
)
def test_day_or_night_at_local_time(at, expected):
    assert day_part(at) is expected


def test_local_hours_can_be_set():
    assert day_part(local(6, 30), day_start=time(7)) is DayPart.NIGHT


def test_naive_time_is_rejected():
    with pytest.raises(ValueError):
        day_part(datetime(2025, 6, 1, 12))


def test_zone_2_night():
    ok = assess_noise("2", local(23, 0), 50, lmax=65)
    assert (ok.limit, ok.lmax_limit, ok.compliant) == (Decimal(50), Decimal(65), True)
    loud = assess_noise("2", local(23, 0), Decimal("50.1"))
    assert (loud.leq_exceeds, loud.compliant) == (True, False)
    peak = assess_noise("2", local(23, 0), 45, lmax=Decimal("65.1"))
    assert (peak.leq_exceeds, peak.lmax_exceeds, peak.compliant) == (False, True, False)


def test_lmax_not_evaluated_by_day():
    result = assess_noise("2", local(12, 0), 60, lmax=100)
    assert (result.limit, result.lmax_exceeds, result.compliant) == (Decimal(60), None, True)


@pytest.mark.parametrize(
    ("zone", "day", "night"),
    [("0", 50, 40), ("1", 55, 45), ("3", 65, 55), ("4a", 70, 55), ("4B", 70, 60)],
)
def test_zone_limits(zone, day, night):
    assert assess_noise(zone, local(12, 0), 0).limit == day
    assert assess_noise(zone, local(2, 0), 0).limit == night
