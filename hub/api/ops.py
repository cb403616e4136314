"""GET /metrics (Prometheus text format)."""

from flask import Response
from prometheus_client import CONTENT_TYPE_LATEST

from hub.api.deps import hub


def metrics() -> Response:
    return Response(hub().metrics.render(), status=200, content_type=CONTENT_TYPE_LATEST)
