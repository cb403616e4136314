"""GET /feeds/observations: the provincial platform's incremental feed."""

from __future__ import annotations

import orjson
from flask import Response, request

from hub.api.deps import hub
from hub.feed.longpoll import COUNT_HEADER
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
    # ``wait`` is served by hub.feed.longpoll around this handler, on the event loop:
    # a handler here answers at once and never holds a request thread.
    with ctx.sessions() as session:
        rows, nxt = read_feed(session, cursor, limit, flt)
    ctx.metrics.feed_items.labels("observations").inc(len(rows))
    items = [feed_item(r) for r in rows]
    headers = {"Feed-Next-Cursor": nxt.encode(), COUNT_HEADER: str(len(items))}
    if NDJSON in (request.headers.get("Accept") or ""):
        body = b"".join(orjson.dumps(i) + b"\n" for i in items)
        return Response(body, 200, headers=headers, mimetype=NDJSON)
    doc = {"items": items, "next": nxt.encode(), "count": len(items)}
    return Response(orjson.dumps(doc), 200, headers=headers, mimetype="application/json")
