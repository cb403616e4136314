"""Water producers: monthly surface-water class (GB 3838) and seawater class (GB 3097).

Every class comes from ``hub.assessments.water``, the engine the API uses: the month's
valid samples are averaged per parameter, then classed (worst item decides) and compared
with the site's target class.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from sqlalchemy.orm import Session

from catalogue.model import Query, Text
from catalogue.series import (
    SITE_FIELDS,
    Field,
    Inputs,
    Producer,
    Row,
    align,
    joined,
    month_first,
    month_of,
    read,
    site_columns,
)
from hub.assessments import water
from hub.standards import NoEditionInForce

_SEA_LABEL = {1: "一类", 2: "二类", 3: "三类", 4: "四类", 5: "劣四类"}
MonthSamples = tuple[dict[str, list[float]], int]


def monthly_samples(inputs: Inputs) -> dict[tuple[str, str], MonthSamples]:
    """Per (site, local month): valid samples per parameter and the sampling times."""
    triples: dict[tuple[str, str], list[tuple[str, datetime, float]]] = defaultdict(list)
    for obs in inputs.observations:
        if obs.valid and obs.value is not None:
            triples[(obs.site, month_of(obs.start))].append((obs.parameter, obs.start, obs.value))
    return {key: water.month_samples(values) for key, values in triples.items()}


def class_columns(month: water.SurfaceMonth) -> Row:
    """The class columns of a section-month row (shared with drinking-water sources)."""
    result, cls, target = month.result, month.result.water_class, month.target
    return {
        "water_class": cls.label if cls else None,
        "class_number": int(cls) if cls else None,
        "target_class": target.label if target else None,
        "meets_target": month.met,
        "quality_zh": result.quality_zh,
        "quality_en": result.quality_en,
        "main_pollutants": joined(result.main_pollutants),
        "edition": result.edition,
    }


CLASS_FIELDS = (
    Field("month", "text", "月份（北京时间）", "Local month (UTC+8)"),
    Field("samples", "int", "有效采样次数", "Valid sampling times"),
    Field("water_class", "text", "水质类别", "Water class (GB 3838)"),
    Field("class_number", "int", "类别序号（6为劣V）", "Class number (6 = worse than V)"),
    Field("target_class", "text", "目标类别", "Target class"),
    Field("meets_target", "bool", "是否达到目标", "Meets its target"),
    Field("quality_zh", "text", "水质状况", "Status (Chinese)"),
    Field("quality_en", "text", "水质状况（英文）", "Status (English)"),
    Field("main_pollutants", "text", "主要污染指标", "Main pollutants"),
    Field("edition", "text", "评价标准版本", "Standard edition applied"),
)


def section_months(
    session: Session, query: Query, start: datetime, end: datetime
) -> list[tuple[Row, water.SurfaceMonth]]:
    """Every section and month in [start, end), widened to months: its first columns
    (site, month, samples) and its GB 3838 assessment."""
    lo, hi = align(start, end, "month")
    inputs = read(session, query, lo, hi)
    out = []
    for (code, month), (samples, times) in sorted(monthly_samples(inputs).items()):
        site = inputs.sites[code]
        try:
            assessed = water.surface_month(site.targets, month_first(month), samples)
        except NoEditionInForce:
            continue
        out.append(({**site_columns(site), "month": month, "samples": times}, assessed))
    return out


def monthly_classes(session: Session, query: Query, start: datetime, end: datetime) -> list[Row]:
    """GB 3838 class of every section and month in [start, end), widened to months."""
    return [
        {**row, **class_columns(assessed)}
        for row, assessed in section_months(session, query, start, end)
    ]


MONTHLY_WATER_CLASS = Producer(
    name="monthly_water_class",
    fields=(*SITE_FIELDS, *CLASS_FIELDS),
    primary_key=("site", "month"),
    run=monthly_classes,
    method=Text(
        "按《地表水环境质量评价办法（试行）》单因子评价：月内有效样品"
        "（剔除F、M、S、D、C、B标记及质控判为无效的值）按项目取均值，"
        "以最差项目确定GB 3838-2002水质类别，并与断面目标类别比较。",
        "Single-factor method of the ministry's surface-water evaluation rules: each "
        "parameter's valid samples of the month (valid for statistics: flags F, M, S, D, "
        "C, B and QC-invalid values are left out) are averaged, the worst item gives the "
        "GB 3838-2002 class, compared with the section's target class.",
    ),
    standards=("GB 3838-2002",),
)

def _sea(session: Session, query: Query, start: datetime, end: datetime) -> list[Row]:
    lo, hi = align(start, end, "month")
    inputs = read(session, query, lo, hi)
    rows = []
    for (code, month), (samples, times) in sorted(monthly_samples(inputs).items()):
        site = inputs.sites[code]
        try:
            assessed = water.sea_month(site.targets, month_first(month), samples)
        except NoEditionInForce:
            continue
        result, target = assessed.result, assessed.target
        cls = int(result.sea_class) if result.sea_class is not None else None
        rows.append(
            {
                **site_columns(site),
                "month": month,
                "samples": times,
                "sea_class": _SEA_LABEL[cls] if cls else None,
                "class_number": cls,
                "target_class": int(target) if target is not None else None,
                "meets_target": assessed.met,
                "edition": result.edition,
            }
        )
    return rows


SEAWATER_CLASS = Producer(
    name="seawater_class",
    fields=(
        *SITE_FIELDS,
        Field("month", "text", "月份（北京时间）", "Local month (UTC+8)"),
        Field("samples", "int", "有效采样次数", "Valid sampling times"),
        Field("sea_class", "text", "海水水质类别", "Seawater class (GB 3097)"),
        Field("class_number", "int", "类别序号（5为劣四类）", "Class number (5 = worse than 4)"),
        Field("target_class", "int", "目标类别", "Target class"),
        Field("meets_target", "bool", "是否达到目标", "Meets its target"),
        Field("edition", "text", "评价标准版本", "Standard edition applied"),
    ),
    primary_key=("site", "month"),
    run=_sea,
    method=Text(
        "近岸海域点位月内有效样品按项目取均值，按GB 3097-1997以最差项目确定海水水质类别。",
        "Each coastal point's valid samples of the month are averaged per parameter; the "
        "worst item gives the GB 3097-1997 seawater class.",
    ),
    standards=("GB 3097-1997",),
)

PRODUCERS = (MONTHLY_WATER_CLASS, SEAWATER_CLASS)
