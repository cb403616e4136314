"""Published water quality of a month: GB 3838 section class, or GB 3097 for the sea.

The month is the local (UTC+8) calendar month. Every valid value of the month is a sample
(any period: grab samples, automatic-station hours, monthly means); each parameter's samples
are averaged, then classed — the single-factor method of 环办〔2011〕22号 for GB 3838
(rivers vs lakes/reservoirs from ``targets.waterbody``), the worst item for GB 3097 (the
same monthly averaging, a hub decision: GB 3097 itself classes single samples).
A parameter fails when its class is worse than the site's target class; its exceedance
multiple is against the target class's limit (value / limit − 1; limit / value − 1 for DO,
none for pH).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from hub.assessments.common import find_site, site_summary, valid_values, wrong_kind
from hub.db.reference import Network, Site
from hub.standards import (
    STANDARD_PARAMETERS,
    SeaClass,
    WaterBody,
    WaterClass,
    seawater_class,
    section_class,
)
from hub.standards.editions import in_force
from hub.standards.seawater import SEAWATER_TABLES
from hub.standards.surface_water import period_means
from hub.standards.surface_water_tables import GB3838_TABLES
from hub.timeutil import local_day_bounds

SURFACE_MEDIA = frozenset({"water"})
SEA_MEDIA = frozenset({"sea"})
_SEA_LABELS = {SeaClass.WORSE_THAN_4: "劣四类"}
_ALL_CODES = STANDARD_PARAMETERS["GB 3838"] | STANDARD_PARAMETERS["GB 3097"]


def _num(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _month_bounds(month: date) -> tuple[Any, Any]:
    nxt = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return local_day_bounds(month)[0], local_day_bounds(nxt)[0]


def _samples(session: Session, site: Site, month: date) -> tuple[dict[str, list[float]], int]:
    start, end = _month_bounds(month)
    values = valid_values(session, [site.id], _ALL_CODES, start, end)
    samples: dict[str, list[float]] = defaultdict(list)
    for v in values:
        samples[v.parameter].append(v.value)
    return samples, len({v.start for v in values})


def _by_exceedance(failing: dict[str, Any]) -> float:
    return -float(failing["exceedance"] or 0)


def _exceedance(value: Decimal, limit: Decimal | None, higher_is_better: bool) -> float | None:
    if limit is None:
        return None
    if higher_is_better:
        return None if value <= 0 else float(limit / value - 1)
    return float(value / limit - 1)


def _surface(site: Site, month: date, samples: dict[str, list[float]]) -> dict[str, Any]:
    waterbody = str((site.targets or {}).get("waterbody") or "river")
    body = WaterBody.RIVER if waterbody == "river" else WaterBody.LAKE
    target_label = str((site.targets or {}).get("water_class"))
    target = WaterClass[target_label] if target_label in WaterClass.__members__ else None
    means = period_means(samples)
    result = section_class(means, body=body, when=month)
    table = in_force(GB3838_TABLES, month)
    failing = []
    for item in result.items:
        if target is None or item.water_class <= target:
            continue
        spec = table.items.get(item.code)
        limit = None
        if spec is not None and target <= WaterClass.V:
            column = (
                spec.lake_limits if body is WaterBody.LAKE and spec.lake_limits else spec.limits
            )
            limit = column[target - 1]
        failing.append(
            {
                "parameter": item.code,
                "mean": _num(item.value),
                "class": item.water_class.label,
                "target_limit": _num(limit),
                "exceedance": _exceedance(
                    item.value, limit, spec.higher_is_better if spec else False
                ),
            }
        )
    failing.sort(key=_by_exceedance)
    cls = result.water_class
    return {
        "standard": result.edition,
        "method": "环办〔2011〕22号 single-factor (monthly means)",
        "water_body": waterbody,
        "class": cls.label if cls else None,
        "quality": None if cls is None else {"zh": result.quality_zh, "en": result.quality_en},
        "target": {
            "class": target.label if target else None,
            "met": None if cls is None or target is None else cls <= target,
        },
        "parameters": [
            {
                "parameter": i.code,
                "mean": _num(i.value),
                "samples": len(samples[i.code]),
                "class": i.water_class.label,
                "exceedance_over_iii": _num(i.exceedance),
            }
            for i in result.items
        ],
        "failing": failing,
        "main_pollutants": list(result.main_pollutants),
        "lake_tn": None
        if result.lake_tn is None
        else {"mean": _num(result.lake_tn.value), "class": result.lake_tn.water_class.label},
        "not_evaluated": list(result.not_evaluated),
        "confidence": str(result.confidence),
    }


def _sea_label(cls: SeaClass) -> str:
    return _SEA_LABELS.get(cls, str(int(cls)))


def _sea(site: Site, month: date, samples: dict[str, list[float]]) -> dict[str, Any]:
    raw_target = (site.targets or {}).get("seawater_class")
    target = SeaClass(int(raw_target)) if raw_target in (1, 2, 3, 4, "1", "2", "3", "4") else None
    means = period_means(samples)
    result = seawater_class(means, when=month)
    table = in_force(SEAWATER_TABLES, month)
    failing = []
    for item in result.items:
        if target is None or item.sea_class <= target:
            continue
        spec = table.items[item.code]
        limit = None if spec.rule == "range" else spec.limits[target - 1]
        failing.append(
            {
                "parameter": item.code,
                "mean": _num(item.value),
                "class": _sea_label(item.sea_class),
                "target_limit": _num(limit),
                "exceedance": _exceedance(item.value, limit, spec.rule == "min_exclusive"),
            }
        )
    failing.sort(key=_by_exceedance)
    cls = result.sea_class
    return {
        "standard": result.edition,
        "method": "worst item of the monthly means",
        "water_body": "sea",
        "class": _sea_label(cls) if cls else None,
        "quality": None,
        "target": {
            "class": _sea_label(target) if target else None,
            "met": None if cls is None or target is None else cls <= target,
        },
        "parameters": [
            {
                "parameter": i.code,
                "mean": _num(i.value),
                "samples": len(samples[i.code]),
                "class": _sea_label(i.sea_class),
            }
            for i in result.items
        ],
        "failing": failing,
        "main_pollutants": [f["parameter"] for f in failing[:3]],
        "lake_tn": None,
        "not_evaluated": list(result.not_evaluated),
        "confidence": str(result.confidence),
    }


def _kind(site: Site, network: Network) -> str:
    targets = site.targets or {}
    if "seawater_class" in targets or network.medium in SEA_MEDIA:
        return "sea"
    if "water_class" in targets or network.medium in SURFACE_MEDIA:
        return "surface"
    raise wrong_kind(
        site,
        network,
        "water quality is assessed for surface-water sections (GB 3838) and sea points "
        "(GB 3097) only",
    )


def month_quality(session: Session, code: str, month: date) -> dict[str, Any]:
    """The class of site ``code`` for the local month starting ``month`` (a first day)."""
    site, network = find_site(session, code)
    kind = _kind(site, network)
    samples, sample_times = _samples(session, site, month)
    assessed = _sea(site, month, samples) if kind == "sea" else _surface(site, month, samples)
    return {
        "site": site_summary(site, network),
        "month": f"{month.year:04d}-{month.month:02d}",
        "samples": sample_times,
        **assessed,
    }
