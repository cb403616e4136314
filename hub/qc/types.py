"""Value types of the QC layer: points go in, flags and results come out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

Severity = Literal["invalid", "suspect", "review"]
INVALID: Severity = "invalid"
SUSPECT: Severity = "suspect"
REVIEW: Severity = "review"

# HJ 212-2017 table 8 (data flags); the standard lets devices extend it.
HJ212_FLAGS: dict[str, str] = {
    "N": "instrument working normally",
    "F": "instrument stopped",
    "M": "instrument under maintenance",
    "S": "manually entered set value",
    "D": "instrument fault",
    "C": "instrument calibrating",
    "T": "reading above the instrument's measuring upper limit",
    "B": "communication fault between instrument and data logger",
}


def _require_aware(name: str, value: datetime) -> None:
    if value.utcoffset() is None:
        raise ValueError(f"{name} must be a timezone-aware datetime, got {value!r}")


@dataclass(frozen=True, slots=True)
class Point:
    """One observation of one parameter at one site.

    `time` is the period start (aware, UTC by convention), `flag` the HJ 212 data flag,
    `revision` counts corrections (1 = first report) and `received_at` is when the hub got it.
    """

    time: datetime
    period: timedelta
    value: float | None
    flag: str = "N"
    revision: int = 1
    received_at: datetime | None = None

    def __post_init__(self) -> None:
        _require_aware("Point.time", self.time)
        if self.received_at is not None:
            _require_aware("Point.received_at", self.received_at)
        if self.period <= timedelta(0):
            raise ValueError(f"Point.period must be positive, got {self.period}")
        if self.revision < 1:
            raise ValueError(f"Point.revision starts at 1, got {self.revision}")

    @property
    def end(self) -> datetime:
        """End of the period (exclusive)."""
        return self.time + self.period


@dataclass(frozen=True, slots=True)
class QcFlag:
    """One finding: `index` into the sequence the check was given, `time`/`end` the span."""

    code: str
    severity: Severity
    reason: str
    index: int | None = None
    time: datetime | None = None
    end: datetime | None = None


@dataclass(frozen=True, slots=True)
class QcResult:
    """All flags raised for one point."""

    flags: tuple[QcFlag, ...] = ()

    @property
    def valid_for_statistics(self) -> bool:
        """False as soon as any flag says the value is invalid; suspect and review flags keep it."""
        return not any(flag.severity == INVALID for flag in self.flags)

    @property
    def codes(self) -> tuple[str, ...]:
        """The flag codes, in the order they were raised."""
        return tuple(flag.code for flag in self.flags)


@dataclass(frozen=True, slots=True)
class Gap:
    """A run of expected points with no value: [start, end), `missing` expected points."""

    start: datetime
    end: datetime
    missing: int
