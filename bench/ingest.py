"""Ingest end to end over HTTP, re-push, and the COPY baseline."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import orjson
import psycopg
from sqlalchemy.engine import make_url

SITES = [
    "YJ-AIR-C01",
    "YJ-AIR-C02",
    "YJ-AIR-C03",
    "YJ-AIR-C04",
    "YJ-AIR-K01",
    "YJ-AIR-K02",
    "YJ-AIR-K03",
    "YJ-AIR-K04",
    "YJ-AIR-K05",
]
PARAMS = ["a34004", "a34002", "a21026", "a21004", "a21005", "a05024"]
T0 = datetime(2020, 1, 1, tzinfo=UTC)
BATCH = 1000


def observation(g: int) -> dict[str, Any]:
    """The g-th distinct (site, parameter, hour) of the bench."""
    site, rest = SITES[g % len(SITES)], g // len(SITES)
    param, hour = PARAMS[rest % len(PARAMS)], rest // len(PARAMS)
    t = (T0 + timedelta(hours=hour)).astimezone()
    return {
        "site": site,
        "parameter": param,
        "time": t.isoformat(),
        "period": "PT1H",
        "value": round(10 + (g * 7919) % 900 / 10, 1),
        "unit": "mg/m3" if param == "a21005" else "ug/m3",
    }


def bodies(first: int, count: int) -> list[bytes]:
    return [
        orjson.dumps({"observations": [observation(first + b * BATCH + i) for i in range(BATCH)]})
        for b in range(count)
    ]


def push_all(base: str, tok: str, per_pusher: list[list[bytes]], key_prefix: str) -> dict[str, Any]:
    """Each pusher sends its batches in sequence; all pushers at once."""
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()

    def run(p: int, batches: list[bytes]) -> None:
        with httpx.Client(timeout=120) as http:
            for b, body in enumerate(batches):
                t = time.perf_counter()
                r = http.post(
                    f"{base}/api/v1/departments/environment/observations",
                    content=body,
                    headers={
                        "Authorization": f"Bearer {tok}",
                        "Content-Type": "application/json",
                        "Idempotency-Key": f"{key_prefix}-{p}-{b}",
                    },
                )
                dt = time.perf_counter() - t
                with lock:
                    latencies.append(dt)
                    statuses[r.status_code] = statuses.get(r.status_code, 0) + 1

    threads = [threading.Thread(target=run, args=(p, bs)) for p, bs in enumerate(per_pusher)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - start
    n = sum(len(bs) for bs in per_pusher) * BATCH
    return {
        "observations": n,
        "seconds": round(wall, 2),
        "obs_per_s": round(n / wall),
        "statuses": statuses,
        "latencies": latencies,
    }


def copy_baseline(url: str, first: int, n: int) -> dict[str, Any]:
    """COPY … FROM STDIN (FORMAT binary) of n comparable rows in one transaction."""
    dsn = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(dsn) as conn:
        site_ids = dict(conn.execute("SELECT code, id FROM sites").fetchall())
        conn.execute(
            "INSERT INTO submissions (id, received_at, channel, payload_hash, accepted, "
            "rejected) VALUES ('copy-baseline', now(), 'bench', '', 0, 0)"
        )
        rows = []
        for g in range(first, first + n):
            o = observation(g)
            rows.append(
                (
                    site_ids[o["site"]],
                    o["parameter"],
                    datetime.fromisoformat(o["time"]),
                    "PT1H",
                    o["value"],
                    "N",
                    1,
                    True,
                    "copy-baseline",
                    "passed",
                )
            )
        start = time.perf_counter()
        with (
            conn.cursor() as cur,
            cur.copy(
                "COPY observations (site_id, parameter_code, period_start, period, value, flag, "
                "revision, is_current, submission_id, qc_status) FROM STDIN (FORMAT BINARY)"
            ) as copy,
        ):
            copy.set_types(
                [
                    "int4",
                    "varchar",
                    "timestamptz",
                    "varchar",
                    "float8",
                    "varchar",
                    "int4",
                    "bool",
                    "varchar",
                    "varchar",
                ]
            )
            for row in rows:
                copy.write_row(row)
        conn.commit()
        wall = time.perf_counter() - start
        conn.execute("DELETE FROM observations WHERE submission_id = 'copy-baseline'")
        conn.execute("DELETE FROM submissions WHERE id = 'copy-baseline'")
        conn.commit()
    return {"rows": n, "seconds": round(wall, 2), "rows_per_s": round(n / wall)}
