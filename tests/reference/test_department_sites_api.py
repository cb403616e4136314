"""A department registers and updates its own sites, and only its own."""

import pytest

pytestmark = pytest.mark.postgres
URL = "/api/v1/departments/water/sites"
SITE = {
    "code": "SW-RES-DHS",
    "name_zh": "大河水库坝前",
    "name_en": "Dahe reservoir dam",
    "network": "reservoir",
    "county": "441704",
    "latitude": 22.001,
    "longitude": 112.118,
    "targets": {"water_class": "II", "waterbody": "reservoir"},
}


@pytest.fixture
def water(auth):
    return auth("water", "observations:write")


def test_register_then_update(client, water) -> None:
    r = client.post(URL, headers=water, json={"sites": [SITE]})
    assert r.status_code == 200, r.text
    assert r.json()["created"] == ["SW-RES-DHS"]
    site = client.get("/api/v1/sites/SW-RES-DHS").json()
    assert site["department"] == "water" and site["targets"]["water_class"] == "II"
    r = client.post(URL, headers=water, json={"sites": [{**SITE, "name_en": "Dahe dam"}]})
    assert r.json()["updated"] == ["SW-RES-DHS"]
    r = client.post(URL, headers=water, json={"sites": [{**SITE, "name_en": "Dahe dam"}]})
    assert r.json()["unchanged"] == ["SW-RES-DHS"]


def test_invalid_sites_are_reported_one_by_one(client, water) -> None:
    r = client.post(
        URL,
        headers=water,
        json={
            "sites": [
                SITE,
                {**SITE, "code": "A1", "network": "air-city"},  # the bureau's network
                {**SITE, "code": "YJ-SW-01"},  # the bureau's site
                {**SITE, "code": "A2", "latitude": 123},
                {**SITE, "code": "A3", "targets": {"water_class": "VI"}},
                {"code": "A4"},
            ]
        },
    )
    assert r.status_code == 207
    paths = {e["path"] for e in r.json()["errors"]}
    assert {
        "sites[1].network",
        "sites[2].code",
        "sites[3].latitude",
        "sites[4].targets.water_class",
        "sites[5].name_zh",
    } <= paths
    assert r.json()["created"] == ["SW-RES-DHS"]


def test_pushing_to_a_registered_site(client, auth) -> None:
    water = auth("water", "observations:write", "observations:read")
    client.post(URL, headers=water, json={"sites": [SITE]})
    r = client.post(
        "/api/v1/departments/water/observations",
        headers=water,
        json={
            "observations": [
                {
                    "site": "SW-RES-DHS",
                    "parameter": "w21003",
                    "time": "2026-11-03T10:00:00+08:00",
                    "period": "PT0S",
                    "value": 320,
                    "unit": "ug/L",
                }
            ]
        },
    )
    assert r.status_code == 201, r.text
    got = client.get("/api/v1/observations", params={"site": "SW-RES-DHS"}, headers=water).json()[
        "results"
    ]
    assert got[0]["value"] == pytest.approx(0.32) and got[0]["unit"] == "mg/L"


def test_another_department_cannot_register_here(client, auth) -> None:
    r = client.post(URL, headers=auth("marine", "observations:write"), json={"sites": [SITE]})
    assert r.status_code == 403
