"""County summaries (plan §19): per county and month, good-air days and sections on target. Pure.

- Air: for every local day, each daily AQI input (24 h means, O3 max 8 h / 1 h) is the
  mean over the county's stations that have a valid value for it; the county's daily AQI
  is computed from those means (HJ 633, as the city's own daily AQI is). A day is *good*
  when that AQI is at most 100 (优 or 良); days whose AQI is NA are not counted.
- Water: each section of the county with a target class is classed for the month
  (GB 3838, ``water.surface_month``) and meets the target when its class is at least as good.
- Shares are percentages with one decimal, None when nothing was assessed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Final

from hub.assessments.water import SurfaceMonth
from hub.standards import AqiResult, Indicator, NoEditionInForce, daily_aqi
from hub.standards.rounding import mean

GOOD_AQI: Final = 100


def county_day_aqi(day: date, stations: Iterable[Mapping[Indicator, Decimal | None]]) -> AqiResult:
    """The county's daily AQI from its stations' daily inputs (mean of those with a value)."""
    lists: dict[Indicator, list[Decimal]] = defaultdict(list)
    for inds in stations:
        for ind, value in inds.items():
            if value is not None:
                lists[ind].append(value)
    return daily_aqi(day, {ind: mean(values) for ind, values in lists.items()})


@dataclass(frozen=True)
class Tally:
    """How many were assessed and how many of them passed."""

    assessed: int = 0
    passed: int = 0

    def add(self, ok: bool) -> Tally:
        """This tally with one more assessed (and passed when ``ok``)."""
        return Tally(self.assessed + 1, self.passed + ok)

    @property
    def share(self) -> float | None:
        """Passed as a percentage (one decimal); None when nothing was assessed."""
        return round(100 * self.passed / self.assessed, 1) if self.assessed else None


def good_air_days(
    days: Mapping[date, Iterable[Mapping[Indicator, Decimal | None]]],
) -> dict[str, Tally]:
    """Per ``YYYY-MM``: days with a county AQI, and good ones (AQI ≤ 100)."""
    out: dict[str, Tally] = defaultdict(Tally)
    for day, stations in days.items():
        try:
            result = county_day_aqi(day, stations)
        except NoEditionInForce:
            continue
        if result.aqi is not None:
            key = day.strftime("%Y-%m")
            out[key] = out[key].add(result.aqi <= GOOD_AQI)
    return dict(out)


def sections_on_target(months: Iterable[SurfaceMonth]) -> Tally:
    """Sections classed against a target, and those meeting it (unclassed ones not counted)."""
    tally = Tally()
    for month in months:
        if month.met is not None:
            tally = tally.add(month.met)
    return tally
