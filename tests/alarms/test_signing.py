"""Webhook signatures, secrets at rest, backoff and alarm settings (no I/O)."""

from __future__ import annotations

from pathlib import Path

import pytest

from hub.alarms.config import AlarmConfig
from hub.alarms.delivery import backoff
from hub.alarms.signing import SecretBox, new_webhook_secret, sign, verify
from hub.settings import Settings


def test_signature_is_hmac_sha256_of_the_body() -> None:
    # RFC 4231 test case 2.
    expected = "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
    assert sign("Jefe", b"what do ya want for nothing?") == expected
    assert verify("Jefe", b"what do ya want for nothing?", expected)
    assert not verify("Jefe", b"what do ya want for nothing!", expected)
    assert not verify("other", b"what do ya want for nothing?", expected)
    assert not verify("Jefe", b"x", "")


def test_secrets_are_sealed_not_stored() -> None:
    box = SecretBox(b"k" * 40)
    secret = new_webhook_secret()
    sealed = box.seal(secret)
    assert secret not in sealed and box.open(sealed) == secret
    assert box.seal(secret) != sealed  # fresh IV every time
    with pytest.raises(ValueError):
        SecretBox(b"another key").open(sealed)


def test_key_comes_from_the_secret_key_else_the_token_key(tmp_path: Path) -> None:
    sealed = SecretBox.for_instance("s3cret", "", tmp_path).seal("x")
    assert SecretBox(b"s3cret").open(sealed) == "x"
    from_token = SecretBox.for_instance("", "token-key", tmp_path).seal("y")
    assert SecretBox(b"token-key").open(from_token) == "y"
    # Neither set: the instance's token signing key file (created once, reused).
    first = SecretBox.for_instance("", "", tmp_path).seal("z")
    assert SecretBox.for_instance("", "", tmp_path).open(first) == "z"


def test_backoff_doubles_and_is_capped() -> None:
    assert [backoff(n, 1.0, 300.0) for n in (1, 2, 3, 4, 9, 10)] == [1, 2, 4, 8, 256, 300]
    assert backoff(0, 0.5, 10) == 0.5 and backoff(30, 0.5, 10) == 10


def test_settings_from_env_and_per_app_overrides() -> None:
    env = {
        "HUB_ALARM_WORKER": "0",
        "HUB_ALARM_CLOSE_AFTER_SECONDS": "900",
        "HUB_ALARM_DEVICE_RUN": "5",
        "HUB_SECRET_KEY": "k",
    }
    config = AlarmConfig.from_env(env)
    assert config.worker is False and config.close_after_seconds == 900.0
    assert config.device_run == 5 and config.secret_key == "k"
    assert AlarmConfig.from_env({}).close_after.total_seconds() == 7200
    settings = Settings(extra={"alarms": {"poll_seconds": 0.1, "worker": True}})
    merged = AlarmConfig.for_settings(settings, env)
    assert merged.poll_seconds == 0.1 and merged.worker is True and merged.device_run == 5
