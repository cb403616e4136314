"""The composition root: each entry point builds only what it runs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from hub.bootstrap import bootstrap, hj212_hub, web_hub
from hub.db.records import Observation
from hub.db.reference import Site
from hub.hj212.devices import add_device
from hub.settings import Settings
from tests.support.hj212 import AIR_SITE, MN_AIR, PW_AIR

pytestmark = pytest.mark.postgres
ROOT = Path(__file__).resolve().parents[2]

# Runs the receiver the way `ecohub hj212 serve` does (the `ecohub` command's imports, then
# run_serve), sends one hourly packet, and reports what the process holds after the ack.
SERVE = r"""
import asyncio, json, sys, threading

from hub.cli import main  # everything the `ecohub` command imports
from hub.hj212.cli import run_serve
from hub.settings import Settings
from tests.support.hj212 import frame, hj, recent_hour, segment

REPORT = {}


async def one_packet(service):
    reader, writer = await asyncio.open_connection("127.0.0.1", service.port)
    cp = f"DataTime={hj(recent_hour(3))};a34004-Avg=35;a21026-Avg=-50"
    writer.write(frame(segment("2061", cp, qn="20261101100000001")))
    await writer.drain()
    REPORT["ack"] = (await reader.readuntil(b"\r\n")).decode()
    writer.close()
    REPORT["modules"] = sorted(
        m for m in sys.modules if m.split(".")[0] in {"flask", "connexion", "starlette"}
    )
    REPORT["threads"] = sorted(t.name for t in threading.enumerate())
    service.stop_threadsafe()


def ready(service):
    REPORT["task"] = asyncio.get_running_loop().create_task(one_packet(service))


asyncio.run(run_serve(Settings.from_env(), port=0, ready=ready))
REPORT.pop("task")
print(json.dumps(REPORT))
"""


def _threads() -> set[str]:
    return {t.name for t in threading.enumerate()}


def test_hj212_serve_runs_without_the_web_stack_and_only_its_own_threads(
    db: sessionmaker[Session], settings: Settings
) -> None:
    with db.begin() as s:
        add_device(s, mn=MN_AIR, site=AIR_SITE, password=PW_AIR)
    env = {
        **os.environ,
        "HUB_DATABASE_URL": settings.database_url,
        "HUB_INSTANCE_PATH": str(settings.instance_path),
        "HUB_TOKEN_SIGNING_KEY": settings.token_signing_key,
        "HUB_LOG_LEVEL": "WARNING",
    }
    run = subprocess.run(
        [sys.executable, "-c", SERVE], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=120, check=False,
    )
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout.strip().splitlines()[-1])
    assert "CN=9014" in report["ack"]
    assert report["modules"] == []
    # The main thread and the receiver's database workers; no token-revocation poller, no
    # alarm worker.
    others = [n for n in report["threads"] if n != "MainThread" and not n.startswith("hj212-db")]
    assert others == []
    # The packet went through the same QC as a REST push: the negative SO2 is stored, flagged.
    with db() as s:
        rows = s.execute(
            select(Observation.parameter_code, Observation.qc_status)
            .join(Site, Site.id == Observation.site_id)
            .where(Site.code == AIR_SITE)
        ).all()
    status = dict(rows)
    assert status["a34004"] == "passed"
    assert status["a21026"] != "passed"


def test_the_web_hub_runs_the_alarm_worker_and_the_token_poller_until_closed(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("HUB_ALARM_WORKER", raising=False)
    before = _threads()
    ctx = web_hub(settings)
    try:
        assert {"alarm-worker", "revocations"} <= _threads() - before
        assert ctx.alarms is not None and ctx.feed_notifier is not None
        assert ctx.feed_notifier in ctx.ingest.after_commit
    finally:
        ctx.close()
    assert not {"alarm-worker", "revocations"} & _threads()


def test_the_web_hub_leaves_alarms_to_another_process_when_told(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HUB_ALARM_WORKER", "0")
    ctx = web_hub(settings)
    try:
        assert "alarm-worker" not in _threads()
        assert ctx.alarms is not None  # handlers still need its box and notifier
    finally:
        ctx.close()


def test_the_core_and_the_receiver_start_no_thread(settings: Settings) -> None:
    before = _threads()
    for build in (bootstrap, hj212_hub):
        ctx = build(settings)
        try:
            assert _threads() - before == set()
            assert ctx.tokens is None and ctx.alarms is None and ctx.feed_notifier is None
            assert ctx.ingest.after_commit == [ctx.metrics.count_ingest]
        finally:
            ctx.close()
