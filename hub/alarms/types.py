"""Value types of the alarm engine: what a rule reads and what it concludes."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, Protocol

from hub.assessments.air import AirSeries
from hub.assessments.validity import valid_for_statistics


class Kind(StrEnum):
    """What an alarm is about."""

    EXCEEDANCE = "exceedance"
    EMISSION = "emission"
    DEVICE = "device"
    MISSING_DATA = "missing_data"
    FALSIFICATION = "falsification"


class Status(StrEnum):
    OPEN = "open"
    ACKNOWLEDGED = "acknowledged"
    CLOSED = "closed"


class EventType(StrEnum):
    OPENED = "opened"
    EXTENDED = "extended"
    ACKNOWLEDGED = "acknowledged"
    CLOSED = "closed"


@dataclass(frozen=True)
class RuleSite:
    """The reference facts about a site that rules need."""

    id: int
    code: str
    network: str
    county: str | None
    medium: str | None
    targets: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Reading:
    """One current observation, as the feed delivered it."""

    site: RuleSite
    parameter: str
    time: datetime
    period: timedelta
    value: float | None
    flag: str = "N"
    unit: str | None = None
    # QC marked it invalid for statistics (a range failure, say).
    qc_invalid: bool = False

    @property
    def end(self) -> datetime:
        return self.time + self.period

    @property
    def valid(self) -> bool:
        """A value that may be compared with a limit: ``hub.assessments.validity``'s rule."""
        return valid_for_statistics(self.value, self.flag, invalid_by_qc=self.qc_invalid)


@dataclass(frozen=True)
class Verdict:
    """A rule's conclusion about one reading, for the alarm keyed (site, parameter, kind).

    ``breach`` True: the reading offends (opens or extends an alarm); False: it complies
    (counts towards recovery). ``may_open`` False: it extends an open alarm but is not
    enough evidence to open one (a device fault shorter than the run length).
    """

    rule: str
    kind: Kind
    parameter: str
    breach: bool
    at: datetime
    end: datetime
    value: float | None
    limit: float | None = None
    unit: str | None = None
    target: str | None = None
    detail: Mapping[str, Any] = field(default_factory=dict)
    may_open: bool = True


@dataclass(frozen=True)
class RuleContext:
    """Settings rules read (the device rule's run length and flags)."""

    device_run: int = 3
    device_flags: str = "DFB"


def judge(
    rule: str,
    kind: Kind,
    r: Reading,
    breach: bool,
    *,
    parameter: str | None = None,
    value: float | None = None,
    limit: float | None = None,
    unit: str | None = None,
    target: str | None = None,
    detail: dict[str, Any] | None = None,
    may_open: bool = True,
) -> Verdict:
    """A verdict on reading ``r`` (its span; its parameter unless another key is given)."""
    return Verdict(
        rule,
        kind,
        parameter or r.parameter,
        breach,
        r.time,
        r.end,
        value,
        limit,
        unit,
        target,
        detail or {},
        may_open,
    )


class Lookups(Protocol):
    """What rules may ask the database, behind an interface so rules stay pure."""

    def emission_limit(self, site_id: int, parameter: str) -> tuple[float, str] | None:
        """The configured limit (canonical unit) of a source's parameter, if any."""

    def air_series(self, site_id: int, hour: datetime) -> AirSeries:
        """The site's valid 1-hour air values, covering at least the 24 hours up to and
        including ``hour`` (what an hourly AQI needs, HJ 633-2012's moving means included)."""

    def recent_flags(self, site_id: int, parameter: str, until: datetime, n: int) -> Sequence[str]:
        """Flags of the latest ``n`` current observations with period start ≤ ``until``."""

    def value_at(self, site_id: int, parameter: str, start: datetime) -> float | None:
        """The current, valid value of ``parameter`` at the site for that period start."""
