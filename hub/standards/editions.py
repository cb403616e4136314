"""Editions of standards, local calendar days and confidence marks.

Every standard module holds one table per edition (or stage); each table names its
``Edition`` with the local calendar days it is in force, and ``in_force`` picks the table
for an observation's local day. The next revision of a standard is therefore a new table
appended to a tuple, not a code change.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from enum import StrEnum
from typing import Final, Protocol, TypeVar

#: Days are local calendar days in China Standard Time (UTC+8, no DST since 1991), fixed
#: offset so that no tz database is needed and the module stays pure.
LOCAL_TZ: Final = timezone(timedelta(hours=8), "UTC+08:00")


class Confidence(StrEnum):
    """How sure the reference notes are of a number (see the shared reference files)."""

    P = "P"  # read in a scan (or the official PDF) of the standard
    M = "M"  # several independent tables agree
    U = "U"  # unconfirmed: get the official text before relying on it


class NoEditionInForce(LookupError):
    """No edition of the standard held in the data was in force on the given day."""


@dataclass(frozen=True)
class Edition:
    """One edition (or stage) of a standard and the local days it is in force.

    ``valid_until`` is the last local day in force (inclusive); ``None`` means open-ended.
    """

    code: str
    title: str
    valid_from: date
    valid_until: date | None = None

    def in_force(self, day: date) -> bool:
        """True when ``day`` (a local calendar day) falls within this edition."""
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)


class Versioned(Protocol):
    """Anything that carries the edition it belongs to (a table of one edition)."""

    @property
    def edition(self) -> Edition: ...


T = TypeVar("T", bound=Versioned)


def require_aware(at: datetime) -> None:
    """Raise ValueError for a naive datetime: an instant without offset is ambiguous."""
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError(f"datetime must be timezone-aware, got naive {at.isoformat()}")


def to_local(at: datetime) -> datetime:
    """The same instant at UTC+8 (rejects naive datetimes)."""
    require_aware(at)
    return at.astimezone(LOCAL_TZ)


def local_day(when: date | datetime) -> date:
    """The local (UTC+8) calendar day of ``when``.

    A ``datetime`` must be timezone-aware and is converted; a plain ``date`` is taken to
    be a local calendar day already.
    """
    # datetime is a subclass of date, so it must be tested first.
    if isinstance(when, datetime):
        return to_local(when).date()
    return when


def local_midnight(day: date) -> datetime:
    """Start (00:00 local) of a local calendar day, as an aware datetime."""
    return datetime(day.year, day.month, day.day, tzinfo=LOCAL_TZ)


def in_force(tables: Sequence[T], when: date | datetime) -> T:
    """The table whose edition is in force on the local day of ``when``.

    Raises NoEditionInForce when none is (e.g. a day before the first edition held).
    """
    day = local_day(when)
    for table in tables:
        if table.edition.in_force(day):
            return table
    codes = ", ".join(t.edition.code for t in tables)
    raise NoEditionInForce(f"no edition in force on {day.isoformat()} (held: {codes})")
