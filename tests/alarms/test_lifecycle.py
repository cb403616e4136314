"""The alarm lifecycle and the falsification glue, as pure functions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from hub.alarms import falsify
from hub.alarms.lifecycle import Span, Step, decide, extended, opened, worse
from hub.alarms.types import Kind, RuleSite, Verdict
from hub.assessments.air import AirSeries
from hub.qc import Correction, Point, QcFlag

T0 = datetime(2026, 11, 3, 0, 0, tzinfo=UTC)
H = timedelta(hours=1)
TWO_HOURS = 2 * H


def v(hour: int, breach: bool, period: timedelta = H, may_open: bool = True) -> Verdict:
    at = T0 + hour * H
    return Verdict("r", Kind.EXCEEDANCE, "p", breach, at, at + period, 1.0, may_open=may_open)


def test_first_breach_opens_and_later_ones_extend() -> None:
    assert decide(None, v(8, True), TWO_HOURS) is Step.OPEN
    span = opened(v(8, True))
    assert span == Span(T0 + 8 * H, T0 + 9 * H, T0 + 9 * H)
    assert decide(span, v(9, True), TWO_HOURS) is Step.EXTEND
    wider = extended(span, v(9, True))
    assert wider == Span(T0 + 8 * H, T0 + 10 * H, T0 + 10 * H)


def test_the_same_hour_again_is_not_an_extension() -> None:
    span = opened(v(8, True))
    assert decide(span, v(8, True), TWO_HOURS) is Step.NONE
    # A late value for an earlier hour widens the span backwards; the anchor stays.
    assert decide(span, v(6, True), TWO_HOURS) is Step.EXTEND
    assert extended(span, v(6, True)).anchor == span.anchor


def test_closes_after_two_compliant_hours_of_hourly_data() -> None:
    span = opened(v(8, True))  # anchor 09:00
    assert decide(span, v(9, False), TWO_HOURS) is Step.NONE  # compliant to 10:00
    assert decide(span, v(10, False), TWO_HOURS) is Step.CLOSE  # compliant to 11:00
    # A compliant value from before the anchor proves nothing.
    assert decide(span, v(3, False), TWO_HOURS) is Step.NONE


def test_grab_samples_close_on_one_late_enough_sample() -> None:
    span = opened(v(8, True, period=timedelta(0)))  # anchor 08:00
    assert decide(span, v(9, False, period=timedelta(0)), TWO_HOURS) is Step.NONE
    assert decide(span, v(10, False, period=timedelta(0)), TWO_HOURS) is Step.CLOSE
    assert decide(span, v(8, False, period=timedelta(0)), timedelta(0)) is Step.CLOSE


def test_a_breach_that_may_not_open_only_extends() -> None:
    assert decide(None, v(8, True, may_open=False), TWO_HOURS) is Step.NONE
    assert decide(opened(v(8, True)), v(9, True, may_open=False), TWO_HOURS) is Step.EXTEND
    assert decide(None, v(8, False), TWO_HOURS) is Step.NONE


@pytest.mark.parametrize(
    ("a", "b", "limit", "expected"),
    [
        (1.8, 2.5, 1.0, 2.5),
        (4.0, 3.0, 5.0, 3.0),
        (None, 2.0, 1.0, 2.0),
        (2.0, None, 1.0, 2.0),
        (3.0, 4.0, None, 4.0),
    ],
)
def test_worse(a: float | None, b: float | None, limit: float | None, expected: float) -> None:
    assert worse(a, b, limit) == expected


class _Lk:
    def emission_limit(self, site_id: int, parameter: str) -> tuple[float, str] | None:
        return (50.0, "mg/m3") if parameter == "a21026" else None

    def air_series(self, site_id: int, hour: datetime) -> AirSeries:
        return {}

    def recent_flags(self, site_id: int, parameter: str, until: datetime, n: int) -> list[str]:
        return []

    def value_at(self, site_id: int, parameter: str, start: datetime) -> float | None:
        return None


def test_series_limit_follows_the_targets() -> None:
    river = RuleSite(1, "SW", "surface-water", None, "water", {"water_class": "III"})
    sea = RuleSite(2, "SEA", "coastal", None, "sea", {"seawater_class": 4})
    zone = RuleSite(3, "NZ", "noise-functional", None, "noise", {"noise_zone": "2"})
    source = RuleSite(4, "SRC", "pollution-source", None, "emission", {})
    lk = _Lk()
    assert falsify.series_limit(river, "w21003", T0, lk) == 1.0
    assert falsify.series_limit(river, "w01009", T0, lk) is None  # DO: a floor, not a ceiling
    assert falsify.series_limit(sea, "w01018", T0, lk) == 5.0
    assert falsify.series_limit(zone, "n_leq", T0 + 4 * H, lk) == 60.0  # 12:00 local, day
    assert falsify.series_limit(zone, "n_leq", T0 + 15 * H, lk) == 50.0  # 23:00 local, night
    assert falsify.series_limit(source, "a21026", T0, lk) == 50.0
    assert falsify.series_limit(source, "a21002", T0, lk) is None


def test_a_value_lowered_after_the_alarm_is_a_finding() -> None:
    raised = T0 + 10 * H
    spans = falsify.alarm_spans([(T0 + 8 * H, T0 + 8 * H, raised)])  # a grab-sample alarm
    fix = Correction(T0 + 8 * H, 1.8, 0.9, raised + H)
    flags = falsify.correction_flags([fix], spans, 1.0)
    assert [f.code for f in flags] == ["correction_after_alarm"]
    verdict = falsify.finding("w21003", flags[0], 1.0, 0.9, T0)
    assert verdict.kind is Kind.FALSIFICATION and verdict.breach
    assert verdict.rule == "qc:correction_after_alarm" and verdict.at == T0 + 8 * H
    # Raising a value, or lowering one before any alarm, is not suspicious.
    assert (
        falsify.correction_flags([Correction(T0 + 8 * H, 0.9, 1.8, raised + H)], spans, 1.0) == []
    )
    early = Correction(T0 + 8 * H, 1.8, 0.9, raised - H)
    assert falsify.correction_flags([early], spans, 1.0) == []


def test_constant_values_across_an_exceedance_and_copied_series() -> None:
    values = [2.0, 2.0, 0.9, 0.9, 0.9, 0.9, 2.0]
    points = [Point(T0 + i * H, H, x) for i, x in enumerate(values)]
    assert [f.code for f in falsify.series_flags(points, 1.0, [])] == ["const_exceedance"]
    moving = [Point(T0 + i * H, H, float(i % 7)) for i in range(30)]
    a_flags, b_flags = falsify.pair_flags(moving, moving, "A", "B")
    assert [f.code for f in a_flags] == ["dup_series"] and len(b_flags) == 1
    lone = QcFlag("x", "review", "why")
    assert falsify.finding("p", lone, None, None, T0).at == T0
