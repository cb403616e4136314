"""Emission limits of pollution sources, per site and parameter (``ecohub alarms limits``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from connectors.registry import get_connector
from connectors.units import unit_key
from hub.db.alarms import EmissionLimit
from hub.db.reference import Parameter, Site
from hub.errors import FieldError, NotFound, ValidationFailed
from hub.timeutil import iso_utc


def _canonical(site: Site, param: Parameter, limit: float, unit: str | None) -> float:
    """``limit`` in the parameter's canonical unit, converted the way the site's
    department's connector converts pushed values."""
    if unit is None or unit_key(unit) == unit_key(param.unit):
        return limit
    connector = get_connector(site.department_code)
    rule = connector.parameters.get(param.code) if connector else None
    converted = rule.convert(limit, unit) if rule else None
    if converted is None:
        raise ValidationFailed(
            f"unit '{unit}' is not accepted for {param.code}; its unit is {param.unit}",
            errors=[FieldError("unit", f"use {param.unit}", "unit")],
        )
    return converted


def set_limit(
    session: Session,
    site_code: str,
    parameter: str,
    limit: float,
    unit: str | None,
    now: datetime,
    note: str | None = None,
) -> dict[str, Any]:
    """Create or replace the limit of ``parameter`` at source ``site_code``."""
    site = session.scalar(select(Site).where(Site.code == site_code))
    if site is None:
        raise NotFound(f"no site '{site_code}'")
    param = session.get(Parameter, parameter)
    if param is None:
        raise NotFound(f"no parameter '{parameter}'")
    if limit < 0:
        raise ValidationFailed("a limit cannot be negative", errors=[FieldError("limit", "< 0")])
    value = _canonical(site, param, limit, unit)
    row = session.get(EmissionLimit, (site.id, parameter))
    if row is None:
        row = EmissionLimit(site_id=site.id, parameter_code=parameter)
        session.add(row)
    row.limit_value, row.unit, row.note, row.updated_at = value, param.unit, note, now
    session.flush()
    return _doc(site.code, row)


def remove_limit(session: Session, site_code: str, parameter: str) -> bool:
    """Drop a limit; True if there was one."""
    site_id = session.scalar(select(Site.id).where(Site.code == site_code))
    if site_id is None:
        return False
    e = EmissionLimit
    done = session.execute(delete(e).where(e.site_id == site_id, e.parameter_code == parameter))
    return bool(getattr(done, "rowcount", 0))


def list_limits(session: Session) -> list[dict[str, Any]]:
    stmt = (
        select(Site.code, EmissionLimit)
        .join(Site, Site.id == EmissionLimit.site_id)
        .order_by(Site.code, EmissionLimit.parameter_code)
    )
    return [_doc(code, row) for code, row in session.execute(stmt)]


def _doc(site_code: str, row: EmissionLimit) -> dict[str, Any]:
    return {
        "site": site_code,
        "parameter": row.parameter_code,
        "limit": row.limit_value,
        "unit": row.unit,
        "note": row.note,
        "updated_at": iso_utc(row.updated_at),
    }
