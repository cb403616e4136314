"""``ecohub alarms run|list|status|limits``: the alarm worker and its configuration."""

from __future__ import annotations

import json
import signal
import sys
from datetime import UTC, datetime
from typing import Any

import click
from sqlalchemy import select

from hub.alarms import limits as limit_svc
from hub.alarms.delivery import backlog
from hub.alarms.service import AlarmQuery, list_alarms
from hub.alarms.worker import ENGINE, AlarmWorker
from hub.bootstrap import alarm_worker, bootstrap, open_hub
from hub.db.alarms import AlarmEngineState
from hub.errors import HubError
from hub.logs import configure_logging
from hub.paging import PageRequest


def _echo(doc: Any) -> None:
    click.echo(json.dumps(doc, ensure_ascii=False, indent=2, default=str))


@click.group()
def alarms() -> None:
    """Alarms and early warning."""


@alarms.command("run")
@click.option("--once", is_flag=True, help="Catch up, deliver what is due, and stop.")
def run(once: bool) -> None:
    """Evaluate the observation feed and deliver webhooks until stopped (SIGTERM/SIGINT).

    Safe to run beside web workers that also run the alarm thread: one engine advances
    the cursor at a time. Settings: HUB_ALARM_* (see the README).
    """
    ctx = bootstrap()
    configure_logging(ctx.settings.log_level, ctx.settings.log_json)
    worker = alarm_worker(ctx)
    try:
        _run(worker, once)
    finally:
        ctx.close()  # stops the worker (finishing its round) and releases connections


def _run(worker: AlarmWorker, once: bool) -> None:
    if once:
        worker.step()
        return

    def stop(*_: Any) -> None:
        worker.request_stop()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    worker.run_forever()


@alarms.command("list")
@click.option("--status", type=click.Choice(["open", "acknowledged", "closed"]))
@click.option("--kind")
@click.option("--site")
@click.option("--county")
@click.option("--limit", default=100, show_default=True, type=click.IntRange(1, 1000))
def list_cmd(
    status: str | None, kind: str | None, site: str | None, county: str | None, limit: int
) -> None:
    """Alarms, newest first, as JSON."""
    with open_hub() as ctx, ctx.sessions() as s:
        q = AlarmQuery(kind=kind, status=status, county=county, site=site)
        _echo(list_alarms(s, q, PageRequest(1, limit)))


@alarms.command("status")
def status() -> None:
    """Where the engine stands: cursor, items evaluated, last run and error, outbox backlog."""
    with open_hub() as ctx, ctx.sessions() as s:
        st = s.scalar(select(AlarmEngineState).where(AlarmEngineState.name == ENGINE))
        _echo(
            {
                "cursor": st.cursor if st else "",
                "evaluated": st.evaluated if st else 0,
                "last_run_at": st.last_run_at if st else None,
                "last_error": st.last_error if st else None,
                "outbox_backlog": backlog(s),
            }
        )


@alarms.group("limits")
def limits() -> None:
    """Emission limits of pollution sources (per site and parameter)."""


@limits.command("set")
@click.option("--site", required=True, help="Source site code")
@click.option("--parameter", required=True, help="Parameter code, e.g. a21026 (SO2)")
@click.option("--limit", "limit_value", required=True, type=float)
@click.option("--unit", default=None, help="Unit of --limit (default: the parameter's)")
@click.option("--note", default=None, help="Where the limit comes from (permit, standard)")
def limits_set(
    site: str, parameter: str, limit_value: float, unit: str | None, note: str | None
) -> None:
    """Create or replace a limit; values over it raise emission alarms."""
    try:
        with open_hub() as ctx, ctx.sessions.begin() as s:
            doc = limit_svc.set_limit(
                s, site, parameter, limit_value, unit, datetime.now(UTC), note
            )
    except HubError as exc:
        click.echo(f"error: {exc.detail}", err=True)
        sys.exit(2)
    _echo(doc)


@limits.command("list")
def limits_list() -> None:
    """Every configured limit."""
    with open_hub() as ctx, ctx.sessions() as s:
        _echo(limit_svc.list_limits(s))


@limits.command("remove")
@click.option("--site", required=True)
@click.option("--parameter", required=True)
def limits_remove(site: str, parameter: str) -> None:
    """Drop a limit (open emission alarms stay until they recover or are closed)."""
    with open_hub() as ctx, ctx.sessions.begin() as s:
        removed = limit_svc.remove_limit(s, site, parameter)
    if not removed:
        click.echo(f"error: no limit for {parameter} at {site}", err=True)
        sys.exit(1)
    click.echo("removed")


COMMANDS = [alarms]
