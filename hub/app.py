"""The app factory: a connexion 3 FlaskApp built from ``openapi/hub.yaml``.

The app is the HTTP face only (connexion wiring, error handlers, middleware); what runs
beside the handlers comes from ``hub.bootstrap.web_hub``.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable
from http import HTTPStatus
from typing import Any

import orjson
from connexion import FlaskApp
from connexion.exceptions import ProblemException
from connexion.lifecycle import ConnexionRequest, ConnexionResponse
from connexion.middleware import MiddlewarePosition
from connexion.options import SwaggerUIOptions
from connexion.resolver import RelativeResolver
from starlette.exceptions import HTTPException as StarletteHTTPException

from hub.api.validation import validator_map
from hub.auth.security import bound_oauth_handler
from hub.auth.server import build_server
from hub.bootstrap import HubContext, web_hub
from hub.bounds import RequestBoundsMiddleware
from hub.db.engine import UNREACHABLE_ERRORS, database_unreachable
from hub.errors import PROBLEM_JSON, HubError, ServiceUnavailable, problem_body
from hub.feed.longpoll import LongPollMiddleware
from hub.metrics import MetricsMiddleware, RouteLabelMiddleware
from hub.settings import Settings
from hub.spec import SPEC_DIR, load_spec

log = logging.getLogger("hub.app")


_SLUGS = {
    400: "bad-request",
    401: "unauthorized",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    406: "not-acceptable",
    409: "conflict",
    413: "payload-too-large",
    415: "unsupported-media-type",
    422: "validation-failed",
}


def _response(status: int, body: bytes, headers: dict[str, str] | None = None) -> ConnexionResponse:
    return ConnexionResponse(
        status_code=status,
        mimetype=PROBLEM_JSON,
        content_type=PROBLEM_JSON,
        body=body,
        headers=headers or {},
    )


def _hub_error(_request: ConnexionRequest, exc: Exception) -> ConnexionResponse:
    assert isinstance(exc, HubError)
    if exc.status >= 500:
        log.error("server error", extra={"error": exc.detail})
    return _response(exc.status, orjson.dumps(exc.to_dict()), exc.headers)


def _problem_exception(_request: ConnexionRequest, exc: Exception) -> ConnexionResponse:
    assert isinstance(exc, ProblemException)
    ext = exc.ext or {}
    errors = ext.get("errors")
    status = int(exc.status)
    title = exc.title or "Error"
    detail = str(exc.detail or title)
    if errors is None and status < 500:
        errors = [{"path": "request", "code": "invalid", "message": detail}]
    slug = _SLUGS.get(status, "error")
    body = problem_body(status, title, detail, slug, errors if status < 500 else None)
    return _response(status, body, dict(exc.headers or {}))


def _allowed_methods(base_path: str, spec: dict[str, Any]) -> list[tuple[re.Pattern[str], str]]:
    """(path regex, ``Allow`` value) for every path of ``spec``: the router sees one route
    per operation, so its 405 named only the first one's method."""
    table = []
    for template, item in spec["paths"].items():
        methods = {m.upper() for m in item if m in _HTTP_METHODS}
        if "GET" in methods:
            methods.add("HEAD")
        regex = re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(base_path + template))
        table.append((re.compile(regex + r"\Z"), ", ".join(sorted(methods))))
    return table


_HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


def _http_exception(
    allow: list[tuple[re.Pattern[str], str]],
) -> Callable[[ConnexionRequest, Exception], ConnexionResponse]:
    def handle(request: ConnexionRequest, exc: Exception) -> ConnexionResponse:
        assert isinstance(exc, StarletteHTTPException)
        status = exc.status_code
        title = HTTPStatus(status).phrase
        detail = str(exc.detail) if exc.detail and exc.detail != title else title
        headers = dict(exc.headers or {})
        if status == 405:
            # RFC 9110: a 405 lists every method the resource supports.
            path = request.url.path
            for regex, methods in allow:
                if regex.match(path):
                    headers["Allow"] = methods
                    break
        body = problem_body(status, title, detail, _SLUGS.get(status, "error"))
        return _response(status, body, headers)

    return handle


def _db_unavailable(retry_after: int) -> Callable[[ConnexionRequest, Exception], ConnexionResponse]:
    def handle(request: ConnexionRequest, exc: Exception) -> ConnexionResponse:
        if not database_unreachable(exc):
            return _unhandled(request, exc)
        log.error("database unavailable", extra={"error": type(exc).__name__})
        err = ServiceUnavailable("the hub's database is unreachable; retry later")
        return _response(503, orjson.dumps(err.to_dict()), {"Retry-After": str(retry_after)})

    return handle


def _unhandled(_request: ConnexionRequest, exc: Exception) -> ConnexionResponse:
    # The client learns only that it was our fault; the trace goes to the log.
    log.error("unhandled exception", exc_info=exc)
    return _response(
        500,
        problem_body(
            500, "Internal Server Error", "the hub failed to process the request", "internal-error"
        ),
    )


def build_app(settings: Settings | None = None) -> FlaskApp:
    """Build the hub app for ``settings`` (``Settings.from_env()`` when omitted) around the
    parts ``hub.bootstrap.web_hub`` builds; its context is ``app.app.extensions["hub"]``."""
    ctx = web_hub(settings)
    try:
        return _wire(ctx)
    except BaseException:
        ctx.close()
        raise


def _wire(ctx: HubContext) -> FlaskApp:
    settings, tokens = ctx.settings, ctx.tokens
    assert tokens is not None  # web_hub builds the token verifier
    app = FlaskApp(__name__, specification_dir=str(SPEC_DIR))
    spec = load_spec()
    app.add_api(
        spec,
        base_path=settings.api_base_path,
        resolver=RelativeResolver("hub.api"),
        strict_validation=True,
        pythonic_params=True,
        validator_map=validator_map(settings.max_json_depth),
        security_map={"oauth2": bound_oauth_handler(tokens)},
        swagger_ui_options=SwaggerUIOptions(swagger_ui=True, swagger_ui_path="/ui"),
    )
    app.add_api(
        "ops.yaml",
        base_path="",
        resolver=RelativeResolver("hub.api"),
        swagger_ui_options=SwaggerUIOptions(swagger_ui=False, serve_spec=False),
    )
    app.add_middleware(
        MetricsMiddleware, position=MiddlewarePosition.BEFORE_EXCEPTION, metrics=ctx.metrics
    )
    app.add_middleware(RouteLabelMiddleware, position=MiddlewarePosition.BEFORE_SECURITY)
    # Just inside the exception middleware: its 413 is rendered like every other error.
    app.add_middleware(
        RequestBoundsMiddleware,
        position=MiddlewarePosition.BEFORE_SWAGGER,
        limit=settings.max_body_bytes,
    )
    app.add_middleware(LongPollMiddleware, position=MiddlewarePosition.BEFORE_VALIDATION, ctx=ctx)
    app.add_error_handler(HubError, _hub_error)
    app.add_error_handler(ProblemException, _problem_exception)
    allow = _allowed_methods(settings.api_base_path, spec)
    app.add_error_handler(StarletteHTTPException, _http_exception(allow))
    for db_error in UNREACHABLE_ERRORS:
        app.add_error_handler(db_error, _db_unavailable(settings.db_retry_after_seconds))
    app.add_error_handler(Exception, _unhandled)

    flask_app = app.app
    flask_app.config["PROPAGATE_EXCEPTIONS"] = True
    flask_app.extensions["hub"] = ctx
    if not settings.oauth_require_https:
        # authlib reads this switch from the environment only.
        os.environ["AUTHLIB_INSECURE_TRANSPORT"] = "1"
    build_server(flask_app, ctx.sessions, tokens)
    return app
