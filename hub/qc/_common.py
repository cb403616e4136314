"""Helpers shared by the checks: float comparisons with slack, timestamps in reasons."""

from __future__ import annotations

import math
from datetime import datetime
from typing import TypeGuard

# Relative slack for float noise only; real tolerances are configured by the caller.
_REL_EPS = 1e-9


def is_number(value: float | None) -> TypeGuard[float]:
    """True for a finite float; None, NaN and ±inf carry no usable value."""
    return value is not None and math.isfinite(value)


def within(a: float, b: float, tolerance: float = 0.0) -> bool:
    """|a − b| ≤ tolerance, allowing for float rounding on top of the tolerance."""
    return abs(a - b) <= tolerance + _REL_EPS * max(1.0, abs(a), abs(b))


def above(value: float, bound: float) -> bool:
    """value > bound by more than float noise."""
    return value > bound and not within(value, bound)


def below(value: float, bound: float) -> bool:
    """value < bound by more than float noise."""
    return value < bound and not within(value, bound)


def ts(moment: datetime) -> str:
    """A timestamp as reasons show it: ISO 8601 to the minute, with its offset."""
    return moment.isoformat(timespec="minutes")
