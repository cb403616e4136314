"""Write normalised observations: new keys, revisions, identical re-sends.

A key is (site, parameter, period start, period). A value for a key that has none is
revision 1; a different value or flag for a key that has one is the next revision and the
earlier row stays readable (``is_current`` moves); the same value and flag again changes
nothing. The ORM stays off this path: it is Core statements in bulk.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import and_, insert, select, tuple_, update
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session

from hub.db.records import Observation
from hub.observations import store_pg

Key = tuple[int, str, datetime, str]


@dataclass(frozen=True)
class NormalRecord:
    """An observation in the hub's vocabulary: site id, parameter code, UTC time, canonical unit."""

    site_id: int
    parameter_code: str
    period_start: datetime
    period: str
    value: float | None
    flag: str = "N"
    qc_status: str = "passed"
    qc_flags: tuple[dict[str, Any], ...] = ()

    @property
    def key(self) -> Key:
        return (self.site_id, self.parameter_code, self.period_start, self.period)


@dataclass
class StoreResult:
    inserted: int = 0
    revised: int = 0
    unchanged: int = 0
    # the inserted rows as the audit digest takes them
    stored: list[tuple[Any, ...]] = field(default_factory=list)


def _is_pg(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def lock_for_ingest(session: Session, *, exclusive: bool) -> None:
    """Order this ingest transaction against concurrent ones (see ``store_pg.lock_ingest``).

    SQLite needs nothing: it already runs one writing transaction at a time."""
    if _is_pg(session):
        store_pg.lock_ingest(session, exclusive=exclusive)


def is_write_conflict(exc: BaseException) -> bool:
    """Whether ``exc`` means a concurrent transaction won a race this one can retry: the
    same key stored first, the same Idempotency-Key taken first, a deadlock."""
    if isinstance(exc, IntegrityError):
        return True
    return isinstance(exc, DBAPIError) and store_pg.is_conflict(exc.orig)


def _same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def _current(
    session: Session, records: Sequence[NormalRecord]
) -> dict[Key, tuple[int, float | None, str]]:
    """The current revision, value and flag of every key in ``records`` that has one."""
    found: dict[Key, tuple[int, float | None, str]] = {}
    keys = list({r.key for r in records})
    if _is_pg(session):
        return store_pg.current(session, keys)
    o = Observation
    for i in range(0, len(keys), 500):
        chunk = keys[i : i + 500]
        stmt = select(
            o.site_id, o.parameter_code, o.period_start, o.period, o.revision, o.value, o.flag
        ).where(
            o.is_current.is_(True),
            tuple_(o.site_id, o.parameter_code, o.period_start, o.period).in_(chunk),
        )
        for row in session.execute(stmt):
            found[(row[0], row[1], row[2], row[3])] = (row[4], row[5], row[6])
    return found


def store_records(
    session: Session, records: Sequence[NormalRecord], submission_id: str
) -> StoreResult:
    """Store ``records`` under ``submission_id`` inside the caller's transaction."""
    current = _current(session, records)
    rows: list[dict[str, Any]] = []
    superseded: list[Key] = []
    result = StoreResult()
    for rec in records:
        prior = current.get(rec.key)
        if prior is not None and _same(prior[1], rec.value) and prior[2] == rec.flag:
            result.unchanged += 1
            continue
        revision = 1 if prior is None else prior[0] + 1
        if prior is None:
            result.inserted += 1
        else:
            result.revised += 1
            superseded.append(rec.key)
        current[rec.key] = (revision, rec.value, rec.flag)
        rows.append(
            {
                "site_id": rec.site_id,
                "parameter_code": rec.parameter_code,
                "period_start": rec.period_start,
                "period": rec.period,
                "value": rec.value,
                "flag": rec.flag,
                "revision": revision,
                "is_current": True,
                "submission_id": submission_id,
                "qc_status": rec.qc_status,
                "qc_flags": list(rec.qc_flags) or None,
            }
        )
    o = Observation
    pg = _is_pg(session)
    if superseded and pg:
        store_pg.supersede(session, list(set(superseded)))
    elif superseded:
        for i in range(0, len(superseded), 500):
            chunk = list(set(superseded[i : i + 500]))
            session.execute(
                update(o)
                .where(
                    and_(
                        o.is_current.is_(True),
                        tuple_(o.site_id, o.parameter_code, o.period_start, o.period).in_(chunk),
                    )
                )
                .values(is_current=False)
            )
    if rows:
        # A key revised twice in one batch: only its last row stays current.
        last: dict[Key, int] = {}
        for idx, r in enumerate(rows):
            last[(r["site_id"], r["parameter_code"], r["period_start"], r["period"])] = idx
        for idx, r in enumerate(rows):
            key = (r["site_id"], r["parameter_code"], r["period_start"], r["period"])
            r["is_current"] = last[key] == idx
        if pg:
            store_pg.insert(session, rows, submission_id)
        else:
            session.execute(insert(o), rows)
    result.stored = [
        (
            r["site_id"],
            r["parameter_code"],
            r["period_start"],
            r["period"],
            r["value"],
            r["flag"],
            r["revision"],
        )
        for r in rows
    ]
    return result
