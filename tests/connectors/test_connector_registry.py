"""Every department connector agrees with the reference data and with itself."""

import importlib
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml

import hub.reference_data
from connectors.base import Connector, load_record
from connectors.registry import REGISTRY
from connectors.units import unit_key

NOW = datetime(2026, 12, 1, tzinfo=UTC)
_REF = Path(hub.reference_data.__file__).parent
NETWORKS = {n["code"]: n for n in yaml.safe_load((_REF / "networks.yaml").read_text())["networks"]}
VOCABULARY = {
    p["code"]: p for p in yaml.safe_load((_REF / "parameters.yaml").read_text())["parameters"]
}
DEPARTMENTS = [
    d["code"] for d in yaml.safe_load((_REF / "departments.yaml").read_text())["departments"]
]
CONNECTORS = [pytest.param(c, id=d) for d, c in REGISTRY.items()]


def test_one_connector_per_department() -> None:
    assert sorted(REGISTRY) == sorted(DEPARTMENTS)
    assert all(REGISTRY[d].department == d for d in REGISTRY)


@pytest.mark.parametrize("connector", CONNECTORS)
def test_kinds_use_only_the_departments_own_networks(connector: Connector) -> None:
    own = {code for code, n in NETWORKS.items() if n["department"] == connector.department}
    for kind in connector.kinds:
        assert kind.networks, kind.code
        assert set(kind.networks) <= own, kind.code


@pytest.mark.parametrize("connector", CONNECTORS)
def test_every_own_network_has_a_kind(connector: Connector) -> None:
    own = {code for code, n in NETWORKS.items() if n["department"] == connector.department}
    assert connector.networks == own


@pytest.mark.parametrize("connector", CONNECTORS)
def test_parameter_rules_match_the_vocabulary(connector: Connector) -> None:
    for code, rule in connector.parameters.items():
        assert rule.code == code
        assert code in VOCABULARY, code
        assert rule.unit == VOCABULARY[code]["unit"], code
        # The canonical unit itself must pass through unchanged.
        conv = rule.units.get(unit_key(rule.unit))
        assert conv is not None and (conv.factor, conv.offset) == (1, 0), code
        if rule.plausible is not None:
            assert rule.plausible[0] < rule.plausible[1], code


@pytest.mark.parametrize("connector", CONNECTORS)
def test_kind_parameters_are_declared(connector: Connector) -> None:
    for kind in connector.kinds:
        assert set(kind.parameters) <= set(connector.parameters), kind.code


@pytest.mark.parametrize("connector", [c for c in CONNECTORS if c.id != "environment"])
def test_every_declared_parameter_belongs_to_a_kind(connector: Connector) -> None:
    # (The environment connector declares soil codes ahead of a soil network.)
    in_kinds = {p for kind in connector.kinds for p in kind.parameters}
    assert set(connector.parameters) <= in_kinds


@pytest.mark.parametrize("connector", CONNECTORS)
def test_record_example_loads_and_translates(connector: Connector) -> None:
    obs, errors = load_record(connector, connector.record_example, "records[0]", NOW)
    assert errors == []
    assert obs
    in_kinds = {p for kind in connector.kinds for p in kind.parameters}
    assert {o.parameter for o in obs} <= in_kinds


@pytest.mark.parametrize("department", [d for d in REGISTRY if d != "environment"])
def test_every_record_column_converts(department: str) -> None:
    # A column whose unit the rule refuses would fail every record that fills it.
    module = importlib.import_module(f"connectors.{department}")
    rules = module.CONNECTOR.parameters
    for column, (code, unit) in module.COLUMNS.items():
        assert code in rules, column
        assert unit_key(unit) in rules[code].units, column
        assert column in module.CONNECTOR.record_schema().fields, column
