"""The QC stage's pure parts: rules from the tables, ranges, periods, annotation."""

from datetime import UTC, datetime, timedelta

import pytest

from hub.observations.store import NormalRecord
from hub.qc import QcFlag, QcResult, Range, run_all
from hub.qc.stage import _check_series
from hub.qc.stage_rules import (
    FLATLINE_BY_MEDIUM,
    MAX_RATE_PER_HOUR,
    ParameterInfo,
    QcSite,
    annotate,
    context_span,
    flatline_run,
    is_dynamic,
    narrowed,
    period_length,
    qc_error,
    rules_for,
    site_range,
    stored_context,
    to_point,
)

T0 = datetime(2026, 11, 1, tzinfo=UTC)
NOW = datetime(2026, 11, 28, tzinfo=UTC)
PM25 = ParameterInfo("a34004", "air", 0.0, 2000.0)
SITE = QcSite("YJ-AIR-C01", "environment", {})


def rec(hour: int, value: float | None, flag: str = "N", period: str = "PT1H") -> NormalRecord:
    return NormalRecord(1, "a34004", T0 + timedelta(hours=hour), period, value, flag)


# --- the tables are data, with the documented hub defaults -------------------------------


def test_documented_defaults() -> None:
    assert MAX_RATE_PER_HOUR["a34004"] == 300.0
    assert FLATLINE_BY_MEDIUM["air"] == 6
    assert flatline_run("a34004", "air") == 6
    assert flatline_run("a21005", "air") == 12  # CO: coarse resolution repeats honestly
    assert flatline_run("a01007", "atmosphere") is None  # calm wind repeats 0
    assert flatline_run("x", "unknown-medium") is None


@pytest.mark.parametrize(
    ("period", "dynamic"),
    [("PT1H", True), ("PT10M", True), ("P1D", True), ("PT0S", False), ("P1M", False)],
)
def test_rate_and_flatline_only_for_continuous_series(period: str, dynamic: bool) -> None:
    assert is_dynamic(period) is dynamic
    rules = rules_for(SITE, "a34004", period, PM25, None)
    assert (rules.max_rate_per_hour is not None) is dynamic
    assert (rules.flatline_run is not None) is dynamic


def test_context_is_twice_the_series_flat_line_run() -> None:
    assert context_span("PT1H", "a34004", "air") == timedelta(hours=12)
    assert context_span("PT10M", "a34004", "air") == timedelta(hours=2)
    assert context_span("PT1H", "a21005", "air") == timedelta(hours=24)  # CO: N = 12
    assert context_span("PT1H", "a01001", "atmosphere") == timedelta(hours=2)  # rate only


# --- plausible ranges ----------------------------------------------------------------------


def test_department_range_narrows_the_vocabulary() -> None:
    assert narrowed(Range(-20, 50), (-5.0, 42.0)) == Range(-5.0, 42.0)
    assert narrowed(Range(0, 14), (6.0, 20.0)) == Range(6.0, 14)
    assert narrowed(Range(None, None), (1.0, 2.0)) == Range(1.0, 2.0)
    assert narrowed(Range(0, 10), None) == Range(0, 10)
    # Disjoint: a misconfigured connector; its own range is the more specific statement.
    assert narrowed(Range(0, 10), (20.0, 30.0)) == Range(20.0, 30.0)


def test_site_override_from_targets() -> None:
    targets = {"plausible": {"a34004": [0, 800], "w01001": [6.5, None], "bad": ["x", 1]}}
    assert site_range(targets, "a34004") == Range(0.0, 800.0)
    assert site_range(targets, "w01001") == Range(6.5, None)
    assert site_range(targets, "bad") is None
    assert site_range(targets, "a34002") is None
    assert site_range({"plausible": [1, 2]}, "a34004") is None
    assert site_range({}, "a34004") is None


def test_site_override_replaces_the_parameter_range() -> None:
    site = QcSite("YJ-AIR-C01", "environment", {"plausible": {"a34004": [0, 800]}})
    rules = rules_for(site, "a34004", "PT1H", PM25, None)
    assert rules.range_for("YJ-AIR-C01") == Range(0.0, 800.0)
    results = run_all([to_point(T0, "PT1H", 900.0, "N")], rules, NOW, site="YJ-AIR-C01")
    assert results[0].codes == ("range",)
    assert "800" in results[0].flags[0].reason


def test_unknown_parameter_gets_only_rule_free_checks() -> None:
    rules = rules_for(SITE, "zz", "PT1H", None, None)
    assert rules.plausible == Range(None, None)
    assert rules.max_rate_per_hour is None


# --- periods -------------------------------------------------------------------------------


def test_period_lengths_follow_the_local_calendar() -> None:
    feb = datetime(2026, 1, 31, 16, tzinfo=UTC)  # 2026-02-01 00:00 local
    assert period_length("P1M", feb) == timedelta(days=28)
    assert period_length("PT1H", T0) == timedelta(hours=1)
    assert period_length("PT0S", T0) > timedelta(0)  # a Point needs a positive period


# --- annotation ----------------------------------------------------------------------------


def test_annotate_passed_and_flagged() -> None:
    r = rec(0, 30.0)
    assert annotate(r, QcResult()).qc_status == "passed"
    assert annotate(r, QcResult()).qc_flags == ()
    flagged = annotate(r, QcResult((QcFlag("spike", "suspect", "jumped"),)))
    assert flagged.qc_status == "flagged"
    assert flagged.qc_flags == ({"code": "spike", "severity": "suspect", "reason": "jumped"},)
    assert flagged.value == 30.0 and flagged.key == r.key


def test_qc_error_marks_for_review() -> None:
    out = qc_error(rec(0, 1.0), "boom")
    assert out.qc_status == "flagged" and out.qc_flags[0]["code"] == "qc_error"


def test_batch_values_replace_stored_ones_in_the_context() -> None:
    t1, t2 = T0, T0 + timedelta(hours=1)
    stored = [(t1, 1.0, "N"), (t2, 2.0, "N")]
    assert stored_context([t2], stored) == [(t1, 1.0, "N")]


# --- one series through the stage's pure check -------------------------------------------


def _check(batch: list[NormalRecord], stored=(), site=SITE) -> list[NormalRecord]:
    return _check_series(
        (1, "a34004", "PT1H"),
        list(range(len(batch))),
        batch,
        list(stored),
        site,
        PM25,
        None,
        NOW,
    )


def test_spike_flagged_neighbours_pass() -> None:
    values = [30, 32, 31, 500, 33, 31]
    out = _check([rec(h, float(v)) for h, v in enumerate(values)])
    assert len(out) == len(values)
    assert [r.qc_status for r in out] == ["passed"] * 3 + ["flagged"] + ["passed"] * 2
    assert out[3].qc_flags[0]["code"] == "spike"


def test_stuck_sensor_flags_the_whole_run() -> None:
    out = _check([rec(h, 45.0) for h in range(6)] + [rec(6, 47.0)])
    assert [r.qc_status for r in out] == ["flagged"] * 6 + ["passed"]
    assert {r.qc_flags[0]["code"] for r in out[:6]} == {"flatline"}


def test_stored_context_completes_a_flat_line() -> None:
    stored = [(T0 + timedelta(hours=h), 45.0, "N") for h in range(5)]
    (out,) = _check([rec(5, 45.0)], stored)
    assert out.qc_flags[0]["code"] == "flatline"


def test_stored_context_shows_a_jump() -> None:
    stored = [(T0 + timedelta(hours=h), 30.0 + h, "N") for h in range(3)]
    (out,) = _check([rec(3, 600.0)], stored)
    assert out.qc_flags[0]["code"] == "rate_of_change"


@pytest.mark.parametrize(
    ("flag", "code", "severity"),
    [(f, "device_flag", "invalid") for f in "FMSDCB"] + [("T", "over_range", "suspect")],
)
def test_device_flags(flag: str, code: str, severity: str) -> None:
    (out,) = _check([rec(0, 40.0, flag)])
    assert out.qc_status == "flagged"
    assert (out.qc_flags[0]["code"], out.qc_flags[0]["severity"]) == (code, severity)


def test_out_of_range_and_missing_are_invalid() -> None:
    out = _check([rec(0, 2500.0), rec(1, None, "F")])
    assert out[0].qc_flags[0]["code"] == "range"
    assert {f["code"] for f in out[1].qc_flags} == {"missing", "device_flag"}
