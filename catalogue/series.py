"""What producers share: their declaration, reading their inputs, time buckets.

Producers read committed data through the session they are given and never write; what
they read comes from ``hub.opendata.inputs`` (the catalogue runs no SQL of its own) and
every number they publish from ``hub.assessments``. Assessments count only values valid
for statistics (``hub.assessments.validity``: HJ 212 flags F, M, S, D, C and B and what QC
marked invalid are left out); the raw producer publishes everything with its flag so
nothing is hidden.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from catalogue.model import Query, Text
from hub.opendata.inputs import Inputs, Obs, PublishedSite, load_inputs
from hub.timeutil import LOCAL_TZ, iso_utc

Row = dict[str, Any]

# Inputs, Obs and PublishedSite live with the reads (hub.opendata.inputs); producers take
# them from here with everything else they share.
__all__ = [
    "SITE_FIELDS",
    "Field",
    "Inputs",
    "Obs",
    "Producer",
    "PublishedSite",
    "Row",
    "Run",
    "align",
    "hour_key",
    "joined",
    "local_date",
    "local_midnight",
    "month_first",
    "month_of",
    "read",
    "rounded",
    "site_columns",
]


@dataclass(frozen=True)
class Field:
    """One output column: DataStore type (text, int, numeric, bool, timestamp, date)."""

    id: str
    type: str
    zh: str
    en: str


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


def read(session: Session, query: Query, start: datetime, end: datetime) -> Inputs:
    """The entry's sites and current observations with period start in [start, end)."""
    return load_inputs(session, query.networks, start, end, query.parameters, query.period)


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
