"""What open-data producers read: the sites of some networks and their current observations.

The catalogue's producers run no SQL of their own; they call ``load_inputs`` with the
networks, parameters and period their directory entry names and a window widened as the
assessment needs (``hub.assessments``). Only the current revision of each observation is
read (``is_current``); corrections therefore show up in published data on the next run.
Every observation is returned with what makes it valid or not: the raw producer publishes
them all, the assessments keep the ones ``Obs.valid`` accepts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from hub.assessments.validity import stored_value_valid
from hub.db.records import Observation
from hub.db.reference import County, Network, Parameter, Site


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
        """Valid for statistics (``hub.assessments.validity``), as every assessment uses it."""
        return stored_value_valid(self.value, self.flag, self.qc_status, self.qc_flags)


@dataclass(frozen=True)
class Inputs:
    """What a producer reads: the sites of the entry's networks and their observations."""

    sites: dict[str, PublishedSite]
    observations: list[Obs]
    network_media: dict[str, str] = field(default_factory=dict)
    counties: dict[str, tuple[str, str]] = field(default_factory=dict)


def load_inputs(
    session: Session,
    networks: Sequence[str],
    start: datetime,
    end: datetime,
    parameters: Sequence[str] = (),
    period: str | None = None,
) -> Inputs:
    """Sites of ``networks`` and their current observations with period start in [start, end).

    ``parameters`` (when given) and ``period`` (when given) narrow the observations.
    """
    site_rows = session.execute(
        select(Site).where(Site.network_code.in_(networks)).order_by(Site.code)
    ).scalars()
    sites = {
        s.code: PublishedSite(
            s.code, s.name_zh, s.name_en, s.county_code, s.network_code, s.targets or {}
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
            Site.network_code.in_(networks),
            o.is_current.is_(True),
            o.period_start >= start,
            o.period_start < end,
        )
        .order_by(Site.code, o.parameter_code, o.period_start)
    )
    if parameters:
        stmt = stmt.where(o.parameter_code.in_(parameters))
    if period:
        stmt = stmt.where(o.period == period)
    observations = [
        Obs(site, param, start_, period_, value, flag, status, unit, tuple(flags or ()))
        for site, param, start_, period_, value, flag, status, unit, flags in session.execute(stmt)
    ]
    media = {
        code: medium
        for code, medium in session.execute(
            select(Network.code, Network.medium).where(Network.code.in_(networks))
        )
    }
    counties = {c.code: (c.name_zh, c.name_en) for c in session.execute(select(County)).scalars()}
    return Inputs(sites, observations, media, counties)
