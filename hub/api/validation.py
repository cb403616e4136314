"""Connexion validators that report every problem with its location.

Connexion's defaults stop at the first error and put it in ``detail`` only; clients fixing
a request want all of them, each with a path (``query.limit``, ``body.observations[3].value``).
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import AsyncGenerator, Iterable, Iterator
from functools import lru_cache
from typing import Any

from connexion.exceptions import ProblemException
from connexion.json_schema import Draft4RequestValidator
from connexion.lifecycle import ConnexionRequest
from connexion.validators import VALIDATOR_MAP, JSONRequestBodyValidator, ParameterValidator
from jsonschema import Draft4Validator, validators
from jsonschema.exceptions import ValidationError
from starlette.datastructures import Headers
from starlette.types import Receive, Scope

from hub.errors import PROBLEM_BASE


def _json_path(prefix: str, parts: Iterable[Any]) -> str:
    out = prefix
    for p in parts:
        out += f"[{p}]" if isinstance(p, int) else f".{p}"
    return out


def _problem(detail: str, errors: list[dict[str, str]], status: int = 400) -> ProblemException:
    slug, title = ("bad-request", "Bad Request") if status == 400 else (
        "unsupported-media-type", "Unsupported Media Type")
    return ProblemException(
        status=status, title=title, detail=detail, type=PROBLEM_BASE + slug, ext={"errors": errors}
    )


@lru_cache(maxsize=512)
def _ecma_regex(pattern: str) -> re.Pattern[str]:
    """``pattern`` compiled with ECMA-262 meaning of ``$``: the end of the text only.

    OpenAPI patterns are ECMA regexes; in Python ``$`` also matches before a final newline,
    which let ``"SW-NL\\n"`` through ``^[A-Za-z0-9_.\\-]+$``.
    """
    out, in_class, i = [], False, 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            out.append(pattern[i : i + 2])
            i += 2
            continue
        if ch == "[":
            in_class = True
        elif ch == "]":
            in_class = False
        out.append(r"\Z" if ch == "$" and not in_class else ch)
        i += 1
    return re.compile("".join(out))


def _pattern(
    validator: Any, pattern: str, instance: Any, schema: dict[str, Any]
) -> Iterator[ValidationError]:
    if validator.is_type(instance, "string") and not _ecma_regex(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


def _no_nul(
    validator: Any, type_: Any, instance: Any, schema: dict[str, Any]
) -> Iterator[ValidationError]:
    # PostgreSQL text cannot hold NUL; refuse it here instead of failing in the driver.
    if isinstance(instance, str) and "\x00" in instance:
        yield ValidationError("NUL characters are not allowed", validator="nul")
    yield from Draft4Validator.VALIDATORS["type"](validator, type_, instance, schema)


# The JSON Schema validators the hub uses: ECMA ``$`` in patterns, no NUL in strings.
ParamValidator = validators.extend(Draft4Validator, {"pattern": _pattern, "type": _no_nul})
BodyValidator = validators.extend(
    Draft4RequestValidator, {"pattern": _pattern, "type": _no_nul}
)


def _depth(doc: Any) -> int:
    """Nesting depth of parsed JSON, iteratively (a recursive walk is what overflowed)."""
    deepest, stack = 0, [(doc, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict):
            node = list(node.values())
        if isinstance(node, list):
            deepest = max(deepest, depth)
            stack.extend((child, depth + 1) for child in node)
    return deepest


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
                for err in ParamValidator(schema).iter_errors(value):
                    errors.append(
                        {
                            "path": f"{location}.{name}",
                            "code": str(err.validator),
                            "message": err.message,
                        }
                    )
        if errors:
            detail = "; ".join(f"{e['path']}: {e['message']}" for e in errors)
            raise _problem(detail, errors)


class HubJSONBodyValidator(JSONRequestBodyValidator):
    """Validate a JSON body against the spec; report up to 100 errors with JSON paths.

    A schema marked ``x-hub-validation: per-record`` is left to the handler: batches are
    validated record by record (valid records are stored, invalid ones reported), which a
    whole-body schema check cannot do, and 10,000 items through jsonschema cost ~0.5 s.
    """

    max_depth = 64  # validator_map() sets it from HUB_MAX_JSON_DEPTH

    async def wrap_receive(self, receive: Receive, *, scope: Scope) -> tuple[Receive, Scope]:
        if self._schema.get("x-hub-validation") == "per-record":
            return receive, scope
        headers = Headers(scope=scope)
        has_body = int(headers.get("content-length") or 0) or "transfer-encoding" in headers
        if has_body and "content-type" not in headers:
            # Connexion would guess JSON, but the handler then sees raw bytes.
            raise _problem(
                "send the body with Content-Type: application/json",
                [{"path": "header.Content-Type", "code": "required", "message": "missing"}],
                status=415,
            )
        return await super().wrap_receive(receive, scope=scope)

    async def _parse(self, stream: AsyncGenerator[bytes, None], scope: Scope) -> Any:
        raw = b"".join([chunk async for chunk in stream])
        try:
            text = raw.decode(self._encoding)
        except (UnicodeDecodeError, LookupError):
            raise _problem(
                f"the request body is not valid {self._encoding} text",
                [{"path": "body", "code": "encoding", "message": "not valid text"}],
            ) from None
        if not text:
            return None
        try:
            doc = json.loads(text)
        except RecursionError:
            doc, depth = None, None
        except ValueError as exc:
            raise _problem(
                f"the request body is not valid JSON: {exc}",
                [{"path": "body", "code": "json", "message": str(exc)}],
            ) from None
        else:
            depth = _depth(doc)
        if depth is None or depth > self.max_depth:
            raise _problem(
                f"the request body nests deeper than {self.max_depth} levels",
                [{"path": "body", "code": "max_depth", "message": "nested too deep"}],
            )
        return doc

    def _validate(self, body: Any) -> dict[Any, Any] | None:
        if not self._nullable and body is None:
            raise _problem(
                "the request body must not be empty",
                [{"path": "body", "code": "required", "message": "empty body"}],
            )
        validator = BodyValidator(self._schema)
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


def validator_map(max_json_depth: int = HubJSONBodyValidator.max_depth) -> dict[str, Any]:
    """Connexion's validator map with the hub's parameter and JSON-body validators;
    bodies nested deeper than ``max_json_depth`` are refused."""
    vm = dict(VALIDATOR_MAP)
    vm["parameter"] = HubParameterValidator
    body = copy.copy(VALIDATOR_MAP["body"])
    body["*/*json"] = type(
        "BoundedJSONBodyValidator", (HubJSONBodyValidator,), {"max_depth": max_json_depth}
    )
    vm["body"] = body
    return vm
