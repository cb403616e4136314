"""The shape of a department's entry in the connector table, and two helpers for writing one."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from connectors.base import Connector


@dataclass(frozen=True)
class Record:
    """A department record and the observations it becomes: all at one site, time and period."""

    name: str
    record: dict[str, Any]
    site: str
    time: datetime
    period: str
    values: dict[str, float]  # parameter -> canonical value, for every observation


@dataclass(frozen=True)
class Bad:
    """A record refused as a whole, with the one field its error points at."""

    record: dict[str, Any]
    field: str
    code: str = "invalid"


@dataclass(frozen=True)
class Department:
    """Everything the table says one department's connector must do."""

    connector: Connector
    pushed: dict[str, Any]  # site, time (and period) of a single pushed observation
    records: list[Record]
    conversions: list[tuple[str, str, float, float]]  # parameter, unit, value, canonical value
    bad: list[Bad]
    foreign: tuple[str, str, float]  # parameter, unit, value of another department
    refused_units: list[tuple[str, str, float]]  # parameter, unit, value
    plausible: dict[str, tuple[float, float]] = field(default_factory=dict)


def without(record: dict[str, Any], *keys: str) -> dict[str, Any]:
    """The record with ``keys`` left out."""
    return {k: v for k, v in record.items() if k not in keys}


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """A UTC datetime."""
    return datetime(year, month, day, hour, minute, tzinfo=UTC)
