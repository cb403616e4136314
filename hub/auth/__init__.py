"""OAuth2: the hub is its own authorization server (client-credentials grant).

Access tokens are signed JWTs (HS256) that live ``HUB_TOKEN_TTL_SECONDS`` (one hour by
default). Verifying one costs no database round trip: the signature and expiry are checked
in memory, and revocations (of a token, RFC 7009, or of a whole client) are read from the
database by a background refresher every ``REVOCATION_REFRESH_SECONDS`` (5 s), so a revoked
token stops working within seconds on every worker.
"""

SCOPES = (
    "observations:write",
    "observations:read",
    "feed:read",
    "alarms:read",
    "alarms:write",
    "catalogue:admin",
    "admin",
    # A lower-level hub (county → city → province) forwarding everything it accepted:
    # may push observations and sites for any department.
    "relay:write",
)
