"""The small amount of statistics the detectors need, without scipy."""

from __future__ import annotations

import math

# Up to here the exact sum is cheap and every term fits in a float (C(1000, 500) ≈ 2.7e299).
EXACT_MAX_N = 1000


def binomial_upper_tail(k: int, n: int, p: float = 0.5) -> float:
    """P(X ≥ k) for X ~ Binomial(n, p).

    Exact sum of C(n, i)·pⁱ·(1−p)ⁿ⁻ⁱ for n ≤ 1000; above that the normal approximation with
    continuity correction, whose error is far below the 0.001 significance levels used here.
    """
    if n < 0 or not 0.0 < p < 1.0:
        raise ValueError(f"need n ≥ 0 and 0 < p < 1, got n={n}, p={p}")
    if k <= 0:
        return 1.0
    if k > n:
        return 0.0
    q = 1.0 - p
    if n <= EXACT_MAX_N:
        tail = math.fsum(math.comb(n, i) * (p**i * q ** (n - i)) for i in range(k, n + 1))
        return min(1.0, tail)
    mean = n * p
    sd = math.sqrt(n * p * q)
    z = (k - 0.5 - mean) / sd
    return 0.5 * math.erfc(z / math.sqrt(2.0))
