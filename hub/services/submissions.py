"""Create submissions: the provenance record of every batch the hub accepts."""

from __future__ import annotations

import hashlib
import uuid
from datetime import datetime

from sqlalchemy.orm import Session

from hub.db.records import Submission


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
