"""Health report: database reachability and schema revision."""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError

from hub.db.migrate import current_revision


def check_health(engine: Engine) -> dict[str, Any]:
    """``{"status": "ok"|"degraded", "database": {...}}``; never raises."""
    started = time.perf_counter()
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        revision = current_revision(engine)
        db: dict[str, Any] = {
            "reachable": True,
            "backend": engine.dialect.name,
            "schema_revision": revision,
            "latency_ms": round((time.perf_counter() - started) * 1000, 2),
        }
        status = "ok" if revision else "degraded"
    except SQLAlchemyError as exc:
        db = {"reachable": False, "backend": engine.dialect.name, "error": type(exc).__name__}
        status = "degraded"
    return {"status": status, "database": db}
