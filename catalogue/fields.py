"""Field checks for directory files; each failure is recorded with its field path."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from catalogue.model import Window
from hub.timeutil import canonical_period, parse_period

if TYPE_CHECKING:
    from catalogue.directory import Problem

# CKAN's tag rule (ckan.logic.validators.tag_name_validator): word characters (any
# script), spaces, '-', '_' and '.', 2 to 100 characters.
_TAG = re.compile(r"^[\w \-.]{2,100}$")
_WINDOW = re.compile(r"^P(\d+)([DM])$")
MAX_WINDOW_DAYS = 5 * 366


@dataclass(frozen=True)
class Vocabulary:
    """Codes an entry may refer to (from the reference data)."""

    departments: frozenset[str]
    networks: frozenset[str]
    parameters: frozenset[str]


@dataclass
class Checker:
    """Collects problems for one file while its fields are read."""

    source: str
    vocabulary: Vocabulary
    problems: list[Problem] = field(default_factory=list)

    def fail(self, path: str, message: str) -> None:
        """Record a problem at ``path``."""
        from catalogue.directory import Problem

        self.problems.append(Problem(self.source, path, message))

    def mapping(self, doc: Any, path: str, allowed: set[str]) -> dict[str, Any]:
        """A mapping; every key outside ``allowed`` is a problem (typos are caught)."""
        if not isinstance(doc, dict):
            self.fail(path, "expected a mapping")
            return {}
        prefix = "" if path.startswith("(") else f"{path}."
        for key in sorted(set(doc) - allowed, key=str):
            self.fail(f"{prefix}{key}", f"unknown field (allowed: {', '.join(sorted(allowed))})")
        return doc

    def string(self, value: Any, path: str) -> str:
        """A required non-empty string, stripped."""
        if not isinstance(value, str) or not value.strip():
            self.fail(path, "required, a non-empty string")
            return ""
        return value.strip()

    def seq(self, value: Any, path: str, *, required: bool = True) -> list[Any]:
        """A list (non-empty when required)."""
        if not isinstance(value, list) or (required and not value):
            self.fail(path, "required, a non-empty list" if required else "expected a list")
            return []
        return value

    def choice(self, value: Any, path: str, options: Iterable[str]) -> str:
        """One of ``options``."""
        allowed = list(options)
        if value not in allowed:
            self.fail(path, f"{value!r} is not one of {', '.join(allowed)}")
            return ""
        return str(value)

    def tag(self, value: Any, path: str) -> str:
        """A keyword CKAN accepts as a tag."""
        if not isinstance(value, str) or not _TAG.match(value):
            self.fail(path, f"{value!r}: 2-100 letters, digits, spaces, '-', '_' or '.'")
            return ""
        return value

    def _code(self, value: Any, path: str, known: frozenset[str], what: str) -> str:
        if value is None:
            self.fail(path, f"required, a {what} code")
            return ""
        if value not in known:
            self.fail(path, f"unknown {what} {value!r}")
            return ""
        return str(value)

    def department(self, value: Any) -> str:
        """A known department code."""
        return self._code(value, "department", self.vocabulary.departments, "department")

    def network(self, value: Any, path: str) -> str:
        """A known network code."""
        return self._code(value, path, self.vocabulary.networks, "network")

    def parameter(self, value: Any, path: str) -> str:
        """A known parameter code."""
        return self._code(value, path, self.vocabulary.parameters, "parameter")

    def period(self, value: Any) -> str | None:
        """An ISO 8601 period in canonical spelling, or None for any period."""
        if value is None:
            return None
        try:
            return canonical_period(str(value))
        except ValueError as exc:
            self.fail("query.period", str(exc))
            return None

    def window(self, value: Any) -> Window | None:
        """Whole days (PnD) or months (PnM), one day to five years."""
        m = _WINDOW.match(str(value)) if value is not None else None
        if m is None:
            self.fail("query.window", f"{value!r}: whole days or months, e.g. P7D or P12M")
            return None
        n, unit = int(m.group(1)), m.group(2)
        approx = parse_period(str(value)).approx_seconds // 86400
        if n < 1 or approx > MAX_WINDOW_DAYS:
            self.fail("query.window", f"{value!r}: between one day and five years")
            return None
        return Window(months=n) if unit == "M" else Window(days=n)

    def bbox(self, value: Any) -> tuple[float, float, float, float]:
        """[west, south, east, north] in WGS 84 degrees."""
        ok = (
            isinstance(value, list)
            and len(value) == 4
            and all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)
        )
        if ok:
            w, s, e, n = (float(v) for v in value)
            ok = -180 <= w < e <= 180 and -90 <= s < n <= 90
            if ok:
                return (w, s, e, n)
        self.fail(
            "spatial.bbox", "[west, south, east, north] in degrees, west < east, south < north"
        )
        return (0.0, 0.0, 0.0, 0.0)

    def producer(self, value: Any, parameters: list[Any]) -> str:
        """A registered producer, given the parameters it cannot do without."""
        from catalogue.producers import PRODUCERS

        name = self.choice(value, "query.producer", sorted(PRODUCERS))
        if name and parameters:
            missing = sorted(PRODUCERS[name].needs - set(parameters))
            if missing:
                self.fail("query.parameters", f"{name} needs {', '.join(missing)}")
        return name
