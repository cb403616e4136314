"""API tier: requests go through the real ASGI stack built from the OpenAPI spec."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

from hub import create_app
from hub.settings import Settings


@pytest.fixture
def app(settings: Settings, db: sessionmaker[Session]) -> Iterator[Any]:
    app = create_app(settings)
    yield app
    app.app.extensions["hub"].close()


@pytest.fixture
def client(app: Any) -> Iterator[Any]:
    with app.test_client() as c:
        yield c


@pytest.fixture
def auth(client: Any, db: sessionmaker[Session]) -> Any:
    """``auth(department, *scopes)`` → Authorization headers for a fresh client."""
    from tests.support.auth import bearer, make_client, token_for

    def make(department: str | None, *scopes: str) -> dict[str, str]:
        creds = make_client(db, department, *scopes)
        return bearer(token_for(client, creds))

    return make
