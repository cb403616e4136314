"""The directory's vocabulary: entries, disclosure levels, licences, update frequencies.

Plain frozen dataclasses and rule tables, no I/O: ``catalogue.directory`` builds them
from the YAML files, everything else reads them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from typing import Final

from hub.timeutil import LOCAL_TZ


class Disclosure(StrEnum):
    """Who may see an entry (plan §10: content, permissions and channels).

    ``open``: anyone, and it is mirrored to CKAN; ``conditional``: only clients holding
    ``observations:read`` or ``catalogue:admin``; ``internal``: never leaves the hub.
    """

    OPEN = "open"
    CONDITIONAL = "conditional"
    INTERNAL = "internal"


@dataclass(frozen=True)
class Licence:
    """A licence CKAN knows by ``id`` (its default licence list) and DCAT by ``url``."""

    id: str
    title: str
    url: str
    is_open: bool


LICENCES: Final = {
    lic.id: lic
    for lic in (
        Licence(
            "cc-by",
            "Creative Commons Attribution 4.0",
            "https://creativecommons.org/licenses/by/4.0/",
            True,
        ),
        Licence(
            "cc-zero",
            "Creative Commons CCZero",
            "https://creativecommons.org/publicdomain/zero/1.0/",
            True,
        ),
        Licence(
            "odc-by",
            "Open Data Commons Attribution License",
            "https://opendatacommons.org/licenses/by/1-0/",
            True,
        ),
        Licence("other-open", "Other (Open)", "http://www.opendefinition.org/licenses/", True),
        Licence("other-closed", "Other (Not Open)", "http://www.opendefinition.org/", False),
    )
}

_EU_FREQ = "http://publications.europa.eu/resource/authority/frequency/"


class Frequency(StrEnum):
    """How often an entry's data changes; ``uri`` is the EU frequency authority term."""

    REALTIME = "realtime"
    HOURLY = "hourly"
    DAILY = "daily"
    WEEKLY = "weekly"
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    ANNUAL = "annual"

    @property
    def uri(self) -> str:
        """The EU frequency authority URI (DCAT ``dct:accrualPeriodicity``)."""
        term = "UPDATE_CONT" if self is Frequency.REALTIME else self.name
        return _EU_FREQ + term


@dataclass(frozen=True)
class Text:
    """A text in Chinese and English."""

    zh: str
    en: str


@dataclass(frozen=True)
class Keywords:
    """Keywords in both languages; both become CKAN tags and DCAT keywords."""

    zh: tuple[str, ...]
    en: tuple[str, ...]

    @property
    def all(self) -> tuple[str, ...]:
        """Chinese then English keywords."""
        return self.zh + self.en


@dataclass(frozen=True)
class Spatial:
    """Spatial coverage: a name and a WGS 84 box (west, south, east, north)."""

    zh: str
    en: str
    bbox: tuple[float, float, float, float]

    @property
    def wkt(self) -> str:
        """The box as a WKT polygon (DCAT ``dcat:bbox``)."""
        w, s, e, n = self.bbox
        return f"POLYGON(({w} {s},{e} {s},{e} {n},{w} {n},{w} {s}))"

    @property
    def geojson(self) -> dict[str, object]:
        """The box as a GeoJSON polygon (CKAN ``spatial`` extra)."""
        w, s, e, n = self.bbox
        ring = [[w, s], [e, s], [e, n], [w, n], [w, s]]
        return {"type": "Polygon", "coordinates": [ring]}


@dataclass(frozen=True)
class Window:
    """How much recent data an entry publishes: whole local days or whole local months.

    The start is aligned to a local (UTC+8) midnight so that every run on the same day
    computes the same rows: a second run then finds nothing to change.
    """

    days: int = 0
    months: int = 0

    @property
    def iso(self) -> str:
        """The window as an ISO 8601 duration (P31D, P12M)."""
        return f"P{self.months}M" if self.months else f"P{self.days}D"

    def bounds(self, now: datetime) -> tuple[datetime, datetime]:
        """[start, end) in UTC: from the aligned start up to the end of ``now``'s local day."""
        today = now.astimezone(LOCAL_TZ).date()
        if self.months:
            index = today.year * 12 + today.month - 1 - self.months
            first = date(index // 12, index % 12 + 1, 1)
        else:
            first = today - timedelta(days=self.days)
        start = datetime(first.year, first.month, first.day, tzinfo=LOCAL_TZ)
        end_day = today + timedelta(days=1)
        end = datetime(end_day.year, end_day.month, end_day.day, tzinfo=LOCAL_TZ)
        return start.astimezone(UTC), end.astimezone(UTC)


@dataclass(frozen=True)
class Query:
    """What produces an entry's rows: which networks and parameters, and how."""

    networks: tuple[str, ...]
    parameters: tuple[str, ...]
    period: str | None
    producer: str
    window: Window


@dataclass(frozen=True)
class Entry:
    """One dataset of the open-data directory."""

    id: str
    title: Text
    description: Text
    department: str
    disclosure: Disclosure
    licence: Licence
    frequency: Frequency
    keywords: Keywords
    spatial: Spatial
    query: Query
    # Where the entry came from (for messages); not part of its metadata.
    source: str = ""


@dataclass(frozen=True)
class Department:
    """An owning department as publications name it (from the reference tables)."""

    code: str
    name_zh: str
    name_en: str
    description: str | None = None


@dataclass(frozen=True)
class Links:
    """The hub's public addresses of an entry (``HUB_PUBLIC_URL`` + the API base path)."""

    public_url: str
    api_base_path: str = "/api/v1"

    @property
    def api(self) -> str:
        """The API base URL."""
        return self.public_url.rstrip("/") + self.api_base_path

    def dataset(self, entry_id: str) -> str:
        """The entry's page in the hub API (its DCAT identifier)."""
        return f"{self.api}/catalogue/datasets/{entry_id}"

    def data(self, entry_id: str, fmt: str) -> str:
        """The entry's data in ``fmt`` (csv or json)."""
        return f"{self.dataset(entry_id)}/data?format={fmt}"

    @property
    def dcat(self) -> str:
        """The DCAT catalogue document."""
        return f"{self.api}/catalogue/dcat.jsonld"
