"""Project exceptions and their rendering as RFC 7807 ``application/problem+json``.

Domain code raises these; one handler renders them. Every field a client needs to fix
the request is in the body: ``detail`` in words, ``errors`` as ``{path, code, message}``.
"""

from __future__ import annotations

import logging
from dataclasses import asdict
from typing import Any

import orjson

from connectors.base import FieldError

PROBLEM_BASE = "https://ecohub.yangjiang.example/problems/"
PROBLEM_JSON = "application/problem+json"

log = logging.getLogger("hub.errors")




class HubError(Exception):
    """Base of every error the hub reports to a client."""

    status = 500
    slug = "internal-error"
    title = "Internal Server Error"

    def __init__(
        self,
        detail: str,
        *,
        errors: list[FieldError] | None = None,
        headers: dict[str, str] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = errors or []
        self.headers = headers or {}
        self.extra = extra or {}

    def to_dict(self) -> dict[str, Any]:
        body = problem_doc(
            self.status, self.title, self.detail, self.slug, [asdict(e) for e in self.errors]
        )
        body.update(self.extra)
        return body


class BadRequest(HubError):
    status, slug, title = 400, "bad-request", "Bad Request"


class ValidationFailed(HubError):
    status, slug, title = 422, "validation-failed", "Unprocessable Content"


class Unauthorized(HubError):
    status, slug, title = 401, "unauthorized", "Unauthorized"


class Forbidden(HubError):
    status, slug, title = 403, "forbidden", "Forbidden"


class NotFound(HubError):
    status, slug, title = 404, "not-found", "Not Found"


class Conflict(HubError):
    status, slug, title = 409, "conflict", "Conflict"


class PayloadTooLarge(HubError):
    status, slug, title = 413, "payload-too-large", "Content Too Large"


class UnsupportedMediaType(HubError):
    status, slug, title = 415, "unsupported-media-type", "Unsupported Media Type"


class ServiceUnavailable(HubError):
    status, slug, title = 503, "service-unavailable", "Service Unavailable"


def problem_doc(
    status: int, title: str, detail: str, slug: str, errors: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """An RFC 7807 body; ``errors`` only when the request was wrong somewhere specific."""
    body: dict[str, Any] = {
        "type": PROBLEM_BASE + slug,
        "title": title,
        "status": status,
        "detail": detail,
    }
    if errors:
        body["errors"] = errors
    return body


def problem_body(
    status: int, title: str, detail: str, slug: str, errors: list[dict[str, Any]] | None = None
) -> bytes:
    return orjson.dumps(problem_doc(status, title, detail, slug, errors))
