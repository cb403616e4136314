"""Page-numbered list responses: ``{meta: {page, limit, found}, results}``."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

T = TypeVar("T")


@dataclass(frozen=True)
class PageRequest:
    page: int = 1
    limit: int = 100

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.limit


def paginate(
    session: Session,
    stmt: Select[*tuple[Any, ...]],
    req: PageRequest,
    render: Callable[[Any], dict[str, Any]],
) -> dict[str, Any]:
    """Run ``stmt`` for one page and count all matches.

    A first page shorter than the limit already holds every match: the count query, which
    costs as much as the page on a large table, is skipped then.
    """
    rows: Sequence[Any] = session.execute(stmt.limit(req.limit).offset(req.offset)).all()
    if req.offset == 0 and len(rows) < req.limit:
        found = len(rows)
    else:
        found = session.scalar(
            select(func.count()).select_from(stmt.order_by(None).subquery())
        ) or 0
    return {
        "meta": {"page": req.page, "limit": req.limit, "found": int(found)},
        "results": [render(r) for r in rows],
    }
