"""GB 3096-2008 environmental noise limits by functional zone (reference file, mark M).

Day is 06:00–22:00 local, night 22:00–06:00; local governments may set other hours, so
both bounds are parameters. At night Lmax may exceed the night limit by at most 15 dB(A).
A value equal to a limit complies.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from enum import StrEnum
from types import MappingProxyType
from typing import Final

from hub.standards.editions import Confidence, Edition, in_force, to_local
from hub.standards.rounding import Number, to_decimal

DAY_START: Final = time(6)
NIGHT_START: Final = time(22)


class NoiseZone(StrEnum):
    """Acoustic functional zone. 4b: new railway trunk lines approved from 2011-01-01."""

    Z0 = "0"
    Z1 = "1"
    Z2 = "2"
    Z3 = "3"
    Z4A = "4a"
    Z4B = "4b"


class DayPart(StrEnum):
    """昼间 / 夜间."""

    DAY = "day"
    NIGHT = "night"


@dataclass(frozen=True, eq=False)
class NoiseTable:
    """One edition of GB 3096: (day, night) Leq limits in dB(A) per zone."""

    edition: Edition
    limits: Mapping[NoiseZone, tuple[Decimal, Decimal]]
    night_lmax_allowance: Decimal
    confidence: Confidence = Confidence.M


GB3096_2008: Final = NoiseTable(
    Edition("GB 3096-2008", "声环境质量标准", date(2008, 10, 1)),
    MappingProxyType(
        {
            NoiseZone(z): (Decimal(d), Decimal(n))
            for z, d, n in (
                ("0", 50, 40),
                ("1", 55, 45),
                ("2", 60, 50),
                ("3", 65, 55),
                ("4a", 70, 55),
                ("4b", 70, 60),
            )
        }
    ),
    night_lmax_allowance=Decimal(15),
)
NOISE_TABLES: Final = (GB3096_2008,)


@dataclass(frozen=True)
class NoiseResult:
    """Compliance of one measurement; Lmax fields are None by day or when not given."""

    edition: str
    zone: NoiseZone
    day_part: DayPart
    limit: Decimal
    leq: Decimal
    leq_exceeds: bool
    lmax: Decimal | None
    lmax_limit: Decimal | None
    lmax_exceeds: bool | None
    compliant: bool
    confidence: Confidence


def day_part(
    at: datetime, *, day_start: time = DAY_START, night_start: time = NIGHT_START
) -> DayPart:
    """Day or night at the local (UTC+8) time of ``at``: day_start ≤ t < night_start is day."""
    t = to_local(at).time()
    return DayPart.DAY if day_start <= t < night_start else DayPart.NIGHT


def noise_limit(zone: NoiseZone | str, part: DayPart, *, when: date | datetime) -> Decimal:
    """Leq limit in dB(A) for a zone ("0" … "4b", case-insensitive) and day/night."""
    table = in_force(NOISE_TABLES, when)
    day, night = table.limits[NoiseZone(str(zone).lower())]
    return day if part is DayPart.DAY else night


def assess_noise(
    zone: NoiseZone | str,
    at: datetime,
    leq: Number,
    lmax: Number | None = None,
    *,
    day_start: time = DAY_START,
    night_start: time = NIGHT_START,
) -> NoiseResult:
    """Compliance of a measurement taken at ``at`` (timezone-aware).

    Night Lmax is checked against night limit + 15 dB(A); it is not evaluated by day.
    """
    table = in_force(NOISE_TABLES, at)
    z = NoiseZone(str(zone).lower())
    part = day_part(at, day_start=day_start, night_start=night_start)
    limit = noise_limit(z, part, when=at)
    leq_d = to_decimal(leq)
    lmax_d = None if lmax is None else to_decimal(lmax)
    lmax_limit = lmax_exceeds = None
    if part is DayPart.NIGHT and lmax_d is not None:
        lmax_limit = limit + table.night_lmax_allowance
        lmax_exceeds = lmax_d > lmax_limit
    return NoiseResult(
        table.edition.code,
        z,
        part,
        limit,
        leq_d,
        leq_d > limit,
        lmax_d,
        lmax_limit,
        lmax_exceeds,
        not (leq_d > limit or bool(lmax_exceeds)),
        table.confidence,
    )
