"""HJ 633 IAQI breakpoint tables, one per edition, as data.

Numbers from HJ 633-2026 Table 3 and HJ 633-2012 Table 1 as given in
/work/shared/reference/air-quality-standards.md. The reference gives no P/M/U mark for
them; it cites the official PDFs, so they are marked P.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from types import MappingProxyType
from typing import Final

from hub.standards import codes
from hub.standards.editions import Confidence, Edition


class Period(StrEnum):
    """Averaging period of an air indicator (and of a GB 3095 limit)."""

    H1 = "1h"
    H8 = "8h"
    H24 = "24h"
    ANNUAL = "annual"


@dataclass(frozen=True)
class Indicator:
    """A pollutant at an averaging period, e.g. PM2.5 24-hour mean.

    In a daily report O3 8h means the daily maximum 8-hour mean and O3 1h the daily
    maximum 1-hour value; in an hourly report they are the moving 8-hour mean and the
    1-hour value.
    """

    code: str
    period: Period

    def __str__(self) -> str:
        return f"{self.code}/{self.period}"


SO2_1H: Final = Indicator(codes.SO2, Period.H1)
SO2_24H: Final = Indicator(codes.SO2, Period.H24)
NO2_1H: Final = Indicator(codes.NO2, Period.H1)
NO2_24H: Final = Indicator(codes.NO2, Period.H24)
CO_1H: Final = Indicator(codes.CO, Period.H1)
CO_24H: Final = Indicator(codes.CO, Period.H24)
O3_1H: Final = Indicator(codes.O3, Period.H1)
O3_8H: Final = Indicator(codes.O3, Period.H8)
PM10_1H: Final = Indicator(codes.PM10, Period.H1)
PM10_24H: Final = Indicator(codes.PM10, Period.H24)
PM25_1H: Final = Indicator(codes.PM25, Period.H1)
PM25_24H: Final = Indicator(codes.PM25, Period.H24)

#: IAQI values at the breakpoints, in table order.
IAQI_STEPS: Final = (0, 50, 100, 150, 200, 300, 400, 500)


@dataclass(frozen=True)
class FixedIaqi:
    """Above the column's top breakpoint the IAQI is this fixed value."""

    iaqi: int


@dataclass(frozen=True)
class UseIndicator:
    """Above the column's top breakpoint use the IAQI of another indicator instead."""

    indicator: Indicator


AboveScale = FixedIaqi | UseIndicator


@dataclass(frozen=True, eq=False)
class AqiEdition:
    """Everything that differs between HJ 633 editions.

    ``breakpoints`` maps an indicator to its concentrations at IAQI_STEPS (a column may
    stop early: SO2 1h at 200, O3 8h at 300). ``above_scale`` holds rules (b) and (c);
    any other concentration above its column's top gets IAQI 500 (see aqi.iaqi).
    ``rounding`` gives GB/T 8170 decimal places per pollutant code, or is empty when the
    edition does not round concentrations first.
    """

    edition: Edition
    breakpoints: Mapping[Indicator, tuple[Decimal, ...]]
    above_scale: Mapping[Indicator, AboveScale]
    hourly_required: tuple[Indicator, ...]
    hourly_optional: tuple[Indicator, ...]
    daily_required: tuple[Indicator, ...]
    rounding: Mapping[str, int]
    confidence: Confidence = Confidence.P


def _col(*values: str) -> tuple[Decimal, ...]:
    return tuple(Decimal(v) for v in values)


_COMMON: Final = {
    SO2_24H: _col("0", "50", "150", "475", "800", "1600", "2100", "2620"),
    SO2_1H: _col("0", "150", "500", "650", "800"),
    NO2_24H: _col("0", "40", "80", "180", "280", "565", "750", "940"),
    NO2_1H: _col("0", "100", "200", "700", "1200", "2340", "3090", "3840"),
    CO_24H: _col("0", "2", "4", "14", "24", "36", "48", "60"),
    CO_1H: _col("0", "5", "10", "35", "60", "90", "120", "150"),
    O3_8H: _col("0", "100", "160", "215", "265", "800"),
    O3_1H: _col("0", "160", "200", "300", "400", "800", "1000", "1200"),
}
# The editions differ only at IAQI 100 for particulates (reference file).
_PM10_2012: Final = _col("0", "50", "150", "250", "350", "420", "500", "600")
_PM25_2012: Final = _col("0", "35", "75", "115", "150", "250", "350", "500")
_PM10_2026: Final = _col("0", "50", "120", "250", "350", "420", "500", "600")
_PM25_2026: Final = _col("0", "35", "60", "115", "150", "250", "350", "500")

_SIX_1H: Final = (SO2_1H, NO2_1H, CO_1H, O3_1H, PM10_1H, PM25_1H)
_DAILY_2026: Final = (SO2_24H, NO2_24H, CO_24H, O3_8H, PM10_24H, PM25_24H)

HJ633_2012: Final = AqiEdition(
    edition=Edition(
        "HJ 633-2012",
        "环境空气质量指数（AQI）技术规定（试行）",
        date(2016, 1, 1),
        date(2026, 2, 28),
    ),
    # 2012 had no 1-hour PM breakpoints; its hourly PM values are placed on the 24-hour
    # column, as the 2026 edition states explicitly.
    breakpoints=MappingProxyType(
        {
            **_COMMON,
            PM10_24H: _PM10_2012,
            PM10_1H: _PM10_2012,
            PM25_24H: _PM25_2012,
            PM25_1H: _PM25_2012,
        }
    ),
    above_scale=MappingProxyType(
        {
            SO2_1H: UseIndicator(SO2_24H),  # rule (b), 2012
            O3_8H: UseIndicator(O3_1H),  # rule (c), 2012
        }
    ),
    hourly_required=_SIX_1H,
    # Nine indicators in 2012: the moving O3 8h and PM 24h means are accepted when given.
    hourly_optional=(O3_8H, PM10_24H, PM25_24H),
    daily_required=(*_DAILY_2026, O3_1H),
    rounding=MappingProxyType({}),
)

HJ633_2026: Final = AqiEdition(
    edition=Edition("HJ 633-2026", "环境空气质量指数（AQI）技术规定", date(2026, 3, 1)),
    breakpoints=MappingProxyType(
        {
            **_COMMON,
            PM10_24H: _PM10_2026,
            PM10_1H: _PM10_2026,
            PM25_24H: _PM25_2026,
            PM25_1H: _PM25_2026,
        }
    ),
    above_scale=MappingProxyType(
        {
            SO2_1H: FixedIaqi(200),  # rule (b), 2026
            O3_8H: FixedIaqi(300),  # rule (c), 2026
        }
    ),
    hourly_required=_SIX_1H,
    hourly_optional=(),
    daily_required=_DAILY_2026,
    # GB/T 8170: integers in µg/m³, CO to one decimal in mg/m³.
    rounding=MappingProxyType(
        {
            codes.SO2: 0,
            codes.NO2: 0,
            codes.O3: 0,
            codes.PM10: 0,
            codes.PM25: 0,
            codes.CO: 1,
        }
    ),
)

AQI_EDITIONS: Final = (HJ633_2012, HJ633_2026)
