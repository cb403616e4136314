"""DCAT JSON-LD and the CKAN documents of an entry (pure, no I/O)."""

from __future__ import annotations

import json

from catalogue.ckan_map import (
    Names,
    api_resource_doc,
    datastore_fields,
    metadata_hash,
    organization_doc,
    package_doc,
    snapshot_resource_doc,
)
from catalogue.dcat import catalogue_document
from catalogue.directory import load_directory
from catalogue.model import Department, Disclosure, Links

LINKS = Links("https://hub.yangjiang.example", "/api/v1")
ENV = Department("environment", "市生态环境局", "Municipal Ecology and Environment Bureau", "d")
DEPTS = {"environment": ENV}


def entries():  # type: ignore[no-untyped-def]
    return {e.id: e for e in load_directory()}


def test_catalogue_document_is_dcat_json_ld() -> None:
    directory = entries()
    open_ = [e for e in directory.values() if e.disclosure is Disclosure.OPEN]
    doc = catalogue_document(open_, DEPTS, LINKS)
    assert doc["@type"] == "dcat:Catalog"
    assert doc["@id"] == "https://hub.yangjiang.example/api/v1/catalogue/dcat.jsonld"
    assert doc["@context"]["dcat"] == "http://www.w3.org/ns/dcat#"
    assert doc["@context"]["dct"] == "http://purl.org/dc/terms/"
    assert len(doc["dcat:dataset"]) == len(open_)
    json.dumps(doc)  # plain JSON all the way down


def test_a_dataset_carries_the_dcat_ap_properties() -> None:
    entry = entries()["air-aqi-daily"]
    (ds,) = catalogue_document([entry], DEPTS, LINKS)["dcat:dataset"]
    assert ds["@id"] == LINKS.dataset("air-aqi-daily") == ds["dcat:landingPage"]["@id"]
    assert ds["dct:title"] == [
        {"@value": entry.title.zh, "@language": "zh"},
        {"@value": entry.title.en, "@language": "en"},
    ]
    assert {"@value": "AQI", "@language": "en"} in ds["dcat:keyword"]
    assert ds["dct:accrualPeriodicity"]["@id"].endswith("/frequency/DAILY")
    assert ds["dct:license"]["@id"] == "https://creativecommons.org/licenses/by/4.0/"
    assert ds["dct:accessRights"]["@id"].endswith("/access-right/PUBLIC")
    assert ds["dct:spatial"]["dcat:bbox"]["@value"].startswith("POLYGON((111.27 21.45,")
    assert {"dct:title": "HJ 633-2026", "@type": "dct:Standard"} in ds["dct:conformsTo"]
    assert ds["dct:publisher"]["dct:identifier"] == "environment"
    urls = {d["dcat:downloadURL"]["@id"] for d in ds["dcat:distribution"]}
    assert urls == {LINKS.data("air-aqi-daily", "csv"), LINKS.data("air-aqi-daily", "json")}


def test_conditional_entries_are_restricted_and_unknown_departments_still_named() -> None:
    entry = entries()["pollution-source-online"]
    (ds,) = catalogue_document([entry], {}, LINKS)["dcat:dataset"]
    assert ds["dct:accessRights"]["@id"].endswith("/access-right/RESTRICTED")
    assert ds["dct:publisher"]["foaf:name"][0]["@value"] == "environment"


def test_ckan_package_maps_the_entry_with_dcat_extras() -> None:
    entry = entries()["surface-water-monthly"]
    names = Names("yj-")
    pkg = package_doc(entry, ENV, names, LINKS)
    assert pkg["name"] == "yj-surface-water-monthly" and pkg["owner_org"] == "yj-environment"
    assert pkg["license_id"] == "cc-by" and pkg["private"] is False
    assert {t["name"] for t in pkg["tags"]} == {"地表水", "水质", "断面", "surface water",
                                               "water quality", "river sections"}
    extras = {x["key"]: x["value"] for x in pkg["extras"]}
    assert extras["frequency"].endswith("/frequency/MONTHLY")
    assert json.loads(extras["conforms_to"]) == ["GB 3838-2002"]
    assert json.loads(extras["spatial"])["type"] == "Polygon"
    assert extras["hub_producer"] == "monthly_water_class" and extras["hub_window"] == "P12M"
    assert all(isinstance(x["value"], str) for x in pkg["extras"])
    assert "GB 3838-2002" in pkg["notes"]
    assert organization_doc(ENV, names)["name"] == "yj-environment"
    fields = datastore_fields(entry)
    assert fields[0] == {"id": "site", "type": "text",
                         "info": {"label": "站点编码 Site code", "notes": "Site code"}}


def test_the_metadata_hash_moves_with_any_published_field() -> None:
    entry = entries()["coastal-water-quality"]
    names = Names("yj-")
    org = organization_doc(ENV, names)
    pkg = package_doc(entry, ENV, names, LINKS)
    res = [api_resource_doc(entry, LINKS), snapshot_resource_doc(entry)]
    base = metadata_hash(org, pkg, res)
    assert base == metadata_hash(org, dict(pkg), list(res))
    assert base != metadata_hash(org, {**pkg, "title": "x"}, res)
    assert base != metadata_hash({**org, "name": "other"}, pkg, res)
    other_links = Links("https://elsewhere.example")
    assert base != metadata_hash(org, package_doc(entry, ENV, names, other_links), res)
