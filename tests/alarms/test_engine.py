"""The alarm engine on PostgreSQL: one open alarm per key, recovery, acknowledgement,
crash and restart, single writer."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import delete, select

from hub.alarms import service
from hub.alarms.worker import MissingStateRow
from hub.db.alarms import Alarm, AlarmEngineState
from hub.errors import Conflict
from tests.support.alarms import Clock, alarms, events, push, worker

pytestmark = pytest.mark.postgres
# Recent data: a correction to data older than a week is itself suspicious.
T = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) - timedelta(hours=12)
H = timedelta(hours=1)
NH3N = "w21003"


def sample(hour: int, value: float) -> tuple[str, str, datetime, str, float]:
    return ("YJ-SW-01", NH3N, T + hour * H, "PT0S", value)


def test_repeated_exceedance_extends_one_alarm(db) -> None:
    w = worker(db)
    push(db, [sample(0, 1.8)])
    assert w.catch_up() == 1
    [alarm] = alarms(db)
    assert (alarm.kind, alarm.status, alarm.parameter, alarm.rule) == (
        "exceedance",
        "open",
        NH3N,
        "gb3838",
    )
    assert alarm.first_value == 1.8 and alarm.limit_value == 1.0
    assert alarm.target == "GB 3838 class III" and alarm.detail["class"] == "V"

    push(db, [sample(1, 2.5)])
    push(db, [sample(1, 2.5)])  # the same sample re-sent: stored once, nothing new
    w.catch_up()
    [again] = alarms(db)
    assert again.id == alarm.id and again.occurrences == 2
    assert (again.first_value, again.last_value, again.worst_value) == (1.8, 2.5, 2.5)
    assert (again.start_at, again.end_at) == (T, T + H)
    assert [e.type for e in events(db)] == ["opened", "extended"]
    assert [e.seq for e in events(db)] == [1, 2]


def test_closes_when_back_within_limits_for_the_close_delay(db) -> None:
    w = worker(db, close_after_seconds=7200)
    push(db, [sample(0, 1.8)])
    push(db, [sample(1, 0.5)])  # compliant, but only 1 h after the last bad sample
    w.catch_up()
    assert alarms(db)[0].status == "open"
    push(db, [sample(2, 0.6)])
    w.catch_up()
    [closed] = alarms(db)
    assert closed.status == "closed" and closed.closed_by == "engine"
    assert "within limits" in (closed.close_reason or "")
    assert [e.type for e in events(db)] == ["opened", "closed"]
    # A new exceedance after closing is a new alarm.
    push(db, [sample(5, 1.9)])
    w.catch_up()
    assert [a.status for a in alarms(db)] == ["closed", "open"]
    assert len({a.id for a in alarms(db)}) == 2


def test_data_time_order_within_a_page(db) -> None:
    w = worker(db, close_after_seconds=3600)
    # One push holding a good value pushed before the bad one it recovers from.
    push(db, [sample(3, 0.4), sample(0, 1.8)])
    w.catch_up()
    assert [a.status for a in alarms(db)] == ["closed"]


def test_acknowledge_lifecycle(db) -> None:
    w = worker(db)
    push(db, [sample(0, 1.8)])
    w.catch_up()
    alarm_id = alarms(db)[0].id
    now = datetime.now(UTC)
    with db.begin() as s:
        doc, changed = service.acknowledge(s, alarm_id, "hub_enforcer", "on our way", now)
    assert changed and doc["status"] == "acknowledged"
    assert doc["acknowledged_by"] == "hub_enforcer" and doc["ack_note"] == "on our way"
    with db.begin() as s:
        _, again = service.acknowledge(s, alarm_id, "hub_other", None, now)
    assert again is False  # idempotent: no second event
    push(db, [sample(1, 2.0)])
    w.catch_up()
    extended = alarms(db)[0]
    assert extended.status == "acknowledged" and extended.occurrences == 2
    push(db, [sample(4, 0.5)])
    w.catch_up()
    closed = alarms(db)[0]
    assert closed.status == "closed" and closed.acknowledged_by == "hub_enforcer"
    assert [e.type for e in events(db)] == ["opened", "acknowledged", "extended", "closed"]
    with db.begin() as s, pytest.raises(Conflict):
        service.acknowledge(s, alarm_id, "hub_enforcer", None, now)
    with db() as s:
        got = service.get_alarm(s, alarm_id)
    assert [e["type"] for e in got["events"]] == ["opened", "acknowledged", "extended", "closed"]
    assert got["events"][1]["actor"] == "hub_enforcer"


def test_crash_before_commit_then_restart_resumes_without_duplicates(db, monkeypatch) -> None:
    push(db, [sample(0, 1.8), ("YJ-SW-02", NH3N, T, "PT0S", 3.0)])
    import hub.alarms.worker as worker_module

    real = worker_module.AlarmWriter.flush

    def crash(self):  # alarms written, then the process dies before commit
        real(self)
        raise RuntimeError("power cut")

    monkeypatch.setattr(worker_module.AlarmWriter, "flush", crash)
    with pytest.raises(RuntimeError):
        worker(db).run_once()
    assert alarms(db) == [] and events(db) == []
    with db() as s:
        state = s.get(AlarmEngineState, "default")
    assert state is not None and state.cursor == "" and state.evaluated == 0
    monkeypatch.undo()

    w = worker(db)
    assert w.catch_up() == 2
    assert len(alarms(db)) == 2 and [e.type for e in events(db)] == ["opened", "opened"]
    # A fresh worker (a restart) resumes from the stored cursor: nothing is re-evaluated.
    assert worker(db).catch_up() == 0
    assert len(alarms(db)) == 2 and len(events(db)) == 2


def test_a_round_skips_while_another_worker_holds_the_state_row(db, monkeypatch) -> None:
    """Two workers: the second's round is skipped (not blocked) while the first evaluates,
    and nothing is evaluated twice."""
    import hub.alarms.worker as worker_module

    push(db, [sample(0, 1.8)])
    inside, release = threading.Event(), threading.Event()
    real = worker_module.evaluate_page

    def paused(*args, **kwargs):  # the first worker, mid-round, holding the row
        inside.set()
        # Bounded, so a second worker that blocks instead of skipping fails the test
        # (its round then returns 0, not None) rather than hanging it.
        release.wait(30)
        return real(*args, **kwargs)

    monkeypatch.setattr(worker_module, "evaluate_page", paused)
    first, second = worker(db), worker(db)
    results: list[int | None] = []
    t = threading.Thread(target=lambda: results.append(first.run_once()))
    t.start()
    try:
        assert inside.wait(30)
        assert second.run_once() is None  # skipped, while the first still holds the row
    finally:
        release.set()
        t.join()
    assert results == [1]
    monkeypatch.undo()

    assert second.catch_up() == 0  # the first worker's cursor: nothing to evaluate again
    [alarm] = alarms(db)
    assert alarm.occurrences == 1 and [e.type for e in events(db)] == ["opened"]
    with db() as s:
        state = s.get(AlarmEngineState, "default")
        assert state is not None and state.evaluated == 1
    push(db, [sample(1, 2.0)])
    assert second.catch_up() == 1  # and it carries on from there
    assert alarms(db)[0].occurrences == 2


def test_only_current_revisions_are_judged(db) -> None:
    push(db, [sample(0, 1.8)])
    push(db, [sample(0, 0.8)])  # corrected before the engine ran
    worker(db).catch_up()
    assert alarms(db) == []


def test_a_correction_lowering_a_value_after_the_alarm_is_flagged(db) -> None:
    clock = Clock(datetime.now(UTC) - timedelta(minutes=5))
    w = worker(db, clock)
    push(db, [sample(0, 1.8)])
    w.catch_up()
    push(db, [sample(0, 0.9)])  # received after the alarm was raised
    w.catch_up()
    by_kind = {a.kind: a for a in alarms(db)}
    assert set(by_kind) == {"exceedance", "falsification"}
    suspect = by_kind["falsification"]
    assert suspect.rule == "qc:correction_after_alarm" and suspect.parameter == NH3N
    # The exceedance alarm is left for people to judge, not silently closed.
    assert by_kind["exceedance"].status == "open"


def test_the_state_row_records_progress(db) -> None:
    push(db, [sample(0, 0.5), sample(1, 0.4)])
    worker(db).catch_up()
    with db() as s:
        state = s.scalar(select(AlarmEngineState))
        assert state is not None and state.evaluated == 2 and state.cursor
        assert s.scalar(select(Alarm)) is None


def test_a_database_without_the_state_row_says_to_migrate(db) -> None:
    with db.begin() as s:
        s.execute(delete(AlarmEngineState))
    with pytest.raises(MissingStateRow, match="ecohub db upgrade"):
        worker(db).run_once()
