"""Functional-zone noise by GB 3096-2008: day and night compliance of a local day. Pure.

The day part of day D is 06:00–22:00 on D; its night runs from 22:00 on D to 06:00 on D+1
(GB 3096 §3: 夜间 22:00 至次日 06:00). So a day's verdict needs its hours from 06:00 D up
to 06:00 D+1 (``day_window``), and the hours 00:00–06:00 of D belong to the night of D−1.
Each part's hourly Leq values are energy-averaged,

    L = 10 · lg( mean( 10^(Lᵢ/10) ) ),

and the mean is rounded to 0.1 dB(A) per GB/T 8170 *before* it is compared with the zone's
limit (修约值比较法; equal complies): 55.0075 → 55.0 complies with a 55 limit, 55.06 →
55.1 does not. A single hourly Leq is compared the same way (``judge_leq``). At night the
highest hourly Lmax must stay within the night limit + 15 dB(A). A part without any valid
hour has no verdict, and neither has the day as a whole.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, Final

from hub.standards import DayPart, NoiseResult, NoiseZone, assess_noise, day_part
from hub.standards.editions import in_force
from hub.standards.noise import NOISE_TABLES
from hub.standards.rounding import round_gbt8170
from hub.timeutil import LOCAL_TZ, local_day_bounds

#: Shifting a night hour back by six hours lands it on the date whose night it is.
_NIGHT_SHIFT: Final = timedelta(hours=6)
EXPECTED_HOURS: Final = {DayPart.DAY: 16, DayPart.NIGHT: 8}


def energy_mean(levels: Sequence[float]) -> float:
    """Energy (logarithmic) mean of sound levels in dB: 10·lg(mean(10^(L/10)))."""
    if not levels:
        raise ValueError("no levels to average")
    return 10 * math.log10(sum(10 ** (level / 10) for level in levels) / len(levels))


def rounded_level(level: float | Decimal) -> Decimal:
    """A sound level as it is compared with a limit: 0.1 dB(A), GB/T 8170."""
    return round_gbt8170(level if isinstance(level, Decimal) else Decimal(repr(level)), 1)


def noise_zone(targets: Mapping[str, Any]) -> NoiseZone | None:
    """The site's ``noise_zone`` target; None without one, ValueError for an unknown zone."""
    raw = targets.get("noise_zone")
    return None if raw is None else NoiseZone(str(raw).lower())


def assessed_as(at: datetime) -> tuple[date, DayPart]:
    """The local day and the part of it (昼间 / 夜间) an hour starting at ``at`` counts for."""
    part = day_part(at)
    local = at.astimezone(LOCAL_TZ)
    if part is DayPart.NIGHT:
        local -= _NIGHT_SHIFT
    return local.date(), part


def day_window(first: date, last: date) -> tuple[datetime, datetime]:
    """What to read to assess the local days ``first`` … ``last`` (06:00 first → 06:00 last+1)."""
    return (
        local_day_bounds(first)[0] + _NIGHT_SHIFT,
        local_day_bounds(last)[1] + _NIGHT_SHIFT,
    )


def judge_leq(
    zone: NoiseZone | str, at: datetime, leq: float | Decimal, lmax: float | None = None
) -> NoiseResult:
    """GB 3096 verdict on a Leq (rounded first) for the day part of ``at``."""
    return assess_noise(zone, at, rounded_level(leq), lmax)


@dataclass(frozen=True)
class NoisePart:
    """One part of a day: its valid hours, the rounded energy mean and the verdict."""

    part: DayPart
    hours: int
    lmax: float | None
    result: NoiseResult | None

    @property
    def compliant(self) -> bool | None:
        """The part's verdict; None without any valid hour."""
        return None if self.result is None else self.result.compliant


@dataclass(frozen=True)
class NoiseDay:
    """GB 3096 compliance of one local day at one site."""

    day: date
    zone: NoiseZone
    standard: str
    day_part: NoisePart
    night: NoisePart

    @property
    def compliant(self) -> bool | None:
        """Both parts comply; None when either has no verdict."""
        verdicts = (self.day_part.compliant, self.night.compliant)
        return None if None in verdicts else all(v is True for v in verdicts)


def noise_day(
    zone: NoiseZone,
    day: date,
    leq: Iterable[tuple[datetime, float]],
    lmax: Iterable[tuple[datetime, float]] = (),
) -> NoiseDay:
    """The day's verdict from valid hourly (hour start, Leq) and (hour start, Lmax) values.

    Hours that do not count for ``day`` (see ``assessed_as``) are ignored, so a caller may
    pass a wider span.
    """
    levels: dict[DayPart, list[float]] = {DayPart.DAY: [], DayPart.NIGHT: []}
    for t, value in leq:
        on, part = assessed_as(t)
        if on == day:
            levels[part].append(value)
    night_top = [v for t, v in lmax if assessed_as(t) == (day, DayPart.NIGHT)]
    top = max(night_top) if night_top else None
    # A moment inside each part, for the edition in force and the part's limit.
    noon = datetime.combine(day, time(12), LOCAL_TZ)
    at = {DayPart.DAY: noon, DayPart.NIGHT: noon + timedelta(hours=11)}
    parts = {}
    for part, found in levels.items():
        part_lmax = top if part is DayPart.NIGHT else None
        result = judge_leq(zone, at[part], energy_mean(found), part_lmax) if found else None
        parts[part] = NoisePart(part, len(found), part_lmax, result)
    standard = in_force(NOISE_TABLES, day).edition.code
    return NoiseDay(day, zone, standard, parts[DayPart.DAY], parts[DayPart.NIGHT])
