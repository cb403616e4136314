"""Issue 14, finding 8: while the database refuses connections every endpoint says 503.

A real unreachable database: a PostgreSQL URL on a port nothing listens on, and one naming
a database that does not exist on the running server.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import make_url

from hub import create_app
from hub.settings import Settings
from tests.support.net import free_port

ENDPOINTS = [
    "/api/v1/sites",
    "/api/v1/sites/YJ-SW-01",
    "/api/v1/departments",
    "/api/v1/air/aqi/latest",
    "/api/v1/water/quality?site=YJ-SW-01&month=2026-10",
    "/api/v1/catalogue/dcat.jsonld",
]


@pytest.fixture(params=["closed-port", "missing-database"])
def down_client(request: Any, pg_url: str, tmp_path: Path) -> Iterator[Any]:
    if request.param == "closed-port":
        url = f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/hub"
    else:
        url = make_url(pg_url).set(database="ecohub_no_such_db").render_as_string(False)
    settings = Settings(
        instance_path=tmp_path,
        database_url=url,
        log_json=False,
        log_level="CRITICAL",
        token_signing_key="test-signing-key-" + "x" * 32,
    )
    app = create_app(settings)
    try:
        with app.test_client() as c:
            yield c
    finally:
        app.app.extensions["hub"].close()


def test_every_endpoint_answers_503_with_retry_after(down_client: Any) -> None:
    for url in ENDPOINTS:
        r = down_client.get(url)
        assert r.status_code == 503, (url, r.status_code, r.text[:300])
        assert r.headers["content-type"].startswith("application/problem+json")
        assert r.headers["retry-after"] == "5"
        assert r.json()["type"].endswith("/service-unavailable")
    assert down_client.get("/api/v1/health").status_code == 503


def test_the_token_endpoint_answers_an_rfc_6749_error(down_client: Any) -> None:
    r = down_client.post(
        "/oauth/token", data={"grant_type": "client_credentials"}, auth=("someone", "secret")
    )
    assert r.status_code == 503, r.text
    assert r.headers["content-type"].startswith("application/json")
    assert r.json()["error"] == "temporarily_unavailable"
    assert r.headers["retry-after"] == "5"


def test_retry_after_is_a_setting() -> None:
    assert Settings.from_env({"HUB_DB_RETRY_AFTER_SECONDS": "30"}).db_retry_after_seconds == 30


class _DriverError(Exception):
    def __init__(self, sqlstate: str | None) -> None:
        super().__init__("driver error")
        self.sqlstate = sqlstate


@pytest.mark.parametrize(
    ("sqlstate", "unavailable"),
    [(None, True), ("08006", True), ("57P01", True), ("3D000", True), ("53300", True),
     ("40P01", False), ("57014", False)],
)
def test_only_a_database_that_is_away_is_a_503(sqlstate: str | None, unavailable: bool) -> None:
    from sqlalchemy.exc import OperationalError

    from hub.db.engine import database_unreachable

    exc = OperationalError("SELECT 1", {}, _DriverError(sqlstate))
    assert database_unreachable(exc) is unavailable
