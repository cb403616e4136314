"""County assessment (plan §19): per county and month, good-air days and sections on target.

The method is ``hub.assessments.county`` (documented there and in the entry): the county's
daily AQI from the mean of its stations' daily inputs, AQI ≤ 100 a good day; each section
with a target class classed monthly (GB 3838) against it. Which sites are air stations and
which are water sections comes from their network's medium, not from the network's name.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy.orm import Session

from catalogue.assess_air import station_days
from catalogue.assess_water import monthly_samples
from catalogue.model import Query, Text
from catalogue.series import Field, Inputs, Producer, Row, align, month_first, read
from hub.assessments import air, county, water
from hub.standards import Indicator, NoEditionInForce


def _county_air(inputs: Inputs) -> dict[tuple[str, str], county.Tally]:
    """(county, month) → days with a county AQI, and good ones."""
    by_county: dict[str, dict[date, list[Mapping[Indicator, Decimal | None]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for (site, day), series in station_days(inputs).items():
        code = inputs.sites[site].county
        if code is not None:
            by_county[code][day].append(air.day_indicators(series, day))
    return {
        (code, month): tally
        for code, days in by_county.items()
        for month, tally in county.good_air_days(days).items()
    }


def _county_water(inputs: Inputs) -> dict[tuple[str, str], county.Tally]:
    """(county, month) → sections classed against a target, and those meeting it."""
    months: dict[tuple[str, str], list[water.SurfaceMonth]] = defaultdict(list)
    for (code, month), (samples, _) in monthly_samples(inputs).items():
        site = inputs.sites[code]
        if site.county is None:
            continue
        try:
            months[(site.county, month)].append(
                water.surface_month(site.targets, month_first(month), samples)
            )
        except NoEditionInForce:
            continue
    tallies = {key: county.sections_on_target(found) for key, found in months.items()}
    return {key: t for key, t in tallies.items() if t.assessed}


def _counties(session: Session, query: Query, start: datetime, end: datetime) -> list[Row]:
    lo, hi = align(start, end, "month")
    inputs = read(session, query, lo, hi)

    def only(medium: str) -> Inputs:
        nets = {n for n, m in inputs.network_media.items() if m == medium}
        sites = {c: s for c, s in inputs.sites.items() if s.network in nets}
        obs = [o for o in inputs.observations if o.site in sites]
        return Inputs(sites, obs, inputs.network_media, inputs.counties)

    air_days, sections = _county_air(only("air")), _county_water(only("water"))
    rows = []
    for code, month in sorted(set(air_days) | set(sections)):
        a = air_days.get((code, month), county.Tally())
        w = sections.get((code, month), county.Tally())
        zh, en = inputs.counties.get(code, (code, code))
        rows.append(
            {
                "county": code,
                "county_name_zh": zh,
                "county_name_en": en,
                "month": month,
                "air_days": a.assessed,
                "good_air_days": a.passed,
                "good_air_share": a.share,
                "sections": w.assessed,
                "sections_meeting_target": w.passed,
                "sections_meeting_share": w.share,
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
