"""Corrections that rewrite history: after an alarm, or long after the fact."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from hub.qc._common import above, ts
from hub.qc.types import REVIEW, Point, QcFlag

# Loggers re-send buffered data after an outage and operators fix entries within days;
# a correction to data older than a week is unusual enough to be looked at.
DEFAULT_MAX_CORRECTION_AGE = timedelta(days=7)


@dataclass(frozen=True, slots=True)
class Correction:
    """A new revision of the value for period start `time`, received at `received_at`."""

    time: datetime
    old_value: float | None
    new_value: float | None
    received_at: datetime

    @classmethod
    def from_points(cls, old: Point, new: Point) -> Correction:
        """The correction that `new` makes to `old` (same period, later revision)."""
        if old.time != new.time or new.revision <= old.revision:
            raise ValueError("a correction is a later revision of the same period")
        if new.received_at is None:
            raise ValueError("a correction needs received_at")
        return cls(old.time, old.value, new.value, new.received_at)


@dataclass(frozen=True, slots=True)
class AlarmSpan:
    """An exceedance alarm over [start, end), raised at `raised_at`."""

    start: datetime
    end: datetime
    raised_at: datetime


def _shown(value: float | None) -> str:
    return "no value" if value is None else f"{value:g}"


def detect_suspicious_corrections(
    corrections: Sequence[Correction],
    alarms: Sequence[AlarmSpan],
    limit: float,
    *,
    max_age: timedelta = DEFAULT_MAX_CORRECTION_AGE,
) -> list[QcFlag]:
    """Corrections that rewrite the record after the fact, one flag per finding.

    "correction_after_alarm": received strictly after an alarm was raised, for a period start
    inside the alarm's [start, end), and turning a value above `limit` into one that is not
    (at or below the limit, or removed). "backdated_correction": received more than `max_age`
    after the period start it corrects (exactly `max_age` is allowed). One correction can get
    both flags. Indices refer to `corrections`.
    """
    flags = []
    for i, c in enumerate(corrections):
        was_over = c.old_value is not None and above(c.old_value, limit)
        now_under = c.new_value is None or not above(c.new_value, limit)
        if was_over and now_under:
            for alarm in alarms:
                if alarm.start <= c.time < alarm.end and c.received_at > alarm.raised_at:
                    reason = (
                        f"value for {ts(c.time)} changed from {_shown(c.old_value)} to "
                        f"{_shown(c.new_value)} (limit {limit:g}) at {ts(c.received_at)}, "
                        f"after the alarm over {ts(alarm.start)}–{ts(alarm.end)} was raised "
                        f"at {ts(alarm.raised_at)}"
                    )
                    flags.append(QcFlag("correction_after_alarm", REVIEW, reason, i, c.time))
                    break
        age = c.received_at - c.time
        if age > max_age:
            reason = (
                f"value for {ts(c.time)} changed from {_shown(c.old_value)} to "
                f"{_shown(c.new_value)} {age} later, beyond the {max_age} allowed"
            )
            flags.append(QcFlag("backdated_correction", REVIEW, reason, i, c.time))
    return flags
