"""`ecohub serve` as a user runs it: real processes, real HTTP, embedded SQLite."""

import os
import subprocess
from pathlib import Path

import httpx
import pytest

from tests.support.net import ECOHUB, free_port, health_url, start_serve


@pytest.mark.parametrize("workers", [1, 2])
def test_serve_on_sqlite_with_no_other_service(tmp_path: Path, workers: int) -> None:
    env = {**os.environ, "HUB_INSTANCE_PATH": str(tmp_path / "instance")}
    env.pop("HUB_DATABASE_URL", None)
    subprocess.run([ECOHUB, "db", "upgrade"], env=env, check=True, capture_output=True)
    subprocess.run([ECOHUB, "reference", "load"], env=env, check=True, capture_output=True)
    port = free_port()
    proc = start_serve(env, port, "--workers", str(workers), output=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        r = httpx.get(health_url(port), timeout=2)
        assert r.status_code == 200
        assert r.json()["database"]["backend"] == "sqlite"
        assert (tmp_path / "instance" / "hub.sqlite3").exists()
        sites = httpx.get(f"{base}/api/v1/sites", params={"network": "surface-water"}).json()
        assert sites["meta"]["found"] == 13
        assert httpx.get(f"{base}/api/v1/ui/").status_code == 200
    finally:
        proc.terminate()
        out = proc.communicate(timeout=20)[0].decode()
    # Logs are one JSON object per line.
    lines = [ln for ln in out.splitlines() if ln.startswith("{")]
    assert any('"route":"hub.api.sites.search"' in ln for ln in lines), out[-2000:]
