"""Departments push observations: scopes, per-record errors, idempotency, revisions, CSV."""

import pytest

from tests.support.auth import bearer

pytestmark = pytest.mark.postgres
URL = "/api/v1/departments/environment/observations"
T = "2026-11-01T08:00:00+08:00"


def obs(site="YJ-AIR-C01", parameter="a34004", time=T, value=35.2, **extra):
    return {"site": site, "parameter": parameter, "time": time, "value": value, **extra}


@pytest.fixture
def env(auth):
    return auth("environment", "observations:write", "observations:read")


def _read(client, headers, **params):
    r = client.get("/api/v1/observations", params=params, headers=headers)
    assert r.status_code == 200, r.text
    return r.json()["results"]


# --- who may push what -----------------------------------------------------------------


def test_no_token_is_401(client) -> None:
    r = client.post(URL, json={"observations": [obs()]})
    assert r.status_code == 401
    assert r.headers["content-type"] == "application/problem+json"


def test_garbage_token_is_401(client) -> None:
    r = client.post(URL, json={"observations": [obs()]}, headers=bearer("abc.def.ghi"))
    assert r.status_code == 401


def test_missing_scope_is_403(client, auth) -> None:
    r = client.post(
        URL, json={"observations": [obs()]}, headers=auth("environment", "observations:read")
    )
    assert r.status_code == 403
    assert r.headers["content-type"] == "application/problem+json"


def test_another_departments_token_is_403(client, auth) -> None:
    water = auth("water", "observations:write")
    r = client.post(
        "/api/v1/departments/marine/observations", json={"observations": [obs()]}, headers=water
    )
    assert r.status_code == 403
    assert "water" in r.json()["detail"]


def test_a_client_without_department_cannot_push(client, db, auth) -> None:
    r = client.post(URL, json={"observations": [obs()]}, headers=auth(None, "admin"))
    assert r.status_code == 403


def test_reading_raw_observations_needs_the_read_scope(client, auth) -> None:
    assert client.get("/api/v1/observations").status_code == 401
    r = client.get("/api/v1/observations", headers=auth("environment", "observations:write"))
    assert r.status_code == 403


def test_unknown_department_in_path_is_400(client, env) -> None:
    r = client.post(
        "/api/v1/departments/tourism/observations", json={"observations": [obs()]}, headers=env
    )
    assert r.status_code in (400, 403)


# --- the batch -------------------------------------------------------------------------


def test_a_valid_batch_is_stored_and_read_back_in_utc(client, env) -> None:
    r = client.post(
        URL,
        headers=env,
        json={
            "observations": [
                obs(),
                obs(parameter="a21005", value=0.8, unit="mg/m3"),
                obs(parameter="a21026", value=3.0, unit="ppb", period="PT1H"),
            ]
        },
    )
    assert r.status_code == 201, r.text
    receipt = r.json()
    assert receipt["accepted"] == 3 and receipt["rejected"] == 0 and receipt["errors"] == []
    rows = _read(client, env, site="YJ-AIR-C01")
    by_param = {o["parameter"]: o for o in rows}
    assert by_param["a34004"]["time"] == "2026-11-01T00:00:00Z"
    assert by_param["a34004"]["submission"] == receipt["submission"]
    # 3 ppb SO2 at 25 °C = 3 × 64.066 / 24.465 µg/m³
    assert by_param["a21026"]["value"] == pytest.approx(7.856, abs=0.001)
    assert by_param["a21026"]["unit"] == "ug/m3"


def test_invalid_records_come_back_and_valid_ones_are_stored(client, env) -> None:
    r = client.post(
        URL,
        headers=env,
        json={
            "observations": [
                obs(),
                obs(site="NO-SUCH-SITE"),
                obs(parameter="w01018"),  # allowed, but...
                obs(parameter="sp_oil_content", value=1),  # another department's parameter
                obs(unit="dB(A)"),  # not convertible
                obs(value="thirty"),  # not a number
                obs(time="2099-01-01T00:00:00+08:00"),  # future
                obs(time="2026-11-01 08:00"),  # no offset
                obs(flag="X"),
            ]
        },
    )
    assert r.status_code == 207, r.text
    receipt = r.json()
    assert receipt["accepted"] == 2
    assert receipt["rejected"] == 7
    codes = {(e["path"], e["code"]) for e in receipt["errors"]}
    assert ("observations[1].site", "unknown_site") in codes
    assert ("observations[3].parameter", "not_allowed") in codes
    assert ("observations[4].unit", "not_convertible") in codes
    assert ("observations[5].value", "type") in codes
    assert ("observations[6].time", "future") in codes
    assert ("observations[7].time", "format") in codes
    assert ("observations[8].flag", "invalid") in codes
    assert len(_read(client, env, site="YJ-AIR-C01")) == 2


def test_a_batch_with_nothing_valid_is_422(client, env) -> None:
    r = client.post(URL, headers=env, json={"observations": [obs(site="X"), obs(value=None)]})
    assert r.status_code == 422
    assert r.json()["accepted"] == 0 and r.json()["rejected"] == 2


def test_another_departments_site_is_refused(client, env, auth, db) -> None:
    water = auth("water", "observations:write")
    r = client.post(
        "/api/v1/departments/water/observations",
        headers=water,
        json={"observations": [obs(site="YJ-SW-01", parameter="w21003", value=0.3)]},
    )
    assert r.status_code == 422
    assert r.json()["errors"][0]["code"] == "not_your_site"


@pytest.mark.parametrize(
    "body", [b"{not json", b'{"observations": 5}', b"[]", b'{"observations": [], "extra": 1}']
)
def test_malformed_bodies_are_400(client, env, body) -> None:
    r = client.post(URL, headers={**env, "Content-Type": "application/json"}, content=body)
    assert r.status_code == 400
    assert r.json()["errors"]


def test_an_empty_batch_is_422(client, env) -> None:
    r = client.post(URL, headers=env, json={"observations": []})
    assert r.status_code == 422


def test_more_than_10000_is_413(client, env) -> None:
    r = client.post(URL, headers=env, json={"observations": [obs()] * 10001})
    assert r.status_code == 413
    assert r.headers["content-type"] == "application/problem+json"


def test_a_null_value_needs_a_flag_that_explains_it(client, env) -> None:
    r = client.post(URL, headers=env, json={"observations": [obs(value=None, flag="D")]})
    assert r.status_code == 201
    assert _read(client, env, site="YJ-AIR-C01")[0]["flag"] == "D"


# --- revisions and idempotency ---------------------------------------------------------


def test_a_correction_is_a_new_revision_and_history_stays(client, env) -> None:
    client.post(URL, headers=env, json={"observations": [obs(value=35.2)]})
    r = client.post(URL, headers=env, json={"observations": [obs(value=38.0)]})
    assert r.json()["revised"] == 1
    r = client.post(URL, headers=env, json={"observations": [obs(value=38.0)]})
    assert r.json()["unchanged"] == 1 and r.json()["stored"] == 0
    history = _read(client, env, site="YJ-AIR-C01", revisions="all")
    assert [(o["value"], o["revision"], o["current"]) for o in history] == [
        (35.2, 1, False),
        (38.0, 2, True),
    ]
    assert [o["value"] for o in _read(client, env, site="YJ-AIR-C01")] == [38.0]


def test_idempotency_key_replays_the_receipt(client, env) -> None:
    body = {"observations": [obs(), obs(site="NOPE")]}
    h = {**env, "Idempotency-Key": "batch-2026-11-01-08"}
    first = client.post(URL, headers=h, json=body)
    again = client.post(URL, headers=h, json=body)
    assert first.status_code == again.status_code == 207
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert len(_read(client, env, site="YJ-AIR-C01", revisions="all")) == 1


def test_idempotency_key_with_another_body_is_409(client, env) -> None:
    h = {**env, "Idempotency-Key": "k1"}
    client.post(URL, headers=h, json={"observations": [obs(value=1)]})
    r = client.post(URL, headers=h, json={"observations": [obs(value=2)]})
    assert r.status_code == 409
    assert r.headers["content-type"] == "application/problem+json"


# --- CSV ----------------------------------------------------------------------------------


def test_csv_batch(client, env) -> None:
    csv = (
        "site,parameter,time,period,value,unit,flag\n"
        f"YJ-AIR-C01,a34004,{T},PT1H,35.2,ug/m3,N\n"
        f"YJ-AIR-C01,a34002,{T},PT1H,0.061,mg/m3,\n"
        f"YJ-AIR-C01,a05024,{T},PT1H,abc,ug/m3,N\n"
    )
    r = client.post(URL, headers={**env, "Content-Type": "text/csv"}, content=csv.encode())
    assert r.status_code == 207, r.text
    assert r.json()["accepted"] == 2
    assert r.json()["errors"][0]["path"] == "observations[2].value"
    values = {o["parameter"]: o["value"] for o in _read(client, env, site="YJ-AIR-C01")}
    assert values == {"a34004": 35.2, "a34002": pytest.approx(61.0)}


def test_csv_with_a_bad_header_is_400(client, env) -> None:
    r = client.post(
        URL, headers={**env, "Content-Type": "text/csv"}, content=b"station,what\nA,B\n"
    )
    assert r.status_code == 400
    assert r.json()["errors"][0]["path"] == "body.header"


# --- submissions and the audit chain ------------------------------------------------------


def test_a_department_reads_its_own_submission_only(client, env, auth) -> None:
    receipt = client.post(URL, headers=env, json={"observations": [obs()]}).json()
    r = client.get(f"/api/v1/submissions/{receipt['submission']}", headers=env)
    assert r.status_code == 200
    sub = r.json()
    assert sub["accepted"] == 1 and sub["audit"]["seq"] == 1
    assert sub["audit"]["prev_hash"] == "0" * 64
    assert sub["receipt"]["submission"] == receipt["submission"]
    water = auth("water", "observations:write")
    assert (
        client.get(f"/api/v1/submissions/{receipt['submission']}", headers=water).status_code == 404
    )


def test_the_audit_chain_verifies_and_catches_tampering(client, env, db) -> None:
    from sqlalchemy import text

    from hub.observations.audit import verify_chain

    for v in (30.0, 31.0, 32.0):
        client.post(URL, headers=env, json={"observations": [obs(value=v)]})
    with db() as s:
        report = verify_chain(s)
    assert report.ok and report.checked == 3
    with db.begin() as s:
        s.execute(text("UPDATE observations SET value = 3.0 WHERE value = 31.0"))
    with db() as s:
        report = verify_chain(s)
    assert not report.ok and report.broken_at == 2
    assert "observations" in (report.reason or "")
