"""Drinking water: sources against GB 3838 class III, tap samples against GB 5749. Pure.

Centralised drinking-water sources must be class III or better (GB 3838 class III is the
limit for 集中式生活饮用水地表水源地二级保护区); a source's month is classed like any
section (``water.surface_month``). A tap (or plant) sample is checked indicator by
indicator against the GB 5749-2022 limits the hub holds; indicators it does not hold are
not evaluated, never counted as compliant.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from hub.assessments.water import SurfaceMonth
from hub.standards import DrinkingResult, WaterClass, check_drinking_water

SOURCE_LIMIT: Final = WaterClass.III


def source_compliant(month: SurfaceMonth) -> bool | None:
    """A source's month complies when its class is III or better; None when unclassed."""
    cls = month.result.water_class
    return None if cls is None else cls <= SOURCE_LIMIT


@dataclass(frozen=True)
class TapSample:
    """One tap-water sample's GB 5749 verdict."""

    result: DrinkingResult

    @property
    def compliant(self) -> bool | None:
        """Every evaluated indicator complies; None when none was evaluated."""
        return self.result.compliant if self.result.checks else None

    @property
    def failed(self) -> list[str]:
        """The indicators over (or under) their limit."""
        return [c.code for c in self.result.checks if not c.compliant]


def tap_sample(targets: Mapping[str, Any], at: datetime, values: Mapping[str, float]) -> TapSample:
    """GB 5749 check of one sample; the point (tap / plant) is ``targets.sample_point``.

    Raises NoEditionInForce before GB 5749-2022, ValueError for an unknown sample point.
    """
    point = str(targets.get("sample_point", "tap"))
    return TapSample(check_drinking_water(values, when=at, point=point))
