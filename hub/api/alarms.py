"""GET /alarms, GET /alarms/{id}, POST /alarms/{id}/acknowledge."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import Response

from hub.alarms import service
from hub.api.common import instant_param, ok, page_request
from hub.api.deps import alarm_runtime, session_scope, token_info


def search(
    page: int = 1,
    limit: int = 100,
    kind: str | None = None,
    status: str | None = None,
    county: str | None = None,
    site: str | None = None,
    parameter: str | None = None,
    from_: str | None = None,
    to: str | None = None,
) -> Response:
    q = service.AlarmQuery(
        kind=kind,
        status=status,
        county=county,
        site=site,
        parameter=parameter,
        start=instant_param("from", from_),
        end=instant_param("to", to),
    )
    with session_scope() as s:
        return ok(service.list_alarms(s, q, page_request(page, limit)))


def get(id_: str) -> Response:
    with session_scope() as s:
        return ok(service.get_alarm(s, id_))


def acknowledge(id_: str, body: dict[str, Any] | None = None) -> Response:
    who = str(token_info().get("client_id") or "unknown")
    note = (body or {}).get("note")
    with session_scope() as s:
        doc, changed = service.acknowledge(s, id_, who, note, datetime.now(UTC))
    runtime = alarm_runtime()
    if changed:
        runtime.notifier.notify()
    return ok(doc)
