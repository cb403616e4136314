"""Find or start the PostgreSQL server the tests use, and make a database per run.

Order: the server at HUB_TEST_DATABASE_URL (default 127.0.0.1:5432); else a throwaway
cluster started with the installed server binaries (initdb + pg_ctl) in a temporary
directory; else fail loudly. PostgreSQL tests are never silently skipped.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
from sqlalchemy.engine import make_url

from hub.db import migrate
from hub.db.engine import make_engine, make_session_factory
from hub.reference.load import load_reference
from tests.support.net import free_port

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


class PostgresUnavailable(RuntimeError):
    pass


def _libpq(url: str) -> str:
    u = make_url(url)
    return u.set(drivername="postgresql").render_as_string(hide_password=False)


def _reachable(url: str) -> bool:
    try:
        with psycopg.connect(_libpq(url), connect_timeout=3):
            return True
    except psycopg.Error:
        return False


def _server_bin(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)
    return candidates[0] if candidates else None


@contextmanager
def _throwaway_cluster() -> Iterator[str]:
    initdb, pg_ctl = _server_bin("initdb"), _server_bin("pg_ctl")
    if not (initdb and pg_ctl):
        raise PostgresUnavailable(
            "no PostgreSQL answers at HUB_TEST_DATABASE_URL and no server binaries "
            "(initdb, pg_ctl) are installed: install PostgreSQL or point "
            "HUB_TEST_DATABASE_URL at a server"
        )
    tmp = Path(tempfile.mkdtemp(prefix="hub-pg-"))
    data, port = tmp / "data", free_port()
    run_as: list[str] = []
    if os.geteuid() == 0:  # initdb refuses to run as root
        shutil.chown(tmp, "postgres")
        run_as = ["runuser", "-u", "postgres", "--"]
    subprocess.run(
        [*run_as, initdb, "-D", str(data), "-U", "postgres", "-A", "trust"],
        check=True,
        capture_output=True,
    )
    subprocess.run(
        [
            *run_as,
            pg_ctl,
            "-D",
            str(data),
            "-w",
            "-l",
            str(tmp / "log"),
            "-o",
            f"-p {port} -k {tmp} -c listen_addresses=127.0.0.1 -c fsync=off",
            "start",
        ],
        check=True,
        capture_output=True,
    )
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            [*run_as, pg_ctl, "-D", str(data), "-m", "immediate", "stop"],
            check=False,
            capture_output=True,
        )
        shutil.rmtree(tmp, ignore_errors=True)


@contextmanager
def server_url() -> Iterator[str]:
    """The admin URL of a PostgreSQL server for this test run."""
    url = os.environ.get("HUB_TEST_DATABASE_URL", DEFAULT_URL)
    if _reachable(url):
        yield url
        return
    with _throwaway_cluster() as started:
        yield started


@contextmanager
def scratch_database(admin_url: str, prefix: str = "hub_test") -> Iterator[str]:
    """Create an empty database, yield its SQLAlchemy URL, drop it afterwards."""
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(_libpq(admin_url), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(_libpq(admin_url), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def reference_database(admin_url: str, prefix: str = "hub_test") -> Iterator[str]:
    """A scratch database, migrated, with the reference network loaded; dropped afterwards.

    Built through the code users run (``ecohub db upgrade``, ``ecohub reference load``).
    """
    with scratch_database(admin_url, prefix) as url:
        engine = make_engine(url)
        migrate.upgrade(engine)
        with make_session_factory(engine).begin() as session:
            load_reference(session)
        engine.dispose()
        yield url
