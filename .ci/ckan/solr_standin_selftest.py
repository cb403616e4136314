#!/usr/bin/env python3
"""Self-test of solr_standin.py through pysolr, i.e. with the requests CKAN sends.

Run with the CKAN venv's python (it has pysolr):
    .ckan/venv/bin/python .ci/ckan/solr_standin_selftest.py
Starts its own stand-in on a free port with a temporary index file; exits non-zero
on any failure.
"""

from __future__ import annotations

import glob
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pysolr

HERE = Path(__file__).resolve().parent
DISMAX = {"defType": "dismax", "qf": "name^4 title^4 tags^2 groups^2 text", "mm": "2<-1 5<80%"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def doc(i, name, title, notes, tags, org, private=False, state="active"):
    mod = f"2024-01-0{i}T10:00:00.123456Z"
    return {
        "index_id": f"ix{i}",
        "id": f"id{i}",
        "site_id": "hub",
        "name": name,
        "title": title,
        "title_string": title,
        "notes": notes,
        "tags": tags,
        "organization": org,
        "owner_org": "org-" + org,
        "capacity": "private" if private else "public",
        "state": state,
        "entity_type": "package",
        "dataset_type": "dataset",
        "permission_labels": ["member-org-" + org] if private else ["public"],
        "metadata_modified": mod,
        "metadata_created": mod,
        "res_format": ["CSV", "JSON"] if i % 2 else ["CSV"],
        "validated_data_dict": json.dumps({"name": name}),
        "num_resources": i,
        "extras_station": f"Riverside Station {i}",
    }


CASES = [
    ({"q": "*:*"}, 4),
    ({"q": "*:*", "fq": ['+site_id:"hub"', "+state:active", "+capacity:public"]}, 2),
    (
        {
            "q": "*:*",
            "fq": [
                "+capacity:public  +state:(active OR draft)",
                '+site_id:"hub"',
                '+permission_labels:("public" OR "creator-x")',
            ],
        },
        2,
    ),
    ({"q": "air", "fq": "+state:active", **DISMAX}, 2),
    ({"q": "air quality", **DISMAX}, 1),
    ({"q": "monitor station", **DISMAX}, 1),
    ({"q": "air-quality", **DISMAX}, 1),
    ({"q": "tags:air"}, 2),
    ({"q": "tags:air -capacity:private"}, 1),
    ({"q": "tags:air AND NOT state:deleted", "q.op": "AND"}, 2),
    ({"q": 'name:"water-levels" OR id:"water-levels"'}, 1),
    ({"q": "title:quality"}, 1),
    ({"q": "title:Flood*"}, 0),
    ({"q": "notes:flood*"}, 1),
    ({"q": "name:air*"}, 1),
    ({"q": "metadata_modified:[2024-01-02T00:00:00Z TO NOW]"}, 3),
    ({"q": "metadata_modified:{2024-01-02T10:00:00.123456Z TO *]"}, 2),
    ({"q": "metadata_modified:[NOW-100YEARS TO NOW/DAY+1DAY]"}, 4),
    ({"q": "num_resources:[2 TO 3]"}, 2),
    ({"q": "res_format:JSON"}, 2),
    ({"q": "extras_station:riverside"}, 4),
    ({"q": "owner_org:(org-eco OR org-other)", "fq": "-state:deleted"}, 3),
    ({"q": '+entity_type:package AND +(id:"id2" OR name:"id2") AND +site_id:"hub"'}, 1),
    ({"q": "name_ngram:qual"}, 1),
    ({"q": "text:flooding"}, 1),
    ({"q": "pm2"}, 1),
    ({"q": "*:*", "fq": "tags:*"}, 3),
]


def main() -> int:  # noqa: PLR0915
    port = free_port()
    schema = glob.glob(
        os.path.join(
            sys.prefix, "lib", "python3*", "site-packages", "ckan", "config", "solr", "schema.xml"
        )
    )
    tmp = tempfile.mkdtemp(prefix="solr-standin-")
    data = os.path.join(tmp, "index.json")
    cmd = [sys.executable, str(HERE / "solr_standin.py"), "--port", str(port), "--data", data]
    if schema:
        cmd += ["--schema", schema[0]]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    failures = 0

    def check(cond, msg):
        nonlocal failures
        print(("ok   " if cond else "FAIL ") + msg)
        failures += not cond

    try:
        url = f"http://127.0.0.1:{port}/solr/ckan"
        s = pysolr.Solr(url, always_commit=False, timeout=10)
        for _ in range(50):
            try:
                s.ping()
                break
            except pysolr.SolrError:
                time.sleep(0.1)
        s.add(
            [
                doc(1, "air-quality-2024", "Air Quality Monitoring 2024",
                    "Hourly PM2.5 readings from urban stations", ["air", "pm25"], "eco"),
                doc(2, "water-levels", "River Water Levels", "Flooding gauges", ["water"], "eco"),
                doc(3, "secret-data", "Private air data", "Hidden", ["air"], "other", private=True),
                doc(4, "old-deleted", "Deleted air stuff", "gone", [], "eco", state="deleted"),
            ],
            commit=True,
        )  # fmt: skip
        for params, want in CASES:
            p = dict(params)
            r = s.search(p.pop("q"), **p)
            check(r.hits == want, f"{params} -> {r.hits} (want {want})")

        r = s.search("*:*", sort="title_string asc", fl="name", rows=2, start=1)
        check(
            [d["name"] for d in r.docs] == ["old-deleted", "secret-data"], "sort title_string asc"
        )
        r = s.search("*:*", sort="metadata_modified desc", fl="id validated_data_dict,score")
        check(
            [d["id"] for d in r.docs] == ["id4", "id3", "id2", "id1"], "sort metadata_modified desc"
        )
        check(set(r.docs[0]) == {"id", "validated_data_dict", "score"}, "fl with score")
        r = s.search(
            "*:*",
            facet="true",
            **{
                "facet.field": ["tags", "res_format"],
                "facet.mincount": 1,
                "facet.limit": 50,
                "rows": 0,
            },
        )
        check(
            r.facets["facet_fields"]
            == {"tags": ["air", 2, "pm25", 1, "water", 1], "res_format": ["CSV", 4, "JSON", 2]},
            f"facets {r.facets['facet_fields']}",
        )
        try:
            s.search("*:*", sort="name up")
            check(False, "bad sort rejected")
        except pysolr.SolrError as e:
            check("Sort Order" in str(e), "bad sort rejected")
        try:
            s.add([{"index_id": "x"}])
            check(False, "missing required field rejected")
        except pysolr.SolrError:
            check(True, "missing required field rejected")
        s.delete(
            q='+entity_type:package AND +(id:"id2" OR name:"id2") AND +site_id:"hub"', commit=True
        )
        check(s.search("*:*").hits == 3, "delete by query")
        s.delete(id="ix1", commit=True)
        check(s.search("*:*").hits == 2, "delete by id")
        s.add(
            [{"index_id": "ix9", "id": "id9", "site_id": "hub", "name": "b"}],
            boost={"name": 2.0},
            commit=True,
        )
        check(s.search("name:b").hits == 1, "XML add (pysolr with boost)")
        saved = json.loads(Path(data).read_text())
        check(len(saved["docs"]) == 3, "index persisted on commit")
        xml = s._send_request("get", "schema?wt=schema.xml")
        check('name="ckan-2.' in xml, "schema version served")
    finally:
        proc.terminate()
        proc.wait(10)
        shutil.rmtree(tmp, ignore_errors=True)
    print("SELFTEST", "OK" if not failures else f"FAILED ({failures})")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
