"""Build test data through the hub's own services."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from hub.db.reference import Site
from hub.ingest.submissions import new_submission
from hub.observations.store import NormalRecord, StoreResult, store_records


def site_id(session: Session, code: str) -> int:
    sid = session.scalar(select(Site.id).where(Site.code == code))
    assert sid is not None, code
    return sid


def store(
    db: sessionmaker[Session],
    rows: Iterable[tuple[str, str, datetime, str, float | None]],
    flag: str = "N",
) -> tuple[str, StoreResult]:
    """Store (site code, parameter, time, period, value) rows as one submission."""
    with db.begin() as s:
        sub = new_submission(
            s,
            payload=repr(rows).encode(),
            channel="test",
            received_at=datetime.now(UTC),
            department="environment",
            client_id=None,
        )
        recs = [NormalRecord(site_id(s, c), p, t, per, v, flag) for c, p, t, per, v in rows]
        return sub.id, store_records(s, recs, sub.id)
