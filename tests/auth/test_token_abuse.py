"""The token endpoints under abuse (issue 14, finding 4): rate limits, the same answer and
the same work for unknown ids, RFC 6749 errors whatever goes wrong."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from hub import create_app
from hub.auth import server as oauth_server
from tests.support.auth import make_client
from tests.support.net import free_port

pytestmark = pytest.mark.postgres
GRANT = {"grant_type": "client_credentials"}


@pytest.fixture
def water(db) -> dict[str, Any]:
    return make_client(db, "water", "observations:read")


@contextmanager
def _client_with(settings, **changes: Any) -> Iterator[Any]:
    """A test client of a hub with these settings changed (and no alarm worker)."""
    app = create_app(settings.with_(extra={"alarms": {"worker": False}}, **changes))
    try:
        with app.test_client() as c:
            yield c
    finally:
        app.app.extensions["hub"].close()


@pytest.fixture
def strict(settings, db) -> Iterator[Any]:
    """A hub allowing 3 token requests a minute per IP and 2 per client id."""
    with _client_with(settings, token_rate="3/minute", token_client_rate="2/minute") as c:
        yield c


def _token(client, creds: dict[str, Any], secret: str | None = None) -> Any:
    return client.post(
        "/oauth/token", data=GRANT, auth=(creds["client_id"], secret or creds["client_secret"])
    )


def test_requests_per_ip_are_limited_with_retry_after(strict, db, water) -> None:
    others = [make_client(db, "water", "observations:read") for _ in range(3)]
    assert [_token(strict, c).status_code for c in others] == [200, 200, 200]
    r = _token(strict, water)  # a fresh client id, but the same address
    assert r.status_code == 429
    assert r.headers["Content-Type"] == "application/json"
    assert 1 <= int(r.headers["Retry-After"]) <= 60
    assert r.headers["Cache-Control"] == "no-store"
    assert r.json()["error"] == "slow_down" and "retry" in r.json()["error_description"]
    # Introspection and revocation authenticate clients too: the same budget.
    r = strict.post("/oauth/introspect", data={"token": "x"}, auth=(water["client_id"], "x"))
    assert r.status_code == 429


def test_requests_per_client_id_are_limited(settings, db, water) -> None:
    with _client_with(settings, token_rate="100/minute", token_client_rate="2/minute") as client:
        assert _token(client, water, "wrong").status_code == 401
        assert _token(client, water, "wrong").status_code == 401
        # Guessing is over for this id, even with the right secret; others are unaffected.
        r = _token(client, water)
        assert r.status_code == 429 and r.json()["error"] == "slow_down"
        other = make_client(db, "water", "observations:read")
        assert _token(client, other).status_code == 200


def test_unknown_ids_get_the_same_answer_and_the_same_work(client, db, water, monkeypatch) -> None:
    checked: list[str] = []
    real = oauth_server.verify_secret

    def counting(secret: str, stored: str) -> bool:
        checked.append(stored)
        return real(secret, stored)

    monkeypatch.setattr(oauth_server, "verify_secret", counting)
    revoked = make_client(db, "water", "observations:read")
    from hub.auth.clients import revoke_client

    with db.begin() as s:
        revoke_client(s, revoked["client_id"])
    answers = []
    for client_id in (water["client_id"], "hub_" + "0" * 24, revoked["client_id"]):
        checked.clear()
        r = client.post("/oauth/token", data=GRANT, auth=(client_id, "not-the-secret"))
        answers.append((r.status_code, r.json()))
        assert len(checked) == 1, client_id  # one scrypt check each, known or not
    assert answers == [answers[0]] * 3
    assert answers[0] == (
        401,
        {"error": "invalid_client", "error_description": "client authentication failed"},
    )


@pytest.mark.parametrize(
    "data, auth",
    [
        ({**GRANT, "client_id": "a\x00b", "client_secret": "s"}, None),
        ({**GRANT, "client_id": "x" * 100_000, "client_secret": "s"}, None),
        (GRANT, ("é\x00", "s")),
        (GRANT, None),  # no credentials at all
    ],
    ids=["nul", "long", "basic-nul", "none"],
)
def test_odd_client_ids_are_invalid_client(client, data, auth) -> None:
    r = client.post("/oauth/token", data=data, auth=auth)
    assert r.status_code in {400, 401}, r.text
    assert r.json()["error"] == "invalid_client"
    assert "cannot authenticate" not in r.text


def test_malformed_basic_header_is_invalid_client(client) -> None:
    r = client.post("/oauth/token", data=GRANT, headers={"Authorization": "Basic %%%"})
    assert r.status_code == 401 and r.json()["error"] == "invalid_client"


def test_database_down_is_an_rfc6749_error(settings) -> None:
    down = settings.with_(
        database_url=f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/ecohub",
    )
    with _client_with(down) as client:
        r = client.post("/oauth/token", data=GRANT, auth=("hub_" + "0" * 24, "secret"))
        assert r.status_code == 503
        assert r.headers["Content-Type"] == "application/json"
        assert r.headers["Retry-After"]
        assert r.json()["error"] == "temporarily_unavailable"
