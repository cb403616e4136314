"""Manage OAuth2 clients: create (secret shown once), list, revoke."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from hub.auth import SCOPES
from hub.auth.secrets import hash_secret, new_client_id, new_secret
from hub.db.auth import OAuthClient
from hub.db.reference import Department
from hub.errors import FieldError, NotFound, ValidationFailed


def client_doc(c: OAuthClient) -> dict[str, Any]:
    return {
        "client_id": c.client_id,
        "name": c.name,
        "department": c.department_code,
        "scopes": list(c.scopes),
        "created_at": c.created_at.isoformat(),
        "revoked_at": c.revoked_at.isoformat() if c.revoked_at else None,
    }


def create_client(
    session: Session, name: str, department: str | None, scopes: list[str]
) -> dict[str, Any]:
    """Create a client; the returned secret is the only copy there will ever be."""
    errors = []
    unknown = sorted(set(scopes) - set(SCOPES))
    if unknown:
        errors.append(FieldError("scope", f"unknown scopes {unknown}; known: {list(SCOPES)}"))
    if not scopes:
        errors.append(FieldError("scope", "at least one scope is required"))
    if department is not None and session.get(Department, department) is None:
        errors.append(FieldError("department", f"unknown department '{department}'"))
    if "observations:write" in scopes and department is None:
        errors.append(
            FieldError("department", "observations:write needs a department to limit it to")
        )
    if not name.strip():
        errors.append(FieldError("name", "a name is required"))
    if errors:
        raise ValidationFailed("; ".join(e.message for e in errors), errors=errors)
    secret = new_secret()
    client = OAuthClient(
        client_id=new_client_id(),
        name=name.strip(),
        department_code=department,
        scopes=sorted(set(scopes)),
        secret_hash=hash_secret(secret),
        created_at=datetime.now(UTC),
    )
    session.add(client)
    session.flush()
    return {
        "client_id": client.client_id,
        "client_secret": secret,
        "department": department,
        "scopes": client.scopes,
    }


def list_clients(session: Session) -> list[dict[str, Any]]:
    return [
        client_doc(c) for c in session.scalars(select(OAuthClient).order_by(OAuthClient.created_at))
    ]


def revoke_client(session: Session, client_id: str) -> dict[str, Any]:
    """Revoke a client: its tokens stop working within seconds and it gets no new ones."""
    client = session.get(OAuthClient, client_id)
    if client is None:
        raise NotFound(f"no client '{client_id}'")
    if client.revoked_at is None:
        client.revoked_at = datetime.now(UTC)
    return client_doc(client)
