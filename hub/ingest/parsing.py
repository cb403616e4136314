"""Turn a request body (JSON or CSV) into a list of raw records, with located errors."""

from __future__ import annotations

import csv
import io
from typing import Any

import orjson

from connectors.base import clip
from hub.errors import (
    BadRequest,
    FieldError,
    PayloadTooLarge,
    UnsupportedMediaType,
    ValidationFailed,
)

CSV_FIELDS = ("site", "parameter", "time", "period", "value", "unit", "flag")


def _csv_value(text: str) -> Any:
    text = text.strip()
    if text == "":
        return None
    try:
        return float(text)
    except ValueError:
        return text  # reported by validation as "value must be a number"


def parse_csv(body: bytes, key: str = "observations") -> list[dict[str, Any] | FieldError]:
    """Rows of a CSV push; empty cells are absent fields. Row i is on line i + 2.

    A row with more cells than the header is not a record: it comes back as the
    ``FieldError`` that rejects it, in its place, so the other rows still count.
    """
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BadRequest(
            "the CSV body is not UTF-8",
            errors=[FieldError("body", f"byte {exc.start} is not valid UTF-8", "encoding")],
        ) from exc
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in (reader.fieldnames or [])]
    unknown = [h for h in header if h not in CSV_FIELDS]
    if not header or unknown or "site" not in header:
        raise BadRequest(
            f"the CSV header must name fields among {', '.join(CSV_FIELDS)}",
            errors=[
                FieldError(
                    "body.header",
                    f"unknown columns {clip(unknown)}"
                    if unknown
                    else "missing header row with site, parameter, time, value",
                    "header",
                )
            ],
        )
    reader.fieldnames = header
    rows: list[dict[str, Any] | FieldError] = []
    try:
        for row in reader:
            rows.append(_csv_row(row, f"{key}[{len(rows)}]", len(header)))
    except csv.Error as exc:
        # A field over csv.field_size_limit() (128 KiB), a NUL byte, a broken quote: the
        # reader cannot go on past it, so the body is refused, pointing at the row.
        raise BadRequest(
            f"CSV row {len(rows)} (line {reader.line_num}) cannot be read: {clip(str(exc))}",
            errors=[FieldError(f"{key}[{len(rows)}]", clip(str(exc)), "csv")],
        ) from exc
    return rows


def _csv_row(row: dict[Any, Any], path: str, width: int) -> dict[str, Any] | FieldError:
    # DictReader files the cells beyond the header under the key None.
    extra = row.get(None)
    if extra:
        return FieldError(
            path, f"{len(extra)} cells more than the {width} columns of the header", "extra_cells"
        )
    rec: dict[str, Any] = {}
    for k, v in row.items():
        if k is None or v is None or v.strip() == "":
            continue
        rec[k] = _csv_value(v) if k == "value" else v.strip()
    return rec


def parse_batch(body: bytes, content_type: str, key: str, limit: int) -> list[Any]:
    """The list under ``key`` of a JSON body, or the rows of a CSV body (where a row that
    cannot be a record is the ``FieldError`` rejecting it)."""
    mime = (content_type or "").split(";")[0].strip().lower()
    if mime == "text/csv":
        items: list[Any] = parse_csv(body, key)
    elif mime.endswith("json"):
        try:
            doc = orjson.loads(body)
        except orjson.JSONDecodeError as exc:
            raise BadRequest(
                f"the body is not valid JSON: {clip(str(exc))}",
                errors=[FieldError("body", clip(str(exc)), "json")],
            ) from exc
        if not isinstance(doc, dict) or not isinstance(doc.get(key), list):
            raise BadRequest(
                f"the body must be an object with a '{key}' array",
                errors=[FieldError(f"body.{key}", "expected an array", "type")],
            )
        extra = sorted(set(doc) - {key})
        if extra:
            raise BadRequest(
                f"unknown top-level fields {clip(extra)}",
                errors=[
                    FieldError(f"body.{clip(k, 64)}", "unknown field", "unknown_field")
                    for k in extra[:10]
                ],
            )
        items = doc[key]
    else:
        raise UnsupportedMediaType(f"send application/json or text/csv, not '{mime}'")
    if len(items) > limit:
        raise PayloadTooLarge(
            f"{len(items)} records in one request; at most {limit}",
            errors=[FieldError(f"body.{key}", f"more than {limit} items", "max_items")],
        )
    if not items:
        raise ValidationFailed(
            "the batch is empty",
            errors=[FieldError(f"body.{key}", "at least one record is required", "min_items")],
        )
    return items
