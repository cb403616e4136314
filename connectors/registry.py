"""The department registry: one connector per department, by department code."""

from __future__ import annotations

from connectors import (
    agriculture,
    environment,
    forestry,
    health,
    land,
    marine,
    maritime,
    meteorology,
    water,
)
from connectors.base import Connector

REGISTRY: dict[str, Connector] = {
    c.department: c
    for c in (
        environment.CONNECTOR,
        land.CONNECTOR,
        water.CONNECTOR,
        agriculture.CONNECTOR,
        forestry.CONNECTOR,
        marine.CONNECTOR,
        health.CONNECTOR,
        meteorology.CONNECTOR,
        maritime.CONNECTOR,
    )
}


def get_connector(department: str) -> Connector | None:
    """The connector of ``department``, or None for an unknown department."""
    return REGISTRY.get(department)
