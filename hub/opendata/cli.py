"""``ecohub catalogue``: check and list the open-data directory, publish it to CKAN."""

from __future__ import annotations

import sys
from pathlib import Path

import click

DEFAULT_PREFIX = "yj-"


@click.group("catalogue")
def catalogue() -> None:
    """The open-data directory (catalogue/directory/*.yaml) and its CKAN mirror."""


def _directory(path: Path | None) -> object:
    from catalogue.directory import DIRECTORY_DIR, DirectoryError, load_directory

    try:
        return load_directory(path or DIRECTORY_DIR)
    except DirectoryError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)


_DIR_OPTION = click.option(
    "--directory",
    "directory_path",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="Folder of entry files (default: the packaged catalogue/directory).",
)


@catalogue.command("check")
@_DIR_OPTION
def check(directory_path: Path | None) -> None:
    """Validate every directory file; exit 1 naming each bad file and field."""
    directory = _directory(directory_path)
    click.echo(f"{len(directory)} entries, all valid")  # type: ignore[arg-type]


@catalogue.command("list")
@_DIR_OPTION
def list_entries(directory_path: Path | None) -> None:
    """One line per entry: id, disclosure, department, producer."""
    from catalogue.directory import Directory, describe

    directory = _directory(directory_path)
    assert isinstance(directory, Directory)
    for line in describe(directory):
        click.echo(line)


@catalogue.command("publish")
@click.option("--dry-run", is_flag=True, help="Print what would change; send nothing.")
@click.option(
    "--prefix",
    default=DEFAULT_PREFIX,
    show_default=True,
    help="Prefix of CKAN organization and package names.",
)
@_DIR_OPTION
def publish(dry_run: bool, prefix: str, directory_path: Path | None) -> None:
    """Mirror open entries to CKAN (HUB_CKAN_URL, HUB_CKAN_TOKEN); withdraw the others.

    Exit 1 with a message when CKAN fails; what was done stays recorded and the next run
    catches up.
    """
    from catalogue.ckan import CkanError
    from catalogue.ckan_map import Names
    from catalogue.directory import Directory
    from catalogue.model import Links
    from catalogue.publisher import build_publisher
    from hub.bootstrap import open_hub
    from hub.opendata.sync import PublishBusy
    from hub.opendata.sync import publish as run

    directory = _directory(directory_path)
    assert isinstance(directory, Directory)
    with open_hub() as ctx:
        settings = ctx.settings
        publisher = build_publisher(settings.ckan_url, settings.ckan_token)
        links = Links(settings.public_url, settings.api_base_path)
        try:
            report = run(ctx.sessions, publisher, directory, names=Names(prefix), links=links,
                         dry_run=dry_run)
        except CkanError as exc:
            click.echo(f"error: {exc}", err=True)
            click.echo("nothing more was sent; entries done before the failure stay recorded, "
                       "and the next run catches up", err=True)
            sys.exit(1)
        except PublishBusy as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(1)
    for line in report.lines():
        click.echo(line)


COMMANDS = [catalogue]
