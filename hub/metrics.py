"""Prometheus metrics and the ASGI middleware that records every request.

The middleware sits outside connexion's exception handling so that 4xx and 5xx
responses produced by validation or security are counted like any other. Routes are
labelled by operationId (a bounded set), never by raw path.
"""

from __future__ import annotations

import logging
import os
import time
from typing import TYPE_CHECKING, Any

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.multiprocess import MultiProcessCollector

if TYPE_CHECKING:
    # Types only: the HJ 212 receiver counts ingests here and must not import the web stack.
    from starlette.types import ASGIApp, Message, Receive, Scope, Send

    from hub.ingest.pipeline import IngestOutcome

access_log = logging.getLogger("hub.access")


class HubMetrics:
    """The hub's metric families, in a registry of their own (one per app instance)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "hub_http_requests_total",
            "HTTP requests",
            ["route", "method", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "hub_http_request_duration_seconds",
            "HTTP request latency",
            ["route", "method"],
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
            registry=self.registry,
        )

        self.ingested = Counter(
            "hub_ingest_observations_total", "Observations by outcome",
            ["department", "channel", "outcome"], registry=self.registry,
        )
        self.submissions = Counter(
            "hub_ingest_submissions_total", "Submissions by HTTP-style status",
            ["department", "channel", "status"], registry=self.registry,
        )
        self.feed_items = Counter(
            "hub_feed_items_total", "Items served by the feeds", ["feed"],
            registry=self.registry,
        )

    def count_ingest(self, outcome: IngestOutcome) -> None:
        """After-commit listener: count the submission and its observations by outcome."""
        r = outcome.receipt
        dept, channel = str(r.get("department", "")), str(r.get("channel", "rest"))
        self.submissions.labels(dept, channel, str(outcome.status)).inc()
        for key in ("stored", "unchanged", "rejected"):
            if r.get(key):
                self.ingested.labels(dept, channel, key).inc(float(r[key]))

    def render(self) -> bytes:
        # With several worker processes (ecohub serve --workers N) each process writes its
        # samples to PROMETHEUS_MULTIPROC_DIR; any worker can then report them all.
        if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
            registry = CollectorRegistry()
            MultiProcessCollector(registry)
            return generate_latest(registry)
        return generate_latest(self.registry)


_HOLDER = "hub.route"


def _route(scope: Scope) -> str:
    op = scope.get(_HOLDER, {}).get("operation_id")
    if op:
        return str(op)
    path = str(scope.get("path", ""))
    if path.startswith("/api/v1/ui") or path.startswith("/ui"):
        return "swagger-ui"
    if path in {"/oauth/token", "/oauth/revoke", "/oauth/introspect"}:
        return path
    return "unmatched"


class MetricsMiddleware:
    """Count and time each HTTP request; write one access-log line."""

    def __init__(self, app: ASGIApp, metrics: HubMetrics | None = None) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self.metrics is None:
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = {"code": 500}
        # Inner middleware may copy the scope; a shared holder survives the copy.
        scope[_HOLDER] = {}

        async def send_wrapper(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_wrapper)
        finally:
            elapsed = time.perf_counter() - start
            route, method = _route(scope), scope.get("method", "")
            self.metrics.requests.labels(route, method, str(status["code"])).inc()
            self.metrics.latency.labels(route, method).observe(elapsed)
            extra: dict[str, Any] = {
                "method": method,
                "path": scope.get("path"),
                "route": route,
                "status": status["code"],
                "ms": round(elapsed * 1000, 2),
            }
            access_log.info("request", extra=extra)


class RouteLabelMiddleware:
    """Placed after connexion's routing: tells MetricsMiddleware which operation ran."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        holder = scope.get(_HOLDER)
        if holder is not None:
            routing = scope.get("extensions", {}).get("connexion_routing", {})
            holder["operation_id"] = routing.get("operation_id")
        await self.app(scope, receive, send)
