"""The published water document (GET /water/quality): read, assess, render.

Classes come from ``water``; this module reads the month's valid samples and writes the
document (GB 3838 sections and GB 3097 sea points share one shape).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from hub.assessments import water
from hub.assessments.common import site_summary, wrong_kind
from hub.assessments.inputs import find_site, valid_values
from hub.db.reference import Network, Site

SURFACE_MEDIA = frozenset({"water"})
SEA_MEDIA = frozenset({"sea"})


def _num(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _failing(failing: Sequence[water.Failing]) -> list[dict[str, Any]]:
    return [
        {
            "parameter": f.parameter,
            "mean": _num(f.mean),
            "class": f.label,
            "target_limit": _num(f.target_limit),
            "exceedance": f.exceedance,
        }
        for f in failing
    ]


def surface_doc(
    targets: Mapping[str, Any], m: water.SurfaceMonth, samples: water.Samples
) -> dict[str, Any]:
    """A section's month as published."""
    r, cls = m.result, m.result.water_class
    return {
        "standard": r.edition,
        "method": "环办〔2011〕22号 single-factor (monthly means)",
        "water_body": str(targets.get("waterbody") or "river"),
        "class": cls.label if cls else None,
        "quality": None if cls is None else {"zh": r.quality_zh, "en": r.quality_en},
        "target": {"class": m.target.label if m.target else None, "met": m.met},
        "parameters": [
            {
                "parameter": i.code,
                "mean": _num(i.value),
                "samples": len(samples[i.code]),
                "class": i.water_class.label,
                "exceedance_over_iii": _num(i.exceedance),
            }
            for i in r.items
        ],
        "failing": _failing(m.failing),
        "main_pollutants": list(r.main_pollutants),
        "lake_tn": None
        if r.lake_tn is None
        else {"mean": _num(r.lake_tn.value), "class": r.lake_tn.water_class.label},
        "not_evaluated": list(r.not_evaluated),
        "confidence": str(r.confidence),
    }


def sea_doc(m: water.SeaMonth, samples: water.Samples) -> dict[str, Any]:
    """A sea point's month as published."""
    r, cls = m.result, m.result.sea_class
    return {
        "standard": r.edition,
        "method": "worst item of the monthly means",
        "water_body": "sea",
        "class": water.sea_label(cls) if cls else None,
        "quality": None,
        "target": {"class": water.sea_label(m.target) if m.target else None, "met": m.met},
        "parameters": [
            {
                "parameter": i.code,
                "mean": _num(i.value),
                "samples": len(samples[i.code]),
                "class": water.sea_label(i.sea_class),
            }
            for i in r.items
        ],
        "failing": _failing(m.failing),
        "main_pollutants": [f.parameter for f in m.failing[:3]],
        "lake_tn": None,
        "not_evaluated": list(r.not_evaluated),
        "confidence": str(r.confidence),
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
    kind, targets = _kind(site, network), site.targets or {}
    start, end = water.month_bounds(month)
    values = valid_values(session, [site.id], water.WATER_CODES, start, end)
    samples, times = water.month_samples((v.parameter, v.start, v.value) for v in values)
    if kind == "sea":
        assessed = sea_doc(water.sea_month(targets, month, samples), samples)
    else:
        assessed = surface_doc(targets, water.surface_month(targets, month, samples), samples)
    return {
        "site": site_summary(site, network),
        "month": f"{month.year:04d}-{month.month:02d}",
        "samples": times,
        **assessed,
    }
