"""HJ 212 packet -> the raw observation records every push goes through (no I/O).

Which value and period per upload command:

| CN   | data          | value | period                                              |
|------|---------------|-------|-----------------------------------------------------|
| 2011 | real-time     | Rtd   | PT0S (an instant)                                   |
| 2051 | minute        | Avg   | the device's minute interval (default 10 minutes)   |
| 2061 | hourly        | Avg   | PT1H                                                |
| 2031 | daily         | Avg   | P1D                                                 |

Noise loggers send ``-Data`` instead (Annex C tables C.26/C.27); it is used when the command's
own subfield is absent. DataTime is the period start, local Beijing time; the connector turns
it into UTC. Min, Max and Cou are not stored: the hub keeps one value per period.

A DataTime outside the plausible range (older than ``max_age``, or later than now plus the
connectors' clock skew) makes the whole packet ``out_of_range``: nothing of it is stored, and
the sink returns normally so the logger gets its 9014 and stops resending a packet that can
never be stored (``00010101000000`` would otherwise fail the store and come back forever).

Units: a factor's unit is the device's per-factor override, else the default below, else the
HJ 212-2017 Annex B unit (for a vendor code mapped to a parameter, that parameter's). Annex B
prints particulates (TSP, PM10, PM2.5, PM1.0) in ng/m³, but the ambient-air and stack
analysers in use report µg/m³ -- a PM2.5 of 35 read as ng/m³ would store a clean-air
0.035 µg/m³ -- so the hub defaults them to µg/m³. O3 has no Annex B entry; it defaults to
mg/m³ like the standard's other gases.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from connectors.base import FUTURE_SKEW, CanonicalObservation, Connector, FieldError, normalise
from connectors.hj212 import DataKind, FactorReading, Packet, get_factor

PARTICULATE_CODES = frozenset({"a34001", "a34002", "a34004", "a34005"})
DEFAULT_UNITS: Mapping[str, str] = {
    **{code: "ug/m3" for code in PARTICULATE_CODES},
    "a05024": "mg/m3",
}
"""Unit defaults that differ from Annex B (see the module docstring for why)."""
DEFAULT_MINUTE_INTERVAL = 10
DEFAULT_MAX_DATA_AGE = timedelta(days=3650)
"""Oldest DataTime stored by default (``HUB_HJ212_MAX_DATA_AGE_DAYS``)."""
"""Minutes in one 2051 period when the device does not say otherwise (the usual setting)."""

_VALUE_SUBFIELD = {
    DataKind.REALTIME: "Rtd",
    DataKind.MINUTE: "Avg",
    DataKind.HOURLY: "Avg",
    DataKind.DAILY: "Avg",
}


@dataclass(frozen=True)
class DeviceProfile:
    """What the hub knows about a registered logger, as the server and sink use it."""

    mn: str
    site_code: str
    site_id: int
    department: str
    network: str
    expected_interval_seconds: int | None
    factor_map: Mapping[str, str]
    unit_overrides: Mapping[str, str]
    minute_interval: int
    created_at: datetime
    password_hash: str = field(repr=False)


@dataclass
class PacketRecords:
    """The canonical observations of one packet, and what could not be stored and why."""

    observations: list[tuple[str, CanonicalObservation]] = field(default_factory=list)
    errors: list[FieldError] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)  # factor codes with no hub parameter
    not_allowed: list[str] = field(default_factory=list)  # the department may not send them
    skipped: list[str] = field(default_factory=list)  # items with no value (equipment status)
    out_of_range: str | None = None  # why the packet's DataTime is not stored at all


def data_time_problem(data_time: datetime, now: datetime,
                      max_age: timedelta = DEFAULT_MAX_DATA_AGE) -> str | None:
    """Why ``data_time`` cannot be a measurement time (None when it is plausible)."""
    # Compared before any conversion: year 1 or 9999 overflows when moved to UTC.
    if data_time.year <= 1 or data_time.year >= 9999:
        return f"DataTime {data_time.isoformat()} is out of range"
    if data_time < now - max_age:
        return f"DataTime {data_time.isoformat()} is older than {max_age.days} days"
    if data_time > now + FUTURE_SKEW:
        return f"DataTime {data_time.isoformat()} is in the future"
    return None


def period_of(kind: DataKind, minute_interval: int = DEFAULT_MINUTE_INTERVAL) -> str | None:
    """The ISO period of an upload's values; None for uploads that carry no measurements."""
    if kind is DataKind.REALTIME:
        return "PT0S"
    if kind is DataKind.MINUTE:
        hours, minutes = divmod(minute_interval, 60)
        return "PT" + (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "")
    if kind is DataKind.HOURLY:
        return "PT1H"
    if kind is DataKind.DAILY:
        return "P1D"
    return None


def factor_unit(
    code: str, overrides: Mapping[str, str], parameter: str | None = None
) -> str | None:
    """The unit a logger sends ``code`` in: the device's override, the hub default, Annex B;
    for a vendor code Annex B lacks, those of the parameter it maps to (None: unknown)."""
    if code in overrides:
        return overrides[code]
    for candidate in (code, parameter):
        if candidate is None:
            continue
        if candidate in DEFAULT_UNITS:
            return DEFAULT_UNITS[candidate]
        factor = get_factor(candidate)
        if factor is not None and factor.unit is not None:
            return factor.unit
    return None


def parameter_of(code: str, profile: DeviceProfile, vocabulary: Mapping[str, str]) -> str | None:
    """The hub parameter for a factor code: the device's mapping, else the vocabulary's."""
    return profile.factor_map.get(code) or vocabulary.get(code)


def _value(reading: FactorReading, subfield: str) -> tuple[Decimal | None, bool]:
    """(value, present): present is False when the reading has no value item at all."""
    for key in (subfield, "Data"):
        if key in reading.values:
            return reading.values[key], True
        if key in reading.raw:
            return None, True  # sent but not a number: normalise reports it
    return None, False


def packet_records(
    packet: Packet,
    kind: DataKind,
    profile: DeviceProfile,
    vocabulary: Mapping[str, str],
    connector: Connector,
    now: datetime,
    max_age: timedelta = DEFAULT_MAX_DATA_AGE,
) -> PacketRecords:
    """Turn one (reassembled) data packet into normalised observations of the device's site.

    Every factor is a record ``factors[i]`` (i in packet order): valid ones become observations,
    the others errors that name the factor code, so the rest of the packet is still stored.
    """
    out = PacketRecords()
    period = period_of(kind, profile.minute_interval)
    subfield = _VALUE_SUBFIELD.get(kind)
    if period is None or subfield is None:
        return out
    if packet.cp.data_time is None:
        if packet.cp.factors:
            out.errors.append(FieldError("CP.DataTime", "DataTime is missing", "required"))
        return out
    out.out_of_range = data_time_problem(packet.cp.data_time, now, max_age)
    if out.out_of_range is not None:
        return out
    time = packet.cp.data_time.isoformat()
    for i, (code, reading) in enumerate(packet.cp.factors.items()):
        path = f"factors[{i}]"
        value, present = _value(reading, subfield)
        if not present and reading.flag is None:
            out.skipped.append(code)  # e.g. SB1-RS running status in a 2011 upload
            continue
        parameter = parameter_of(code, profile, vocabulary)
        if parameter is None:
            out.unknown.append(code)
            out.errors.append(
                FieldError(
                    f"{path}.parameter",
                    f"{code}: factor code maps to no hub parameter (map it on the device)",
                    "unknown_factor",
                )
            )
            continue
        raw: dict[str, object] = {
            "site": profile.site_code,
            "parameter": parameter,
            "time": time,
            "period": period,
            "value": None if value is None else float(value),
            "flag": (reading.flag or "N").strip().upper(),
        }
        if present and value is None:
            raw["value"] = reading.raw.get(subfield, reading.raw.get("Data"))
        unit = factor_unit(code, profile.unit_overrides, parameter)
        if unit is not None:
            raw["unit"] = unit
        result = normalise(connector, raw, path, now)
        if isinstance(result, CanonicalObservation):
            out.observations.append((path, result))
            continue
        if any(e.code == "not_allowed" for e in result):
            out.not_allowed.append(code)
        out.errors.extend(FieldError(e.path, f"{code}: {e.message}", e.code) for e in result)
    return out
