"""Fixtures every test tier shares: the run's database, the app, a client and tokens.

Every run creates its own PostgreSQL database, applies the migrations from empty and loads
the reference network through the same code users run (``ecohub db upgrade``,
``ecohub reference load``).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker

from hub import create_app
from hub.db.engine import make_engine, make_session_factory
from hub.settings import Settings
from tests.support import postgres
from tests.support.auth import bearer, make_client, token_for

# Tables the reference load fills; every other table is emptied between tests.
REFERENCE_TABLES = {"departments", "counties", "networks", "parameters", "sites",
                    "alembic_version", "audit_head"}


@pytest.fixture(scope="session")
def pg_admin_url() -> Iterator[str]:
    try:
        with postgres.server_url() as url:
            yield url
    except postgres.PostgresUnavailable as exc:
        pytest.fail(str(exc), pytrace=False)


@pytest.fixture(scope="session")
def pg_url(pg_admin_url: str) -> Iterator[str]:
    """A migrated database with the reference network loaded, for this run."""
    with postgres.reference_database(pg_admin_url) as url:
        yield url


@pytest.fixture(scope="session")
def pg_engine(pg_url: str) -> Iterator[Engine]:
    engine = make_engine(pg_url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def reference_site_max(pg_engine: Engine) -> int:
    with pg_engine.connect() as conn:
        return int(conn.execute(text("SELECT max(id) FROM sites")).scalar_one())


@pytest.fixture
def db(pg_engine: Engine, reference_site_max: int) -> Iterator[sessionmaker[Session]]:
    """A session factory on the shared database, emptied of test-created rows afterwards."""
    yield make_session_factory(pg_engine)
    with pg_engine.begin() as conn:
        from sqlalchemy import inspect

        existing = inspect(conn).get_table_names()
        tables = ", ".join(t for t in existing if t not in REFERENCE_TABLES)
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        conn.execute(text("UPDATE audit_head SET seq = 0, hash = :g"), {"g": "0" * 64})
        # The alarm engine's state row, as migration 0010 seeds it.
        conn.execute(text("INSERT INTO alarm_engine_state (name, cursor, evaluated) "
                          "VALUES ('default', '', 0)"))
        # Sites registered by tests; the reference network stays.
        conn.execute(text("DELETE FROM sites WHERE id > :m"), {"m": reference_site_max})


@pytest.fixture
def settings(pg_url: str, tmp_path: Path) -> Settings:
    return Settings(
        instance_path=tmp_path,
        database_url=pg_url,
        log_json=False,
        log_level="WARNING",
        token_signing_key="test-signing-key-" + "x" * 32,
    )


@pytest.fixture
def app(settings: Settings, db: sessionmaker[Session]) -> Iterator[Any]:
    """The hub's ASGI app built from the OpenAPI spec (``hub.create_app``) on the test database."""
    app = create_app(settings)
    yield app
    app.app.extensions["hub"].close()


@pytest.fixture
def client(app: Any) -> Iterator[Any]:
    """A test client: requests go through the real ASGI stack (security, validation, routing)."""
    with app.test_client() as c:
        yield c


@pytest.fixture
def auth(client: Any, db: sessionmaker[Session]) -> Any:
    """``auth(department, *scopes)`` → Authorization headers for a fresh client."""

    def make(department: str | None, *scopes: str) -> dict[str, str]:
        creds = make_client(db, department, *scopes)
        return bearer(token_for(client, creds))

    return make
