"""Turn a request body (JSON or CSV) into a list of raw records, with located errors."""

from __future__ import annotations

import csv
import io
from typing import Any

import orjson

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


def parse_csv(body: bytes) -> list[dict[str, Any]]:
    """Rows of a CSV push; empty cells are absent fields. Row i is on line i + 2."""
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
                    f"unknown columns {unknown}"
                    if unknown
                    else "missing header row with site, parameter, time, value",
                    "header",
                )
            ],
        )
    reader.fieldnames = header
    rows = []
    for row in reader:
        rec: dict[str, Any] = {}
        for k, v in row.items():
            if k is None or v is None or v.strip() == "":
                continue
            rec[k] = _csv_value(v) if k == "value" else v.strip()
        rows.append(rec)
    return rows


def parse_batch(body: bytes, content_type: str, key: str, limit: int) -> list[Any]:
    """The list under ``key`` of a JSON body, or the rows of a CSV body."""
    mime = (content_type or "").split(";")[0].strip().lower()
    if mime == "text/csv":
        items: list[Any] = parse_csv(body)
    elif mime.endswith("json"):
        try:
            doc = orjson.loads(body)
        except orjson.JSONDecodeError as exc:
            raise BadRequest(
                f"the body is not valid JSON: {exc}", errors=[FieldError("body", str(exc), "json")]
            ) from exc
        if not isinstance(doc, dict) or not isinstance(doc.get(key), list):
            raise BadRequest(
                f"the body must be an object with a '{key}' array",
                errors=[FieldError(f"body.{key}", "expected an array", "type")],
            )
        extra = sorted(set(doc) - {key})
        if extra:
            raise BadRequest(
                f"unknown top-level fields {extra}",
                errors=[FieldError(f"body.{k}", "unknown field", "unknown_field") for k in extra],
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
