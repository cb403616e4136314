"""GET /qc/gaps: missing-data gaps."""

from flask import Response

from hub.api.common import ok, page_request
from hub.api.deps import session_scope
from hub.qc.gap_scan import list_gaps


def gaps(
    page: int = 1,
    limit: int = 100,
    site: str | None = None,
    parameter: str | None = None,
    open_: bool | None = None,
) -> Response:
    with session_scope() as s:
        return ok(
            list_gaps(s, page_request(page, limit), site=site, parameter=parameter, open_only=open_)
        )
