"""Protections of the receiver against abuse: PW lockout, per-IP connection count, log limits.

The receiver listens on the public internet and loggers send their PW in clear, so anyone may
connect and guess. These are plain bookkeeping objects (no I/O, an injectable clock) the server
consults; every limit is a ``ServerConfig`` field.
"""

from __future__ import annotations

import time
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field

Clock = Callable[[], float]


@dataclass
class _Failures:
    times: deque[float] = field(default_factory=deque)
    locked_until: float = 0.0


class Lockout:
    """Refuses an MN or an IP for ``duration`` seconds after ``attempts`` wrong PWs in ``window``.

    Keys are strings the caller chooses (the server uses ``mn:<MN>`` and ``ip:<host>``). While a
    key is locked its packets are refused before the registry is asked, so a guesser pays
    nothing and costs the hub no KDF work either. The table is bounded by ``max_keys``.
    """

    def __init__(self, attempts: int, window: float, duration: float, *,
                 max_keys: int = 10_000, clock: Clock = time.monotonic) -> None:
        self.attempts, self.window, self.duration = attempts, window, duration
        self.max_keys = max_keys
        self._clock = clock
        self._keys: dict[str, _Failures] = {}

    def locked(self, *keys: str) -> bool:
        """True while any of ``keys`` is locked out."""
        now = self._clock()
        return any((f := self._keys.get(k)) is not None and f.locked_until > now for k in keys)

    def failed(self, *keys: str) -> list[str]:
        """Record one wrong attempt for each key; return the keys it just locked."""
        if self.attempts <= 0:
            return []
        now = self._clock()
        newly: list[str] = []
        for key in keys:
            entry = self._keys.get(key)
            if entry is None:
                self._prune(now)
                entry = self._keys[key] = _Failures()
            entry.times.append(now)
            while entry.times and entry.times[0] <= now - self.window:
                entry.times.popleft()
            if len(entry.times) >= self.attempts and entry.locked_until <= now:
                entry.locked_until = now + self.duration
                entry.times.clear()
                newly.append(key)
        return newly

    def _prune(self, now: float) -> None:
        if len(self._keys) < self.max_keys:
            return
        # Keep locks and recent failures; should a flood of keys still fill the table, the
        # oldest unlocked entries go first (a lock is never dropped early).
        self._keys = {k: f for k, f in self._keys.items()
                      if f.locked_until > now or (f.times and f.times[-1] > now - self.window)}
        if len(self._keys) >= self.max_keys:
            unlocked = [k for k, f in self._keys.items() if f.locked_until <= now]
            for key in unlocked[: len(self._keys) - self.max_keys + 1]:
                del self._keys[key]


class PeerCount:
    """Open connections per remote host, for the per-IP cap."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._open: Counter[str] = Counter()

    def acquire(self, host: str) -> bool:
        """Count a new connection from ``host``; False (and not counted) beyond the limit."""
        if self.limit > 0 and self._open[host] >= self.limit:
            return False
        self._open[host] += 1
        return True

    def release(self, host: str) -> None:
        """A connection from ``host`` closed."""
        self._open[host] -= 1
        if self._open[host] <= 0:
            del self._open[host]


class LogLimit:
    """At most ``burst`` lines per ``interval`` seconds; the rest are only counted.

    The caller logs a line when ``allow()`` says so, and then (or when the connection ends)
    logs the count from ``take_suppressed()`` once, so nothing disappears without a trace.
    """

    def __init__(self, burst: int, interval: float, clock: Clock = time.monotonic) -> None:
        self.burst, self.interval = burst, interval
        self._clock = clock
        self._start = clock()
        self._logged = 0
        self.suppressed = 0

    def allow(self) -> bool:
        """True when this line may be logged; else it is counted as suppressed."""
        now = self._clock()
        if now - self._start >= self.interval:
            self._start, self._logged = now, 0
        if self._logged < self.burst:
            self._logged += 1
            return True
        self.suppressed += 1
        return False

    def take_suppressed(self) -> int:
        """How many lines were suppressed since the last call."""
        count, self.suppressed = self.suppressed, 0
        return count
