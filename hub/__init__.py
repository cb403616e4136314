"""The Yangjiang eco-environment monitoring data hub."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from connexion import FlaskApp

    from hub.settings import Settings


def create_app(settings: Settings | None = None) -> FlaskApp:
    """Build the hub's connexion app (see hub.app)."""
    from hub.app import build_app

    return build_app(settings)


__all__ = ["create_app"]
