"""Client secrets: generated with ``secrets``, stored only as scrypt hashes."""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import os
import secrets as _secrets
from pathlib import Path

_N, _R, _P = 2**14, 8, 1


def new_client_id() -> str:
    return "hub_" + _secrets.token_hex(12)


def new_secret() -> str:
    return _secrets.token_urlsafe(32)


def hash_secret(secret: str) -> str:
    salt = os.urandom(16)
    digest = hashlib.scrypt(secret.encode(), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    b64 = base64.b64encode
    return f"scrypt${_N}${_R}${_P}${b64(salt).decode()}${b64(digest).decode()}"


@functools.cache
def dummy_hash() -> str:
    """A hash no secret matches, made like real ones: checking a secret against it costs the
    same scrypt work, so an unknown client id answers as slowly as a known one."""
    return hash_secret(new_secret())


def verify_secret(secret: str, stored: str) -> bool:
    try:
        algo, n, r, p, salt, digest = stored.split("$")
    except ValueError:
        return False
    if algo != "scrypt":
        return False
    got = hashlib.scrypt(
        secret.encode(), salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p), dklen=32
    )
    return hmac.compare_digest(got, base64.b64decode(digest))


def signing_key(configured: str, instance_path: Path) -> bytes:
    """The token signing key: from settings, else a random one kept in the instance folder.

    The file is created once (exclusively, mode 0600) so that every worker process of one
    instance signs and verifies with the same key.
    """
    if configured:
        return configured.encode()
    path = Path(instance_path) / "token-signing.key"
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_bytes().strip()
    with os.fdopen(fd, "wb") as fh:
        key = _secrets.token_urlsafe(48).encode()
        fh.write(key)
    return key
