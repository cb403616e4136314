"""Webhook delivery from the outbox on PostgreSQL: order, retries with backoff, HMAC."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import orjson
import pytest
from sqlalchemy import select

from hub.alarms import subscriptions
from hub.alarms.delivery import CONNECTION_ERROR, HttpSender
from hub.alarms.egress import EgressPolicy
from hub.alarms.signing import verify
from hub.db.alarms import AlarmDelivery, AlarmSubscription
from hub.errors import ValidationFailed
from tests.support.alarms import BOX, Clock, Receiver, alarms, events, push, worker
from tests.support.net import free_port

pytestmark = pytest.mark.postgres
T = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) - timedelta(hours=12)
H = timedelta(hours=1)


def subscribe(db, url="http://receiver.test/hook", **filters) -> dict:
    with db.begin() as s:
        return subscriptions.create_subscription(
            s, BOX, url=url, client_id="hub_enforcer", now=datetime.now(UTC), **filters
        )


def bad(hour: int, value: float = 1.8, site: str = "YJ-SW-01"):
    return (site, "w21003", T + hour * H, "PT0S", value)


def deliveries(db) -> list[AlarmDelivery]:
    with db() as s:
        return list(s.scalars(select(AlarmDelivery).order_by(AlarmDelivery.event_seq)))


def test_signed_json_with_stable_ids(db) -> None:
    sub = subscribe(db)
    receiver, clock = Receiver(), Clock()
    w = worker(db, clock, receiver)
    push(db, [bad(0)])
    w.step()
    [(url, body, headers)] = receiver.calls
    assert url == "http://receiver.test/hook"
    assert headers["Content-Type"] == "application/json"
    assert verify(sub["secret"], body, headers["X-Hub-Signature-256"])
    doc = orjson.loads(body)
    [alarm], [event] = alarms(db), events(db)
    assert doc["alarm"]["id"] == alarm.id and doc["alarm"]["status"] == "open"
    assert doc["alarm"]["site"] == "YJ-SW-01" and doc["alarm"]["county"] == "441702"
    assert doc["event"] == {**doc["event"], "id": event.id, "seq": 1, "type": "opened"}
    assert headers["X-Hub-Event-Id"] == event.id and headers["X-Hub-Event-Seq"] == "1"
    assert [d.status for d in deliveries(db)] == ["delivered"]
    # The secret is stored encrypted, never as given.
    with db() as s:
        stored = s.scalar(select(AlarmSubscription.secret_encrypted))
    assert stored and sub["secret"] not in stored and BOX.open(stored) == sub["secret"]


def test_retries_back_off_and_later_events_wait_in_order(db) -> None:
    subscribe(db)
    receiver = Receiver(script=[500, ConnectionError("receiver down"), 503])
    clock = Clock()
    w = worker(db, clock, receiver, backoff_base_seconds=1.0, backoff_cap_seconds=4.0)
    push(db, [bad(0)])
    push(db, [bad(1, 2.5)])
    w.catch_up()
    assert [e.type for e in events(db)] == ["opened", "extended"]

    attempts_at = []
    for _ in range(12):  # 12 s of simulated time, a pass every second
        before = len(receiver.calls)
        w.deliverer.run_pass()
        if len(receiver.calls) > before:
            attempts_at.append(clock.now)
        clock.advance(1)
    start = attempts_at[0]
    # Failures at +0, +1 (after 1 s), +3 (after 2 s); then +7 (after 4 s) succeeds for both.
    assert [(t - start).total_seconds() for t in attempts_at] == [0, 1, 3, 7]
    seqs = [orjson.loads(body)["event"]["seq"] for _, body, _ in receiver.calls]
    assert seqs == [1, 1, 1, 1, 2]  # the second event never overtook the first
    [first, second] = deliveries(db)
    assert (first.status, first.attempts, first.last_status) == ("delivered", 4, 200)
    assert (second.status, second.attempts) == ("delivered", 1)


def test_filters_choose_the_subscriptions(db) -> None:
    subscribe(db, url="http://a.test/", counties=["441781"])  # Yangchun only
    subscribe(db, url="http://b.test/", kinds=["device"])
    subscribe(db, url="http://c.test/", kinds=["exceedance"], counties=["441702"])
    receiver = Receiver()
    w = worker(db, sender=receiver)
    push(db, [bad(0, site="YJ-SW-01"), bad(0, site="YJ-SW-02")])  # Jiangcheng, Yangchun
    w.step()
    got = sorted((url, orjson.loads(body)["alarm"]["site"]) for url, body, _ in receiver.calls)
    assert got == [("http://a.test/", "YJ-SW-02"), ("http://c.test/", "YJ-SW-01")]


def test_a_leased_subscription_is_left_to_its_worker(db) -> None:
    sub = subscribe(db)
    receiver, clock = Receiver(), Clock()
    w = worker(db, clock, receiver)
    push(db, [bad(0)])
    w.catch_up()
    with db.begin() as s:
        row = s.get(AlarmSubscription, sub["id"])
        row.lease_owner, row.lease_until = "another-host:1", clock.now + timedelta(seconds=30)
    w.deliverer.run_pass()
    assert receiver.calls == []
    clock.advance(31)  # that worker died: its lease runs out
    w.deliverer.run_pass()
    assert len(receiver.calls) == 1


def test_deleting_a_subscription_drops_what_it_was_owed(db) -> None:
    sub = subscribe(db)
    w = worker(db, sender=Receiver(script=[500]))
    push(db, [bad(0)])
    w.step()
    assert len(deliveries(db)) == 1
    with db.begin() as s:
        subscriptions.delete_subscription(s, sub["id"], "hub_enforcer", admin=False)
    assert deliveries(db) == []


class _Listener:
    """A real HTTP receiver on 127.0.0.1 that records the Host header of every request."""

    def __init__(self) -> None:
        hosts: list[str] = []
        self.hosts = hosts

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                hosts.append(self.headers["Host"])
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                return None

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def listener() -> Iterator[_Listener]:
    got = _Listener()
    yield got
    got.close()


def _real_worker(db, allow: str = "") -> tuple[Any, HttpSender]:
    sender = HttpSender(5.0, EgressPolicy.parse(allow))
    return worker(db, Clock(), sender, webhook_allow=allow), sender


def test_a_name_resolving_to_loopback_is_refused_at_delivery(db, listener) -> None:
    # `localhost` stands in for a rebinding name: public when registered, loopback later.
    sub = subscribe(db, url=f"http://localhost:{listener.port}/hook")
    w, sender = _real_worker(db)
    try:
        push(db, [bad(0)])
        w.step()
    finally:
        sender.close()
    assert listener.hosts == []  # nothing reached the loopback receiver
    [d] = deliveries(db)
    assert (d.status, d.last_status, d.last_error) == ("pending", None, CONNECTION_ERROR)
    with db() as s:
        [doc] = subscriptions.list_subscriptions(s, "hub_enforcer", admin=False)["results"]
    assert doc["id"] == sub["id"] and doc["last_error"] == "delivery failed: connection error"


def test_allowed_targets_get_the_request_at_the_checked_address_under_their_name(
    db, listener
) -> None:
    subscribe(db, url=f"http://localhost:{listener.port}/hook")
    w, sender = _real_worker(db, allow="127.0.0.0/8, ::1")
    try:
        push(db, [bad(0)])
        w.step()
    finally:
        sender.close()
    assert listener.hosts == [f"localhost:{listener.port}"]
    assert [d.status for d in deliveries(db)] == ["delivered"]


@pytest.mark.parametrize("case", ["nothing listens", "refused by the policy"])
def test_last_error_does_not_tell_a_refused_target_from_a_closed_port(db, listener, case) -> None:
    if case == "nothing listens":  # allowed, but the connection is refused
        url, allow = f"http://127.0.0.1:{free_port()}/", "127.0.0.1"
    else:
        url, allow = f"http://localhost:{listener.port}/", ""
    subscribe(db, url=url, egress=EgressPolicy.parse(allow))
    w, sender = _real_worker(db, allow=allow)
    try:
        push(db, [bad(0)])
        w.step()
    finally:
        sender.close()
    assert [d.last_error for d in deliveries(db)] == [CONNECTION_ERROR]
    assert listener.hosts == []


def test_a_failing_receiver_is_reported_by_its_status_only(db) -> None:
    subscribe(db)
    w = worker(db, sender=Receiver(script=[500]))
    push(db, [bad(0)])
    w.step()
    assert [d.last_error for d in deliveries(db)] == ["HTTP 500"]


def test_literal_internal_addresses_are_refused_at_subscription(db) -> None:
    for url in (
        "http://169.254.169.254/latest/meta-data/",
        "http://127.0.0.1:5432/",
        "http://10.0.0.1/",
        "http://2130706433:8080/",
        "http://[::1]/",
        "http://[::ffff:127.0.0.1]/",
    ):
        with pytest.raises(ValidationFailed) as err:
            subscribe(db, url=url)
        assert [e.path for e in err.value.errors] == ["body.url"], url
    # The operator's allow-list lets the named ones through.
    allowed = subscribe(db, url="http://10.0.0.1/", egress=EgressPolicy.parse("10.0.0.0/8"))
    assert allowed["url"] == "http://10.0.0.1/"
