"""What a verdict does to the alarm of its key: open, extend, close or nothing. Pure.

One alarm per (site, parameter, kind) is open at a time. An offending reading opens one
(if the rule says it may) or extends the open one when it widens the span. A compliant
reading closes it once compliant data reach ``close_after`` past the end of the last
offending period (the *recovery anchor*), in data time: with hourly data and the
default 2 h, two compliant hours after the last bad one close it; a grab sample taken
2 h or more after the last bad one closes it alone. Any offending reading moves the
anchor, so recovery starts again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from hub.alarms.types import Verdict


class Step(StrEnum):
    OPEN = "open"
    EXTEND = "extend"
    CLOSE = "close"
    NONE = "none"


@dataclass(frozen=True)
class Span:
    """The data-time span of an open alarm and its recovery anchor."""

    start: datetime
    end: datetime
    anchor: datetime


def decide(current: Span | None, verdict: Verdict, close_after: timedelta) -> Step:
    """The step ``verdict`` causes for the key's open alarm (``current``, or None)."""
    if verdict.breach:
        if current is None:
            return Step.OPEN if verdict.may_open else Step.NONE
        # Re-judging data the alarm already covers (another pollutant of the same hour, a
        # re-sent sample) is not news; only a wider span is an extension.
        if verdict.end > current.end or verdict.at < current.start:
            return Step.EXTEND
        return Step.NONE
    if current is not None and verdict.end >= current.anchor + close_after:
        return Step.CLOSE
    return Step.NONE


def opened(verdict: Verdict) -> Span:
    """The span of an alarm that ``verdict`` opens."""
    return Span(verdict.at, verdict.end, verdict.end)


def extended(current: Span, verdict: Verdict) -> Span:
    """The span after an offending ``verdict`` extends ``current``."""
    return Span(
        min(current.start, verdict.at),
        max(current.end, verdict.end),
        max(current.anchor, verdict.end),
    )


def worse(a: float | None, b: float | None, limit: float | None) -> float | None:
    """The worse of two offending values: the higher, or the lower for a ≥ limit (DO)."""
    if a is None or b is None:
        return a if b is None else b
    if limit is not None and max(a, b) < limit:
        return min(a, b)
    return max(a, b)
