"""Every operation in the spec resolves to a handler, and every list is capped at 1000."""

import importlib
from pathlib import Path

import yaml

SPEC_DIR = Path(__file__).resolve().parents[2] / "openapi"


def _operations():
    from hub.spec import load_spec

    for spec in (load_spec(), yaml.safe_load((SPEC_DIR / "ops.yaml").read_text())):
        for path, item in spec["paths"].items():
            for method, op in item.items():
                if method in {"get", "post", "put", "patch", "delete"}:
                    yield spec, path, method, op


def test_every_operation_id_resolves_to_a_function() -> None:
    for _spec, path, method, op in _operations():
        module, func = op["operationId"].rsplit(".", 1)
        handler = getattr(importlib.import_module(f"hub.api.{module}"), func, None)
        assert callable(handler), f"{method.upper()} {path}: {op['operationId']}"


def test_limit_is_capped_at_1000() -> None:
    spec = yaml.safe_load((SPEC_DIR / "hub.yaml").read_text())
    limit = spec["components"]["parameters"]["limit"]["schema"]
    assert limit["maximum"] == 1000 and limit["minimum"] == 1
