"""Published air quality: hourly and daily AQI of a station by HJ 633, edition by day.

Inputs are the station's hourly (PT1H) values of the six pollutants that are valid for
statistics (see ``assessments``). The edition in force on each hour's (or the day's) local
date is applied: HJ 633-2012 up to 2026-02-28, HJ 633-2026 from 2026-03-01. Under 2012 the
hourly report also evaluates the moving O3 8-hour and PM 24-hour means; SO2's moving
24-hour mean is supplied for 2012 rule (b). Daily values follow GB 3095 validity (≥ 20
valid hours for a 24-hour mean, see ``hub.standards.aggregation``); an index the edition
cannot publish is "NA".
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hub.assessments.common import find_site, site_summary, valid_values, wrong_kind
from hub.db.reference import Network, Site
from hub.paging import PageRequest
from hub.standards import (
    O3_8H,
    PM10_24H,
    PM25_24H,
    SO2_24H,
    AqiResult,
    Indicator,
    NoEditionInForce,
    Period,
    codes,
    daily_aqi,
    daily_indicators,
    hourly_aqi,
    index_hourly,
    trailing_mean,
)
from hub.standards.aggregation import MIN_HOURS_8H, MIN_HOURS_24H
from hub.timeutil import LOCAL_TZ, iso_utc, local_day_bounds

NAMES = {
    codes.SO2: "SO2",
    codes.NO2: "NO2",
    codes.CO: "CO",
    codes.O3: "O3",
    codes.PM10: "PM10",
    codes.PM25: "PM2.5",
}
AIR_MEDIUM = "air"
_HOUR = timedelta(hours=1)
Series = dict[str, dict[datetime, Decimal | None]]


def _num(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def result_doc(r: AqiResult) -> dict[str, Any]:
    """An AQI result as published: the index or "NA", level, primary pollutants, IAQIs."""
    level = r.level
    return {
        "aqi": "NA" if r.aqi is None else r.aqi,
        "level": None
        if level is None
        else {"level": level.level, "zh": level.zh, "en": level.en, "colour": level.colour},
        "primary_pollutants": [
            {"code": i.code, "name": NAMES[i.code], "indicator": str(i.period)}
            for i in r.primary_indicators
        ],
        "iaqi": [
            {
                "pollutant": i.indicator.code,
                "name": NAMES[i.indicator.code],
                "indicator": str(i.indicator.period),
                "concentration": _num(i.concentration),
                "evaluated": _num(i.evaluated),
                "iaqi": i.iaqi,
                "rule": str(i.rule),
            }
            for i in r.iaqis
        ],
        "missing": [f"{NAMES[i.code]} {i.period}" for i in r.missing],
        "edition": r.edition,
    }


def _series(
    session: Session, site_ids: list[int], start: datetime, end: datetime
) -> dict[int, Series]:
    """Valid hourly values per site and pollutant, keyed by UTC hour start."""
    pairs: dict[int, dict[str, list[tuple[datetime, float]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for v in valid_values(session, site_ids, codes.AIR, start, end, periods={"PT1H"}):
        t = v.start.astimezone(UTC)
        if (t.minute, t.second, t.microsecond) == (0, 0, 0):
            pairs[v.site_id][v.parameter].append((t, v.value))
    return {
        sid: {code: index_hourly(values) for code, values in by_code.items()}
        for sid, by_code in pairs.items()
    }


def hour_result(series: Series, hour: datetime) -> AqiResult:
    """Hourly AQI of the hour starting at ``hour`` (UTC) from a station's series."""

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


def _hour_doc(series: Series, hour: datetime) -> dict[str, Any]:
    return {
        "time": iso_utc(hour),
        "local_time": hour.astimezone(LOCAL_TZ).isoformat(),
        **result_doc(hour_result(series, hour)),
    }


def air_site(session: Session, code: str) -> tuple[Site, Network]:
    """An air station, or 404 (unknown) / 422 (not an air site)."""
    site, network = find_site(session, code)
    if network.medium != AIR_MEDIUM:
        raise wrong_kind(site, network, "the AQI is published for air-quality stations only")
    return site, network


def day_aqi(session: Session, code: str, day: date) -> dict[str, Any]:
    """The local day's 24 hourly AQIs and its daily AQI at station ``code``.

    Raises NoEditionInForce for a day before HJ 633-2012 took effect.
    """
    site, network = air_site(session, code)
    start, end = local_day_bounds(day)
    # The day before feeds the moving means HJ 633-2012 evaluates each hour.
    series = _series(session, [site.id], start - 24 * _HOUR, end).get(site.id, {})
    hours = [start + k * _HOUR for k in range(24)]
    in_day = {
        code_: [(t, v) for t, v in s.items() if start <= t < end] for code_, s in series.items()
    }
    daily = daily_aqi(day, daily_indicators(in_day, day))
    return {
        "site": site_summary(site, network),
        "date": day.isoformat(),
        "hourly": [_hour_doc(series, h) for h in hours],
        "daily": {
            **result_doc(daily),
            "valid_hours": {
                NAMES[c]: sum(1 for _, v in in_day.get(c, []) if v is not None) for c in codes.AIR
            },
        },
    }


# A station with no valid value in the last 24 hours.
_NO_HOUR: dict[str, Any] = {
    "time": None,
    "local_time": None,
    "aqi": "NA",
    "level": None,
    "primary_pollutants": [],
    "iaqi": [],
    "missing": [],
    "edition": None,
}


def _latest_hour(series: Series, now: datetime) -> datetime | None:
    """The latest finished hour with all six pollutants; else the latest with any value."""
    last = now.astimezone(UTC).replace(minute=0, second=0, microsecond=0) - _HOUR
    candidates = [last - k * _HOUR for k in range(24)]
    for hour in candidates:
        if all(series.get(c, {}).get(hour) is not None for c in codes.AIR):
            return hour
    return next(
        (h for h in candidates if any(series.get(c, {}).get(h) is not None for c in codes.AIR)),
        None,
    )


def latest_aqi(session: Session, now: datetime, page: PageRequest) -> dict[str, Any]:
    """Every active air station (by code) with the AQI of its latest complete hour."""
    stmt = (
        select(Site, Network)
        .join(Network, Network.code == Site.network_code)
        .where(Network.medium == AIR_MEDIUM, Site.status == "active")
    )
    found = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = session.execute(stmt.order_by(Site.code).limit(page.limit).offset(page.offset)).all()
    # 48 hours: the last 24 to find the hour in, 24 more for 2012's moving means.
    series = _series(session, [s.id for s, _ in rows], now - 48 * _HOUR, now)
    results = []
    for site, network in rows:
        own = series.get(site.id, {})
        hour = _latest_hour(own, now)
        body: dict[str, Any] = {"site": site_summary(site, network)}
        try:
            body |= _NO_HOUR if hour is None else _hour_doc(own, hour)
        except NoEditionInForce:
            body |= _NO_HOUR
        results.append(body)
    return {
        "meta": {"page": page.page, "limit": page.limit, "found": int(found)},
        "results": results,
    }
