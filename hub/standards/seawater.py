"""GB 3097-1997 seawater quality: class 1–4 per item and overall (reference file, mark P).

pH ranges are inclusive; DO is "> limit" (strictly greater); other items "≤ limit". Fecal
coliform has no class 4 limit ("—"), so any count meets class 4. Non-ionic ammonia is not
evaluated (the hub has no code for it; it is derived from NH3-N, pH, temperature, salinity).
COD here is the standard's alkaline-permanganate COD, reported under w01018.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import IntEnum
from types import MappingProxyType
from typing import Final, Literal

from hub.standards import codes as c
from hub.standards.editions import Confidence, Edition, in_force
from hub.standards.rounding import Number, to_decimal

Rule = Literal["max", "min_exclusive", "range"]


class SeaClass(IntEnum):
    """GB 3097 class (第一类 … 第四类); WORSE_THAN_4 is 劣四类."""

    CLASS_1 = 1
    CLASS_2 = 2
    CLASS_3 = 3
    CLASS_4 = 4
    WORSE_THAN_4 = 5


@dataclass(frozen=True)
class SeaItem:
    """Limits for classes 1–4; None = no requirement at that class. Ranges: (low, high)."""

    code: str
    name_en: str
    rule: Rule
    limits: tuple[Decimal | None, ...] = ()
    ranges: tuple[tuple[Decimal, Decimal], ...] = ()


@dataclass(frozen=True, eq=False)
class SeawaterTable:
    """One edition of GB 3097."""

    edition: Edition
    items: Mapping[str, SeaItem]
    confidence: Confidence = Confidence.P


@dataclass(frozen=True)
class SeaItemClass:
    """Class of one item."""

    code: str
    value: Decimal
    sea_class: SeaClass


@dataclass(frozen=True)
class SeawaterResult:
    """Overall class = worst item; None when nothing was evaluated."""

    edition: str
    sea_class: SeaClass | None
    items: tuple[SeaItemClass, ...]
    not_evaluated: tuple[str, ...]
    confidence: Confidence


def _max(code: str, name: str, *values: str | None) -> SeaItem:
    return SeaItem(code, name, "max", tuple(None if v is None else Decimal(v) for v in values))


_R1, _R3 = (Decimal("7.8"), Decimal("8.5")), (Decimal("6.8"), Decimal("8.8"))

_ITEMS: Final = (
    SeaItem(c.PH, "pH", "range", ranges=(_R1, _R1, _R3, _R3)),
    SeaItem(
        c.DO, "dissolved oxygen", "min_exclusive", tuple(Decimal(v) for v in ("6", "5", "4", "3"))
    ),
    _max(c.COD, "COD", "2", "3", "4", "5"),
    _max(c.BOD5, "BOD5", "1", "3", "4", "5"),
    _max(c.INORGANIC_N, "inorganic nitrogen", "0.20", "0.30", "0.40", "0.50"),
    _max(c.ACTIVE_PHOSPHATE, "active phosphate", "0.015", "0.030", "0.030", "0.045"),
    _max(c.HG, "mercury", "0.00005", "0.0002", "0.0002", "0.0005"),
    _max(c.CD, "cadmium", "0.001", "0.005", "0.010", "0.010"),
    _max(c.PB, "lead", "0.001", "0.005", "0.010", "0.050"),
    _max(c.CR6, "chromium (VI)", "0.005", "0.010", "0.020", "0.050"),
    _max(c.TOTAL_CR, "total chromium", "0.05", "0.10", "0.20", "0.50"),
    _max(c.AS, "arsenic", "0.020", "0.030", "0.050", "0.050"),
    _max(c.CU, "copper", "0.005", "0.010", "0.050", "0.050"),
    _max(c.ZN, "zinc", "0.020", "0.050", "0.10", "0.50"),
    _max(c.SE, "selenium", "0.010", "0.020", "0.020", "0.050"),
    _max(c.NI, "nickel", "0.005", "0.010", "0.020", "0.050"),
    _max(c.CYANIDE, "cyanide", "0.005", "0.005", "0.10", "0.20"),
    _max(c.SULFIDE, "sulfide", "0.02", "0.05", "0.10", "0.25"),
    _max(c.VOLATILE_PHENOL, "volatile phenol", "0.005", "0.005", "0.010", "0.050"),
    _max(c.PETROLEUM, "petroleum", "0.05", "0.05", "0.30", "0.50"),
    _max(c.FECAL_COLIFORM, "fecal coliform", "2000", "2000", "2000", None),
)

GB3097_1997: Final = SeawaterTable(
    Edition("GB 3097-1997", "海水水质标准", date(1998, 7, 1)),
    MappingProxyType({i.code: i for i in _ITEMS}),
)
SEAWATER_TABLES: Final = (GB3097_1997,)


def _meets(item: SeaItem, k: int, v: Decimal) -> bool:
    if item.rule == "range":
        lo, hi = item.ranges[k]
        return lo <= v <= hi
    limit = item.limits[k]
    if limit is None:
        return True
    return v > limit if item.rule == "min_exclusive" else v <= limit


def seawater_item_class(code: str, value: Number, *, when: date | datetime) -> SeaItemClass:
    """Best GB 3097 class the value meets (KeyError for an item not in the table)."""
    table = in_force(SEAWATER_TABLES, when)
    item, v = table.items[code], to_decimal(value)
    met = next((k for k in range(4) if _meets(item, k, v)), None)
    return SeaItemClass(code, v, SeaClass.WORSE_THAN_4 if met is None else SeaClass(met + 1))


def seawater_class(values: Mapping[str, Number], *, when: date | datetime) -> SeawaterResult:
    """Overall class (worst item) of one sample; unknown codes go to ``not_evaluated``."""
    table = in_force(SEAWATER_TABLES, when)
    items = [seawater_item_class(k, v, when=when) for k, v in values.items() if k in table.items]
    skipped = tuple(k for k in values if k not in table.items)
    worst = max((i.sea_class for i in items), default=None)
    return SeawaterResult(table.edition.code, worst, tuple(items), skipped, table.confidence)
