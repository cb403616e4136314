"""Exceedance rules for targets set by national standards (GB 3838, GB 3097, GB 3096,
GB 15618, HJ 633).

Each is a pure rule over a reading (and, for air and soil, the values ``Lookups`` supplies)
that asks the assessment engine (``hub.assessments``) for the verdict, so an alarm judges a
value exactly as the published assessments do.
"""

from __future__ import annotations

from datetime import UTC, timedelta
from decimal import Decimal
from typing import Any

from hub.alarms.types import Kind, Lookups, Reading, RuleContext, Verdict, judge
from hub.assessments import air, water
from hub.assessments import noise as noise_engine
from hub.assessments import soil as soil_engine
from hub.standards import AqiResult
from hub.standards import codes as c

#: Air: an hourly AQI at or above this level (4 = 中度污染, AQI ≥ 151) is an exceedance.
AIR_ALARM_LEVEL = 4
AIR_ALARM_AQI = 151
AQI_PARAMETER = "aqi"
_HOUR = timedelta(hours=1)


def _f(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def surface_water(r: Reading, _lk: Lookups, _cx: RuleContext) -> Verdict | None:
    """GB 3838 single factor: an item worse than the site's ``water_class``."""
    if not r.valid or r.value is None:
        return None
    v = water.surface_sample(r.site.targets, r.parameter, r.value, r.time)
    if v is None:
        return None
    return judge(
        "gb3838",
        Kind.EXCEEDANCE,
        r,
        v.breach,
        value=r.value,
        limit=_f(v.limit),
        unit=r.unit,
        target=v.target,
        detail={"class": v.label, "edition": v.edition, "exceedance": _f(v.exceedance)},
    )


def seawater(r: Reading, _lk: Lookups, _cx: RuleContext) -> Verdict | None:
    """GB 3097: an item worse than the site's ``seawater_class`` (1–4)."""
    if not r.valid or r.value is None:
        return None
    v = water.sea_sample(r.site.targets, r.parameter, r.value, r.time)
    if v is None:
        return None
    return judge(
        "gb3097",
        Kind.EXCEEDANCE,
        r,
        v.breach,
        value=r.value,
        limit=_f(v.limit),
        unit=r.unit,
        target=v.target,
        detail={"class": v.number, "edition": v.edition},
    )


def noise(r: Reading, _lk: Lookups, _cx: RuleContext) -> Verdict | None:
    """GB 3096: Leq (rounded to 0.1 dB(A)) over the zone's limit for the period start's part."""
    zone = r.site.targets.get("noise_zone")
    if zone is None or r.parameter != c.N_LEQ or not r.valid or r.value is None:
        return None
    res = noise_engine.judge_leq(str(zone), r.time, r.value)
    return judge(
        "gb3096",
        Kind.EXCEEDANCE,
        r,
        res.leq_exceeds,
        value=r.value,
        limit=float(res.limit),
        unit=r.unit or "dB(A)",
        target=f"GB 3096 zone {res.zone.value} {res.day_part.value}",
        detail={"day_part": res.day_part.value, "edition": res.edition},
    )


def soil(r: Reading, lk: Lookups, _cx: RuleContext) -> Verdict | None:
    """GB 15618: a farmland-soil element above its risk screening value at the sample's pH.

    The pH is the same sample's ``s_ph`` (same site and time); without it the band, and so
    the screening value, is unknown and the reading is not judged. Land use comes from the
    site's ``soil_land_use`` target (paddy / other / orchard; default other).
    """
    if r.parameter not in soil_engine.SOIL_ELEMENTS or not r.valid or r.value is None:
        return None
    if r.site.medium != "soil" and "soil_land_use" not in r.site.targets:
        return None
    ph = lk.value_at(r.site.id, c.S_PH, r.time)
    if ph is None:
        return None
    res = soil_engine.soil_sample(r.site.targets, {r.parameter: r.value}, ph, r.time)
    if not res.items:
        return None
    item = res.items[0]
    return judge(
        "gb15618",
        Kind.EXCEEDANCE,
        r,
        item.exceeds_screening,
        value=r.value,
        limit=float(item.screening),
        unit=r.unit or "mg/kg",
        target=f"GB 15618 screening value ({res.land_use.value}, pH {ph})",
        detail={"risk": item.risk.value, "ph_band": res.ph_band, "edition": res.edition},
    )


def _aqi_detail(res: AqiResult) -> dict[str, Any]:
    assert res.level is not None
    return {
        "level": res.level.level,
        "level_zh": res.level.zh,
        "level_en": res.level.en,
        "primary_pollutants": list(res.primary_pollutants),
        "edition": res.edition,
        "iaqi": {str(i.indicator): i.iaqi for i in res.iaqis},
    }


def air_quality(r: Reading, lk: Lookups, _cx: RuleContext) -> Verdict | None:
    """HJ 633 hourly AQI of the reading's hour at the site, as the API publishes it (under
    HJ 633-2012 with the moving means of the 24 hours up to that hour)."""
    if r.site.medium != "air" or r.parameter not in c.AIR or r.period != _HOUR:
        return None
    hour = r.time.astimezone(UTC)
    series = lk.air_series(r.site.id, hour)
    if all(series.get(code, {}).get(hour) is None for code in c.AIR):
        return None  # no valid value this hour
    res = air.hour_aqi(series, hour)
    if res.aqi is None or res.level is None:
        return None  # "NA": not enough pollutants to publish an AQI
    return judge(
        "hj633",
        Kind.EXCEEDANCE,
        r,
        res.level.level >= AIR_ALARM_LEVEL,
        parameter=AQI_PARAMETER,
        value=float(res.aqi),
        limit=float(AIR_ALARM_AQI),
        unit=None,
        target=f"AQI level < {AIR_ALARM_LEVEL}",
        detail=_aqi_detail(res),
    )
