"""Logging: one JSON object per line on stderr."""

from __future__ import annotations

import logging
import sys
from datetime import UTC, datetime
from typing import Any

import orjson

_RESERVED = set(vars(logging.makeLogRecord({})).keys()) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    """Render a record and its ``extra`` fields as a single JSON line."""

    def format(self, record: logging.LogRecord) -> str:
        doc: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _RESERVED and not key.startswith("_"):
                doc[key] = value
        if record.exc_info:
            doc["exc"] = self.formatException(record.exc_info)
        return orjson.dumps(doc, default=str).decode()


def configure_logging(level: str = "INFO", json_lines: bool = True) -> None:
    """Install the JSON (or plain) handler on the root logger, once."""
    root = logging.getLogger()
    for h in list(root.handlers):
        if getattr(h, "_hub", False):
            root.removeHandler(h)
    handler = logging.StreamHandler(sys.stderr)
    handler._hub = True  # type: ignore[attr-defined]
    handler.setFormatter(
        JsonFormatter() if json_lines else logging.Formatter("%(levelname)s %(name)s %(message)s")
    )
    root.addHandler(handler)
    root.setLevel(level.upper())
    # uvicorn's own access log would duplicate ours, in another format.
    logging.getLogger("uvicorn.access").disabled = True
    # connexion warns on every request to an operation that accepts JSON and CSV.
    logging.getLogger("connexion.operations.openapi3").setLevel(logging.ERROR)
    # alembic announces each of its plugins at INFO on every migration check.
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)
