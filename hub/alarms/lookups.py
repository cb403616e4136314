"""The database side of ``Lookups``: the few current values rules need, fetched in bulk."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select, tuple_
from sqlalchemy.orm import Session

from hub.alarms.types import RuleSite
from hub.db.alarms import EmissionLimit
from hub.db.records import Observation
from hub.db.reference import Network, Site
from hub.qc.checks import INVALID_DEVICE_FLAGS
from hub.standards import codes

HOURLY = "PT1H"


def qc_invalid(flags: Sequence[Mapping[str, Any]] | None) -> bool:
    """True when QC marked the value invalid for statistics."""
    return any(f.get("severity") == "invalid" for f in flags or ())


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


class DbLookups:
    """Implements ``hub.alarms.types.Lookups`` over one session, with per-batch caches."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._limits: dict[tuple[int, str], tuple[float, str]] | None = None
        self._hours: dict[tuple[int, datetime], dict[str, float]] = {}

    def emission_limit(self, site_id: int, parameter: str) -> tuple[float, str] | None:
        if self._limits is None:
            rows = self.session.scalars(select(EmissionLimit))
            self._limits = {(r.site_id, r.parameter_code): (r.limit_value, r.unit) for r in rows}
        return self._limits.get((site_id, parameter))

    def prefetch_hours(self, keys: Iterable[tuple[int, datetime]]) -> None:
        """Load the air pollutants of many (site, hour) pairs in one query per 300 pairs."""
        wanted = sorted({k for k in keys if k not in self._hours})
        o = Observation
        for i in range(0, len(wanted), 300):
            chunk = wanted[i : i + 300]
            for key in chunk:
                self._hours[key] = {}
            stmt = select(
                o.site_id, o.period_start, o.parameter_code, o.value, o.flag, o.qc_flags
            ).where(
                o.is_current.is_(True),
                o.period == HOURLY,
                o.parameter_code.in_(codes.AIR),
                tuple_(o.site_id, o.period_start).in_(chunk),
            )
            for sid, start, code, value, flag, qc in self.session.execute(stmt):
                if value is None or flag in INVALID_DEVICE_FLAGS or qc_invalid(qc):
                    continue
                self._hours.setdefault((sid, start), {})[code] = value

    def hour_values(self, site_id: int, hour: datetime) -> Mapping[str, float]:
        if (site_id, hour) not in self._hours:
            self.prefetch_hours([(site_id, hour)])
        return self._hours[(site_id, hour)]

    def value_at(self, site_id: int, parameter: str, start: datetime) -> float | None:
        o = Observation
        row = self.session.execute(
            select(o.value, o.flag, o.qc_flags)
            .where(
                o.site_id == site_id,
                o.parameter_code == parameter,
                o.period_start == start,
                o.is_current.is_(True),
            )
            .limit(1)
        ).first()
        if row is None or row[0] is None or row[1] in INVALID_DEVICE_FLAGS or qc_invalid(row[2]):
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
