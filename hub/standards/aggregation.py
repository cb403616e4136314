"""Hourly → daily air indicators with GB 3095 data validity (pure functions).

Hourly values come as ``(hour start, value)`` pairs: the hour start is a timezone-aware
datetime on the hour (UTC typically); the value is a number, or None / NaN when missing
or invalidated by QC. Days are local (UTC+8) calendar days: the day's hours start at
00:00 … 23:00 local.

Validity (GB 3095, reference file): a 24-hour mean needs ≥ 20 valid hourly values; an
8-hour O3 mean needs ≥ 6 valid hours of its 8.

Daily maximum 8-hour O3 — window convention: the 17 moving windows that lie wholly inside
the local day, i.e. starting at 00:00 … 16:00 (ending at 08:00 … 24:00, the "8时至24时"
convention of HJ 663-2013). The maximum needs ``min_valid_windows`` valid windows
(default 14 per HJ 663-2013, unconfirmed — not in the reference file); with fewer, it still
stands when it exceeds ``exceedance_limit`` (if one is given), since more data could only
raise a maximum.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Final

from hub.standards import codes
from hub.standards.aqi_tables import O3_1H, O3_8H, Indicator, Period
from hub.standards.editions import local_day, local_midnight, require_aware
from hub.standards.rounding import Number, mean, to_decimal

HourlyValue = tuple[datetime, Number | None]
HourlySeries = Mapping[datetime, Decimal | None]

MIN_HOURS_24H: Final = 20
MIN_HOURS_8H: Final = 6
MIN_O3_8H_WINDOWS: Final = 14  # HJ 663-2013 (U): not in the reference file
_HOUR: Final = timedelta(hours=1)


def index_hourly(values: Iterable[HourlyValue]) -> dict[datetime, Decimal | None]:
    """Validate hourly pairs and key them by UTC hour start.

    Raises ValueError for a naive datetime, an hour start not on the hour, or the same
    hour twice. NaN and None become None (missing).
    """
    out: dict[datetime, Decimal | None] = {}
    for start, value in values:
        require_aware(start)
        key = start.astimezone(UTC)
        if (key.minute, key.second, key.microsecond) != (0, 0, 0):
            raise ValueError(f"hour start not on the hour: {start.isoformat()}")
        if key in out:
            raise ValueError(f"duplicate hour: {start.isoformat()}")
        out[key] = None if value is None or _is_nan(value) else to_decimal(value)
    return out


def _is_nan(value: Number) -> bool:
    # NaN is how some feeds mark an invalid hour; treat it like None.
    return isinstance(value, float | Decimal) and math.isnan(value)


def _valid(series: HourlySeries, first: datetime, hours: int) -> list[Decimal]:
    start = first.astimezone(UTC)
    found = (series.get(start + k * _HOUR) for k in range(hours))
    return [v for v in found if v is not None]


def trailing_mean(
    values: Iterable[HourlyValue] | HourlySeries, last_hour: datetime, hours: int, min_valid: int
) -> Decimal | None:
    """Mean of the ``hours`` hours ending with the hour that starts at ``last_hour``.

    E.g. hours=24, min_valid=20 is the moving 24-hour mean as of that hour; hours=8,
    min_valid=6 the moving 8-hour O3 mean. None when fewer than ``min_valid`` are valid.
    """
    require_aware(last_hour)
    series = values if isinstance(values, Mapping) else index_hourly(values)
    found = _valid(series, last_hour - (hours - 1) * _HOUR, hours)
    return mean(found) if len(found) >= min_valid else None


def daily_mean(
    values: Iterable[HourlyValue] | HourlySeries,
    day: date | datetime,
    min_valid: int = MIN_HOURS_24H,
) -> Decimal | None:
    """24-hour mean of a local day; None with fewer than ``min_valid`` (20) valid hours."""
    series = values if isinstance(values, Mapping) else index_hourly(values)
    found = _valid(series, local_midnight(local_day(day)), 24)
    return mean(found) if len(found) >= min_valid else None


def daily_max_1h(
    values: Iterable[HourlyValue] | HourlySeries,
    day: date | datetime,
    min_valid: int = MIN_HOURS_24H,
) -> Decimal | None:
    """Highest valid hourly value of a local day (O3 daily max 1h, HJ 633-2012).

    The reference gives no validity rule for it; the 24-hour rule (≥ 20 hours) is used.
    """
    series = values if isinstance(values, Mapping) else index_hourly(values)
    found = _valid(series, local_midnight(local_day(day)), 24)
    return max(found) if len(found) >= min_valid else None


def daily_max_8h(
    values: Iterable[HourlyValue] | HourlySeries,
    day: date | datetime,
    *,
    min_valid_windows: int = MIN_O3_8H_WINDOWS,
    exceedance_limit: Number | None = None,
) -> Decimal | None:
    """Daily maximum 8-hour mean (O3) of a local day; window convention in the module doc."""
    series = values if isinstance(values, Mapping) else index_hourly(values)
    midnight = local_midnight(local_day(day))
    windows = [
        trailing_mean(series, midnight + (start + 7) * _HOUR, 8, MIN_HOURS_8H)
        for start in range(17)
    ]
    valid = [w for w in windows if w is not None]
    if not valid:
        return None
    top = max(valid)
    if len(valid) >= min_valid_windows:
        return top
    if exceedance_limit is not None and top > to_decimal(exceedance_limit):
        return top
    return None


def daily_indicators(
    series_by_code: Mapping[str, Iterable[HourlyValue]], day: date | datetime
) -> dict[Indicator, Decimal | None]:
    """Daily AQI inputs of a local day from hourly series keyed by HJ 212 air code.

    SO2, NO2, CO, PM10, PM2.5 → 24-hour means; O3 → daily max 8h (O3_8H) and daily max 1h
    (O3_1H, used by HJ 633-2012 only). Other codes are ignored; absent pollutants are None.
    """
    out: dict[Indicator, Decimal | None] = {}
    for code in codes.AIR:
        series = index_hourly(series_by_code.get(code, ()))
        if code == codes.O3:
            out[O3_8H] = daily_max_8h(series, day)
            out[O3_1H] = daily_max_1h(series, day)
        else:
            out[Indicator(code, Period.H24)] = daily_mean(series, day)
    return out
