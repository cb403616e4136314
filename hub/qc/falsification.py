"""Patterns that suggest falsified data. They only raise "review" flags for a person to judge.

Each detector returns QcFlags with severity "review"; `time`/`end` give the span that looks
wrong so an alarm can be raised over it, and `index` is the first point of that span (None
for a finding about a whole series).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from datetime import datetime

from hub.qc._common import above, below, is_number, ts, within
from hub.qc.checks import flat_runs, time_order
from hub.qc.corrections import AlarmSpan, Correction, detect_suspicious_corrections
from hub.qc.stats import binomial_upper_tail
from hub.qc.types import REVIEW, Point, QcFlag

__all__ = [
    "AlarmSpan",
    "Correction",
    "detect_constant_during_exceedance",
    "detect_identical_series",
    "detect_suspicious_corrections",
    "detect_under_limit_clustering",
]


def detect_identical_series(
    a: Sequence[Point],
    b: Sequence[Point],
    *,
    site_a: str,
    site_b: str,
    tolerance: float = 0.0,
    min_overlap: int = 24,
    min_moves: int = 3,
) -> list[QcFlag]:
    """Two sites' series of the same parameter that agree value for value ("dup_series").

    Points are paired by period start where both sites have a value. A run of consecutive pairs
    that agree within `tolerance` is flagged when it has at least `min_overlap` pairs and the
    series moves: at least `min_moves` steps between consecutive pairs change by more than the
    tolerance. Two constant series (e.g. two stuck sensors) never trip this — they agree by
    accident and are the flat-line check's business. A disagreeing pair ends the run; a time at
    which only one site reported is skipped. Indices refer to `a`.
    """
    if site_a == site_b:
        raise ValueError("identical-series detection compares two different sites")
    b_at = {p.time: p.value for p in b}
    # Runs of (index into a, value) where both sites agree.
    runs: list[list[tuple[int, float]]] = [[]]
    for i in time_order(a):
        a_value, b_value = a[i].value, b_at.get(a[i].time)
        if not is_number(a_value) or not is_number(b_value):
            continue
        if within(a_value, b_value, tolerance):
            runs[-1].append((i, a_value))
        elif runs[-1]:
            runs.append([])

    flags = []
    for agreeing in runs:
        run = [i for i, _ in agreeing]
        moves = sum(
            1 for (_, x), (_, y) in itertools.pairwise(agreeing) if not within(x, y, tolerance)
        )
        if len(run) < min_overlap or moves < min_moves:
            continue
        first, last = a[run[0]], a[run[-1]]
        reason = (
            f"{len(run)} values of {site_a} and {site_b} agree within {tolerance:g} "
            f"from {ts(first.time)} to {ts(last.end)} while the series changes {moves} times "
            f"(thresholds {min_overlap} values, {min_moves} changes): possible copied data"
        )
        flags.append(QcFlag("dup_series", REVIEW, reason, run[0], first.time, last.end))
    return flags


def detect_constant_during_exceedance(
    points: Sequence[Point],
    limit: float,
    *,
    min_run: int = 3,
    tolerance: float = 0.0,
    exceedance_windows: Sequence[tuple[datetime, datetime]] = (),
) -> list[QcFlag]:
    """A constant, compliant value across a time of exceedance ("const_exceedance").

    Trips on a run of ≥ `min_run` consecutive values within `tolerance` of each other (see
    `flat_runs`) that do not exceed `limit`, when either (a) the nearest values before and after
    the run both exceed the limit — the site's own data say it was exceeding on both sides — or
    (b) the run's span overlaps one of `exceedance_windows` ([start, end) times when other
    evidence, such as neighbouring sites or an open alarm, shows exceedance). "Exceed" means
    strictly above the limit. A constant above the limit hides nothing and is left to flat-line.
    """
    order = [i for i in time_order(points) if is_number(points[i].value)]
    position = {i: k for k, i in enumerate(order)}
    flags = []
    for run in flat_runs(points, tolerance):
        level = points[run[0]].value
        if len(run) < min_run or level is None or above(level, limit):
            continue
        start, end = points[run[0]].time, points[run[-1]].end
        evidence = []
        k_first, k_last = position[run[0]], position[run[-1]]
        if k_first > 0 and k_last + 1 < len(order):
            before, after = points[order[k_first - 1]].value, points[order[k_last + 1]].value
            if is_number(before) and is_number(after) and above(min(before, after), limit):
                evidence.append(
                    f"the values just before ({before:g}) and after ({after:g}) exceed it"
                )
        evidence.extend(
            f"it overlaps the exceedance window {ts(ws)}–{ts(we)}"
            for ws, we in exceedance_windows
            if ws < end and we > start
        )
        if evidence:
            reason = (
                f"{len(run)} values in a row at {level:g} (limit {limit:g}) from {ts(start)} "
                f"to {ts(end)}, and " + "; ".join(evidence)
            )
            flags.append(QcFlag("const_exceedance", REVIEW, reason, run[0], start, end))
    return flags


def detect_under_limit_clustering(
    points: Sequence[Point],
    limit: float,
    *,
    band: float = 0.05,
    min_count: int = 30,
    min_ratio: float = 2.0,
    alpha: float = 0.001,
) -> list[QcFlag]:
    """Values piled up just under a limit far more often than chance ("under_limit_clustering").

    Counts k values in the upper band [L·(1−band), L) and m in the band below it,
    [L·(1−2·band), L·(1−band)). If the values were not steered, a value falling in either band
    would land in the upper one with probability about ½ (the density is roughly flat over a
    narrow 2·band window, and for the right-skewed distributions of pollutant data it falls
    towards the limit, which makes ½ conservative). Under that null k ~ Binomial(k + m, ½).
    Flags when k + m ≥ `min_count`, k / m ≥ `min_ratio` (m = 0 counts as infinite) and the
    one-sided P(X ≥ k) < `alpha`. Values at or above the limit and None are ignored.
    """
    if limit <= 0 or not 0.0 < band < 0.5:
        raise ValueError("need limit > 0 and 0 < band < 0.5")
    upper_floor, lower_floor = limit * (1 - band), limit * (1 - 2 * band)
    values = [v for p in points if is_number(v := p.value)]
    upper = sum(1 for v in values if below(v, limit) and not below(v, upper_floor))
    lower = sum(1 for v in values if below(v, upper_floor) and not below(v, lower_floor))
    n = upper + lower
    if n < min_count:
        return []
    ratio = upper / lower if lower else float("inf")
    p_value = binomial_upper_tail(upper, n, 0.5)
    if ratio < min_ratio or p_value >= alpha:
        return []
    reason = (
        f"{upper} values in [{upper_floor:g}, {limit:g}) just under the limit against {lower} "
        f"in [{lower_floor:g}, {upper_floor:g}): ratio {ratio:.2f} (threshold {min_ratio:g}), "
        f"one-sided binomial p = {p_value:.2g} < {alpha:g}"
    )
    start, end = min(p.time for p in points), max(p.end for p in points)
    return [QcFlag("under_limit_clustering", REVIEW, reason, None, start, end)]
