"""GET /feeds/alarms: every alarm event once, in commit order (like /feeds/observations)."""

from __future__ import annotations

import orjson
from flask import Response, request

from hub.alarms.feed import decode_cursor, encode_cursor, read_alarm_feed
from hub.api.deps import hub
from hub.feed.longpoll import COUNT_HEADER

NDJSON = "application/x-ndjson"


def events(
    after: str | None = None,
    limit: int = 1000,
    wait: float = 0,
    kind: str | None = None,
    county: str | None = None,
) -> Response:
    ctx = hub()
    cursor = decode_cursor(after)
    # ``wait`` is served by hub.feed.longpoll around this handler (see hub/api/feeds.py).
    with ctx.sessions() as session:
        items, nxt = read_alarm_feed(session, cursor, limit, kind, county)
    headers = {"Feed-Next-Cursor": encode_cursor(nxt), COUNT_HEADER: str(len(items))}
    if NDJSON in (request.headers.get("Accept") or ""):
        body = b"".join(orjson.dumps(i) + b"\n" for i in items)
        return Response(body, 200, headers=headers, mimetype=NDJSON)
    doc = {"items": items, "next": encode_cursor(nxt), "count": len(items)}
    return Response(orjson.dumps(doc), 200, headers=headers, mimetype="application/json")
