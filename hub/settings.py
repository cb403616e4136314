"""One settings object, read from ``HUB_*`` environment variables.

Every key has a working default: with nothing set, the hub runs on an embedded SQLite
database in the instance folder and needs no other service.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from connectors.base import DEFAULT_BOUNDS
from hub.timeutil import canonical_period, parse_instant

_DEFAULT_INSTANCE = Path(__file__).resolve().parent.parent / "instance"


def _bool(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Settings:
    """Configuration of one hub instance."""

    instance_path: Path = _DEFAULT_INSTANCE
    database_url: str = ""
    log_level: str = "INFO"
    log_json: bool = True
    api_base_path: str = "/api/v1"
    page_limit_max: int = 1000
    page_limit_default: int = 100
    db_pool_size: int = 10
    # Tokens are signed and short-lived so that verifying one needs no database round trip.
    token_ttl_seconds: int = 3600
    token_signing_key: str = ""
    max_push_observations: int = 10_000
    # TLS normally ends at the reverse proxy in front of the hub; set to refuse plain HTTP
    # on the token endpoints when clients reach the hub directly.
    oauth_require_https: bool = False
    # Open-data portal (CKAN) the catalogue publishes to; empty: publishing is off.
    ckan_url: str = ""
    ckan_token: str = ""
    # Upstream hub (the next level up: county → city → province) for `ecohub forward`.
    upstream_url: str = ""
    upstream_client_id: str = ""
    upstream_client_secret: str = ""
    # Public base URL of this hub, for links published elsewhere (CKAN resources, DCAT).
    public_url: str = "http://127.0.0.1:8080"
    extra: Mapping[str, Any] = field(default_factory=dict)
    # Pushes (issue 14): the oldest observation time and the longest period accepted, and
    # how many errors a receipt lists (the rest are counted in errors_omitted).
    push_earliest_time: datetime = DEFAULT_BOUNDS.earliest
    push_max_period: str = DEFAULT_BOUNDS.max_period
    receipt_max_errors: int = 1000
    # Rate limits (hub.ratelimit; /oauth/token): where counts live ("memory://": per worker
    # process; "redis://host:6379/0": shared), and token requests allowed per client IP and
    # per client id. Each wrong secret costs ~80 ms of scrypt, so the token endpoint is limited.
    rate_limit_storage: str = "memory://"
    token_rate: str = "30/minute"
    token_client_rate: str = "10/minute"
    # HJ 212 receiver abuse limits (hub/hj212, connectors/hj212 ServerConfig).
    hj212_max_connections: int = 2000
    hj212_max_connections_per_ip: int = 20
    hj212_login_deadline_seconds: float = 30.0
    hj212_lockout_attempts: int = 10
    hj212_lockout_window_seconds: float = 300.0
    hj212_lockout_seconds: float = 900.0
    hj212_log_burst: int = 20
    hj212_log_interval_seconds: float = 60.0
    hj212_max_data_age_days: int = 3650
    # Bounds (issue 14): a request body larger than this is refused with 413 while it is
    # read, before anything is buffered or parsed; JSON bodies nested deeper are a 400.
    max_body_bytes: int = 16 * 1024 * 1024
    max_json_depth: int = 64
    # Retry-After (seconds) sent with the 503 while the database is unreachable.
    db_retry_after_seconds: int = 5
    # Feed long polls (hub.feed.longpoll): waiting requests allowed per process and per
    # client, and how often other processes' commits are looked for while any wait.
    longpoll_max_waits: int = 200
    longpoll_max_waits_per_client: int = 10
    longpoll_recheck_seconds: float = 1.0

    def __post_init__(self) -> None:
        if not self.database_url:
            db_file = Path(self.instance_path) / "hub.sqlite3"
            object.__setattr__(self, "database_url", f"sqlite:///{db_file}")

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        """Build settings from ``HUB_*`` variables (``os.environ`` by default)."""
        env = os.environ if env is None else env
        kwargs: dict[str, Any] = {}
        if "HUB_INSTANCE_PATH" in env:
            kwargs["instance_path"] = Path(env["HUB_INSTANCE_PATH"])
        simple: dict[str, tuple[str, Callable[[str], Any]]] = {
            "HUB_DATABASE_URL": ("database_url", str),
            "HUB_LOG_LEVEL": ("log_level", str),
            "HUB_DB_POOL_SIZE": ("db_pool_size", int),
            "HUB_TOKEN_TTL_SECONDS": ("token_ttl_seconds", int),
            "HUB_TOKEN_SIGNING_KEY": ("token_signing_key", str),
            "HUB_MAX_PUSH_OBSERVATIONS": ("max_push_observations", int),
            "HUB_CKAN_URL": ("ckan_url", str),
            "HUB_CKAN_TOKEN": ("ckan_token", str),
            "HUB_UPSTREAM_URL": ("upstream_url", str),
            "HUB_UPSTREAM_CLIENT_ID": ("upstream_client_id", str),
            "HUB_UPSTREAM_CLIENT_SECRET": ("upstream_client_secret", str),
            "HUB_PUBLIC_URL": ("public_url", str),
            "HUB_PUSH_EARLIEST_TIME": ("push_earliest_time", parse_instant),
            "HUB_PUSH_MAX_PERIOD": ("push_max_period", canonical_period),
            "HUB_RECEIPT_MAX_ERRORS": ("receipt_max_errors", int),
            "HUB_RATE_LIMIT_STORAGE": ("rate_limit_storage", str),
            "HUB_TOKEN_RATE": ("token_rate", str),
            "HUB_TOKEN_CLIENT_RATE": ("token_client_rate", str),
            "HUB_MAX_BODY_BYTES": ("max_body_bytes", int),
            "HUB_MAX_JSON_DEPTH": ("max_json_depth", int),
            "HUB_DB_RETRY_AFTER_SECONDS": ("db_retry_after_seconds", int),
            "HUB_LONGPOLL_MAX_WAITS": ("longpoll_max_waits", int),
            "HUB_LONGPOLL_MAX_WAITS_PER_CLIENT": ("longpoll_max_waits_per_client", int),
            "HUB_LONGPOLL_RECHECK_SECONDS": ("longpoll_recheck_seconds", float),
        }
        for var, (name, conv) in simple.items():
            if env.get(var):
                kwargs[name] = conv(env[var])
        if "HUB_OAUTH_REQUIRE_HTTPS" in env:
            kwargs["oauth_require_https"] = _bool(env["HUB_OAUTH_REQUIRE_HTTPS"])
        if "HUB_LOG_JSON" in env:
            kwargs["log_json"] = _bool(env["HUB_LOG_JSON"])
        # HJ 212 receiver abuse limits.
        for name, conv in (
            ("hj212_max_connections", int),
            ("hj212_max_connections_per_ip", int),
            ("hj212_login_deadline_seconds", float),
            ("hj212_lockout_attempts", int),
            ("hj212_lockout_window_seconds", float),
            ("hj212_lockout_seconds", float),
            ("hj212_log_burst", int),
            ("hj212_log_interval_seconds", float),
            ("hj212_max_data_age_days", int),
        ):
            if env.get(f"HUB_{name.upper()}"):
                kwargs[name] = conv(env[f"HUB_{name.upper()}"])
        kwargs.update(overrides)
        return cls(**kwargs)

    def with_(self, **changes: Any) -> Settings:
        """A copy with some keys changed (tests and the CLI use it)."""
        return replace(self, **changes)

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")
