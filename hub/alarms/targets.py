"""Exceedance rules for targets set by national standards (GB 3838, GB 3097, GB 3096, HJ 633).

Each is a pure function of a reading and, for air, the hour's other current pollutant values.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from hub.alarms.types import Kind, Lookups, Reading, RuleContext, Verdict, judge
from hub.standards import (
    GB3838_TABLES,
    SEAWATER_TABLES,
    AqiResult,
    SeaClass,
    WaterBody,
    WaterClass,
    assess_noise,
    assess_soil,
    hourly_aqi,
    item_class,
    seawater_item_class,
)
from hub.standards import codes as c
from hub.standards.aqi_tables import Indicator, Period
from hub.standards.editions import in_force

#: Air: an hourly AQI at or above this level (4 = 中度污染, AQI ≥ 151) is an exceedance.
AIR_ALARM_LEVEL = 4
AIR_ALARM_AQI = 151
AQI_PARAMETER = "aqi"
_HOUR = timedelta(hours=1)
_LAKES = frozenset({"lake", "reservoir"})


def is_lake(targets: Any) -> bool:
    """Lakes and reservoirs take GB 3838's lake columns (TP)."""
    return str(targets.get("waterbody", "river")).lower() in _LAKES


def _f(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def water_limit(code: str, target: WaterClass, lake: bool, when: datetime) -> float | None:
    """The GB 3838 limit of ``target`` class for ``code`` (None for pH: a range)."""
    table = in_force(GB3838_TABLES, when)
    item = table.items.get(code)
    if item is None or target > WaterClass.V:
        return None
    limits = item.lake_limits if lake and item.lake_limits else item.limits
    return float(limits[target - 1])


def surface_water(r: Reading, _lk: Lookups, _cx: RuleContext) -> Verdict | None:
    """GB 3838 single factor: an item worse than the site's ``water_class``."""
    label = r.site.targets.get("water_class")
    if not label or not r.valid or r.value is None:
        return None
    table = in_force(GB3838_TABLES, r.time)
    item = table.items.get(r.parameter)
    if r.parameter != c.PH and (item is None or not item.in_section_class):
        return None
    target = WaterClass[str(label).strip().upper()]
    lake = is_lake(r.site.targets)
    got = item_class(
        r.parameter, r.value, body=WaterBody.LAKE if lake else WaterBody.RIVER, when=r.time
    )
    return judge(
        "gb3838",
        Kind.EXCEEDANCE,
        r,
        got.water_class > target,
        value=r.value,
        limit=water_limit(r.parameter, target, lake, r.time),
        unit=r.unit,
        target=f"GB 3838 class {target.label}",
        detail={
            "class": got.water_class.label,
            "edition": table.edition.code,
            "exceedance": _f(got.exceedance),
        },
    )


def seawater(r: Reading, _lk: Lookups, _cx: RuleContext) -> Verdict | None:
    """GB 3097: an item worse than the site's ``seawater_class`` (1–4)."""
    target_raw = r.site.targets.get("seawater_class")
    table = in_force(SEAWATER_TABLES, r.time)
    item = table.items.get(r.parameter)
    if target_raw is None or item is None or not r.valid or r.value is None:
        return None
    target = SeaClass(int(target_raw))
    got = seawater_item_class(r.parameter, r.value, when=r.time)
    limit = item.limits[target - 1] if item.rule != "range" and item.limits else None
    return judge(
        "gb3097",
        Kind.EXCEEDANCE,
        r,
        got.sea_class > target,
        value=r.value,
        limit=_f(limit),
        unit=r.unit,
        target=f"GB 3097 class {int(target)}",
        detail={"class": int(got.sea_class), "edition": table.edition.code},
    )


def noise(r: Reading, _lk: Lookups, _cx: RuleContext) -> Verdict | None:
    """GB 3096: Leq over the zone's day or night limit (day part of the period start)."""
    zone = r.site.targets.get("noise_zone")
    if zone is None or r.parameter != c.N_LEQ or not r.valid or r.value is None:
        return None
    res = assess_noise(str(zone), r.time, r.value)
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


_SOIL_ELEMENTS = frozenset({c.S_CD, c.S_HG, c.S_AS, c.S_PB, c.S_CR, c.S_CU, c.S_NI, c.S_ZN})


def soil(r: Reading, lk: Lookups, _cx: RuleContext) -> Verdict | None:
    """GB 15618: a farmland-soil element above its risk screening value at the sample's pH.

    The pH is the same sample's ``s_ph`` (same site and time); without it the band, and so
    the screening value, is unknown and the reading is not judged. Land use comes from the
    site's ``soil_land_use`` target (paddy / other / orchard; default other).
    """
    if r.parameter not in _SOIL_ELEMENTS or not r.valid or r.value is None:
        return None
    if r.site.medium != "soil" and "soil_land_use" not in r.site.targets:
        return None
    ph = lk.value_at(r.site.id, c.S_PH, r.time)
    if ph is None:
        return None
    use = str(r.site.targets.get("soil_land_use", "other"))
    res = assess_soil({r.parameter: r.value}, ph, use, when=r.time)
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
        target=f"GB 15618 screening value ({use}, pH {ph})",
        detail={"risk": item.risk.value, "ph_band": res.ph_band, "edition": res.edition},
    )


_ONE_HOUR = {code: Indicator(code, Period.H1) for code in c.AIR}


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
    """HJ 633 hourly AQI of the hour, from that hour's current pollutant values at the site."""
    if r.site.medium != "air" or r.parameter not in _ONE_HOUR or r.period != _HOUR:
        return None
    values = {
        _ONE_HOUR[k]: v for k, v in lk.hour_values(r.site.id, r.time).items() if k in _ONE_HOUR
    }
    if not values:
        return None
    res = hourly_aqi(r.time, values)
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
