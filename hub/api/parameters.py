"""GET /parameters."""

from flask import Response

from hub.api.common import ok, page_request
from hub.api.deps import session_scope
from hub.reference import reads


def search(page: int = 1, limit: int = 100, medium: str | None = None) -> Response:
    with session_scope() as s:
        return ok(reads.list_parameters(s, page_request(page, limit), medium))
