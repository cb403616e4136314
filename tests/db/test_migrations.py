"""Migrations build the schema from empty, and the result equals the models."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import inspect

from hub.db import migrate
from hub.db.engine import make_engine
from tests.support import postgres


@pytest.fixture
def empty_pg(pg_admin_url: str) -> Iterator[str]:
    with postgres.scratch_database(pg_admin_url, prefix="hub_mig") as url:
        yield url


@pytest.mark.postgres
def test_postgres_schema_from_empty_equals_models(empty_pg: str) -> None:
    engine = make_engine(empty_pg)
    assert migrate.current_revision(engine) is None
    migrate.upgrade(engine)
    assert migrate.schema_diff(engine) == []
    assert "observations" in inspect(engine).get_table_names()
    engine.dispose()


def test_sqlite_schema_from_empty_equals_models(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path}/hub.sqlite3")
    migrate.upgrade(engine)
    assert migrate.schema_diff(engine) == []


@pytest.mark.postgres
def test_a_model_change_without_migration_is_detected(empty_pg: str) -> None:
    engine = make_engine(empty_pg)
    migrate.upgrade(engine)
    with engine.begin() as conn:
        conn.exec_driver_sql("ALTER TABLE sites DROP COLUMN note")
    diff = migrate.schema_diff(engine)
    assert any("note" in str(d) for d in diff)
    engine.dispose()


def test_one_head() -> None:
    """Feature branches are merged: a new migration has one parent to build on."""
    from alembic.script import ScriptDirectory

    from hub.db.engine import make_engine as _mk
    from hub.db.migrate import alembic_config

    script = ScriptDirectory.from_config(alembic_config(_mk("sqlite://")))
    assert len(script.get_heads()) == 1
