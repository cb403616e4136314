"""Issue 14, finding 8: `ecohub serve` refuses a database it cannot use, in one line, exit 1."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from tests.support.net import ECOHUB, free_port


def _serve(tmp_path: Path, database_url: str | None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HUB_INSTANCE_PATH": str(tmp_path / "instance")}
    env.pop("HUB_DATABASE_URL", None)
    if database_url:
        env["HUB_DATABASE_URL"] = database_url
    # Bounded: a serve that does start would otherwise run until the timeout kills it.
    return subprocess.run(
        [ECOHUB, "serve", "--port", str(free_port())],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def _one_line(err: str) -> str:
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1, err
    return lines[0]


@pytest.mark.parametrize("where", ["closed-port", "missing-database"])
def test_serve_exits_1_when_the_database_is_unreachable(
    tmp_path: Path, pg_url: str, where: str
) -> None:
    if where == "closed-port":
        url = f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/hub"
    else:
        url = make_url(pg_url).set(database="ecohub_no_such_db").render_as_string(False)
    done = _serve(tmp_path, url)
    assert done.returncode == 1, done.stderr
    line = _one_line(done.stderr)
    assert line.startswith("error: the database is unreachable"), line


def test_serve_exits_1_when_the_schema_is_not_at_head(tmp_path: Path) -> None:
    done = _serve(tmp_path, None)  # a fresh SQLite file: no migration applied
    assert done.returncode == 1, done.stderr
    line = _one_line(done.stderr)
    assert "ecohub db upgrade" in line and "no schema" in line, line


def test_serve_exits_1_when_the_schema_is_behind(tmp_path: Path) -> None:
    env = {**os.environ, "HUB_INSTANCE_PATH": str(tmp_path / "instance")}
    env.pop("HUB_DATABASE_URL", None)
    subprocess.run(
        [ECOHUB, "db", "upgrade", "--revision", "0001"], env=env, check=True, capture_output=True
    )
    done = _serve(tmp_path, None)
    assert done.returncode == 1, done.stderr
    line = _one_line(done.stderr)
    assert "schema is at 0001" in line and "ecohub db upgrade" in line, line
