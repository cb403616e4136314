"""GET /networks."""

from flask import Response

from hub.api.common import ok, page_request
from hub.api.deps import session_scope
from hub.reference import reads


def search(page: int = 1, limit: int = 100, department: str | None = None) -> Response:
    with session_scope() as s:
        return ok(reads.list_networks(s, page_request(page, limit), department))
