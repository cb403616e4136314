"""Servers the tests start for real: a free port, waiting for a condition, ``ecohub serve``."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import IO, TypeVar

import httpx

ECOHUB = Path(sys.executable).parent / "ecohub"  # the console script of this environment
T = TypeVar("T")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on (the OS picks it)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until(
    predicate: Callable[[], T],
    timeout: float = 10.0,
    what: str = "the condition",
    interval: float = 0.05,
) -> T:
    """Poll ``predicate`` until it returns something true, and return that.

    Fails the test, naming ``what``, when ``timeout`` seconds pass first.
    """
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if result:
            return result
        assert time.monotonic() < deadline, f"timed out after {timeout} s waiting for {what}"
        time.sleep(interval)


def health_url(port: int) -> str:
    """The health endpoint of a hub served on 127.0.0.1:``port``."""
    return f"http://127.0.0.1:{port}/api/v1/health"


def start_serve(
    env: Mapping[str, str],
    port: int,
    *args: str,
    output: int | IO[bytes] = subprocess.DEVNULL,
    timeout: float = 60.0,
) -> subprocess.Popen[bytes]:
    """Run ``ecohub serve --port PORT ARGS`` and return once its health endpoint answers 200.

    ``output`` takes stdout and stderr both (``subprocess.PIPE`` to read the logs after).
    A server that exits before it answers fails the test at once, not after ``timeout``.
    The wait is generous: starting takes about 20 s here, more on a busy machine.
    """
    proc = subprocess.Popen(
        [ECOHUB, "serve", "--port", str(port), *args],
        env=dict(env),
        stdout=output,
        stderr=subprocess.STDOUT,
    )

    def answered() -> bool:
        assert proc.poll() is None, f"ecohub serve exited with {proc.returncode}"
        try:
            return httpx.get(health_url(port), timeout=2).status_code == 200
        except httpx.TransportError:
            return False

    try:
        wait_until(answered, timeout, f"ecohub serve on port {port}", interval=0.2)
    except BaseException:
        proc.kill()
        proc.wait()
        raise
    return proc
