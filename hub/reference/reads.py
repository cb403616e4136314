"""Read services over the reference network: departments, counties, sites, parameters."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from hub.db.reference import County, Department, Network, Parameter, Site
from hub.errors import NotFound
from hub.paging import PageRequest, paginate


def department_doc(d: Department) -> dict[str, Any]:
    return {
        "code": d.code,
        "name_zh": d.name_zh,
        "name_en": d.name_en,
        "description": d.description,
    }


def county_doc(c: County) -> dict[str, Any]:
    return {
        "code": c.code,
        "admin_code": c.admin_code,
        "name_zh": c.name_zh,
        "name_en": c.name_en,
        "kind": c.kind,
    }


def network_doc(n: Network) -> dict[str, Any]:
    return {
        "code": n.code,
        "name_zh": n.name_zh,
        "name_en": n.name_en,
        "department": n.department_code,
        "medium": n.medium,
        "expected_interval_seconds": n.expected_interval_seconds,
    }


def site_doc(s: Site) -> dict[str, Any]:
    return {
        "code": s.code,
        "name_zh": s.name_zh,
        "name_en": s.name_en,
        "department": s.department_code,
        "network": s.network_code,
        "county": s.county_code,
        "latitude": s.latitude,
        "longitude": s.longitude,
        "coordinates_approximate": s.coordinates_approximate,
        "targets": s.targets or {},
        "status": s.status,
        "note": s.note,
    }


def parameter_doc(p: Parameter) -> dict[str, Any]:
    return {
        "code": p.code,
        "hj212_code": p.hj212_code,
        "name_zh": p.name_zh,
        "name_en": p.name_en,
        "unit": p.unit,
        "medium": p.medium,
        "plausible_min": p.plausible_min,
        "plausible_max": p.plausible_max,
    }


def list_departments(session: Session, page: PageRequest) -> dict[str, Any]:
    """All departments, by code."""
    return paginate(
        session, select(Department).order_by(Department.code), page, lambda r: department_doc(r[0])
    )


def list_counties(session: Session, page: PageRequest) -> dict[str, Any]:
    """All county-level units, by code."""
    return paginate(session, select(County).order_by(County.code), page, lambda r: county_doc(r[0]))


def list_networks(
    session: Session, page: PageRequest, department: str | None = None
) -> dict[str, Any]:
    """Monitoring networks, optionally of one department."""
    stmt = select(Network).order_by(Network.code)
    if department:
        stmt = stmt.where(Network.department_code == department)
    return paginate(session, stmt, page, lambda r: network_doc(r[0]))


def list_parameters(
    session: Session, page: PageRequest, medium: str | None = None
) -> dict[str, Any]:
    """The parameter vocabulary, optionally of one medium."""
    stmt = select(Parameter).order_by(Parameter.code)
    if medium:
        stmt = stmt.where(Parameter.medium == medium)
    return paginate(session, stmt, page, lambda r: parameter_doc(r[0]))


def list_sites(
    session: Session,
    page: PageRequest,
    *,
    department: str | None = None,
    network: str | None = None,
    county: str | None = None,
    status: str | None = None,
) -> dict[str, Any]:
    """Sites filtered by department, network, county and status, by code."""
    stmt = select(Site).order_by(Site.code)
    if department:
        stmt = stmt.where(Site.department_code == department)
    if network:
        stmt = stmt.where(Site.network_code == network)
    if county:
        stmt = stmt.where(Site.county_code == county)
    if status:
        stmt = stmt.where(Site.status == status)
    return paginate(session, stmt, page, lambda r: site_doc(r[0]))


def get_site(session: Session, code: str) -> dict[str, Any]:
    """One site by code; NotFound when there is none."""
    site = session.scalar(select(Site).where(Site.code == code))
    if site is None:
        raise NotFound(f"no site with code '{code}'")
    return site_doc(site)
