"""Assessment tests that go through the API use the API tier's app and client fixtures."""

from tests.api.conftest import app, auth, client

__all__ = ["app", "auth", "client"]
