"""Air quality producers: hourly (real-time) and daily AQI per station, by HJ 633.

The edition (HJ 633-2012 up to 2026-02-28, HJ 633-2026 since) is chosen by
``hub.standards`` from each hour's or day's local date; every row says which was used.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy.orm import Session

from catalogue.model import Query, Text
from catalogue.series import (
    SITE_FIELDS,
    Field,
    Inputs,
    Producer,
    Row,
    align,
    hour_key,
    joined,
    load_inputs,
    local_date,
    rounded,
    site_columns,
)
from hub.standards import (
    AqiResult,
    Indicator,
    NoEditionInForce,
    Period,
    codes,
    daily_aqi,
    daily_indicators,
    hourly_aqi,
)

SHORT = {
    codes.SO2: "SO2",
    codes.NO2: "NO2",
    codes.CO: "CO",
    codes.O3: "O3",
    codes.PM10: "PM10",
    codes.PM25: "PM2.5",
}
_COLUMN = {code: name.lower().replace(".", "") for code, name in SHORT.items()}

AQI_FIELDS = (
    Field("aqi", "int", "空气质量指数（空值为NA）", "AQI (empty: NA, not publishable)"),
    Field("level", "int", "级别", "Level (1-6)"),
    Field("quality_zh", "text", "空气质量类别", "Category (Chinese)"),
    Field("quality_en", "text", "空气质量类别（英文）", "Category (English)"),
    Field("primary_pollutants", "text", "首要污染物", "Primary pollutants"),
    Field("edition", "text", "评价标准版本", "Standard edition applied"),
)


def aqi_columns(result: AqiResult) -> Row:
    """The AQI columns of a row, from a ``hub.standards`` result."""
    level = result.level
    return {
        "aqi": result.aqi,
        "level": level.level if level else None,
        "quality_zh": level.zh if level else None,
        "quality_en": level.en if level else None,
        "primary_pollutants": joined([SHORT.get(c, c) for c in result.primary_pollutants]),
        "edition": result.edition,
    }


def hourly_series(inputs: Inputs) -> dict[str, dict[str, list[tuple[datetime, float | None]]]]:
    """Per site, per air code: (hour start, value or None when not valid) pairs."""
    out: dict[str, dict[str, list[tuple[datetime, float | None]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for obs in inputs.observations:
        on_the_hour = (obs.start.minute, obs.start.second, obs.start.microsecond) == (0, 0, 0)
        if obs.parameter in SHORT and on_the_hour:
            out[obs.site][obs.parameter].append((obs.start, obs.value if obs.valid else None))
    return out


def _hourly(session: Session, query: Query, start: datetime, end: datetime) -> list[Row]:
    lo, hi = align(start, end, "hour")
    inputs = load_inputs(session, query, lo, hi)
    rows = []
    for site, by_code in sorted(hourly_series(inputs).items()):
        hours: dict[datetime, dict[str, float | None]] = defaultdict(dict)
        for code, pairs in by_code.items():
            for at, value in pairs:
                hours[at][code] = value
        for at, values in sorted(hours.items()):
            inds = {Indicator(c, Period.H1): v for c, v in values.items()}
            try:
                result = hourly_aqi(at, inds)
            except NoEditionInForce:
                continue  # before the first HJ 633 edition held: no AQI to publish
            rows.append(
                {
                    **site_columns(inputs.sites[site]),
                    "time": hour_key(at),
                    **aqi_columns(result),
                    **{_COLUMN[c]: rounded(values.get(c)) for c in SHORT},
                }
            )
    return rows


HOURLY_AQI = Producer(
    name="hourly_aqi",
    fields=(
        *SITE_FIELDS,
        Field("time", "timestamp", "小时开始（UTC）", "Hour start (UTC)"),
        *AQI_FIELDS,
        *(Field(_COLUMN[c], "numeric", f"{n} 1小时浓度", f"{n} 1-hour") for c, n in SHORT.items()),
    ),
    primary_key=("site", "time"),
    run=_hourly,
    method=Text(
        "按HJ 633（2026年3月1日前为2012版）以六项污染物1小时浓度计算实时AQI；"
        "缺项且其余IAQI不超过100时发布为NA。",
        "Real-time AQI from the six 1-hour concentrations per HJ 633 (the 2012 edition "
        "before 2026-03-01); with a pollutant missing it is NA unless the others exceed 100.",
    ),
    needs=frozenset(SHORT),
    standards=("HJ 633-2012", "HJ 633-2026"),
)


def station_days(inputs: Inputs) -> dict[tuple[str, date], dict[Indicator, Decimal | None]]:
    """Daily AQI inputs (24 h means, O3 max 8 h / 1 h) per (site, local day) with data."""
    out: dict[tuple[str, date], dict[Indicator, Decimal | None]] = {}
    for site, by_code in hourly_series(inputs).items():
        per_day: dict[date, dict[str, list[tuple[datetime, float | None]]]] = defaultdict(
            lambda: defaultdict(list)
        )
        for code, pairs in by_code.items():
            for at, value in pairs:
                per_day[local_date(at)][code].append((at, value))
        for day, series in per_day.items():
            out[(site, day)] = daily_indicators(series, day)
    return out


DAILY_COLUMNS = {
    Indicator(codes.SO2, Period.H24): "so2_24h",
    Indicator(codes.NO2, Period.H24): "no2_24h",
    Indicator(codes.CO, Period.H24): "co_24h",
    Indicator(codes.O3, Period.H8): "o3_8h_max",
    Indicator(codes.O3, Period.H1): "o3_1h_max",
    Indicator(codes.PM10, Period.H24): "pm10_24h",
    Indicator(codes.PM25, Period.H24): "pm25_24h",
}


def _daily(session: Session, query: Query, start: datetime, end: datetime) -> list[Row]:
    lo, hi = align(start, end, "day")
    inputs = load_inputs(session, query, lo, hi)
    rows = []
    for (site, day), inds in sorted(station_days(inputs).items()):
        try:
            result = daily_aqi(day, inds)
        except NoEditionInForce:
            continue
        rows.append(
            {
                **site_columns(inputs.sites[site]),
                "day": day.isoformat(),
                **aqi_columns(result),
                **{col: rounded(inds.get(ind)) for ind, col in DAILY_COLUMNS.items()},
            }
        )
    return rows


DAILY_AQI = Producer(
    name="daily_aqi",
    fields=(
        *SITE_FIELDS,
        Field("day", "date", "日期（北京时间）", "Local day (UTC+8)"),
        *AQI_FIELDS,
        *(Field(col, "numeric", col, col.replace("_", " ")) for col in DAILY_COLUMNS.values()),
    ),
    primary_key=("site", "day"),
    run=_daily,
    method=Text(
        "按HJ 633计算日AQI：SO2、NO2、CO、PM10、PM2.5取24小时均值（至少20个有效小时），"
        "O3取日最大8小时滑动均值（GB 3095数据有效性规定）。",
        "Daily AQI per HJ 633 from 24-hour means of SO2, NO2, CO, PM10 and PM2.5 (at least "
        "20 valid hours) and the daily maximum 8-hour O3 (GB 3095 data validity).",
    ),
    needs=frozenset(SHORT),
    standards=("HJ 633-2012", "HJ 633-2026", "GB 3095-2012"),
)

PRODUCERS = (HOURLY_AQI, DAILY_AQI)
