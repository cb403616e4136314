"""Per-point and per-series checks. Each returns flags indexed into its input; none drops a point.

Series checks sort by period start themselves, so they accept points in any order.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from datetime import datetime, timedelta

from hub.qc._common import above, below, is_number, ts, within
from hub.qc.config import ParameterRules
from hub.qc.types import HJ212_FLAGS, INVALID, SUSPECT, Point, QcFlag, Severity

# Flags after which HJ 212 data do not count towards statistics (HJ 212-2017 table 8).
INVALID_DEVICE_FLAGS = frozenset("FMSDCB")
OVER_RANGE_FLAG = "T"
NORMAL_FLAG = "N"


def _flag(code: str, severity: Severity, reason: str, index: int, point: Point) -> QcFlag:
    return QcFlag(code, severity, reason, index=index, time=point.time, end=point.end)


def time_order(points: Sequence[Point]) -> list[int]:
    """Indices of `points` by period start; stable, so equal times keep their input order."""
    return sorted(range(len(points)), key=lambda i: points[i].time)


def check_missing_values(points: Sequence[Point]) -> list[QcFlag]:
    """A point without a value is invalid ("missing"): there is nothing to count."""
    return [
        _flag("missing", INVALID, "no value reported for this period", i, p)
        for i, p in enumerate(points)
        if p.value is None
    ]


def check_range(
    points: Sequence[Point], rules: ParameterRules, site: str | None = None
) -> list[QcFlag]:
    """Values outside the plausible range (site override first) are invalid ("range").

    Both ends are inclusive: a value exactly at the minimum or maximum is valid.
    NaN and infinities are invalid too, since no comparison can place them.
    """
    bounds = rules.range_for(site)
    where = f"{rules.parameter} at {site}" if site is not None else rules.parameter
    flags = []
    for i, p in enumerate(points):
        if p.value is None:
            continue
        if not is_number(p.value):
            reason = f"value {p.value} is not a finite number"
        elif bounds.min_value is not None and below(p.value, bounds.min_value):
            reason = f"{p.value:g} is below the plausible minimum {bounds.min_value:g} for {where}"
        elif bounds.max_value is not None and above(p.value, bounds.max_value):
            reason = f"{p.value:g} is above the plausible maximum {bounds.max_value:g} for {where}"
        else:
            continue
        flags.append(_flag("range", INVALID, reason, i, p))
    return flags


def check_device_flags(points: Sequence[Point]) -> list[QcFlag]:
    """HJ 212 data flags: F, M, S, D, C, B → invalid ("device_flag"); T → suspect ("over_range").

    T keeps the value for statistics: the instrument saturated, so the true value is at least
    the one reported, and dropping it would bias averages low. A flag outside table 8 (the
    standard allows extensions) is suspect so that someone looks up what the device meant.
    """
    flags = []
    for i, p in enumerate(points):
        if p.flag in INVALID_DEVICE_FLAGS:
            reason = f"HJ 212 flag '{p.flag}' ({HJ212_FLAGS[p.flag]}): not valid for statistics"
            flags.append(_flag("device_flag", INVALID, reason, i, p))
        elif p.flag == OVER_RANGE_FLAG:
            shown = "no value" if p.value is None else f"{p.value:g}"
            reason = f"HJ 212 flag 'T': {HJ212_FLAGS['T']}; true value is at least {shown}"
            flags.append(_flag("over_range", SUSPECT, reason, i, p))
        elif p.flag != NORMAL_FLAG:
            reason = f"data flag {p.flag!r} is not in HJ 212 table 8; check the device's meaning"
            flags.append(_flag("device_flag", SUSPECT, reason, i, p))
    return flags


def check_period_complete(
    points: Sequence[Point], now: datetime, clock_skew: timedelta
) -> list[QcFlag]:
    """A period ending after `now` (+ allowed logger clock skew) cannot have been measured yet."""
    horizon = now + clock_skew
    return [
        _flag(
            "future_time",
            INVALID,
            f"period {ts(p.time)}–{ts(p.end)} ends after now ({ts(now)}) "
            f"plus {clock_skew} allowed clock skew",
            i,
            p,
        )
        for i, p in enumerate(points)
        if p.end > horizon
    ]


def _step(a: Point, b: Point) -> tuple[float, float] | None:
    """(change, hours) from a to b; None when both share a start and no rate exists."""
    hours = (b.time - a.time).total_seconds() / 3600
    if hours <= 0 or not is_number(a.value) or not is_number(b.value):
        return None
    return b.value - a.value, hours


def check_rate_of_change(points: Sequence[Point], max_rate_per_hour: float) -> list[QcFlag]:
    """Changes faster than `max_rate_per_hour` between consecutive values are suspect.

    Rule: consecutive values (in time, skipping None) change at |Δvalue| / Δhours, with Δhours
    measured between period starts, so a change across a 3-hour outage is judged as 3 hours.
    A *spike* is a too-fast step into a point followed by a too-fast step out of it in the
    opposite direction (up and back down, or down and back up): only the middle point is
    flagged "spike", the return step is not flagged again. Any other too-fast step flags the
    point after it "rate_of_change" (a step change flags only its first new value).
    Exactly the maximum rate is allowed.
    """
    order = [i for i in time_order(points) if is_number(points[i].value)]
    fast: list[tuple[float, float] | None] = [None]
    for prev, cur in itertools.pairwise(order):
        step = _step(points[prev], points[cur])
        too_fast = step is not None and above(abs(step[0]) / step[1], max_rate_per_hour)
        fast.append(step if too_fast else None)

    flags: list[QcFlag] = []
    spikes: set[int] = set()
    for k in range(1, len(order)):
        into = fast[k]
        if into is None or k - 1 in spikes:
            continue
        out = fast[k + 1] if k + 1 < len(order) else None
        i = order[k]
        if out is not None and (into[0] > 0) != (out[0] > 0):
            spikes.add(k)
            reason = (
                f"jumped {into[0]:+g} in {into[1]:g} h and back {out[0]:+g} in {out[1]:g} h; "
                f"maximum rate {max_rate_per_hour:g}/h"
            )
            flags.append(_flag("spike", SUSPECT, reason, i, points[i]))
        else:
            reason = (
                f"changed {into[0]:+g} in {into[1]:g} h ({abs(into[0]) / into[1]:g}/h), "
                f"above the maximum {max_rate_per_hour:g}/h"
            )
            flags.append(_flag("rate_of_change", SUSPECT, reason, i, points[i]))
    return flags


def flat_runs(points: Sequence[Point], tolerance: float) -> list[list[int]]:
    """Runs of consecutive values (in time) whose spread (max − min) is within `tolerance`.

    Greedy from the earliest value: a run ends at the first value that would widen the spread
    beyond the tolerance, and that value starts the next run. A missing or non-finite value
    ends the run and belongs to none, so runs of None are never flat. Returns input indices.
    """
    runs: list[list[int]] = []
    current: list[int] = []
    low = high = 0.0
    for i in time_order(points):
        value = points[i].value
        if not is_number(value):
            current = []
            continue
        if current and within(min(low, value), max(high, value), tolerance):
            low, high = min(low, value), max(high, value)
        else:
            current = []
            runs.append(current)
            low = high = value
        current.append(i)
    return runs


def check_flatline(points: Sequence[Point], run_length: int, tolerance: float) -> list[QcFlag]:
    """`run_length` or more values in a row within `tolerance` → every point of the run suspect.

    A sensor that is stuck keeps reporting the same number; real environmental signals move.
    """
    flags: list[QcFlag] = []
    for run in flat_runs(points, tolerance):
        if len(run) < run_length:
            continue
        first, last = points[run[0]], points[run[-1]]
        reason = (
            f"{len(run)} values in a row within {tolerance:g} of {first.value:g} "
            f"from {ts(first.time)} to {ts(last.end)} (threshold {run_length})"
        )
        flags.extend(_flag("flatline", SUSPECT, reason, i, points[i]) for i in run)
    return flags
