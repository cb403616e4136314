"""``ecohub hj212 serve``'s code path under abuse, over real TCP with PostgreSQL: out-of-range
DataTimes are answered and not stored, the limits come from ``HUB_HJ212_*`` settings, and the
slow PW hash is verified once per connection (issue 14, findings 4, 5 and 7)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from connectors.hj212 import ServerConfig
from hub.db.records import Observation, Submission
from hub.hj212 import registry as registry_module
from hub.hj212.cli import run_serve, server_config
from hub.hj212.devices import add_device
from hub.settings import Settings
from tests.support.hj212 import (
    AIR_SITE,
    MN_AIR,
    PW_AIR,
    Logger,
    ServeThread,
    frame,
    hj,
    recent_hour,
    segment,
)
from tests.support.net import wait_until

pytestmark = pytest.mark.postgres


@pytest.fixture
def serve(db: sessionmaker[Session]) -> Iterator[Callable[[Settings], Any]]:
    """Start the receiver as ``ecohub hj212 serve`` does, with the given settings."""
    with db.begin() as s:
        add_device(s, mn=MN_AIR, site=AIR_SITE, password=PW_AIR)
    threads: list[ServeThread] = []

    def start(settings: Settings) -> Any:
        def run(ready: Callable[[Any], None]) -> Any:
            return run_serve(settings, host="127.0.0.1", port=0, ready=ready)

        thread = ServeThread(run)
        threads.append(thread)
        return thread.start()

    yield start
    for thread in threads:
        thread.stop()


def _count(db: sessionmaker[Session], model: Any) -> int:
    with db() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


def _minute(data_time: str, qn: str) -> bytes:
    return frame(segment("2051", f"DataTime={data_time};a21026-Avg=0.012,a21026-Flag=N", qn=qn))


def test_out_of_range_datatime_is_acknowledged_and_not_stored(
    serve: Callable[[Settings], Any], settings: Settings, db: sessionmaker[Session]
) -> None:
    service = serve(settings)
    twenty_years_ago = hj(datetime.now(UTC) - timedelta(days=20 * 366))
    with Logger(service.port) as logger:
        for i, data_time in enumerate(("00010101000000", "99991231235959", twenty_years_ago)):
            qn = f"2026110110000000{i}"
            logger.send(_minute(data_time, qn))
            (ack,) = logger.receive()  # the 9014: the logger may stop resending it
            assert (ack.cn, ack.qn) == ("9014", qn)
        assert _count(db, Submission) == 0 and _count(db, Observation) == 0
        logger.send(_minute(hj(recent_hour(2)), "20261101100000009"))
        (ack,) = logger.receive()
        assert ack.qn == "20261101100000009"
    assert _count(db, Submission) == 1 and _count(db, Observation) == 1
    assert service.sink.counters.packets_out_of_range == 3
    assert service.server.counters.sink_errors == 0


def test_receiver_limits_come_from_settings(
    serve: Callable[[Settings], Any], settings: Settings
) -> None:
    env = {
        "HUB_HJ212_MAX_CONNECTIONS": "50",
        "HUB_HJ212_MAX_CONNECTIONS_PER_IP": "2",
        "HUB_HJ212_LOGIN_DEADLINE_SECONDS": "0.5",
        "HUB_HJ212_LOCKOUT_ATTEMPTS": "4",
        "HUB_HJ212_LOCKOUT_WINDOW_SECONDS": "30",
        "HUB_HJ212_LOCKOUT_SECONDS": "60",
        "HUB_HJ212_LOG_BURST": "5",
        "HUB_HJ212_LOG_INTERVAL_SECONDS": "10",
        "HUB_HJ212_MAX_DATA_AGE_DAYS": "30",
    }
    configured = Settings.from_env(env)
    assert server_config(configured, 120) == ServerConfig(
        idle_timeout=120, max_connections=50, max_connections_per_ip=2, login_deadline=0.5,
        lockout_attempts=4, lockout_window=30, lockout_duration=60, log_burst=5, log_interval=10,
    )
    assert server_config(Settings()) == ServerConfig()  # the defaults agree
    service = serve(settings.with_(**{
        name: getattr(configured, name) for name in vars(configured) if name.startswith("hj212_")
    }))
    with Logger(service.port) as first, Logger(service.port) as second:
        with Logger(service.port) as third:
            assert third.closed_by_hub(timeout=5)  # a third from this address: refused
        assert first.closed_by_hub(timeout=5) and second.closed_by_hub(timeout=5)  # no login
    assert service.server.counters.login_timeouts == 2
    with Logger(service.port) as logger:  # 40 days old: beyond HUB_HJ212_MAX_DATA_AGE_DAYS
        logger.send(_minute(hj(datetime.now(UTC) - timedelta(days=40)), "20261101100000001"))
        assert logger.receive()[0].qn == "20261101100000001"
    assert service.sink.counters.packets_out_of_range == 1


def test_the_slow_pw_hash_is_verified_once_per_connection(
    serve: Callable[[Settings], Any], settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    verified: list[str] = []
    real = registry_module.verify_password

    def counting(pw: str, stored: str) -> bool:
        verified.append(stored.split("$", 1)[0])
        return real(pw, stored)

    monkeypatch.setattr(registry_module, "verify_password", counting)
    service = serve(settings)
    t0 = recent_hour(3)
    for connection in range(2):
        with Logger(service.port) as logger:
            for i in range(5):
                qn = f"202611011000{connection}{i:04d}"
                logger.send(_minute(hj(t0 + timedelta(minutes=10 * (5 * connection + i))), qn))
                assert logger.receive()[0].qn == qn
    assert verified == ["scrypt", "scrypt"]  # one KDF per connection, not per packet
    wait_until(lambda: service.server.counters.connections_active == 0, 5)
