"""A connector described as JSON, for integrators (``GET .../record-schema``)."""

from __future__ import annotations

from typing import Any

from marshmallow import fields

from connectors.base import Connector

_TYPES = {
    fields.Float: "number",
    fields.Integer: "integer",
    fields.String: "string",
    fields.Boolean: "boolean",
    fields.DateTime: "string",
    fields.List: "array",
    fields.Nested: "object",
    fields.Dict: "object",
}


def _type(field: fields.Field) -> str:
    for cls, name in _TYPES.items():
        if isinstance(field, cls):
            return name
    return "any"


def describe(connector: Connector) -> dict[str, Any]:
    """Kinds, parameters with accepted units, record fields and an example."""
    schema = connector.record_schema()
    record_fields = [
        {
            "name": f.data_key or name,
            "type": _type(f),
            "required": bool(f.required),
            "description": (f.metadata or {}).get("description", ""),
        }
        for name, f in schema.fields.items()
    ]
    return {
        "department": connector.department,
        "name_en": connector.name_en,
        "kinds": [
            {
                "code": k.code,
                "name_zh": k.name_zh,
                "name_en": k.name_en,
                "networks": list(k.networks),
                "parameters": list(k.parameters),
            }
            for k in connector.kinds
        ],
        "parameters": [
            {
                "code": r.code,
                "unit": r.unit,
                "accepted_units": r.accepted_units,
                "plausible": list(r.plausible) if r.plausible else None,
            }
            for r in sorted(connector.parameters.values(), key=lambda r: r.code)
        ],
        "record_fields": record_fields,
        "record_example": dict(connector.record_example),
    }
