"""A conservative pre-screen that lets clean series skip the full QC run.

Most of what arrives is unremarkable. ``certainly_clean`` answers, in one pass over plain
tuples, "can ``hub.qc.run_all`` raise any flag on this series?" — and answers "no" only when
it provably cannot: every value present, finite, inside the plausible range, flagged N and
finished by now; no step between consecutive values faster than the rate limit; no chain of
N consecutive values within the flat-line tolerance of their neighbours (a superset of the
flat runs ``run_all`` looks for). Anything else goes to ``run_all``, which stays the only
authority on what a flag says. The screen errs towards "maybe", never towards "clean"; a
unit test checks that on thousands of random series.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime

from hub.qc import ParameterRules
from hub.qc.run import DEFAULT_CLOCK_SKEW
from hub.qc.stage_rules import period_length

Row = tuple[datetime, float | None, str]  # (period start, value, HJ 212 flag)

# Wider than run_all's float slack, so that borderline cases always take the full run.
_SLACK = 1e-6


def _start(row: Row) -> datetime:
    return row[0]


def certainly_clean(
    rows: Sequence[Row], period: str, rules: ParameterRules, site: str, now: datetime
) -> bool:
    """True only when ``run_all(rows, rules, now, site=site)`` would raise no flag at all."""
    bounds = rules.range_for(site)
    low = -math.inf if bounds.min_value is None else bounds.min_value
    high = math.inf if bounds.max_value is None else bounds.max_value
    isfinite = math.isfinite
    for _, value, flag in rows:
        # NaN fails the comparison; ±inf fails isfinite.
        if flag != "N" or value is None or not (low <= value <= high) or not isfinite(value):
            return False
    # A period's end grows with its start, so the latest start has the latest end.
    latest = max(rows, key=_start)[0]
    if latest + period_length(period, latest) > now + DEFAULT_CLOCK_SKEW:
        return False
    rate, run = rules.max_rate_per_hour, rules.flatline_run
    if rate is None and run is None:
        return True
    # Per second, and a hair stricter than run_all's own float slack.
    per_second = math.inf if rate is None else rate * (1 - _SLACK) / 3600
    tolerance = rules.flatline_tolerance
    longest = math.inf if run is None else run
    ordered = sorted(rows, key=_start)
    t0, v0, _ = ordered[0]
    chain = 1
    for t1, v1, _ in ordered[1:]:
        assert v0 is not None and v1 is not None  # checked above
        step = abs(v1 - v0)
        # Slack ≥ run_all's (1e-9 · max(1, |a|, |b|)): borderline pairs count as close.
        chain = chain + 1 if step <= tolerance + _SLACK * (1 + abs(v0) + abs(v1)) else 1
        if chain >= longest:
            return False
        seconds = (t1 - t0).total_seconds()
        if seconds > 0 and step > per_second * seconds:
            return False
        t0, v0 = t1, v1
    return True
