"""``ecohub forward run|status``: push everything accepted to the upstream hub."""

from __future__ import annotations

import json
import signal
import sys
import time
from datetime import UTC, datetime
from typing import Any

import click
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from hub.bootstrap import open_hub
from hub.db.feeds import ForwardOutbox
from hub.feed.forward import fill_outbox, send_next, status
from hub.feed.upstream import UpstreamClient
from hub.logs import configure_logging
from hub.settings import Settings

# Cut new batches only while the outbox is short: a long outage must not copy the whole
# feed into it.
MAX_OUTBOX_BATCHES = 20


def _target(settings: Settings) -> str:
    if not settings.upstream_url:
        click.echo(
            "error: set HUB_UPSTREAM_URL (and HUB_UPSTREAM_CLIENT_ID / HUB_UPSTREAM_CLIENT_SECRET)",
            err=True,
        )
        sys.exit(2)
    return settings.upstream_url.rstrip("/")


@click.group()
def forward() -> None:
    """Forward accepted observations to the upstream hub (county → city → province)."""


@forward.command("run")
@click.option("--batch", default=1000, show_default=True, type=click.IntRange(1, 10000))
@click.option("--once", is_flag=True, help="Stop when everything is forwarded.")
@click.option("--idle", default=2.0, show_default=True, help="Seconds between idle polls.")
@click.option(
    "--max-backoff", default=300.0, show_default=True, help="Longest wait between retries, seconds."
)
def run(batch: int, once: bool, idle: float, max_backoff: float) -> None:
    """Run the forwarder until stopped (SIGTERM/SIGINT finish the current batch)."""
    with open_hub() as ctx:
        settings = ctx.settings
        configure_logging(settings.log_level, settings.log_json)
        target = _target(settings)
        client = UpstreamClient(
            target, settings.upstream_client_id, settings.upstream_client_secret
        )
        _forward(ctx.sessions, target, client, batch, once, idle, max_backoff)


def _forward(
    sessions: sessionmaker[Session],
    target: str,
    client: UpstreamClient,
    batch: int,
    once: bool,
    idle: float,
    max_backoff: float,
) -> None:
    stopping = {"now": False}

    def stop(*_: Any) -> None:
        stopping["now"] = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        while not stopping["now"]:
            now = datetime.now(UTC)
            cut = 0
            with sessions.begin() as s:
                queued = (
                    s.scalar(
                        select(func.count())
                        .select_from(ForwardOutbox)
                        .where(ForwardOutbox.target == target)
                    )
                    or 0
                )
                if queued < MAX_OUTBOX_BATCHES:
                    cut = fill_outbox(s, target, batch, now)
            with sessions.begin() as s:
                result = send_next(s, target, client, now, max_backoff)
            if result is None and cut == 0:
                if once and queued == 0:
                    break
                time.sleep(idle)
            elif result is not None and not result.sent:
                time.sleep(min(idle, 1.0))
    finally:
        client.close()


@forward.command("status")
def show_status() -> None:
    """Backlog, counters and the last error."""
    with open_hub() as ctx, ctx.sessions() as s:
        target = _target(ctx.settings)
        click.echo(json.dumps(status(s, target), indent=2, ensure_ascii=False))


COMMANDS = [forward]
