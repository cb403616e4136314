#!/usr/bin/env python3
"""End-to-end smoke test of the local CKAN started by .ci/ckan/up.sh.

Run with the CKAN venv's python (.ckan/venv/bin/python) or any python that has
`requests`.  Connection facts come from $HUB_CKAN_URL / $HUB_CKAN_TOKEN, else from
.ckan/env.  Creates an organization and a dataset with two resources (a URL resource
and an uploaded CSV that also gets a DataStore table), exercises DataStore
create/upsert/search, package show/search/patch (search goes through the Solr
stand-in), private visibility, and the dataset HTML page; then purges what it made
(unless --keep).  Exits non-zero on the first failure.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
import time
import uuid
from pathlib import Path

import requests

REPO_ROOT = Path(__file__).resolve().parents[2]


class SmokeFailure(Exception):
    pass


def load_facts() -> tuple[str, str]:
    url, token = os.environ.get("HUB_CKAN_URL"), os.environ.get("HUB_CKAN_TOKEN")
    env_file = Path(os.environ.get("CKAN_ENV_FILE", REPO_ROOT / ".ckan" / "env"))
    if (not url or not token) and env_file.exists():
        for line in env_file.read_text().splitlines():
            key, _, value = line.partition("=")
            if key == "HUB_CKAN_URL" and not url:
                url = value.strip()
            elif key == "HUB_CKAN_TOKEN" and not token:
                token = value.strip()
    if not url or not token:
        raise SmokeFailure(
            f"no HUB_CKAN_URL/HUB_CKAN_TOKEN in the environment or in {env_file}: "
            "run `bash .ci/ckan/up.sh` first"
        )
    return url.rstrip("/"), token


class Client:
    def __init__(self, url: str, token: str | None):
        self.url = url
        self.s = requests.Session()
        if token:
            self.s.headers["Authorization"] = token

    def call(self, action: str, data: dict | None = None, files=None, expect_ok=True, get=False):
        endpoint = f"{self.url}/api/3/action/{action}"
        if get:
            r = self.s.get(endpoint, params=data, timeout=60)
        elif files:
            r = self.s.post(endpoint, data=data, files=files, timeout=60)
        else:
            r = self.s.post(endpoint, json=data or {}, timeout=60)
        try:
            body = r.json()
        except ValueError:
            raise SmokeFailure(
                f"{action}: HTTP {r.status_code}, not JSON: {r.text[:500]}"
            ) from None
        if expect_ok:
            if r.status_code != 200 or not body.get("success"):
                raise SmokeFailure(
                    "{} failed: HTTP {} {}".format(
                        action, r.status_code, json.dumps(body.get("error"))[:800]
                    )
                )
            return body["result"]
        return r.status_code, body


def check(cond: bool, msg: str):
    if not cond:
        raise SmokeFailure(msg)


def main() -> int:  # noqa: PLR0915
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--keep", action="store_true", help="do not purge the organization and dataset")
    args = ap.parse_args()

    t0 = time.time()
    url, token = load_facts()
    admin, anon = Client(url, token), Client(url, None)
    suffix = uuid.uuid4().hex[:8]
    org_name, pkg_name = f"smoke-org-{suffix}", f"smoke-air-quality-{suffix}"
    word = f"zephyr{suffix}"  # a word only this dataset's title contains
    made = {"org": None, "pkg": None}

    def step(msg):
        print(f"ok  {msg:<58} {time.time() - t0:5.2f}s", flush=True)

    try:
        st = admin.call("status_show", get=True)
        check(
            st["ckan_version"].startswith("2.12"),
            "unexpected CKAN version {}".format(st["ckan_version"]),
        )
        check(
            "datastore" in st["extensions"],
            "datastore plugin not enabled: {}".format(st["extensions"]),
        )
        step(
            "status_show: CKAN {}, plugins {}".format(
                st["ckan_version"], " ".join(st["extensions"])
            )
        )

        org = admin.call(
            "organization_create", {"name": org_name, "title": f"Smoke test org {suffix}"}
        )
        made["org"] = org["id"]
        step(f"organization_create {org_name}")

        pkg = admin.call(
            "package_create",
            {
                "name": pkg_name,
                "title": f"Air quality {word} smoke dataset",
                "notes": "Hourly PM2.5 readings from monitoring stations (smoke test).",
                "owner_org": org["id"],
                "license_id": "cc-by",
                "tags": [{"name": "air-quality"}, {"name": "smoke"}],
                "extras": [{"key": "station_network", "value": "riverside"}],
                "resources": [
                    {
                        "name": "Upstream feed",
                        "url": "https://example.org/feeds/air.csv",
                        "format": "CSV",
                    }
                ],
            },
        )
        made["pkg"] = pkg["id"]
        step(f"package_create {pkg_name} (URL resource)")

        csv = b"station,ts,pm25\nS1,2024-01-01T00:00:00,12.5\nS2,2024-01-01T00:00:00,8.0\n"
        res = admin.call(
            "resource_create",
            {"package_id": pkg["id"], "name": "Readings", "format": "CSV"},
            files={"upload": ("readings.csv", io.BytesIO(csv), "text/csv")},
        )
        check(
            res.get("url_type") == "upload",
            "uploaded resource has url_type {!r}".format(res.get("url_type")),
        )
        dl = admin.s.get(res["url"], timeout=30)
        check(
            dl.status_code == 200 and dl.content == csv,
            f"download of the uploaded CSV: HTTP {dl.status_code}",
        )
        step("resource_create (uploaded CSV) and download")

        fields = [
            {"id": "station", "type": "text"},
            {"id": "ts", "type": "timestamp"},
            {"id": "pm25", "type": "numeric"},
        ]
        ds = admin.call(
            "datastore_create",
            {
                "resource_id": res["id"],
                "force": True,
                "primary_key": ["station", "ts"],
                "fields": fields,
                "records": [
                    {"station": "S1", "ts": "2024-01-01T00:00:00", "pm25": 12.5},
                    {"station": "S2", "ts": "2024-01-01T00:00:00", "pm25": 8.0},
                ],
            },
        )
        check(
            ds["primary_key"] == ["station", "ts"] or ds.get("primary_key") is not None,
            f"datastore_create returned {ds!r}",
        )
        step("datastore_create (primary key station+ts, 3 fields, 2 rows)")

        admin.call(
            "datastore_upsert",
            {
                "resource_id": res["id"],
                "force": True,
                "method": "upsert",
                "records": [
                    {"station": "S1", "ts": "2024-01-01T00:00:00", "pm25": 13.0},
                    {"station": "S3", "ts": "2024-01-01T01:00:00", "pm25": 4.2},
                ],
            },
        )
        step("datastore_upsert (1 update, 1 insert)")

        shown = admin.call("package_show", {"id": pkg_name}, get=True)
        check(len(shown["resources"]) == 2, f"package_show: {len(shown['resources'])} resources")
        check(
            any(r.get("datastore_active") for r in shown["resources"]),
            "no resource is datastore_active",
        )
        check(shown["organization"]["name"] == org_name, "package_show: wrong organization")
        step("package_show: 2 resources, datastore_active set")

        found = anon.call(
            "datastore_search", {"resource_id": res["id"], "sort": "station"}, get=True
        )
        check(found["total"] == 3, "datastore_search total {}, expected 3".format(found["total"]))
        rows = {r["station"]: r for r in found["records"]}
        check(
            float(rows["S1"]["pm25"]) == 13.0, "upsert did not update S1: {!r}".format(rows["S1"])
        )
        check(
            [f["id"] for f in found["fields"] if not f["id"].startswith("_")]
            == ["station", "ts", "pm25"],
            "datastore fields {!r}".format(found["fields"]),
        )
        q = anon.call(
            "datastore_search",
            {"resource_id": res["id"], "filters": json.dumps({"station": "S3"})},
            get=True,
        )
        check(q["total"] == 1, "datastore_search with filters: {}".format(q["total"]))
        step("datastore_search (anonymous): 3 rows, upsert applied, filters")

        r = anon.call("package_search", {"q": f"name:{pkg_name}"}, get=True)
        check(
            r["count"] == 1 and r["results"][0]["name"] == pkg_name,
            "package_search name: {!r}".format(r["count"]),
        )
        r = anon.call("package_search", {"q": word}, get=True)
        check(r["count"] == 1, "package_search free text {!r}: {}".format(word, r["count"]))
        # dismax with CKAN's mm (2<-1 5<80%): 2 of these 3 words must match, so other
        # datasets may match too; ours must be first (it matches all three)
        r = anon.call("package_search", {"q": "monitoring stations " + word}, get=True)
        names = [p["name"] for p in r["results"]]
        check(names[:1] == [pkg_name], f"package_search several words: {names}")
        r = anon.call(
            "package_search",
            {
                "fq": f'organization:"{org_name}" +tags:"air-quality"',
                "facet.field": json.dumps(["tags", "res_format", "organization"]),
            },
            get=True,
        )
        check(r["count"] == 1, "package_search fq organization+tag: {}".format(r["count"]))
        check(
            r["search_facets"]["organization"]["items"][0]["name"] == org_name,
            "facets: {!r}".format(r["search_facets"].get("organization")),
        )
        check(
            {i["name"] for i in r["search_facets"]["res_format"]["items"]} == {"CSV"},
            "res_format facet: {!r}".format(r["search_facets"]["res_format"]),
        )
        step("package_search via the Solr stand-in: name, text, fq, facets")

        admin.call(
            "package_patch",
            {
                "id": pkg_name,
                "notes": "Patched notes",
                "tags": [{"name": "air-quality"}, {"name": "smoke"}, {"name": f"patched-{suffix}"}],
            },
        )
        r = anon.call("package_search", {"fq": f'tags:"patched-{suffix}"'}, get=True)
        check(
            r["count"] == 1 and r["results"][0]["notes"] == "Patched notes",
            "package_search after package_patch: {!r}".format(r["count"]),
        )
        step("package_patch reindexed (found by the new tag)")

        page = anon.s.get(f"{url}/dataset/{pkg_name}", timeout=60)
        check(
            page.status_code == 200 and pkg_name in page.text,
            f"GET /dataset/{pkg_name}: HTTP {page.status_code}",
        )
        page = anon.s.get(f"{url}/dataset/", params={"q": word}, timeout=60)
        check(
            page.status_code == 200 and pkg_name in page.text,
            f"GET /dataset/?q=: HTTP {page.status_code}",
        )
        step(f"HTML: /dataset/{pkg_name} and /dataset/?q= answer 200")

        admin.call("package_patch", {"id": pkg_name, "private": True})
        r = anon.call("package_search", {"q": f"name:{pkg_name}"}, get=True)
        check(r["count"] == 0, "private dataset visible to anonymous package_search")
        r = anon.call(
            "package_search", {"q": f"name:{pkg_name}", "include_private": True}, get=True
        )
        check(
            r["count"] == 0, "private dataset visible to anonymous package_search include_private"
        )
        r = admin.call(
            "package_search", {"q": f"name:{pkg_name}", "include_private": True}, get=True
        )
        check(r["count"] == 1, "private dataset not found by the sysadmin with include_private")
        code, _ = anon.call("package_show", {"id": pkg_name}, expect_ok=False, get=True)
        check(code in (403, 404), f"anonymous package_show of a private dataset: HTTP {code}")
        page = anon.s.get(f"{url}/dataset/{pkg_name}", timeout=60)
        check(
            page.status_code == 404,
            f"anonymous GET of the private dataset page: HTTP {page.status_code}",
        )
        page = admin.s.get(f"{url}/dataset/{pkg_name}", timeout=60)
        check(
            page.status_code == 200,
            f"sysadmin GET of the private dataset page: HTTP {page.status_code}",
        )
        step("private: hidden from anonymous search/show/page, visible to admin")
    except SmokeFailure as e:
        print(f"FAIL {e}", file=sys.stderr)
        return 1
    except requests.RequestException as e:
        print(f"FAIL cannot talk to CKAN at {url}: {e}", file=sys.stderr)
        return 1
    finally:
        if not args.keep:
            try:
                if made["pkg"]:
                    admin.call("dataset_purge", {"id": made["pkg"]})
                if made["org"]:
                    admin.call("organization_purge", {"id": made["org"]})
            except Exception as e:  # cleanup problems must not hide the result
                print(f"warn cleanup: {e}", file=sys.stderr)
    print(f"SMOKE OK in {time.time() - t0:.2f}s ({url})")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except SmokeFailure as e:
        print(f"FAIL {e}", file=sys.stderr)
        sys.exit(1)
