"""The assessments' reads: the site asked for and its values that are valid for statistics.

The only SQL of the assessment engine. Only current revisions are read; the validity rule
itself lives in ``validity``.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import datetime

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from hub.assessments.validity import ValidValue, stored_value_valid
from hub.db.records import Observation
from hub.db.reference import Network, Site
from hub.errors import FieldError, NotFound

#: (site id, [(start, end), …]) spans per query in ``valid_values_in_spans``.
_SPANS_PER_QUERY = 200


def find_site(session: Session, code: str) -> tuple[Site, Network]:
    """The site and its network, or a 404 pointing at ``query.site``."""
    row = session.execute(
        select(Site, Network)
        .join(Network, Network.code == Site.network_code)
        .where(Site.code == code)
    ).first()
    if row is None:
        raise NotFound(
            f"no site with code '{code}'",
            errors=[FieldError("query.site", "unknown site", "unknown")],
        )
    return row[0], row[1]


def _columns() -> tuple:
    o = Observation
    return (
        o.site_id,
        o.parameter_code,
        o.period_start,
        o.period,
        o.value,
        o.flag,
        o.qc_status,
        o.qc_flags,
    )


def _valid(rows: Sequence) -> list[ValidValue]:
    return [
        ValidValue(sid, code, t, period, float(value))
        for sid, code, t, period, value, flag, status, flags in rows
        if value is not None and stored_value_valid(value, flag, status, flags)
    ]


def valid_values(
    session: Session,
    site_ids: Collection[int],
    codes: Collection[str],
    start: datetime,
    end: datetime,
    periods: Collection[str] | None = None,
) -> list[ValidValue]:
    """Valid current values of ``codes`` at ``site_ids`` with period start in [start, end)."""
    o = Observation
    stmt = select(*_columns()).where(
        o.site_id.in_(sorted(site_ids)),
        o.parameter_code.in_(sorted(codes)),
        o.is_current.is_(True),
        o.period_start >= start,
        o.period_start < end,
    )
    if periods is not None:
        stmt = stmt.where(o.period.in_(sorted(periods)))
    return _valid(list(session.execute(stmt)))


def valid_values_in_spans(
    session: Session,
    spans: Mapping[int, Sequence[tuple[datetime, datetime]]],
    codes: Collection[str],
    period: str,
) -> list[ValidValue]:
    """Valid current values of ``codes`` at each site within its [start, end) spans.

    One index-bound query per 200 spans (site, period start ranges), whatever their number.
    """
    o = Observation
    flat = [(sid, lo, hi) for sid, ranges in sorted(spans.items()) for lo, hi in ranges]
    out: list[ValidValue] = []
    for i in range(0, len(flat), _SPANS_PER_QUERY):
        chunk = flat[i : i + _SPANS_PER_QUERY]
        stmt = select(*_columns()).where(
            o.is_current.is_(True),
            o.period == period,
            o.parameter_code.in_(sorted(codes)),
            or_(
                *(
                    and_(o.site_id == sid, o.period_start >= lo, o.period_start < hi)
                    for sid, lo, hi in chunk
                )
            ),
        )
        out += _valid(list(session.execute(stmt)))
    return out


def active_sites(
    session: Session, medium: str, limit: int, offset: int
) -> tuple[int, list[tuple[Site, Network]]]:
    """Active sites of networks of ``medium`` (by code): how many, and one page of them."""
    stmt = (
        select(Site, Network)
        .join(Network, Network.code == Site.network_code)
        .where(Network.medium == medium, Site.status == "active")
    )
    found = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = session.execute(stmt.order_by(Site.code).limit(limit).offset(offset)).all()
    return int(found), [(site, network) for site, network in rows]
