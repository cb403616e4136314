"""Hostile and odd push bodies: every one answers a located 4xx (or a per-record error in the
receipt), never a 500, and a rejected push cannot make the hub store the attacker's bytes."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import func, select

from hub import create_app
from hub.db.records import Observation
from hub.settings import Settings
from tests.support.auth import bearer, make_client, token_for

pytestmark = pytest.mark.postgres
URL = "/api/v1/departments/environment/observations"
RECORDS = "/api/v1/departments/water/records"
T = "2026-11-01T08:00:00+08:00"
HUGE = "X" * 100_000


def obs(**extra: Any) -> dict[str, Any]:
    return {"site": "YJ-AIR-C01", "parameter": "a34004", "time": T, "value": 35.2, **extra}


@pytest.fixture
def env(auth):
    return auth("environment", "observations:write", "observations:read")


def _one_bad(client, env, bad: dict[str, Any]) -> dict[str, Any]:
    """Push one good and one bad observation; the good one is stored, the bad one located."""
    r = client.post(URL, headers=env, json={"observations": [obs(), bad]})
    assert r.status_code == 207, r.text
    receipt = r.json()
    assert receipt["accepted"] == 1 and receipt["rejected"] == 1
    return receipt


@contextmanager
def _hub_with(settings: Settings, db, **changes: Any) -> Iterator[tuple[Any, dict[str, str]]]:
    """A client of a hub built with other settings, and a token for the environment bureau."""
    app = create_app(settings.with_(**changes))
    try:
        with app.test_client() as c:
            creds = make_client(db, "environment", "observations:write", "observations:read")
            yield c, bearer(token_for(c, creds))
    finally:
        app.app.extensions["hub"].close()


def _problem(r, status: int) -> dict[str, Any]:
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == "application/problem+json"
    body = r.json()
    assert body["errors"] and all(e["path"] for e in body["errors"])
    return body


# --- finding 5: inputs that answered 500 ------------------------------------------------


@pytest.mark.parametrize("flag", [[], {}, ["N"], 1])
def test_a_flag_that_is_not_a_string_is_a_record_error(client, env, flag) -> None:
    receipt = _one_bad(client, env, obs(flag=flag, time="2026-11-01T09:00:00+08:00"))
    assert [(e["path"], e["code"]) for e in receipt["errors"]] == [
        ("observations[1].flag", "invalid")
    ]


@pytest.mark.parametrize(
    "time",
    [
        "0001-01-01T00:00:00+08:00",  # before year 1 in UTC
        "9999-12-31T23:59:59-08:00",  # after year 9999 in UTC
        "0001-01-01T09:00:00+08:00",  # representable, but older than the hub accepts
        "1899-12-31T23:59:59Z",
    ],
)
def test_a_time_out_of_range_is_a_record_error(client, env, time) -> None:
    receipt = _one_bad(client, env, obs(time=time))
    assert receipt["errors"][0]["path"] == "observations[1].time"
    assert receipt["errors"][0]["code"] in {"range", "future"}


@pytest.mark.parametrize("period", ["PT99999999999999S", "P99999Y", "P11Y", "PT87840001H"])
def test_a_period_longer_than_the_hub_accepts_is_a_record_error(client, env, period) -> None:
    receipt = _one_bad(client, env, obs(period=period, time="2026-11-01T09:00:00+08:00"))
    assert [(e["path"], e["code"]) for e in receipt["errors"]] == [
        ("observations[1].period", "range")
    ]


def test_a_ten_year_period_is_still_accepted(client, env) -> None:
    r = client.post(URL, headers=env, json={"observations": [obs(period="P10Y")]})
    assert r.status_code == 201, r.text


def test_the_period_and_time_bounds_are_settings(settings, db, auth) -> None:
    earliest = datetime(2026, 1, 1, tzinfo=UTC)
    with _hub_with(settings, db, push_max_period="P1D", push_earliest_time=earliest) as (c, h):
        batch = [
            obs(period="P1D"),
            obs(period="P2D", time="2026-11-01T09:00:00+08:00"),
            obs(time="2025-12-31T23:00:00Z"),
        ]
        r = c.post(URL, headers=h, json={"observations": batch})
    assert r.status_code == 207, r.text
    assert [(e["path"], e["code"]) for e in r.json()["errors"]] == [
        ("observations[1].period", "range"),
        ("observations[2].time", "range"),
    ]


def test_a_csv_field_over_the_csv_modules_limit_is_400(client, env) -> None:
    csv = f"site,parameter,time,value\nYJ-AIR-C01,a34004,{T},1\n{'A' * 131_073},a34004,{T},1\n"
    r = client.post(URL, headers={**env, "Content-Type": "text/csv"}, content=csv.encode())
    body = _problem(r, 400)
    assert body["errors"][0]["path"] == "observations[1]"


def test_nul_bytes_in_values_and_site_codes_are_record_errors(client, env) -> None:
    csv = f"site,parameter,time,value\nYJ-AIR-C01,a34004,{T},1\x00\nYJ-AIR-C01\x00,a34004,{T},1\n"
    r = client.post(URL, headers={**env, "Content-Type": "text/csv"}, content=csv.encode())
    assert r.status_code == 422, r.text
    assert [(e["path"], e["code"]) for e in r.json()["errors"]] == [
        ("observations[0].value", "type"),
        ("observations[1].site", "format"),
    ]
    assert "\x00" not in r.text and "\\u0000" not in r.text


@pytest.mark.parametrize("url", [URL, RECORDS])
def test_a_json_body_that_is_not_utf8_is_400(client, auth, url) -> None:
    h = auth("environment" if url == URL else "water", "observations:write")
    body = b'{"observations": [{"site": "YJ-AIR-C01\xff\xfe"}]}'
    if url == RECORDS:
        body = body.replace(b"observations", b"records")
    r = client.post(url, headers={**h, "Content-Type": "application/json"}, content=body)
    _problem(r, 400)


@pytest.mark.parametrize("url", [URL, RECORDS])
@pytest.mark.parametrize("depth", [1025, 5000])
def test_a_json_body_nested_too_deep_is_400(client, auth, url, depth) -> None:
    h = auth("environment" if url == URL else "water", "observations:write")
    key = b"observations" if url == URL else b"records"
    body = b'{"' + key + b'": [' + b"[" * depth + b"]" * depth + b"]}"
    r = client.post(url, headers={**h, "Content-Type": "application/json"}, content=body)
    _problem(r, 400)


# --- finding 6: storage abuse -------------------------------------------------------------


def test_a_csv_row_with_extra_cells_is_rejected_by_row(client, env) -> None:
    extra = ",".join(["9"] * 1000)
    csv = (
        f"site,parameter,time,value\nYJ-AIR-C01,a34004,{T},35.2\nYJ-AIR-C01,a34002,{T},61,{extra}\n"
    )
    r = client.post(URL, headers={**env, "Content-Type": "text/csv"}, content=csv.encode())
    assert r.status_code == 207, r.text
    receipt = r.json()
    assert receipt["accepted"] == 1
    assert [(e["path"], e["code"]) for e in receipt["errors"]] == [
        ("observations[1]", "extra_cells")
    ]
    assert len(receipt["errors"][0]["message"]) < 300


@pytest.mark.parametrize("value,unit", [(1e306, "mg/m3"), (1.7e308, "mg/m3"), (-1e306, "mg/m3")])
def test_a_value_that_overflows_its_unit_conversion_is_rejected(client, env, value, unit) -> None:
    receipt = _one_bad(client, env, obs(value=value, unit=unit, time="2026-11-01T09:00:00+08:00"))
    assert [(e["path"], e["code"]) for e in receipt["errors"]] == [
        ("observations[1].value", "range")
    ]


def test_a_fully_rejected_push_stores_no_data_and_a_bounded_receipt(client, env, db) -> None:
    bad = [
        obs(site=HUGE),
        obs(value=HUGE),
        obs(unit=HUGE),
        obs(parameter=HUGE),
        obs(time=HUGE),
        obs(period=HUGE),
        obs(**{HUGE: 1}),
        {"site": "YJ-AIR-C01", "parameter": "a34004", "time": "2099-01-01T00:00:00+08:00" + HUGE},
    ]
    r = client.post(URL, headers=env, json={"observations": bad})
    assert r.status_code == 422, r.text[:2000]
    assert len(r.content) < 10_000
    receipt = r.json()
    for e in receipt["errors"]:
        assert len(e["message"]) <= 300 and len(e["path"]) <= 300, e["path"][:80]
    stored = client.get(f"/api/v1/submissions/{receipt['submission']}", headers=env)
    assert stored.status_code == 200
    assert len(stored.content) < 12_000
    with db() as s:
        assert s.scalar(select(func.count()).select_from(Observation)) == 0


def test_a_wide_record_with_huge_unknown_fields_gets_a_bounded_receipt(client, auth) -> None:
    water = auth("water", "observations:write")
    r = client.post(RECORDS, headers=water, json={"records": [{"site": HUGE, HUGE: HUGE}]})
    assert r.status_code in (400, 422), r.text[:2000]
    assert len(r.content) < 10_000


def test_the_errors_listed_in_a_receipt_are_capped(settings, db) -> None:
    with _hub_with(settings, db, receipt_max_errors=3) as (c, h):
        r = c.post(URL, headers=h, json={"observations": [obs(), *[obs(site="NOPE")] * 10]})
        sub = c.get(f"/api/v1/submissions/{r.json()['submission']}", headers=h)
    assert r.status_code == 207, r.text
    receipt = r.json()
    assert receipt["rejected"] == 10
    assert len(receipt["errors"]) == 3 and receipt["errors_omitted"] == 7
    assert sub.json()["receipt"]["errors_omitted"] == 7


def test_the_push_limits_come_from_the_environment() -> None:
    s = Settings.from_env(
        {
            "HUB_PUSH_EARLIEST_TIME": "2000-01-01T00:00:00+08:00",
            "HUB_PUSH_MAX_PERIOD": "p1y",
            "HUB_RECEIPT_MAX_ERRORS": "50",
        }
    )
    assert s.push_earliest_time == datetime(1999, 12, 31, 16, tzinfo=UTC)
    assert (s.push_max_period, s.receipt_max_errors) == ("P1Y", 50)
    defaults = Settings()
    assert defaults.push_earliest_time == datetime(1900, 1, 1, tzinfo=UTC)
    assert (defaults.push_max_period, defaults.receipt_max_errors) == ("P10Y", 1000)
