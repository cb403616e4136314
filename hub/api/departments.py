"""GET /departments."""

from flask import Response

from hub.api.common import ok, page_request
from hub.api.deps import session_scope
from hub.reference import reads


def search(page: int = 1, limit: int = 100) -> Response:
    with session_scope() as s:
        return ok(reads.list_departments(s, page_request(page, limit)))


def record_schema(department: str) -> Response:
    from connectors.describe import describe
    from connectors.registry import get_connector
    from hub.errors import NotFound

    connector = get_connector(department)
    if connector is None:
        raise NotFound(f"no connector for department '{department}'")
    return ok(describe(connector))
