"""Functional-zone noise: day and night equivalent levels per point, per GB 3096-2008."""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import date, datetime, timedelta

from sqlalchemy.orm import Session

from catalogue.model import Query, Text
from catalogue.series import (
    SITE_FIELDS,
    Field,
    Producer,
    Row,
    align,
    load_inputs,
    rounded,
    site_columns,
)
from hub.standards import DayPart, NoEditionInForce, assess_noise, codes, day_part
from hub.timeutil import LOCAL_TZ

# The night of day D runs from 22:00 on D to 06:00 on D+1; shifting a night hour back by
# six hours lands it on D in both halves.
_NIGHT_SHIFT = timedelta(hours=6)


def part_of(at: datetime) -> tuple[date, DayPart]:
    """The local day and day part (昼间 / 夜间) an hour belongs to."""
    part = day_part(at)
    local = at.astimezone(LOCAL_TZ)
    if part is DayPart.NIGHT:
        local -= _NIGHT_SHIFT
    return local.date(), part


def energy_mean(levels: list[float]) -> float:
    """Energy average of sound levels: 10·lg(mean(10^(L/10)))."""
    return 10 * math.log10(sum(10 ** (v / 10) for v in levels) / len(levels))


def _noise(session: Session, query: Query, start: datetime, end: datetime) -> list[Row]:
    lo, hi = align(start, end, "day")
    # The last night's hours after midnight fall on the next day.
    inputs = load_inputs(session, query, lo, hi + _NIGHT_SHIFT)
    leq: dict[tuple[str, date, DayPart], list[tuple[datetime, float]]] = defaultdict(list)
    lmax: dict[tuple[str, date, DayPart], list[float]] = defaultdict(list)
    for obs in inputs.observations:
        if not obs.valid or obs.value is None:
            continue
        day, part = part_of(obs.start)
        key = (obs.site, day, part)
        if obs.parameter == codes.N_LEQ:
            leq[key].append((obs.start, obs.value))
        elif obs.parameter == codes.N_LMAX:
            lmax[key].append(obs.value)
    first, last = lo.astimezone(LOCAL_TZ).date(), hi.astimezone(LOCAL_TZ).date()
    rows = []
    for (code, day, part), values in sorted(leq.items()):
        site = inputs.sites[code]
        zone = site.targets.get("noise_zone")
        if zone is None or not first <= day < last:
            continue
        level = energy_mean([v for _, v in values])
        top = max(lmax[(code, day, part)], default=None)
        try:
            result = assess_noise(str(zone), min(at for at, _ in values), level, top)
        except (NoEditionInForce, ValueError):
            continue  # before GB 3096-2008, or a zone the standard does not define
        rows.append(
            {
                **site_columns(site),
                "day": day.isoformat(),
                "day_part": part.value,
                "zone": result.zone.value,
                "hours": len(values),
                "leq": rounded(level, 1),
                "limit": float(result.limit),
                "lmax": rounded(top, 1),
                "lmax_limit": rounded(result.lmax_limit, 1),
                "compliant": result.compliant,
                "edition": result.edition,
            }
        )
    return rows


NOISE_COMPLIANCE = Producer(
    name="noise_compliance",
    fields=(
        *SITE_FIELDS,
        Field("day", "date", "日期（北京时间）", "Local day (UTC+8)"),
        Field("day_part", "text", "昼间/夜间", "Day or night"),
        Field("zone", "text", "声环境功能区类别", "Acoustic functional zone"),
        Field("hours", "int", "有效小时数", "Valid hours"),
        Field("leq", "numeric", "等效声级 dB(A)", "Equivalent level Leq, dB(A)"),
        Field("limit", "numeric", "限值 dB(A)", "Limit, dB(A)"),
        Field("lmax", "numeric", "最大声级 dB(A)", "Maximum level Lmax, dB(A)"),
        Field("lmax_limit", "numeric", "夜间最大声级限值", "Night Lmax limit, dB(A)"),
        Field("compliant", "bool", "是否达标", "Compliant"),
        Field("edition", "text", "评价标准版本", "Standard edition applied"),
    ),
    primary_key=("site", "day", "day_part"),
    run=_noise,
    method=Text(
        "功能区点位小时等效声级按昼间（6:00-22:00）、夜间（22:00-次日6:00）能量平均，"
        "按GB 3096-2008功能区限值判定；夜间最大声级不得超过限值15 dB(A)。",
        "Hourly Leq of each point energy-averaged over the day (06:00-22:00) and the night "
        "(22:00-06:00 next day), compared with the GB 3096-2008 zone limits; at night Lmax "
        "may exceed the limit by at most 15 dB(A).",
    ),
    needs=frozenset({codes.N_LEQ}),
    standards=("GB 3096-2008",),
)

PRODUCERS = (NOISE_COMPLIANCE,)
