"""Rate limits: at most N requests per key in a moving window, for any feature that needs one.

Backed by the ``limits`` package. Counts live in this process's memory by default (each
worker counts on its own: N per worker); ``HUB_RATE_LIMIT_STORAGE=redis://host:6379/0``
shares them between workers and hosts.

Use::

    limiter = RateLimiter.from_settings(settings)
    per_ip = Limit("token-ip", settings.token_rate)          # "30/minute"
    decision = limiter.hit(per_ip, client_ip)
    if not decision.allowed:
        ...  # answer 429 with Retry-After: decision.retry_after
"""

from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass, field

from limits import RateLimitItem, parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

from hub.settings import Settings

log = logging.getLogger("hub.ratelimit")


@dataclass(frozen=True)
class Limit:
    """One named limit: at most ``rate`` hits per key (``"30/minute"``, ``"5 per second"``).

    The name keeps keys of different limits apart (an IP and a client id may be equal
    strings); a bad rate raises ``ValueError`` when the limit is made, at start-up.
    """

    name: str
    rate: str
    item: RateLimitItem = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "item", parse(self.rate))


@dataclass(frozen=True)
class Decision:
    """Whether a hit was allowed; if not, whole seconds until one would be."""

    allowed: bool
    retry_after: int = 0


class RateLimiter:
    """Counts hits per (limit, key) in one storage (memory, or Redis for many workers)."""

    def __init__(self, storage_uri: str = "memory://") -> None:
        self.storage_uri = storage_uri
        self._storage = storage_from_string(storage_uri)
        self._strategy = MovingWindowRateLimiter(self._storage)

    @classmethod
    def from_settings(cls, settings: Settings) -> RateLimiter:
        """The limiter ``HUB_RATE_LIMIT_STORAGE`` names."""
        return cls(settings.rate_limit_storage)

    def hit(self, limit: Limit, key: str) -> Decision:
        """Count one request for ``key``; refused once the window already holds the limit.

        A storage that cannot be reached (Redis down) lets the request through and logs:
        a limit protects the hub, it must not become the thing that takes it down.
        """
        try:
            if self._strategy.hit(limit.item, limit.name, key):
                return Decision(True)
            stats = self._strategy.get_window_stats(limit.item, limit.name, key)
        except Exception:
            log.warning("rate limit storage failed; request let through", exc_info=True)
            return Decision(True)
        return Decision(False, max(1, math.ceil(stats.reset_time - time.time())))

    def clear(self, limit: Limit, key: str) -> None:
        """Forget the hits counted for ``key`` (an operator unlocking a client, tests)."""
        self._strategy.clear(limit.item, limit.name, key)
