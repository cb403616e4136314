"""Count ingested observations and submissions on /metrics (after commit)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hub.app import HubContext
    from hub.ingest.pipeline import IngestOutcome


def init_app(app: Any, ctx: HubContext) -> None:
    metrics = ctx.metrics

    def count(outcome: IngestOutcome) -> None:
        r = outcome.receipt
        dept, channel = str(r.get("department", "")), str(r.get("channel", "rest"))
        metrics.submissions.labels(dept, channel, str(outcome.status)).inc()
        for key in ("stored", "unchanged", "rejected"):
            if r.get(key):
                metrics.ingested.labels(dept, channel, key).inc(float(r[key]))

    ctx.ingest_hooks.after_commit.append(count)
