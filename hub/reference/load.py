"""Load the reference network (departments, counties, networks, parameters, sites)."""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from hub.db.base import Base
from hub.db.reference import County, Department, Network, Parameter, Site

# (file, list key, model, key attribute, YAML field → model attribute renames)
_TABLES: list[tuple[str, str, type[Base], str, dict[str, str]]] = [
    ("departments.yaml", "departments", Department, "code", {}),
    ("counties.yaml", "counties", County, "code", {}),
    ("networks.yaml", "networks", Network, "code", {"department": "department_code"}),
    ("parameters.yaml", "parameters", Parameter, "code", {}),
    (
        "sites.yaml",
        "sites",
        Site,
        "code",
        {
            "department": "department_code",
            "network": "network_code",
            "county": "county_code",
            "lat": "latitude",
            "lon": "longitude",
        },
    ),
]


@dataclass
class LoadReport:
    """What a reference load changed, per table."""

    versions: dict[str, str] = field(default_factory=dict)
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)


def read_reference_file(name: str) -> dict[str, Any]:
    """Parse one packaged reference data file."""
    text = resources.files("hub.reference_data").joinpath(name).read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    if not isinstance(data, dict):
        raise ValueError(f"{name}: expected a mapping at the top level")
    return data


def _rows(data: dict[str, Any], key: str, renames: dict[str, str]) -> list[dict[str, Any]]:
    defaults = data.get("defaults") or {}
    rows = []
    for raw in data[key]:
        merged = {**defaults, **raw}
        rows.append({renames.get(k, k): v for k, v in merged.items()})
    return rows


def load_reference(session: Session) -> LoadReport:
    """Insert or update every reference row by its code; running it twice changes nothing.

    Rows missing from the files are left alone: a site retired from the reference network
    keeps its history, and department-registered sites are not the files' business.
    """
    report = LoadReport()
    for filename, key, model, key_attr, renames in _TABLES:
        data = read_reference_file(filename)
        report.versions[filename] = str(data.get("version", "unversioned"))
        existing = {getattr(obj, key_attr): obj for obj in session.scalars(select(model))}
        created = updated = unchanged = 0
        for row in _rows(data, key, renames):
            obj = existing.get(row[key_attr])
            if obj is None:
                session.add(model(**row))
                created += 1
                continue
            changed = False
            for attr, value in row.items():
                if getattr(obj, attr) != value:
                    setattr(obj, attr, value)
                    changed = True
            if changed:
                updated += 1
            else:
                unchanged += 1
        # Sites refer to the rows above; flush so foreign keys hold table by table.
        session.flush()
        report.created[key], report.updated[key], report.unchanged[key] = (
            created,
            updated,
            unchanged,
        )
    return report
