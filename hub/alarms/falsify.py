"""Suspected falsification: the ``hub.qc`` detectors' findings as alarm verdicts. Pure.

A detector needs one upper limit that values should stay under. ``series_limit`` finds it
from the same targets the exceedance rules use (≤ items only: DO and pH have no upper
limit to hide under); series with none are only compared with other sites.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from hub.alarms.types import Kind, Lookups, RuleSite, Verdict
from hub.assessments import water
from hub.qc import (
    AlarmSpan,
    Correction,
    Point,
    QcFlag,
    detect_constant_during_exceedance,
    detect_identical_series,
    detect_suspicious_corrections,
    detect_under_limit_clustering,
)
from hub.standards import GB3838_TABLES, SEAWATER_TABLES, day_part
from hub.standards import codes as c
from hub.standards.editions import in_force
from hub.standards.noise import noise_limit

_EPSILON = timedelta(seconds=1)


def series_limit(site: RuleSite, parameter: str, when: datetime, lk: Lookups) -> float | None:
    """The upper limit of ``parameter`` at ``site`` at ``when``, where there is one."""
    emission = lk.emission_limit(site.id, parameter)
    if emission is not None:
        return emission[0]
    t = site.targets
    surface, sea = water.surface_target(t), water.sea_target(t)
    if surface is not None:
        item = in_force(GB3838_TABLES, when).items.get(parameter)
        if item is None or item.higher_is_better or not item.in_section_class:
            return None
        limit = water.water_limit(parameter, surface, water.water_body(t), when)
    elif sea is not None:
        sea_item = in_force(SEAWATER_TABLES, when).items.get(parameter)
        if sea_item is None or sea_item.rule != "max":
            return None
        limit = water.sea_limit(parameter, sea, when)
    elif t.get("noise_zone") is not None and parameter == c.N_LEQ:
        limit = noise_limit(str(t["noise_zone"]), day_part(when), when=when)
    else:
        return None
    return None if limit is None else float(limit)


def alarm_spans(spans: Sequence[tuple[datetime, datetime, datetime]]) -> list[AlarmSpan]:
    """(start, end, opened_at) of exceedance alarms as detector spans; a grab sample's
    alarm (start = end) still covers its own instant."""
    return [AlarmSpan(s, e if e > s else s + _EPSILON, raised) for s, e, raised in spans]


def correction_flags(
    corrections: Sequence[Correction], spans: Sequence[AlarmSpan], limit: float
) -> list[QcFlag]:
    """Flags for corrections made after an alarm over their time, or back-dated."""
    return detect_suspicious_corrections(corrections, spans, limit)


def series_flags(
    points: Sequence[Point], limit: float, windows: Sequence[tuple[datetime, datetime]]
) -> list[QcFlag]:
    """Constant values across an exceedance, and values clustered just under the limit."""
    return [
        *detect_constant_during_exceedance(points, limit, exceedance_windows=windows),
        *detect_under_limit_clustering(points, limit),
    ]


def pair_flags(
    a: Sequence[Point], b: Sequence[Point], site_a: str, site_b: str
) -> tuple[list[QcFlag], list[QcFlag]]:
    """Identical series at two sites: flags for each side (each gets its own alarm)."""
    return (
        detect_identical_series(a, b, site_a=site_a, site_b=site_b),
        detect_identical_series(b, a, site_a=site_b, site_b=site_a),
    )


def finding(
    parameter: str, flag: QcFlag, limit: float | None, value: float | None, at: datetime
) -> Verdict:
    """A detector's flag as an offending verdict for the (site, parameter) falsification key."""
    start = flag.time or at
    end = flag.end or start
    return Verdict(
        rule=f"qc:{flag.code}",
        kind=Kind.FALSIFICATION,
        parameter=parameter,
        breach=True,
        at=start,
        end=end,
        value=value,
        limit=limit,
        target="review: suspected falsification",
        detail={"code": flag.code, "severity": flag.severity, "reason": flag.reason},
    )
