"""``ecohub qc scan-gaps|gaps``: missing-data gaps as records of their own."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import click

from hub.bootstrap import open_hub
from hub.errors import HubError
from hub.logs import configure_logging
from hub.paging import PageRequest
from hub.qc.gap_scan import list_gaps, scan_gaps


@click.group()
def qc() -> None:
    """Quality control: missing-data gaps."""


@qc.command("scan-gaps")
@click.option(
    "--hours",
    default=48,
    show_default=True,
    type=click.IntRange(1, 24 * 31),
    help="How far back to look for missing data.",
)
def scan(hours: int) -> None:
    """Find, extend and close gaps of the clocked networks (idempotent; run it hourly)."""
    with open_hub() as ctx:
        configure_logging(ctx.settings.log_level, ctx.settings.log_json)
        with ctx.sessions.begin() as s:
            result = scan_gaps(s, datetime.now(UTC), timedelta(hours=hours))
            click.echo(json.dumps(result.as_dict(), indent=2))


@qc.command("gaps")
@click.option("--site", default=None, help="Only this site's gaps (site code).")
@click.option("--parameter", default=None, help="Only this parameter's gaps.")
@click.option("--all", "show_all", is_flag=True, help="Closed gaps too (default: open only).")
@click.option("--limit", default=100, show_default=True, type=click.IntRange(1, 1000))
def show(site: str | None, parameter: str | None, show_all: bool, limit: int) -> None:
    """List gaps, newest first, as JSON."""
    try:
        with open_hub() as ctx, ctx.sessions() as s:
            body = list_gaps(
                s,
                PageRequest(1, limit),
                site=site,
                parameter=parameter,
                open_only=None if show_all else True,
            )
    except HubError as exc:
        raise click.ClickException(exc.detail) from exc
    click.echo(json.dumps(body, indent=2, ensure_ascii=False))


COMMANDS = [qc]
