"""The provincial platform reads the observation feed."""

import orjson
import pytest

pytestmark = pytest.mark.postgres
URL = "/api/v1/departments/environment/observations"


def _push(client, headers, values, site="YJ-AIR-C01", hour=8):
    obs = (
        [
            {
                "site": site,
                "parameter": "a34004",
                "time": f"2026-11-01T{hour:02d}:00:00+08:00",
                "value": v,
            }
            for v in values
        ]
        if len(values) == 1
        else [
            {
                "site": site,
                "parameter": "a34004",
                "time": f"2026-11-01T{h:02d}:00:00+08:00",
                "value": v,
            }
            for h, v in enumerate(values)
        ]
    )
    r = client.post(URL, headers=headers, json={"observations": obs})
    assert r.status_code == 201, r.text


@pytest.fixture
def pusher(auth):
    return auth("environment", "observations:write")


@pytest.fixture
def province(auth):
    return auth(None, "feed:read")


def _page(client, headers, **params):
    r = client.get("/api/v1/feeds/observations", headers=headers, params=params)
    assert r.status_code == 200, r.text
    return r.json()


def test_feed_needs_the_feed_scope(client, auth) -> None:
    assert client.get("/api/v1/feeds/observations").status_code == 401
    r = client.get("/api/v1/feeds/observations", headers=auth("environment", "observations:write"))
    assert r.status_code == 403


def test_pages_continue_and_an_empty_page_keeps_the_cursor(client, pusher, province) -> None:
    _push(client, pusher, [1.0, 2.0, 3.0])
    first = _page(client, province, limit=2)
    assert [i["value"] for i in first["items"]] == [1.0, 2.0]
    second = _page(client, province, limit=2, after=first["next"])
    assert [i["value"] for i in second["items"]] == [3.0]
    empty = _page(client, province, limit=2, after=second["next"])
    assert empty == {"items": [], "next": second["next"], "count": 0}
    _push(client, pusher, [9.0], hour=20)
    later = _page(client, province, after=second["next"])
    assert [i["value"] for i in later["items"]] == [9.0]


def test_revisions_appear_as_new_items(client, pusher, province) -> None:
    _push(client, pusher, [1.0])
    _push(client, pusher, [1.5])
    items = _page(client, province)["items"]
    assert [(i["value"], i["revision"]) for i in items] == [(1.0, 1), (1.5, 2)]
    item = items[0]
    assert {
        "site",
        "parameter",
        "time",
        "period",
        "value",
        "unit",
        "flag",
        "qc",
        "revision",
        "submission",
    } <= set(item)
    assert item["time"] == "2026-11-01T00:00:00Z" and item["unit"] == "ug/m3"


def test_ndjson(client, pusher, province) -> None:
    _push(client, pusher, [1.0, 2.0])
    r = client.get(
        "/api/v1/feeds/observations", headers={**province, "Accept": "application/x-ndjson"}
    )
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/x-ndjson")
    lines = [orjson.loads(x) for x in r.content.splitlines()]
    assert [x["value"] for x in lines] == [1.0, 2.0]
    nxt = r.headers["Feed-Next-Cursor"]
    assert _page(client, province, after=nxt)["items"] == []
    assert _page(client, province, after=lines[0]["cursor"])["items"][0]["value"] == 2.0


def test_filters_narrow_the_feed_and_skip_ahead(client, pusher, province) -> None:
    _push(client, pusher, [1.0], site="YJ-AIR-C01")
    _push(client, pusher, [2.0], site="YJ-AIR-K01")  # Yangchun
    page = _page(client, province, county="441781")
    assert [i["site"] for i in page["items"]] == ["YJ-AIR-K01"]
    again = _page(client, province, county="441781", after=page["next"])
    assert again["items"] == []
    assert _page(client, province, network="air-city")["items"][0]["site"] == "YJ-AIR-C01"


@pytest.mark.parametrize("after", ["garbage", "eDkuMS4y", "!!!"])
def test_a_bad_cursor_is_400(client, province, after) -> None:
    r = client.get("/api/v1/feeds/observations", headers=province, params={"after": after})
    assert r.status_code == 400
    assert r.json()["errors"][0]["path"] == "query.after"


def test_wait_returns_as_soon_as_data_arrives(client, pusher, province) -> None:
    import threading
    import time

    start = _page(client, province)["next"]

    def later() -> None:
        time.sleep(0.5)
        _push(client, pusher, [7.0])

    t = threading.Thread(target=later)
    t.start()
    began = time.monotonic()
    page = _page(client, province, after=start, wait=10)
    t.join()
    assert [i["value"] for i in page["items"]] == [7.0]
    assert time.monotonic() - began < 5


def test_wait_is_capped(client, province) -> None:
    r = client.get("/api/v1/feeds/observations", headers=province, params={"wait": 31})
    assert r.status_code == 400
