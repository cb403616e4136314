"""Yangjiang Maritime Safety Administration (Annex 3, item 23): ship pollution.

Record shape (``POST /departments/maritime/records``): one pollution inspection of a ship
(船舶污染检查) — the ship is named in the record, but the observations attach to the hub's
monitoring site for the port or anchorage where the inspection took place::

    {"inspection_no": "YJMSA-2026-0412", "ship_name": "HAI XING 8", "imo": "9074729",
     "port_site": "YJ-SP-01", "inspected_at": "2026-11-18T14:30:00+08:00",
     "oil_content_mg_l": 12.0, "discharge_m3": 3.5}

``oil_content_mg_l`` is the oil content of the water the ship discharged (or proposed to
discharge), ``discharge_m3`` the volume of that discharge. Both are readings of the
inspection: period ``PT0S`` at ``inspected_at``. Ship name, IMO number and inspection
number are the inspection's identity; they are validated here but not stored as data.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, validate

from connectors import units as u
from connectors.base import Connector, ObservationKind, ParameterRule
from connectors.units import Conversion, unit_key

# Oil content meters (IMO MEPC.107(49)) read ppm by volume; turning that into mg/L needs
# the oil's density, so ppm is refused rather than taken as mg/L.
OIL_CONTENT = {k: c for k, c in u.WATER_MG.items() if k != unit_key("ppm")}
# Tonnes are refused for the same reason: oily water has no fixed density.
VOLUME = {unit_key(k): Conversion(f) for k, f in (("m3", 1), ("立方米", 1), ("L", 0.001))}

PARAMETERS: dict[str, ParameterRule] = {
    "sp_oil_content": ParameterRule("sp_oil_content", "mg/L", OIL_CONTENT),
    "sp_oil_discharge": ParameterRule("sp_oil_discharge", "m3", VOLUME),
}

KINDS = (
    ObservationKind("ship-pollution", "船舶污染监视监测", "Ship pollution", ("ship-pollution",),
                    ("sp_oil_content", "sp_oil_discharge")),
)

# column → (parameter code, unit the inspection system writes in that column)
COLUMNS: dict[str, tuple[str, str]] = {
    "oil_content_mg_l": ("sp_oil_content", "mg/L"),
    "discharge_m3": ("sp_oil_discharge", "m3"),
}


def _imo_number(text: str) -> None:
    # The seventh digit is a check digit (weights 7..2 over the first six, mod 10), which
    # catches the transposed digits that would attach an inspection to the wrong ship.
    if len(text) != 7 or not text.isascii() or not text.isdigit():
        raise ValidationError("an IMO number has 7 digits")
    if sum(int(d) * w for d, w in zip(text[:6], range(7, 1, -1), strict=True)) % 10 != int(
            text[6]):
        raise ValidationError(f"IMO {text} fails its check digit")


class InspectionSchema(Schema):
    """One ship-pollution inspection (oil content mg/L, discharge volume m³)."""

    class Meta:
        unknown = RAISE  # a misspelt column must be reported, not silently dropped

    inspection_no = fields.String(load_default=None, validate=validate.Length(max=64),
                                  metadata={"description": "the MSA's inspection number"})
    ship_name = fields.String(required=True, validate=validate.Length(min=1, max=128))
    # Domestic coastal and inland ships often have no IMO number.
    imo = fields.String(load_default=None, allow_none=True, validate=_imo_number,
                        metadata={"description": "IMO ship number, 7 digits"})
    port_site = fields.String(
        required=True, validate=validate.Length(min=1, max=64),
        metadata={"description": "site code of the port or anchorage"})
    inspected_at = fields.AwareDateTime(
        required=True, metadata={"description": "inspection time, ISO 8601 with offset"})
    oil_content_mg_l = fields.Float(allow_none=True,
                                    metadata={"description": "sp_oil_content in mg/L"})
    discharge_m3 = fields.Float(allow_none=True,
                                metadata={"description": "sp_oil_discharge in m3"})


def translate(record: Mapping[str, Any]) -> Iterable[Mapping[str, Any]]:
    """The inspection's readings as observations at the port site (``PT0S``)."""
    time = record["inspected_at"].isoformat()
    for column, (code, unit) in COLUMNS.items():
        if record.get(column) is not None:
            yield {"site": record["port_site"], "parameter": code, "time": time,
                   "period": "PT0S", "value": record[column], "unit": unit}


CONNECTOR = Connector(
    department="maritime",
    name_en="Yangjiang Maritime Safety Administration",
    kinds=KINDS,
    parameters=PARAMETERS,
    record_schema=InspectionSchema,
    translate=translate,
    record_example={
        "inspection_no": "YJMSA-2026-0412", "ship_name": "HAI XING 8", "imo": "9074729",
        "port_site": "YJ-SP-01", "inspected_at": "2026-11-18T14:30:00+08:00",
        "oil_content_mg_l": 12.0, "discharge_m3": 3.5,
    },
)
