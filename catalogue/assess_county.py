"""County assessment (plan §19): per county and month, good-air days and sections on target.

Method (documented in the entry and the rows):

- Air: for every local day, each daily AQI input (24 h means, O3 max 8 h / 1 h) is the
  mean over the county's stations that have a valid value for it; the county's daily AQI
  is computed from those means (HJ 633, as the city's own daily AQI is). A day is *good*
  when that AQI is at most 100 (优 or 良); days whose AQI is NA are not counted.
- Water: each section of the county with a target class is classed for the month
  (GB 3838, see ``assess_water``) and meets the target when its class is at least as good.
- Shares are percentages with one decimal, empty when nothing was assessed.

Which sites are air stations and which are water sections comes from their network's
medium, not from the network's name.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy.orm import Session

from catalogue.assess_air import station_days
from catalogue.assess_water import monthly_samples, section_month, target_class
from catalogue.model import Query, Text
from catalogue.series import Field, Inputs, Producer, Row, align, load_inputs
from hub.standards import Indicator, NoEditionInForce, daily_aqi
from hub.standards.rounding import mean

GOOD_AQI = 100


def _county_air(inputs: Inputs) -> dict[tuple[str, str], tuple[int, int]]:
    """(county, month) → (days with an AQI, good days)."""
    by_day: dict[tuple[str, date], dict[Indicator, list[Decimal]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for (site, day), inds in station_days(inputs).items():
        county = inputs.sites[site].county
        if county is None:
            continue
        for ind, value in inds.items():
            if value is not None:
                by_day[(county, day)][ind].append(value)
    out: dict[tuple[str, str], tuple[int, int]] = {}
    for (county, day), lists in by_day.items():
        means = {ind: mean(values) for ind, values in lists.items()}
        try:
            result = daily_aqi(day, means)
        except NoEditionInForce:
            continue
        if result.aqi is None:
            continue
        key = (county, day.strftime("%Y-%m"))
        days, good = out.get(key, (0, 0))
        out[key] = (days + 1, good + (result.aqi <= GOOD_AQI))
    return out


def _county_water(inputs: Inputs) -> dict[tuple[str, str], tuple[int, int]]:
    """(county, month) → (sections classed against a target, sections meeting it)."""
    out: dict[tuple[str, str], tuple[int, int]] = {}
    for (code, month), samples in monthly_samples(inputs).items():
        site = inputs.sites[code]
        target = target_class(site)
        if site.county is None or target is None:
            continue
        try:
            result = section_month(site, month, samples)
        except NoEditionInForce:
            continue
        if result.water_class is None:
            continue
        key = (site.county, month)
        n, ok = out.get(key, (0, 0))
        out[key] = (n + 1, ok + (result.water_class <= target))
    return out


def _share(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _counties(session: Session, query: Query, start: datetime, end: datetime) -> list[Row]:
    lo, hi = align(start, end, "month")
    inputs = load_inputs(session, query, lo, hi)

    def only(medium: str) -> Inputs:
        nets = {n for n, m in inputs.network_media.items() if m == medium}
        sites = {c: s for c, s in inputs.sites.items() if s.network in nets}
        obs = [o for o in inputs.observations if o.site in sites]
        return Inputs(sites, obs, inputs.network_media, inputs.counties)

    air, water = _county_air(only("air")), _county_water(only("water"))
    rows = []
    for county, month in sorted(set(air) | set(water)):
        days, good = air.get((county, month), (0, 0))
        sections, meeting = water.get((county, month), (0, 0))
        zh, en = inputs.counties.get(county, (county, county))
        rows.append(
            {
                "county": county,
                "county_name_zh": zh,
                "county_name_en": en,
                "month": month,
                "air_days": days,
                "good_air_days": good,
                "good_air_share": _share(good, days),
                "sections": sections,
                "sections_meeting_target": meeting,
                "sections_meeting_share": _share(meeting, sections),
            }
        )
    return rows


COUNTY_ASSESSMENT = Producer(
    name="county_assessment",
    fields=(
        Field("county", "text", "县区编码", "County code"),
        Field("county_name_zh", "text", "县区名称", "County name (Chinese)"),
        Field("county_name_en", "text", "县区名称（英文）", "County name (English)"),
        Field("month", "text", "月份（北京时间）", "Local month (UTC+8)"),
        Field("air_days", "int", "有效AQI天数", "Days with an AQI"),
        Field("good_air_days", "int", "优良天数", "Good days (AQI ≤ 100)"),
        Field("good_air_share", "numeric", "优良天数比例（%）", "Share of good days (%)"),
        Field("sections", "int", "参评断面数", "Sections assessed"),
        Field("sections_meeting_target", "int", "达标断面数", "Sections meeting their target"),
        Field("sections_meeting_share", "numeric", "断面达标率（%）", "Share meeting target (%)"),
    ),
    primary_key=("county", "month"),
    run=_counties,
    method=Text(
        "空气：每日以县区内各站日均浓度的平均值按HJ 633计算县区日AQI，AQI≤100为优良天；"
        "水：县区内有目标类别的断面按GB 3838月度评价，类别不劣于目标为达标。",
        "Air: each day the county's AQI is computed (HJ 633) from the mean of its stations' "
        "daily concentrations; AQI ≤ 100 is a good day. Water: each section with a target "
        "class is classed monthly (GB 3838) and meets its target when at least as good.",
    ),
    standards=("HJ 633-2012", "HJ 633-2026", "GB 3838-2002"),
)

PRODUCERS = (COUNTY_ASSESSMENT,)
