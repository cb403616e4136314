"""Missing data: expected points that never arrived become gap records of their own."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from hub.qc.types import Gap, Point


def find_gaps(
    points: Sequence[Point], expected_interval: timedelta, start: datetime, end: datetime
) -> list[Gap]:
    """Gaps in [start, end) for a series expected every `expected_interval` from `start`.

    The window is cut into slots [start + k·interval, start + (k+1)·interval); a slot is filled
    when some point with a value (not None) starts inside it, so a logger clock a few minutes
    off still fills its slot. Consecutive empty slots make one Gap; the last slot and gap are
    clipped at `end`. Points outside the window are ignored; the order of points does not matter.
    """
    if expected_interval <= timedelta(0):
        raise ValueError(f"expected_interval must be positive, got {expected_interval}")
    if start.utcoffset() is None or end.utcoffset() is None:
        raise ValueError("window start and end must be timezone-aware")
    if end <= start:
        return []
    whole, rest = divmod(end - start, expected_interval)
    slots = whole + (1 if rest else 0)
    filled = {
        (p.time - start) // expected_interval
        for p in points
        if p.value is not None and start <= p.time < end
    }

    gaps: list[Gap] = []
    k = 0
    while k < slots:
        if k in filled:
            k += 1
            continue
        first = k
        while k < slots and k not in filled:
            k += 1
        gap_end = min(start + k * expected_interval, end)
        gaps.append(Gap(start + first * expected_interval, gap_end, k - first))
    return gaps
