"""The published noise document (GET /noise/compliance): read, assess, render.

The verdicts come from ``noise`` (night 22:00 D → 06:00 D+1, Leq rounded before it is
compared); this module reads the day's valid hours and writes the document.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from hub.assessments import noise
from hub.assessments.common import site_summary, wrong_kind
from hub.assessments.inputs import find_site, valid_values
from hub.db.reference import Network, Site
from hub.standards import DayPart, NoiseZone, codes

NOISE_MEDIUM = "noise"
HOURLY = "PT1H"


def _zone(site: Site, network: Network) -> NoiseZone:
    raw = (site.targets or {}).get("noise_zone")
    try:
        zone = noise.noise_zone(site.targets or {})
    except ValueError:
        raise wrong_kind(site, network, f"noise_zone '{raw}' is not a GB 3096 zone") from None
    if zone is None:
        why = (
            "the site has no noise_zone target (GB 3096 functional zone 0, 1, 2, 3, 4a or 4b)"
            if network.medium == NOISE_MEDIUM
            else "noise compliance is assessed for functional-zone noise sites only"
        )
        raise wrong_kind(site, network, why)
    return zone


def part_doc(p: noise.NoisePart) -> dict[str, Any]:
    """One day part as published."""
    r = p.result
    body: dict[str, Any] = {
        "hours": p.hours,
        "expected_hours": noise.EXPECTED_HOURS[p.part],
        "leq": None if r is None else float(r.leq),
        "limit": None if r is None else float(r.limit),
        "exceeds": None if r is None else r.leq_exceeds,
        "compliant": p.compliant,
    }
    if p.part is DayPart.NIGHT:
        body |= {
            "lmax": p.lmax,
            "lmax_limit": None if r is None or r.lmax_limit is None else float(r.lmax_limit),
            "lmax_exceeds": None if r is None else r.lmax_exceeds,
        }
    return body


def day_compliance(session: Session, code: str, day: date) -> dict[str, Any]:
    """GB 3096 day and night compliance of site ``code`` on local day ``day``."""
    site, network = find_site(session, code)
    zone = _zone(site, network)
    start, end = noise.day_window(day, day)
    values = valid_values(
        session, [site.id], {codes.N_LEQ, codes.N_LMAX}, start, end, periods={HOURLY}
    )
    leq = [(v.start, v.value) for v in values if v.parameter == codes.N_LEQ]
    lmax = [(v.start, v.value) for v in values if v.parameter == codes.N_LMAX]
    result = noise.noise_day(zone, day, leq, lmax)
    return {
        "site": site_summary(site, network),
        "date": day.isoformat(),
        "zone": str(zone),
        "standard": result.standard,
        "method": "energy average of the hourly Leq of each day part (night 22:00 to 06:00 "
        "the next day), rounded to 0.1 dB(A) (GB/T 8170) before comparison",
        "day": part_doc(result.day_part),
        "night": part_doc(result.night),
        "compliant": result.compliant,
    }
