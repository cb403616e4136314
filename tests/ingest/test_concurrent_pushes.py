"""Concurrent pushes never answer 5xx: overlapping batches are retried to the outcome a
sequential run gives, and one Idempotency-Key stores one submission however many requests
carry it at the same moment.

Each thread has its own client through the real ASGI app. A gate in the QC stage holds the
first attempt of every request until all of them have read the stored series, so the
requests really do race to insert the same keys (without it, two cores and luck decide).
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from hub.db.records import Observation, Submission
from hub.observations.audit import verify_chain
from hub.observations.store import NormalRecord

pytestmark = pytest.mark.postgres
URL = "/api/v1/departments/environment/observations"
# Bounds only keep a broken run from hanging; nothing here is timed.
GATE_TIMEOUT = 20.0


def obs(hour: int, value: float, parameter: str = "a34004") -> dict[str, Any]:
    return {
        "site": "YJ-AIR-C01",
        "parameter": parameter,
        "time": f"2026-11-01T{hour:02d}:00:00+08:00",
        "value": value,
    }


class Gate:
    """A QC stage wrapper: the first ``parties`` calls wait for each other, later calls
    (the retries) pass straight through."""

    def __init__(self, qc: Callable[..., Any], parties: int) -> None:
        self._qc = qc
        self._barrier = threading.Barrier(parties, timeout=GATE_TIMEOUT)
        self._lock = threading.Lock()
        self._left = parties

    def __call__(self, session: Session, records: Sequence[NormalRecord], now: datetime) -> Any:
        out = self._qc(session, records, now)
        with self._lock:
            first = self._left > 0
            self._left -= 1
        if first:
            # Broken: a request never reached QC; the assertions will say which.
            with contextlib.suppress(threading.BrokenBarrierError):
                self._barrier.wait()
        return out


@pytest.fixture
def env(auth):
    return auth("environment", "observations:write", "observations:read")


def _gate(app: Any, parties: int) -> None:
    ctx = app.app.extensions["hub"]
    ctx.ingest = replace(ctx.ingest, qc=Gate(ctx.ingest.qc, parties))


def _push_in_parallel(app: Any, requests: list[tuple[dict, dict]]) -> list[Any]:
    def one(body: dict, headers: dict) -> Any:
        with app.test_client() as c:
            return c.post(URL, json=body, headers=headers)

    with ThreadPoolExecutor(len(requests)) as pool:
        futures = [pool.submit(one, b, h) for b, h in requests]
        return [f.result(timeout=120) for f in futures]


def _chain_ok(db: sessionmaker[Session]) -> None:
    with db() as s:
        report = verify_chain(s)
    assert report.ok, report.as_dict()


def test_parallel_pushes_with_one_idempotency_key_store_once(app, env, db) -> None:
    n = 8
    _gate(app, n)
    body = {"observations": [obs(h, 30.0 + h) for h in range(8)]}
    headers = {**env, "Idempotency-Key": "same-batch-8"}
    responses = _push_in_parallel(app, [(body, headers)] * n)

    assert [r.status_code for r in responses] == [201] * n, [r.text for r in responses]
    receipts = [r.json() for r in responses]
    assert all(rc == receipts[0] for rc in receipts)
    assert sum(r.headers.get("Idempotent-Replayed") == "true" for r in responses) == n - 1
    with db() as s:
        assert s.scalar(select(func.count()).select_from(Submission)) == 1
        assert s.scalar(select(func.count()).select_from(Observation)) == 8
    _chain_ok(db)


def test_parallel_overlapping_pushes_end_as_a_sequential_run_would(app, env, db) -> None:
    n = 6
    _gate(app, n)
    # Every push: the same 8 hours with the same values (unchanged after the first), its own
    # hour (new), and one shared key whose value differs per push (a revision each time).
    bodies = [
        {
            "observations": [
                *[obs(h, 30.0 + h) for h in range(8)],
                obs(10 + i, 50.0 + i),
                obs(23, 100.0 + i, parameter="a21005"),
            ]
        }
        for i in range(n)
    ]
    responses = _push_in_parallel(app, [(b, env) for b in bodies])

    assert [r.status_code for r in responses] == [201] * n, [r.text for r in responses]
    receipts = [r.json() for r in responses]
    assert sorted(r["unchanged"] for r in receipts) == [0] + [8] * (n - 1)
    assert sum(r["revised"] for r in receipts) == n - 1
    with db() as s:
        rows = s.execute(
            select(Observation.parameter_code, Observation.period_start, Observation.revision)
        ).all()
        current = (
            s.execute(
                select(Observation.value).where(
                    Observation.parameter_code == "a21005", Observation.is_current.is_(True)
                )
            )
            .scalars()
            .all()
        )
        subs = s.scalar(select(func.count()).select_from(Submission))
    shared = sorted(r.revision for r in rows if r.parameter_code == "a21005")
    assert shared == list(range(1, n + 1))
    assert len(current) == 1
    others = [r for r in rows if r.parameter_code == "a34004"]
    assert len(others) == 8 + n and {r.revision for r in others} == {1}
    assert subs == n
    _chain_ok(db)
