"""Corrections are new revisions; identical re-sends change nothing."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from hub.db.records import Observation
from tests.support.data import store

pytestmark = pytest.mark.postgres
T0 = datetime(2026, 11, 1, 0, tzinfo=UTC)


def _history(db: sessionmaker[Session]) -> list[tuple[int, float | None, bool]]:
    with db() as s:
        rows = s.execute(
            select(Observation.revision, Observation.value, Observation.is_current).order_by(
                Observation.revision
            )
        ).all()
        return [tuple(r) for r in rows]  # type: ignore[misc]


def test_a_different_value_is_a_new_revision_and_the_old_stays(db: sessionmaker[Session]) -> None:
    store(db, [("YJ-AIR-C01", "a34004", T0, "PT1H", 35.0)])
    _, res = store(db, [("YJ-AIR-C01", "a34004", T0, "PT1H", 38.0)])
    assert (res.inserted, res.revised, res.unchanged) == (0, 1, 0)
    assert _history(db) == [(1, 35.0, False), (2, 38.0, True)]


def test_the_same_value_again_changes_nothing(db: sessionmaker[Session]) -> None:
    store(db, [("YJ-AIR-C01", "a34004", T0, "PT1H", 35.0)])
    _, res = store(db, [("YJ-AIR-C01", "a34004", T0, "PT1H", 35.0)])
    assert (res.inserted, res.revised, res.unchanged) == (0, 0, 1)
    assert _history(db) == [(1, 35.0, True)]


def test_a_key_twice_in_one_batch_keeps_both_and_the_last_is_current(
    db: sessionmaker[Session],
) -> None:
    _, res = store(
        db, [("YJ-AIR-C01", "a34004", T0, "PT1H", 35.0), ("YJ-AIR-C01", "a34004", T0, "PT1H", 36.0)]
    )
    assert (res.inserted, res.revised) == (1, 1)
    assert _history(db) == [(1, 35.0, False), (2, 36.0, True)]


def test_a_different_period_is_a_different_key(db: sessionmaker[Session]) -> None:
    _, res = store(
        db, [("YJ-AIR-C01", "a34004", T0, "PT1H", 35.0), ("YJ-AIR-C01", "a34004", T0, "P1D", 30.0)]
    )
    assert res.inserted == 2
