"""Create submissions: the provenance record of every batch the hub accepts."""

from __future__ import annotations

import hashlib
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from hub.db.records import Submission
from hub.errors import NotFound
from hub.timeutil import iso_utc


def payload_hash(payload: bytes) -> str:
    return hashlib.sha256(payload).hexdigest()


def new_submission(
    session: Session,
    *,
    payload: bytes,
    channel: str,
    received_at: datetime,
    department: str | None,
    client_id: str | None,
) -> Submission:
    """Add a submission row (flushed, so observations may refer to it)."""
    sub = Submission(
        id=str(uuid.uuid4()),
        client_id=client_id,
        department_code=department,
        received_at=received_at,
        channel=channel,
        payload_hash=payload_hash(payload),
        accepted=0,
        rejected=0,
    )
    session.add(sub)
    session.flush()
    return sub


def get_submission(
    session: Session, submission_id: str, department: str | None, is_admin: bool
) -> dict[str, Any]:
    """A submission's provenance and receipt; only its own department (or an admin) sees it."""
    sub = session.get(Submission, submission_id)
    if sub is None or (not is_admin and sub.department_code != department):
        # The same answer for "not yours" as for "not there": ids are not for probing.
        raise NotFound(f"no submission '{submission_id}' for this client")
    receipt = dict(sub.receipt or {})
    receipt.pop("status", None)
    return {
        "id": sub.id,
        "department": sub.department_code,
        "client_id": sub.client_id,
        "channel": sub.channel,
        "received_at": iso_utc(sub.received_at),
        "payload_sha256": sub.payload_hash,
        "accepted": sub.accepted,
        "rejected": sub.rejected,
        "idempotency_key": sub.idempotency_key,
        "audit": {
            "seq": sub.seq,
            "prev_hash": sub.prev_hash,
            "chain_hash": sub.chain_hash,
            "records_sha256": sub.records_hash,
        },
        "receipt": receipt,
    }
