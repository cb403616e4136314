"""Small helpers shared by handlers: paging, time parameters."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import orjson
from flask import Response

from hub.assessments.common import check_instant, out_of_range
from hub.errors import BadRequest, FieldError
from hub.paging import PageRequest
from hub.timeutil import canonical_period, parse_instant


def page_request(page: int = 1, limit: int = 100) -> PageRequest:
    return PageRequest(page=page, limit=limit)


def instant_param(name: str, value: str | None) -> datetime | None:
    """Parse a query-string time, or raise a 400 naming the parameter (also when the hub
    cannot represent it)."""
    if value is None:
        return None
    try:
        return check_instant(name, value, parse_instant(value))
    except OverflowError:
        # The UTC shift of a time at the very edge of the calendar (0001-01-01+08:00).
        raise out_of_range(name, value) from None
    except ValueError as exc:
        raise BadRequest(
            f"query parameter '{name}': {exc}",
            errors=[FieldError(f"query.{name}", str(exc), "format")],
        ) from exc


def period_param(name: str, value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return canonical_period(value)
    except ValueError as exc:
        raise BadRequest(
            f"query parameter '{name}': {exc}",
            errors=[FieldError(f"query.{name}", str(exc), "format")],
        ) from exc


def ok(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    """A JSON response rendered with orjson (datetimes and UUIDs as ISO strings)."""
    return Response(orjson.dumps(body), status=status, headers=headers, mimetype="application/json")
