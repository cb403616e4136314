"""The database side of ``Lookups``: the few current values rules need, fetched in bulk.

Which values count is ``hub.assessments.validity``'s rule, and the reads of hourly air
values are ``hub.assessments.inputs``'; this module adds the per-batch caches.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from hub.alarms.types import RuleSite
from hub.assessments import air
from hub.assessments.inputs import valid_values_in_spans
from hub.assessments.validity import stored_value_valid
from hub.db.alarms import EmissionLimit
from hub.db.records import Observation
from hub.db.reference import Network, Site
from hub.standards import codes

__all__ = ["DbLookups", "load_sites"]
HOURLY = air.HOURLY


def load_sites(
    session: Session, *, codes_: Iterable[str] = (), ids: Iterable[int] = ()
) -> dict[Any, RuleSite]:
    """RuleSite by code (for ``codes_``) or by id (for ``ids``)."""
    by_code, by_id = sorted(set(codes_)), sorted(set(ids))
    out: dict[Any, RuleSite] = {}
    for keys, column in ((by_code, Site.code), (by_id, Site.id)):
        for i in range(0, len(keys), 1000):
            stmt = (
                select(Site, Network.medium)
                .join(Network, Network.code == Site.network_code)
                .where(column.in_(keys[i : i + 1000]))
            )
            for site, medium in session.execute(stmt):
                info = RuleSite(
                    site.id,
                    site.code,
                    site.network_code,
                    site.county_code,
                    medium,
                    dict(site.targets or {}),
                )
                out[site.code if column is Site.code else site.id] = info
    return out


def _spans(hours: Iterable[datetime]) -> list[tuple[datetime, datetime]]:
    """Consecutive hour starts merged into [start, end) spans."""
    spans: list[tuple[datetime, datetime]] = []
    for h in sorted(hours):
        if spans and spans[-1][1] == h:
            spans[-1] = (spans[-1][0], h + air.HOUR)
        else:
            spans.append((h, h + air.HOUR))
    return spans


class DbLookups:
    """Implements ``hub.alarms.types.Lookups`` over one session, with per-batch caches."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._limits: dict[tuple[int, str], tuple[float, str]] | None = None
        # Per air site: the hours whose values are loaded, and the valid values among them.
        self._loaded: dict[int, set[datetime]] = defaultdict(set)
        self._air: dict[int, dict[str, dict[datetime, Decimal | None]]] = defaultdict(dict)

    def emission_limit(self, site_id: int, parameter: str) -> tuple[float, str] | None:
        if self._limits is None:
            rows = self.session.scalars(select(EmissionLimit))
            self._limits = {(r.site_id, r.parameter_code): (r.limit_value, r.unit) for r in rows}
        return self._limits.get((site_id, parameter))

    def prefetch_hours(self, keys: Iterable[tuple[int, datetime]]) -> None:
        """Load what the hourly AQI of many (site, hour) pairs needs: each hour and the 23
        before it, in a few index-bound queries for the whole batch."""
        missing: dict[int, set[datetime]] = defaultdict(set)
        for sid, at in keys:
            last = at.astimezone(UTC)
            if not air.on_the_hour(last):
                continue  # no hourly AQI for it (the rule judges hourly values only)
            for k in range(int(air.LOOK_BACK / air.HOUR)):
                hour = last - k * air.HOUR
                if hour not in self._loaded[sid]:
                    missing[sid].add(hour)
        if not missing:
            return
        spans = {sid: _spans(hours) for sid, hours in missing.items()}
        found: dict[int, list[tuple[str, datetime, float | None]]] = defaultdict(list)
        for v in valid_values_in_spans(self.session, spans, codes.AIR, HOURLY):
            found[v.site_id].append((v.parameter, v.start, v.value))
        for sid, hours in missing.items():
            self._loaded[sid] |= hours
            for code, series in air.air_series(found.get(sid, [])).items():
                self._air[sid].setdefault(code, {}).update(series)

    def air_series(self, site_id: int, hour: datetime) -> air.AirSeries:
        self.prefetch_hours([(site_id, hour)])
        return self._air[site_id]

    def value_at(self, site_id: int, parameter: str, start: datetime) -> float | None:
        o = Observation
        row = self.session.execute(
            select(o.value, o.flag, o.qc_status, o.qc_flags)
            .where(
                o.site_id == site_id,
                o.parameter_code == parameter,
                o.period_start == start,
                o.is_current.is_(True),
            )
            .limit(1)
        ).first()
        if row is None or not stored_value_valid(row[0], row[1], row[2], row[3]):
            return None
        return float(row[0])

    def recent_flags(self, site_id: int, parameter: str, until: datetime, n: int) -> Sequence[str]:
        o = Observation
        stmt = (
            select(o.flag)
            .where(
                o.site_id == site_id,
                o.parameter_code == parameter,
                o.is_current.is_(True),
                o.period_start <= until,
            )
            .order_by(o.period_start.desc())
            .limit(n)
        )
        return list(self.session.scalars(stmt))
