"""``ecohub devices …`` (HJ 212 data loggers) and ``ecohub hj212 serve|backfill|requests``."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import re
import signal
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import click
from sqlalchemy.orm import Session

from hub.settings import Settings

if TYPE_CHECKING:
    from connectors.hj212 import ServerConfig
    from hub.hj212.backfill import BackfillConfig
    from hub.hj212.runtime import Hj212Service

log = logging.getLogger("hub.hj212")


def _echo_json(doc: Any) -> None:
    click.echo(json.dumps(doc, ensure_ascii=False, indent=2, default=str))


def _pairs(values: tuple[str, ...], what: str) -> dict[str, str]:
    """``CODE=VALUE`` options -> dict (an empty VALUE removes the entry on update)."""
    out = {}
    for item in values:
        code, sep, value = item.partition("=")
        if not sep or not code.strip():
            raise click.BadParameter(f"expected CODE={what}, got {item!r}")
        out[code.strip()] = value.strip()
    return out


def _time(text: str) -> datetime:
    """ISO 8601 with an offset, a local date, or an HJ 212 time (YYYYMMDDhhmmss, UTC+8)."""
    from connectors.hj212 import parse_hj_time
    from hub.timeutil import parse_instant

    try:
        if re.fullmatch(r"\d{14}", text.strip()):
            return parse_hj_time(text.strip())
        return parse_instant(text)
    except Exception as exc:
        raise click.BadParameter(str(exc)) from exc


@contextlib.contextmanager
def _transaction() -> Iterator[Session]:
    """A transaction on the configured database; hub errors end the command with exit 2."""
    from hub.bootstrap import open_hub
    from hub.errors import HubError

    with open_hub() as ctx:
        try:
            with ctx.sessions.begin() as session:
                yield session
        except HubError as exc:
            click.echo(f"error: {exc.detail}", err=True)
            sys.exit(2)


@click.group()
def devices() -> None:
    """HJ 212 data loggers: which MN sends for which site, with which password."""


@devices.command("add")
@click.option("--mn", required=True, help="The logger's MN (14 or 24 characters).")
@click.option("--site", required=True, help="Site code the logger measures.")
@click.option(
    "--password",
    required=True,
    prompt=True,
    hide_input=True,
    help="The logger's PW (prompted for when omitted).",
)
@click.option(
    "--factor",
    "factors",
    multiple=True,
    metavar="CODE=PARAM",
    help="Factor code -> hub parameter, where they differ. Repeatable.",
)
@click.option(
    "--unit",
    "units",
    multiple=True,
    metavar="CODE=UNIT",
    help="Unit the logger really sends a factor in. Repeatable.",
)
@click.option(
    "--minute-interval",
    default=10,
    show_default=True,
    type=int,
    help="Minutes in one 2051 minute-data period.",
)
def devices_add(
    mn: str,
    site: str,
    password: str,
    factors: tuple[str, ...],
    units: tuple[str, ...],
    minute_interval: int,
) -> None:
    """Register a logger (the password is stored only as a salted hash)."""
    from hub.hj212.devices import add_device

    with _transaction() as s:
        doc = add_device(
            s,
            mn=mn,
            site=site,
            password=password,
            factors=_pairs(factors, "PARAM"),
            units=_pairs(units, "UNIT"),
            minute_interval=minute_interval,
        )
    _echo_json(doc)


@devices.command("update")
@click.argument("mn")
@click.option("--site", default=None)
@click.option("--password", default=None, help="A new PW.")
@click.option(
    "--factor",
    "factors",
    multiple=True,
    metavar="CODE=PARAM",
    help="Add or change a mapping; CODE= removes it. Repeatable.",
)
@click.option(
    "--unit",
    "units",
    multiple=True,
    metavar="CODE=UNIT",
    help="Add or change a unit override; CODE= removes it. Repeatable.",
)
@click.option("--minute-interval", default=None, type=int)
@click.option("--enable", is_flag=True, help="Accept a disabled logger again.")
def devices_update(
    mn: str,
    site: str | None,
    password: str | None,
    factors: tuple[str, ...],
    units: tuple[str, ...],
    minute_interval: int | None,
    enable: bool,
) -> None:
    """Change a logger; running servers pick it up within 30 seconds."""
    from hub.hj212.devices import update_device

    with _transaction() as s:
        doc = update_device(
            s,
            mn,
            site=site,
            password=password,
            factors=_pairs(factors, "PARAM"),
            units=_pairs(units, "UNIT"),
            minute_interval=minute_interval,
            enable=enable,
        )
    _echo_json(doc)


@devices.command("list")
def devices_list() -> None:
    """List loggers (never their passwords)."""
    from hub.hj212.devices import list_devices

    with _transaction() as s:
        _echo_json(list_devices(s))


@devices.command("disable")
@click.argument("mn")
def devices_disable(mn: str) -> None:
    """Refuse a logger's packets from now on (within 30 seconds on running servers)."""
    from hub.hj212.devices import disable_device

    with _transaction() as s:
        _echo_json(disable_device(s, mn))


@click.group()
def hj212() -> None:
    """The HJ 212 receiver for online monitoring loggers."""


def server_config(settings: Settings, idle_timeout: float = 600.0) -> ServerConfig:
    """The receiver's limits from settings (``HUB_HJ212_*``)."""
    from connectors.hj212 import ServerConfig

    return ServerConfig(
        idle_timeout=idle_timeout,
        max_connections=settings.hj212_max_connections,
        max_connections_per_ip=settings.hj212_max_connections_per_ip,
        login_deadline=settings.hj212_login_deadline_seconds,
        lockout_attempts=settings.hj212_lockout_attempts,
        lockout_window=settings.hj212_lockout_window_seconds,
        lockout_duration=settings.hj212_lockout_seconds,
        log_burst=settings.hj212_log_burst,
        log_interval=settings.hj212_log_interval_seconds,
    )


async def run_serve(
    settings: Settings,
    *,
    host: str = "127.0.0.1",
    port: int = 9212,
    idle_timeout: float = 600.0,
    metrics_port: int | None = None,
    metrics_host: str = "127.0.0.1",
    backfill: BackfillConfig | None = None,
    registry_ttl: float = 30.0,
    ready: Callable[[Hj212Service], None] | None = None,
) -> None:
    """Run the receiver until cancelled or stopped (``Hj212Service.stop_threadsafe``)."""
    from hub.bootstrap import hj212_hub
    from hub.hj212.metrics import start_metrics_server
    from hub.hj212.runtime import Hj212Service

    # The receiver's own parts only: a packet meets the same ingest pipeline (QC, then the
    # after-commit listeners) as a REST push, without the web app's threads (see hj212_hub).
    ctx = hj212_hub(settings)
    # Registry misses and every ingest run in worker threads: size them to the DB pool.
    workers = max(8, settings.db_pool_size)
    asyncio.get_running_loop().set_default_executor(
        ThreadPoolExecutor(max_workers=workers, thread_name_prefix="hj212-db")
    )
    service = Hj212Service(
        ctx.sessions,
        ctx.ingest,
        backfill=backfill,
        config=server_config(settings, idle_timeout),
        registry_ttl=registry_ttl,
        max_data_age=timedelta(days=settings.hj212_max_data_age_days),
    )
    exporter = None
    try:
        await service.start(host, port)
        if metrics_port is not None:
            exporter = start_metrics_server(
                service.counters, metrics_port, metrics_host, ctx.metrics.registry
            )
        log.info(
            "hj212 receiver started",
            extra={"host": host, "port": service.port, "metrics_port": metrics_port},
        )
        if ready is not None:
            ready(service)
        await service.serve_forever()
    finally:
        await service.close()
        if exporter is not None:
            exporter.shutdown()
        ctx.close()
        log.info("hj212 receiver stopped", extra={"counters": service.counters()})


@hj212.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=9212, show_default=True, type=int)
@click.option(
    "--idle-timeout",
    default=600.0,
    show_default=True,
    type=float,
    help="Seconds without a byte before a connection is closed.",
)
@click.option("--metrics-port", default=None, type=int, help="Serve Prometheus /metrics here.")
@click.option("--metrics-host", default="127.0.0.1", show_default=True)
def hj212_serve(
    host: str, port: int, idle_timeout: float, metrics_port: int | None, metrics_host: str
) -> None:
    """Receive HJ 212 packets over TCP and store them like a REST push."""

    def ready(service: Hj212Service) -> None:
        with contextlib.suppress(NotImplementedError, RuntimeError):
            asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, service.stop_threadsafe)
        click.echo(f"HJ 212 receiver on {host}:{service.port}", err=True)

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(
            run_serve(
                Settings.from_env(),
                host=host,
                port=port,
                idle_timeout=idle_timeout,
                metrics_port=metrics_port,
                metrics_host=metrics_host,
                ready=ready,
            )
        )


@hj212.command("backfill")
@click.option("--mn", required=True)
@click.option(
    "--cn", default="2061", show_default=True, type=click.Choice(["2051", "2061", "2031"])
)
@click.option("--from", "begin", required=True, help="First DataTime (ISO 8601 or YYYYMMDDhhmmss).")
@click.option("--to", "end", required=True, help="Last DataTime, inclusive.")
def hj212_backfill(mn: str, cn: str, begin: str, end: str) -> None:
    """Queue a history request; the serve process sends it when the logger is connected."""
    from hub.hj212.backfill import queue_backfill

    with _transaction() as s:
        _echo_json(queue_backfill(s, mn=mn, cn=cn, begin=_time(begin), end=_time(end)))


@hj212.command("requests")
@click.option("--mn", default=None)
@click.option("--limit", default=50, show_default=True, type=click.IntRange(1, 1000))
def hj212_requests(mn: str | None, limit: int) -> None:
    """Recent history requests and what the loggers answered."""
    from hub.hj212.backfill import list_backfill

    with _transaction() as s:
        _echo_json(list_backfill(s, mn, limit))


COMMANDS = [devices, hj212]
