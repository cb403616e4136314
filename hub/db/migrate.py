"""Apply and check Alembic migrations programmatically (used by the CLI and the tests)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

import migrations
from hub.db.models import Base

MIGRATIONS_DIR = Path(migrations.__file__).resolve().parent


def alembic_config(engine: Engine) -> Config:
    """An Alembic config pointing at the packaged migrations and the given engine."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
    return cfg


def upgrade(engine: Engine, revision: str = "heads") -> None:
    """Bring the schema to ``revision`` (every head by default: features may branch)."""
    cfg = alembic_config(engine)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def schema_diff(engine: Engine) -> list[Any]:
    """Differences between the migrated database and the models; empty when they agree."""
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        return list(compare_metadata(ctx, Base.metadata))


def current_revision(engine: Engine) -> str | None:
    """The applied revision(s), comma-separated when features branched; None if empty."""
    with engine.connect() as conn:
        heads = MigrationContext.configure(conn).get_current_heads()
    return ",".join(sorted(heads)) if heads else None


def head_revisions() -> set[str]:
    """The head revision(s) of the packaged migrations."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return set(ScriptDirectory.from_config(cfg).get_heads())


def readiness_problem(engine: Engine) -> str | None:
    """Why the hub cannot serve from this database, in one line; None when it can.

    The database must answer and its schema must be at the packaged migrations' head(s).
    """
    try:
        with engine.connect() as conn:
            applied = set(MigrationContext.configure(conn).get_current_heads())
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        return f"the database is unreachable: {reason}"
    heads = head_revisions()
    want = ",".join(sorted(heads))
    if not applied:
        return f"the database has no schema (expected revision {want}); run `ecohub db upgrade`"
    if applied != heads:
        have = ",".join(sorted(applied))
        return f"the database schema is at {have}, not at {want}; run `ecohub db upgrade`"
    return None
