"""GB 3095 ambient air quality limits, per edition and stage, as data.

GB 3095-2012 until 2026-02-28 (from 2016-01-01, nationwide implementation); GB 3095-2026
from 2026-03-01 in two stages: transition (to 2030-12-31) and final (from 2031-01-01).
Numbers: the reference file (2026) and the brief (2012). The reference gives no P/M/U mark;
it cites the official PDFs, so they are marked P.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from types import MappingProxyType
from typing import Final

from hub.standards import codes
from hub.standards.aqi_tables import Period
from hub.standards.editions import Confidence, Edition, in_force
from hub.standards.rounding import Number, to_decimal

A, D, E, H = Period.ANNUAL, Period.H24, Period.H8, Period.H1
_Key = tuple[str, Period]


@dataclass(frozen=True, eq=False)
class AirLimitTable:
    """Grade 1 / grade 2 limits of one edition or stage, keyed by (code, period)."""

    edition: Edition
    limits: Mapping[_Key, tuple[Decimal, Decimal]]
    confidence: Confidence = Confidence.P


@dataclass(frozen=True)
class AirLimit:
    """One limit. O3 8h is the daily maximum 8-hour mean. Units: µg/m³, CO mg/m³."""

    edition: str
    code: str
    period: Period
    grade: int
    value: Decimal
    unit: str
    confidence: Confidence

    def exceeded_by(self, value: Number) -> bool:
        """True when ``value`` is above the limit (a value equal to it complies)."""
        return to_decimal(value) > self.value


def _table(
    code: str, title: str, start: date, end: date | None, rows: dict[_Key, tuple[str, str]]
) -> AirLimitTable:
    limits = {k: (Decimal(g1), Decimal(g2)) for k, (g1, g2) in rows.items()}
    return AirLimitTable(Edition(code, title, start, end), MappingProxyType(limits))


S, N, C, O3, P10, P25 = codes.SO2, codes.NO2, codes.CO, codes.O3, codes.PM10, codes.PM25

GB3095_2012: Final = _table(
    "GB 3095-2012",
    "环境空气质量标准",
    date(2016, 1, 1),
    date(2026, 2, 28),
    {
        (S, A): ("20", "60"),
        (S, D): ("50", "150"),
        (S, H): ("150", "500"),
        (N, A): ("40", "40"),
        (N, D): ("80", "80"),
        (N, H): ("200", "200"),
        (C, D): ("4", "4"),
        (C, H): ("10", "10"),
        (O3, E): ("100", "160"),
        (O3, H): ("160", "200"),
        (P10, A): ("40", "70"),
        (P10, D): ("50", "150"),
        (P25, A): ("15", "35"),
        (P25, D): ("35", "75"),
    },
)

GB3095_2026_TRANSITION: Final = _table(
    "GB 3095-2026 (transition)",
    "环境空气质量标准（过渡阶段）",
    date(2026, 3, 1),
    date(2030, 12, 31),
    {
        (S, A): ("20", "60"),
        (S, D): ("50", "150"),
        (S, H): ("150", "500"),
        (N, A): ("40", "40"),
        (N, D): ("80", "80"),
        (N, H): ("200", "200"),
        (C, D): ("4", "4"),
        (C, H): ("10", "10"),
        (O3, E): ("100", "160"),
        (O3, H): ("160", "200"),
        (P10, A): ("40", "60"),
        (P10, D): ("50", "120"),
        (P25, A): ("15", "30"),
        (P25, D): ("35", "60"),
    },
)

GB3095_2026_FINAL: Final = _table(
    "GB 3095-2026 (final)",
    "环境空气质量标准（最终限值）",
    date(2031, 1, 1),
    None,
    {
        (S, A): ("20", "20"),
        (S, D): ("50", "50"),
        (S, H): ("150", "150"),
        (N, A): ("30", "30"),
        (N, D): ("50", "50"),
        (N, H): ("200", "200"),
        (C, D): ("4", "4"),
        (C, H): ("10", "10"),
        (O3, E): ("100", "160"),
        (O3, H): ("160", "200"),
        (P10, A): ("20", "50"),
        (P10, D): ("50", "100"),
        (P25, A): ("10", "25"),
        (P25, D): ("25", "50"),
    },
)

AIR_LIMIT_TABLES: Final = (GB3095_2012, GB3095_2026_TRANSITION, GB3095_2026_FINAL)


def air_limit(code: str, period: Period | str, grade: int, *, when: date | datetime) -> AirLimit:
    """The GB 3095 limit in force on the local day of ``when``.

    ``grade`` is 1 or 2; ``period`` one of "annual", "24h", "8h", "1h". Raises KeyError for
    a pollutant/period the standard does not limit (e.g. CO annual).
    """
    if grade not in (1, 2):
        raise ValueError(f"grade must be 1 or 2, got {grade}")
    table = in_force(AIR_LIMIT_TABLES, when)
    p = Period(period)
    pair = table.limits.get((code, p))
    if pair is None:
        raise KeyError(f"{table.edition.code} has no {p} limit for {code}")
    unit = "mg/m³" if code == codes.CO else "µg/m³"
    return AirLimit(table.edition.code, code, p, grade, pair[grade - 1], unit, table.confidence)
