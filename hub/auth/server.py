"""The authorization server endpoints (authlib): token, revocation, introspection.

These three routes are the one deliberate exception to "every path lives in the spec":
their request and error formats are fixed by RFC 6749, 7009 and 7662, not by our API —
so every answer, a rate limit or a failure included, is an RFC 6749 error, never
problem+json.

Each client authentication costs ~80 ms of scrypt, so the three routes are rate limited
per client IP (``HUB_TOKEN_RATE``) and per client id (``HUB_TOKEN_CLIENT_RATE``), and an
unknown or revoked client id is checked against a dummy hash: it costs the same work and
gets the same ``invalid_client`` as a wrong secret, so timing does not tell which ids exist.
"""

from __future__ import annotations

import base64
import json
import logging
import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, ClassVar
from urllib.parse import unquote

from authlib.integrations.flask_oauth2 import AuthorizationServer
from authlib.oauth2.rfc6749 import ClientMixin, InvalidClientError, InvalidScopeError, grants
from authlib.oauth2.rfc7009 import RevocationEndpoint
from authlib.oauth2.rfc7662 import IntrospectionEndpoint
from flask import Flask, Request, Response, request
from sqlalchemy.orm import Session, sessionmaker

from hub.auth.secrets import dummy_hash, verify_secret
from hub.auth.tokens import TokenService
from hub.db.auth import OAuthClient, RevokedToken
from hub.db.engine import database_unreachable
from hub.ratelimit import Decision, Limit, RateLimiter
from hub.settings import Settings

log = logging.getLogger("hub.auth")
# What our ids look like (``new_client_id``); anything else is unknown without a query.
_CLIENT_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
# Seconds a client is asked to wait when the database cannot be reached.


class Client(ClientMixin):
    """authlib's view of a stored client."""

    def __init__(self, row: OAuthClient) -> None:
        self.row = row

    def get_client_id(self) -> str:
        return self.row.client_id

    def get_default_redirect_uri(self) -> str | None:
        return None

    def get_allowed_scope(self, scope: str | None) -> str:
        allowed = set(self.row.scopes)
        if not scope:
            return " ".join(sorted(allowed))
        return " ".join(s for s in scope.split() if s in allowed)

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return False

    def check_client_secret(self, client_secret: str) -> bool:
        return verify_secret(client_secret, self.row.secret_hash)

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return method in {"client_secret_basic", "client_secret_post"}

    def check_response_type(self, response_type: str) -> bool:
        return False

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type == "client_credentials"


class UnknownClient(Client):
    """Stands in for an id that does not exist or is revoked: the secret is checked (against
    a dummy hash, the same scrypt work) and always refused."""

    def __init__(self, client_id: str) -> None:
        super().__init__(OAuthClient(client_id=client_id, scopes=[], secret_hash=dummy_hash()))

    def check_client_secret(self, client_secret: str) -> bool:
        verify_secret(client_secret, self.row.secret_hash)
        return False

    def check_grant_type(self, grant_type: str) -> bool:
        return False


class _Server(AuthorizationServer):
    """authlib's server, answering a failed client authentication in the same words
    whatever the cause (unknown id, wrong secret, no credentials)."""

    def handle_error_response(self, request: Any, error: Any) -> Any:
        if isinstance(error, InvalidClientError):
            error.description = "client authentication failed"
        return super().handle_error_response(request, error)


def _oauth_error(status: int, error: str, description: str, retry_after: int | None) -> Response:
    headers = {"Cache-Control": "no-store", "Pragma": "no-cache"}
    if retry_after is not None:
        headers["Retry-After"] = str(retry_after)
    body = {"error": error, "error_description": description}
    return Response(json.dumps(body), status=status, headers=headers, mimetype="application/json")


def presented_client_id(req: Request) -> str | None:
    """The client id a request authenticates as (Basic header or form), unchecked."""
    header = req.headers.get("Authorization", "")
    if header[:6].lower() == "basic ":
        try:
            decoded = base64.b64decode(header[6:].strip(), validate=True).decode()
        except ValueError:
            return None
        return unquote(decoded.partition(":")[0]) or None
    value = req.form.get("client_id")
    return value or None


class TokenLimits:
    """The rate limits in front of the three OAuth routes, per client IP then per client id."""

    def __init__(self, settings: Settings, limiter: RateLimiter | None = None) -> None:
        self.limiter = limiter or RateLimiter.from_settings(settings)
        self.per_ip = Limit("oauth-ip", settings.token_rate)
        self.per_client = Limit("oauth-client", settings.token_client_rate)

    def check(self, req: Request) -> Decision:
        """Count this request; the IP first, so a refused request costs a client nothing."""
        decision = self.limiter.hit(self.per_ip, req.remote_addr or "unknown")
        client_id = presented_client_id(req) if decision.allowed else None
        if client_id:
            # Bounded: an attacker's megabyte-long id must not become a megabyte-long key.
            decision = self.limiter.hit(self.per_client, client_id[:128])
        return decision


class _Token:
    """A decoded access token, as the revocation and introspection endpoints see it."""

    def __init__(self, claims: dict[str, Any], tokens: TokenService) -> None:
        self.claims = claims
        self.tokens = tokens

    def is_expired(self) -> bool:
        return int(self.claims.get("exp", 0)) <= self.tokens.clock()

    def is_revoked(self) -> bool:
        return self.tokens.revocations.is_revoked(
            str(self.claims.get("jti")), str(self.claims.get("sub"))
        )

    def check_client(self, client: Client) -> bool:
        return bool(self.claims.get("sub") == client.get_client_id())

    def get_scope(self) -> str:
        return str(self.claims.get("scope", ""))


def build_server(
    app: Flask,
    sessions: sessionmaker[Session],
    tokens: TokenService,
    limits: TokenLimits | None = None,
) -> AuthorizationServer:
    """Wire authlib's server to our client table and token service; add the three routes.

    ``limits`` defaults to ones built from the settings of the app's ``HubContext``.
    """
    settings = app.extensions["hub"].settings
    limits = limits or TokenLimits(settings)
    retry_after = settings.db_retry_after_seconds

    def query_client(client_id: str) -> Client:
        if not _CLIENT_ID.fullmatch(client_id):
            return UnknownClient(client_id[:64])
        with sessions() as s:
            row = s.get(OAuthClient, client_id)
            if row is None or row.revoked_at is not None:
                return UnknownClient(client_id)
            s.expunge(row)
            return Client(row)

    def save_token(token: dict[str, Any], request: Any) -> None:
        # Tokens are self-contained; only revocations are stored.
        return None

    def generate(
        grant_type: str,
        client: Client,
        user: Any = None,
        scope: str | None = None,
        expires_in: int | None = None,
        include_refresh_token: bool = True,
    ) -> dict[str, Any]:
        requested = (scope or "").split()
        if set(requested) - set(client.row.scopes):
            raise InvalidScopeError(description="scope not granted to this client")
        scopes = client.get_allowed_scope(scope).split()
        return tokens.issue(client.get_client_id(), client.row.department_code, scopes)

    class _ClientCredentials(grants.ClientCredentialsGrant):
        TOKEN_ENDPOINT_AUTH_METHODS: ClassVar = ["client_secret_basic", "client_secret_post"]

    class _Revocation(RevocationEndpoint):
        CLIENT_AUTH_METHODS: ClassVar = ["client_secret_basic", "client_secret_post"]

        def query_token(self, token_string: str, token_type_hint: str | None) -> _Token | None:
            claims = tokens.decode(token_string)
            return _Token(claims, tokens) if claims else None

        def revoke_token(self, token: _Token, request: Any) -> None:
            c = token.claims
            with sessions.begin() as s:
                if s.get(RevokedToken, c["jti"]) is None:
                    s.add(
                        RevokedToken(
                            jti=c["jti"],
                            client_id=c["sub"],
                            expires_at=datetime.fromtimestamp(c["exp"], UTC),
                            revoked_at=datetime.now(UTC),
                        )
                    )
            tokens.revocations.add_jti(str(c["jti"]))

    class _Introspection(IntrospectionEndpoint):
        CLIENT_AUTH_METHODS: ClassVar = ["client_secret_basic", "client_secret_post"]

        def query_token(self, token_string: str, token_type_hint: str | None) -> _Token | None:
            claims = tokens.decode(token_string)
            return _Token(claims, tokens) if claims else None

        def check_permission(self, token: _Token, client: Client, request: Any) -> bool:
            return token.check_client(client) or "admin" in client.row.scopes

        def introspect_token(self, token: _Token) -> dict[str, Any]:
            c = token.claims
            return {
                "active": True,
                "client_id": c["sub"],
                "scope": c.get("scope", ""),
                "token_type": "Bearer",
                "exp": c["exp"],
                "iat": c["iat"],
                "sub": c["sub"],
                "iss": c["iss"],
                "jti": c["jti"],
                "department": c.get("dept"),
            }

    server = _Server(app, query_client=query_client, save_token=save_token)
    server.register_token_generator("client_credentials", generate)
    server.register_grant(_ClientCredentials)
    server.register_endpoint(_Revocation)
    server.register_endpoint(_Introspection)

    def guarded(respond: Callable[[], Any]) -> Callable[[], Any]:
        def view() -> Any:
            decision = limits.check(request)
            if not decision.allowed:
                return _oauth_error(
                    429,
                    "slow_down",
                    f"too many requests; retry in {decision.retry_after} s",
                    decision.retry_after,
                )
            try:
                return respond()
            except Exception as exc:
                # RFC 6749 errors always, also when the database is away (the app's 503
                # handler never sees these routes' exceptions).
                if database_unreachable(exc):
                    log.warning("database unavailable at %s", request.path, exc_info=True)
                    return _oauth_error(
                        503,
                        "temporarily_unavailable",
                        "the hub cannot reach its database; retry later",
                        retry_after,
                    )
                log.exception("OAuth endpoint %s failed", request.path)
                return _oauth_error(500, "server_error", "the hub failed to answer", None)

        return view

    token_view = guarded(server.create_token_response)
    revoke_view = guarded(lambda: server.create_endpoint_response(_Revocation.ENDPOINT_NAME))
    introspect_view = guarded(lambda: server.create_endpoint_response(_Introspection.ENDPOINT_NAME))

    app.add_url_rule("/oauth/token", "oauth_token", token_view, methods=["POST"])
    app.add_url_rule("/oauth/revoke", "oauth_revoke", revoke_view, methods=["POST"])
    app.add_url_rule("/oauth/introspect", "oauth_introspect", introspect_view, methods=["POST"])
    return server
