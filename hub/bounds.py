"""Bounds every request meets before routing: a sane path, a body limit enforced while the
body is read (``HUB_MAX_BODY_BYTES``).

Checks in handlers come too late: by then the whole body is in memory (a 100 MB JSON body
took a worker from 313 MB to 1.15 GB before its 413). This ASGI middleware refuses a
declared ``Content-Length`` over the limit before reading anything, and counts the bytes of
a body that declares none (chunked), refusing it at the first chunk past the limit.

A path with control characters (``/sites/X%0A``) names no resource; routers disagree about
it (one matched, the next did not, and the request failed with a 500), so it stops here.
"""

from __future__ import annotations

import re

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from hub.errors import BadRequest, FieldError, PayloadTooLarge

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def too_large(limit: int) -> PayloadTooLarge:
    """The 413 for a body over ``limit`` bytes."""
    return PayloadTooLarge(
        f"the request body is larger than {limit} bytes",
        errors=[FieldError("body", f"more than {limit} bytes", "max_bytes")],
        # The rest of the body is not read: the connection cannot carry another request.
        headers={"Connection": "close"},
    )


class RequestBoundsMiddleware:
    """Refuse paths with control characters (400) and request bodies over ``limit`` bytes
    (413, before they are buffered)."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if _CONTROL.search(scope["path"]):
            raise BadRequest(
                "the request path contains control characters",
                errors=[FieldError("path", "control characters are not allowed", "format")],
            )
        for name, value in scope["headers"]:
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = 0  # the server rejects a malformed length before we see it
                if declared > self.limit:
                    raise too_large(self.limit)
        if any(name == b"content-length" for name, _ in scope["headers"]):
            await self.app(scope, self._counted(receive), send)
            return
        if not any(name == b"transfer-encoding" for name, _ in scope["headers"]):
            await self.app(scope, receive, send)
            return
        # A chunked body declares no length. Read it here, at most ``limit`` bytes, and
        # hand it on with its Content-Length: the WSGI side (Flask) reads bodies of known
        # length only, and saw a chunked body as empty.
        messages: list[Message] = []
        receive_counted = self._counted(receive)
        while True:
            message = await receive_counted()
            messages.append(message)
            if message["type"] != "http.request" or not message.get("more_body", False):
                break
        length = sum(len(m.get("body", b"")) for m in messages)
        headers = [(k, v) for k, v in scope["headers"] if k != b"transfer-encoding"]
        scope = {**scope, "headers": [*headers, (b"content-length", str(length).encode())]}

        async def replay() -> Message:
            return messages.pop(0) if messages else await receive()

        await self.app(scope, replay, send)

    def _counted(self, receive: Receive) -> Receive:
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise too_large(self.limit)
            return message

        return counted
