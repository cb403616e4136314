"""GET /air/aqi and /air/aqi/latest: published AQI (no token needed)."""

from datetime import UTC, datetime

from flask import Response

from hub.api.common import ok, page_request
from hub.api.deps import session_scope
from hub.assessments.air_report import day_aqi, latest_aqi
from hub.assessments.common import parse_day
from hub.errors import FieldError, ValidationFailed
from hub.standards import NoEditionInForce


def aqi(site: str, date: str) -> Response:
    day = parse_day("date", date)
    with session_scope() as s:
        try:
            return ok(day_aqi(s, site, day))
        except NoEditionInForce as exc:
            raise ValidationFailed(
                str(exc), errors=[FieldError("query.date", str(exc), "no_edition")]
            ) from exc


def latest(page: int = 1, limit: int = 100) -> Response:
    with session_scope() as s:
        return ok(latest_aqi(s, datetime.now(UTC), page_request(page, limit)))
