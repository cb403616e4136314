"""OAuth2 clients and revoked tokens."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from hub.db.base import Base, JsonDoc, UtcDateTime


class OAuthClient(Base):
    """A system allowed to call the hub: a department's system, the province, an operator."""

    __tablename__ = "oauth_clients"

    client_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    # Null for clients that belong to no department (the provincial platform, operators).
    department_code: Mapped[str | None] = mapped_column(ForeignKey("departments.code"))
    scopes: Mapped[list[str]] = mapped_column(JsonDoc, default=list)
    # scrypt hash of the secret; the secret itself is shown once and never stored.
    secret_hash: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class RevokedToken(Base):
    """An access token revoked before its expiry (RFC 7009)."""

    __tablename__ = "revoked_tokens"

    jti: Mapped[str] = mapped_column(String(64), primary_key=True)
    client_id: Mapped[str] = mapped_column(String(64))
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    revoked_at: Mapped[datetime] = mapped_column(UtcDateTime())
