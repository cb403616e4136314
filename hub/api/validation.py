"""Connexion validators that report every problem with its location.

Connexion's defaults stop at the first error and put it in ``detail`` only; clients fixing
a request want all of them, each with a path (``query.limit``, ``body.observations[3].value``).
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any

from connexion.exceptions import ProblemException
from connexion.json_schema import Draft4RequestValidator
from connexion.lifecycle import ConnexionRequest
from connexion.validators import VALIDATOR_MAP, JSONRequestBodyValidator, ParameterValidator
from jsonschema import Draft4Validator
from jsonschema.exceptions import ValidationError
from starlette.types import Receive, Scope

from hub.errors import PROBLEM_BASE


def _json_path(prefix: str, parts: Iterable[Any]) -> str:
    out = prefix
    for p in parts:
        out += f"[{p}]" if isinstance(p, int) else f".{p}"
    return out


def _problem(detail: str, errors: list[dict[str, str]]) -> ProblemException:
    return ProblemException(
        status=400,
        title="Bad Request",
        detail=detail,
        type=PROBLEM_BASE + "bad-request",
        ext={"errors": errors},
    )


class HubParameterValidator(ParameterValidator):
    """Validate query, path and header parameters; collect every error."""

    def validate_request(self, request: ConnexionRequest) -> None:
        errors: list[dict[str, str]] = []
        if self.strict_validation:
            extra = self.validate_query_parameter_list(
                request, security_params=self.security_query_params
            )
            for name in sorted(extra):
                errors.append(
                    {
                        "path": f"query.{name}",
                        "code": "unknown_parameter",
                        "message": f"unknown query parameter '{name}'",
                    }
                )
        sources = {
            "query": request.query_params,
            "path": request.path_params,
            "header": request.headers,
        }
        for location, values in sources.items():
            for param in self.parameters.get(location, []):
                name = param["name"]
                key = name.replace("-", "_") if location == "path" else name
                value = values.get(key)
                if value is None:
                    if param.get("required"):
                        errors.append(
                            {
                                "path": f"{location}.{name}",
                                "code": "required",
                                "message": f"missing required {location} parameter",
                            }
                        )
                    continue
                schema = copy.deepcopy(param.get("schema", param))
                for err in Draft4Validator(schema).iter_errors(value):
                    errors.append(
                        {
                            "path": f"{location}.{name}",
                            "code": str(err.validator),
                            "message": err.message,
                        }
                    )
        if errors:
            raise _problem("; ".join(f"{e['path']}: {e['message']}" for e in errors), errors)


class HubJSONBodyValidator(JSONRequestBodyValidator):
    """Validate a JSON body against the spec; report up to 100 errors with JSON paths.

    A schema marked ``x-hub-validation: per-record`` is left to the handler: batches are
    validated record by record (valid records are stored, invalid ones reported), which a
    whole-body schema check cannot do, and 10,000 items through jsonschema cost ~0.5 s.
    """

    async def wrap_receive(self, receive: Receive, *, scope: Scope) -> tuple[Receive, Scope]:
        if self._schema.get("x-hub-validation") == "per-record":
            return receive, scope
        return await super().wrap_receive(receive, scope=scope)

    def _validate(self, body: Any) -> dict[Any, Any] | None:
        if not self._nullable and body is None:
            raise _problem(
                "the request body must not be empty",
                [{"path": "body", "code": "required", "message": "empty body"}],
            )
        validator = Draft4RequestValidator(self._schema)
        found: list[ValidationError] = []
        for err in validator.iter_errors(body):
            found.append(err)
            if len(found) >= 100:
                break
        if found:
            errors = [
                {
                    "path": _json_path("body", e.absolute_path),
                    "code": str(e.validator),
                    "message": e.message,
                }
                for e in found
            ]
            raise _problem(
                f"the request body does not match the schema ({len(errors)} errors)", errors
            )
        return None


def validator_map() -> dict[str, Any]:
    """Connexion's validator map with the hub's parameter and JSON-body validators."""
    vm = dict(VALIDATOR_MAP)
    vm["parameter"] = HubParameterValidator
    body = copy.copy(VALIDATOR_MAP["body"])
    body["*/*json"] = HubJSONBodyValidator
    vm["body"] = body
    return vm
