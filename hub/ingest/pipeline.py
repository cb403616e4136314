"""The ingest service: one batch of canonical observations into the master database.

Connectors have already validated and normalised each record; this service checks what
needs the database (the site exists and belongs to the pushing department), stores the
valid observations with their revisions, records the submission, links it into the audit
chain and commits — all in one transaction. Invalid records never stop valid ones.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from connectors.base import CanonicalObservation, FieldError
from hub.db.records import Submission
from hub.db.reference import Site
from hub.errors import Conflict
from hub.ingest.submissions import new_submission
from hub.observations.audit import append_link
from hub.observations.store import (
    NormalRecord,
    is_write_conflict,
    lock_for_ingest,
    store_records,
)
from hub.qc.stage import QcStage, build_qc_stage

log = logging.getLogger("hub.ingest")
# The second attempt runs alone (an exclusive lock) and cannot lose a race; more attempts
# are for deadlocks with writers outside the ingest path.
MAX_ATTEMPTS = 5
# Errors listed in a receipt unless the caller says otherwise (HUB_RECEIPT_MAX_ERRORS).
MAX_RECEIPT_ERRORS = 1000
_RECORD = re.compile(r"^([a-z_]+\[\d+\])")


@dataclass(frozen=True)
class IngestBatch:
    """Command: store this batch for this department on behalf of this client."""

    department: str
    client_id: str | None
    channel: str
    payload: bytes
    request_hash: str
    received: int
    observations: Sequence[tuple[str, CanonicalObservation]]  # (JSON path, observation)
    errors: Sequence[FieldError] = ()
    idempotency_key: str | None = None
    max_errors: int = MAX_RECEIPT_ERRORS  # listed in the receipt; the rest only counted


@dataclass
class IngestOutcome:
    status: int
    receipt: dict[str, Any]
    replayed: bool = False


# Runs after commit; a failure is logged and never fails the ingest.
AfterCommit = Callable[[IngestOutcome], None]


@dataclass(frozen=True)
class IngestPipeline:
    """What runs around the store step of every ingest: QC inside the transaction (always),
    then the after-commit listeners. Built by ``hub.bootstrap``, passed in.

    ``qc`` reads the recent series and returns the records annotated with qc_status and
    qc_flags — never fewer; it defaults to the hub's QC stage, so no ingest skips QC.
    """

    qc: QcStage = field(default_factory=build_qc_stage)
    after_commit: Sequence[AfterCommit] = ()


def _record_of(path: str) -> str:
    m = _RECORD.match(path)
    return m.group(1) if m else path


def _status(accepted: int, errors: int) -> int:
    if accepted == 0:
        return 422
    return 207 if errors else 201


def _replay(session: Session, batch: IngestBatch) -> IngestOutcome | None:
    if batch.idempotency_key is None:
        return None
    prior = session.scalar(
        select(Submission).where(
            Submission.client_id == batch.client_id,
            Submission.idempotency_key == batch.idempotency_key,
        )
    )
    if prior is None:
        return None
    if prior.request_hash != batch.request_hash:
        raise Conflict(
            f"Idempotency-Key '{batch.idempotency_key}' was used with a different request "
            f"(submission {prior.id})"
        )
    receipt = dict(prior.receipt or {})
    return IngestOutcome(int(receipt.pop("status", 201)), receipt, replayed=True)


def _sites(session: Session, codes: set[str]) -> dict[str, tuple[int, str]]:
    out: dict[str, tuple[int, str]] = {}
    code_list = sorted(codes)
    for i in range(0, len(code_list), 1000):
        stmt = select(Site.code, Site.id, Site.department_code).where(
            Site.code.in_(code_list[i : i + 1000])
        )
        for code, sid, dept in session.execute(stmt):
            out[code] = (sid, dept)
    return out


def _attempt(
    session: Session, batch: IngestBatch, now: datetime, pipeline: IngestPipeline
) -> IngestOutcome:
    replay = _replay(session, batch)
    if replay is not None:
        return replay
    errors = list(batch.errors)
    sites = _sites(session, {o.site for _, o in batch.observations})
    valid: list[tuple[str, CanonicalObservation, int]] = []
    for path, obs in batch.observations:
        found = sites.get(obs.site)
        if found is None:
            errors.append(
                FieldError(f"{path}.site", f"no site with code '{obs.site}'", "unknown_site")
            )
        elif found[1] != batch.department:
            errors.append(
                FieldError(
                    f"{path}.site",
                    f"site '{obs.site}' belongs to the {found[1]} department, "
                    f"not {batch.department}",
                    "not_your_site",
                )
            )
        else:
            valid.append((path, obs, found[0]))
    sub = new_submission(
        session,
        payload=batch.payload,
        channel=batch.channel,
        received_at=now,
        department=batch.department,
        client_id=batch.client_id,
    )
    records = [
        NormalRecord(sid, o.parameter, o.time, o.period, o.value, o.flag) for _, o, sid in valid
    ]
    annotated = pipeline.qc(session, records, now)
    if len(annotated) != len(records):
        raise AssertionError("the QC stage must return one record per input record")
    records = annotated
    result = store_records(session, records, sub.id)
    rejected = len({_record_of(e.path) for e in errors})
    sub.accepted, sub.rejected = len(valid), rejected
    sub.idempotency_key, sub.request_hash = batch.idempotency_key, batch.request_hash
    status = _status(len(valid), len(errors))
    listed = sorted(errors, key=lambda e: _sort_key(e.path))[: max(batch.max_errors, 0)]
    receipt: dict[str, Any] = {
        "submission": sub.id,
        "department": batch.department,
        "channel": batch.channel,
        "received_at": now.isoformat().replace("+00:00", "Z"),
        "received": batch.received,
        "accepted": len(valid),
        "stored": result.inserted + result.revised,
        "revised": result.revised,
        "unchanged": result.unchanged,
        "rejected": rejected,
        "errors": [{"path": e.path, "code": e.code, "message": e.message} for e in listed],
    }
    if len(listed) < len(errors):
        # The stored receipt is bounded however many errors a hostile batch provokes.
        receipt["errors_omitted"] = len(errors) - len(listed)
    sub.receipt = {**receipt, "status": status}
    append_link(session, sub, result.stored)
    return IngestOutcome(status, receipt)


def _sort_key(path: str) -> tuple[str, int, str]:
    m = re.match(r"^([a-z_]+)\[(\d+)\](.*)$", path)
    return (m.group(1), int(m.group(2)), m.group(3)) if m else (path, 0, "")


def ingest(
    sessions: sessionmaker[Session],
    batch: IngestBatch,
    now: datetime,
    pipeline: IngestPipeline | None = None,
) -> IngestOutcome:
    """Run ``batch`` through QC and into the store in one transaction, retrying when a
    concurrent batch wins a race (two revisions of the same key, or the same
    Idempotency-Key at the same moment); then run the after-commit listeners, whose
    failures never fail the ingest. Without ``pipeline``: QC and no listeners.

    The first attempt runs beside other ingests; a retry waits until they are done and
    runs alone, so it sees their commits (a revision, an unchanged value or the stored
    receipt of the same Idempotency-Key) and ends as a sequential run would."""
    pipeline = pipeline or IngestPipeline()
    outcome: IngestOutcome | None = None
    for attempt in range(1, MAX_ATTEMPTS + 1):
        session = sessions()
        try:
            lock_for_ingest(session, exclusive=attempt > 1)
            outcome = _attempt(session, batch, now, pipeline)
            session.commit()
            break
        except BaseException as exc:
            session.rollback()
            if attempt == MAX_ATTEMPTS or not is_write_conflict(exc):
                raise
            log.info("ingest retry after a concurrent write", extra={"attempt": attempt})
        finally:
            session.close()
    assert outcome is not None
    if not outcome.replayed:
        for listener in pipeline.after_commit:
            try:
                listener(outcome)
            except Exception:
                log.exception("after-commit listener failed", extra={"listener": repr(listener)})
    return outcome
