"""The public reference API, through the app built from the OpenAPI spec."""

import pytest

pytestmark = pytest.mark.postgres
PROBLEM = "application/problem+json"


def test_departments_are_listed_with_page_meta(client) -> None:
    r = client.get("/api/v1/departments", params={"limit": 3})
    assert r.status_code == 200
    body = r.json()
    assert body["meta"] == {"page": 1, "limit": 3, "found": 9}
    assert [d["code"] for d in body["results"]] == ["agriculture", "environment", "forestry"]


def test_second_page_continues_the_first(client) -> None:
    first = client.get("/api/v1/sites", params={"limit": 10}).json()["results"]
    second = client.get("/api/v1/sites", params={"limit": 10, "page": 2}).json()["results"]
    assert first[-1]["code"] < second[0]["code"]


def test_counties_include_the_functional_zones(client) -> None:
    codes = {c["code"] for c in client.get("/api/v1/counties").json()["results"]}
    assert codes == {"441702", "441704", "441721", "441781", "hailingwan", "gaoxinqu"}


def test_sites_filter_by_network_and_county(client) -> None:
    r = client.get("/api/v1/sites", params={"network": "air-county", "county": "441781"})
    sites = r.json()["results"]
    assert [s["code"] for s in sites] == ["YJ-AIR-K01", "YJ-AIR-K02"]
    assert all(s["coordinates_approximate"] for s in sites)


def test_sites_filter_by_department(client) -> None:
    r = client.get("/api/v1/sites", params={"department": "water"})
    assert r.json()["meta"]["found"] == 0  # departments register their own sites
    r = client.get("/api/v1/sites", params={"department": "environment", "limit": 1})
    assert r.json()["meta"]["found"] >= 50


def test_one_site_with_its_targets(client) -> None:
    r = client.get("/api/v1/sites/YJ-DW-02")
    assert r.status_code == 200
    assert r.json()["targets"] == {"water_class": "II", "waterbody": "reservoir"}


def test_unknown_site_is_a_problem_404(client) -> None:
    r = client.get("/api/v1/sites/NO-SUCH")
    assert r.status_code == 404
    assert r.headers["content-type"] == PROBLEM
    assert r.json()["detail"] == "no site with code 'NO-SUCH'"


def test_parameters_filter_by_medium(client) -> None:
    r = client.get("/api/v1/parameters", params={"medium": "air"})
    codes = {p["code"] for p in r.json()["results"]}
    assert {"a34004", "a34002", "a21026", "a21004", "a21005", "a05024"} == codes


def test_networks_of_a_department(client) -> None:
    r = client.get("/api/v1/networks", params={"department": "meteorology"})
    assert {n["code"] for n in r.json()["results"]} == {"weather", "atmospheric-composition"}


@pytest.mark.parametrize(
    ("path", "params", "where"),
    [
        ("/api/v1/sites", {"limit": 0}, "query.limit"),
        ("/api/v1/sites", {"limit": 100000}, "query.limit"),
        ("/api/v1/departments", {"page": 0}, "query.page"),
        ("/api/v1/counties", {"limit": "ten"}, "query.limit"),
        ("/api/v1/sites", {"status": "gone"}, "query.status"),
        ("/api/v1/parameters", {"colour": "red"}, "query.colour"),
    ],
)
def test_bad_input_is_a_400_problem_that_says_where(client, path, params, where) -> None:
    r = client.get(path, params=params)
    assert r.status_code == 400
    assert r.headers["content-type"] == PROBLEM
    body = r.json()
    assert {"type", "title", "status", "detail"} <= set(body)
    assert where in body["detail"] or any(e["path"] == where for e in body.get("errors", []))


def test_unknown_path_is_a_problem_404(client) -> None:
    r = client.get("/api/v1/nowhere")
    assert r.status_code == 404
    assert r.headers["content-type"] == PROBLEM
