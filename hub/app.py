"""The app factory: a connexion 3 FlaskApp built from ``openapi/hub.yaml``.

The app is the HTTP face only (connexion wiring, error handlers, middleware); what runs
beside the handlers comes from ``hub.bootstrap.web_hub``.
"""

from __future__ import annotations

import logging
import os
from http import HTTPStatus

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
from hub.errors import PROBLEM_JSON, HubError, problem_body
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


def _http_exception(_request: ConnexionRequest, exc: Exception) -> ConnexionResponse:
    assert isinstance(exc, StarletteHTTPException)
    status = exc.status_code
    title = HTTPStatus(status).phrase
    detail = str(exc.detail) if exc.detail and exc.detail != title else title
    return _response(status, problem_body(status, title, detail, _SLUGS.get(status, "error")))


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
    app.add_api(
        load_spec(),
        base_path=settings.api_base_path,
        resolver=RelativeResolver("hub.api"),
        strict_validation=True,
        pythonic_params=True,
        validator_map=validator_map(),
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
    app.add_middleware(LongPollMiddleware, position=MiddlewarePosition.BEFORE_VALIDATION, ctx=ctx)
    app.add_error_handler(HubError, _hub_error)
    app.add_error_handler(ProblemException, _problem_exception)
    app.add_error_handler(StarletteHTTPException, _http_exception)
    app.add_error_handler(Exception, _unhandled)

    flask_app = app.app
    flask_app.config["PROPAGATE_EXCEPTIONS"] = True
    flask_app.extensions["hub"] = ctx
    if not settings.oauth_require_https:
        # authlib reads this switch from the environment only.
        os.environ["AUTHLIB_INSECURE_TRANSPORT"] = "1"
    build_server(flask_app, ctx.sessions, tokens)
    return app
