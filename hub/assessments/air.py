"""Air quality by HJ 633: hourly and daily AQI of a station, edition by local day. Pure.

A station's series is its valid (see ``validity``) 1-hour values per pollutant, keyed by
UTC hour start. The edition in force on the hour's (or the day's) local date applies:
HJ 633-2012 up to 2026-02-28, HJ 633-2026 from 2026-03-01 (``hub.standards`` holds both).
Under 2012 each hour also evaluates the moving O3 8-hour and PM10/PM2.5 24-hour means,
and the moving SO2 24-hour mean for its rule (b); 2026 ignores them. So an hour's AQI
needs the 24 hours before it: ``hourly_window`` says what to read for a span of hours.
Daily values follow GB 3095 validity (≥ 20 valid hours for a 24-hour mean, see
``hub.standards.aggregation``); an index the edition cannot publish is "NA" (None).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Final

from hub.standards import (
    O3_8H,
    PM10_24H,
    PM25_24H,
    SO2_24H,
    AqiResult,
    Indicator,
    Period,
    codes,
    daily_aqi,
    daily_indicators,
    hourly_aqi,
    index_hourly,
    trailing_mean,
)
from hub.standards.aggregation import MIN_HOURS_8H, MIN_HOURS_24H
from hub.timeutil import local_day_bounds

HOUR: Final = timedelta(hours=1)
HOURLY: Final = "PT1H"
#: How far before an hour its AQI looks (HJ 633-2012's moving 24-hour means).
LOOK_BACK: Final = 24 * HOUR

#: A station's valid hourly values: pollutant code → UTC hour start → value (None: invalid).
AirSeries = Mapping[str, Mapping[datetime, Decimal | None]]


def on_the_hour(at: datetime) -> bool:
    """True for an instant that starts a clock hour."""
    return (at.minute, at.second, at.microsecond) == (0, 0, 0)


def air_series(values: Iterable[tuple[str, datetime, float | None]]) -> AirSeries:
    """A station's series from (pollutant code, hour start, value or None) triples.

    Other codes and instants off the hour are ignored; the caller has already applied the
    validity rule (an invalid value is None or absent — both are missing here).
    """
    pairs: dict[str, list[tuple[datetime, float | None]]] = defaultdict(list)
    for code, at, value in values:
        if code in codes.AIR and on_the_hour(at):
            pairs[code].append((at.astimezone(UTC), value))
    return {code: index_hourly(found) for code, found in pairs.items()}


def hourly_window(start: datetime, end: datetime) -> tuple[datetime, datetime]:
    """What to read to compute the hourly AQI of every hour starting in [start, end)."""
    return start - LOOK_BACK, end


def hour_aqi(series: AirSeries, hour: datetime) -> AqiResult:
    """Hourly AQI of the hour starting at ``hour``; raises NoEditionInForce before HJ 633."""
    hour = hour.astimezone(UTC)

    def get(code: str) -> Mapping[datetime, Decimal | None]:
        return series.get(code, {})

    values: dict[Indicator, Decimal | None] = {
        Indicator(code, Period.H1): get(code).get(hour) for code in codes.AIR
    }
    # Used by HJ 633-2012 only (moving means; rule (b)); HJ 633-2026 ignores them.
    values[O3_8H] = trailing_mean(get(codes.O3), hour, 8, MIN_HOURS_8H)
    values[PM10_24H] = trailing_mean(get(codes.PM10), hour, 24, MIN_HOURS_24H)
    values[PM25_24H] = trailing_mean(get(codes.PM25), hour, 24, MIN_HOURS_24H)
    values[SO2_24H] = trailing_mean(get(codes.SO2), hour, 24, MIN_HOURS_24H)
    return hourly_aqi(hour, values)


def _in_day(series: AirSeries, day: date) -> dict[str, list[tuple[datetime, Decimal | None]]]:
    start, end = local_day_bounds(day)
    return {code: [(t, v) for t, v in s.items() if start <= t < end] for code, s in series.items()}


def day_indicators(series: AirSeries, day: date) -> dict[Indicator, Decimal | None]:
    """The local day's daily AQI inputs: 24-hour means, O3 max 8-hour and max 1-hour."""
    return daily_indicators(_in_day(series, day), day)


def day_aqi(series: AirSeries, day: date) -> AqiResult:
    """Daily AQI of a local day; raises NoEditionInForce before HJ 633-2012."""
    return daily_aqi(day, day_indicators(series, day))


def valid_hours(series: AirSeries, day: date) -> dict[str, int]:
    """Valid hours per pollutant code in the local day."""
    in_day = _in_day(series, day)
    return {code: sum(1 for _, v in in_day.get(code, []) if v is not None) for code in codes.AIR}


def latest_hour(series: AirSeries, now: datetime) -> datetime | None:
    """The latest finished hour with all six pollutants; else the latest with any value.

    Only the 24 hours before ``now`` are considered.
    """
    last = now.astimezone(UTC).replace(minute=0, second=0, microsecond=0) - HOUR
    candidates = [last - k * HOUR for k in range(24)]
    for hour in candidates:
        if all(series.get(c, {}).get(hour) is not None for c in codes.AIR):
            return hour
    return next(
        (h for h in candidates if any(series.get(c, {}).get(h) is not None for c in codes.AIR)),
        None,
    )
