"""The Yangjiang eco-environment monitoring data hub."""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING

# connexion imports starlette's test client at import time, and starlette then warns every
# process (each `ecohub serve` worker) about a test-only dependency the hub does not use.
warnings.filterwarnings(
    "ignore", message=r"Using `httpx` with `starlette\.testclient` is deprecated"
)

if TYPE_CHECKING:
    from connexion import FlaskApp

    from hub.settings import Settings


def create_app(settings: Settings | None = None) -> FlaskApp:
    """Build the hub's connexion app (see hub.app)."""
    from hub.app import build_app

    return build_app(settings)


__all__ = ["create_app"]
