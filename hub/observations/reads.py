"""Reading stored observations (the raw series behind every published view)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from hub.db.records import Observation
from hub.db.reference import Parameter, Site
from hub.errors import BadRequest, FieldError, NotFound
from hub.paging import PageRequest, paginate
from hub.timeutil import iso_utc


@dataclass(frozen=True)
class ObservationQuery:
    """Filters of the observation read API; times are aware UTC, period canonical ISO."""

    site: str | None = None
    parameter: str | None = None
    start: datetime | None = None
    end: datetime | None = None
    period: str | None = None
    all_revisions: bool = False
    department: str | None = None
    # "passed" or "flagged" (QC status at ingest); None returns both.
    qc: str | None = None


def observation_doc(obs: Observation, site_code: str, unit: str) -> dict[str, Any]:
    return {
        "site": site_code,
        "parameter": obs.parameter_code,
        "time": iso_utc(obs.period_start),
        "period": obs.period,
        "value": obs.value,
        "unit": unit,
        "flag": obs.flag,
        "revision": obs.revision,
        "current": obs.is_current,
        "submission": obs.submission_id,
        "qc": {"status": obs.qc_status, "flags": obs.qc_flags or []},
    }


def search_observations(session: Session, q: ObservationQuery, page: PageRequest) -> dict[str, Any]:
    """Observations matching ``q``, ordered by time (then site, parameter, revision)."""
    if q.start and q.end and q.start >= q.end:
        raise BadRequest(
            "'from' must be before 'to'",
            errors=[FieldError("query.from", "must be earlier than 'to'", "range")],
        )
    stmt = (
        select(Observation, Site.code, Parameter.unit)
        .join(Site, Site.id == Observation.site_id)
        .join(Parameter, Parameter.code == Observation.parameter_code)
    )
    if q.site is not None:
        site_id = session.scalar(select(Site.id).where(Site.code == q.site))
        if site_id is None:
            raise NotFound(
                f"no site with code '{q.site}'",
                errors=[FieldError("query.site", "unknown site", "unknown")],
            )
        stmt = stmt.where(Observation.site_id == site_id)
    if q.parameter is not None:
        if session.get(Parameter, q.parameter) is None:
            raise NotFound(
                f"no parameter with code '{q.parameter}'",
                errors=[FieldError("query.parameter", "unknown parameter", "unknown")],
            )
        stmt = stmt.where(Observation.parameter_code == q.parameter)
    if q.department is not None:
        stmt = stmt.where(Site.department_code == q.department)
    if q.start is not None:
        stmt = stmt.where(Observation.period_start >= q.start)
    if q.end is not None:
        stmt = stmt.where(Observation.period_start < q.end)
    if q.period is not None:
        stmt = stmt.where(Observation.period == q.period)
    if not q.all_revisions:
        stmt = stmt.where(Observation.is_current.is_(True))
    if q.qc is not None:
        stmt = stmt.where(Observation.qc_status == q.qc)
    stmt = stmt.order_by(
        Observation.period_start, Site.code, Observation.parameter_code, Observation.revision
    )
    return paginate(session, stmt, page, lambda r: observation_doc(r[0], r[1], r[2]))
