"""Alarm settings: ``HUB_ALARM_*`` environment variables, each with a working default.

Tests and embedding code may override them per app through ``Settings.extra["alarms"]``
(a mapping of field names to values), which keeps one process's apps independent.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from datetime import timedelta
from typing import Any

from hub.alarms.egress import EgressPolicy
from hub.settings import Settings


def _bool(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class AlarmConfig:
    """How the engine evaluates and how the outbox delivers."""

    # Run the engine and the delivery loop inside the web app (one thread per process).
    worker: bool = True
    # Feed items evaluated per transaction.
    batch_size: int = 500
    # Seconds between idle polls of the feed (an ingest in this process wakes it sooner).
    poll_seconds: float = 2.0
    # Compliant data must reach this far past the end of the last offending period
    # before an alarm closes (data time; 2 h = two compliant hours of hourly data).
    close_after_seconds: float = 7200.0
    # A device alarm opens on this many consecutive D/F/B flags.
    device_run: int = 3
    device_flags: str = "DFB"
    # Missing-data alarms follow open DataGap rows; looked at this often.
    gap_sweep_seconds: float = 60.0
    # The falsification detectors run over the last `falsification_window_hours` this often.
    falsification_sweep_seconds: float = 3600.0
    falsification_window_hours: float = 168.0
    # Webhook delivery: timeout per request, exponential backoff base and cap, lease.
    delivery_timeout_seconds: float = 10.0
    backoff_base_seconds: float = 1.0
    backoff_cap_seconds: float = 300.0
    lease_seconds: float = 60.0
    # Key for encrypting subscription secrets at rest; empty: derived from the token key.
    secret_key: str = ""
    # Webhook targets allowed besides public addresses (``HUB_WEBHOOK_ALLOW``): host names
    # and CIDRs, comma-separated. Empty: loopback, private, link-local (cloud metadata),
    # multicast and reserved addresses are refused (see ``hub.alarms.egress``).
    webhook_allow: str = ""

    @property
    def close_after(self) -> timedelta:
        return timedelta(seconds=self.close_after_seconds)

    @property
    def falsification_window(self) -> timedelta:
        return timedelta(hours=self.falsification_window_hours)

    def egress(self) -> EgressPolicy:
        """The webhook egress policy these settings describe."""
        return EgressPolicy.parse(self.webhook_allow)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> AlarmConfig:
        """Read ``HUB_ALARM_<FIELD>`` (upper case) for every field; ``HUB_SECRET_KEY`` and
        ``HUB_WEBHOOK_ALLOW`` too."""
        env = os.environ if env is None else env
        kwargs: dict[str, Any] = {}
        for f in fields(cls):
            raw = env.get(f"HUB_ALARM_{f.name.upper()}")
            if raw is None or raw == "":
                continue
            kwargs[f.name] = _convert(f.type, raw)
        if "secret_key" not in kwargs and env.get("HUB_SECRET_KEY"):
            kwargs["secret_key"] = env["HUB_SECRET_KEY"]
        if "webhook_allow" not in kwargs and env.get("HUB_WEBHOOK_ALLOW"):
            kwargs["webhook_allow"] = env["HUB_WEBHOOK_ALLOW"]
        return cls(**kwargs)

    @classmethod
    def for_settings(cls, settings: Settings, env: Mapping[str, str] | None = None) -> AlarmConfig:
        """Environment first, then the app's ``settings.extra["alarms"]`` overrides."""
        config = cls.from_env(env)
        overrides = settings.extra.get("alarms") if settings.extra else None
        if isinstance(overrides, AlarmConfig):
            return overrides
        if isinstance(overrides, Mapping):
            config = replace(config, **dict(overrides))
        return config


def _convert(kind: Any, raw: str) -> Any:
    name = kind if isinstance(kind, str) else getattr(kind, "__name__", str(kind))
    if name == "bool":
        return _bool(raw)
    if name == "int":
        return int(raw)
    if name == "float":
        return float(raw)
    return raw
