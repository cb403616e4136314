"""GB 3838-2002 surface water, Table 1 basic items, as data (reference file, mark P).

Limits are in mg/L (fecal coliform per L) for classes I–V. DO is a "≥" item; pH 6–9
applies to every class; TP has a stricter column for lakes and reservoirs; TN applies to
lakes and reservoirs only (it is not evaluated for rivers).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from types import MappingProxyType
from typing import Final

from hub.standards import codes as c
from hub.standards.editions import Confidence, Edition


@dataclass(frozen=True)
class Gb3838Item:
    """One Table 1 item. ``lake_limits`` replaces ``limits`` for lakes/reservoirs."""

    code: str
    name_zh: str
    name_en: str
    limits: tuple[Decimal, ...]
    higher_is_better: bool = False
    lake_limits: tuple[Decimal, ...] | None = None
    #: Counted in the section class (ministry method: not TN, not fecal coliform).
    in_section_class: bool = True


@dataclass(frozen=True, eq=False)
class Gb3838Table:
    """One edition of GB 3838; ``method_confidence`` is that of the ministry method."""

    edition: Edition
    items: Mapping[str, Gb3838Item]
    ph_range: tuple[Decimal, Decimal]
    #: Cyanide and heavy metals are listed first among main pollutants (环办〔2011〕22号).
    priority_pollutants: frozenset[str]
    confidence: Confidence = Confidence.P
    method_confidence: Confidence = Confidence.M


def _d(*values: str) -> tuple[Decimal, ...]:
    return tuple(Decimal(v) for v in values)


_ITEMS: Final = (
    # DO class I is 7.5 mg/L "or 90 % saturation"; only the mg/L form is evaluated here.
    Gb3838Item(
        c.DO, "溶解氧", "dissolved oxygen", _d("7.5", "6", "5", "3", "2"), higher_is_better=True
    ),
    Gb3838Item(c.CODMN, "高锰酸盐指数", "permanganate index", _d("2", "4", "6", "10", "15")),
    Gb3838Item(c.COD, "化学需氧量", "COD", _d("15", "15", "20", "30", "40")),
    Gb3838Item(c.BOD5, "五日生化需氧量", "BOD5", _d("3", "3", "4", "6", "10")),
    Gb3838Item(c.NH3N, "氨氮", "ammonia nitrogen", _d("0.15", "0.5", "1.0", "1.5", "2.0")),
    Gb3838Item(
        c.TP,
        "总磷",
        "total phosphorus",
        _d("0.02", "0.1", "0.2", "0.3", "0.4"),
        lake_limits=_d("0.01", "0.025", "0.05", "0.1", "0.2"),
    ),
    Gb3838Item(
        c.TN,
        "总氮",
        "total nitrogen",
        _d("0.2", "0.5", "1.0", "1.5", "2.0"),
        in_section_class=False,
    ),
    Gb3838Item(c.CU, "铜", "copper", _d("0.01", "1.0", "1.0", "1.0", "1.0")),
    Gb3838Item(c.ZN, "锌", "zinc", _d("0.05", "1.0", "1.0", "2.0", "2.0")),
    Gb3838Item(c.FLUORIDE, "氟化物", "fluoride", _d("1.0", "1.0", "1.0", "1.5", "1.5")),
    Gb3838Item(c.SE, "硒", "selenium", _d("0.01", "0.01", "0.01", "0.02", "0.02")),
    Gb3838Item(c.AS, "砷", "arsenic", _d("0.05", "0.05", "0.05", "0.1", "0.1")),
    Gb3838Item(c.HG, "汞", "mercury", _d("0.00005", "0.00005", "0.0001", "0.001", "0.001")),
    Gb3838Item(c.CD, "镉", "cadmium", _d("0.001", "0.005", "0.005", "0.005", "0.01")),
    Gb3838Item(c.CR6, "铬（六价）", "chromium (VI)", _d("0.01", "0.05", "0.05", "0.05", "0.1")),
    Gb3838Item(c.PB, "铅", "lead", _d("0.01", "0.01", "0.05", "0.05", "0.1")),
    Gb3838Item(c.CYANIDE, "氰化物", "cyanide", _d("0.005", "0.05", "0.2", "0.2", "0.2")),
    Gb3838Item(
        c.VOLATILE_PHENOL, "挥发酚", "volatile phenol", _d("0.002", "0.002", "0.005", "0.01", "0.1")
    ),
    Gb3838Item(c.PETROLEUM, "石油类", "petroleum", _d("0.05", "0.05", "0.05", "0.5", "1.0")),
    Gb3838Item(
        c.LAS, "阴离子表面活性剂", "anionic surfactant", _d("0.2", "0.2", "0.2", "0.3", "0.3")
    ),
    Gb3838Item(c.SULFIDE, "硫化物", "sulfide", _d("0.05", "0.1", "0.2", "0.5", "1.0")),
    Gb3838Item(
        c.FECAL_COLIFORM,
        "粪大肠菌群",
        "fecal coliform",
        _d("200", "2000", "10000", "20000", "40000"),
        in_section_class=False,
    ),
)

GB3838_2002: Final = Gb3838Table(
    edition=Edition("GB 3838-2002", "地表水环境质量标准", date(2002, 6, 1)),
    items=MappingProxyType({item.code: item for item in _ITEMS}),
    ph_range=(Decimal(6), Decimal(9)),
    # "氰化物或铅、铬等重金属": read here as cyanide + the Table 1 metals and metalloids.
    priority_pollutants=frozenset({c.CYANIDE, c.PB, c.CR6, c.HG, c.CD, c.AS, c.CU, c.ZN, c.SE}),
)

GB3838_TABLES: Final = (GB3838_2002,)
