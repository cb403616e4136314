"""Signed access tokens and their verification without a database round trip."""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import OctKey
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from hub.db.auth import OAuthClient, RevokedToken

log = logging.getLogger("hub.auth")
ISSUER = "ecohub"
REVOCATION_REFRESH_SECONDS = 5.0


@dataclass
class RevocationList:
    """Revoked token ids and revoked clients, refreshed from the database in the background."""

    sessions: sessionmaker[Session]
    interval: float = REVOCATION_REFRESH_SECONDS
    jtis: frozenset[str] = frozenset()
    clients: frozenset[str] = frozenset()
    loaded_at: float = 0.0
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _thread: threading.Thread | None = None
    _stop: threading.Event = field(default_factory=threading.Event)

    def refresh(self) -> None:
        now = datetime.now(UTC)
        with self.sessions() as s:
            jtis = frozenset(
                s.scalars(select(RevokedToken.jti).where(RevokedToken.expires_at > now))
            )
            clients = frozenset(
                s.scalars(select(OAuthClient.client_id).where(OAuthClient.revoked_at.is_not(None)))
            )
        with self._lock:
            self.jtis, self.clients, self.loaded_at = jtis, clients, time.monotonic()

    def add_jti(self, jti: str) -> None:
        """Honour a revocation made by this process at once, before the next refresh."""
        with self._lock:
            self.jtis = self.jtis | {jti}

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.refresh()
            except Exception:  # a database blip must not kill the refresher
                log.warning("revocation refresh failed", exc_info=True)

    def start(self) -> None:
        if self._thread is None:
            try:
                self.refresh()
            except Exception:
                log.warning("initial revocation load failed", exc_info=True)
            self._thread = threading.Thread(target=self._run, name="revocations", daemon=True)
            self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop the refresher and wait for its thread (a refresh in progress finishes)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def is_revoked(self, jti: str, client_id: str) -> bool:
        return jti in self.jtis or client_id in self.clients


@dataclass
class TokenService:
    """Issue and verify the hub's access tokens."""

    key: bytes
    ttl: int
    revocations: RevocationList
    clock: Callable[[], float] = time.time

    def _key(self) -> OctKey:
        return OctKey.import_key(self.key)

    def issue(self, client_id: str, department: str | None, scopes: list[str]) -> dict[str, Any]:
        now = int(self.clock())
        claims = {
            "iss": ISSUER,
            "sub": client_id,
            "jti": uuid.uuid4().hex,
            "iat": now,
            "exp": now + self.ttl,
            "scope": " ".join(scopes),
            "dept": department,
        }
        token = jwt.encode({"alg": "HS256", "typ": "JWT"}, claims, self._key())
        return {
            "access_token": token,
            "token_type": "Bearer",
            "expires_in": self.ttl,
            "scope": claims["scope"],
        }

    def decode(self, token: str) -> dict[str, Any] | None:
        """Claims of a well-signed token from this hub, expired or not; None otherwise."""
        try:
            claims = jwt.decode(token, self._key(), algorithms=["HS256"]).claims
        except (JoseError, ValueError, TypeError):
            return None
        if claims.get("iss") != ISSUER:
            return None
        return dict(claims)

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        """Unexpired and not revoked (signature already checked by ``decode``)."""
        if int(claims.get("exp", 0)) <= self.clock():
            return False
        return not self.revocations.is_revoked(str(claims["jti"]), str(claims["sub"]))

    def verify(self, token: str) -> dict[str, Any] | None:
        """Token info for a valid, unexpired, unrevoked token; None otherwise."""
        claims = self.decode(token)
        if claims is None or not self.verify_claims(claims):
            return None
        return {
            "sub": claims["sub"],
            "client_id": claims["sub"],
            "department": claims.get("dept"),
            "scope": str(claims.get("scope", "")).split(),
            "jti": claims["jti"],
            "exp": claims["exp"],
        }
