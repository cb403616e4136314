"""Issue 14, finding 4 (body part): a 100 MB body gets 413 while it is still being sent.

Against a real ``ecohub serve``: the limit has to hold in the server the operator runs,
where a body the hub buffered first took a worker from 313 MB to 1.15 GB.
"""

from __future__ import annotations

import os
import select
import socket
import subprocess
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from sqlalchemy.orm import Session, sessionmaker

from tests.support.auth import make_client
from tests.support.net import free_port, start_serve

HUNDRED_MB = 100 * 1024 * 1024
CHUNK = b"x" * 65536


@pytest.fixture(scope="module")
def served(pg_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    env = {
        **os.environ,
        "HUB_DATABASE_URL": pg_url,
        "HUB_INSTANCE_PATH": str(tmp_path_factory.mktemp("instance")),
        "HUB_TOKEN_SIGNING_KEY": "test-signing-key-" + "x" * 32,
        "HUB_MAX_BODY_BYTES": str(1024 * 1024),
    }
    port = free_port()
    proc = start_serve(env, port)
    try:
        yield port
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _token(port: int, db: sessionmaker[Session]) -> str:
    creds = make_client(db, "water", "observations:write")
    r = httpx.post(
        f"http://127.0.0.1:{port}/oauth/token",
        data={"grant_type": "client_credentials"},
        auth=(creds["client_id"], creds["client_secret"]),
    )
    assert r.status_code == 200, r.text
    return str(r.json()["access_token"])


def _send_until_answered(port: int, head: bytes, chunked: bool) -> tuple[int, bytes]:
    """Send ``head`` then up to 100 MB of body; stop as soon as the server answers.

    Returns the body bytes sent and what the server said. Bounded by a deadline so a
    server that never answers fails the test instead of hanging it.
    """
    sent = 0
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(head)
        deadline = time.monotonic() + 120
        while sent < HUNDRED_MB and time.monotonic() < deadline:
            readable, writable, _ = select.select([sock], [sock], [], 1.0)
            if readable:
                break
            if writable:
                piece = b"%x\r\n%s\r\n" % (len(CHUNK), CHUNK) if chunked else CHUNK
                try:
                    sock.sendall(piece)
                except (BrokenPipeError, ConnectionResetError):
                    break
                sent += len(CHUNK)
        answer = b""
        while b"\r\n\r\n" not in answer or not answer.rstrip().endswith(b"}"):
            data = sock.recv(65536)
            if not data:
                break
            answer += data
    return sent, answer


def _post_head(port: int, token: str, extra: str) -> bytes:
    return (
        f"POST /api/v1/departments/water/observations HTTP/1.1\r\n"
        f"Host: 127.0.0.1:{port}\r\nAuthorization: Bearer {token}\r\n"
        f"Content-Type: application/json\r\n{extra}\r\n"
    ).encode()


def _assert_413(answer: bytes) -> None:
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 413"), answer[:300]
    assert b"application/problem+json" in head.lower()
    assert b"payload-too-large" in body


def test_a_streamed_100_mb_body_gets_413_before_it_is_read(
    served: int, db: sessionmaker[Session]
) -> None:
    head = _post_head(served, _token(served, db), "Transfer-Encoding: chunked\r\n")
    sent, answer = _send_until_answered(served, head, chunked=True)
    _assert_413(answer)
    # The answer came while the client was still sending: the body was never buffered whole.
    assert sent < HUNDRED_MB // 4, sent


def test_a_declared_100_mb_body_gets_413_without_reading_it(
    served: int, db: sessionmaker[Session]
) -> None:
    head = _post_head(served, _token(served, db), f"Content-Length: {HUNDRED_MB}\r\n")
    sent, answer = _send_until_answered(served, head, chunked=False)
    _assert_413(answer)
    assert sent < HUNDRED_MB // 4, sent


def test_bodies_under_the_limit_still_work(served: int, db: sessionmaker[Session]) -> None:
    headers = {"Authorization": f"Bearer {_token(served, db)}"}
    r = httpx.post(
        f"http://127.0.0.1:{served}/api/v1/departments/water/observations",
        json={"observations": [{"site": "nowhere"}]},
        headers=headers,
    )
    assert r.status_code == 422, r.text
    assert r.json()["rejected"] == 1

    def chunks() -> Iterator[bytes]:  # no length known up front: sent chunked
        yield b'{"observations": '
        yield b'[{"site": "nowhere"}]}'

    r = httpx.post(
        f"http://127.0.0.1:{served}/api/v1/departments/water/observations",
        content=chunks(),
        headers={**headers, "Content-Type": "application/json"},
    )
    assert r.status_code == 422, r.text
    assert r.json()["rejected"] == 1


def test_the_limit_is_a_setting(app: Any) -> None:
    from hub.settings import Settings

    assert Settings().max_body_bytes == 16 * 1024 * 1024
    assert Settings.from_env({"HUB_MAX_BODY_BYTES": "1024"}).max_body_bytes == 1024
