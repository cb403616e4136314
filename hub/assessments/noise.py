"""Published noise compliance of a day: GB 3096 day and night, by functional zone.

The day is the local (UTC+8) calendar day; its hourly Leq values (``n_leq``, period PT1H,
valid for statistics) are split by the hour's start into day (06:00–22:00) and night
(00:00–06:00 and 22:00–24:00 of the same date) and each part is energy-averaged:

    L = 10 · log10( mean( 10^(Lᵢ/10) ) )

rounded to 0.1 dB(A) (GB/T 8170) and compared with the zone's limit (equal complies). At
night the highest hourly ``n_lmax`` is checked against the night limit + 15 dB(A). A part
without any valid hour has no verdict (null), and neither has the day as a whole.
"""

from __future__ import annotations

import math
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from hub.assessments.common import find_site, site_summary, valid_values, wrong_kind
from hub.db.reference import Network, Site
from hub.standards import DayPart, NoiseResult, NoiseZone, assess_noise, codes, day_part
from hub.standards.editions import in_force
from hub.standards.noise import NOISE_TABLES
from hub.standards.rounding import round_gbt8170
from hub.timeutil import LOCAL_TZ, local_day_bounds

NOISE_MEDIUM = "noise"
_EXPECTED_HOURS = {DayPart.DAY: 16, DayPart.NIGHT: 8}


def energy_average(levels: list[float]) -> float:
    """Energy (logarithmic) mean of sound levels in dB: 10·log10(mean(10^(L/10)))."""
    if not levels:
        raise ValueError("no levels to average")
    return 10 * math.log10(sum(10 ** (level / 10) for level in levels) / len(levels))


def _zone(site: Site, network: Network) -> NoiseZone:
    raw = (site.targets or {}).get("noise_zone")
    if raw is None:
        why = (
            "the site has no noise_zone target (GB 3096 functional zone 0, 1, 2, 3, 4a or 4b)"
            if network.medium == NOISE_MEDIUM
            else "noise compliance is assessed for functional-zone noise sites only"
        )
        raise wrong_kind(site, network, why)
    try:
        return NoiseZone(str(raw).lower())
    except ValueError:
        raise wrong_kind(site, network, f"noise_zone '{raw}' is not a GB 3096 zone") from None


def _part_doc(
    part: DayPart, levels: list[float], result: NoiseResult | None, lmax: float | None
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "hours": len(levels),
        "expected_hours": _EXPECTED_HOURS[part],
        "leq": None if result is None else float(result.leq),
        "limit": None if result is None else float(result.limit),
        "exceeds": None if result is None else result.leq_exceeds,
        "compliant": None if result is None else result.compliant,
    }
    if part is DayPart.NIGHT:
        body |= {
            "lmax": lmax,
            "lmax_limit": None
            if result is None or result.lmax_limit is None
            else float(result.lmax_limit),
            "lmax_exceeds": None if result is None else result.lmax_exceeds,
        }
    return body


def day_compliance(session: Session, code: str, day: date) -> dict[str, Any]:
    """GB 3096 day and night compliance of site ``code`` on local day ``day``."""
    site, network = find_site(session, code)
    zone = _zone(site, network)
    start, end = local_day_bounds(day)
    values = valid_values(
        session, [site.id], {codes.N_LEQ, codes.N_LMAX}, start, end, periods={"PT1H"}
    )
    leq: dict[DayPart, list[float]] = {DayPart.DAY: [], DayPart.NIGHT: []}
    night_lmax: list[float] = []
    for v in values:
        part = day_part(v.start)
        if v.parameter == codes.N_LEQ:
            leq[part].append(v.value)
        elif part is DayPart.NIGHT:
            night_lmax.append(v.value)
    # A moment inside each part of this local date, for the edition and the day part.
    noon = datetime.combine(day, time(12), LOCAL_TZ)
    at = {DayPart.DAY: noon, DayPart.NIGHT: noon + timedelta(hours=11)}
    lmax = max(night_lmax) if night_lmax else None
    parts: dict[DayPart, NoiseResult | None] = {}
    for part, levels in leq.items():
        if not levels:
            parts[part] = None
            continue
        rounded: Decimal = round_gbt8170(Decimal(repr(energy_average(levels))), 1)
        parts[part] = assess_noise(zone, at[part], rounded, lmax if part is DayPart.NIGHT else None)
    verdicts = [None if r is None else r.compliant for r in parts.values()]
    return {
        "site": site_summary(site, network),
        "date": day.isoformat(),
        "zone": str(zone),
        "standard": in_force(NOISE_TABLES, day).edition.code,
        "method": "energy average of the hourly Leq of each day part, 0.1 dB(A)",
        "day": _part_doc(DayPart.DAY, leq[DayPart.DAY], parts[DayPart.DAY], None),
        "night": _part_doc(DayPart.NIGHT, leq[DayPart.NIGHT], parts[DayPart.NIGHT], lmax),
        "compliant": None if any(v is None for v in verdicts) else all(verdicts),
    }
