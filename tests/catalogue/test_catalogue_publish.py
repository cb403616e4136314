"""Publishing the directory to the real local CKAN: what CKAN then holds, and idempotency."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
import requests
from ckanapi import NotAuthorized, NotFound, RemoteCKAN

from catalogue.ckan_map import Names
from catalogue.directory import load_directory
from catalogue.model import Disclosure, Links
from hub.opendata.sync import publish
from hub.standards import PM25_24H, daily_aqi
from hub.standards.aggregation import daily_indicators
from tests.catalogue.world import AIR, DAYS, NOW, air_rows, seed

pytestmark = [pytest.mark.ckan, pytest.mark.postgres]
LINKS = Links("http://hub.example.test")


def run(db: Any, publisher: Any, names: Names, directory: Any = None, **kw: Any) -> Any:
    return publish(db, publisher, directory or load_directory(), names=names, links=LINKS,
                   now=kw.pop("now", NOW), **kw)


def records(admin: RemoteCKAN, resource_id: str) -> list[dict[str, Any]]:
    found = admin.action.datastore_search(resource_id=resource_id, limit=1000)
    return list(found["records"])


def snapshot(pkg: dict[str, Any]) -> dict[str, Any]:
    return next(r for r in pkg["resources"] if r.get("hub_role") == "snapshot")


def expected_daily_aqi(pm25: float) -> int:
    """The daily AQI of one world station, straight from hub.standards."""
    series = {code: [(at, v) for _, c, at, _, v in air_rows("X", DAYS[0], pm25) if c == code]
              for code in [*AIR, "a34004"]}
    inds = daily_indicators(series, DAYS[0])
    assert inds[PM25_24H] is not None
    result = daily_aqi(DAYS[0], inds)
    assert result.aqi is not None
    return result.aqi


def test_first_publish_creates_organizations_packages_resources_and_datastore(
    db: Any, make_publisher: Any, names: Names, admin: RemoteCKAN, anon: RemoteCKAN,
    ckan_facts: dict[str, str],
) -> None:
    seed(db)
    directory = load_directory()
    publisher, remote = make_publisher(chunk_size=3)
    report = run(db, publisher, names, directory)
    open_entries = [e for e in directory if e.disclosure is Disclosure.OPEN]
    assert report.applied == len(open_entries) == 8

    env = admin.action.organization_show(id=names.organization("environment"))
    assert env["title"].startswith("市生态环境局")
    health = admin.action.organization_show(id=names.organization("health"))
    assert health["name"] == names.organization("health")

    for entry in open_entries:
        pkg = anon.action.package_show(id=names.package(entry.id))
        assert pkg["organization"]["name"] == names.organization(entry.department)
        assert pkg["title"] == f"{entry.title.zh} | {entry.title.en}"
        assert pkg["license_id"] == entry.licence.id and not pkg["private"]
        assert {t["name"] for t in pkg["tags"]} == set(entry.keywords.all)
        extras = {x["key"]: x["value"] for x in pkg["extras"]}
        assert extras["hub_entry_id"] == entry.id
        assert extras["frequency"] == entry.frequency.uri
        assert extras["identifier"] == LINKS.dataset(entry.id)
        roles = {r["hub_role"]: r for r in pkg["resources"]}
        assert set(roles) == {"api", "snapshot"}
        assert roles["api"]["url"] == LINKS.data(entry.id, "json")
        assert roles["snapshot"]["url_type"] == "upload"
        assert roles["snapshot"]["datastore_active"] is True

    for hidden in ("pollution-source-online", "air-raw-qc-review"):
        with pytest.raises(NotFound):
            admin.action.package_show(id=names.package(hidden))
    found = anon.action.package_search(fq=f'organization:"{names.organization("environment")}"',
                                       rows=100)
    assert found["count"] == 7

    daily = snapshot(admin.action.package_show(id=names.package("air-aqi-daily")))
    rows = {(r["site"], r["day"]): r for r in records(anon, daily["id"])}
    assert set(rows) == {(s, d.isoformat()) for s in ("YJ-AIR-C01", "YJ-AIR-K01") for d in DAYS}
    k01 = rows[("YJ-AIR-K01", DAYS[0].isoformat())]
    assert int(k01["aqi"]) == expected_daily_aqi(90.0)
    assert k01["quality_en"] == "light pollution" and k01["primary_pollutants"] == "PM2.5"
    assert int(rows[("YJ-AIR-C01", DAYS[0].isoformat())]["aqi"]) == expected_daily_aqi(30.0)
    # 4 rows in chunks of 3: two upserts for this entry.
    hourly = snapshot(admin.action.package_show(id=names.package("air-aqi-hourly")))
    assert len(records(anon, hourly["id"])) == 2 * 24 * 2
    assert remote.calls["datastore_upsert"] >= (96 + 2) // 3

    water = snapshot(admin.action.package_show(id=names.package("surface-water-monthly")))
    by_site = {r["site"]: r for r in records(anon, water["id"])}
    assert by_site["YJ-SW-01"]["water_class"] == "II" and by_site["YJ-SW-01"]["meets_target"]
    assert by_site["YJ-SW-08"]["water_class"] == "IV" and not by_site["YJ-SW-08"]["meets_target"]
    noise = snapshot(admin.action.package_show(id=names.package("noise-functional-zones")))
    parts = {(r["day"], r["day_part"]): r["compliant"] for r in records(anon, noise["id"])}
    assert parts[(DAYS[0].isoformat(), "day")] is True
    assert parts[(DAYS[0].isoformat(), "night")] is False
    county = snapshot(admin.action.package_show(id=names.package("county-assessment")))
    counties = {r["county"]: r for r in records(anon, county["id"])}
    assert counties["441702"]["good_air_days"] == 2 and counties["441781"]["good_air_days"] == 0

    # The uploaded CSV snapshot has a header row and the same rows as the DataStore.
    body = requests.get(daily["url"], timeout=30)
    assert body.status_code == 200
    table = list(csv.DictReader(io.StringIO(body.content.decode("utf-8"))))
    assert len(table) == 4 and table[0]["site"] == "YJ-AIR-C01"

    page = requests.get(f"{ckan_facts['HUB_CKAN_URL']}/dataset/{names.package('air-aqi-daily')}",
                        timeout=60)
    assert page.status_code == 200 and names.package("air-aqi-daily") in page.text


def test_a_second_run_changes_nothing(
    db: Any, make_publisher: Any, names: Names, admin: RemoteCKAN
) -> None:
    seed(db)
    publisher, _ = make_publisher()
    run(db, publisher, names)
    open_ids = [e.id for e in load_directory() if e.disclosure is Disclosure.OPEN]
    before = {i: admin.action.package_show(id=names.package(i)) for i in open_ids}

    again, remote = make_publisher()
    report = run(db, again, names)
    assert report.applied == 0
    assert remote.writes == {}, remote.calls
    assert all(not p.changes for p in report.entries)
    for i in open_ids:
        after = admin.action.package_show(id=names.package(i))
        assert after["metadata_modified"] == before[i]["metadata_modified"], i


def test_withdrawn_is_private_and_reopening_makes_it_public_again(
    db: Any, make_publisher: Any, names: Names, admin: RemoteCKAN, anon: RemoteCKAN,
    tmp_path: Any, ckan_facts: dict[str, str],
) -> None:
    publisher, _ = make_publisher()
    run(db, publisher, names)
    folder = copy_directory(tmp_path)
    edit(folder / "air-aqi-hourly.yaml", "disclosure: open", "disclosure: conditional")
    (folder / "noise-functional-zones.yaml").unlink()

    report = run(db, publisher, names, load_directory(folder))
    withdrawn = {p.entry_id for p in report.entries if p.withdraw}
    assert withdrawn == {"air-aqi-hourly", "noise-functional-zones"}
    for entry_id in withdrawn:
        name = names.package(entry_id)
        assert admin.action.package_show(id=name)["private"] is True
        with pytest.raises((NotAuthorized, NotFound)):
            anon.action.package_show(id=name)
        assert anon.action.package_search(q=f"name:{name}")["count"] == 0
        page = requests.get(f"{ckan_facts['HUB_CKAN_URL']}/dataset/{name}", timeout=60)
        assert page.status_code == 404

    again, remote = make_publisher()
    assert run(db, again, names, load_directory(folder)).applied == 0
    assert remote.writes == {}

    report = run(db, publisher, names)  # the packaged directory: both open again
    assert {p.entry_id for p in report.entries if p.reason == "reopened"} == withdrawn
    for entry_id in withdrawn:
        assert anon.action.package_show(id=names.package(entry_id))["private"] is False


def copy_directory(tmp_path: Any) -> Any:
    from catalogue.directory import DIRECTORY_DIR

    folder = tmp_path / "directory"
    folder.mkdir()
    for f in DIRECTORY_DIR.glob("*.yaml"):
        (folder / f.name).write_text(f.read_text(encoding="utf-8"), encoding="utf-8")
    return folder


def edit(path: Any, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
