"""The ``ecohub`` command line: serve, database, reference data."""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from hub.db.engine import make_engine, make_session_factory
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

    from hub.logs import configure_logging

    settings = _settings()
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


@main.group()
def db() -> None:
    """Database schema commands."""


@db.command("upgrade")
@click.option("--revision", default="head", show_default=True)
def db_upgrade(revision: str) -> None:
    """Apply migrations up to REVISION."""
    from hub.db import migrate

    engine = make_engine(_settings().database_url)
    migrate.upgrade(engine, revision)
    click.echo(f"database at revision {migrate.current_revision(engine)}")


@db.command("check")
def db_check() -> None:
    """Exit non-zero when the migrated schema and the models disagree."""
    from hub.db import migrate

    engine = make_engine(_settings().database_url)
    diff = migrate.schema_diff(engine)
    if diff:
        click.echo("models and migrations disagree:", err=True)
        for item in diff:
            click.echo(f"  {item}", err=True)
        sys.exit(1)
    click.echo(f"models and migrations agree (revision {migrate.current_revision(engine)})")


@main.group()
def reference() -> None:
    """Reference network commands."""


@reference.command("load")
def reference_load() -> None:
    """Load the reference network files idempotently."""
    from hub.services.reference import load_reference

    sessions = make_session_factory(make_engine(_settings().database_url))
    with sessions.begin() as session:
        report = load_reference(session)
    _echo_json(
        {
            "versions": report.versions,
            "created": report.created,
            "updated": report.updated,
            "unchanged": report.unchanged,
        }
    )


if __name__ == "__main__":  # pragma: no cover
    main()
