"""GET /feeds/alarms: every alarm event once, in commit order (like /feeds/observations)."""

from __future__ import annotations

import time

import orjson
from flask import Response, request

from hub.alarms.feed import decode_cursor, encode_cursor, read_alarm_feed
from hub.api.deps import hub

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
    deadline = time.monotonic() + min(float(wait), 30.0)
    runtime = ctx.alarms
    while True:
        with ctx.sessions() as session:
            items, nxt = read_alarm_feed(session, cursor, limit, kind, county)
        remaining = deadline - time.monotonic()
        if items or remaining <= 0:
            break
        # Woken early when this process writes alarm events; events written by other
        # processes are seen on the next poll (at most 1 s later).
        if runtime is not None:
            runtime.notifier.wait(min(1.0, remaining))
        else:
            time.sleep(min(1.0, remaining))
    headers = {"Feed-Next-Cursor": encode_cursor(nxt)}
    if NDJSON in (request.headers.get("Accept") or ""):
        body = b"".join(orjson.dumps(i) + b"\n" for i in items)
        return Response(body, 200, headers=headers, mimetype=NDJSON)
    doc = {"items": items, "next": encode_cursor(nxt), "count": len(items)}
    return Response(orjson.dumps(doc), 200, headers=headers, mimetype="application/json")
