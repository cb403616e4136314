"""``ecohub alarms`` against PostgreSQL."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner

from hub.cli import main
from tests.support.alarms import push

pytestmark = pytest.mark.postgres
T = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) - timedelta(hours=3)


def test_limits_run_list_status(db, pg_url: str, tmp_path) -> None:
    env = {
        "HUB_DATABASE_URL": pg_url,
        "HUB_INSTANCE_PATH": str(tmp_path),
        "HUB_LOG_JSON": "0",
        "HUB_ALARM_GAP_SWEEP_SECONDS": "0",
        "HUB_ALARM_FALSIFICATION_SWEEP_SECONDS": "0",
    }
    runner = CliRunner()
    r = runner.invoke(
        main,
        [
            "alarms",
            "limits",
            "set",
            "--site",
            "YJ-AIR-C01",
            "--parameter",
            "a34013",
            "--limit",
            "20000",
            "--unit",
            "ug/m3",
        ],
        env=env,
    )
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)["limit"] == 20.0
    r = runner.invoke(
        main,
        [
            "alarms",
            "limits",
            "set",
            "--site",
            "YJ-AIR-C01",
            "--parameter",
            "a34013",
            "--limit",
            "20",
            "--unit",
            "dB(A)",
        ],
        env=env,
    )
    assert r.exit_code == 2 and "not accepted" in r.output
    r = runner.invoke(main, ["alarms", "limits", "list"], env=env)
    assert [(x["site"], x["unit"]) for x in json.loads(r.output)] == [("YJ-AIR-C01", "mg/m3")]

    push(db, [("YJ-AIR-C01", "a34013", T, "PT1H", 35.0)])
    r = runner.invoke(main, ["alarms", "run", "--once"], env=env)
    assert r.exit_code == 0, r.output
    r = runner.invoke(main, ["alarms", "list", "--kind", "emission"], env=env)
    [alarm] = json.loads(r.output)["results"]
    assert (alarm["site"], alarm["last_value"], alarm["limit"]) == ("YJ-AIR-C01", 35.0, 20.0)
    status = json.loads(runner.invoke(main, ["alarms", "status"], env=env).output)
    assert status["evaluated"] == 1 and status["outbox_backlog"] == 0 and status["cursor"]

    r = runner.invoke(
        main,
        ["alarms", "limits", "remove", "--site", "YJ-AIR-C01", "--parameter", "a34013"],
        env=env,
    )
    assert r.exit_code == 0 and r.output.strip() == "removed"
