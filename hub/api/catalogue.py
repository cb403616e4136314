"""GET /catalogue/datasets[/{id}[/data]] and /catalogue/dcat.jsonld."""

from __future__ import annotations

from datetime import UTC, datetime

import orjson
from flask import Response, request

from catalogue.model import Links
from hub.api.common import instant_param, ok, page_request
from hub.api.deps import hub, session_scope, token_info
from hub.errors import Unauthorized
from hub.opendata import reads as svc


def _scopes() -> list[str]:
    # Security is optional here, so connexion lets a bad token through as anonymous; a
    # client that sent one should hear that it is bad rather than see less.
    info = token_info()
    if not info and request.headers.get("Authorization"):
        raise Unauthorized("the access token is invalid, expired or revoked")
    return [str(s) for s in info.get("scope", [])]


def _links() -> Links:
    settings = hub().settings
    return Links(settings.public_url, settings.api_base_path)


def search(page: int = 1, limit: int = 100) -> Response:
    directory = svc.packaged_directory()
    return ok(svc.list_datasets(directory, _scopes(), page_request(page, limit), _links()))


def get(id_: str) -> Response:
    entry = svc.find(svc.packaged_directory(), id_, _scopes())
    return ok(svc.entry_doc(entry, _links()))


def data(
    id_: str,
    format_: str = "json",
    from_: str | None = None,
    to: str | None = None,
    page: int = 1,
    limit: int = 100,
) -> Response:
    entry = svc.find(svc.packaged_directory(), id_, _scopes())
    start, end = instant_param("from", from_), instant_param("to", to)
    with session_scope() as s:
        table = svc.dataset_rows(s, entry, start, end, datetime.now(UTC))
    if format_ == "csv":
        disposition = f'attachment; filename="{entry.id}.csv"'
        return Response(
            table.csv_bytes(),
            200,
            mimetype="text/csv",
            headers={"Content-Disposition": disposition},
        )
    return ok(svc.table_page(table, page_request(page, limit)))


def dcat() -> Response:
    with session_scope() as s:
        doc = svc.dcat(s, svc.packaged_directory(), _scopes(), _links())
    return Response(orjson.dumps(doc), 200, mimetype="application/ld+json")
