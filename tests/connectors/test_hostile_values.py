"""Normalisation keeps hostile values out: non-finite conversions, huge echoes, NUL."""

from __future__ import annotations

from datetime import UTC, datetime

from connectors.base import CanonicalObservation, FieldError, clip, normalise
from connectors.registry import get_connector

NOW = datetime(2026, 11, 2, tzinfo=UTC)


def _errors(**raw: object) -> list[tuple[str, str]]:
    connector = get_connector("environment")
    assert connector is not None
    base = {"site": "YJ-AIR-C01", "parameter": "a34004", "time": "2026-11-01T08:00:00+08:00"}
    result = normalise(connector, {**base, **raw}, "observations[0]", NOW)
    assert not isinstance(result, CanonicalObservation)
    return [(e.path, e.code) for e in result]


def test_a_value_infinite_after_conversion_is_out_of_range() -> None:
    assert _errors(value=1e306, unit="mg/m3") == [("observations[0].value", "range")]


def test_an_integer_beyond_floating_point_is_out_of_range() -> None:
    assert _errors(value=10**400) == [("observations[0].value", "range")]


def test_echoed_input_is_cut() -> None:
    connector = get_connector("environment")
    assert connector is not None
    huge = "Z" * 50_000
    result = normalise(connector, {"site": "YJ-AIR-C01", "parameter": huge, huge: 1}, "o", NOW)
    assert isinstance(result, list)
    assert all(len(e.path) <= 300 and len(e.message) <= 400 for e in result)


def test_field_errors_are_bounded_and_free_of_nul_whoever_builds_them() -> None:
    e = FieldError("body." + "p" * 10_000, "bad \x00 " + "m" * 10_000)
    assert len(e.path) < 400 and len(e.message) < 1100
    assert "\x00" not in e.message
    assert clip("abc") == "abc" and clip("x" * 300).endswith("(100 more characters)")
