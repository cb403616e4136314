"""Wide rows: one record, one column per parameter — the shape most departments export.

A department declares its columns as data (column → parameter code and the unit its
system writes), the keys every row has (site, time) as a small marshmallow schema, and
gets the full record schema and the translator from here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

from marshmallow import Schema, fields

from connectors.base import Translator

Columns = Mapping[str, tuple[str, str]]


def wide_schema(keys: type[Schema], columns: Columns, name: str) -> type[Schema]:
    """``keys`` plus one optional number field per column (described as code and unit)."""
    return keys.from_dict(
        {
            col: fields.Float(allow_none=True, metadata={"description": f"{code} in {unit}"})
            for col, (code, unit) in columns.items()
        },
        name=name,
    )


def wide_translator(
    columns: Columns,
    site_field: str,
    time_field: str,
    period: str | Callable[[Mapping[str, Any]], str] = "PT0S",
    shift: timedelta = timedelta(0),
) -> Translator:
    """A translator yielding one raw observation per filled column.

    ``period`` is fixed or read from the record; ``shift`` moves the record's time to the
    period start (e.g. −1 h for weather reports stamped at the end of the hour).
    """

    def translate(record: Mapping[str, Any]) -> Iterable[Mapping[str, Any]]:
        stamp: datetime = record[time_field]
        time = (stamp + shift).isoformat()
        per = period(record) if callable(period) else period
        for column, (code, unit) in columns.items():
            if record.get(column) is not None:
                yield {
                    "site": record[site_field],
                    "parameter": code,
                    "time": time,
                    "period": per,
                    "value": record[column],
                    "unit": unit,
                }

    return translate
