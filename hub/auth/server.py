"""The authorization server endpoints (authlib): token, revocation, introspection.

These three routes are the one deliberate exception to "every path lives in the spec":
their request and error formats are fixed by RFC 6749, 7009 and 7662, not by our API.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

from authlib.integrations.flask_oauth2 import AuthorizationServer
from authlib.oauth2.rfc6749 import ClientMixin, InvalidScopeError, grants
from authlib.oauth2.rfc7009 import RevocationEndpoint
from authlib.oauth2.rfc7662 import IntrospectionEndpoint
from flask import Flask
from sqlalchemy.orm import Session, sessionmaker

from hub.auth.secrets import verify_secret
from hub.auth.tokens import TokenService
from hub.db.auth import OAuthClient, RevokedToken


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
    app: Flask, sessions: sessionmaker[Session], tokens: TokenService
) -> AuthorizationServer:
    """Wire authlib's server to our client table and token service; add the three routes."""

    def query_client(client_id: str) -> Client | None:
        with sessions() as s:
            row = s.get(OAuthClient, client_id)
            if row is None or row.revoked_at is not None:
                return None
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

    server = AuthorizationServer(app, query_client=query_client, save_token=save_token)
    server.register_token_generator("client_credentials", generate)
    server.register_grant(_ClientCredentials)
    server.register_endpoint(_Revocation)
    server.register_endpoint(_Introspection)

    def token_view() -> Any:
        return server.create_token_response()

    def revoke_view() -> Any:
        return server.create_endpoint_response(_Revocation.ENDPOINT_NAME)

    def introspect_view() -> Any:
        return server.create_endpoint_response(_Introspection.ENDPOINT_NAME)

    app.add_url_rule("/oauth/token", "oauth_token", token_view, methods=["POST"])
    app.add_url_rule("/oauth/revoke", "oauth_revoke", revoke_view, methods=["POST"])
    app.add_url_rule("/oauth/introspect", "oauth_introspect", introspect_view, methods=["POST"])
    return server
