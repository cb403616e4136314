"""Long polls on a real `ecohub serve` (PostgreSQL): hundreds of waits starve nothing.

Issue 14, finding 1: ~80 waiting `GET /feeds/observations?wait=30` held every request
thread, and `/health` stopped answering. Here 300 waits are pending at once (the caps are
raised to exactly that, so a refused extra wait proves they all are), and the public
endpoints must still answer. The issue's target is a p99 under 200 ms for `/health` and
`/sites` with 500 pending waits; the test prints the p99 it measured but asserts only that
every request succeeds within a bounded timeout (timings on a shared CI machine vary).
"""

from __future__ import annotations

import asyncio
import os
import statistics
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from connectors.base import CanonicalObservation
from hub.auth.clients import create_client
from hub.db.engine import make_engine, make_session_factory
from hub.feed.longpoll import COUNT_HEADER
from hub.feed.notifier import Notifier
from hub.ingest.pipeline import IngestBatch, ingest
from hub.settings import Settings
from tests.support import postgres
from tests.support.alarms import worker
from tests.support.net import free_port, start_serve

FEED = "/api/v1/feeds/observations"
PUSH = "/api/v1/departments/environment/observations"
PER_CLIENT = 150  # two readers × 150 = the process cap: every slot held
TOTAL = 2 * PER_CLIENT
PROBES = 100  # requests each to /health and /sites while the waits are pending
BOUND = httpx.Timeout(60.0)  # only keeps a broken run from hanging; the longest wait is 30 s


def test_settings_name_the_caps() -> None:
    s = Settings.from_env(
        {
            "HUB_LONGPOLL_MAX_WAITS": "7",
            "HUB_LONGPOLL_MAX_WAITS_PER_CLIENT": "3",
            "HUB_LONGPOLL_RECHECK_SECONDS": "0.5",
        }
    )
    assert (s.longpoll_max_waits, s.longpoll_max_waits_per_client) == (7, 3)
    assert s.longpoll_recheck_seconds == 0.5
    d = Settings()
    assert (d.longpoll_max_waits, d.longpoll_max_waits_per_client) == (200, 10)


def test_a_pulse_from_a_writer_thread_wakes_a_waiting_reader() -> None:
    notifier = Notifier()

    async def main() -> None:
        pulse = notifier.arm()
        threading.Thread(target=notifier.notify, args=("an ingest outcome",)).start()
        await asyncio.wait_for(pulse, timeout=10)  # bound only: it resolves at once
        gone = notifier.arm()
        notifier.disarm(gone)
        assert notifier.waiting == 0  # a reader that gave up leaves nothing behind

    asyncio.run(main())


@pytest.fixture
def settings(settings: Settings) -> Settings:
    # The alarm engine is run by the test itself, step by step (as in tests/alarms).
    return settings.with_(extra={"alarms": {"worker": False}})


@pytest.mark.postgres
def test_an_alarm_feed_wait_is_woken_by_an_acknowledgement(client, auth, db) -> None:
    """In process (the OpenAPI app under the test client): the alarm feed waits the same way."""
    pusher, writer = auth("environment", "observations:write"), auth(None, "alarms:write")
    feed = auth(None, "feed:read")
    hour = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) - timedelta(hours=6)
    r = client.post(PUSH, headers=pusher, json={"observations": [
        {"site": "YJ-SW-01", "parameter": "w21003", "time": hour.isoformat(), "period": "PT0S",
         "value": 1.8, "unit": "mg/L"},
    ]})
    assert r.status_code == 201, r.text
    worker(db).catch_up()
    page = client.get("/api/v1/feeds/alarms", headers=feed).json()
    [opened] = page["items"]

    def acknowledge() -> None:
        r = client.post(f"/api/v1/alarms/{opened['alarm_id']}/acknowledge", headers=writer, json={})
        assert r.status_code == 200, r.text

    later = threading.Timer(0.5, acknowledge)  # lands while the request below waits
    later.start()
    r = client.get("/api/v1/feeds/alarms", headers=feed, params={"after": page["next"], "wait": 20})
    later.join()
    assert r.status_code == 200, r.text
    assert [i["type"] for i in r.json()["items"]] == ["acknowledged"]
    assert COUNT_HEADER.lower() not in r.headers


@pytest.fixture(scope="module")
def hub(pg_admin_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """``ecohub serve`` on a database of its own, its caps at PER_CLIENT and TOTAL."""
    with postgres.reference_database(pg_admin_url, prefix="hub_lp") as url:
        engine = make_engine(url)
        sessions = make_session_factory(engine)
        with sessions.begin() as s:
            creds = {
                "a": create_client(s, "reader a", None, ["feed:read"]),
                "b": create_client(s, "reader b", None, ["feed:read"]),
                "c": create_client(s, "reader c", None, ["feed:read"]),
                "pusher": create_client(s, "pusher", "environment", ["observations:write"]),
            }
        port = free_port()
        env = {
            **os.environ,
            "HUB_DATABASE_URL": url,
            "HUB_INSTANCE_PATH": str(tmp_path_factory.mktemp("lp")),
            "HUB_LOG_LEVEL": "WARNING",
            "HUB_LONGPOLL_MAX_WAITS": str(TOTAL),
            "HUB_LONGPOLL_MAX_WAITS_PER_CLIENT": str(PER_CLIENT),
        }
        proc = start_serve(env, port)
        try:
            yield {"port": port, "creds": creds, "sessions": sessions}
        finally:
            proc.terminate()
            proc.wait(timeout=30)
            engine.dispose()


@pytest.mark.postgres
def test_pending_waits_starve_nothing_and_a_push_wakes_them(hub: dict[str, Any]) -> None:
    asyncio.run(_starve_nothing(hub))


@pytest.mark.postgres
def test_a_commit_by_another_process_wakes_waiting_readers(hub: dict[str, Any]) -> None:
    asyncio.run(_other_process(hub))


@pytest.mark.postgres
def test_a_reader_that_hangs_up_frees_its_slots(hub: dict[str, Any]) -> None:
    asyncio.run(_hang_up(hub))


async def _token(http: httpx.AsyncClient, creds: dict[str, Any]) -> dict[str, str]:
    r = await http.post(
        "/oauth/token",
        data={"grant_type": "client_credentials"},
        auth=(creds["client_id"], creds["client_secret"]),
    )
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


async def _until(probe: Any, what: str, timeout: float = 60.0, interval: float = 0.2) -> None:
    """Bounded wait for ``await probe()`` to be true (keeps a broken run from hanging)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not await probe():
        assert loop.time() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(interval)


def _client(port: int) -> httpx.AsyncClient:
    many = httpx.Limits(max_connections=TOTAL + 50, max_keepalive_connections=TOTAL + 50)
    return httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", limits=many, timeout=BOUND)


async def _head(http: httpx.AsyncClient, reader: dict[str, str]) -> str:
    r = await http.get(FEED, headers=reader)
    assert r.status_code == 200, r.text
    return str(r.headers["Feed-Next-Cursor"])


def _wait(http: httpx.AsyncClient, reader: dict[str, str], after: str
          ) -> asyncio.Task[httpx.Response]:
    return asyncio.create_task(http.get(FEED, headers=reader, params={"after": after, "wait": 30}))


async def _all_pending(
    http: httpx.AsyncClient, waits: list[tuple[dict[str, str], asyncio.Task[httpx.Response]]],
    after: str, prober: dict[str, str], status: int,
) -> None:
    """Return once every wait holds a slot: ``prober``'s short wait is refused with ``status``.

    A probe holds a slot for its 10 ms when one is free; a wait arriving just then may be
    refused, and is sent again (as a client would after ``Retry-After``). On a loaded
    machine the first waits may reach their 30 s deadline (an empty page) before the last
    one is in: those are sent again too.
    """

    quiet = [0]  # rounds since a wait was sent again

    async def full() -> bool:
        for i, (reader, task) in enumerate(waits):
            if task.done():
                r = task.result()
                assert r.status_code in (429, 503) or r.json()["items"] == [], r.text
                waits[i] = (reader, _wait(http, reader, after))
                quiet[0] = 0
        quiet[0] += 1
        if quiet[0] < 3:  # let waits sent again take their slots before a probe competes
            return False
        r = await http.get(FEED, headers=prober, params={"after": after, "wait": 0.01})
        return r.status_code == status

    await _until(full, f"{len(waits)} pending waits", timeout=120, interval=0.5)


def _waiting(waits: list[tuple[dict[str, str], asyncio.Task[httpx.Response]]]
             ) -> list[asyncio.Task[httpx.Response]]:
    """The waits still open (on a loaded machine the oldest may have reached their deadline)."""
    open_ = [task for _, task in waits if not task.done()]
    assert open_, "every wait ran to its deadline before the commit"
    return open_


async def _assert_woken(waiting: list[asyncio.Task[httpx.Response]], committed: float,
                        value: float) -> None:
    """Every wait open at the commit answers with the new item.

    An empty page finished before ``committed`` (the commit's response came back) is a wait
    that reached its deadline while the commit was under way, not one left asleep.
    """
    loop = asyncio.get_running_loop()
    finished: dict[asyncio.Task[httpx.Response], float] = {}
    for task in waiting:
        if task.done():
            finished[task] = committed - 1  # done before we looked: before the commit returned
        else:
            task.add_done_callback(lambda t: finished.__setitem__(t, loop.time()))
    replies = await asyncio.gather(*waiting)
    for task, r in zip(waiting, replies, strict=True):
        assert r.status_code == 200, r.text
        assert COUNT_HEADER.lower() not in r.headers  # internal; the response is as before
        if r.json()["items"] == [] and finished[task] < committed:
            continue
        # Woken by the commit, not by the 30 s deadline (that would be an empty page).
        assert [i["value"] for i in r.json()["items"]] == [value]


async def _starve_nothing(hub: dict[str, Any]) -> None:
    creds = hub["creds"]
    async with _client(hub["port"]) as http:
        a, b, c, pusher = [await _token(http, creds[k]) for k in ("a", "b", "c", "pusher")]
        after = await _head(http, a)
        waits = [(reader, _wait(http, reader, after)) for reader in (a, b)
                 for _ in range(PER_CLIENT)]
        # Every slot held: a third client's wait is refused (503, the process cap) ...
        await _all_pending(http, waits, after, c, 503)
        # ... and one more of reader a's own (429, its cap), both with Retry-After.
        for reader, status in ((a, 429), (c, 503)):
            r = await http.get(FEED, headers=reader, params={"after": after, "wait": 30})
            assert r.status_code == status, r.text
            assert r.headers["content-type"] == "application/problem+json"
            assert int(r.headers["Retry-After"]) >= 1

        # With every wait pending, the hub still answers everyone else.
        latencies = []
        for path in ("/api/v1/health", "/api/v1/sites") * PROBES:
            loop = asyncio.get_running_loop()
            began = loop.time()
            r = await http.get(path, timeout=10.0)
            latencies.append(loop.time() - began)
            assert r.status_code == 200, (path, r.text)
        p99 = statistics.quantiles(latencies, n=100)[98]
        print(f"/health and /sites with {TOTAL} pending waits: p99 {p99 * 1000:.0f} ms")

        # One push (in the serving process) wakes all of them with the new item.
        waiting = _waiting(waits)
        r = await http.post(PUSH, headers=pusher, json={"observations": [
            {"site": "YJ-AIR-C01", "parameter": "a34004",
             "time": "2026-11-01T08:00:00+08:00", "value": 42.0},
        ]})
        assert r.status_code == 201, r.text
        await _assert_woken(waiting, asyncio.get_running_loop().time(), 42.0)


async def _other_process(hub: dict[str, Any]) -> None:
    creds = hub["creds"]
    async with _client(hub["port"]) as http:
        a = await _token(http, creds["a"])
        after = await _head(http, a)
        waits = [(a, _wait(http, a, after)) for _ in range(PER_CLIENT)]
        await _all_pending(http, waits, after, a, 429)  # reader a's own cap: all 150 held
        # This test process commits straight to the database: the server hears of it only
        # through its head poll, as it would of another worker or `ecohub hj212 serve`.
        batch = IngestBatch(
            department="environment", client_id="elsewhere", channel="test",
            payload=b"elsewhere", request_hash="elsewhere", received=1,
            observations=[("observations[0]", CanonicalObservation(
                "YJ-AIR-C01", "a34004", datetime(2026, 11, 2, tzinfo=UTC), "PT1H", 7.0))],
        )
        waiting = _waiting(waits)
        out = await asyncio.to_thread(ingest, hub["sessions"], batch, datetime.now(UTC))
        assert out.status == 201
        await _assert_woken(waiting, asyncio.get_running_loop().time(), 7.0)



async def _hang_up(hub: dict[str, Any]) -> None:
    async with _client(hub["port"]) as http:
        b = await _token(http, hub["creds"]["b"])
        after = await _head(http, b)
        waits = [(b, _wait(http, b, after)) for _ in range(PER_CLIENT)]
        await _all_pending(http, waits, after, b, 429)
        for _, task in waits:  # the client goes away: httpx closes each connection
            task.cancel()
        await asyncio.gather(*(task for _, task in waits), return_exceptions=True)

    async with _client(hub["port"]) as http:
        b = await _token(http, hub["creds"]["b"])

        async def slot_free() -> bool:
            r = await http.get(FEED, headers=b, params={"after": after, "wait": 0.01})
            return r.status_code == 200

        # Long before the 30 s deadlines the hung-up waits would have run to.
        await _until(slot_free, "the slots of a reader that hung up", timeout=20)
