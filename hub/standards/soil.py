"""GB 15618-2018 farmland soil risk screening and intervention values (reference, mark M).

pH bands as the standard writes them: pH ≤ 5.5, 5.5 < pH ≤ 6.5, 6.5 < pH ≤ 7.5, pH > 7.5
(so pH 5.5 is band 0 and 6.5 band 1). Values in mg/kg. Cd, Hg, As, Pb, Cr: paddy vs
other land; Cu: orchard vs other land; Ni, Zn: all land. Risk: ≤ screening negligible;
above screening and ≤ intervention possible; above intervention high. Cu, Ni and Zn have
no intervention value.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from types import MappingProxyType
from typing import Final

from hub.standards import codes as c
from hub.standards.editions import Confidence, Edition, in_force
from hub.standards.rounding import Number, to_decimal

_Band = tuple[Decimal, Decimal, Decimal, Decimal]
#: Upper (inclusive) pH of bands 0–2; band 3 is everything above 7.5.
PH_BAND_UPPER: Final = (Decimal("5.5"), Decimal("6.5"), Decimal("7.5"))


class LandUse(StrEnum):
    """Farmland use; ORCHARD matters for Cu only, and is "other" for the rest."""

    PADDY = "paddy"
    ORCHARD = "orchard"
    OTHER = "other"


class SoilRisk(StrEnum):
    """Risk category from the screening and intervention values."""

    NEGLIGIBLE = "negligible"
    POSSIBLE = "possible"
    HIGH = "high"


@dataclass(frozen=True)
class SoilElement:
    """Screening values per pH band; ``special`` is the land use with its own row."""

    code: str
    screening: _Band
    screening_special: _Band | None = None
    special: LandUse | None = None
    intervention: _Band | None = None


@dataclass(frozen=True, eq=False)
class SoilTable:
    """One edition of GB 15618."""

    edition: Edition
    elements: Mapping[str, SoilElement]
    confidence: Confidence = Confidence.M


def _b(*values: str) -> _Band:
    a, b, c_, d = (Decimal(v) for v in values)
    return (a, b, c_, d)


_P = LandUse.PADDY
_ELEMENTS: Final = (
    SoilElement(
        c.S_CD,
        _b("0.3", "0.3", "0.3", "0.6"),
        _b("0.3", "0.4", "0.6", "0.8"),
        _P,
        _b("1.5", "2.0", "3.0", "4.0"),
    ),
    SoilElement(
        c.S_HG,
        _b("1.3", "1.8", "2.4", "3.4"),
        _b("0.5", "0.5", "0.6", "1.0"),
        _P,
        _b("2.0", "2.5", "4.0", "6.0"),
    ),
    SoilElement(
        c.S_AS,
        _b("40", "40", "30", "25"),
        _b("30", "30", "25", "20"),
        _P,
        _b("200", "150", "120", "100"),
    ),
    SoilElement(
        c.S_PB,
        _b("70", "90", "120", "170"),
        _b("80", "100", "140", "240"),
        _P,
        _b("400", "500", "700", "1000"),
    ),
    SoilElement(
        c.S_CR,
        _b("150", "150", "200", "250"),
        _b("250", "250", "300", "350"),
        _P,
        _b("800", "850", "1000", "1300"),
    ),
    SoilElement(
        c.S_CU, _b("50", "50", "100", "100"), _b("150", "150", "200", "200"), LandUse.ORCHARD
    ),
    SoilElement(c.S_NI, _b("60", "70", "100", "190")),
    SoilElement(c.S_ZN, _b("200", "200", "250", "300")),
)

GB15618_2018: Final = SoilTable(
    Edition("GB 15618-2018", "土壤环境质量 农用地土壤污染风险管控标准（试行）", date(2018, 8, 1)),
    MappingProxyType({e.code: e for e in _ELEMENTS}),
)
SOIL_TABLES: Final = (GB15618_2018,)


@dataclass(frozen=True)
class SoilItem:
    """Assessment of one element."""

    code: str
    value: Decimal
    screening: Decimal
    intervention: Decimal | None
    exceeds_screening: bool
    risk: SoilRisk


@dataclass(frozen=True)
class SoilResult:
    """All elements of one sample; ``risk`` is the worst, None when nothing evaluated."""

    edition: str
    ph_band: int
    land_use: LandUse
    items: tuple[SoilItem, ...]
    exceeds_screening: bool
    risk: SoilRisk | None
    not_evaluated: tuple[str, ...]
    confidence: Confidence


def ph_band(ph: Number) -> int:
    """Band index 0–3: pH ≤ 5.5 → 0, 5.5 < pH ≤ 6.5 → 1, 6.5 < pH ≤ 7.5 → 2, > 7.5 → 3."""
    v = to_decimal(ph)
    return next((i for i, upper in enumerate(PH_BAND_UPPER) if v <= upper), 3)


def soil_values(
    code: str, ph: Number, land_use: LandUse | str, *, when: date | datetime
) -> tuple[Decimal, Decimal | None]:
    """(screening, intervention or None) for an element (KeyError if not in the table)."""
    element = in_force(SOIL_TABLES, when).elements[code]
    band, use = ph_band(ph), LandUse(land_use)
    special = use is element.special and element.screening_special is not None
    row = element.screening_special if special and element.screening_special else element.screening
    return row[band], None if element.intervention is None else element.intervention[band]


def assess_soil(
    values: Mapping[str, Number], ph: Number, land_use: LandUse | str, *, when: date | datetime
) -> SoilResult:
    """Screen a sample's elements (codes s_cd …) at its pH; s_ph in ``values`` is ignored."""
    table = in_force(SOIL_TABLES, when)
    use = LandUse(land_use)
    items: list[SoilItem] = []
    for code, value in values.items():
        if code not in table.elements:
            continue
        v = to_decimal(value)
        screening, intervention = soil_values(code, ph, use, when=when)
        risk = SoilRisk.NEGLIGIBLE if v <= screening else SoilRisk.POSSIBLE
        if intervention is not None and v > intervention:
            risk = SoilRisk.HIGH
        items.append(SoilItem(code, v, screening, intervention, v > screening, risk))
    order = list(SoilRisk)
    worst = max((i.risk for i in items), key=order.index, default=None)
    skipped = tuple(k for k in values if k not in table.elements and k != c.S_PH)
    return SoilResult(
        table.edition.code,
        ph_band(ph),
        use,
        tuple(items),
        any(i.exceeds_screening for i in items),
        worst,
        skipped,
        table.confidence,
    )
