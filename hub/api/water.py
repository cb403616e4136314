"""GET /water/quality: published monthly water class (no token needed)."""

from flask import Response

from hub.api.common import ok
from hub.api.deps import session_scope
from hub.assessments.common import parse_month
from hub.assessments.water_report import month_quality
from hub.errors import FieldError, ValidationFailed
from hub.standards import NoEditionInForce


def quality(site: str, month: str) -> Response:
    first = parse_month("month", month)
    with session_scope() as s:
        try:
            return ok(month_quality(s, site, first))
        except NoEditionInForce as exc:
            raise ValidationFailed(
                str(exc), errors=[FieldError("query.month", str(exc), "no_edition")]
            ) from exc
