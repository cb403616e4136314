"""The spec and the connector registry agree."""

from pathlib import Path

import yaml

from connectors.registry import REGISTRY

SPEC = Path(__file__).resolve().parents[2] / "openapi" / "hub.yaml"


def test_department_enum_equals_the_registry() -> None:
    from hub.spec import load_spec

    spec = load_spec()
    enum = spec["components"]["parameters"]["department"]["schema"]["enum"]
    assert sorted(enum) == sorted(REGISTRY)


def test_every_department_record_shape_is_documented() -> None:
    spec = yaml.safe_load(SPEC.read_text())
    schemas = spec["components"]["schemas"]
    one_of = {ref["$ref"].rsplit("/", 1)[-1] for ref in schemas["DepartmentRecord"]["oneOf"]}
    for department, connector in REGISTRY.items():
        name = f"Record_{department}"
        assert name in one_of, name
        documented = set(schemas[name]["properties"])
        fields = {f.data_key or n for n, f in connector.record_schema().fields.items()}
        assert documented == fields, department


def test_generated_record_block_is_up_to_date() -> None:
    from connectors.openapi import BEGIN, END, render

    text = SPEC.read_text(encoding="utf-8")
    block = text.split(BEGIN + "\n", 1)[1].split(END + "\n", 1)[0]
    assert block == render() + "\n", "run: python -m connectors.openapi openapi/hub.yaml"
