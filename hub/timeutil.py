"""Time helpers: ISO 8601 instants and durations, local (UTC+8) days.

The hub stores UTC; clients speak local time with ``+08:00``. Periods are ISO 8601
durations kept in one canonical spelling (``PT1H``, ``P1D``, ``P1M``) so that the same
period always compares equal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone
from functools import lru_cache

LOCAL_TZ = timezone(timedelta(hours=8), "Asia/Shanghai")

_DURATION = re.compile(
    r"^P(?!$)(?:(?P<years>\d+)Y)?(?:(?P<months>\d+)M)?(?:(?P<weeks>\d+)W)?(?:(?P<days>\d+)D)?"
    r"(?:T(?=\d)(?:(?P<hours>\d+)H)?(?:(?P<minutes>\d+)M)?(?:(?P<seconds>\d+)S)?)?$"
)


@dataclass(frozen=True)
class IsoDuration:
    """An ISO 8601 duration split into calendar months and exact seconds."""

    months: int
    seconds: int

    @property
    def iso(self) -> str:
        if self.months == 0 and self.seconds == 0:
            return "PT0S"
        out = "P"
        if self.months:
            out += f"{self.months // 12}Y" if self.months % 12 == 0 else f"{self.months}M"
        days, rest = divmod(self.seconds, 86400)
        if days:
            out += f"{days}D"
        if rest:
            h, rem = divmod(rest, 3600)
            m, s = divmod(rem, 60)
            out += "T" + (f"{h}H" if h else "") + (f"{m}M" if m else "") + (f"{s}S" if s else "")
        return out

    @property
    def approx_seconds(self) -> int:
        """Length in seconds, counting a month as 30 days (for sizing, never for keys)."""
        return self.months * 30 * 86400 + self.seconds


def parse_period(text: str) -> IsoDuration:
    """Parse an ISO 8601 duration such as ``PT1H``, ``P1D``, ``P1M`` or ``PT0S``."""
    m = _DURATION.match(text.strip().upper()) if isinstance(text, str) else None
    if not m:
        raise ValueError(f"{text!r} is not an ISO 8601 duration such as PT1H, P1D or P1M")
    g = {k: int(v) if v else 0 for k, v in m.groupdict().items()}
    months = g["years"] * 12 + g["months"]
    seconds = (
        (g["weeks"] * 7 + g["days"]) * 86400 + g["hours"] * 3600 + g["minutes"] * 60 + g["seconds"]
    )
    return IsoDuration(months, seconds)


@lru_cache(maxsize=256)
def canonical_period(text: str) -> str:
    return parse_period(text).iso


def parse_instant(text: str, *, date_is_local_day: bool = True) -> datetime:
    """Parse an ISO 8601 time with a UTC offset (``Z`` or ``+08:00``) into aware UTC.

    A bare date (``2026-11-01``) means the start of that local (UTC+8) day. A time
    without an offset is refused: guessing the zone is how data ends up eight hours off.
    """
    if not isinstance(text, str) or not text:
        raise ValueError("expected an ISO 8601 date-time string")
    s = text.strip()
    if date_is_local_day and len(s) == 10:
        try:
            d = date.fromisoformat(s)
        except ValueError as exc:
            raise ValueError(f"{text!r} is not a valid date") from exc
        return datetime.combine(d, time(0), LOCAL_TZ).astimezone(UTC)
    try:
        dt = datetime.fromisoformat(s.replace("z", "Z"))
    except ValueError as exc:
        raise ValueError(f"{text!r} is not an ISO 8601 date-time") from exc
    if dt.tzinfo is None:
        raise ValueError(f"{text!r} has no UTC offset; add Z or +08:00")
    return dt.astimezone(UTC)


def iso_utc(dt: datetime) -> str:
    """Render an aware datetime as ``YYYY-MM-DDTHH:MM:SSZ`` (UTC)."""
    return dt.astimezone(UTC).isoformat().replace("+00:00", "Z")


def local_day_bounds(d: date) -> tuple[datetime, datetime]:
    """The UTC instants at which local day ``d`` starts and ends (half-open)."""
    start = datetime.combine(d, time(0), LOCAL_TZ).astimezone(UTC)
    return start, start + timedelta(days=1)
