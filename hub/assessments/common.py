"""What the published assessment documents share: the site's kind, its summary, the query."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from hub.db.reference import Network, Site
from hub.errors import BadRequest, FieldError, ValidationFailed


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


# Python's datetimes span years 1 to 9999. Reports reach up to a year around the day asked
# (rolling windows, the month after, the UTC+8 shift), so a year's margin on each side keeps
# every instant the hub computes representable; outside it the answer is a 400, not a 500.
EARLIEST_DAY = date(2, 1, 1)
LATEST_DAY = date(9998, 12, 31)


def out_of_range(name: str, text: str) -> BadRequest:
    """A 400 saying that ``text`` (query parameter ``name``) is outside what the hub represents."""
    message = (
        f"'{text}' is out of the range the hub can represent "
        f"({EARLIEST_DAY.isoformat()} to {LATEST_DAY.isoformat()})"
    )
    return BadRequest(
        f"query parameter '{name}': {message}",
        errors=[FieldError(f"query.{name}", message, "range")],
    )


def check_instant(name: str, text: str, value: datetime) -> datetime:
    """``value`` (parsed from ``text``) if the hub can represent it, else a 400 naming ``name``."""
    earliest = datetime.combine(EARLIEST_DAY, datetime.min.time(), UTC)
    latest = datetime.combine(LATEST_DAY, datetime.max.time(), UTC)
    if not earliest <= value <= latest:
        raise out_of_range(name, text)
    return value


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
        day = date.fromisoformat(text)
    except ValueError:
        raise _bad(name, text, "date (YYYY-MM-DD)") from None
    if not EARLIEST_DAY <= day <= LATEST_DAY:
        raise out_of_range(name, text)
    return day


def parse_month(name: str, text: str) -> date:
    """The first day of a month written YYYY-MM, or a 400 naming the parameter."""
    try:
        if len(text) != 7 or text[4] != "-":
            raise ValueError(text)
        first = date(int(text[:4]), int(text[5:]), 1)
    except ValueError:
        raise _bad(name, text, "month (YYYY-MM)") from None
    if not EARLIEST_DAY <= first <= LATEST_DAY:
        raise out_of_range(name, text)
    return first
