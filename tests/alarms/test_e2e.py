"""End to end: a pushed exceedance raises one alarm, delivered to a real HTTP receiver.

The hub runs with its background alarm worker (short intervals); the receiver is an
``http.server`` on 127.0.0.1 started by the test, verifying every HMAC signature. It fails
for a while (500s, then not listening at all) and still gets every event, in order.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import orjson
import pytest

from hub import create_app
from hub.alarms.signing import verify
from tests.support.auth import bearer, make_client, token_for
from tests.support.net import wait_until

pytestmark = pytest.mark.postgres
PUSH = "/api/v1/departments/environment/observations"
T0 = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) - timedelta(hours=8)


class Receiver:
    """Records each POST (body, headers, whether the signature verified)."""

    def __init__(self) -> None:
        self.secret = ""
        self.answer = 200
        self.received: list[dict[str, Any]] = []
        self.refused = 0
        self.port = 0
        self._server: HTTPServer | None = None
        self._lock = threading.Lock()

    def start(self) -> None:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                with receiver._lock:
                    if receiver.answer != 200:
                        receiver.refused += 1
                    else:
                        receiver.received.append(
                            {
                                "body": orjson.loads(body),
                                "event_id": self.headers["X-Hub-Event-Id"],
                                "valid": verify(
                                    receiver.secret, body, self.headers["X-Hub-Signature-256"]
                                ),
                            }
                        )
                self.send_response(receiver.answer)
                self.end_headers()

            def log_message(self, *_: Any) -> None:
                pass

        self._server = HTTPServer(("127.0.0.1", self.port), Handler)
        self.port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        assert self._server is not None
        self._server.shutdown()
        self._server.server_close()

    def types(self) -> list[str]:
        with self._lock:
            return [r["body"]["event"]["type"] for r in self.received]


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver()
    r.start()
    yield r
    if r._server is not None:
        r.stop()


@pytest.fixture
def client(settings, db) -> Iterator[Any]:
    fast = {
        "worker": True,
        "poll_seconds": 0.1,
        "backoff_base_seconds": 0.2,
        "backoff_cap_seconds": 0.5,
        "close_after_seconds": 5400,
        "gap_sweep_seconds": 0,
        "falsification_sweep_seconds": 0,
        # The receiver listens on loopback, which webhooks may reach only when allowed.
        "webhook_allow": "127.0.0.1",
    }
    app = create_app(settings.with_(extra={"alarms": fast}))
    with app.test_client() as c:
        yield c
    app.app.extensions["hub"].close()


def _auth(client, db, department: str | None, *scopes: str) -> dict[str, str]:
    return bearer(token_for(client, make_client(db, department, *scopes)))


def test_exceedance_alarm_delivered_through_an_outage_and_closed(client, db, receiver) -> None:
    pusher = _auth(client, db, "environment", "observations:write")
    enforcer = _auth(client, db, None, "alarms:write", "alarms:read")

    r = client.post(
        "/api/v1/alarm-subscriptions",
        headers=enforcer,
        json={"url": f"http://127.0.0.1:{receiver.port}/hook", "counties": ["441702"]},
    )
    assert r.status_code == 201, r.text
    receiver.secret = r.json()["secret"]
    sub_id = r.json()["id"]

    def push(hours: int, value: float) -> None:
        obs = {
            "site": "YJ-SW-01",
            "parameter": "w21003",
            "period": "PT0S",
            "unit": "mg/L",
            "time": (T0 + timedelta(hours=hours)).isoformat(),
            "value": value,
        }
        resp = client.post(PUSH, headers=pusher, json={"observations": [obs]})
        assert resp.status_code == 201, resp.text

    def alarms() -> list[dict[str, Any]]:
        return client.get("/api/v1/alarms", headers=enforcer).json()["results"]

    # NH3-N 1.8 mg/L at a class III section is class V: one alarm, delivered and signed.
    push(0, 1.8)
    wait_until(lambda: receiver.types() == ["opened"])
    [alarm] = alarms()
    first = receiver.received[0]
    assert first["valid"] and first["body"]["alarm"]["id"] == alarm["id"]
    assert alarm["site"] == "YJ-SW-01" and alarm["target"] == "GB 3838 class III"

    # A second bad sample extends it: no new alarm.
    push(1, 2.2)
    wait_until(lambda: receiver.types() == ["opened", "extended"])
    assert [a["id"] for a in alarms()] == [alarm["id"]]

    # The receiver fails (500), then is not listening at all.
    receiver.answer = 500
    r = client.post(
        f"/api/v1/alarms/{alarm['id']}/acknowledge",
        headers=enforcer,
        json={"note": "inspectors sent"},
    )
    assert r.status_code == 200
    wait_until(lambda: receiver.refused >= 2)
    receiver.stop()
    push(2, 0.5)  # within limits, but only 1 h after the last bad sample (close after 1.5 h)
    push(3, 0.4)  # 2 h after: the alarm closes
    wait_until(lambda: alarms()[0]["status"] == "closed")
    subs = client.get("/api/v1/alarm-subscriptions", headers=enforcer).json()["results"]
    wait_until(
        lambda: client.get("/api/v1/alarm-subscriptions", headers=enforcer).json()["results"][0][
            "last_error"
        ]
    )
    assert subs[0]["id"] == sub_id and subs[0]["pending"] == 2  # acknowledged, closed
    time.sleep(1.0)  # retries keep failing against the closed port
    assert receiver.types() == ["opened", "extended"]

    # Back up: everything owed arrives, in order, once each, signed.
    receiver.answer = 200
    receiver.start()
    wait_until(lambda: len(receiver.received) == 4)
    assert receiver.types() == ["opened", "extended", "acknowledged", "closed"]
    assert all(r["valid"] for r in receiver.received)
    bodies = [r["body"] for r in receiver.received]
    assert {b["alarm"]["id"] for b in bodies} == {alarm["id"]}
    assert [b["event"]["seq"] for b in bodies] == [1, 2, 3, 4]
    assert [r["event_id"] for r in receiver.received] == [b["event"]["id"] for b in bodies]
    assert bodies[-1]["alarm"]["status"] == "closed"
    assert bodies[2]["alarm"]["acknowledged_by"] == bodies[3]["alarm"]["acknowledged_by"]
    assert len(alarms()) == 1
    feed = client.get("/api/v1/feeds/alarms", headers=enforcer).json()
    assert [i["id"] for i in feed["items"]] == [r["event_id"] for r in receiver.received]
    wait_until(
        lambda: (
            client.get("/api/v1/alarm-subscriptions", headers=enforcer).json()["results"][0][
                "pending"
            ]
            == 0
        )
    )

    # The figures on /metrics.
    def metric(name: str) -> float:
        for line in client.get("/metrics").text.splitlines():
            if line.startswith(name + " "):
                return float(line.rsplit(" ", 1)[1])
        return -1.0

    assert metric('hub_alarms_opened_total{kind="exceedance"}') == 1.0
    assert metric('hub_alarms_closed_total{kind="exceedance"}') == 1.0
    assert metric('hub_alarm_deliveries_total{outcome="delivered"}') == 4.0
    assert metric('hub_alarm_deliveries_total{outcome="failed"}') >= 2.0
    wait_until(lambda: metric("hub_alarm_outbox_backlog") == 0.0)
