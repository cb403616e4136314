"""API tier: requests go through the real ASGI stack built from the OpenAPI spec."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

from hub import create_app
from hub.settings import Settings


@pytest.fixture
def app(settings: Settings, db: sessionmaker[Session]) -> Any:
    return create_app(settings)


@pytest.fixture
def client(app: Any) -> Iterator[Any]:
    with app.test_client() as c:
        yield c
