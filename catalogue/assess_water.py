"""Water producers: monthly surface-water class (GB 3838) and seawater class (GB 3097).

Monthly classes follow the ministry's method as ``hub.standards`` implements it: the
month's valid samples are averaged per parameter, then classed (worst item decides).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from catalogue.model import Query, Text
from catalogue.series import (
    SITE_FIELDS,
    Field,
    Inputs,
    Producer,
    PublishedSite,
    Row,
    align,
    joined,
    load_inputs,
    month_first,
    month_of,
    site_columns,
)
from hub.standards import (
    NoEditionInForce,
    SectionResult,
    WaterBody,
    WaterClass,
    seawater_class,
    section_class_for_period,
)
from hub.standards.surface_water import period_means

_ROMAN = {c.label: c for c in WaterClass}
_SEA_LABEL = {1: "一类", 2: "二类", 3: "三类", 4: "四类", 5: "劣四类"}


def monthly_samples(inputs: Inputs) -> dict[tuple[str, str], dict[str, list[float | None]]]:
    """Valid values per (site, local month), per parameter."""
    out: dict[tuple[str, str], dict[str, list[float | None]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for obs in inputs.observations:
        if obs.valid:
            out[(obs.site, month_of(obs.start))][obs.parameter].append(obs.value)
    return out


def sample_count(inputs: Inputs) -> dict[tuple[str, str], int]:
    """Distinct sampling times per (site, month)."""
    times: dict[tuple[str, str], set[datetime]] = defaultdict(set)
    for obs in inputs.observations:
        if obs.valid:
            times[(obs.site, month_of(obs.start))].add(obs.start)
    return {k: len(v) for k, v in times.items()}


def water_body(site: PublishedSite) -> WaterBody:
    """Lakes and reservoirs are classed with the lake limits (stricter TP)."""
    kind = str(site.targets.get("waterbody", "river")).lower()
    return WaterBody.LAKE if kind in {"lake", "reservoir"} else WaterBody.RIVER


def section_month(site: PublishedSite, month: str, samples: dict[str, list[Any]]) -> SectionResult:
    """GB 3838 class of one section for one month."""
    return section_class_for_period(samples, body=water_body(site), when=month_first(month))


def target_class(site: PublishedSite) -> WaterClass | None:
    """The site's target class (``targets.water_class``: I … V), if it has one."""
    return _ROMAN.get(str(site.targets.get("water_class", "")))


def _class_columns(site: PublishedSite, result: SectionResult) -> Row:
    cls, target = result.water_class, target_class(site)
    return {
        "water_class": cls.label if cls else None,
        "class_number": int(cls) if cls else None,
        "target_class": target.label if target else None,
        "meets_target": None if cls is None or target is None else cls <= target,
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


def monthly_classes(session: Session, query: Query, start: datetime, end: datetime) -> list[Row]:
    """GB 3838 class of every section and month in [start, end), widened to months."""
    lo, hi = align(start, end, "month")
    inputs = load_inputs(session, query, lo, hi)
    counts = sample_count(inputs)
    rows = []
    for (code, month), samples in sorted(monthly_samples(inputs).items()):
        site = inputs.sites[code]
        try:
            result = section_month(site, month, samples)
        except NoEditionInForce:
            continue
        row = {**site_columns(site), "month": month, "samples": counts[(code, month)]}
        rows.append({**row, **_class_columns(site, result)})
    return rows


MONTHLY_WATER_CLASS = Producer(
    name="monthly_water_class",
    fields=(*SITE_FIELDS, *CLASS_FIELDS),
    primary_key=("site", "month"),
    run=monthly_classes,
    method=Text(
        "按《地表水环境质量评价办法（试行）》单因子评价：月内有效样品按项目取均值，"
        "以最差项目确定GB 3838-2002水质类别，并与断面目标类别比较。",
        "Single-factor method of the ministry's surface-water evaluation rules: each "
        "parameter's valid samples of the month are averaged, the worst item gives the "
        "GB 3838-2002 class, compared with the section's target class.",
    ),
    standards=("GB 3838-2002",),
)

def _sea(session: Session, query: Query, start: datetime, end: datetime) -> list[Row]:
    lo, hi = align(start, end, "month")
    inputs = load_inputs(session, query, lo, hi)
    counts = sample_count(inputs)
    rows = []
    for (code, month), samples in sorted(monthly_samples(inputs).items()):
        site = inputs.sites[code]
        try:
            result = seawater_class(period_means(samples), when=month_first(month))
        except NoEditionInForce:
            continue
        cls = int(result.sea_class) if result.sea_class is not None else None
        target = site.targets.get("seawater_class")
        rows.append(
            {
                **site_columns(site),
                "month": month,
                "samples": counts[(code, month)],
                "sea_class": _SEA_LABEL[cls] if cls else None,
                "class_number": cls,
                "target_class": int(target) if target is not None else None,
                "meets_target": None if cls is None or target is None else cls <= int(target),
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
