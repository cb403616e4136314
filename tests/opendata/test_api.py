"""The catalogue endpoints: who sees which dataset, data as CSV and JSON, DCAT."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from hub.timeutil import LOCAL_TZ
from tests.catalogue.world import DAYS, seed
from tests.support.auth import bearer
from tests.support.data import store

pytestmark = pytest.mark.postgres
BASE = "/api/v1/catalogue"
OPEN = {
    "air-aqi-hourly", "air-aqi-daily", "surface-water-monthly", "drinking-water-sources",
    "coastal-water-quality", "noise-functional-zones", "county-assessment", "tap-water-quality",
}
RANGE = {"from": DAYS[0].isoformat(), "to": (DAYS[-1] + timedelta(days=1)).isoformat()}


def ids(body: dict[str, Any]) -> set[str]:
    return {d["id"] for d in body["results"]}


def test_anonymous_list_holds_the_open_datasets_only(client: Any) -> None:
    r = client.get(f"{BASE}/datasets")
    assert r.status_code == 200, r.text
    body = r.json()
    assert ids(body) == OPEN
    assert body["meta"] == {"page": 1, "limit": 100, "found": len(OPEN)}
    daily = next(d for d in body["results"] if d["id"] == "air-aqi-daily")
    assert daily["licence"]["id"] == "cc-by" and daily["query"]["producer"] == "daily_aqi"
    assert daily["primary_key"] == ["site", "day"]
    assert daily["links"]["csv"].endswith("/catalogue/datasets/air-aqi-daily/data?format=csv")


@pytest.mark.parametrize("scope", ["observations:read", "catalogue:admin"])
def test_an_authorised_client_also_sees_conditional_datasets(
    client: Any, auth: Any, scope: str
) -> None:
    r = client.get(f"{BASE}/datasets", headers=auth("environment", scope))
    assert ids(r.json()) == OPEN | {"pollution-source-online"}
    r = client.get(f"{BASE}/datasets/pollution-source-online", headers=auth(None, scope))
    assert r.status_code == 200 and r.json()["disclosure"] == "conditional"


def test_conditional_is_hidden_without_the_scope_and_internal_always(
    client: Any, auth: Any
) -> None:
    writer = auth("environment", "observations:write")
    assert ids(client.get(f"{BASE}/datasets", headers=writer).json()) == OPEN
    for headers in ({}, writer):
        for hidden in ("pollution-source-online", "air-raw-qc-review"):
            for path in (f"{BASE}/datasets/{hidden}", f"{BASE}/datasets/{hidden}/data"):
                r = client.get(path, headers=headers)
                assert r.status_code == 404, (path, r.text)
                assert r.headers["content-type"] == "application/problem+json"
    admin = auth(None, "catalogue:admin", "observations:read")
    assert client.get(f"{BASE}/datasets/air-raw-qc-review", headers=admin).status_code == 404
    assert "air-raw-qc-review" not in ids(client.get(f"{BASE}/datasets", headers=admin).json())


def test_a_bad_token_is_401_not_anonymous(client: Any) -> None:
    r = client.get(f"{BASE}/datasets", headers=bearer("not.a.token"))
    assert r.status_code == 401
    assert r.headers["content-type"] == "application/problem+json"


def test_paging_of_the_list(client: Any) -> None:
    r = client.get(f"{BASE}/datasets", params={"limit": 3, "page": 3})
    assert r.json()["meta"] == {"page": 3, "limit": 3, "found": len(OPEN)}
    assert len(r.json()["results"]) == 2
    assert client.get(f"{BASE}/datasets", params={"limit": 1001}).status_code == 400


def test_data_as_json_page(client: Any, db: Any) -> None:
    seed(db)
    r = client.get(f"{BASE}/datasets/air-aqi-daily/data", params={**RANGE, "limit": 3})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["meta"] == {"page": 1, "limit": 3, "found": 4}
    first = body["results"][0]
    assert (first["site"], first["day"]) == ("YJ-AIR-C01", DAYS[0].isoformat())
    assert isinstance(first["aqi"], int) and first["edition"] == "HJ 633-2026"
    r = client.get(f"{BASE}/datasets/air-aqi-daily/data", params={**RANGE, "limit": 3, "page": 2})
    assert [(x["site"], x["day"]) for x in r.json()["results"]] == [
        ("YJ-AIR-K01", DAYS[1].isoformat())
    ]


def test_data_as_csv_with_a_header_row(client: Any, db: Any) -> None:
    seed(db)
    r = client.get(f"{BASE}/datasets/surface-water-monthly/data", params={**RANGE, "format": "csv"})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/csv")
    assert "surface-water-monthly.csv" in r.headers["content-disposition"]
    lines = r.content.decode("utf-8").splitlines()
    assert lines[0].split(",")[:5] == ["site", "site_name_zh", "site_name_en", "county", "month"]
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8"))))
    assert {(x["site"], x["water_class"], x["meets_target"]) for x in rows} == {
        ("YJ-SW-01", "II", "true"),
        ("YJ-SW-08", "IV", "false"),
    }


def test_conditional_data_for_an_authorised_client(client: Any, db: Any, auth: Any) -> None:
    seed(db)
    r = client.get(f"{BASE}/datasets/pollution-source-online/data", params=RANGE,
                   headers=auth("environment", "observations:read"))
    assert r.status_code == 200, r.text
    assert [(x["parameter"], x["mean"]) for x in r.json()["results"]] == [("w01018", 42.0)] * 2


def test_without_a_range_the_recent_window_is_served(client: Any, db: Any) -> None:
    hour = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) - timedelta(hours=2)
    store(db, [("YJ-NZ-02", "n_leq", hour, "PT1H", 58.0)])
    r = client.get(f"{BASE}/datasets/noise-functional-zones/data")
    assert r.status_code == 200, r.text
    (row,) = r.json()["results"]
    assert row["site"] == "YJ-NZ-02" and row["leq"] == 58.0
    day = hour.astimezone(LOCAL_TZ)
    if row["day_part"] == "night" and day.hour < 6:
        day -= timedelta(hours=6)
    assert row["day"] == day.date().isoformat()


@pytest.mark.parametrize(
    ("params", "path"),
    [
        ({"from": "yesterday"}, "query.from"),
        ({"from": "2026-11-01T00:00:00"}, "query.from"),
        ({"from": "2026-11-02", "to": "2026-11-01"}, "query.from"),
        ({"from": "2024-01-01", "to": "2026-01-01"}, "query.to"),
        ({"format": "xml"}, "query.format"),
        ({"limit": 0}, "query.limit"),
        ({"colour": "red"}, "query.colour"),
    ],
)
def test_bad_data_requests_are_400_with_the_place(client: Any, params: Any, path: str) -> None:
    r = client.get(f"{BASE}/datasets/air-aqi-daily/data", params=params)
    assert r.status_code == 400, r.text
    assert r.headers["content-type"] == "application/problem+json"
    assert path in {e["path"] for e in r.json()["errors"]}


def test_unknown_or_malformed_ids(client: Any) -> None:
    assert client.get(f"{BASE}/datasets/no-such-thing").status_code == 404
    assert client.get(f"{BASE}/datasets/no-such-thing/data").status_code == 404
    r = client.get(f"{BASE}/datasets/Bad_Id'%20OR%201=1")
    assert r.status_code in (400, 404)


def test_dcat_lists_what_the_caller_may_see(client: Any, auth: Any) -> None:
    r = client.get(f"{BASE}/dcat.jsonld")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/ld+json")
    doc = r.json()
    assert doc["@type"] == "dcat:Catalog" and "dcat" in doc["@context"]
    datasets = {d["dct:identifier"]: d for d in doc["dcat:dataset"]}
    assert set(datasets) == OPEN
    daily = datasets["air-aqi-daily"]
    assert daily["dct:publisher"]["foaf:name"][0] == {"@value": "市生态环境局", "@language": "zh"}
    assert {d["dcat:mediaType"]["@id"].rsplit("/", 1)[-1] for d in daily["dcat:distribution"]} == {
        "csv", "json"
    }
    authorised = client.get(f"{BASE}/dcat.jsonld", headers=auth(None, "catalogue:admin")).json()
    restricted = [d for d in authorised["dcat:dataset"]
                  if d["dct:accessRights"]["@id"].endswith("RESTRICTED")]
    assert [d["dct:identifier"] for d in restricted] == ["pollution-source-online"]
