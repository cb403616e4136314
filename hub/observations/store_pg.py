"""PostgreSQL fast path for the store: one statement per step, keys passed as arrays.

``unnest`` over parallel arrays replaces per-row parameters: one round trip and one plan
for a whole batch, instead of 1,000 bound tuples (which psycopg must split and the server
must parse) or an executemany pipeline.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import orjson
import psycopg
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

Key = tuple[int, str, Any, str]

_CURRENT = """
SELECT o.site_id, o.parameter_code, o.period_start, o.period, o.revision, o.value, o.flag
FROM observations o
JOIN unnest(%(site)b::int[], %(param)b::text[], %(start)b::timestamptz[], %(period)b::text[])
     AS k(site_id, parameter_code, period_start, period)
  ON o.site_id = k.site_id AND o.parameter_code = k.parameter_code
 AND o.period_start = k.period_start AND o.period = k.period
WHERE o.is_current
"""

_SUPERSEDE = """
UPDATE observations o SET is_current = false
FROM unnest(%(site)b::int[], %(param)b::text[], %(start)b::timestamptz[], %(period)b::text[])
     AS k(site_id, parameter_code, period_start, period)
WHERE o.is_current AND o.site_id = k.site_id AND o.parameter_code = k.parameter_code
  AND o.period_start = k.period_start AND o.period = k.period
"""

_INSERT = """
INSERT INTO observations (site_id, parameter_code, period_start, period, value, flag,
                          revision, is_current, submission_id, qc_status, qc_flags)
SELECT site_id, parameter_code, period_start, period, value, flag, revision, is_current,
       %(sub)s, qc_status, qc_flags
FROM unnest(%(site)b::int[], %(param)b::text[], %(start)b::timestamptz[], %(period)b::text[],
            %(value)b::float8[], %(flag)b::text[], %(revision)b::int[], %(current)b::bool[],
            %(qc_status)b::text[], %(qc_flags)b::jsonb[])
     AS r(site_id, parameter_code, period_start, period, value, flag, revision, is_current,
          qc_status, qc_flags)
"""


def _exec(session: Session, sql: str, params: dict[str, Any]) -> list[tuple[Any, ...]]:
    """Run on the session's psycopg connection. The ``%(x)b`` placeholders send arrays in
    binary format: no per-element text escaping, which was a third of the batch cost."""
    raw: Any = session.connection().connection.dbapi_connection
    try:
        with raw.cursor() as cur:
            cur.execute(sql, params)
            return list(cur.fetchall()) if cur.description else []
    except psycopg.Error as exc:
        # The raw cursor bypasses SQLAlchemy's wrapping; wrap as it would (a unique
        # violation becomes sqlalchemy.exc.IntegrityError), so callers see one family of
        # errors whichever path wrote. The arrays are not repeated in the message.
        raise DBAPIError.instance(
            sql, None, exc, psycopg.Error, hide_parameters=True, dialect=session.get_bind().dialect
        ) from exc


# Every ingest transaction holds this advisory lock: shared on its first attempt, so
# batches run side by side; exclusive when it retries after losing a race, so the retry
# runs alone and cannot lose again. Nothing else uses this key ("ecohub ingest" in ASCII).
INGEST_LOCK = 0x6563686F_696E67


def lock_ingest(session: Session, *, exclusive: bool) -> None:
    """Take the ingest advisory lock for the rest of the session's transaction."""
    fn = "pg_advisory_xact_lock" if exclusive else "pg_advisory_xact_lock_shared"
    session.execute(text(f"SELECT {fn}(:key)"), {"key": INGEST_LOCK})


_CONFLICTS = (
    psycopg.errors.IntegrityError,
    psycopg.errors.DeadlockDetected,
    psycopg.errors.SerializationFailure,
)


def is_conflict(orig: BaseException | None) -> bool:
    """A PostgreSQL error another transaction caused, which a fresh attempt can avoid:
    unique and foreign-key violations, deadlocks, serialisation failures."""
    return isinstance(orig, _CONFLICTS)


def _key_arrays(keys: Sequence[Key]) -> dict[str, list[Any]]:
    return {
        "site": [k[0] for k in keys],
        "param": [k[1] for k in keys],
        "start": [k[2] for k in keys],
        "period": [k[3] for k in keys],
    }


def current(session: Session, keys: Sequence[Key]) -> dict[Key, tuple[int, float | None, str]]:
    """Current revision, value and flag of each key that has one."""
    if not keys:
        return {}
    rows = _exec(session, _CURRENT, _key_arrays(keys))
    return {(r[0], r[1], r[2], r[3]): (r[4], r[5], r[6]) for r in rows}


def supersede(session: Session, keys: Sequence[Key]) -> None:
    """Mark the current rows of ``keys`` as superseded."""
    if keys:
        _exec(session, _SUPERSEDE, _key_arrays(keys))


def insert(session: Session, rows: Sequence[dict[str, Any]], submission_id: str) -> None:
    """Insert prepared observation rows in one statement."""
    if not rows:
        return
    params = {
        "sub": submission_id,
        "site": [r["site_id"] for r in rows],
        "param": [r["parameter_code"] for r in rows],
        "start": [r["period_start"] for r in rows],
        "period": [r["period"] for r in rows],
        "value": [r["value"] for r in rows],
        "flag": [r["flag"] for r in rows],
        "revision": [r["revision"] for r in rows],
        "current": [r["is_current"] for r in rows],
        "qc_status": [r["qc_status"] for r in rows],
        "qc_flags": [
            None if r["qc_flags"] is None else orjson.dumps(r["qc_flags"]).decode() for r in rows
        ],
    }
    _exec(session, _INSERT, params)
