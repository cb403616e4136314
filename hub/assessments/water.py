"""Water quality classes: GB 3838 sections and GB 3097 sea points, by month or sample. Pure.

A month's samples are every valid value of the local month (any period: grab samples,
automatic-station hours, monthly means). Each parameter's samples are averaged, then
classed — the single-factor method of 环办〔2011〕22号 for GB 3838 (rivers vs lakes and
reservoirs from ``targets.waterbody``), the worst item for GB 3097 (the same monthly
averaging, a hub decision: GB 3097 itself classes single samples). A parameter fails when
its class is worse than the site's target class; its exceedance multiple is against the
target class's limit (value / limit − 1; limit / value − 1 for DO; none for pH or ranges).
A single sample (the alarm rules) is classed item by item against the same target.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Final

from hub.standards import (
    GB3838_TABLES,
    SEAWATER_TABLES,
    STANDARD_PARAMETERS,
    SeaClass,
    SeawaterResult,
    SectionResult,
    WaterBody,
    WaterClass,
    item_class,
    seawater_class,
    seawater_item_class,
    section_class,
)
from hub.standards import codes as c
from hub.standards.editions import in_force
from hub.standards.surface_water import period_means
from hub.timeutil import local_day_bounds

#: The parameters a water month is assessed on (GB 3838 ∪ GB 3097).
WATER_CODES: Final = STANDARD_PARAMETERS["GB 3838"] | STANDARD_PARAMETERS["GB 3097"]
_LAKES: Final = frozenset({"lake", "reservoir"})
Samples = Mapping[str, Sequence[float]]


def month_bounds(month: date) -> tuple[datetime, datetime]:
    """The UTC instants at which the local month of ``month`` starts and ends."""
    first = month.replace(day=1)
    nxt = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return local_day_bounds(first)[0], local_day_bounds(nxt)[0]


def month_samples(
    values: Iterable[tuple[str, datetime, float]],
) -> tuple[dict[str, list[float]], int]:
    """Per-parameter samples of (code, time, valid value) triples, and the sampling times."""
    samples: dict[str, list[float]] = defaultdict(list)
    times = set()
    for code, at, value in values:
        if code in WATER_CODES:
            samples[code].append(value)
            times.add(at)
    return dict(samples), len(times)


def water_body(targets: Mapping[str, Any]) -> WaterBody:
    """Lakes and reservoirs take GB 3838's lake columns (TP, TN); anything else is a river."""
    kind = str(targets.get("waterbody") or "river").lower()
    return WaterBody.LAKE if kind in _LAKES else WaterBody.RIVER


def surface_target(targets: Mapping[str, Any]) -> WaterClass | None:
    """The site's ``water_class`` target (I … V), if it has a valid one."""
    label = str(targets.get("water_class") or "").strip().upper()
    return WaterClass[label] if label in WaterClass.__members__ else None


def sea_target(targets: Mapping[str, Any]) -> SeaClass | None:
    """The site's ``seawater_class`` target (1 … 4), if it has a valid one."""
    raw = str(targets.get("seawater_class", "")).strip()
    return SeaClass(int(raw)) if raw in {"1", "2", "3", "4"} else None


def water_limit(
    code: str, target: WaterClass, body: WaterBody, when: date | datetime
) -> Decimal | None:
    """The GB 3838 limit of the ``target`` class for ``code`` (None for pH, or no such item)."""
    item = in_force(GB3838_TABLES, when).items.get(code)
    if item is None or target > WaterClass.V:
        return None
    limits = item.lake_limits if body is WaterBody.LAKE and item.lake_limits else item.limits
    return limits[target - 1]


def sea_limit(code: str, target: SeaClass, when: date | datetime) -> Decimal | None:
    """The GB 3097 limit of the ``target`` class for ``code`` (None for a range such as pH)."""
    item = in_force(SEAWATER_TABLES, when).items.get(code)
    if item is None or item.rule == "range" or not item.limits:
        return None
    return item.limits[target - 1]


def exceedance(value: Decimal, limit: Decimal | None, higher_is_better: bool) -> float | None:
    """How far ``value`` is beyond ``limit`` (a multiple: 0.3 is 30 % over)."""
    if limit is None:
        return None
    if higher_is_better:
        return None if value <= 0 else float(limit / value - 1)
    return float(value / limit - 1)


def sea_label(cls: SeaClass) -> str:
    """A GB 3097 class as the API writes it: "1" … "4", "劣四类"."""
    return "劣四类" if cls is SeaClass.WORSE_THAN_4 else str(int(cls))


@dataclass(frozen=True)
class Failing:
    """A parameter worse than the site's target class."""

    parameter: str
    mean: Decimal
    label: str
    target_limit: Decimal | None
    exceedance: float | None


def _by_exceedance(f: Failing) -> float:
    return -(f.exceedance or 0)


@dataclass(frozen=True)
class SurfaceMonth:
    """GB 3838 class of a section for a month, against its target."""

    result: SectionResult
    target: WaterClass | None
    failing: tuple[Failing, ...]

    @property
    def met(self) -> bool | None:
        """Class at least as good as the target; None without either."""
        cls = self.result.water_class
        return None if cls is None or self.target is None else cls <= self.target


@dataclass(frozen=True)
class SeaMonth:
    """GB 3097 class of a sea point for a month, against its target."""

    result: SeawaterResult
    target: SeaClass | None
    failing: tuple[Failing, ...]

    @property
    def met(self) -> bool | None:
        """Class at least as good as the target; None without either."""
        cls = self.result.sea_class
        return None if cls is None or self.target is None else cls <= self.target


def surface_month(targets: Mapping[str, Any], month: date, samples: Samples) -> SurfaceMonth:
    """GB 3838 single-factor class of the month's means; raises NoEditionInForce."""
    body, target = water_body(targets), surface_target(targets)
    result = section_class(period_means(samples), body=body, when=month)
    table = in_force(GB3838_TABLES, month)
    failing = []
    for item in result.items:
        if target is None or item.water_class <= target:
            continue
        spec = table.items.get(item.code)
        limit = water_limit(item.code, target, body, month)
        better_high = spec.higher_is_better if spec else False
        failing.append(
            Failing(
                item.code,
                item.value,
                item.water_class.label,
                limit,
                exceedance(item.value, limit, better_high),
            )
        )
    failing.sort(key=_by_exceedance)
    return SurfaceMonth(result, target, tuple(failing))


def sea_month(targets: Mapping[str, Any], month: date, samples: Samples) -> SeaMonth:
    """GB 3097 class (worst item) of the month's means; raises NoEditionInForce."""
    target = sea_target(targets)
    result = seawater_class(period_means(samples), when=month)
    table = in_force(SEAWATER_TABLES, month)
    failing = []
    for item in result.items:
        if target is None or item.sea_class <= target:
            continue
        limit = sea_limit(item.code, target, month)
        lower_bound = table.items[item.code].rule == "min_exclusive"
        failing.append(
            Failing(
                item.code,
                item.value,
                sea_label(item.sea_class),
                limit,
                exceedance(item.value, limit, lower_bound),
            )
        )
    failing.sort(key=_by_exceedance)
    return SeaMonth(result, target, tuple(failing))


@dataclass(frozen=True)
class SampleVerdict:
    """One sample's item against the site's target class (the alarm rules' question)."""

    edition: str
    label: str
    number: int
    breach: bool
    limit: Decimal | None
    target: str
    exceedance: Decimal | None = None


def surface_sample(
    targets: Mapping[str, Any], code: str, value: float, when: datetime
) -> SampleVerdict | None:
    """A GB 3838 item of one sample against the target; None when not judged."""
    target = surface_target(targets)
    table = in_force(GB3838_TABLES, when)
    item = table.items.get(code)
    if target is None or (code != c.PH and (item is None or not item.in_section_class)):
        return None
    body = water_body(targets)
    got = item_class(code, value, body=body, when=when)
    return SampleVerdict(
        table.edition.code,
        got.water_class.label,
        int(got.water_class),
        got.water_class > target,
        water_limit(code, target, body, when),
        f"GB 3838 class {target.label}",
        got.exceedance,
    )


def sea_sample(
    targets: Mapping[str, Any], code: str, value: float, when: datetime
) -> SampleVerdict | None:
    """A GB 3097 item of one sample against the target; None when not judged."""
    target = sea_target(targets)
    table = in_force(SEAWATER_TABLES, when)
    if target is None or code not in table.items:
        return None
    got = seawater_item_class(code, value, when=when)
    return SampleVerdict(
        table.edition.code,
        sea_label(got.sea_class),
        int(got.sea_class),
        got.sea_class > target,
        sea_limit(code, target, when),
        f"GB 3097 class {int(target)}",
    )
