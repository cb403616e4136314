"""HJ 633 air quality index: IAQI, hourly and daily AQI, by the edition in force.

The edition is chosen from the local (UTC+8) calendar day: HJ 633-2012 up to 2026-02-28,
HJ 633-2026 from 2026-03-01. For an hourly value the day is that of the hour's start.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from typing import Final, Literal

from hub.standards.aqi_tables import (
    AQI_EDITIONS,
    IAQI_STEPS,
    AqiEdition,
    FixedIaqi,
    Indicator,
)
from hub.standards.editions import in_force, local_day, require_aware
from hub.standards.rounding import Number, ceil_int, round_gbt8170, to_decimal

#: Top of the index scale. HJ 633 defines no segment beyond IAQI 500, so a concentration
#: above the IAQI-500 breakpoint (other than rules (b)/(c)) is reported as 500 and marked
#: ABOVE_SCALE: the reference gives no formula past the table, and extrapolating the last
#: segment would publish a number the standard does not define.
IAQI_MAX: Final = 500


class IaqiRule(StrEnum):
    """How an IAQI was obtained."""

    TABLE = "table"  # linear interpolation in the breakpoint table
    ABOVE_SCALE = "above_scale"  # above the IAQI-500 breakpoint: capped at 500
    FIXED = "fixed"  # rule (b)/(c), 2026: fixed IAQI (SO2 1h → 200, O3 8h → 300)
    SUBSTITUTED = "substituted"  # rule (b)/(c), 2012: another indicator's IAQI


@dataclass(frozen=True)
class AqiLevel:
    """One of the six AQI levels; ``upper`` is None for the open top level."""

    level: int
    zh: str
    en: str
    colour: str
    lower: int
    upper: int | None


LEVELS: Final = (
    AqiLevel(1, "优", "excellent", "#00E400", 0, 50),
    AqiLevel(2, "良", "good", "#FFFF00", 51, 100),
    AqiLevel(3, "轻度污染", "light pollution", "#FF7E00", 101, 150),
    AqiLevel(4, "中度污染", "moderate pollution", "#FF0000", 151, 200),
    AqiLevel(5, "重度污染", "heavy pollution", "#99004C", 201, 300),
    AqiLevel(6, "严重污染", "severe pollution", "#7E0023", 301, None),
)


@dataclass(frozen=True)
class Iaqi:
    """Individual AQI of one indicator.

    ``evaluated`` is the concentration the table was applied to (GB/T 8170-rounded under
    HJ 633-2026, as given under 2012). ``iaqi`` is None only when a 2012 substitution needs
    an indicator that was not supplied.
    """

    indicator: Indicator
    concentration: Decimal
    evaluated: Decimal
    iaqi: int | None
    rule: IaqiRule
    edition: str


@dataclass(frozen=True)
class AqiResult:
    """An hourly or daily AQI. ``aqi`` None means "NA" (not publishable)."""

    edition: str
    report: Literal["hourly", "daily"]
    day: date
    aqi: int | None
    level: AqiLevel | None
    primary_pollutants: tuple[str, ...]
    primary_indicators: tuple[Indicator, ...]
    iaqis: tuple[Iaqi, ...]
    missing: tuple[Indicator, ...]

    @property
    def published(self) -> str:
        """The AQI as published: the integer, or "NA"."""
        return "NA" if self.aqi is None else str(self.aqi)


def aqi_level(aqi: int) -> AqiLevel:
    """The level an (integer, ≥ 0) AQI falls in."""
    if aqi < 0:
        raise ValueError(f"AQI cannot be negative: {aqi}")
    return next(lv for lv in LEVELS if lv.upper is None or aqi <= lv.upper)


def aqi_edition(when: date | datetime) -> AqiEdition:
    """The HJ 633 edition in force on the local day of ``when``."""
    return in_force(AQI_EDITIONS, when)


def _interpolate(column: tuple[Decimal, ...], c: Decimal) -> int:
    # First segment whose upper breakpoint is ≥ c; at a breakpoint both neighbouring
    # segments give the same exact value, and Fraction keeps it exact before ceil.
    for i in range(1, len(column)):
        lo, hi = column[i - 1], column[i]
        if c <= hi:
            i_lo, i_hi = IAQI_STEPS[i - 1], IAQI_STEPS[i]
            value = Fraction(i_hi - i_lo) / Fraction(hi - lo) * Fraction(c - lo) + i_lo
            return ceil_int(value)
    raise AssertionError("caller checks c against the top breakpoint")


def _evaluate(
    ed: AqiEdition,
    indicator: Indicator,
    value: Number,
    related: Mapping[Indicator, Number | None],
    *,
    substitute: bool,
) -> Iaqi:
    c = to_decimal(value)
    if c < 0:
        raise ValueError(f"negative concentration for {indicator}: {c}")
    places = ed.rounding.get(indicator.code)
    evaluated = c if places is None else round_gbt8170(c, places)
    column = ed.breakpoints.get(indicator)
    if column is None:
        raise ValueError(f"{ed.edition.code} has no breakpoints for {indicator}")
    code = ed.edition.code
    if evaluated <= column[-1]:
        return Iaqi(indicator, c, evaluated, _interpolate(column, evaluated), IaqiRule.TABLE, code)
    special = ed.above_scale.get(indicator)
    if special is None:
        return Iaqi(indicator, c, evaluated, IAQI_MAX, IaqiRule.ABOVE_SCALE, code)
    if isinstance(special, FixedIaqi):
        return Iaqi(indicator, c, evaluated, special.iaqi, IaqiRule.FIXED, code)
    other = related.get(special.indicator)
    if other is None or not substitute:
        return Iaqi(indicator, c, evaluated, None, IaqiRule.SUBSTITUTED, code)
    # The substitute is evaluated on its own column; substitution does not chain.
    used = _evaluate(ed, special.indicator, other, related, substitute=False)
    return Iaqi(indicator, c, evaluated, used.iaqi, IaqiRule.SUBSTITUTED, code)


def iaqi(
    indicator: Indicator,
    concentration: Number,
    *,
    when: date | datetime,
    related: Mapping[Indicator, Number | None] | None = None,
) -> Iaqi:
    """IAQI of one indicator under the edition in force on the local day of ``when``.

    ``related`` supplies the indicator HJ 633-2012 substitutes above a column's top
    (SO2 24h for SO2 1h > 800; O3 1h for O3 8h > 800). The result is rounded up to an
    integer. Raises ValueError for a negative or non-finite concentration.
    """
    ed = aqi_edition(when)
    return _evaluate(ed, indicator, concentration, related or {}, substitute=True)


def _combine(
    ed: AqiEdition,
    values: Mapping[Indicator, Number | None],
    *,
    report: Literal["hourly", "daily"],
    day: date,
    required: tuple[Indicator, ...],
    optional: tuple[Indicator, ...],
) -> AqiResult:
    results: list[Iaqi] = []
    missing: list[Indicator] = []
    for ind in required + optional:
        value = values.get(ind)
        if value is None:
            if ind in required:
                missing.append(ind)
            continue
        result = _evaluate(ed, ind, value, values, substitute=True)
        results.append(result)
        if result.iaqi is None:
            missing.append(ind)
    known = [r.iaqi for r in results if r.iaqi is not None]
    top = max(known, default=None)
    # Publication rule (HJ 633-2026): with a pollutant missing the AQI is published only
    # when the available ones already exceed 100, otherwise "NA". Applied to 2012 too.
    aqi = None if top is None or (missing and top <= 100) else top
    primary = tuple(r.indicator for r in results if aqi is not None and aqi > 50 and r.iaqi == aqi)
    return AqiResult(
        edition=ed.edition.code,
        report=report,
        day=day,
        aqi=aqi,
        level=None if aqi is None else aqi_level(aqi),
        primary_pollutants=tuple(dict.fromkeys(i.code for i in primary)),
        primary_indicators=primary,
        iaqis=tuple(results),
        missing=tuple(missing),
    )


def hourly_aqi(at: datetime, values: Mapping[Indicator, Number | None]) -> AqiResult:
    """Hourly (real-time) AQI for the hour starting at ``at`` (timezone-aware).

    HJ 633-2026: the six 1-hour values (PM 1-hour on the 24-hour breakpoints).
    HJ 633-2012: the same six plus, when supplied, the moving O3 8h and PM10/PM2.5 24h
    means (absent ones are simply not evaluated); SO2_24H may be supplied for rule (b).
    Keys not used by the edition are ignored. None or absent = missing.
    """
    require_aware(at)
    ed = aqi_edition(at)
    return _combine(
        ed,
        values,
        report="hourly",
        day=local_day(at),
        required=ed.hourly_required,
        optional=ed.hourly_optional,
    )


def daily_aqi(day: date | datetime, values: Mapping[Indicator, Number | None]) -> AqiResult:
    """Daily AQI of a local calendar day (a ``date``, or an aware datetime within it).

    Indicators: 24h means of SO2, NO2, CO, PM10, PM2.5 and the daily max 8h O3; HJ 633-2012
    also the daily max 1h O3 (O3_1H). See aggregation.daily_indicators to build them.
    """
    ed = aqi_edition(day)
    return _combine(
        ed, values, report="daily", day=local_day(day), required=ed.daily_required, optional=()
    )
