"""GET/POST /alarm-subscriptions, DELETE /alarm-subscriptions/{id}: alarm webhooks."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import Response

from hub.alarms import subscriptions as svc
from hub.api.common import ok
from hub.api.deps import alarm_runtime, session_scope, token_info


def _caller() -> tuple[str | None, bool]:
    info = token_info()
    client = info.get("client_id")
    return (str(client) if client else None), "admin" in info.get("scope", [])


def search() -> Response:
    client, admin = _caller()
    with session_scope() as s:
        return ok(svc.list_subscriptions(s, client, admin))


def create(body: dict[str, Any]) -> Response:
    client, _admin = _caller()
    runtime = alarm_runtime()
    with session_scope() as s:
        doc = svc.create_subscription(
            s,
            runtime.box,
            url=body["url"],
            kinds=body.get("kinds") or (),
            counties=body.get("counties") or (),
            description=body.get("description"),
            client_id=client,
            now=datetime.now(UTC),
            egress=runtime.config.egress(),
        )
    return ok(doc, 201)


def delete(id_: str) -> Response:
    client, admin = _caller()
    with session_scope() as s:
        svc.delete_subscription(s, id_, client, admin)
    return Response(status=204)
