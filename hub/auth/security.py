"""Connexion's OAuth2 security handler, bound to this app's token service.

Connexion runs security checks on its event loop before Flask; ``TokenService.verify``
checks the signature, expiry and the in-memory revocation list — no database round trip.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from connexion.security import OAuthSecurityHandler

from hub.auth.tokens import TokenService


def bound_oauth_handler(tokens: TokenService) -> type[OAuthSecurityHandler]:
    """An OAuthSecurityHandler class whose token-info function is ``tokens.verify``."""

    class HubOAuthHandler(OAuthSecurityHandler):
        def get_tokeninfo_func(
            self, security_definition: dict[str, Any]
        ) -> Callable[[str], dict[str, Any] | None]:
            return tokens.verify

    return HubOAuthHandler
