"""The feed service's typed rows: positions, instants, current revisions, one JSON shape."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from hub.db.feeds import ForwardOutbox
from hub.db.reference import Site
from hub.feed.forward import fill_outbox
from hub.feed.observations import Cursor, FeedFilter, read_feed
from hub.feed.render import feed_item
from tests.support.alarms import push

pytestmark = pytest.mark.postgres
T = datetime(2026, 11, 1, tzinfo=UTC)
NH3N = "w21003"


def _all(db, after: Cursor | None = None):
    with db() as s:
        return read_feed(s, after or Cursor(), 1000, FeedFilter())


def test_rows_are_typed_and_a_row_cursor_continues_after_it(db) -> None:
    push(db, [("YJ-SW-01", NH3N, T, "PT1H", 0.5), ("YJ-SW-01", NH3N, T + timedelta(hours=1),
                                                   "PT1H", 0.7)])
    rows, _ = _all(db)
    first, second = rows
    with db() as s:
        site_id = s.scalar(select(Site.id).where(Site.code == "YJ-SW-01"))
    assert (first.site, first.site_id, first.parameter, first.value) == (
        "YJ-SW-01", site_id, NH3N, 0.5)
    assert first.time == T and first.time.tzinfo is not None
    assert (first.period, first.unit, first.flag, first.revision) == ("PT1H", "mg/L", "N", 1)
    assert (first.department, first.network) == ("environment", "surface-water")
    assert first.cursor < second.cursor
    after_first, _ = _all(db, first.cursor)
    assert after_first == [second]


def test_a_revision_superseded_before_the_read_is_not_current(db) -> None:
    push(db, [("YJ-SW-01", NH3N, T, "PT1H", 1.8)])
    push(db, [("YJ-SW-01", NH3N, T, "PT1H", 0.8)])  # the correction, also in the feed
    rows, _ = _all(db)
    assert [(r.value, r.revision, r.is_current) for r in rows] == [
        (1.8, 1, False), (0.8, 2, True)]


def test_the_rendered_item_is_the_public_feed_shape(db) -> None:
    push(db, [("YJ-SW-01", NH3N, T, "PT1H", 0.5)])
    [row], _ = _all(db)
    assert feed_item(row) == {
        "cursor": row.cursor.encode(),
        "site": "YJ-SW-01",
        "parameter": NH3N,
        "time": "2026-11-01T00:00:00Z",
        "period": "PT1H",
        "value": 0.5,
        "unit": "mg/L",
        "flag": "N",
        "qc": {"status": "passed", "flags": []},
        "revision": 1,
        "submission": row.submission,
        "department": "environment",
        "network": "surface-water",
        "county": "441702",
    }
    assert Cursor.decode(feed_item(row)["cursor"]) == row.cursor


def test_the_forwarder_sends_what_the_feed_shows(db) -> None:
    push(db, [("YJ-SW-01", NH3N, T, "PT1H", 0.5), ("YJ-AIR-C01", "a34004", T, "PT1H", 35.0)])
    rows, _ = _all(db)
    with db.begin() as s:
        assert fill_outbox(s, "city", 100, datetime.now(UTC)) == 2
    with db() as s:
        [batch] = s.scalars(select(ForwardOutbox))
    shown = [feed_item(r) for r in rows]
    assert batch.payload["observations"] == [
        {k: i[k] for k in ("site", "parameter", "time", "period", "value", "unit", "flag")}
        for i in shown
    ]
    assert batch.last_cursor == shown[-1]["cursor"]
    assert batch.idempotency_key == f"fwd:{shown[0]['cursor']}:{shown[-1]['cursor']}"
