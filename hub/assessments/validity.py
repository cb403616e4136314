"""The one rule for "valid for statistics": which stored values may enter an assessment.

A value counts towards a mean, a class, an index or a limit comparison when it has a value,
carries no HJ 212 flag that invalidates it (F stopped, M maintenance, S manual input, D
fault, C calibration, B communication fault — see ``hub.qc.checks``) and QC did not mark
it invalid: either QC passed it, or the flags QC raised are all of a severity that does not
invalidate (suspect spikes, over-range T, review). Only the current revision is ever read
(the loaders' job). Every assessment, producer and alarm rule asks this module.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from hub.qc.checks import INVALID_DEVICE_FLAGS

PASSED = "passed"


@dataclass(frozen=True)
class ValidValue:
    """One current observation that is valid for statistics."""

    site_id: int
    parameter: str
    start: datetime
    period: str
    value: float


def qc_invalid(flags: Sequence[Any] | None, status: str | None = None) -> bool:
    """True when QC marked the value invalid for statistics (never when QC ``passed`` it)."""
    if status == PASSED:
        return False
    return any(isinstance(f, Mapping) and f.get("severity") == "invalid" for f in flags or ())


def valid_for_statistics(value: float | None, flag: str, *, invalid_by_qc: bool) -> bool:
    """True when a value may enter an average, a class, an index or a limit comparison."""
    return value is not None and flag not in INVALID_DEVICE_FLAGS and not invalid_by_qc


def stored_value_valid(
    value: float | None, flag: str, qc_status: str | None, qc_flags: Sequence[Any] | None
) -> bool:
    """The rule applied to a stored observation's columns (value, flag, QC status, flags)."""
    return valid_for_statistics(value, flag, invalid_by_qc=qc_invalid(qc_flags, qc_status))
