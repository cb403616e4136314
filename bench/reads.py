"""Feed and query benchmarks."""

from __future__ import annotations

import random
import threading
import time
from typing import Any

import httpx

from bench.common import summary
from hub.db.engine import make_engine, make_session_factory
from hub.feed.observations import Cursor, FeedFilter, read_feed


def feed_http(base: str, tok: str, stop: threading.Event, out: dict[str, Any]) -> None:
    """Read full pages of 1,000 from the start until ``stop``; count pages/s."""
    cursor, pages, items, lat = "", 0, 0, []
    start = time.perf_counter()
    with httpx.Client(timeout=60) as http:
        while not stop.is_set():
            t = time.perf_counter()
            r = http.get(
                f"{base}/api/v1/feeds/observations",
                params={"after": cursor, "limit": 1000},
                headers={"Authorization": f"Bearer {tok}"},
            )
            body = r.json()
            if body["count"]:
                lat.append(time.perf_counter() - t)
                pages += body["count"] == 1000
                items += body["count"]
                cursor = body["next"]
            else:
                time.sleep(0.05)
    wall = time.perf_counter() - start
    out.update(
        {
            "pages": pages,
            "items": items,
            "seconds": round(wall, 2),
            "full_pages_per_s": round(pages / wall, 1),
            **summary(lat),
        }
    )


def feed_sql(url: str, pages: int) -> dict[str, Any]:
    """The same pages read with the feed query alone (no HTTP, no JSON)."""
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    cursor, done, lat = Cursor(), 0, []
    start = time.perf_counter()
    while done < pages:
        t = time.perf_counter()
        with sessions() as s:
            items, cursor = read_feed(s, cursor, 1000, FeedFilter())
        lat.append(time.perf_counter() - t)
        if len(items) < 1000:
            break
        done += 1
    wall = time.perf_counter() - start
    engine.dispose()
    return {"pages": done, "pages_per_s": round(done / wall, 1), **summary(lat)}


def query_load(
    base: str, tok: str, make_request: Any, clients: int, seconds: float
) -> dict[str, Any]:
    """``clients`` threads issuing requests for ``seconds``; requests/s and latency."""
    lat: list[float] = []
    errors = 0
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def run(seed: int) -> None:
        nonlocal errors
        rnd = random.Random(seed)
        with httpx.Client(timeout=60) as http:
            while time.perf_counter() < stop:
                path, params = make_request(rnd)
                t = time.perf_counter()
                r = http.get(
                    f"{base}{path}", params=params, headers={"Authorization": f"Bearer {tok}"}
                )
                dt = time.perf_counter() - t
                with lock:
                    lat.append(dt)
                    errors += r.status_code >= 400

    threads = [threading.Thread(target=run, args=(i,)) for i in range(clients)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - start
    return {
        "clients": clients,
        "requests": len(lat),
        "errors": errors,
        "req_per_s": round(len(lat) / wall, 1),
        **summary(lat),
    }
