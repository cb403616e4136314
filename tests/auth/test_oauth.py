"""The hub as an OAuth2 authorization server (client credentials, RFC 6749/7009/7662)."""

import time

import pytest

from tests.support.auth import bearer, make_client, token_for

pytestmark = pytest.mark.postgres


@pytest.fixture
def water(db):
    return make_client(db, "water", "observations:write", "observations:read")


def test_token_with_basic_auth(client, water) -> None:
    r = client.post(
        "/oauth/token",
        data={"grant_type": "client_credentials"},
        auth=(water["client_id"], water["client_secret"]),
    )
    assert r.status_code == 200
    body = r.json()
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 3600
    assert set(body["scope"].split()) == {"observations:write", "observations:read"}


def test_token_with_secret_in_body_and_narrower_scope(client, water) -> None:
    r = client.post(
        "/oauth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": water["client_id"],
            "client_secret": water["client_secret"],
            "scope": "observations:read",
        },
    )
    assert r.status_code == 200
    assert r.json()["scope"] == "observations:read"


def test_wrong_secret_is_invalid_client(client, water) -> None:
    r = client.post(
        "/oauth/token",
        data={"grant_type": "client_credentials"},
        auth=(water["client_id"], "not-the-secret"),
    )
    assert r.status_code == 401
    assert r.json()["error"] == "invalid_client"


def test_other_grant_types_are_refused(client, water) -> None:
    r = client.post(
        "/oauth/token",
        data={"grant_type": "password", "username": "x", "password": "y"},
        auth=(water["client_id"], water["client_secret"]),
    )
    assert r.status_code == 400
    assert r.json()["error"] == "unsupported_grant_type"


def test_secrets_are_stored_hashed(db, water) -> None:
    from hub.db.auth import OAuthClient

    with db() as s:
        row = s.get(OAuthClient, water["client_id"])
        assert row is not None
        assert water["client_secret"] not in row.secret_hash
        assert row.secret_hash.startswith("scrypt$")


def test_revoked_token_stops_working(client, water) -> None:
    token = token_for(client, water)
    assert client.get("/api/v1/observations", headers=bearer(token)).status_code == 200
    r = client.post(
        "/oauth/revoke", data={"token": token}, auth=(water["client_id"], water["client_secret"])
    )
    assert r.status_code == 200
    r = client.get("/api/v1/observations", headers=bearer(token))
    assert r.status_code == 401
    assert r.headers["content-type"] == "application/problem+json"


def test_revocation_reaches_other_workers_within_seconds(app, client, db, water) -> None:
    """Another process revokes (here: a row written directly); this one notices on refresh."""
    from datetime import UTC, datetime

    from hub.db.auth import RevokedToken

    token = token_for(client, water)
    claims = app.app.extensions["hub"].tokens.decode(token)
    with db.begin() as s:
        s.add(
            RevokedToken(
                jti=claims["jti"],
                client_id=water["client_id"],
                expires_at=datetime.fromtimestamp(claims["exp"], UTC),
                revoked_at=datetime.now(UTC),
            )
        )
    deadline = time.monotonic() + 8
    while client.get("/api/v1/observations", headers=bearer(token)).status_code == 200:
        assert time.monotonic() < deadline, "revocation not honoured within 8 s"
        time.sleep(0.5)


def test_revoked_client_gets_no_tokens_and_its_tokens_fail(app, client, db, water) -> None:
    from hub.auth.clients import revoke_client

    token = token_for(client, water)
    with db.begin() as s:
        revoke_client(s, water["client_id"])
    app.app.extensions["hub"].tokens.revocations.refresh()  # what the 5 s timer does
    assert client.get("/api/v1/observations", headers=bearer(token)).status_code == 401
    r = client.post(
        "/oauth/token",
        data={"grant_type": "client_credentials"},
        auth=(water["client_id"], water["client_secret"]),
    )
    assert r.status_code == 401


def test_expired_token_is_401(app, client, water) -> None:
    tokens = app.app.extensions["hub"].tokens
    token = token_for(client, water)
    real = tokens.clock
    tokens.clock = lambda: real() + 3601
    try:
        r = client.get("/api/v1/observations", headers=bearer(token))
    finally:
        tokens.clock = real
    assert r.status_code == 401


def test_forged_token_is_401(client) -> None:
    r = client.get("/api/v1/observations", headers=bearer("eyJhbGciOiJub25lIn0.e30."))
    assert r.status_code == 401


def test_introspection(client, db, water) -> None:
    token = token_for(client, water)
    auth = (water["client_id"], water["client_secret"])
    r = client.post("/oauth/introspect", data={"token": token}, auth=auth)
    assert r.status_code == 200
    body = r.json()
    assert body["active"] is True
    assert body["department"] == "water"
    assert body["client_id"] == water["client_id"]
    client.post("/oauth/revoke", data={"token": token}, auth=auth)
    assert client.post("/oauth/introspect", data={"token": token}, auth=auth).json() == {
        "active": False
    }


def test_another_client_cannot_introspect_your_token(client, db, water) -> None:
    other = make_client(db, "marine", "observations:write")
    token = token_for(client, water)
    r = client.post(
        "/oauth/introspect",
        data={"token": token},
        auth=(other["client_id"], other["client_secret"]),
    )
    # RFC 7662 §2.2: a token the caller may not see is reported as inactive.
    assert r.status_code == 200
    assert r.json() == {"active": False}
