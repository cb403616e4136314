"""The rate limiter (hub.ratelimit) on its two storages: memory and Redis."""

from __future__ import annotations

import uuid

import pytest

from hub.ratelimit import Limit, RateLimiter
from hub.settings import Settings
from tests.support.net import free_port

REDIS = "redis://127.0.0.1:6379/15"


def _limit(rate: str = "2/minute") -> Limit:
    return Limit(f"test-{uuid.uuid4().hex}", rate)  # fresh keys on a shared Redis


@pytest.mark.parametrize("storage", ["memory://", REDIS])
def test_hits_beyond_the_rate_are_refused_per_key(storage: str) -> None:
    limiter, limit = RateLimiter(storage), _limit()
    assert [limiter.hit(limit, "a").allowed for _ in range(3)] == [True, True, False]
    refused = limiter.hit(limit, "a")
    assert not refused.allowed and 1 <= refused.retry_after <= 60
    assert limiter.hit(limit, "b").allowed  # another key has its own budget
    assert limiter.hit(_limit(), "a").allowed  # and so has another limit
    limiter.clear(limit, "a")
    assert limiter.hit(limit, "a").allowed


def test_redis_storage_is_shared_between_limiters() -> None:
    limit = _limit("1/minute")
    assert RateLimiter(REDIS).hit(limit, "k").allowed
    assert not RateLimiter(REDIS).hit(limit, "k").allowed  # another worker sees the count


def test_an_unreachable_storage_lets_requests_through() -> None:
    limiter, limit = RateLimiter(f"redis://127.0.0.1:{free_port()}/0"), _limit("1/minute")
    assert limiter.hit(limit, "k").allowed and limiter.hit(limit, "k").allowed


def test_settings_and_bad_rates() -> None:
    defaults = Settings()
    assert (defaults.rate_limit_storage, defaults.token_rate, defaults.token_client_rate) == (
        "memory://",
        "30/minute",
        "10/minute",
    )
    env = {
        "HUB_RATE_LIMIT_STORAGE": REDIS,
        "HUB_TOKEN_RATE": "5/second",
        "HUB_TOKEN_CLIENT_RATE": "1/hour",
    }
    got = Settings.from_env(env)
    assert (got.rate_limit_storage, got.token_rate, got.token_client_rate) == (
        REDIS,
        "5/second",
        "1/hour",
    )
    assert RateLimiter.from_settings(got).storage_uri == REDIS
    with pytest.raises(ValueError):
        Limit("x", "lots")
