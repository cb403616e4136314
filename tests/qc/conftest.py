"""Series builders for the QC tests: hourly points from a list of values."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta

import pytest

from hub.qc import Point

T0 = datetime(2024, 7, 1, tzinfo=UTC)
HOUR = timedelta(hours=1)


def _hourly(
    values: Sequence[float | None],
    *,
    start: datetime = T0,
    step: timedelta = HOUR,
    flags: str | None = None,
) -> list[Point]:
    """One point per value, `step` apart from `start`; `flags` gives one HJ 212 flag per value."""
    marks = flags if flags is not None else "N" * len(values)
    return [
        Point(start + k * step, step, value, flag)
        for k, (value, flag) in enumerate(zip(values, marks, strict=True))
    ]


@pytest.fixture
def hourly() -> Callable[..., list[Point]]:
    """Builder of hourly series starting 2024-07-01T00:00Z (see `_hourly`)."""
    return _hourly
