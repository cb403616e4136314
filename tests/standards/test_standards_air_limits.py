"""GB 3095 limits by date, grade, pollutant and period."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from hub.standards import NoEditionInForce, air_limit


@pytest.mark.parametrize(
    ("day", "edition", "value"),
    [
        (date(2026, 2, 28), "GB 3095-2012", 75),
        (date(2026, 3, 1), "GB 3095-2026 (transition)", 60),
        (date(2030, 12, 31), "GB 3095-2026 (transition)", 60),
        (date(2031, 1, 1), "GB 3095-2026 (final)", 50),
    ],
)
def test_pm25_24h_grade2_by_date(day, edition, value):
    limit = air_limit("a34004", "24h", 2, when=day)
    assert (limit.edition, limit.value) == (edition, Decimal(value))


def test_other_values():
    assert air_limit("a34002", "annual", 2, when=date(2020, 1, 1)).value == 70
    assert air_limit("a34002", "annual", 2, when=date(2027, 1, 1)).value == 60
    assert air_limit("a21004", "annual", 1, when=date(2031, 6, 1)).value == 30
    assert air_limit("a21026", "24h", 2, when=date(2031, 6, 1)).value == 50
    assert air_limit("a05024", "8h", 1, when=date(2031, 6, 1)).value == 100
    co = air_limit("a21005", "1h", 2, when=date(2026, 3, 1))
    assert (co.value, co.unit) == (10, "mg/m³")


def test_local_day_of_a_utc_time_picks_the_stage():
    assert air_limit("a34004", "24h", 2, when=datetime(2026, 2, 28, 16, 30, tzinfo=UTC)).value == 60


def test_equal_to_the_limit_complies():
    limit = air_limit("a34004", "24h", 2, when=date(2026, 2, 28))
    assert not limit.exceeded_by(75)
    assert limit.exceeded_by(Decimal("75.1"))


def test_lookup_errors():
    with pytest.raises(KeyError):
        air_limit("a21005", "annual", 2, when=date(2026, 3, 1))
    with pytest.raises(ValueError):
        air_limit("a34004", "24h", 3, when=date(2026, 3, 1))
    with pytest.raises(NoEditionInForce):
        air_limit("a34004", "24h", 2, when=date(2015, 12, 31))
