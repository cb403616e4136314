"""Odd tokens signed with the hub's real key (issue 14, finding 7): refused, never a 500."""

from __future__ import annotations

import time
from typing import Any

import pytest
from joserfc import jwt
from joserfc.jwk import OctKey

from tests.support.auth import bearer, make_client

pytestmark = pytest.mark.postgres
READ = "/api/v1/observations"


@pytest.fixture
def water(db) -> dict[str, Any]:
    return make_client(db, "water", "observations:read")


@pytest.fixture
def forge(app, water):
    """``forge(**changes)`` → a token signed with the real key: the claims ``issue`` makes,
    changed as given (``None`` drops a claim)."""
    key = OctKey.import_key(app.app.extensions["hub"].tokens.key)

    def make(**changes: Any) -> str:
        now = int(time.time())
        claims = {
            "iss": "ecohub",
            "sub": water["client_id"],
            "jti": "forged-" + str(now),
            "iat": now,
            "exp": now + 600,
            "scope": "observations:read",
            "dept": "water",
            **changes,
        }
        claims = {k: v for k, v in claims.items() if v is not None}
        return jwt.encode({"alg": "HS256", "typ": "JWT"}, claims, key)

    return make


def test_the_forger_makes_tokens_the_hub_accepts(client, forge) -> None:
    assert client.get(READ, headers=bearer(forge())).status_code == 200
    assert client.get(READ, headers=bearer(forge(nbf=int(time.time()) - 5))).status_code == 200


@pytest.mark.parametrize(
    "changes",
    [
        {"sub": None},
        {"jti": None},
        {"sub": 42},
        {"jti": ""},
        {"exp": None},
        {"exp": "9999999999"},
        {"exp": True},
        {"exp": 1e300},
        {"iat": None},
        {"iat": "0"},
        {"nbf": "0"},
        {"scope": ["observations:read"]},
        {"iss": None},
    ],
    ids=repr,
)
def test_malformed_claims_are_401(client, forge, changes) -> None:
    r = client.get(READ, headers=bearer(forge(**changes)))
    assert r.status_code == 401, r.text
    assert r.headers["content-type"] == "application/problem+json"


def test_not_before_is_honoured(client, forge) -> None:
    later = forge(nbf=int(time.time()) + 300)
    assert client.get(READ, headers=bearer(later)).status_code == 401


@pytest.mark.parametrize("changes", [{"jti": None}, {"sub": None}, {"exp": "9999999999"}], ids=repr)
def test_introspection_and_revocation_of_malformed_tokens(client, forge, water, changes) -> None:
    auth = (water["client_id"], water["client_secret"])
    token = forge(**changes)
    r = client.post("/oauth/introspect", data={"token": token}, auth=auth)
    assert (r.status_code, r.json()) == (200, {"active": False})
    # RFC 7009 §2.2: an invalid token is answered 200 as if revoked.
    assert client.post("/oauth/revoke", data={"token": token}, auth=auth).status_code == 200
