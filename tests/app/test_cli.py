"""The ecohub CLI against a real PostgreSQL database."""

import json
from collections.abc import Iterator

import pytest
from click.testing import CliRunner
from sqlalchemy import text

from hub.cli import main
from hub.db.engine import make_engine
from tests.support import postgres

pytestmark = pytest.mark.postgres


@pytest.fixture
def env(pg_admin_url: str) -> Iterator[dict[str, str]]:
    with postgres.scratch_database(pg_admin_url, prefix="hub_cli") as url:
        yield {"HUB_DATABASE_URL": url, "HUB_LOG_JSON": "0"}


def test_upgrade_load_check(env: dict[str, str]) -> None:
    runner = CliRunner()
    r = runner.invoke(main, ["db", "upgrade"], env=env)
    assert r.exit_code == 0, r.output
    assert "database at revision" in r.output
    r = runner.invoke(main, ["reference", "load"], env=env)
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)["created"]["sites"] >= 50
    r = runner.invoke(main, ["reference", "load"], env=env)
    assert sum(json.loads(r.output)["created"].values()) == 0
    r = runner.invoke(main, ["db", "check"], env=env)
    assert r.exit_code == 0 and "agree" in r.output


def test_check_fails_when_schema_drifts(env: dict[str, str]) -> None:
    runner = CliRunner()
    runner.invoke(main, ["db", "upgrade"], env=env)
    engine = make_engine(env["HUB_DATABASE_URL"])
    with engine.begin() as conn:
        conn.execute(text("DROP INDEX ix_observations_param_time"))
    engine.dispose()
    r = runner.invoke(main, ["db", "check"], env=env)
    assert r.exit_code == 1
    assert "ix_observations_param_time" in r.output
