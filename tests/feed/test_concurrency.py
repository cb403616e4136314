"""Concurrent pushers and a polling reader on PostgreSQL: nothing lost, nothing twice.

Ingest transactions overlap and commit out of order. A delay between inserting a batch's
rows and taking the commit-order lock makes that interleaving common; the test checks it
actually happened (so it could have caught a cursor that orders by row id) and that the
reader, polling throughout, saw every accepted observation exactly once.
"""

from __future__ import annotations

import itertools
import random
import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from connectors.base import CanonicalObservation
from hub.db.engine import make_engine, make_session_factory
from hub.db.records import AuditHead, Submission
from hub.db.records import Observation as Row
from hub.feed.observations import Cursor, FeedFilter, read_feed
from hub.ingest.pipeline import IngestBatch, ingest

pytestmark = pytest.mark.postgres

WRITERS = 4
BATCHES = 25
PER_BATCH = 500  # 4 × 25 × 500 = 50,000 observations
SITES = ["YJ-AIR-C01", "YJ-AIR-C02", "YJ-AIR-C03", "YJ-AIR-C04"]
T0 = datetime(2026, 1, 1, tzinfo=UTC)


def _batch(writer: int, n: int) -> IngestBatch:
    base = (writer * BATCHES + n) * PER_BATCH
    obs = [
        (
            f"observations[{i}]",
            CanonicalObservation(
                SITES[writer], "a34004", T0 + timedelta(hours=base + i), "PT1H", float(base + i)
            ),
        )
        for i in range(PER_BATCH)
    ]
    return IngestBatch(
        department="environment",
        client_id=f"writer-{writer}",
        channel="test",
        payload=f"{writer}-{n}".encode(),
        request_hash=f"{writer}-{n}",
        received=PER_BATCH,
        observations=obs,
    )


def test_four_writers_50000_observations_reader_sees_each_exactly_once(pg_url, db) -> None:
    engine = make_engine(pg_url, pool_size=WRITERS + 2)
    sessions = make_session_factory(engine)

    @event.listens_for(Session, "do_orm_execute")
    def _widen_the_window(state) -> None:  # type: ignore[no-untyped-def]
        # Rows are inserted; the commit-order lock is about to be taken: linger here.
        if state.is_select and AuditHead.__table__ in state.statement.get_final_froms():
            time.sleep(random.uniform(0, 0.03))

    errors: list[BaseException] = []
    done = threading.Event()

    def writer(w: int) -> None:
        try:
            for n in range(BATCHES):
                out = ingest(sessions, _batch(w, n), datetime.now(UTC))
                assert out.receipt["stored"] == PER_BATCH
        except BaseException as exc:
            errors.append(exc)

    seen: list[float] = []
    polls = 0

    def reader() -> None:
        nonlocal polls
        cursor = Cursor()
        try:
            while True:
                finished = done.is_set()
                with sessions() as s:
                    items, cursor = read_feed(s, cursor, 1000, FeedFilter())
                polls += 1
                seen.extend(row.value for row in items)
                if finished and not items:
                    return
                if not items:
                    time.sleep(0.01)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(w,)) for w in range(WRITERS)]
    r = threading.Thread(target=reader)
    try:
        r.start()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        done.set()
        r.join(timeout=120)
    finally:
        event.remove(Session, "do_orm_execute", _widen_the_window)
    assert not errors, errors[0]

    total = WRITERS * BATCHES * PER_BATCH
    assert len(seen) == total, f"{total - len(seen)} lost"
    assert len(set(seen)) == total, "duplicates"
    assert polls > 10  # the reader really polled while the writers were writing

    # Commits happened out of row-id order (so an id cursor would have lost rows).
    with sessions() as s:
        spans = s.execute(
            select(Submission.seq, Row.id)
            .join(Row, Row.submission_id == Submission.id)
            .where(Submission.client_id.like("writer-%"))
            .order_by(Submission.seq, Row.id)
        ).all()
    first_id_by_seq: dict[int, int] = {}
    last_id_by_seq: dict[int, int] = {}
    for seq, oid in spans:
        first_id_by_seq.setdefault(seq, oid)
        last_id_by_seq[seq] = oid
    seqs = sorted(first_id_by_seq)
    out_of_order = sum(
        1 for a, b in itertools.pairwise(seqs) if first_id_by_seq[b] < last_id_by_seq[a]
    )
    assert out_of_order > 0
    engine.dispose()
