"""`ecohub serve` as a user runs it: real processes, real HTTP, embedded SQLite."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.parametrize("workers", [1, 2])
def test_serve_on_sqlite_with_no_other_service(tmp_path: Path, workers: int) -> None:
    env = {**os.environ, "HUB_INSTANCE_PATH": str(tmp_path / "instance")}
    env.pop("HUB_DATABASE_URL", None)
    subprocess.run([BIN / "ecohub", "db", "upgrade"], env=env, check=True, capture_output=True)
    subprocess.run([BIN / "ecohub", "reference", "load"], env=env, check=True, capture_output=True)
    port = _free_port()
    proc = subprocess.Popen(
        [BIN / "ecohub", "serve", "--port", str(port), "--workers", str(workers)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                r = httpx.get(f"{base}/api/v1/health", timeout=2)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise
                time.sleep(0.2)
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
