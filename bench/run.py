"""``make bench``: every figure beside its baseline and target; JSON + docs/benchmarks.md.

Figures (issue 8): ingest end to end at 1, 4, 16 pushers vs COPY binary; re-push of the
same batches; feed pages/s during ingest vs the SQL-only cost; queries at 1 M and 10 M
stored observations; HJ 212 packets/s (when the receiver is available); worker peak RSS.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg
from sqlalchemy.engine import make_url

from bench import ingest as ing
from bench import reads
from bench.common import (
    bench_database,
    make_client,
    peak_rss_mb,
    served_hub,
    summary,
    token,
    worker_pids,
)

ROOT = Path(__file__).resolve().parent.parent
WORKERS = 2


def machine() -> dict[str, Any]:
    mem = Path("/proc/meminfo").read_text().split("\n")[0].split()[1]
    cpu = next(
        (
            ln.split(":", 1)[1].strip()
            for ln in Path("/proc/cpuinfo").read_text().splitlines()
            if ln.startswith("model name")
        ),
        platform.processor(),
    )
    pg = subprocess.run(
        ["psql", "--version"], check=False, capture_output=True, text=True
    ).stdout.strip()
    return {
        "cpus": os.cpu_count(),
        "cpu": cpu,
        "mem_gib": round(int(mem) / 1024**2, 1),
        "python": platform.python_version(),
        "postgres_client": pg,
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def bulk_load(url: str, total: int) -> float:
    """Top the observations table up to ``total`` rows of hourly series; seconds taken."""
    dsn = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(dsn) as conn:
        have = conn.execute("SELECT count(*) FROM observations").fetchone()[0]  # type: ignore[index]
        need = total - have
        if need <= 0:
            return 0.0
        conn.execute(
            "INSERT INTO submissions (id, received_at, channel, payload_hash, "
            "accepted, rejected) VALUES ('bulk-' || left(md5(random()::text), 20), now(), "
            "'bench', '', 0, 0)"
        )
        sub = conn.execute(
            "SELECT id FROM submissions WHERE id LIKE 'bulk-%' ORDER BY received_at DESC LIMIT 1"
        ).fetchone()[0]  # type: ignore[index]
        series = 54
        hours = need // series + 1
        start = time.perf_counter()
        # Different years from the ingest bench so keys never collide.
        conn.execute(
            "INSERT INTO observations (site_id, parameter_code, period_start, period, value, "
            "flag, revision, is_current, submission_id, qc_status) "
            "SELECT s.id, p.code, timestamptz '1990-01-01' + (%(off)s + h) * interval '1 hour', "
            "'PT1H', round((random() * 120)::numeric, 1), 'N', 1, true, %(sub)s, 'passed' "
            "FROM generate_series(0, %(hours)s - 1) h "
            "CROSS JOIN (SELECT id FROM sites WHERE network_code IN ('air-city', 'air-county') "
            "AND status = 'active') s "
            "CROSS JOIN (SELECT unnest(%(params)s::text[]) AS code) p",
            {"off": have // series + 10, "hours": hours, "sub": sub, "params": ing.PARAMS},
        )
        conn.execute("ANALYZE observations")
        conn.commit()
        return time.perf_counter() - start


def bench_ingest(url: str, base: str, tok: str, quick: bool) -> dict[str, Any]:
    out: dict[str, Any] = {}
    per = {1: 10, 4: 6, 16: 2} if quick else {1: 30, 4: 15, 16: 4}
    first = 0
    for pushers, count in per.items():
        groups = [ing.bodies(first + p * count * ing.BATCH, count) for p in range(pushers)]
        first += pushers * count * ing.BATCH
        res = ing.push_all(base, tok, groups, f"bench-{pushers}")
        lat = res.pop("latencies")
        out[f"pushers_{pushers}"] = {**res, **summary(lat)}
        if pushers == 4:
            again = ing.push_all(base, tok, groups, "bench-4")
            again.pop("latencies")
            out["repush_4"] = again
            out["copy_baseline"] = ing.copy_baseline(url, 10**9, res["observations"])
    return out


def bench_feed(url: str, base: str, tok: str, quick: bool) -> dict[str, Any]:
    stop, http_res = threading.Event(), {}
    reader = threading.Thread(target=reads.feed_http, args=(base, tok, stop, http_res))
    reader.start()
    count = 4 if quick else 10
    groups = [ing.bodies(2 * 10**8 + p * count * ing.BATCH, count) for p in range(4)]
    ing.push_all(base, tok, groups, "feed")
    time.sleep(1)
    stop.set()
    reader.join()
    return {"http_during_ingest": http_res, "sql_only": reads.feed_sql(url, 200)}


def bench_queries(base: str, tok: str, quick: bool) -> dict[str, Any]:
    def day_query(rnd: Any) -> tuple[str, dict[str, str]]:
        day = datetime(1990, 1, 1, tzinfo=UTC) + timedelta(days=rnd.randrange(0, 3000))
        return "/api/v1/observations", {
            "site": rnd.choice(ing.SITES),
            "parameter": rnd.choice(ing.PARAMS),
            "from": day.isoformat(),
            "to": (day + timedelta(days=1)).isoformat(),
            "limit": "100",
        }

    def month_query(rnd: Any) -> tuple[str, dict[str, str]]:
        day = datetime(1990, 1, 1, tzinfo=UTC) + timedelta(days=30 * rnd.randrange(0, 100))
        return "/api/v1/observations", {
            "site": rnd.choice(ing.SITES),
            "parameter": rnd.choice(ing.PARAMS),
            "from": day.isoformat(),
            "to": (day + timedelta(days=30)).isoformat(),
            "limit": "1000",
        }

    def latest(_rnd: Any) -> tuple[str, dict[str, str]]:
        return "/api/v1/air/aqi/latest", {}

    secs = 4 if quick else 10
    out: dict[str, Any] = {}
    for name, fn in (
        ("site_parameter_day", day_query),
        ("site_parameter_month", month_query),
        ("aqi_latest_all_stations", latest),
    ):
        out[name] = {f"clients_{c}": reads.query_load(base, tok, fn, c, secs) for c in (1, 10)}
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="Smaller runs (a smoke check).")
    ap.add_argument("--rows", default="1000000,10000000", help="Stored rows for queries.")
    args = ap.parse_args()
    results: dict[str, Any] = {"machine": machine(), "quick": args.quick}
    with bench_database() as url, tempfile.TemporaryDirectory() as tmp:
        push = make_client(url, "environment", "observations:write")
        reader = make_client(url, None, "feed:read", "observations:read")
        with served_hub(url, WORKERS, Path(tmp)) as (base, proc):
            ptok, rtok = token(base, push), token(base, reader)
            results["ingest"] = bench_ingest(url, base, ptok, args.quick)
            print(json.dumps(results["ingest"], indent=1))
            results["feed"] = bench_feed(url, base, rtok, args.quick)
            print(json.dumps(results["feed"], indent=1))
            results["queries"] = {}
            for rows in [int(r) for r in args.rows.split(",")]:
                loaded = bulk_load(url, rows)
                results["queries"][str(rows)] = {
                    "load_s": round(loaded, 1),
                    **bench_queries(base, rtok, args.quick),
                }
                print(json.dumps(results["queries"][str(rows)], indent=1))
            results["memory_peak_rss_mb"] = {
                str(pid): round(peak_rss_mb(pid), 1) for pid in worker_pids(proc)
            }
        try:
            from bench.hj212 import bench_hj212
        except ImportError:
            results["hj212"] = {"skipped": "receiver bench not available"}
        else:
            results["hj212"] = bench_hj212(url, Path(tmp))
    out_dir = ROOT / "bench" / "results"
    out_dir.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    (out_dir / f"{stamp}.json").write_text(json.dumps(results, indent=2))
    from bench.report import write_report

    write_report(results, ROOT / "docs" / "benchmarks.md")
    print(f"results: bench/results/{stamp}.json, docs/benchmarks.md")


if __name__ == "__main__":
    main()
