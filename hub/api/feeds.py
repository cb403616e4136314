"""GET /feeds/observations: the provincial platform's incremental feed."""

from __future__ import annotations

import time

import orjson
from flask import Response, request

from hub.api.deps import hub
from hub.feed.observations import Cursor, FeedFilter, read_feed
from hub.feed.render import feed_item

NDJSON = "application/x-ndjson"


def observations(
    after: str | None = None,
    limit: int = 1000,
    wait: float = 0,
    department: str | None = None,
    network: str | None = None,
    county: str | None = None,
) -> Response:
    ctx = hub()
    cursor = Cursor.decode(after)
    flt = FeedFilter(department, network, county)
    deadline = time.monotonic() + min(float(wait), 30.0)
    notifier = ctx.feed_notifier
    while True:
        with ctx.sessions() as session:
            rows, nxt = read_feed(session, cursor, limit, flt)
        remaining = deadline - time.monotonic()
        if rows or remaining <= 0:
            break
        # Woken early by an ingest in this process; other workers' commits are seen on
        # the next poll (at most 1 s later).
        if notifier is not None:
            notifier.wait(min(1.0, remaining))
        else:
            time.sleep(min(1.0, remaining))
    ctx.metrics.feed_items.labels("observations").inc(len(rows))
    items = [feed_item(r) for r in rows]
    headers = {"Feed-Next-Cursor": nxt.encode()}
    if NDJSON in (request.headers.get("Accept") or ""):
        body = b"".join(orjson.dumps(i) + b"\n" for i in items)
        return Response(body, 200, headers=headers, mimetype=NDJSON)
    doc = {"items": items, "next": nxt.encode(), "count": len(items)}
    return Response(orjson.dumps(doc), 200, headers=headers, mimetype="application/json")
