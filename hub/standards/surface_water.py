"""GB 3838-2002 surface water classes and the ministry's section evaluation.

Single-factor method of 环办〔2011〕22号 (地表水环境质量评价办法（试行）): the 21 Table 1
items other than water temperature, TN and fecal coliform; samples of the period averaged
first; section class = worst item class. A "≤" limit is met by a value equal to it, so a
value equal to the class II limit is class II (class I when the class I limit is the same).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import IntEnum, StrEnum

from hub.standards import codes
from hub.standards.editions import Confidence, in_force
from hub.standards.rounding import Number, mean, to_decimal
from hub.standards.surface_water_tables import GB3838_TABLES, Gb3838Table


class WaterBody(StrEnum):
    """Rivers, or lakes and reservoirs (stricter TP; TN evaluated separately)."""

    RIVER = "river"
    LAKE = "lake"


class WaterClass(IntEnum):
    """GB 3838 class; WORSE_THAN_V is 劣V."""

    I = 1  # noqa: E741 - the standard's own name for the class
    II = 2
    III = 3
    IV = 4
    V = 5
    WORSE_THAN_V = 6

    @property
    def label(self) -> str:
        """Class as written in reports: I … V, 劣V."""
        return "劣V" if self is WaterClass.WORSE_THAN_V else self.name

    @property
    def quality(self) -> tuple[str, str]:
        """Qualitative status (zh, en) of a section of this class."""
        return _QUALITY[self]


_QUALITY = {
    WaterClass.I: ("优", "excellent"),
    WaterClass.II: ("优", "excellent"),
    WaterClass.III: ("良好", "good"),
    WaterClass.IV: ("轻度污染", "light pollution"),
    WaterClass.V: ("中度污染", "moderate pollution"),
    WaterClass.WORSE_THAN_V: ("重度污染", "heavy pollution"),
}


@dataclass(frozen=True)
class ItemClass:
    """Class of one item. ``exceedance`` (超标倍数) is set only when worse than class III.

    ≤ items: value / class-III limit − 1. DO (≥ item): class-III limit / value − 1, so
    DO 2.5 mg/L gives 1.0; DO 0 gives Infinity. The ministry method itself computes no
    multiple for DO and pH; pH gets None.
    """

    code: str
    value: Decimal
    water_class: WaterClass
    exceedance: Decimal | None


@dataclass(frozen=True)
class SectionResult:
    """Section class; ``water_class`` None when no evaluated item was supplied."""

    edition: str
    water_body: WaterBody
    water_class: WaterClass | None
    quality_zh: str | None
    quality_en: str | None
    items: tuple[ItemClass, ...]
    main_pollutants: tuple[str, ...]
    lake_tn: ItemClass | None
    not_evaluated: tuple[str, ...]
    confidence: Confidence


def _table(when: date | datetime) -> Gb3838Table:
    return in_force(GB3838_TABLES, when)


def item_class(
    code: str, value: Number, *, body: WaterBody = WaterBody.RIVER, when: date | datetime
) -> ItemClass:
    """GB 3838 class of one item (pH: class I when 6 ≤ pH ≤ 9, else 劣V).

    Raises KeyError for a code not in Table 1, ValueError for TN in a river (not evaluated).
    """
    table, v = _table(when), to_decimal(value)
    if code == codes.PH:
        lo, hi = table.ph_range
        return ItemClass(code, v, WaterClass.I if lo <= v <= hi else WaterClass.WORSE_THAN_V, None)
    item = table.items[code]
    if code == codes.TN and body is WaterBody.RIVER:
        raise ValueError("GB 3838 TN is evaluated for lakes and reservoirs only")
    limits = item.lake_limits if body is WaterBody.LAKE and item.lake_limits else item.limits
    if item.higher_is_better:
        met = [k for k, lim in enumerate(limits, 1) if v >= lim]
    else:
        met = [k for k, lim in enumerate(limits, 1) if v <= lim]
    cls = WaterClass(met[0]) if met else WaterClass.WORSE_THAN_V
    exceedance = None
    if cls > WaterClass.III:
        iii = limits[2]
        if not item.higher_is_better:
            exceedance = v / iii - 1
        else:
            exceedance = iii / v - 1 if v > 0 else Decimal("Infinity")
    return ItemClass(code, v, cls, exceedance)


def _main_pollutants(table: Gb3838Table, items: Sequence[ItemClass]) -> tuple[str, ...]:
    # 环办〔2011〕22号: cyanide and heavy metals first, then worse class first, then the
    # larger exceedance multiple; items without a multiple (pH) last within their class.
    over = [i for i in items if i.water_class > WaterClass.III]
    over.sort(
        key=lambda i: (
            i.code not in table.priority_pollutants,
            -i.water_class,
            i.exceedance is None,
            -(i.exceedance or 0),
        )
    )
    return tuple(i.code for i in over[:3])


def section_class(
    values: Mapping[str, Number], *, body: WaterBody = WaterBody.RIVER, when: date | datetime
) -> SectionResult:
    """Section class from one value per parameter code (e.g. already period means).

    Codes outside the 21 evaluated items (TN, fecal coliform, water temperature, unknown
    codes) are listed in ``not_evaluated``; lake/reservoir TN is classed in ``lake_tn``.
    Main pollutants (up to three) are given only when the class is worse than III.
    """
    table = _table(when)
    evaluated: list[ItemClass] = []
    skipped: list[str] = []
    lake_tn = None
    for code, value in values.items():
        item = table.items.get(code)
        if code == codes.PH or (item is not None and item.in_section_class):
            evaluated.append(item_class(code, value, body=body, when=when))
        elif code == codes.TN and body is WaterBody.LAKE:
            lake_tn = item_class(code, value, body=body, when=when)
        else:
            skipped.append(code)
    order = [codes.PH, *table.items]
    evaluated.sort(key=lambda i: order.index(i.code))
    worst = max((i.water_class for i in evaluated), default=None)
    zh, en = worst.quality if worst is not None else (None, None)
    main = _main_pollutants(table, evaluated) if worst and worst > WaterClass.III else ()
    return SectionResult(
        table.edition.code,
        body,
        worst,
        zh,
        en,
        tuple(evaluated),
        main,
        lake_tn,
        tuple(skipped),
        table.method_confidence,
    )


def period_means(samples: Mapping[str, Sequence[Number | None]]) -> dict[str, Decimal]:
    """Arithmetic mean per parameter of a period's samples (None skipped; empty dropped)."""
    out: dict[str, Decimal] = {}
    for code, series in samples.items():
        found = [to_decimal(v) for v in series if v is not None]
        if found:
            out[code] = mean(found)
    return out


def section_class_for_period(
    samples: Mapping[str, Sequence[Number | None]],
    *,
    body: WaterBody = WaterBody.RIVER,
    when: date | datetime,
) -> SectionResult:
    """Section class of a period: average each parameter's samples, then section_class."""
    return section_class(period_means(samples), body=body, when=when)
