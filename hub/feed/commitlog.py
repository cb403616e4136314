"""Commit-ordered sequence numbers for feeds.

``next_seq`` must be the last statement before commit: it locks the stream's head row
until the transaction ends, so sequence numbers are handed out — and become visible — in
commit order. Readers page by sequence number and never miss a row that commits late.
"""

from __future__ import annotations

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from hub.db.feeds import FeedHead


def next_seq(session: Session, stream: str) -> int:
    """Take the next number of ``stream`` (creating the stream at 1)."""
    head = session.execute(
        select(FeedHead.seq).where(FeedHead.stream == stream).with_for_update()
    ).scalar_one_or_none()
    if head is None:
        try:
            with session.begin_nested():
                session.execute(insert(FeedHead).values(stream=stream, seq=0))
        except IntegrityError:
            pass  # created by a concurrent transaction; lock it below
        head = session.execute(
            select(FeedHead.seq).where(FeedHead.stream == stream).with_for_update()
        ).scalar_one()
    seq = head + 1
    session.execute(update(FeedHead).where(FeedHead.stream == stream).values(seq=seq))
    return seq
