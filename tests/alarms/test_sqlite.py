"""The embedded default: the alarm engine and outbox on SQLite, two engines at once."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

from hub.alarms import subscriptions
from hub.db import migrate
from hub.db.engine import make_engine, make_session_factory
from hub.reference.load import load_reference
from tests.support.alarms import BOX, Receiver, alarms, events, push, worker

# Whole hours, all 20 in the past: QC flags data from the future as invalid.
T = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) - timedelta(hours=24)


def test_engine_and_delivery_on_sqlite(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path}/hub.sqlite3")
    migrate.upgrade(engine)
    db = make_session_factory(engine)
    with db.begin() as s:
        load_reference(s)
        subscriptions.create_subscription(
            s, BOX, url="http://r.test/", client_id="c", now=datetime.now(UTC)
        )
    rows = [("YJ-SW-01", "w21003", T + timedelta(hours=i), "PT0S", 1.8 + i) for i in range(20)]
    for row in rows:
        push(db, [row])
    receiver = Receiver()
    engines = [worker(db, sender=receiver, batch_size=3) for _ in range(2)]
    threads = [threading.Thread(target=w.step) for w in engines]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    engines[0].step()
    [alarm] = alarms(db)
    assert alarm.occurrences == 20 and alarm.last_value == 20.8
    assert [e.type for e in events(db)] == ["opened"] + ["extended"] * 19
    assert [e.seq for e in events(db)] == list(range(1, 21))
    assert len(receiver.calls) == 20
    for w in engines:  # neither engine failed: one waited for the other's write lock
        assert w.metrics is not None
        assert (
            w.metrics.registry.get_sample_value(
                "hub_alarm_worker_errors_total", {"stage": "evaluate"}
            )
            is None
        )
    engine.dispose()
