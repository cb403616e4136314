"""`ecohub catalogue check|list|publish` as an operator runs them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from ckanapi import NotFound, RemoteCKAN
from click.testing import CliRunner

from catalogue.ckan_map import Names
from hub.cli import main
from tests.catalogue.conftest import closed_port
from tests.catalogue.test_catalogue_publish import copy_directory, edit
from tests.catalogue.world import seed

pytestmark = [pytest.mark.ckan, pytest.mark.postgres]


@pytest.fixture
def env(pg_url: str, ckan_facts: dict[str, str], db: Any) -> dict[str, str]:
    return {
        "HUB_DATABASE_URL": pg_url,
        "HUB_CKAN_URL": ckan_facts["HUB_CKAN_URL"],
        "HUB_CKAN_TOKEN": ckan_facts["HUB_CKAN_TOKEN"],
        "HUB_PUBLIC_URL": "https://hub.yangjiang.example",
        "HUB_LOG_JSON": "0",
    }


def test_check_and_list(tmp_path: Path) -> None:
    runner = CliRunner()
    r = runner.invoke(main, ["catalogue", "check"])
    assert r.exit_code == 0 and "10 entries, all valid" in r.output
    r = runner.invoke(main, ["catalogue", "list"])
    assert r.exit_code == 0
    assert "pollution-source-online      conditional  environment  hourly_mean" in r.output
    folder = copy_directory(tmp_path)
    edit(folder / "coastal-water-quality.yaml", "networks: [coastal]", "networks: [coast]")
    r = runner.invoke(main, ["catalogue", "check", "--directory", str(folder)])
    assert r.exit_code == 1
    assert "coastal-water-quality.yaml: query.networks[0]: unknown network 'coast'" in r.stderr


def test_dry_run_prints_the_plan_and_sends_nothing(
    env: dict[str, str], names: Names, admin: RemoteCKAN
) -> None:
    r = CliRunner().invoke(main, ["catalogue", "publish", "--dry-run", "--prefix", names.prefix],
                           env=env)
    assert r.exit_code == 0, r.output
    assert "plan (dry run, nothing sent)" in r.output
    assert f"organization {names.organization('environment')}: create or patch" in r.output
    assert f"package {names.package('air-aqi-daily')} (air-aqi-daily): create" in r.output
    assert "pollution-source-online" not in r.output
    with pytest.raises(NotFound):
        admin.action.organization_show(id=names.organization("environment"))


def test_publish_fails_clearly_when_ckan_is_down_then_catches_up(
    env: dict[str, str], names: Names, db: Any, anon: RemoteCKAN
) -> None:
    seed(db)
    runner = CliRunner()
    down = {**env, "HUB_CKAN_URL": f"http://127.0.0.1:{closed_port()}"}
    r = runner.invoke(main, ["catalogue", "publish", "--prefix", names.prefix], env=down)
    assert r.exit_code == 1
    assert f"error: CKAN at {down['HUB_CKAN_URL']}: status_show failed: unreachable" in r.stderr
    assert "the next run catches up" in r.stderr
    assert env["HUB_CKAN_TOKEN"] not in r.output

    r = runner.invoke(main, ["catalogue", "publish", "--prefix", names.prefix], env=env)
    assert r.exit_code == 0, r.output
    assert f"package {names.package('county-assessment')} (county-assessment): create" in r.output
    pkg = anon.action.package_show(id=names.package("air-aqi-daily"))
    api = next(x for x in pkg["resources"] if x["hub_role"] == "api")
    assert api["url"].startswith("https://hub.yangjiang.example/api/v1/catalogue/datasets/")

    r = runner.invoke(main, ["catalogue", "publish", "--prefix", names.prefix], env=env)
    assert r.exit_code == 0
    assert r.output.count(": unchanged") == 8


def test_publishing_is_off_without_a_portal(env: dict[str, str]) -> None:
    r = CliRunner().invoke(main, ["catalogue", "publish"], env={**env, "HUB_CKAN_URL": ""})
    assert r.exit_code == 0
    assert "CKAN publishing is off: HUB_CKAN_URL is empty" in r.output
