"""Alarms through the OpenAPI app: scopes, filters, acknowledge, subscriptions, the feed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import orjson
import pytest

from tests.support.alarms import worker

pytestmark = pytest.mark.postgres
PUSH = "/api/v1/departments/environment/observations"
HOUR = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) - timedelta(hours=6)


@pytest.fixture
def settings(settings):
    # The engine is run by the tests themselves here, step by step.
    return settings.with_(extra={"alarms": {"worker": False}})


@pytest.fixture
def pusher(auth):
    return auth("environment", "observations:write")


@pytest.fixture
def reader(auth):
    return auth(None, "alarms:read")


@pytest.fixture
def writer(auth):
    return auth(None, "alarms:write", "alarms:read")


def _push(client, headers, site, value, hours=0, parameter="w21003"):
    t = (HOUR + timedelta(hours=hours)).isoformat()
    body = {
        "observations": [
            {
                "site": site,
                "parameter": parameter,
                "time": t,
                "period": "PT0S",
                "value": value,
                "unit": "mg/L",
            }
        ]
    }
    r = client.post(PUSH, headers=headers, json=body)
    assert r.status_code == 201, r.text


@pytest.fixture
def two_alarms(client, pusher, db):
    _push(client, pusher, "YJ-SW-01", 1.8)  # Jiangcheng (441702)
    _push(client, pusher, "YJ-SW-02", 2.5)  # Yangchun (441781)
    worker(db).catch_up()


def _get(client, headers, path, **params):
    r = client.get(f"/api/v1{path}", headers=headers, params=params)
    assert r.status_code == 200, r.text
    return r.json()


def test_scopes(client, auth, two_alarms) -> None:
    assert client.get("/api/v1/alarms").status_code == 401
    observations = auth("environment", "observations:read")
    assert client.get("/api/v1/alarms", headers=observations).status_code == 403
    reader = auth(None, "alarms:read")
    [alarm_id] = [a["id"] for a in _get(client, reader, "/alarms", site="YJ-SW-01")["results"]]
    r = client.post(f"/api/v1/alarms/{alarm_id}/acknowledge", headers=reader, json={})
    assert r.status_code == 403
    assert (
        client.post(
            "/api/v1/alarm-subscriptions", headers=reader, json={"url": "http://x.test/"}
        ).status_code
        == 403
    )
    assert client.get("/api/v1/feeds/alarms").status_code == 401
    assert client.get("/api/v1/feeds/alarms", headers=observations).status_code == 403
    assert client.get("/api/v1/feeds/alarms", headers=auth(None, "feed:read")).status_code == 200
    assert client.get("/api/v1/feeds/alarms", headers=reader).status_code == 200


def test_list_and_filters(client, reader, two_alarms) -> None:
    page = _get(client, reader, "/alarms")
    assert page["meta"] == {"page": 1, "limit": 100, "found": 2}
    alarm = page["results"][0]
    assert {
        "id",
        "kind",
        "status",
        "site",
        "county",
        "parameter",
        "start",
        "end",
        "limit",
        "target",
        "opened_at",
        "acknowledged_by",
        "closed_at",
    } <= set(alarm)
    assert _get(client, reader, "/alarms", county="441781")["results"][0]["site"] == "YJ-SW-02"
    assert _get(client, reader, "/alarms", site="YJ-SW-01")["meta"]["found"] == 1
    assert _get(client, reader, "/alarms", kind="exceedance", status="open")["meta"]["found"] == 2
    assert _get(client, reader, "/alarms", kind="device")["meta"]["found"] == 0
    assert _get(client, reader, "/alarms", status="closed")["meta"]["found"] == 0
    later = (HOUR + timedelta(hours=1)).isoformat()
    assert _get(client, reader, "/alarms", **{"from": later})["meta"]["found"] == 0
    assert _get(client, reader, "/alarms", to=later)["meta"]["found"] == 2
    assert _get(client, reader, "/alarms", limit=1)["meta"] == {"page": 1, "limit": 1, "found": 2}
    r = client.get("/api/v1/alarms", headers=reader, params={"kind": "weather"})
    assert r.status_code == 400
    r = client.get("/api/v1/alarms", headers=reader, params={"from": "yesterday"})
    assert r.status_code == 400 and r.json()["errors"][0]["path"] == "query.from"


def test_one_alarm_with_events_and_acknowledge(client, writer, pusher, db, two_alarms) -> None:
    [alarm] = _get(client, writer, "/alarms", site="YJ-SW-01")["results"]
    url = f"/api/v1/alarms/{alarm['id']}/acknowledge"
    r = client.post(url, headers=writer, json={"note": "team on site"})
    assert r.status_code == 200, r.text
    acked = r.json()
    assert acked["status"] == "acknowledged" and acked["ack_note"] == "team on site"
    assert acked["acknowledged_by"].startswith("hub_") and acked["acknowledged_at"]
    assert client.post(url, headers=writer).status_code == 200  # no body; already done
    full = _get(client, writer, f"/alarms/{alarm['id']}")
    assert [e["type"] for e in full["events"]] == ["opened", "acknowledged"]
    # Recovery closes it; acknowledging a closed alarm is a conflict.
    _push(client, pusher, "YJ-SW-01", 0.5, hours=3)
    worker(db).catch_up()
    assert _get(client, writer, f"/alarms/{alarm['id']}")["status"] == "closed"
    r = client.post(url, headers=writer, json={})
    assert r.status_code == 409 and r.headers["content-type"].startswith("application/problem")
    assert client.get("/api/v1/alarms/not-a-uuid", headers=writer).status_code == 404
    missing = "/api/v1/alarms/00000000-0000-0000-0000-000000000000"
    assert client.get(missing, headers=writer).status_code == 404
    assert client.post(f"{missing}/acknowledge", headers=writer, json={}).status_code == 404
    assert client.post(url, headers=writer, json={"who": "me"}).status_code == 400


def test_subscription_crud(client, auth, writer) -> None:
    body = {
        "url": "https://enforcement.test/hook",
        "kinds": ["exceedance"],
        "counties": ["441702"],
        "description": "city enforcement",
    }
    r = client.post("/api/v1/alarm-subscriptions", headers=writer, json=body)
    assert r.status_code == 201, r.text
    created = r.json()
    assert created["secret"].startswith("whsec_") and created["kinds"] == ["exceedance"]
    listed = _get(client, writer, "/alarm-subscriptions")["results"]
    assert [s["id"] for s in listed] == [created["id"]]
    assert "secret" not in listed[0] and listed[0]["pending"] == 0
    # Another client sees none of it, and cannot delete it.
    other = auth(None, "alarms:write")
    assert _get(client, other, "/alarm-subscriptions")["results"] == []
    path = f"/api/v1/alarm-subscriptions/{created['id']}"
    assert client.delete(path, headers=other).status_code == 404
    assert client.delete(path, headers=writer).status_code == 204
    assert client.delete(path, headers=writer).status_code == 404
    assert _get(client, writer, "/alarm-subscriptions")["results"] == []
    for bad in (
        {"url": "ftp://x.test/"},
        {"url": "https://u:p@x.test/"},
        {"url": "https://x.test/", "counties": ["nowhere"]},
    ):
        r = client.post("/api/v1/alarm-subscriptions", headers=writer, json=bad)
        assert r.status_code == 422, r.text
    r = client.post(
        "/api/v1/alarm-subscriptions",
        headers=writer,
        json={"url": "https://x.test/", "kinds": ["weather"]},
    )
    assert r.status_code == 400


def test_subscriptions_to_internal_addresses_are_refused(client, writer) -> None:
    for url in (
        "http://169.254.169.254/latest/meta-data/",
        "http://127.0.0.1:5432/",
        "http://10.0.0.1/",
        "http://2130706433:8080/",
        "http://0x7f.1/",
        "http://[::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://[::1/",  # not even a URL
        "http://x.test:99999/",
    ):
        r = client.post("/api/v1/alarm-subscriptions", headers=writer, json={"url": url})
        assert r.status_code == 422, (url, r.text)
        assert r.headers["Content-Type"] == "application/problem+json"
        assert [e["path"] for e in r.json()["errors"]] == ["body.url"], url
    assert _get(client, writer, "/alarm-subscriptions")["results"] == []


def test_alarm_feed_cursor(client, auth, writer, pusher, db, two_alarms) -> None:
    feed = auth(None, "feed:read")
    first = _get(client, feed, "/feeds/alarms", limit=1)
    assert [i["type"] for i in first["items"]] == ["opened"] and first["count"] == 1
    second = _get(client, feed, "/feeds/alarms", after=first["next"])
    assert len(second["items"]) == 1 and second["items"][0]["seq"] == 2
    empty = _get(client, feed, "/feeds/alarms", after=second["next"])
    assert empty == {"items": [], "next": second["next"], "count": 0}
    alarm_id = second["items"][0]["alarm_id"]
    client.post(f"/api/v1/alarms/{alarm_id}/acknowledge", headers=writer, json={})
    later = _get(client, feed, "/feeds/alarms", after=second["next"])
    [event] = later["items"]
    assert event["type"] == "acknowledged" and event["alarm"]["status"] == "acknowledged"
    r = client.get("/api/v1/feeds/alarms", headers={**feed, "Accept": "application/x-ndjson"})
    lines = [orjson.loads(x) for x in r.content.splitlines()]
    assert [x["seq"] for x in lines] == [1, 2, 3]
    assert r.headers["Feed-Next-Cursor"] == lines[-1]["cursor"]
    yangchun = _get(client, feed, "/feeds/alarms", county="441781")
    assert {i["alarm"]["site"] for i in yangchun["items"]} == {"YJ-SW-02"}
    r = client.get("/api/v1/feeds/alarms", headers=feed, params={"after": "garbage"})
    assert r.status_code == 400 and r.json()["errors"][0]["path"] == "query.after"
