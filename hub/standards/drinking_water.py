"""GB 5749-2022 drinking water: the indicators the reference file states (partly confirmed).

Only the numbers in /work/shared/reference/water-noise-soil-standards.md are held; each
bound carries its own confidence mark (M, or U for the free-chlorine figures). Nothing else
of the standard is included, so an unlisted parameter is reported as not evaluated, never
as compliant.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Final

from hub.standards import codes as c
from hub.standards.editions import Confidence, Edition, in_force
from hub.standards.rounding import Number, to_decimal

M, U = Confidence.M, Confidence.U


class SamplePoint(StrEnum):
    """出厂水 (plant outlet) or 末梢水 (tap)."""

    PLANT = "plant"
    TAP = "tap"


_BOTH: Final = frozenset(SamplePoint)


@dataclass(frozen=True)
class Bound:
    """One number of the standard with its confidence mark."""

    value: Decimal
    confidence: Confidence


@dataclass(frozen=True)
class DrinkingLimit:
    """Limit of one indicator at some sample points.

    ``not_detectable``: must not be detected (any count above 0 fails; per 100 mL).
    """

    code: str
    unit: str
    maximum: Bound | None = None
    minimum: Bound | None = None
    not_detectable: Confidence | None = None
    points: frozenset[SamplePoint] = _BOTH


@dataclass(frozen=True, eq=False)
class DrinkingTable:
    """One edition of GB 5749."""

    edition: Edition
    limits: tuple[DrinkingLimit, ...]


def _max(code: str, unit: str, value: str, conf: Confidence = M) -> DrinkingLimit:
    return DrinkingLimit(code, unit, maximum=Bound(Decimal(value), conf))


GB5749_2022: Final = DrinkingTable(
    Edition("GB 5749-2022", "生活饮用水卫生标准", date(2023, 4, 1)),
    (
        DrinkingLimit(c.TOTAL_COLIFORM, "count/100 mL", not_detectable=M),
        DrinkingLimit(c.E_COLI, "count/100 mL", not_detectable=M),
        _max(c.AS, "mg/L", "0.01"),
        _max(c.CD, "mg/L", "0.005"),
        _max(c.CR6, "mg/L", "0.05"),
        _max(c.PB, "mg/L", "0.01"),
        _max(c.HG, "mg/L", "0.001"),
        _max(c.NITRATE_N, "mg/L as N", "10"),
        _max(c.TURBIDITY, "NTU", "1"),
        DrinkingLimit(c.PH, "", maximum=Bound(Decimal("8.5"), M), minimum=Bound(Decimal("6.5"), M)),
        _max(c.CODMN, "mg/L", "3"),
        _max(c.NH3N, "mg/L as N", "0.5"),
        # Free chlorine: ≤ 2 (U); residual ≥ 0.3 at the plant outlet, ≥ 0.05 at the tap (U).
        DrinkingLimit(
            c.FREE_CHLORINE,
            "mg/L",
            maximum=Bound(Decimal(2), U),
            minimum=Bound(Decimal("0.3"), U),
            points=frozenset({SamplePoint.PLANT}),
        ),
        DrinkingLimit(
            c.FREE_CHLORINE,
            "mg/L",
            maximum=Bound(Decimal(2), U),
            minimum=Bound(Decimal("0.05"), U),
            points=frozenset({SamplePoint.TAP}),
        ),
    ),
)
DRINKING_TABLES: Final = (GB5749_2022,)


@dataclass(frozen=True)
class DrinkingCheck:
    """One indicator checked; ``confidence`` is the weakest mark of the bounds used."""

    code: str
    value: Decimal
    compliant: bool
    limit: DrinkingLimit
    confidence: Confidence


@dataclass(frozen=True)
class DrinkingResult:
    """``compliant`` covers the evaluated indicators only (see ``not_evaluated``)."""

    edition: str
    point: SamplePoint
    checks: tuple[DrinkingCheck, ...]
    compliant: bool
    not_evaluated: tuple[str, ...]


def _weakest(marks: list[Confidence]) -> Confidence:
    order = [Confidence.P, Confidence.M, Confidence.U]
    return max(marks, key=order.index)


def _check(limit: DrinkingLimit, v: Decimal) -> DrinkingCheck:
    ok, marks = True, []
    if limit.not_detectable is not None:
        ok, marks = v <= 0, [limit.not_detectable]
    if limit.maximum is not None:
        ok, marks = ok and v <= limit.maximum.value, [*marks, limit.maximum.confidence]
    if limit.minimum is not None:
        ok, marks = ok and v >= limit.minimum.value, [*marks, limit.minimum.confidence]
    return DrinkingCheck(limit.code, v, ok, limit, _weakest(marks))


def check_drinking_water(
    values: Mapping[str, Number],
    *,
    when: date | datetime,
    point: SamplePoint | str = SamplePoint.TAP,
) -> DrinkingResult:
    """Check a sample against GB 5749-2022 as far as the held indicators go (≤ / ≥ inclusive)."""
    table = in_force(DRINKING_TABLES, when)
    where = SamplePoint(point)
    by_code = {lim.code: lim for lim in table.limits if where in lim.points}
    checks = [_check(by_code[k], to_decimal(v)) for k, v in values.items() if k in by_code]
    skipped = tuple(k for k in values if k not in by_code)
    return DrinkingResult(
        table.edition.code, where, tuple(checks), all(ch.compliant for ch in checks), skipped
    )
