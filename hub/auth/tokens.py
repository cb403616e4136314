"""Signed access tokens and their verification without a database round trip."""

from __future__ import annotations

import logging
import math
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
# Times past this (year 10000) are no instant a datetime can hold: not a time we issued.
_LATEST_TIME = 253_402_300_800


def _is_time(value: Any) -> bool:
    """A NumericDate (RFC 7519 §2): a JSON number of seconds, not a string or a boolean."""
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
        and 0 <= value < _LATEST_TIME
    )


def well_formed(claims: dict[str, Any]) -> bool:
    """The claims every hub token carries, of the types it is issued with.

    A token signed with the real key but missing ``sub`` or ``jti``, or with a string
    ``exp``, was not made by ``TokenService.issue``: it is refused rather than guessed at.
    """
    if claims.get("iss") != ISSUER:
        return False
    if not all(isinstance(claims.get(k), str) and claims[k] for k in ("sub", "jti")):
        return False
    if not all(_is_time(claims.get(k)) for k in ("exp", "iat")):
        return False
    if "nbf" in claims and not _is_time(claims["nbf"]):
        return False
    if not isinstance(claims.get("scope", ""), str):
        return False
    return claims.get("dept") is None or isinstance(claims["dept"], str)


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
        """Claims of a well-signed, well-formed token from this hub, expired or not (or not
        yet valid); None otherwise."""
        try:
            claims = jwt.decode(token, self._key(), algorithms=["HS256"]).claims
        except (JoseError, ValueError, TypeError):
            return None
        return dict(claims) if well_formed(claims) else None

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        """Unexpired, already valid (``nbf``) and not revoked (``decode`` checked the rest)."""
        now = self.clock()
        if claims["exp"] <= now or claims.get("nbf", 0) > now:
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
