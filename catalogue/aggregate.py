"""Plain producers: raw current observations and hourly, daily, monthly means."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import datetime

from sqlalchemy.orm import Session

from catalogue.model import Query, Text
from catalogue.series import (
    SITE_FIELDS,
    Field,
    Obs,
    Producer,
    Row,
    align,
    hour_key,
    local_date,
    month_of,
    read,
    rounded,
    site_columns,
)


def _raw(session: Session, query: Query, start: datetime, end: datetime) -> list[Row]:
    inputs = read(session, query, start, end)
    rows = []
    for obs in inputs.observations:
        rows.append(
            {
                **site_columns(inputs.sites[obs.site]),
                "parameter": obs.parameter,
                "time": hour_key(obs.start),
                "period": obs.period,
                "value": obs.value,
                "unit": obs.unit,
                "flag": obs.flag,
                "qc_status": obs.qc_status,
            }
        )
    return rows


RAW = Producer(
    name="raw",
    fields=(
        *SITE_FIELDS,
        Field("parameter", "text", "监测项目编码", "Parameter code"),
        Field("time", "timestamp", "时段开始（UTC）", "Period start (UTC)"),
        Field("period", "text", "时段长度（ISO 8601）", "Period length (ISO 8601)"),
        Field("value", "numeric", "监测值", "Value"),
        Field("unit", "text", "单位", "Unit"),
        Field("flag", "text", "数据标记（HJ 212）", "Data flag (HJ 212)"),
        Field("qc_status", "text", "质控状态", "Quality-control status"),
    ),
    primary_key=("site", "parameter", "time", "period"),
    run=_raw,
    method=Text(
        "当前修订版本的原始监测值，附数据标记与质控状态，不作剔除。",
        "Current revision of every observation as stored, with its data flag and QC "
        "status; nothing is left out.",
    ),
)


def _mean_producer(
    name: str, unit: str, bucket: Callable[[Obs], str], field: Field, zh: str, en: str
) -> Producer:
    def run(session: Session, query: Query, start: datetime, end: datetime) -> list[Row]:
        lo, hi = align(start, end, unit)
        inputs = read(session, query, lo, hi)
        groups: dict[tuple[str, str, str], list[float]] = defaultdict(list)
        units: dict[str, str] = {}
        for obs in inputs.observations:
            units[obs.parameter] = obs.unit
            if obs.valid and obs.value is not None:
                groups[(obs.site, obs.parameter, bucket(obs))].append(obs.value)
        rows = []
        for (site, parameter, key), values in sorted(groups.items()):
            rows.append(
                {
                    **site_columns(inputs.sites[site]),
                    "parameter": parameter,
                    field.id: key,
                    "mean": rounded(sum(values) / len(values)),
                    "min": rounded(min(values)),
                    "max": rounded(max(values)),
                    "count": len(values),
                    "unit": units[parameter],
                }
            )
        return rows

    return Producer(
        name=name,
        fields=(
            *SITE_FIELDS,
            Field("parameter", "text", "监测项目编码", "Parameter code"),
            field,
            Field("mean", "numeric", "均值", "Mean"),
            Field("min", "numeric", "最小值", "Minimum"),
            Field("max", "numeric", "最大值", "Maximum"),
            Field("count", "int", "有效值个数", "Valid values"),
            Field("unit", "text", "单位", "Unit"),
        ),
        primary_key=("site", "parameter", field.id),
        run=run,
        method=Text(
            f"{zh}：当前修订版本中统计有效值的算术平均（剔除数据标记为F、M、S、D、C、B的值"
            "及质控判为无效的值）。",
            f"{en}: arithmetic mean of the current values valid for statistics (values "
            "flagged F, M, S, D, C or B and values QC marked invalid are left out).",
        ),
    )


HOURLY_MEAN = _mean_producer(
    "hourly_mean",
    "hour",
    lambda o: hour_key(o.start.replace(minute=0, second=0, microsecond=0)),
    Field("hour", "timestamp", "小时开始（UTC）", "Hour start (UTC)"),
    "小时均值",
    "Hourly mean",
)
DAILY_MEAN = _mean_producer(
    "daily_mean",
    "day",
    lambda o: local_date(o.start).isoformat(),
    Field("day", "date", "日期（北京时间）", "Local day (UTC+8)"),
    "日均值",
    "Daily mean",
)
MONTHLY_MEAN = _mean_producer(
    "monthly_mean",
    "month",
    lambda o: month_of(o.start),
    Field("month", "text", "月份（北京时间）", "Local month (UTC+8)"),
    "月均值",
    "Monthly mean",
)

PRODUCERS = (RAW, HOURLY_MEAN, DAILY_MEAN, MONTHLY_MEAN)
