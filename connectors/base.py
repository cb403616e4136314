"""What a connector declares, and the normalisation every observation goes through.

A connector is data: the observation kinds a department brings, the parameters it may
send with their accepted units, plausible ranges where they differ from the vocabulary,
and the marshmallow schema of the department's own record shape with a translation to
canonical observations. Nothing here knows HTTP or SQL; site ownership is checked by the
ingest service, which has the database.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from marshmallow import Schema, ValidationError

from connectors.units import Conversion, unit_key
from hub.timeutil import canonical_period, parse_instant, parse_period

# HJ 212-2017 data flags (Table 8): N normal, F stopped, M maintenance, S manual input,
# D fault, C calibration, T over range, B communication fault.
DATA_FLAGS = frozenset("NFMSDCTB")
# Clocks at the far end drift; a value stamped a little in the future is not an error.
FUTURE_SKEW = timedelta(minutes=5)
_FIELDS = frozenset({"site", "parameter", "time", "period", "value", "unit", "flag"})
# Client input echoed in an error message is cut here: a receipt is stored, and a 10 MB
# site code must not become a 10 MB receipt. Paths and messages are bounded once more in
# FieldError itself, for every error the hub builds from input (not only these).
ECHO_CHARS = 200
PATH_CHARS = 300
MESSAGE_CHARS = 1000
# Column widths: a longer site code cannot exist, a longer period spelling cannot be stored.
SITE_CODE_CHARS = 64
PERIOD_CHARS = 16
# No ISO 8601 date-time or duration the hub accepts is longer; refusing longer text up front
# keeps parsers (and their caches) away from megabyte strings.
TIME_TEXT_CHARS = 64
PERIOD_TEXT_CHARS = 32


def clip(value: object, limit: int = ECHO_CHARS) -> str:
    """``value`` as text for an error message, cut to ``limit`` characters."""
    text = value if isinstance(value, str) else repr(value)
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text) - limit} more characters)"


@dataclass(frozen=True)
class Bounds:
    """What the hub accepts as an observation's time and period (``HUB_PUSH_*`` settings)."""

    earliest: datetime = datetime(1900, 1, 1, tzinfo=UTC)
    max_period: str = "P10Y"

    @property
    def max_period_seconds(self) -> int:
        return parse_period(self.max_period).approx_seconds


DEFAULT_BOUNDS = Bounds()


@dataclass(frozen=True)
class ParameterRule:
    """A parameter a department may send, and the units it may send it in."""

    code: str
    unit: str  # canonical unit (must equal the vocabulary's)
    units: Mapping[str, Conversion]
    plausible: tuple[float, float] | None = None  # department-specific plausible range

    def convert(self, value: float, unit: str) -> float | None:
        conv = self.units.get(unit_key(unit))
        return None if conv is None else conv.apply(value)

    @property
    def accepted_units(self) -> list[str]:
        return sorted(self.units)


@dataclass(frozen=True)
class ObservationKind:
    """One kind of monitoring a department does (Annex 3 of the plan)."""

    code: str
    name_zh: str
    name_en: str
    networks: tuple[str, ...]
    parameters: tuple[str, ...]


@dataclass(frozen=True)
class CanonicalObservation:
    """A canonical observation: site code, parameter code, UTC time, canonical unit."""

    site: str
    parameter: str
    time: datetime
    period: str
    value: float | None
    flag: str = "N"


@dataclass(frozen=True)
class FieldError:
    """One thing wrong with an input, and where (a JSON path or ``query.<name>``).

    The hub's one located-error type: connectors report record errors with it and
    ``hub.errors`` renders the same type in every problem+json ``errors`` list.
    """

    path: str
    message: str
    code: str = "invalid"

    def __post_init__(self) -> None:
        # Paths carry client field names and messages client values: both stay bounded,
        # and without NUL, which no receipt stored as PostgreSQL jsonb may contain.
        for name, limit in (("path", PATH_CHARS), ("message", MESSAGE_CHARS)):
            value = getattr(self, name)
            if len(value) > limit or "\x00" in value:
                object.__setattr__(self, name, clip(value.replace("\x00", "\\x00"), limit))


# Translate one loaded wide record into raw observation dicts (site, parameter, time,
# period, value, unit, flag), each then normalised like a pushed observation.
Translator = Callable[[Mapping[str, Any]], Iterable[Mapping[str, Any]]]


@dataclass(frozen=True)
class Connector:
    """Everything the hub needs to know about one department's data."""

    department: str
    name_en: str
    kinds: tuple[ObservationKind, ...]
    parameters: Mapping[str, ParameterRule]
    record_schema: type[Schema]
    translate: Translator
    record_example: Mapping[str, Any] = field(default_factory=dict)

    @property
    def networks(self) -> frozenset[str]:
        return frozenset(n for k in self.kinds for n in k.networks)


Err = Callable[[str, str, str], None]


def _time(raw: Mapping[str, Any], now: datetime, bounds: Bounds, err: Err) -> datetime | None:
    t = raw.get("time")
    if not isinstance(t, str):
        err("time", "required", "time is required (ISO 8601 with a UTC offset)")
        return None
    if len(t) > TIME_TEXT_CHARS:
        err("time", "format", f"{clip(t, 40)} is not an ISO 8601 date-time")
        return None
    try:
        time = parse_instant(t, date_is_local_day=False)
    except ValueError as exc:
        err("time", "format", str(exc))
        return None
    except OverflowError:
        # 0001-01-01T00:00:00+08:00 is a valid local time whose UTC instant is in year 0.
        err("time", "range", f"time {t} is outside the years 1 to 9999 in UTC")
        return None
    if time > now + FUTURE_SKEW:
        err("time", "future", f"time {t} is in the future")
        return None
    if time < bounds.earliest:
        err("time", "range", f"time {t} is before {bounds.earliest.isoformat()}")
        return None
    return time


def _period(raw: Mapping[str, Any], bounds: Bounds, err: Err) -> str:
    p = raw.get("period", "PT1H")
    if not isinstance(p, str) or len(p) > PERIOD_TEXT_CHARS:
        err("period", "format", f"{clip(p, 40)} is not an ISO 8601 duration such as PT1H")
        return "PT1H"
    try:
        duration = parse_period(p)
    except ValueError as exc:
        err("period", "format", str(exc))
        return "PT1H"
    canonical = canonical_period(p)
    if duration.approx_seconds > bounds.max_period_seconds or len(canonical) > PERIOD_CHARS:
        err("period", "range", f"period {p} is longer than the hub accepts ({bounds.max_period})")
        return "PT1H"
    return canonical


def _value(raw: Mapping[str, Any], rule: ParameterRule | None, flag: Any, err: Err) -> float | None:
    value = raw.get("value")
    number: float | None = None
    if value is None:
        if flag == "N":
            err("value", "required", "a value is required unless the flag says why it is absent")
    elif isinstance(value, bool) or not isinstance(value, int | float):
        err("value", "type", f"value must be a number, got {clip(value)}")
    elif isinstance(value, int) and abs(value) > sys.float_info.max:
        err("value", "range", "value is too large for a floating-point number")
    elif not math.isfinite(value):
        err("value", "type", "value must be a finite number")
    else:
        number = float(value)
    if rule is None:
        return number
    unit = raw.get("unit", rule.unit)
    if not isinstance(unit, str):
        err("unit", "type", "unit must be a string")
    elif rule.units.get(unit_key(unit)) is None:
        err(
            "unit",
            "not_convertible",
            f"unit '{clip(unit)}' cannot be converted to {rule.unit} for {rule.code}",
        )
    elif number is not None:
        converted = rule.convert(number, unit)
        # 1e306 mg/m³ is finite; the same in µg/m³ is not, and inf is no measurement.
        if converted is not None and not math.isfinite(converted):
            err("value", "range", f"value {number:g} {unit} is out of range in {rule.unit}")
            return None
        return converted
    return number


def normalise(
    connector: Connector,
    raw: Mapping[str, Any],
    path: str,
    now: datetime,
    bounds: Bounds = DEFAULT_BOUNDS,
) -> CanonicalObservation | list[FieldError]:
    """Check one pushed observation and bring it into the hub's vocabulary.

    Returns the canonical observation, or every error found (never just the first).
    ``bounds`` says how old a time and how long a period the hub accepts.
    """
    errors: list[FieldError] = []

    def err(fld: str, code: str, message: str) -> None:
        errors.append(FieldError(f"{path}.{fld}", message, code))

    if not isinstance(raw, Mapping):
        return [FieldError(path, "an observation must be an object", "type")]
    for name in sorted(set(raw) - _FIELDS, key=str):
        err(clip(name, 64), "unknown_field", f"unknown field '{clip(name, 64)}'")
    site = raw.get("site")
    if not isinstance(site, str) or not site.strip():
        err("site", "required", "site code is required")
    elif len(site.strip()) > SITE_CODE_CHARS:
        err("site", "max_length", f"a site code has at most {SITE_CODE_CHARS} characters")
    elif not site.strip().isprintable():
        # NUL cannot even be sent to PostgreSQL in a query; no code has control characters.
        err("site", "format", f"site code {clip(site, 64)} has control characters")
    code = raw.get("parameter")
    rule = connector.parameters.get(code) if isinstance(code, str) else None
    if not isinstance(code, str) or not code:
        err("parameter", "required", "parameter code is required")
    elif rule is None:
        err(
            "parameter",
            "not_allowed",
            f"parameter '{clip(code, 64)}' is not one the {connector.department} department sends",
        )
    time = _time(raw, now, bounds, err)
    period = _period(raw, bounds, err)
    flag = raw.get("flag", "N")
    if not isinstance(flag, str) or flag not in DATA_FLAGS:
        err("flag", "invalid", f"flag must be one of {''.join(sorted(DATA_FLAGS))}")
    number = _value(raw, rule, flag, err)
    if errors:
        return errors
    assert isinstance(site, str) and isinstance(code, str) and time is not None
    return CanonicalObservation(site.strip(), code, time.astimezone(UTC), period, number, str(flag))


def load_record(
    connector: Connector, raw: Any, path: str, now: datetime, bounds: Bounds = DEFAULT_BOUNDS
) -> tuple[list[CanonicalObservation], list[FieldError]]:
    """Validate one department-shaped record and translate it into canonical observations."""
    if not isinstance(raw, Mapping):
        return [], [FieldError(path, "a record must be an object", "type")]
    try:
        loaded = connector.record_schema().load(raw)
    except ValidationError as exc:
        return [], list(_schema_errors(path, exc.normalized_messages()))
    observations: list[CanonicalObservation] = []
    errors: list[FieldError] = []
    for i, item in enumerate(connector.translate(loaded)):
        result = normalise(connector, item, f"{path}.observations[{i}]", now, bounds)
        if isinstance(result, CanonicalObservation):
            observations.append(result)
        else:
            errors.extend(result)
    return observations, errors


def _schema_errors(path: str, messages: Any) -> Iterable[FieldError]:
    if isinstance(messages, dict):
        for key, sub in messages.items():
            seg = f"{path}[{key}]" if isinstance(key, int) else f"{path}.{clip(key, 64)}"
            yield from _schema_errors(seg, sub)
    elif isinstance(messages, list) and all(isinstance(m, str) for m in messages):
        for m in messages:
            yield FieldError(path, m, "invalid")
    else:
        yield FieldError(path, str(messages), "invalid")
