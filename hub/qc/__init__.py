"""Data quality control and falsification detection: pure functions that flag, never drop.

No database, no clock, no I/O: callers pass the series, the rules and "now".
"""

from hub.qc.checks import (
    check_device_flags,
    check_flatline,
    check_missing_values,
    check_period_complete,
    check_range,
    check_rate_of_change,
)
from hub.qc.config import ParameterRules, QcConfig, Range
from hub.qc.falsification import (
    AlarmSpan,
    Correction,
    detect_constant_during_exceedance,
    detect_identical_series,
    detect_suspicious_corrections,
    detect_under_limit_clustering,
)
from hub.qc.gaps import find_gaps
from hub.qc.run import run_all
from hub.qc.types import Gap, Point, QcFlag, QcResult, Severity

__all__ = [
    "AlarmSpan",
    "Correction",
    "Gap",
    "ParameterRules",
    "Point",
    "QcConfig",
    "QcFlag",
    "QcResult",
    "Range",
    "Severity",
    "check_device_flags",
    "check_flatline",
    "check_missing_values",
    "check_period_complete",
    "check_range",
    "check_rate_of_change",
    "detect_constant_during_exceedance",
    "detect_identical_series",
    "detect_suspicious_corrections",
    "detect_under_limit_clustering",
    "find_gaps",
    "run_all",
]
