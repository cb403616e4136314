"""What the published assessment documents share: the site's kind, its summary, the query."""

from __future__ import annotations

from datetime import date
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
