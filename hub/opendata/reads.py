"""Read services of the open-data directory: list, show, data, DCAT.

Who sees what (plan §10, permissions): ``open`` entries everybody; ``conditional`` ones
only clients holding ``observations:read`` or ``catalogue:admin``; ``internal`` ones
nobody through the API. An entry the caller may not see is "not found", so the API does
not reveal that it exists.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy.orm import Session

from catalogue.dcat import catalogue_document
from catalogue.directory import Directory, DirectoryError, load_directory
from catalogue.model import Disclosure, Entry, Links
from catalogue.producers import produce, producer_of
from catalogue.table import Table
from hub.errors import BadRequest, FieldError, NotFound, ServiceUnavailable
from hub.opendata.sync import departments
from hub.paging import PageRequest

CONDITIONAL_SCOPES = frozenset({"observations:read", "catalogue:admin"})
# A data request is computed on the fly; the span keeps one request bounded.
MAX_SPAN = timedelta(days=366)


@lru_cache(maxsize=1)
def packaged_directory() -> Directory:
    """The directory shipped with the hub, validated once per process.

    A broken entry file is the operator's problem, not the client's: 503 with a pointer
    to ``ecohub catalogue check`` (which names the file and field).
    """
    try:
        return load_directory()
    except DirectoryError as exc:
        raise ServiceUnavailable(
            "the open-data directory is invalid; run `ecohub catalogue check`",
            extra={"problems": [str(p) for p in exc.problems]},
        ) from exc


def may_see(entry: Entry, scopes: Collection[str]) -> bool:
    """Whether a caller holding ``scopes`` may see ``entry``."""
    if entry.disclosure is Disclosure.OPEN:
        return True
    if entry.disclosure is Disclosure.CONDITIONAL:
        return bool(CONDITIONAL_SCOPES & set(scopes))
    return False


def visible(directory: Directory, scopes: Collection[str]) -> list[Entry]:
    """The entries a caller may see, in directory order."""
    return [e for e in directory if may_see(e, scopes)]


def find(directory: Directory, entry_id: str, scopes: Collection[str]) -> Entry:
    """One entry the caller may see; NotFound otherwise."""
    entry = directory.get(entry_id)
    if entry is None or not may_see(entry, scopes):
        raise NotFound(f"no dataset '{entry_id}' in the open-data directory")
    return entry


def entry_doc(entry: Entry, links: Links) -> dict[str, Any]:
    """An entry as the API shows it."""
    producer = producer_of(entry)
    q = entry.query
    return {
        "id": entry.id,
        "title": {"zh": entry.title.zh, "en": entry.title.en},
        "description": {"zh": entry.description.zh, "en": entry.description.en},
        "department": entry.department,
        "disclosure": entry.disclosure.value,
        "licence": {"id": entry.licence.id, "title": entry.licence.title, "url": entry.licence.url},
        "update_frequency": entry.frequency.value,
        "keywords": {"zh": list(entry.keywords.zh), "en": list(entry.keywords.en)},
        "spatial": {
            "zh": entry.spatial.zh,
            "en": entry.spatial.en,
            "bbox": list(entry.spatial.bbox),
        },
        "query": {
            "networks": list(q.networks),
            "parameters": list(q.parameters),
            "period": q.period,
            "producer": q.producer,
            "window": q.window.iso,
        },
        "method": {"zh": producer.method.zh, "en": producer.method.en},
        "standards": list(producer.standards),
        "fields": [
            {"id": f.id, "type": f.type, "zh": f.zh, "en": f.en} for f in producer.fields
        ],
        "primary_key": list(producer.primary_key),
        "links": {
            "self": links.dataset(entry.id),
            "csv": links.data(entry.id, "csv"),
            "json": links.data(entry.id, "json"),
        },
    }


def list_datasets(
    directory: Directory, scopes: Collection[str], page: PageRequest, links: Links
) -> dict[str, Any]:
    """A page of the entries the caller may see."""
    entries = visible(directory, scopes)
    chunk = entries[page.offset : page.offset + page.limit]
    return {
        "meta": {"page": page.page, "limit": page.limit, "found": len(entries)},
        "results": [entry_doc(e, links) for e in chunk],
    }


def dataset_rows(
    session: Session,
    entry: Entry,
    start: datetime | None,
    end: datetime | None,
    now: datetime,
) -> Table:
    """An entry's rows for [start, end); the entry's recent window when either is omitted."""
    default_start, default_end = entry.query.window.bounds(now)
    start, end = start or default_start, end or default_end
    if start >= end:
        raise BadRequest(
            "'from' must be before 'to'",
            errors=[FieldError("query.from", "must be earlier than 'to'", "range")],
        )
    if end - start > MAX_SPAN:
        raise BadRequest(
            f"at most {MAX_SPAN.days} days per request",
            errors=[FieldError("query.to", f"span longer than {MAX_SPAN.days} days", "range")],
        )
    return produce(session, entry, start, end)


def table_page(table: Table, page: PageRequest) -> dict[str, Any]:
    """Rows of a table as a ``{meta, results}`` page."""
    rows = table.rows[page.offset : page.offset + page.limit]
    return {
        "meta": {"page": page.page, "limit": page.limit, "found": len(table.rows)},
        "results": list(rows),
    }


def dcat(
    session: Session, directory: Directory, scopes: Collection[str], links: Links
) -> dict[str, Any]:
    """The DCAT JSON-LD catalogue of the entries the caller may see."""
    return catalogue_document(visible(directory, scopes), departments(session), links)
