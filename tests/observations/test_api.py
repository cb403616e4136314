"""Reading observations back: filters, order, revisions, bad input."""

from datetime import UTC, datetime, timedelta

import pytest

from tests.support.data import store

pytestmark = pytest.mark.postgres
T0 = datetime(2026, 11, 1, 0, tzinfo=UTC)  # 08:00 local


@pytest.fixture
def reader(auth):
    return auth(None, "observations:read")


@pytest.fixture
def series(db):
    rows = [("YJ-AIR-C01", "a34004", T0 + timedelta(hours=h), "PT1H", 30.0 + h) for h in range(6)]
    rows += [("YJ-AIR-C02", "a34004", T0, "PT1H", 50.0), ("YJ-AIR-C01", "a34002", T0, "PT1H", 70.0)]
    sub, _ = store(db, rows)
    return sub


def test_one_site_and_parameter_in_time_order(client, reader, series) -> None:
    r = client.get(
        "/api/v1/observations", headers=reader, params={"site": "YJ-AIR-C01", "parameter": "a34004"}
    )
    assert r.status_code == 200
    body = r.json()
    assert body["meta"]["found"] == 6
    assert [o["value"] for o in body["results"]] == [30, 31, 32, 33, 34, 35]
    first = body["results"][0]
    assert first == {
        "site": "YJ-AIR-C01",
        "parameter": "a34004",
        "time": "2026-11-01T00:00:00Z",
        "period": "PT1H",
        "value": 30.0,
        "unit": "ug/m3",
        "flag": "N",
        "revision": 1,
        "current": True,
        "submission": series,
        "qc": {"status": "passed", "flags": []},
    }


def test_from_and_to_in_local_time(client, reader, series) -> None:
    r = client.get(
        "/api/v1/observations",
        headers=reader,
        params={
            "site": "YJ-AIR-C01",
            "parameter": "a34004",
            "from": "2026-11-01T10:00:00+08:00",
            "to": "2026-11-01T12:00:00+08:00",
        },
    )
    assert [o["time"] for o in r.json()["results"]] == [
        "2026-11-01T02:00:00Z",
        "2026-11-01T03:00:00Z",
    ]


def test_period_filter_uses_the_canonical_spelling(client, reader, series) -> None:
    r = client.get(
        "/api/v1/observations", headers=reader, params={"site": "YJ-AIR-C02", "period": "PT60M"}
    )
    assert r.json()["meta"]["found"] == 1


def test_revisions_all_shows_history(client, reader, db, series) -> None:
    store(db, [("YJ-AIR-C02", "a34004", T0, "PT1H", 55.0)])
    cur = client.get("/api/v1/observations", headers=reader, params={"site": "YJ-AIR-C02"}).json()[
        "results"
    ]
    assert [(o["value"], o["revision"]) for o in cur] == [(55.0, 2)]
    allr = client.get(
        "/api/v1/observations", headers=reader, params={"site": "YJ-AIR-C02", "revisions": "all"}
    ).json()["results"]
    assert [(o["value"], o["revision"], o["current"]) for o in allr] == [
        (50.0, 1, False),
        (55.0, 2, True),
    ]


@pytest.mark.parametrize(
    ("params", "status", "where"),
    [
        ({"site": "NOPE"}, 404, "query.site"),
        ({"parameter": "x99999"}, 404, "query.parameter"),
        ({"from": "yesterday"}, 400, "query.from"),
        ({"to": "2026-13-45"}, 400, "query.to"),
        ({"from": "2026-11-01T00:00:00"}, 400, "query.from"),
        ({"from": "2026-11-02", "to": "2026-11-01"}, 400, "query.from"),
        ({"period": "hourly"}, 400, "query.period"),
        ({"limit": 0}, 400, "query.limit"),
        ({"limit": 100000}, 400, "query.limit"),
        ({"revisions": "some"}, 400, "query.revisions"),
    ],
)
def test_bad_queries_are_problems(client, reader, series, params, status, where) -> None:
    r = client.get("/api/v1/observations", headers=reader, params=params)
    assert r.status_code == status
    assert r.headers["content-type"] == "application/problem+json"
    assert any(e["path"] == where for e in r.json()["errors"])
