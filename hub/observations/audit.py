"""The tamper-evident record of who sent what: a hash chain over submissions.

Each accepted batch becomes a link: ``chain_hash = sha256(prev_hash | seq | id | received_at
| client | department | channel | payload_hash | accepted | rejected | records_hash)`` where
``records_hash`` digests the observation rows the batch stored. Links are appended as the
last step of the ingest transaction while holding the chain head's row lock, so the chain
order is the commit order (the provincial feed relies on that too).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from hub.db.records import AuditHead, Observation, Submission
from hub.timeutil import iso_utc

GENESIS = "0" * 64


def records_digest(rows: Iterable[tuple[Any, ...]]) -> str:
    """Digest of stored observation rows: (site_id, parameter, start, period, value, flag, rev)."""
    lines = []
    for site_id, param, start, period, value, flag, rev in rows:
        v = "null" if value is None else repr(float(value))
        lines.append(f"{site_id}|{param}|{iso_utc(start)}|{period}|{v}|{flag}|{rev}\n")
    # Sorted, so the digest does not depend on the order the database hands rows back.
    h = hashlib.sha256()
    for line in sorted(lines):
        h.update(line.encode())
    return h.hexdigest()


def link_hash(sub: Submission, prev_hash: str) -> str:
    fields = [
        prev_hash,
        str(sub.seq),
        sub.id,
        iso_utc(sub.received_at),
        sub.client_id or "",
        sub.department_code or "",
        sub.channel,
        sub.payload_hash,
        str(sub.accepted),
        str(sub.rejected),
        sub.records_hash or "",
    ]
    return hashlib.sha256("|".join(fields).encode()).hexdigest()


def _stored_rows(session: Session, submission_id: str) -> list[tuple[Any, ...]]:
    o = Observation
    stmt = (
        select(o.site_id, o.parameter_code, o.period_start, o.period, o.value, o.flag, o.revision)
        .where(o.submission_id == submission_id)
        .order_by(o.id)
    )
    return [tuple(r) for r in session.execute(stmt)]


def append_link(session: Session, sub: Submission, stored: Iterable[tuple[Any, ...]]) -> None:
    """Add ``sub`` to the chain; call last in the transaction, just before commit.

    ``stored`` are the rows the batch inserted, as ``records_digest`` takes them.
    """
    sub.records_hash = records_digest(stored)
    # FOR UPDATE serialises appends on PostgreSQL; SQLite already holds the write lock.
    head = session.execute(
        select(AuditHead).where(AuditHead.id == 1).with_for_update()
    ).scalar_one()
    sub.seq = head.seq + 1
    sub.prev_hash = head.hash
    sub.chain_hash = link_hash(sub, head.hash)
    session.execute(
        update(AuditHead).where(AuditHead.id == 1).values(seq=sub.seq, hash=sub.chain_hash)
    )
    session.flush()


@dataclass
class VerifyReport:
    checked: int
    ok: bool
    broken_at: int | None = None
    submission: str | None = None
    reason: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "checked": self.checked,
            "ok": self.ok,
            "broken_at_seq": self.broken_at,
            "submission": self.submission,
            "reason": self.reason,
        }


def _link_problem(session: Session, sub: Submission, prev: str, expected_seq: int) -> str | None:
    if sub.seq != expected_seq:
        return f"missing link: expected seq {expected_seq}"
    if sub.prev_hash != prev:
        return "prev_hash does not match the previous link"
    if records_digest(_stored_rows(session, sub.id)) != sub.records_hash:
        return "stored observations differ from what the batch stored"
    if link_hash(sub, prev) != sub.chain_hash:
        return "the submission's fields were changed after it was chained"
    return None


def verify_chain(session: Session) -> VerifyReport:
    """Recompute every link in order; report the first one that does not hold."""
    prev, checked, expected_seq = GENESIS, 0, 1
    subs = session.scalars(
        select(Submission).where(Submission.seq.is_not(None)).order_by(Submission.seq)
    ).yield_per(1000)
    for sub in subs:
        reason = _link_problem(session, sub, prev, expected_seq)
        if reason:
            return VerifyReport(checked, False, sub.seq, sub.id, reason)
        prev, checked, expected_seq = sub.chain_hash or "", checked + 1, expected_seq + 1
    head = session.get(AuditHead, 1)
    if head is not None and (head.seq != checked or head.hash != prev):
        return VerifyReport(
            checked,
            False,
            checked + 1,
            None,
            "the chain head points past the last link (links deleted)",
        )
    return VerifyReport(checked, True)
