"""The command parameters (``CP=&&...&&``) of an HJ 212 data segment.

Times: the standard's ``YYYYMMDDhhmmss[zzz]`` stamps carry no zone; loggers in China send local
Beijing time, so they are read as UTC+8 and returned as aware datetimes (China has no DST).

Layout (6.3.3): ``key=value`` items; items of the same factor are joined by ``,`` and different
items by ``;``. The parser does not rely on that distinction (Annex C itself writes
``BeginTime=...,EndTime=...``): every ``code-Sub`` key goes to the factor ``code`` whatever the
separator. ``-Info`` log values are ``//``-delimited UTF-8 text that may contain separators.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from decimal import Decimal, InvalidOperation

from connectors.hj212.errors import SegmentFieldError

BEIJING = timezone(timedelta(hours=8), "UTC+08:00")
"""The zone of every HJ 212 timestamp (local Beijing time, no DST)."""

NUMERIC_SUBFIELDS = frozenset(
    {"Rtd", "Avg", "Min", "Max", "Cou", "ZsRtd", "ZsAvg", "ZsMin", "ZsMax", "Data", "DayData",
     "NightData", "RS", "RT"}
)
"""Per-factor subfields whose value is a number (table 4); they are parsed to Decimal."""

_TIME_RE = re.compile(r"\d{14}(\d{3})?")

CpValue = str | int | Decimal | float | datetime


def parse_hj_time(
    value: str, *, field_name: str = "DataTime", offset: int | None = None
) -> datetime:
    """Parse ``YYYYMMDDhhmmss`` or ``YYYYMMDDhhmmsszzz`` as an aware Beijing-time datetime."""
    text = value.strip()
    if not _TIME_RE.fullmatch(text):
        raise SegmentFieldError(
            f"{field_name} must be YYYYMMDDhhmmss[zzz], got {text[:20]!r}",
            field=field_name, offset=offset,
        )
    try:
        stamp = datetime.strptime(text[:14], "%Y%m%d%H%M%S").replace(tzinfo=BEIJING)
    except ValueError as exc:
        raise SegmentFieldError(f"{field_name} is not a valid time: {text!r}", field=field_name,
                         offset=offset) from exc
    if len(text) == 17:
        stamp = stamp.replace(microsecond=int(text[14:]) * 1000)
    return stamp


def format_hj_time(value: datetime, *, millis: bool = False) -> str:
    """Format ``value`` as ``YYYYMMDDhhmmss`` (``zzz`` appended when ``millis``) in Beijing time.

    A naive datetime is taken to be Beijing local time already, as on the wire.
    """
    local = value.astimezone(BEIJING) if value.tzinfo is not None else value
    text = local.strftime("%Y%m%d%H%M%S")
    return f"{text}{local.microsecond // 1000:03d}" if millis else text


def format_value(value: CpValue) -> str:
    """Render one CP value: datetimes as HJ 212 times, Decimals without exponent."""
    if isinstance(value, datetime):
        return format_hj_time(value)
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


@dataclass(frozen=True)
class FactorReading:
    """All ``code-Sub=value`` items of one factor (or of one SBxxx / ixxxxx code).

    ``raw`` keeps every subfield as received (order preserved), ``values`` the numeric ones as
    Decimal. A numeric subfield that does not parse stays only in ``raw`` (with a CP warning).
    """

    code: str
    raw: dict[str, str] = field(default_factory=dict)
    values: dict[str, Decimal] = field(default_factory=dict)
    sample_time: datetime | None = None

    @property
    def flag(self) -> str | None:
        """The data flag (table 8: N, F, M, S, D, C, T, B), if sent."""
        return self.raw.get("Flag")

    @property
    def eflag(self) -> str | None:
        """The instrument-defined extended flag, if sent."""
        return self.raw.get("EFlag")

    def as_dict(self) -> dict[str, Decimal | str | datetime]:
        """Subfield -> value: numbers as Decimal, SampleTime as datetime, the rest as text."""
        out: dict[str, Decimal | str | datetime] = dict(self.raw)
        out.update(self.values)
        if self.sample_time is not None:
            out["SampleTime"] = self.sample_time
        return out


@dataclass(frozen=True)
class CommandParams:
    """Parsed CP: plain fields (raw text), per-factor readings, and what could not be parsed."""

    fields: dict[str, str] = field(default_factory=dict)
    factors: dict[str, FactorReading] = field(default_factory=dict)
    data_time: datetime | None = None
    unparsed: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()


def make_cp(
    fields: Mapping[str, CpValue] | None = None,
    factors: Mapping[str, Mapping[str, CpValue]] | None = None,
) -> CommandParams:
    """Build CommandParams from Python values (the writer side), by formatting then parsing."""
    return parse_cp(format_items(fields or {}, factors or {}))


def format_items(
    fields: Mapping[str, CpValue], factors: Mapping[str, Mapping[str, CpValue]]
) -> str:
    """Format plain fields and factor groups as a CP body (without ``CP=&&``/``&&``)."""
    items = [f"{k}={format_value(v)}" for k, v in fields.items()]
    for code, subs in factors.items():
        items.append(",".join(f"{code}-{sub}={format_value(v)}" for sub, v in subs.items()))
    return ";".join(items)


def format_cp(cp: CommandParams) -> str:
    """Format parsed CommandParams back to a CP body, fields first then one group per factor."""
    body = format_items(cp.fields, {code: r.raw for code, r in cp.factors.items()})
    return ";".join(([body] if body else []) + list(cp.unparsed))


def _tokens(body: str) -> list[tuple[int, str, str | None]]:
    """Split a CP body into (char position, key, value) items; value None when there is no '='."""
    out: list[tuple[int, str, str | None]] = []
    pos, end = 0, len(body)
    while pos < end:
        if body[pos] in ";,":
            pos += 1
            continue
        stop = _next_sep(body, pos)
        eq = body.find("=", pos, stop)
        if eq < 0:
            out.append((pos, body[pos:stop], None))
            pos = stop
            continue
        val_start = eq + 1
        while val_start < end and body[val_start] == " ":
            val_start += 1
        if body.startswith("//", val_start):
            # A //log text// value may contain ';' or ',', so skip to its closing '//'.
            close = body.find("//", val_start + 2)
            if close >= 0:
                stop = _next_sep(body, close + 2)
        out.append((pos, body[pos:eq], body[eq + 1 : stop]))
        pos = stop
    return out


def _next_sep(body: str, start: int) -> int:
    positions = [p for p in (body.find(";", start), body.find(",", start)) if p >= 0]
    return min(positions) if positions else len(body)


def parse_cp(body: str, *, base_offset: int = 0) -> CommandParams:
    """Parse a CP body (text between ``CP=&&`` and the final ``&&``).

    ``base_offset`` is the byte offset of ``body`` in the frame, used in error locations. Only a
    malformed ``DataTime`` is an error; other oddities are kept raw and reported in ``warnings``.
    """
    fields: dict[str, str] = {}
    raw_factors: dict[str, dict[str, str]] = {}
    unparsed: list[str] = []
    warnings: list[str] = []
    data_time: datetime | None = None
    for pos, key_text, value_text in _tokens(body):
        key = key_text.strip()
        if value_text is None:
            if key:
                unparsed.append(key)
                warnings.append(f"CP item without '=' kept raw: {key[:40]!r}")
            continue
        value = value_text.strip()
        code, _, sub = key.partition("-")
        sub = sub.lstrip("-").strip()
        code = code.strip()
        if code and sub:
            group = raw_factors.setdefault(code, {})
            if sub in group:
                warnings.append(f"duplicate {code}-{sub}; last value kept")
            group[sub] = value
            continue
        if key in fields:
            warnings.append(f"duplicate {key}; last value kept")
        fields[key] = value
        if key == "DataTime":
            offset = base_offset + len(body[:pos].encode("utf-8"))
            data_time = parse_hj_time(value, field_name="DataTime", offset=offset)
    factors = {code: _reading(code, subs, warnings) for code, subs in raw_factors.items()}
    return CommandParams(fields=fields, factors=factors, data_time=data_time,
                         unparsed=tuple(unparsed), warnings=tuple(warnings))


def _reading(code: str, subs: dict[str, str], warnings: list[str]) -> FactorReading:
    values: dict[str, Decimal] = {}
    sample_time: datetime | None = None
    for sub, text in subs.items():
        if sub in NUMERIC_SUBFIELDS:
            number = _decimal(text)
            if number is None:
                warnings.append(f"{code}-{sub} is not a number: {text[:20]!r}")
            else:
                values[sub] = number
        elif sub == "SampleTime":
            try:
                sample_time = parse_hj_time(text, field_name=f"{code}-SampleTime")
            except SegmentFieldError as exc:
                warnings.append(exc.reason)
    return FactorReading(code=code, raw=subs, values=values, sample_time=sample_time)


def _decimal(text: str) -> Decimal | None:
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    # Decimal accepts 'NaN' and 'Infinity'; neither is a measurement.
    return number if number.is_finite() else None
