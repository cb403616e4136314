"""What the public assessments share: the site asked for, its kind, and the valid values.

A value counts towards an assessment ("valid for statistics") when it is the current
revision, has a value, carries no HJ 212 flag that invalidates it (F, M, S, D, C, B) and QC
either passed it or raised only flags that do not invalidate (suspect spikes, over-range T,
review): what QC marks invalid (range, missing, future time, device flag) is left out.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from hub.db.records import Observation
from hub.db.reference import Network, Site
from hub.errors import BadRequest, FieldError, NotFound, ValidationFailed
from hub.qc.checks import INVALID_DEVICE_FLAGS


@dataclass(frozen=True)
class ValidValue:
    """One current observation that is valid for statistics."""

    site_id: int
    parameter: str
    start: datetime
    period: str
    value: float


def valid_for_statistics(
    value: float | None, flag: str, qc_status: str, qc_flags: Sequence[Any] | None
) -> bool:
    """True when a stored value may enter an average, a class or an index."""
    if value is None or flag in INVALID_DEVICE_FLAGS:
        return False
    if qc_status == "passed":
        return True
    return not any(
        isinstance(f, Mapping) and f.get("severity") == "invalid" for f in qc_flags or ()
    )


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
    stmt = select(
        o.site_id,
        o.parameter_code,
        o.period_start,
        o.period,
        o.value,
        o.flag,
        o.qc_status,
        o.qc_flags,
    ).where(
        o.site_id.in_(sorted(site_ids)),
        o.parameter_code.in_(sorted(codes)),
        o.is_current.is_(True),
        o.period_start >= start,
        o.period_start < end,
    )
    if periods is not None:
        stmt = stmt.where(o.period.in_(sorted(periods)))
    return [
        ValidValue(sid, code, t, period, float(value))
        for sid, code, t, period, value, flag, status, flags in session.execute(stmt)
        if value is not None and valid_for_statistics(value, flag, status, flags)
    ]


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


def wrong_kind(site: Site, network: Network, why: str) -> ValidationFailed:
    """A 422 saying why this site cannot be assessed this way."""
    detail = (
        f"site '{site.code}' ({network.code}, medium {network.medium}) cannot be assessed "
        f"here: {why}"
    )
    return ValidationFailed(detail, errors=[FieldError("query.site", why, "wrong_kind")])


def site_summary(site: Site, network: Network) -> dict[str, Any]:
    """The site as assessments show it."""
    return {
        "code": site.code,
        "name_zh": site.name_zh,
        "name_en": site.name_en,
        "network": network.code,
        "county": site.county_code,
        "targets": site.targets or {},
    }


def _bad(name: str, text: str, expected: str) -> BadRequest:
    message = f"'{text}' is not a valid {expected}"
    return BadRequest(
        f"query parameter '{name}': {message}",
        errors=[FieldError(f"query.{name}", message, "format")],
    )


def parse_day(name: str, text: str) -> date:
    """A local calendar day written YYYY-MM-DD, or a 400 naming the parameter."""
    try:
        if len(text) != 10:
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        raise _bad(name, text, "date (YYYY-MM-DD)") from None


def parse_month(name: str, text: str) -> date:
    """The first day of a month written YYYY-MM, or a 400 naming the parameter."""
    try:
        if len(text) != 7 or text[4] != "-":
            raise ValueError(text)
        return date(int(text[:4]), int(text[5:]), 1)
    except ValueError:
        raise _bad(name, text, "month (YYYY-MM)") from None
