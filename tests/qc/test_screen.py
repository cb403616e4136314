"""The pre-screen never calls a series clean that run_all would flag."""

import random
from datetime import UTC, datetime, timedelta

import pytest

from hub.qc import ParameterRules, Range, run_all
from hub.qc.screen import certainly_clean
from hub.qc.stage_rules import to_point

T0 = datetime(2026, 11, 1, tzinfo=UTC)
NOW = T0 + timedelta(hours=30)


def _series(rng: random.Random) -> list[tuple]:
    n = rng.randint(1, 30)
    value, rows = rng.uniform(0, 200), []
    for h in range(n):
        roll = rng.random()
        if roll < 0.25:
            pass  # repeat: flat lines
        elif roll < 0.30:
            value = rng.choice([value + 400, -5.0, 2500.0])  # spikes, out of range
        else:
            value = max(0.0, value + rng.uniform(-60, 60))
        flag = rng.choice("N" * 30 + "TCDFMSB")
        start = T0 + timedelta(hours=h + rng.choice([0] * 20 + [1, -1]))  # some duplicates
        rows.append((start, None if rng.random() < 0.02 else value, flag))
    return rows


@pytest.mark.parametrize("seed", range(8))
def test_screen_is_conservative(seed: int) -> None:
    rng = random.Random(seed)
    clean = 0
    for _ in range(1000):
        rules = ParameterRules(
            "a34004",
            plausible=Range(0, 2000),
            max_rate_per_hour=rng.choice([None, 100.0, 300.0]),
            flatline_run=rng.choice([None, 3, 6]),
            flatline_tolerance=rng.choice([0.0, 0.5]),
        )
        rows = _series(rng)
        if certainly_clean(rows, "PT1H", rules, "S", NOW):
            clean += 1
            points = [to_point(t, "PT1H", v, f) for t, v, f in rows]
            assert all(not r.flags for r in run_all(points, rules, NOW, site="S")), rows
    assert clean > 50  # the screen does let clean series through


def test_screen_says_maybe_for_each_kind_of_problem() -> None:
    rules = ParameterRules("p", plausible=Range(0, 100), max_rate_per_hour=10.0, flatline_run=3)
    ok = [(T0 + timedelta(hours=h), float(v), "N") for h, v in enumerate([1, 2, 3, 4])]
    assert certainly_clean(ok, "PT1H", rules, "S", NOW)
    bad = {
        "flag": [(T0, 1.0, "C")],
        "missing": [(T0, None, "N")],
        "range": [(T0, 101.0, "N")],
        "future": [(NOW, 1.0, "N")],
        "rate": [(T0, 1.0, "N"), (T0 + timedelta(hours=1), 12.0, "N")],
        "flat": [(T0 + timedelta(hours=h), 5.0, "N") for h in range(3)],
    }
    for name, rows in bad.items():
        assert not certainly_clean(rows, "PT1H", rules, "S", NOW), name
