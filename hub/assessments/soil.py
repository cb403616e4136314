"""Farmland soil by GB 15618-2018: an element against its risk screening value. Pure.

The screening value depends on the sample's pH band and the land use (paddy / other /
orchard, from the site's ``soil_land_use`` target; default other).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, Final

from hub.standards import SoilResult, assess_soil
from hub.standards import codes as c

SOIL_ELEMENTS: Final = frozenset({c.S_CD, c.S_HG, c.S_AS, c.S_PB, c.S_CR, c.S_CU, c.S_NI, c.S_ZN})
DEFAULT_LAND_USE: Final = "other"


def land_use(targets: Mapping[str, Any]) -> str:
    """The site's land use for GB 15618 (``targets.soil_land_use``, default other)."""
    return str(targets.get("soil_land_use", DEFAULT_LAND_USE))


def soil_sample(
    targets: Mapping[str, Any], values: Mapping[str, float], ph: float, when: datetime
) -> SoilResult:
    """GB 15618 screening of a sample's elements at its pH (other codes are not evaluated)."""
    return assess_soil(values, ph, land_use(targets), when=when)
