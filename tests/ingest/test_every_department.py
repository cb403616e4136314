"""Every department pushes its own record shape and reads it back, on PostgreSQL."""

import pytest

from connectors.base import load_record
from connectors.registry import REGISTRY
from tests.support.auth import bearer, make_client, token_for

pytestmark = pytest.mark.postgres
SITE_FIELDS = ("station", "point", "section", "site", "port_site")


def _site_field(example: dict) -> str:
    return next(f for f in SITE_FIELDS if f in example)


@pytest.mark.parametrize("department", sorted(REGISTRY))
def test_department_pushes_its_records(client, db, department) -> None:
    connector = REGISTRY[department]
    example = dict(connector.record_example)
    field = _site_field(example)
    code = f"T-{department}-01"
    example[field] = code
    creds = make_client(db, department, "observations:write", "observations:read")
    headers = bearer(token_for(client, creds))
    network = connector.kinds[0].networks[0]
    r = client.post(f"/api/v1/departments/{department}/sites", headers=headers, json={
        "sites": [{"code": code, "name_zh": "测试点", "name_en": "Test point",
                   "network": network, "county": "441702"}]})
    assert r.status_code == 200, r.text

    r = client.post(f"/api/v1/departments/{department}/records", headers=headers,
                    json={"records": [example]})
    assert r.status_code == 201, r.text
    from datetime import UTC, datetime

    expected, errors = load_record(connector, example, "records[0]", datetime.now(UTC))
    assert errors == []
    assert r.json()["accepted"] == len(expected) > 0

    got = client.get("/api/v1/observations", params={"site": code, "limit": 1000},
                     headers=headers).json()["results"]
    assert sorted((o["parameter"], o["value"]) for o in got) == sorted(
        (o.parameter, pytest.approx(o.value)) for o in expected)

    # A typo in the department's own field names is reported where it is.
    bad = {**example, "not_a_column": 1}
    r = client.post(f"/api/v1/departments/{department}/records", headers=headers,
                    json={"records": [bad]})
    assert r.status_code == 422
    assert any(e["path"].startswith("records[0].not_a_column") for e in r.json()["errors"])


def test_record_schema_describes_each_department(client) -> None:
    for department, connector in REGISTRY.items():
        r = client.get(f"/api/v1/departments/{department}/record-schema")
        assert r.status_code == 200
        doc = r.json()
        assert doc["department"] == department
        assert {p["code"] for p in doc["parameters"]} == set(connector.parameters)
        assert doc["record_example"] == dict(connector.record_example)
