"""Functional-zone noise: day and night equivalent levels per point, per GB 3096-2008.

Every verdict comes from ``hub.assessments.noise``, the engine the API uses: the night of
day D runs 22:00 D → 06:00 D+1, so the producer reads up to 06:00 after its window, and
each part's energy-mean Leq is rounded to 0.1 dB(A) (GB/T 8170) before it is compared.
"""

from __future__ import annotations

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
    local_date,
    read,
    rounded,
    site_columns,
)
from hub.assessments import noise
from hub.standards import NoEditionInForce, codes

_HOURLY = "PT1H"


def _noise(session: Session, query: Query, start: datetime, end: datetime) -> list[Row]:
    lo, hi = align(start, end, "day")
    first, last = local_date(lo), local_date(hi) - timedelta(days=1)
    inputs = read(session, query, *noise.day_window(first, last))
    values: dict[str, dict[str, list[tuple[datetime, float]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for obs in inputs.observations:
        if obs.valid and obs.value is not None and obs.period == _HOURLY:
            values[obs.site][obs.parameter].append((obs.start, obs.value))
    rows = []
    for code, by_param in sorted(values.items()):
        site = inputs.sites[code]
        leq, lmax = by_param.get(codes.N_LEQ, []), by_param.get(codes.N_LMAX, [])
        try:
            zone = noise.noise_zone(site.targets)
        except ValueError:
            continue  # a zone the standard does not define
        if zone is None:
            continue
        days: set[date] = {noise.assessed_as(at)[0] for at, _ in leq}
        for day in sorted(d for d in days if first <= d <= last):
            try:
                result = noise.noise_day(zone, day, leq, lmax)
            except NoEditionInForce:
                continue  # before GB 3096-2008
            for part in (result.day_part, result.night):
                r = part.result
                if r is None:
                    continue
                rows.append(
                    {
                        **site_columns(site),
                        "day": day.isoformat(),
                        "day_part": part.part.value,
                        "zone": r.zone.value,
                        "hours": part.hours,
                        "leq": float(r.leq),
                        "limit": float(r.limit),
                        "lmax": rounded(part.lmax, 1),
                        "lmax_limit": rounded(r.lmax_limit, 1),
                        "compliant": r.compliant,
                        "edition": r.edition,
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
        "能量平均值按GB/T 8170修约至0.1 dB(A)后与GB 3096-2008功能区限值比较"
        "（等于限值为达标）；夜间最大声级不得超过限值15 dB(A)。"
        "只用有效数据（剔除F、M、S、D、C、B标记及质控判为无效的值）。",
        "Hourly Leq of each point energy-averaged over the day (06:00-22:00) and the night "
        "(22:00-06:00 next day), rounded to 0.1 dB(A) (GB/T 8170) and then compared with "
        "the GB 3096-2008 zone limits (equal complies); at night Lmax may exceed the limit "
        "by at most 15 dB(A). Only values valid for statistics count (flags F, M, S, D, C, "
        "B and QC-invalid values are left out).",
    ),
    needs=frozenset({codes.N_LEQ}),
    standards=("GB 3096-2008",),
)

PRODUCERS = (NOISE_COMPLIANCE,)
