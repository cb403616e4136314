"""County → city forwarding between two real hubs over HTTP, through an outage and a crash.

The source is this run's database; the upstream is a second hub (its own database, served
by `ecohub serve` in a subprocess). The forwarder runs as `ecohub forward run`; the test
stops the upstream mid-way, kills the forwarder without warning, brings both back, and
checks that the upstream ends with exactly the source's observations — every revision,
nothing twice.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from connectors.base import CanonicalObservation
from hub.auth.clients import create_client
from hub.db.engine import make_engine, make_session_factory
from hub.ingest.pipeline import IngestBatch, ingest
from hub.reference.sites import register_sites
from tests.support import postgres
from tests.support.net import free_port, start_serve, wait_until

pytestmark = pytest.mark.postgres
BIN = Path(sys.executable).parent
T0 = datetime(2025, 1, 1, tzinfo=UTC)  # 10,000 hours later is still in the past


@pytest.fixture
def upstream_db(pg_admin_url: str) -> Iterator[str]:
    with postgres.reference_database(pg_admin_url, prefix="hub_city") as url:
        yield url


class Server:
    def __init__(self, db_url: str, port: int, instance: Path) -> None:
        self.env = {
            **os.environ,
            "HUB_DATABASE_URL": db_url,
            "HUB_INSTANCE_PATH": str(instance),
            "HUB_LOG_LEVEL": "WARNING",
        }
        self.port = port
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.proc = start_serve(self.env, self.port)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=20)


def _push(sessions, dept: str, site: str, param: str, start: int, n: int, offset: float = 0.0):
    obs = [
        (
            f"observations[{i}]",
            CanonicalObservation(
                site, param, T0 + timedelta(hours=start + i), "PT1H", float(start + i) + offset
            ),
        )
        for i in range(n)
    ]
    out = ingest(
        sessions,
        IngestBatch(
            department=dept,
            client_id="test",
            channel="test",
            payload=f"{site}{start}{offset}".encode(),
            request_hash=f"{site}{start}{offset}",
            received=n,
            observations=obs,
        ),
        datetime.now(UTC),
    )
    assert out.status == 201


def _rows(url: str) -> list[tuple]:
    engine = make_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT s.code, o.parameter_code, o.period_start, o.period, o.value, o.flag, "
                "o.revision, o.is_current FROM observations o JOIN sites s ON s.id = o.site_id "
                "ORDER BY 1, 2, 3, 4, 7"
            )
        ).all()
    engine.dispose()
    return [tuple(r) for r in rows]


def _status(env: dict[str, str]) -> dict:
    import json

    out = subprocess.run(
        [BIN / "ecohub", "forward", "status"], env=env, check=True, capture_output=True, text=True
    ).stdout
    return json.loads(out)


def test_county_forwards_to_city_through_outage_and_crash(pg_url, db, upstream_db, tmp_path):
    sessions = db
    with sessions.begin() as s:
        register_sites(
            s,
            "water",
            [
                {
                    "code": "CTY-RES-01",
                    "name_zh": "县水库",
                    "name_en": "County reservoir",
                    "network": "reservoir",
                    "county": "441721",
                }
            ],
        )
    for k in range(40):  # 8,000 observations in 40 submissions
        _push(sessions, "environment", "YJ-AIR-K01", "a34004", k * 200, 200)
    _push(sessions, "water", "CTY-RES-01", "w21003", 0, 50)
    _push(sessions, "environment", "YJ-AIR-K01", "a34004", 0, 20, offset=0.5)  # revisions

    up_engine = make_engine(upstream_db)
    with make_session_factory(up_engine).begin() as s:
        relay = create_client(s, "Yangxi county hub", None, ["relay:write"])
    up_engine.dispose()
    port = free_port()
    city = Server(upstream_db, port, tmp_path / "city")
    city.start()
    env = {
        **os.environ,
        "HUB_DATABASE_URL": pg_url,
        "HUB_LOG_LEVEL": "WARNING",
        "HUB_UPSTREAM_URL": f"http://127.0.0.1:{port}",
        "HUB_UPSTREAM_CLIENT_ID": relay["client_id"],
        "HUB_UPSTREAM_CLIENT_SECRET": relay["client_secret"],
    }
    cmd = [
        BIN / "ecohub",
        "forward",
        "run",
        "--batch",
        "100",
        "--idle",
        "0.2",
        "--max-backoff",
        "1",
    ]
    fwd = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_until(lambda: _status(env)["forwarded"] >= 1500, 60, "first batches", interval=0.3)
        city.stop()  # the city hub goes down mid-way
        for k in range(40, 50):  # the county keeps accepting data meanwhile
            _push(sessions, "environment", "YJ-AIR-K02", "a34004", k * 200, 200)
        wait_until(
            lambda: (_status(env)["last_error"] or "") != "",
            30,
            "the outage to be noticed",
            interval=0.3,
        )
        stalled = _status(env)
        assert stalled["backlog"] > 0 and stalled["attempts"] >= 1
        fwd.send_signal(signal.SIGKILL)  # and the forwarder crashes
        fwd.wait(timeout=10)

        city.start()
        fwd = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        wait_until(lambda: _status(env)["backlog"] == 0, 120, "the backlog to drain", interval=0.3)
    finally:
        fwd.terminate()
        fwd.wait(timeout=20)
        city.stop()

    source, upstream = _rows(pg_url), _rows(upstream_db)
    assert len(source) == 8000 + 50 + 20 + 2000
    assert upstream == source  # every revision, value, flag and period; nothing twice
    final = _status(env)
    assert final["forwarded"] >= len(source)
