"""Render bench results as docs/benchmarks.md: each figure, its baseline and its target."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def _ok(passed: bool | None) -> str:
    return "—" if passed is None else ("met" if passed else "**missed**")


def write_report(r: dict[str, Any], path: Path) -> None:
    m = r["machine"]
    ing = r.get("ingest", {})
    copy = ing.get("copy_baseline", {}).get("rows_per_s") or 0
    lines = [
        "# Benchmarks",
        "",
        f"Run {m['when']} on {m['cpus']} × {m['cpu']}, {m['mem_gib']} GiB, Python "
        f"{m['python']}, {m['postgres_client']}; hub served by `ecohub serve --workers 2` on "
        f"PostgreSQL 127.0.0.1. {'Quick run.' if r.get('quick') else ''} Produced by "
        "`make bench` (`bench/run.py`); raw figures in `bench/results/`.",
        "",
        "## Ingest (1,000-observation batches over HTTP, real tokens, full pipeline)",
        "",
        "| run | obs/s | × COPY | p50 ms | p99 ms | target | |",
        "|---|---|---|---|---|---|---|",
    ]
    for key in ("pushers_1", "pushers_4", "pushers_16", "repush_4"):
        x = ing.get(key)
        if not x:
            continue
        ratio = x["obs_per_s"] / copy if copy else 0
        if key == "pushers_4":
            target, passed = "≥ 0.25 × COPY, p99 < 150 ms", ratio >= 0.25 and x["p99_ms"] < 150
        elif key == "repush_4":
            target, passed = "≥ 0.2 × COPY", ratio >= 0.2
        else:
            target, passed = "", None
        lines.append(
            f"| {key.replace('_', ' ')} | {x['obs_per_s']:,} | {ratio:.2f} | "
            f"{x.get('p50_ms', '')} | {x.get('p99_ms', '')} | {target} | "
            f"{_ok(passed)} |"
        )
    lines += [
        "",
        f"Baseline: `COPY … FROM STDIN (FORMAT binary)` of the same rows in one "
        f"transaction: **{copy:,} rows/s**.",
        "",
    ]
    feed = r.get("feed", {})
    http = feed.get("http_during_ingest", {})
    sql = feed.get("sql_only", {})
    if http:
        lines += [
            "## Feed (pages of 1,000 while 4 pushers ingest)",
            "",
            "| read | pages/s | p50 ms | p99 ms | target | |",
            "|---|---|---|---|---|---|",
            f"| HTTP `/feeds/observations` | {http.get('full_pages_per_s')} | "
            f"{http.get('p50_ms')} | {http.get('p99_ms')} | ≥ 200 pages/s | "
            f"{_ok(http.get('full_pages_per_s', 0) >= 200)} |",
            f"| SQL only (baseline) | {sql.get('pages_per_s')} | {sql.get('p50_ms')} | "
            f"{sql.get('p99_ms')} | | |",
            "",
        ]
    for rows, q in (r.get("queries") or {}).items():
        lines += [
            f"## Queries at {int(rows):,} stored observations",
            "",
            "| query | clients | req/s | p50 ms | p99 ms | target | |",
            "|---|---|---|---|---|---|---|",
        ]
        for name, by in q.items():
            if not isinstance(by, dict):
                continue
            for c, x in by.items():
                passed = x["p99_ms"] < 50 if int(rows) >= 10_000_000 else None
                lines.append(
                    f"| {name.replace('_', ' ')} | {c.split('_')[1]} | "
                    f"{x['req_per_s']} | {x['p50_ms']} | {x['p99_ms']} | "
                    f"{'p99 < 50 ms' if passed is not None else ''} | {_ok(passed)} |"
                )
        lines.append("")
    mem = r.get("memory_peak_rss_mb", {})
    if mem:
        lines += ["## Memory", "", "| process | peak RSS MB | target | |", "|---|---|---|---|"]
        for pid, mb in mem.items():
            lines.append(f"| {pid} | {mb} | < 300 MB | {_ok(mb < 300)} |")
        lines.append("")
    hj = r.get("hj212", {})
    lines += ["## HJ 212", "", "```", str(hj), "```", ""]
    notes = path.parent / "benchmarks-notes.md"
    if notes.exists():
        lines += [notes.read_text(encoding="utf-8")]
    path.write_text("\n".join(lines), encoding="utf-8")
