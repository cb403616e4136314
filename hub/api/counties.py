"""GET /counties."""

from flask import Response

from hub.api.common import ok, page_request
from hub.api.deps import session_scope
from hub.reference import reads


def search(page: int = 1, limit: int = 100) -> Response:
    with session_scope() as s:
        return ok(reads.list_counties(s, page_request(page, limit)))
