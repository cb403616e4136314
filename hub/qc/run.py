"""One entry point that runs every per-series check and returns one result per point."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import datetime, timedelta

from hub.qc._common import is_number
from hub.qc.checks import (
    OVER_RANGE_FLAG,
    check_device_flags,
    check_flatline,
    check_missing_values,
    check_period_complete,
    check_range,
    check_rate_of_change,
)
from hub.qc.config import ParameterRules
from hub.qc.types import INVALID, Point, QcFlag, QcResult

# Data loggers' clocks drift; a period that ends a little after the hub's "now" is not fraud.
DEFAULT_CLOCK_SKEW = timedelta(minutes=5)


def _remap(flags: list[QcFlag], positions: list[int]) -> list[QcFlag]:
    """Translate indices into a subsequence back to indices into the whole series."""
    return [dataclasses.replace(f, index=positions[f.index]) for f in flags if f.index is not None]


def run_all(
    series: Sequence[Point],
    rules: ParameterRules,
    now: datetime,
    *,
    site: str | None = None,
    clock_skew: timedelta = DEFAULT_CLOCK_SKEW,
) -> list[QcResult]:
    """Run all per-series checks on one site's series of one parameter.

    Returns exactly one QcResult per input point, in input order. Missing value, range, device
    flag and future-period checks run on every point. Rate/spike and flat-line checks then run
    only on points that are still valid, so a sentinel such as -9999 or a calibration-gas value
    is reported once for what it is rather than again as a spike. Over-range (T) values are left
    out of the flat-line check because an instrument pinned at its ceiling repeats its maximum.
    Missing periods are not per-point: use `find_gaps` for them.
    """
    if now.utcoffset() is None:
        raise ValueError("now must be timezone-aware")
    per_point: list[list[QcFlag]] = [[] for _ in series]

    def add(flags: list[QcFlag]) -> None:
        for flag in flags:
            if flag.index is not None:
                per_point[flag.index].append(flag)

    add(check_missing_values(series))
    add(check_range(series, rules, site))
    add(check_device_flags(series))
    add(check_period_complete(series, now, clock_skew))

    usable = [
        i
        for i, p in enumerate(series)
        if is_number(p.value) and all(f.severity != INVALID for f in per_point[i])
    ]
    if rules.max_rate_per_hour is not None:
        subset = [series[i] for i in usable]
        add(_remap(check_rate_of_change(subset, rules.max_rate_per_hour), usable))
    if rules.flatline_run is not None:
        steady = [i for i in usable if series[i].flag != OVER_RANGE_FLAG]
        subset = [series[i] for i in steady]
        add(_remap(check_flatline(subset, rules.flatline_run, rules.flatline_tolerance), steady))
    return [QcResult(tuple(flags)) for flags in per_point]
