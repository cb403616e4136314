"""The ingest QC stage's rules as data, and the pure pieces that turn records into flags.

Nothing here touches the database: ``qc_stage`` loads sites, parameters and the recent
series, this module decides. The rate and flat-line numbers below are **hub defaults**
chosen for Yangjiang's networks, not values from any national standard; change the tables,
not the code.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any, Final

from hub.observations.store import NormalRecord
from hub.qc import ParameterRules, Point, QcResult, Range
from hub.timeutil import LOCAL_TZ, IsoDuration, parse_period

#: Largest plausible change per hour, in the parameter's canonical unit (hub defaults).
MAX_RATE_PER_HOUR: Final[Mapping[str, float]] = {
    "a34004": 300.0,  # PM2.5 µg/m³
    "a34002": 500.0,  # PM10 µg/m³
    "a21026": 500.0,  # SO2 µg/m³ (stack plumes reach stations in minutes)
    "a21004": 300.0,  # NO2 µg/m³
    "a21005": 10.0,  # CO mg/m³
    "a05024": 200.0,  # O3 µg/m³
    "a01001": 8.0,  # air temperature °C
    "a01006": 1.0,  # air pressure kPa
    "w01001": 1.0,  # pH
    "w01009": 5.0,  # dissolved oxygen mg/L
    "w01010": 3.0,  # water temperature °C
    "n_leq": 30.0,  # hourly Leq dB(A)
}

#: N for the flat-line check (N equal values in a row are suspect), per medium (hub defaults).
#: None: the medium repeats values legitimately (calm wind, 100 % humidity, no rain…).
FLATLINE_BY_MEDIUM: Final[Mapping[str, int | None]] = {
    "air": 6,
    "emission": 6,
    "water": 6,
    "sea": 6,
    "noise": 6,
    "radiation": 6,
    "atmosphere": None,
}

#: Per-parameter exceptions to the medium's N: low, coarsely resolved concentrations repeat
#: honestly (CO to 0.1 mg/m³, single-digit SO2 on a clean coast).
FLATLINE_BY_PARAMETER: Final[Mapping[str, int | None]] = {
    "a21005": 12,
    "a21026": 12,
}

#: Stored points loaded on each side of a batch's records, per series, in periods: twice
#: the series' flat-line N (twice 1 when only the rate is checked), so that a run straddling
#: a short outage is still seen whole. In any realistic series older points change no flag
#: on the batch's records; loading them would only cost time on every ingest.
CONTEXT_FACTOR: Final = 2

#: Rate and flat-line checks judge continuous monitoring only: series whose period is
#: longer than zero and at most a day. Grab samples (PT0S) and campaign means (P1M…) repeat
#: detection-limit values honestly and are sampled too sparsely for a rate.
MAX_DYNAMIC_PERIOD: Final = timedelta(days=1)


#: Sampled instantly: a positive stand-in so that a PT0S sample is a valid Point.
_INSTANT: Final = timedelta(microseconds=1)


@dataclass(frozen=True)
class QcSite:
    """What the stage needs of a site."""

    code: str
    department: str
    targets: Mapping[str, Any]


@dataclass(frozen=True)
class ParameterInfo:
    """What the stage needs of a vocabulary parameter."""

    code: str
    medium: str
    plausible_min: float | None
    plausible_max: float | None


def _add_months(start: datetime, months: int) -> datetime:
    # Calendar months are counted on the local calendar: P1M from a local month start ends
    # at the next local month start.
    local = start.astimezone(LOCAL_TZ)
    index = local.year * 12 + local.month - 1 + months
    year, month = divmod(index, 12)
    day = min(local.day, _month_days(year, month + 1))
    return local.replace(year=year, month=month + 1, day=day).astimezone(UTC)


def _month_days(year: int, month: int) -> int:
    nxt = datetime(year + month // 12, month % 12 + 1, 1)
    return (nxt - timedelta(days=1)).day


@lru_cache(maxsize=64)
def _parsed(period: str) -> IsoDuration:
    # A batch repeats a handful of period spellings thousands of times.
    return parse_period(period)


@lru_cache(maxsize=64)
def _fixed_length(period: str) -> timedelta | None:
    p = _parsed(period)
    if p.months:
        return None  # calendar months differ in length: depends on the start
    return timedelta(seconds=p.seconds) if p.seconds else _INSTANT


def period_length(period: str, start: datetime) -> timedelta:
    """The real length of an ISO 8601 period starting at ``start`` (PT0S → 1 µs)."""
    fixed = _fixed_length(period)
    if fixed is not None:
        return fixed
    p = _parsed(period)
    return _add_months(start, p.months) + timedelta(seconds=p.seconds) - start


def is_dynamic(period: str) -> bool:
    """True when rate and flat-line checks apply to a series of this period."""
    p = _parsed(period)
    return p.months == 0 and 0 < p.seconds <= MAX_DYNAMIC_PERIOD.total_seconds()


def context_span(period: str, parameter: str, medium: str | None) -> timedelta:
    """How far before and after a batch's records stored points are loaded for context."""
    points = CONTEXT_FACTOR * (flatline_run(parameter, medium) or 1)
    return points * timedelta(seconds=_parsed(period).seconds)


def _bound(value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError(f"not a finite number: {value!r}")
    return float(value)


def site_range(targets: Mapping[str, Any], code: str) -> Range | None:
    """The site's own plausible range for ``code`` from ``targets.plausible``, if well formed.

    ``targets: {plausible: {a34004: [0, 800], w01001: [6.0, null]}}`` — null leaves a side
    open. The site range replaces the parameter's (it may be wider or narrower). A malformed
    entry is ignored rather than failing every ingest of the site.
    """
    table = targets.get("plausible")
    entry = table.get(code) if isinstance(table, Mapping) else None
    if not isinstance(entry, list | tuple) or len(entry) != 2:
        return None
    try:
        return Range(_bound(entry[0]), _bound(entry[1]))
    except ValueError:
        return None


def narrowed(vocabulary: Range, department: tuple[float, float] | None) -> Range:
    """The vocabulary's range narrowed by a department's (connector) range.

    Disjoint ranges mean a misconfigured connector; its range then wins, since it is the
    more specific statement about what that department's instruments can read.
    """
    if department is None:
        return vocabulary
    lo, hi = department
    if vocabulary.min_value is not None:
        lo = max(lo, vocabulary.min_value)
    if vocabulary.max_value is not None:
        hi = min(hi, vocabulary.max_value)
    return Range(lo, hi) if lo <= hi else Range(*department)


def flatline_run(parameter: str, medium: str | None) -> int | None:
    """N of the flat-line check for a parameter (parameter exception, else its medium's)."""
    if parameter in FLATLINE_BY_PARAMETER:
        return FLATLINE_BY_PARAMETER[parameter]
    return FLATLINE_BY_MEDIUM.get(medium or "")


def rules_for(
    site: QcSite,
    parameter: str,
    period: str,
    info: ParameterInfo | None,
    department_range: tuple[float, float] | None,
) -> ParameterRules:
    """The ParameterRules one (site, parameter, period) series is checked with."""
    vocabulary = Range(info.plausible_min if info else None, info.plausible_max if info else None)
    plausible = narrowed(vocabulary, department_range)
    override = site_range(site.targets, parameter)
    dynamic = is_dynamic(period)
    return ParameterRules(
        parameter,
        plausible=plausible,
        site_ranges={site.code: override} if override is not None else {},
        max_rate_per_hour=MAX_RATE_PER_HOUR.get(parameter) if dynamic else None,
        flatline_run=flatline_run(parameter, info.medium if info else None) if dynamic else None,
    )


def to_point(start: datetime, period: str, value: float | None, flag: str) -> Point:
    """A stored or incoming observation as the QC layer sees it."""
    return Point(start, period_length(period, start), value, flag)


def flag_dicts(result: QcResult) -> tuple[dict[str, Any], ...]:
    """Flags as stored in ``observations.qc_flags``: ``{code, severity, reason}``."""
    return tuple({"code": f.code, "severity": f.severity, "reason": f.reason} for f in result.flags)


def annotate(record: NormalRecord, result: QcResult) -> NormalRecord:
    """``record`` with its QC status ("flagged" when any flag was raised) and flags."""
    if not result.flags and record.qc_status == "passed" and not record.qc_flags:
        return record  # the common case: nothing to say, nothing to copy
    flags = flag_dicts(result)
    return NormalRecord(
        record.site_id,
        record.parameter_code,
        record.period_start,
        record.period,
        record.value,
        record.flag,
        "flagged" if flags else "passed",
        flags,
    )


def qc_error(record: NormalRecord, reason: str) -> NormalRecord:
    """``record`` marked for review because its checks could not run (never dropped)."""
    flag = {"code": "qc_error", "severity": "review", "reason": reason}
    return dataclasses.replace(record, qc_status="flagged", qc_flags=(flag,))


def stored_context(
    batch_times: Sequence[datetime], stored: Sequence[tuple[datetime, float | None, str]]
) -> list[tuple[datetime, float | None, str]]:
    """Stored points that the batch does not replace (the batch's value is the new current)."""
    replaced = set(batch_times)
    return [row for row in stored if row[0] not in replaced]
