"""Generate the OpenAPI description of each department's record shape.

``python -m connectors.openapi openapi/hub.yaml`` rewrites the block between the
``BEGIN generated`` and ``END generated`` markers; a contract test fails when the spec and
the connectors drift apart.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import yaml
from marshmallow import fields

from connectors.registry import REGISTRY

BEGIN = "    # BEGIN generated department records (python -m connectors.openapi)"
END = "    # END generated department records"
_TYPES: list[tuple[type[fields.Field], dict[str, Any]]] = [
    (fields.AwareDateTime, {"type": "string", "format": "date-time"}),
    (fields.DateTime, {"type": "string", "format": "date-time"}),
    (fields.Float, {"type": "number"}),
    (fields.Integer, {"type": "integer"}),
    (fields.Boolean, {"type": "boolean"}),
    (fields.String, {"type": "string"}),
]


def _field_schema(field: fields.Field) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for cls, schema in _TYPES:
        if isinstance(field, cls):
            out = dict(schema)
            break
    if field.allow_none:
        out["nullable"] = True
    desc = (field.metadata or {}).get("description")
    if desc:
        out["description"] = str(desc)
    return out


def record_components() -> dict[str, Any]:
    """Component schemas ``Record_<department>`` and the ``DepartmentRecord`` union."""
    comps: dict[str, Any] = {}
    for dept, connector in sorted(REGISTRY.items()):
        schema = connector.record_schema()
        props = {f.data_key or n: _field_schema(f) for n, f in schema.fields.items()}
        required = sorted(f.data_key or n for n, f in schema.fields.items() if f.required)
        comps[f"Record_{dept}"] = {
            "type": "object",
            "title": f"{dept}: {connector.name_en}",
            "description": (connector.record_schema.__doc__ or "").strip().split("\n")[0],
            "required": required,
            "properties": props,
            "example": dict(connector.record_example),
        }
    comps["DepartmentRecord"] = {
        "description": "One record in the pushing department's own shape (see each "
                       "Record_<department>; the path's department decides which applies).",
        "oneOf": [{"$ref": f"#/components/schemas/Record_{d}"} for d in sorted(REGISTRY)],
    }
    return comps


def render() -> str:
    text = yaml.safe_dump(record_components(), allow_unicode=True, sort_keys=False, width=100)
    return "\n".join("    " + line if line else line for line in text.splitlines())


def rewrite(spec: Path) -> bool:
    """Replace the generated block in ``spec``; True when the file changed."""
    text = spec.read_text(encoding="utf-8")
    head, rest = text.split(BEGIN + "\n", 1)
    _, tail = rest.split(END + "\n", 1)
    new = f"{head}{BEGIN}\n{render()}\n{END}\n{tail}"
    if new != text:
        spec.write_text(new, encoding="utf-8")
    return new != text


if __name__ == "__main__":  # pragma: no cover
    changed = rewrite(Path(sys.argv[1]))
    print("rewritten" if changed else "up to date")
