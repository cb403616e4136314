"""Shared bench plumbing: a scratch database, a served hub, tokens, process memory."""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from hub.auth.clients import create_client
from hub.db import migrate
from hub.db.engine import make_engine, make_session_factory
from hub.reference.load import load_reference
from tests.support import postgres

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def bench_database() -> Iterator[str]:
    """A migrated PostgreSQL database with the reference network, dropped afterwards."""
    with postgres.server_url() as admin, postgres.scratch_database(admin, "hub_bench") as url:
        engine = make_engine(url)
        migrate.upgrade(engine)
        with make_session_factory(engine).begin() as s:
            load_reference(s)
        engine.dispose()
        yield url


def make_client(url: str, department: str | None, *scopes: str) -> dict[str, Any]:
    engine = make_engine(url)
    with make_session_factory(engine).begin() as s:
        creds = create_client(s, "bench", department, list(scopes))
    engine.dispose()
    return creds


@contextmanager
def served_hub(
    url: str, workers: int, instance: Path
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """``ecohub serve --workers N`` on a free port, as in production."""
    port = free_port()
    env = {
        **os.environ,
        "HUB_DATABASE_URL": url,
        "HUB_INSTANCE_PATH": str(instance),
        "HUB_LOG_LEVEL": "WARNING",
        "HUB_DB_POOL_SIZE": "8",
    }
    log = open(instance / "serve.log", "wb")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [BIN / "ecohub", "serve", "--port", str(port), "--workers", str(workers)],
        env=env,
        stdout=log,
        stderr=log,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(f"{base}/api/v1/health").status_code == 200:
                break
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError("hub did not start; see " + str(instance / "serve.log"))
        time.sleep(0.2)
    try:
        yield base, proc
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()


def token(base: str, creds: dict[str, Any]) -> str:
    r = httpx.post(
        f"{base}/oauth/token",
        data={"grant_type": "client_credentials"},
        auth=(creds["client_id"], creds["client_secret"]),
    )
    r.raise_for_status()
    return str(r.json()["access_token"])


def worker_pids(proc: subprocess.Popen[bytes]) -> list[int]:
    """The server's process and its children (uvicorn workers)."""
    out = subprocess.run(
        ["ps", "-o", "pid=", "--ppid", str(proc.pid)], check=False, capture_output=True, text=True
    ).stdout
    return [proc.pid] + [int(p) for p in out.split()]


def peak_rss_mb(pid: int) -> float:
    """Peak resident memory (VmHWM) of a process, MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def percentile(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    k = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def summary(latencies: list[float]) -> dict[str, float]:
    return {
        "p50_ms": round(percentile(latencies, 50) * 1000, 1),
        "p99_ms": round(percentile(latencies, 99) * 1000, 1),
        "mean_ms": round(statistics.fmean(latencies) * 1000, 1) if latencies else 0.0,
    }
