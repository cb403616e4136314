"""Air quality producers: hourly (real-time) and daily AQI per station, by HJ 633.

Every number comes from ``hub.assessments.air``, the engine the API uses: the edition
(HJ 633-2012 up to 2026-02-28, HJ 633-2026 since) is chosen from each hour's or day's local
date and every row says which was used; under 2012 an hour's AQI includes the moving
means, so the hourly producer reads the 24 hours before its window too.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime

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
    local_date,
    read,
    rounded,
    site_columns,
)
from hub.assessments import air
from hub.standards import AqiResult, Indicator, NoEditionInForce, Period, codes

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


def station_series(inputs: Inputs) -> dict[str, air.AirSeries]:
    """Per site: the hourly series of each air pollutant (an invalid value is None)."""
    triples: dict[str, list[tuple[str, datetime, float | None]]] = defaultdict(list)
    for obs in inputs.observations:
        if obs.period == air.HOURLY:
            triples[obs.site].append((obs.parameter, obs.start, obs.value if obs.valid else None))
    return {site: air.air_series(values) for site, values in triples.items()}


def _observed(series: air.AirSeries) -> list[datetime]:
    """Hours with any observation of an air pollutant (valid or not)."""
    return sorted({t for by_hour in series.values() for t in by_hour})


def _hourly(session: Session, query: Query, start: datetime, end: datetime) -> list[Row]:
    lo, hi = align(start, end, "hour")
    inputs = read(session, query, *air.hourly_window(lo, hi))
    rows = []
    for site, series in sorted(station_series(inputs).items()):
        for at in _observed(series):
            if not lo <= at < hi:
                continue  # read only for the moving means
            try:
                result = air.hour_aqi(series, at)
            except NoEditionInForce:
                continue  # before the first HJ 633 edition held: no AQI to publish
            rows.append(
                {
                    **site_columns(inputs.sites[site]),
                    "time": hour_key(at),
                    **aqi_columns(result),
                    **{_COLUMN[c]: rounded(series.get(c, {}).get(at)) for c in SHORT},
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
        "按HJ 633（2026年3月1日前为2012版）以六项污染物1小时浓度计算实时AQI；2012版同时"
        "计算O3 8小时、PM10和PM2.5 24小时滑动平均（SO2 24小时滑动平均用于规则(b)）。"
        "只用有效数据（剔除F、M、S、D、C、B标记及质控判为无效的值）；"
        "缺项且其余IAQI不超过100时发布为NA。",
        "Real-time AQI per HJ 633 from the six 1-hour concentrations; under the 2012 "
        "edition (before 2026-03-01) also from the moving O3 8-hour and PM10/PM2.5 24-hour "
        "means (SO2's moving 24-hour mean for its rule (b)). Only values valid for "
        "statistics count (flags F, M, S, D, C, B and QC-invalid values are left out); with "
        "a pollutant missing it is NA unless the others exceed 100.",
    ),
    needs=frozenset(SHORT),
    standards=("HJ 633-2012", "HJ 633-2026"),
)


def station_days(inputs: Inputs) -> dict[tuple[str, date], air.AirSeries]:
    """Per (site, local day with any air observation): the site's series."""
    out: dict[tuple[str, date], air.AirSeries] = {}
    for site, series in station_series(inputs).items():
        for day in sorted({local_date(t) for t in _observed(series)}):
            out[(site, day)] = series
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
    inputs = read(session, query, lo, hi)
    rows = []
    for (site, day), series in sorted(station_days(inputs).items()):
        inds = air.day_indicators(series, day)
        try:
            result = air.day_aqi(series, day)
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
        "O3取日最大8小时滑动均值（GB 3095数据有效性规定），只用有效数据（同实时AQI）。",
        "Daily AQI per HJ 633 from 24-hour means of SO2, NO2, CO, PM10 and PM2.5 (at least "
        "20 valid hours) and the daily maximum 8-hour O3 (GB 3095 data validity); only "
        "values valid for statistics count, as for the hourly AQI.",
    ),
    needs=frozenset(SHORT),
    standards=("HJ 633-2012", "HJ 633-2026", "GB 3095-2012"),
)

PRODUCERS = (HOURLY_AQI, DAILY_AQI)
