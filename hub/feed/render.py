"""The feed's JSON shape: one renderer for the public feed and for upstream forwarding.

The HTTP handler and the forwarder both render a ``FeedRow`` here, so the upstream hub is
sent exactly what ``GET /feeds/observations`` shows.
"""

from __future__ import annotations

import base64
from functools import lru_cache
from typing import Any

from hub.feed.observations import FeedRow
from hub.timeutil import iso_utc

# A page repeats the same few hours across sites and parameters: format each once.
_iso = lru_cache(maxsize=4096)(iso_utc)


def feed_item(row: FeedRow) -> dict[str, Any]:
    """One feed item as JSON-ready data (the cursor encoded as ``Cursor.encode`` does)."""
    # Inlined Cursor(seq, id).encode(): a page renders 1,000 of these.
    raw = f"o1.{row.seq}.{row.id}".encode()
    return {
        "cursor": base64.urlsafe_b64encode(raw).decode().rstrip("="),
        "site": row.site,
        "parameter": row.parameter,
        "time": _iso(row.time),
        "period": row.period,
        "value": row.value,
        "unit": row.unit,
        "flag": row.flag,
        "qc": {"status": row.qc_status, "flags": row.qc_flags or []},
        "revision": row.revision,
        "submission": row.submission,
        "department": row.department,
        "network": row.network,
        "county": row.county,
    }
