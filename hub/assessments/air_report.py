"""The published AQI documents (GET /air/aqi, /air/aqi/latest): read, assess, render.

The numbers come from ``air``; this module reads the values it needs and writes the
documents the OpenAPI spec describes.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from hub.assessments import air
from hub.assessments.common import site_summary, wrong_kind
from hub.assessments.inputs import active_sites, find_site, valid_values
from hub.db.reference import Network, Site
from hub.paging import PageRequest
from hub.standards import AqiResult, NoEditionInForce, codes
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


def series_of(
    session: Session, site_ids: list[int], start: datetime, end: datetime
) -> dict[int, air.AirSeries]:
    """Each station's valid hourly series with hour starts in [start, end)."""
    by_site: dict[int, list[tuple[str, datetime, float | None]]] = defaultdict(list)
    for v in valid_values(session, site_ids, codes.AIR, start, end, periods={air.HOURLY}):
        by_site[v.site_id].append((v.parameter, v.start, v.value))
    return {sid: air.air_series(values) for sid, values in by_site.items()}


def _hour_doc(series: air.AirSeries, hour: datetime) -> dict[str, Any]:
    return {
        "time": iso_utc(hour),
        "local_time": hour.astimezone(LOCAL_TZ).isoformat(),
        **result_doc(air.hour_aqi(series, hour)),
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
    series = series_of(session, [site.id], *air.hourly_window(start, end)).get(site.id, {})
    hours = [start + k * air.HOUR for k in range(24)]
    valid = air.valid_hours(series, day)
    return {
        "site": site_summary(site, network),
        "date": day.isoformat(),
        "hourly": [_hour_doc(series, h) for h in hours],
        "daily": {
            **result_doc(air.day_aqi(series, day)),
            "valid_hours": {NAMES[c]: n for c, n in valid.items()},
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


def latest_aqi(session: Session, now: datetime, page: PageRequest) -> dict[str, Any]:
    """Every active air station (by code) with the AQI of its latest complete hour."""
    found, rows = active_sites(session, AIR_MEDIUM, page.limit, page.offset)
    # The last 24 hours to find the hour in, and what that hour's AQI looks back on.
    start, end = air.hourly_window(now - 24 * air.HOUR, now)
    series = series_of(session, [s.id for s, _ in rows], start, end)
    results = []
    for site, network in rows:
        own = series.get(site.id, {})
        hour = air.latest_hour(own, now)
        body: dict[str, Any] = {"site": site_summary(site, network)}
        try:
            body |= _NO_HOUR if hour is None else _hour_doc(own, hour)
        except NoEditionInForce:
            body |= _NO_HOUR
        results.append(body)
    return {
        "meta": {"page": page.page, "limit": page.limit, "found": found},
        "results": results,
    }
