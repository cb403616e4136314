"""An entry's rows as one table: CSV rendering, hashes, and the difference to a previous run.

Hashes decide whether anything is sent to CKAN: the same rows give the same bytes, so a
second run with unchanged data finds equal hashes and does nothing.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from catalogue.series import Field, Row


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _digest(doc: Any) -> str:
    text = json.dumps(doc, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Table:
    """Rows in primary-key order, with the columns and key that describe them."""

    fields: tuple[Field, ...]
    primary_key: tuple[str, ...]
    rows: tuple[Row, ...]

    @classmethod
    def build(
        cls, fields: Sequence[Field], primary_key: Sequence[str], rows: Iterable[Row]
    ) -> Table:
        """Order rows by key and keep only the declared columns."""
        ids = [f.id for f in fields]
        clean = [{i: row.get(i) for i in ids} for row in rows]
        clean.sort(key=lambda r: tuple(_cell(r[k]) for k in primary_key))
        return cls(tuple(fields), tuple(primary_key), tuple(clean))

    def key(self, row: Row) -> str:
        """The row's primary key as one string."""
        return "\x1f".join(_cell(row[k]) for k in self.primary_key)

    def csv_bytes(self) -> bytes:
        """UTF-8 CSV with a header row of column ids (BOM-less, ``\\n`` line ends)."""
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow([f.id for f in self.fields])
        for row in self.rows:
            writer.writerow([_cell(row[f.id]) for f in self.fields])
        return buf.getvalue().encode("utf-8")

    @property
    def schema_hash(self) -> str:
        """Changes when columns, types or the key change (the DataStore table is rebuilt)."""
        return _digest([[f.id, f.type] for f in self.fields] + [list(self.primary_key)])

    @property
    def data_hash(self) -> str:
        """Hash of the CSV snapshot: equal hashes mean nothing to upload."""
        return hashlib.sha256(self.csv_bytes()).hexdigest()

    def row_digests(self) -> dict[str, str]:
        """Key → short digest of each row, kept to send only changed rows next time."""
        return {self.key(r): _digest(r)[:16] for r in self.rows}

    def diff(self, previous: Mapping[str, str]) -> tuple[list[Row], list[Row]]:
        """Rows new or changed since ``previous`` digests, and key rows of those now gone."""
        current = self.row_digests()
        changed = [r for r in self.rows if previous.get(self.key(r)) != current[self.key(r)]]
        gone = [k for k in previous if k not in current]
        return changed, [self.key_row(k) for k in sorted(gone)]

    def key_row(self, key: str) -> Row:
        """The primary-key columns of a key string made by ``key``."""
        return dict(zip(self.primary_key, key.split("\x1f"), strict=True))
