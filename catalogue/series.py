"""What producers share: their declaration, reading current observations, time buckets.

Producers read committed data through the session they are given and never write. Only
the current revision of each observation is read (``is_current``); corrections therefore
show up in published data on the next run.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from catalogue.model import Query, Text
from hub.assessments.common import valid_for_statistics
from hub.db.records import Observation
from hub.db.reference import County, Network, Parameter, Site
from hub.timeutil import LOCAL_TZ, iso_utc

Row = dict[str, Any]

# HJ 212-2017 data flags that mark a usable value: N normal, S manual input. The others
# (stopped, maintenance, fault, calibration, over range, communication fault) are not
# monitoring results; neither is a value QC flagged for review. Assessments skip both;
# the raw producer publishes everything with its flag so nothing is hidden.


@dataclass(frozen=True)
class Field:
    """One output column: DataStore type (text, int, numeric, bool, timestamp, date)."""

    id: str
    type: str
    zh: str
    en: str


@dataclass(frozen=True)
class PublishedSite:
    """The parts of a site that published rows carry."""

    code: str
    name_zh: str
    name_en: str
    county: str | None
    network: str
    targets: dict[str, Any]


@dataclass(frozen=True)
class Obs:
    """One current observation as producers see it (time aware UTC, value canonical)."""

    site: str
    parameter: str
    start: datetime
    period: str
    value: float | None
    flag: str
    qc_status: str
    unit: str
    qc_flags: tuple[Any, ...] = ()

    @property
    def valid(self) -> bool:
        """Usable for assessments: the same rule as the hub's published views."""
        return valid_for_statistics(self.value, self.flag, self.qc_status, self.qc_flags)


@dataclass(frozen=True)
class Inputs:
    """What a producer reads: the sites of the entry's networks and their observations."""

    sites: dict[str, PublishedSite]
    observations: list[Obs]
    network_media: dict[str, str] = field(default_factory=dict)
    counties: dict[str, tuple[str, str]] = field(default_factory=dict)


Run = Callable[[Session, Query, datetime, datetime], list[Row]]


@dataclass(frozen=True)
class Producer:
    """How an entry's rows are made; ``needs`` are parameters it cannot do without."""

    name: str
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...]
    run: Run
    method: Text
    needs: frozenset[str] = frozenset()
    standards: tuple[str, ...] = ()


def load_inputs(session: Session, query: Query, start: datetime, end: datetime) -> Inputs:
    """Sites of ``query.networks`` and their current observations in [start, end)."""
    site_rows = session.execute(
        select(Site).where(Site.network_code.in_(query.networks)).order_by(Site.code)
    ).scalars()
    sites = {
        s.code: PublishedSite(
            s.code, s.name_zh, s.name_en, s.county_code, s.network_code, s.targets
        )
        for s in site_rows
    }
    o = Observation
    stmt = (
        select(
            Site.code,
            o.parameter_code,
            o.period_start,
            o.period,
            o.value,
            o.flag,
            o.qc_status,
            Parameter.unit,
            o.qc_flags,
        )
        .join(Site, Site.id == o.site_id)
        .join(Parameter, Parameter.code == o.parameter_code)
        .where(
            Site.network_code.in_(query.networks),
            o.is_current.is_(True),
            o.period_start >= start,
            o.period_start < end,
        )
        .order_by(Site.code, o.parameter_code, o.period_start)
    )
    if query.parameters:
        stmt = stmt.where(o.parameter_code.in_(query.parameters))
    if query.period:
        stmt = stmt.where(o.period == query.period)
    observations = [
        Obs(site, param, start_, period, value, flag, status, unit, tuple(flags or ()))
        for site, param, start_, period, value, flag, status, unit, flags in session.execute(stmt)
    ]
    media = {
        code: medium
        for code, medium in session.execute(
            select(Network.code, Network.medium).where(Network.code.in_(query.networks))
        )
    }
    counties = {c.code: (c.name_zh, c.name_en) for c in session.execute(select(County)).scalars()}
    return Inputs(sites, observations, media, counties)


def site_columns(site: PublishedSite) -> Row:
    """The site columns every per-site producer starts its rows with."""
    return {
        "site": site.code,
        "site_name_zh": site.name_zh,
        "site_name_en": site.name_en,
        "county": site.county,
    }


SITE_FIELDS = (
    Field("site", "text", "站点编码", "Site code"),
    Field("site_name_zh", "text", "站点名称", "Site name (Chinese)"),
    Field("site_name_en", "text", "站点名称（英文）", "Site name (English)"),
    Field("county", "text", "县区编码", "County code"),
)


def local_date(at: datetime) -> date:
    """The local (UTC+8) calendar day of an aware instant."""
    return at.astimezone(LOCAL_TZ).date()


def local_midnight(day: date) -> datetime:
    """The UTC instant at which a local day starts."""
    return datetime(day.year, day.month, day.day, tzinfo=LOCAL_TZ).astimezone(UTC)


def month_of(at: datetime) -> str:
    """``YYYY-MM`` of the local month of an aware instant."""
    return local_date(at).strftime("%Y-%m")


def month_first(month: str) -> date:
    """The first day of a ``YYYY-MM`` month."""
    return date(int(month[:4]), int(month[5:7]), 1)


def align(start: datetime, end: datetime, unit: str) -> tuple[datetime, datetime]:
    """Widen [start, end) to whole local hours, days or months.

    A day's AQI or a month's class computed from part of its data would be published as
    if complete, so producers always read whole units.
    """
    if unit == "hour":
        lo = start.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
        hi = end.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
        return lo, hi if hi >= end else hi + timedelta(hours=1)
    first, last = local_date(start), local_date(end - timedelta(microseconds=1))
    if unit == "month":
        first = first.replace(day=1)
        last = (last.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    return local_midnight(first), local_midnight(last + timedelta(days=1))


def hour_key(at: datetime) -> str:
    """An hour start as published: ISO 8601 UTC."""
    return iso_utc(at)


def rounded(value: Any, places: int = 4) -> float | None:
    """A number as published (None stays None)."""
    return None if value is None else round(float(value), places)


def joined(items: Sequence[str]) -> str:
    """A list in one CSV-safe text cell."""
    return ",".join(items)
