"""Exact numbers: conversion to Decimal and GB/T 8170 rounding.

Floats are converted through their shortest repr so that 0.15 is the decimal 0.15 the
user typed, not 0.1499999999999999944...; every comparison with a limit is then exact.
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal
from fractions import Fraction
from math import ceil

Number = Decimal | int | float


def to_decimal(value: Number) -> Decimal:
    """Exact Decimal of ``value``; rejects bool, NaN and infinities with ValueError."""
    if isinstance(value, bool):
        raise ValueError("a bool is not a measured value")
    if isinstance(value, Decimal):
        result = value
    else:
        result = Decimal(repr(value) if isinstance(value, float) else value)
    if not result.is_finite():
        raise ValueError(f"not a finite number: {value!r}")
    return result


def round_gbt8170(value: Number, places: int) -> Decimal:
    """Round to ``places`` decimals per GB/T 8170 (四舍六入五成双: round half to even).

    Decimal's ROUND_HALF_EVEN on the exact decimal value implements the rule completely:
    a 5 followed only by zeros goes to the even digit (60.5 → 60, 61.5 → 62), a 5 followed
    by any non-zero digit rounds up (60.51 → 61).
    """
    return to_decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_EVEN)


def ceil_int(value: Fraction | Decimal | int) -> int:
    """Smallest integer ≥ value, computed exactly (no float)."""
    return ceil(Fraction(value))


def mean(values: list[Decimal]) -> Decimal:
    """Arithmetic mean of a non-empty list of Decimals."""
    if not values:
        raise ValueError("mean of no values")
    return sum(values, Decimal(0)) / len(values)
