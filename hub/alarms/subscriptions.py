"""Webhook subscriptions: register (the secret is shown once), list, delete."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from hub.alarms.egress import EgressPolicy
from hub.alarms.signing import SecretBox, new_webhook_secret
from hub.alarms.types import Kind
from hub.db.alarms import AlarmDelivery, AlarmSubscription
from hub.db.reference import County
from hub.errors import FieldError, NotFound, ValidationFailed
from hub.timeutil import iso_utc

_KINDS = {k.value for k in Kind}


def _url_errors(url: str, egress: EgressPolicy) -> list[FieldError]:
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 -- raises ValueError on a port out of range or not a number
    except ValueError:
        return [FieldError("body.url", "not a valid URL")]
    errors = []
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        errors.append(FieldError("body.url", "an absolute http or https URL is required"))
    elif not egress.check_url_host(parts.hostname):
        errors.append(
            FieldError(
                "body.url",
                "webhooks go to public addresses only: loopback, private, link-local, multicast "
                "and reserved addresses are refused unless the operator allows them "
                "(HUB_WEBHOOK_ALLOW)",
                "address",
            )
        )
    if parts.username or parts.password:
        errors.append(
            FieldError(
                "body.url",
                "credentials do not belong in the URL; the HMAC signature authenticates the hub",
            )
        )
    return errors


def _validate(
    session: Session,
    url: str,
    kinds: Sequence[str],
    counties: Sequence[str],
    egress: EgressPolicy,
) -> None:
    errors = _url_errors(url, egress)
    errors += [
        FieldError(f"body.kinds[{i}]", f"unknown kind '{k}'; known: {sorted(_KINDS)}", "enum")
        for i, k in enumerate(kinds)
        if k not in _KINDS
    ]
    if counties:
        known = set(session.scalars(select(County.code).where(County.code.in_(list(counties)))))
        errors += [
            FieldError(f"body.counties[{i}]", f"unknown county '{c}'", "unknown")
            for i, c in enumerate(counties)
            if c not in known
        ]
    if errors:
        raise ValidationFailed("; ".join(e.message for e in errors), errors=errors)


def _doc(session: Session, sub: AlarmSubscription) -> dict[str, Any]:
    d = AlarmDelivery
    pending = session.scalar(
        select(func.count())
        .select_from(d)
        .where(d.subscription_id == sub.id, d.status == "pending")
    )
    last = session.scalar(
        select(d)
        .where(d.subscription_id == sub.id, d.status == "pending")
        .order_by(d.event_seq)
        .limit(1)
    )
    delivered_at = session.scalar(
        select(func.max(d.delivered_at)).where(d.subscription_id == sub.id)
    )
    return {
        "id": sub.id,
        "url": sub.url,
        "kinds": sub.kinds or [],
        "counties": sub.counties or [],
        "description": sub.description,
        "client_id": sub.client_id,
        "created_at": iso_utc(sub.created_at),
        "pending": int(pending or 0),
        "last_delivered_at": iso_utc(delivered_at) if delivered_at else None,
        "last_error": last.last_error if last else None,
        "next_attempt_at": iso_utc(last.next_attempt_at) if last and last.attempts else None,
    }


def create_subscription(
    session: Session,
    box: SecretBox,
    *,
    url: str,
    kinds: Sequence[str] = (),
    counties: Sequence[str] = (),
    description: str | None = None,
    client_id: str | None,
    now: datetime,
    egress: EgressPolicy | None = None,
) -> dict[str, Any]:
    """Register a webhook. The returned ``secret`` is the only time it is shown.

    A URL naming a literal address ``egress`` refuses (by default: anything not public) is
    a 422; a host name is judged again at every delivery, against what it then resolves to.
    """
    _validate(session, url, kinds, counties, egress or EgressPolicy())
    secret = new_webhook_secret()
    sub = AlarmSubscription(
        id=str(uuid.uuid4()),
        url=url,
        kinds=sorted(set(kinds)) or None,
        counties=sorted(set(counties)) or None,
        secret_encrypted=box.seal(secret),
        client_id=client_id,
        description=description,
        created_at=now,
    )
    session.add(sub)
    session.flush()
    return {**_doc(session, sub), "secret": secret}


def _visible(client_id: str | None, admin: bool) -> Any:
    stmt = select(AlarmSubscription).order_by(AlarmSubscription.created_at)
    return stmt if admin else stmt.where(AlarmSubscription.client_id == client_id)


def list_subscriptions(session: Session, client_id: str | None, admin: bool) -> dict[str, Any]:
    """The caller's subscriptions (every one for an admin), never their secrets."""
    subs = list(session.scalars(_visible(client_id, admin)))
    results = [_doc(session, s) for s in subs]
    return {"meta": {"page": 1, "limit": len(results), "found": len(results)}, "results": results}


def delete_subscription(session: Session, sub_id: str, client_id: str | None, admin: bool) -> None:
    """Remove a subscription and whatever it was still owed."""
    sub = session.get(AlarmSubscription, sub_id)
    if sub is None or (not admin and sub.client_id != client_id):
        raise NotFound(f"no subscription '{sub_id}' for this client")
    session.execute(delete(AlarmDelivery).where(AlarmDelivery.subscription_id == sub_id))
    session.delete(sub)
