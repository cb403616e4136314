"""GET /health: is the hub up, and can it reach its database?"""

from flask import Response

from hub.api.common import ok
from hub.api.deps import hub
from hub.health import check_health


def get() -> Response:
    report = check_health(hub().engine)
    return ok(report, 200 if report["status"] == "ok" else 503)
