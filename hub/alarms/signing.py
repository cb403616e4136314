"""Webhook secrets: encrypted at rest, used to sign each delivery with HMAC-SHA256.

The hub has to sign with the secret, so unlike client secrets it cannot be stored as a
one-way hash. It is encrypted with Fernet (AES-128-CBC + HMAC-SHA256) under a key derived
(HKDF-SHA256) from ``HUB_SECRET_KEY``, or from the token signing key when that is unset.
A database dump alone does not reveal it. It is never logged.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from hub.auth.secrets import signing_key

SIGNATURE_HEADER = "X-Hub-Signature-256"
EVENT_HEADER = "X-Hub-Event-Id"
_INFO = b"ecohub alarm-subscription secrets v1"


def new_webhook_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


def sign(secret: str, body: bytes) -> str:
    """The signature header value: ``sha256=<hex HMAC-SHA256 of the body>``."""
    digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def verify(secret: str, body: bytes, header: str) -> bool:
    """What a receiver does: recompute and compare in constant time."""
    return hmac.compare_digest(sign(secret, body), header or "")


class SecretBox:
    """Encrypts and decrypts subscription secrets under the hub's key."""

    def __init__(self, key_material: bytes) -> None:
        derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO).derive(
            key_material
        )
        self._fernet = Fernet(base64.urlsafe_b64encode(derived))

    @classmethod
    def for_instance(cls, secret_key: str, token_signing_key: str, instance: Path) -> SecretBox:
        """``HUB_SECRET_KEY`` if set, else the token signing key (setting or instance file)."""
        material = secret_key.encode() if secret_key else signing_key(token_signing_key, instance)
        return cls(material)

    def seal(self, secret: str) -> str:
        return self._fernet.encrypt(secret.encode()).decode()

    def open(self, token: str) -> str:
        try:
            return self._fernet.decrypt(token.encode()).decode()
        except InvalidToken as exc:
            # The key changed since the subscription was made: re-register it.
            raise ValueError("subscription secret cannot be decrypted with this key") from exc
