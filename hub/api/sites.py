"""GET /sites and /sites/{code}."""

from flask import Response

from hub.api.common import ok, page_request
from hub.api.deps import session_scope
from hub.reference import reads


def search(
    page: int = 1,
    limit: int = 100,
    department: str | None = None,
    network: str | None = None,
    county: str | None = None,
    status: str | None = None,
) -> Response:
    with session_scope() as s:
        body = reads.list_sites(
            s,
            page_request(page, limit),
            department=department,
            network=network,
            county=county,
            status=status,
        )
        return ok(body)


def get(code: str) -> Response:
    with session_scope() as s:
        return ok(reads.get_site(s, code))
