"""The receiver's abuse bookkeeping with a fake clock: lockout window and expiry, bounded tables,
log budgets."""

from __future__ import annotations

from connectors.hj212.guard import Lockout, LogLimit, PeerCount


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_lockout_counts_within_the_window_and_expires() -> None:
    clock = Clock()
    lockout = Lockout(3, window=60, duration=600, clock=clock)
    assert lockout.failed("mn:A", "ip:1") == []
    clock.now += 61  # the first failure left the window
    assert lockout.failed("mn:A", "ip:1") == []
    assert lockout.failed("mn:A", "ip:1") == []
    assert not lockout.locked("mn:A")
    assert lockout.failed("mn:A", "ip:2") == ["mn:A"]  # third within 60 s: locked
    assert lockout.locked("mn:A") and lockout.locked("ip:9", "mn:A")
    assert not lockout.locked("ip:1", "ip:2")
    clock.now += 599
    assert lockout.locked("mn:A")
    clock.now += 1
    assert not lockout.locked("mn:A")


def test_zero_attempts_disables_the_lockout() -> None:
    lockout = Lockout(0, 60, 600, clock=Clock())
    assert [lockout.failed("mn:A") for _ in range(100)][-1] == []
    assert not lockout.locked("mn:A")


def test_lockout_table_is_bounded_and_keeps_locks() -> None:
    clock = Clock()
    lockout = Lockout(1, window=60, duration=600, max_keys=100, clock=clock)
    assert lockout.failed("ip:locked") == ["ip:locked"]
    lockout.attempts = 5
    for i in range(10_000):
        lockout.failed(f"ip:{i}")
    assert len(lockout._keys) <= 100
    assert lockout.locked("ip:locked")


def test_peer_count_caps_per_host() -> None:
    peers = PeerCount(2)
    assert peers.acquire("a") and peers.acquire("a") and not peers.acquire("a")
    assert peers.acquire("b")
    peers.release("a")
    assert peers.acquire("a")
    assert PeerCount(0).acquire("a")  # 0: no cap


def test_log_limit_allows_a_burst_per_interval_and_counts_the_rest() -> None:
    clock = Clock()
    limit = LogLimit(3, 60, clock)
    assert [limit.allow() for _ in range(10)] == [True] * 3 + [False] * 7
    assert limit.take_suppressed() == 7 and limit.take_suppressed() == 0
    assert not limit.allow()
    clock.now += 60
    assert limit.allow()
    assert limit.take_suppressed() == 1
