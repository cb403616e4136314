from datetime import UTC, datetime, timedelta

import pytest

from hub.qc import AlarmSpan, Correction, Point, detect_suspicious_corrections

T0 = datetime(2024, 7, 1, tzinfo=UTC)
HOUR = timedelta(hours=1)
LIMIT = 100.0
# Exceedance alarm over 02:00–05:00, raised at 05:10.
ALARM = AlarmSpan(T0 + 2 * HOUR, T0 + 5 * HOUR, raised_at=T0 + 5 * HOUR + timedelta(minutes=10))
AFTER_ALARM = T0 + 8 * HOUR


def codes(corrections: list[Correction]) -> list[str]:
    return [f.code for f in detect_suspicious_corrections(corrections, [ALARM], LIMIT)]


def test_rewriting_an_alarmed_exceedance_to_compliant_after_the_alarm_is_flagged() -> None:
    correction = Correction(T0 + 3 * HOUR, 140.0, 90.0, received_at=AFTER_ALARM)
    flags = detect_suspicious_corrections([correction], [ALARM], LIMIT)
    assert [(f.code, f.severity, f.index, f.time) for f in flags] == [
        ("correction_after_alarm", "review", 0, T0 + 3 * HOUR)
    ]
    assert "140" in flags[0].reason and "90" in flags[0].reason and "limit 100" in flags[0].reason


def test_deleting_an_alarmed_exceedance_is_flagged() -> None:
    assert codes([Correction(T0 + 3 * HOUR, 140.0, None, AFTER_ALARM)]) == [
        "correction_after_alarm"
    ]


def test_the_same_correction_before_the_alarm_was_raised_is_not_flagged() -> None:
    before_alarm = ALARM.raised_at - timedelta(minutes=1)
    assert codes([Correction(T0 + 3 * HOUR, 140.0, 90.0, before_alarm)]) == []


def test_corrections_outside_the_alarm_span_are_not_flagged() -> None:
    assert codes([Correction(T0 + 5 * HOUR, 140.0, 90.0, AFTER_ALARM)]) == []
    assert codes([Correction(T0 + HOUR, 140.0, 90.0, AFTER_ALARM)]) == []


def test_corrections_that_keep_the_exceedance_or_were_never_over_are_not_flagged() -> None:
    assert codes([Correction(T0 + 3 * HOUR, 140.0, 120.0, AFTER_ALARM)]) == []
    assert codes([Correction(T0 + 3 * HOUR, 95.0, 90.0, AFTER_ALARM)]) == []
    assert codes([Correction(T0 + 3 * HOUR, 90.0, 140.0, AFTER_ALARM)]) == []


def test_a_correction_older_than_the_allowed_age_is_backdated() -> None:
    age = timedelta(days=7)
    exactly = Correction(T0, 30.0, 31.0, received_at=T0 + age)
    older = Correction(T0, 30.0, 31.0, received_at=T0 + age + timedelta(seconds=1))
    flags = detect_suspicious_corrections([exactly, older], [], LIMIT, max_age=age)
    assert [(f.code, f.index) for f in flags] == [("backdated_correction", 1)]
    assert "7 days" in flags[0].reason


def test_a_late_rewrite_of_an_alarmed_value_gets_both_flags() -> None:
    late = Correction(T0 + 3 * HOUR, 140.0, 90.0, received_at=T0 + timedelta(days=30))
    assert codes([late]) == ["correction_after_alarm", "backdated_correction"]


def test_a_correction_is_built_from_two_revisions_of_a_point() -> None:
    old = Point(T0, HOUR, 140.0, received_at=T0 + HOUR)
    new = Point(T0, HOUR, 90.0, revision=2, received_at=T0 + 9 * HOUR)
    assert Correction.from_points(old, new) == Correction(T0, 140.0, 90.0, T0 + 9 * HOUR)
    with pytest.raises(ValueError):
        Correction.from_points(new, old)
    with pytest.raises(ValueError):
        Correction.from_points(old, Point(T0, HOUR, 90.0, revision=2))
