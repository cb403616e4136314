"""The ``ecohub`` command line: serve, database, reference data."""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from hub.bootstrap import open_hub
from hub.settings import Settings


def _settings() -> Settings:
    return Settings.from_env()


def _echo_json(doc: Any) -> None:
    click.echo(json.dumps(doc, ensure_ascii=False, indent=2, default=str))


@click.group()
def main() -> None:
    """Yangjiang eco-environment monitoring data hub."""


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8080, show_default=True, type=int)
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(min=1),
    help="Worker processes; more than one runs uvicorn's process manager.",
)
def serve(host: str, port: int, workers: int) -> None:
    """Serve the hub over HTTP (ASGI, uvicorn)."""
    import uvicorn

    from hub.db.engine import make_engine
    from hub.db.migrate import readiness_problem
    from hub.logs import configure_logging

    settings = _settings()
    # Refuse to start against a database we cannot use: otherwise the server looks fine and
    # every request fails.
    engine = make_engine(settings.database_url)
    try:
        problem = readiness_problem(engine)
    finally:
        engine.dispose()
    if problem:
        click.echo(f"error: {problem}", err=True)
        sys.exit(1)
    # After the check: its one-line reason is all an operator should have to read.
    configure_logging(settings.log_level, settings.log_json)
    click.echo(
        f"serving on http://{host}:{port}{settings.api_base_path}/ui/ "
        f"(database: {settings.database_url.split('@')[-1]})",
        err=True,
    )
    uvicorn.run(
        "hub.asgi:app_factory",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_config=None,
        access_log=False,
    )


def _multiprocess_metrics(settings: Settings) -> None:
    """Give the worker processes a shared, empty directory for Prometheus samples."""
    import os
    import shutil

    path = settings.instance_path / "prometheus"
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(path)


@main.group()
def db() -> None:
    """Database schema commands."""


@db.command("upgrade")
@click.option("--revision", default="heads", show_default=True)
def db_upgrade(revision: str) -> None:
    """Apply migrations up to REVISION."""
    from hub.db import migrate

    with open_hub() as ctx:
        migrate.upgrade(ctx.engine, revision)
        click.echo(f"database at revision {migrate.current_revision(ctx.engine)}")


@db.command("check")
def db_check() -> None:
    """Exit non-zero when the migrated schema and the models disagree."""
    from hub.db import migrate

    with open_hub() as ctx:
        diff = migrate.schema_diff(ctx.engine)
        revision = migrate.current_revision(ctx.engine)
    if diff:
        click.echo("models and migrations disagree:", err=True)
        for item in diff:
            click.echo(f"  {item}", err=True)
        sys.exit(1)
    click.echo(f"models and migrations agree (revision {revision})")


@db.command("revision")
@click.option("--message", "-m", required=True)
@click.option("--rev-id", default=None, help="Revision id (default: next number).")
def db_revision(message: str, rev_id: str | None) -> None:
    """For developers: autogenerate a migration against a database at head."""
    from alembic import command

    from hub.db import migrate

    if rev_id is None:
        existing = sorted(migrate.MIGRATIONS_DIR.glob("versions/[0-9][0-9][0-9][0-9]_*.py"))
        rev_id = f"{len(existing) + 1:04d}"
    with open_hub() as ctx:
        cfg = migrate.alembic_config(ctx.engine)
        command.revision(cfg, message=message, autogenerate=True, rev_id=rev_id)


@main.group()
def reference() -> None:
    """Reference network commands."""


@reference.command("load")
def reference_load() -> None:
    """Load the reference network files idempotently."""
    from hub.reference.load import load_reference

    with open_hub() as ctx, ctx.sessions.begin() as session:
        report = load_reference(session)
    _echo_json(
        {
            "versions": report.versions,
            "created": report.created,
            "updated": report.updated,
            "unchanged": report.unchanged,
        }
    )


def _fail(exc: Exception) -> None:
    from hub.errors import HubError

    if isinstance(exc, HubError):
        click.echo(f"error: {exc.detail}", err=True)
        sys.exit(2)
    raise exc


@main.group()
def clients() -> None:
    """OAuth2 clients (department systems, the provincial platform, operators)."""


@clients.command("create")
@click.option("--name", required=True)
@click.option("--department", default=None, help="The department the client pushes for.")
@click.option("--scope", "scopes", multiple=True, required=True, help="Repeat for several scopes.")
def clients_create(name: str, department: str | None, scopes: tuple[str, ...]) -> None:
    """Create a client and print its id and secret once, as JSON."""
    from hub.auth.clients import create_client

    try:
        with open_hub() as ctx, ctx.sessions.begin() as s:
            created = create_client(s, name, department, list(scopes))
    except Exception as exc:
        _fail(exc)
        return
    _echo_json(created)


@clients.command("list")
def clients_list() -> None:
    """List clients (never their secrets)."""
    from hub.auth.clients import list_clients

    with open_hub() as ctx, ctx.sessions() as s:
        _echo_json(list_clients(s))


@clients.command("revoke")
@click.argument("client_id")
def clients_revoke(client_id: str) -> None:
    """Revoke a client: its tokens stop working within seconds."""
    from hub.auth.clients import revoke_client

    try:
        with open_hub() as ctx, ctx.sessions.begin() as s:
            _echo_json(revoke_client(s, client_id))
    except Exception as exc:
        _fail(exc)


@main.group()
def audit() -> None:
    """The tamper-evident record of submissions."""


@audit.command("verify")
def audit_verify() -> None:
    """Recompute the submission hash chain; exit 1 at the first broken link."""
    from hub.observations.audit import verify_chain

    with open_hub() as ctx, ctx.sessions() as s:
        report = verify_chain(s)
    _echo_json(report.as_dict())
    if not report.ok:
        sys.exit(1)


def _add_feature_commands() -> None:
    # One explicit list: reading it tells which feature brings which command group.
    from hub.alarms.cli import COMMANDS as alarm_commands
    from hub.feed.cli import COMMANDS as feed_commands
    from hub.hj212.cli import COMMANDS as hj212_commands
    from hub.opendata.cli import COMMANDS as opendata_commands
    from hub.qc.cli import COMMANDS as qc_commands

    for command in (
        *alarm_commands,
        *feed_commands,
        *hj212_commands,
        *opendata_commands,
        *qc_commands,
    ):
        main.add_command(command)


_add_feature_commands()


if __name__ == "__main__":  # pragma: no cover
    main()
