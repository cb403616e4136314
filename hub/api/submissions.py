"""GET /submissions/{id}: a department reads back its own submissions."""

from flask import Response

from hub.api.common import ok
from hub.api.deps import session_scope, token_info
from hub.ingest.submissions import get_submission


def get(id_: str) -> Response:
    info = token_info()
    with session_scope() as s:
        return ok(get_submission(s, id_, info.get("department"), "admin" in info.get("scope", [])))
