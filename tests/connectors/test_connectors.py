"""Each department connector: its records and pushed observations, over the table in cases/."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

import pytest

from connectors.base import CanonicalObservation, load_record, normalise
from tests.connectors.cases import DEPARTMENTS, Bad, Department, Record

NOW = datetime(2026, 12, 1, tzinfo=UTC)


def _cases(rows: Callable[[Department], Iterable[tuple[Any, ...]]]) -> list[Any]:
    """One parameter set per ``(name, *args)`` row of every department, named after both."""
    return [
        pytest.param(d, *args, id=f"{d.connector.department}-{name}")
        for d in DEPARTMENTS
        for name, *args in rows(d)
    ]


def _push(d: Department, parameter: str, unit: str, value: float) -> Any:
    raw = {**d.pushed, "parameter": parameter, "unit": unit, "value": value}
    return normalise(d.connector, raw, "observations[0]", NOW)


@pytest.mark.parametrize(("d", "case"), _cases(lambda d: [(r.name, r) for r in d.records]))
def test_record_becomes_its_canonical_observations(d: Department, case: Record) -> None:
    obs, errors = load_record(d.connector, case.record, "records[0]", NOW)
    assert errors == []
    assert {(o.site, o.time, o.period, o.flag) for o in obs} == {
        (case.site, case.time, case.period, "N")
    }
    assert len(obs) == len(case.values)  # one observation per filled column, none twice
    assert {o.parameter: o.value for o in obs} == pytest.approx(case.values, rel=1e-12)


@pytest.mark.parametrize(
    ("d", "parameter", "unit", "value", "expected"),
    _cases(lambda d: [(f"{p}-{u}", p, u, v, e) for p, u, v, e in d.conversions]),
)
def test_department_units_convert(
    d: Department, parameter: str, unit: str, value: float, expected: float
) -> None:
    result = _push(d, parameter, unit, value)
    assert isinstance(result, CanonicalObservation), result
    assert result.parameter == parameter
    assert result.value == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize(("d", "bad"), _cases(lambda d: [(b.field, b) for b in d.bad]))
def test_bad_record_points_at_the_field(d: Department, bad: Bad) -> None:
    obs, errors = load_record(d.connector, bad.record, "records[0]", NOW)
    assert obs == []
    assert [(e.path, e.code) for e in errors] == [(f"records[0].{bad.field}", bad.code)]


@pytest.mark.parametrize("d", _cases(lambda d: [(d.foreign[0],)]))
def test_parameter_of_another_department_is_not_allowed(d: Department) -> None:
    result = _push(d, *d.foreign)
    assert isinstance(result, list)
    assert [(e.path, e.code) for e in result] == [("observations[0].parameter", "not_allowed")]


@pytest.mark.parametrize(
    ("d", "parameter", "unit", "value"),
    _cases(lambda d: [(f"{p}-{u}", p, u, v) for p, u, v in d.refused_units]),
)
def test_unit_that_cannot_be_converted_is_refused(
    d: Department, parameter: str, unit: str, value: float
) -> None:
    result = _push(d, parameter, unit, value)
    assert isinstance(result, list)
    assert [(e.path, e.code) for e in result] == [("observations[0].unit", "not_convertible")]


@pytest.mark.parametrize(
    ("d", "parameter", "plausible"),
    _cases(lambda d: [(p, p, r) for p, r in d.plausible.items()]),
)
def test_local_plausible_ranges(
    d: Department, parameter: str, plausible: tuple[float, float]
) -> None:
    assert d.connector.parameters[parameter].plausible == plausible
