"""ASGI entry point for servers that import an app factory (``uvicorn --factory``)."""

from __future__ import annotations

from typing import Any


def app_factory() -> Any:
    """Build the app from the environment's settings (one per worker process)."""
    from hub import create_app

    return create_app()
