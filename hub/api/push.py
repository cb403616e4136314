"""POST /departments/{department}/observations and /records: departments push data."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from flask import Response, request

from connectors.base import Bounds, CanonicalObservation, FieldError, load_record, normalise
from connectors.registry import get_connector
from hub.api.common import ok
from hub.api.deps import hub, require_department
from hub.errors import NotFound
from hub.ingest.parsing import parse_batch
from hub.ingest.pipeline import IngestBatch, ingest


def _request_hash(body: bytes) -> str:
    h = hashlib.sha256()
    for part in (request.method, request.path, request.mimetype or ""):
        h.update(part.encode() + b"\0")
    h.update(body)
    return h.hexdigest()


def _run(department: str, channel: str, key: str) -> Response:
    info = require_department(department)
    connector = get_connector(department)
    if connector is None:
        raise NotFound(f"no connector for department '{department}'")
    ctx = hub()
    body = request.get_data(cache=False)
    items = parse_batch(body, request.content_type or "", key, ctx.settings.max_push_observations)
    now = datetime.now(UTC)
    settings = ctx.settings
    bounds = Bounds(settings.push_earliest_time, settings.push_max_period)
    observations: list[tuple[str, CanonicalObservation]] = []
    errors: list[FieldError] = []
    for i, item in enumerate(items):
        path = f"{key}[{i}]"
        if isinstance(item, FieldError):  # a CSV row that could not be read as a record
            errors.append(item)
        elif key == "records":
            obs, errs = load_record(connector, item, path, now, bounds)
            observations.extend((path, o) for o in obs)
            errors.extend(errs)
        else:
            result = normalise(connector, item, path, now, bounds)
            if isinstance(result, CanonicalObservation):
                observations.append((path, result))
            else:
                errors.extend(result)
    batch = IngestBatch(
        department=department,
        client_id=str(info.get("client_id")),
        channel=channel if (request.mimetype or "") != "text/csv" else "csv",
        payload=body,
        request_hash=_request_hash(body),
        received=len(items),
        observations=observations,
        errors=errors,
        idempotency_key=request.headers.get("Idempotency-Key"),
        max_errors=settings.receipt_max_errors,
    )
    outcome = ingest(ctx.sessions, batch, now, ctx.ingest)
    headers = {"Idempotent-Replayed": "true"} if outcome.replayed else None
    return ok(outcome.receipt, outcome.status, headers)


def push_observations(department: str) -> Response:
    return _run(department, "rest", "observations")


def push_records(department: str) -> Response:
    return _run(department, "records", "records")
