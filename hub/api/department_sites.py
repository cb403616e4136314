"""POST /departments/{department}/sites: a department registers its own sites."""

from flask import Response, request

from hub.api.common import ok
from hub.api.deps import hub, require_department, session_scope
from hub.ingest.parsing import parse_batch
from hub.reference.sites import register_sites


def register(department: str) -> Response:
    require_department(department)
    items = parse_batch(
        request.get_data(cache=False),
        request.content_type or "",
        "sites",
        hub().settings.max_push_observations,
    )
    with session_scope() as s:
        result = register_sites(s, department, items)
    accepted = len(result["created"]) + len(result["updated"]) + len(result["unchanged"])
    status = 422 if accepted == 0 else (207 if result["errors"] else 200)
    return ok(result, status)
