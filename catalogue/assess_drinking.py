"""Drinking water: sources (GB 3838, class III or better) and tap water (GB 5749-2022).

Verdicts come from ``hub.assessments.drinking`` (sources are classed as sections are, by
``hub.assessments.water``).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from sqlalchemy.orm import Session

from catalogue.assess_water import CLASS_FIELDS, class_columns, section_months
from catalogue.model import Query, Text
from catalogue.series import (
    SITE_FIELDS,
    Field,
    Producer,
    Row,
    hour_key,
    joined,
    read,
    site_columns,
)
from hub.assessments import drinking
from hub.standards import NoEditionInForce


def _sources(session: Session, query: Query, start: datetime, end: datetime) -> list[Row]:
    return [
        {
            **row,
            **class_columns(assessed),
            "compliant": drinking.source_compliant(assessed),
        }
        for row, assessed in section_months(session, query, start, end)
    ]


SOURCE_WATER_COMPLIANCE = Producer(
    name="source_water_compliance",
    fields=(
        *SITE_FIELDS,
        *CLASS_FIELDS,
        Field("compliant", "bool", "是否达标（达到或优于III类）", "Compliant (III or better)"),
    ),
    primary_key=("site", "month"),
    run=_sources,
    method=Text(
        "饮用水水源地按GB 3838-2002月度评价，达到或优于III类为达标；同时给出与目标类别的比较。",
        "Drinking-water sources classed monthly per GB 3838-2002; class III or better is "
        "compliant. The comparison with the source's own target class is given too.",
    ),
    standards=("GB 3838-2002",),
)


def _tap(session: Session, query: Query, start: datetime, end: datetime) -> list[Row]:
    inputs = read(session, query, start, end)
    samples: dict[tuple[str, datetime], dict[str, float]] = defaultdict(dict)
    for obs in inputs.observations:
        if obs.valid and obs.value is not None:
            samples[(obs.site, obs.start)][obs.parameter] = obs.value
    rows = []
    for (code, at), values in sorted(samples.items()):
        site = inputs.sites[code]
        try:
            checked = drinking.tap_sample(site.targets, at, values)
        except (NoEditionInForce, ValueError):
            continue  # before GB 5749-2022, or a sample point the standard does not know
        result = checked.result
        rows.append(
            {
                **site_columns(site),
                "time": hour_key(at),
                "point": result.point.value,
                "evaluated": len(result.checks),
                "compliant": checked.compliant,
                "failed": joined(checked.failed),
                "not_evaluated": joined(result.not_evaluated),
                "edition": result.edition,
            }
        )
    return rows


TAP_WATER_COMPLIANCE = Producer(
    name="tap_water_compliance",
    fields=(
        *SITE_FIELDS,
        Field("time", "timestamp", "采样时间（UTC）", "Sampling time (UTC)"),
        Field("point", "text", "采样点类型（出厂水/末梢水）", "Sample point (plant/tap)"),
        Field("evaluated", "int", "评价指标数", "Indicators evaluated"),
        Field("compliant", "bool", "是否合格", "Compliant"),
        Field("failed", "text", "不合格指标", "Indicators failing"),
        Field("not_evaluated", "text", "未评价指标", "Indicators not evaluated"),
        Field("edition", "text", "评价标准版本", "Standard edition applied"),
    ),
    primary_key=("site", "time"),
    run=_tap,
    method=Text(
        "每个水样按GB 5749-2022中已收录的指标逐项判定；未收录的指标列为未评价，不视为合格。",
        "Each sample checked against the GB 5749-2022 indicators the hub holds; others "
        "are listed as not evaluated, never counted as compliant.",
    ),
    standards=("GB 5749-2022",),
)


PRODUCERS = (SOURCE_WATER_COMPLIANCE, TAP_WATER_COMPLIANCE)
