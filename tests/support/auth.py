"""Clients and tokens for tests, made the way users make them."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from hub.auth.clients import create_client


def make_client(
    db: sessionmaker[Session], department: str | None, *scopes: str, name: str = "test client"
) -> dict[str, Any]:
    with db.begin() as s:
        return create_client(s, name, department, list(scopes))


def token_for(client: Any, creds: dict[str, Any], scope: str | None = None) -> str:
    data = {"grant_type": "client_credentials"}
    if scope:
        data["scope"] = scope
    r = client.post("/oauth/token", data=data, auth=(creds["client_id"], creds["client_secret"]))
    assert r.status_code == 200, r.text
    return str(r.json()["access_token"])


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
