"""GET /observations."""

from flask import Response

from hub.api.common import instant_param, ok, page_request, period_param
from hub.api.deps import session_scope
from hub.observations.reads import ObservationQuery, search_observations


def search(
    page: int = 1,
    limit: int = 100,
    site: str | None = None,
    parameter: str | None = None,
    from_: str | None = None,
    to: str | None = None,
    period: str | None = None,
    revisions: str = "current",
    qc: str = "all",
) -> Response:
    q = ObservationQuery(
        site=site,
        parameter=parameter,
        start=instant_param("from", from_),
        end=instant_param("to", to),
        period=period_param("period", period),
        all_revisions=revisions == "all",
        qc=None if qc == "all" else qc,
    )
    with session_scope() as s:
        return ok(search_observations(s, q, page_request(page, limit)))
