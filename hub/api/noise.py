"""GET /noise/compliance: published GB 3096 day/night compliance (no token needed)."""

from flask import Response

from hub.api.common import ok
from hub.api.deps import session_scope
from hub.assessments.common import parse_day
from hub.assessments.noise_report import day_compliance
from hub.errors import FieldError, ValidationFailed
from hub.standards import NoEditionInForce


def compliance(site: str, date: str) -> Response:
    day = parse_day("date", date)
    with session_scope() as s:
        try:
            return ok(day_compliance(s, site, day))
        except NoEditionInForce as exc:
            raise ValidationFailed(
                str(exc), errors=[FieldError("query.date", str(exc), "no_edition")]
            ) from exc
