"""Ocean and Fisheries Bureau (Annex 3, item 17): coastal marine and fishery waters.

Record shape (``POST /departments/marine/records``): one surface-layer seawater sample at a
station of the bureau's cruise, with the GB 3097-1997 items as columns — nutrients and
petroleum in mg/L (inorganic nitrogen as N, active phosphate as P), trace metals in µg/L,
salinity on the practical scale, chlorophyll a in µg/L::

    {"station": "YJ-MC-05", "sampled_at": "2026-08-14T10:20:00+08:00", "ph": 8.12,
     "do_mg_l": 6.4, "cod_mg_l": 1.1, "din_mg_l": 0.182, "po4_mg_l": 0.012,
     "petroleum_mg_l": 0.021, "cu_ug_l": 2.3, "hg_ug_l": 0.031, "salinity_psu": 31.6, ...}

A grab sample is an instant: every observation has period ``PT0S`` at ``sampled_at``.
"""

from __future__ import annotations

from marshmallow import RAISE, Schema, fields, validate

from connectors import units as u
from connectors.base import Connector, ObservationKind, ParameterRule
from connectors.units import Conversion, unit_key
from connectors.wide import wide_schema, wide_translator

# Oceanographic laboratories report nutrients in µmol/L. "As N" and "as P" make the molar
# conversion exact: M(N) = 14.007 g/mol, M(P) = 30.974 g/mol.
DIN = {**u.WATER_MG, unit_key("umol/L"): Conversion(14.007e-3)}
PO4 = {**u.WATER_MG, unit_key("umol/L"): Conversion(30.974e-3)}
# Chlorophyll a in mg/m³ (the oceanographic habit) is exactly µg/L.
CHLA = {**u.WATER_UG, unit_key("mg/m3"): Conversion(1)}
PER_LITRE = {unit_key(k): Conversion(f) for k, f in (
    ("count/L", 1), ("MPN/L", 1), ("个/L", 1), ("count/100mL", 10), ("MPN/100mL", 10))}
# Salinity stays on the practical scale: ‰ (Knudsen) is a different definition, so a
# value in ‰ is refused rather than relabelled.

_METALS = ("w20111", "w20115", "w20120", "w20117", "w20116", "w20141", "w20122", "w20123",
           "w20128", "w20121")
_MG = ("w01009", "w01018", "w01017", "w01012", "w22001", "w21016", "w21019", "w23002",
       *_METALS)

PARAMETERS: dict[str, ParameterRule] = {
    # Seawater sits between about 7.5 and 8.5; outside 6-9.5 it is a probe fault or an
    # estuarine outfall worth a look, so the range check is tighter than the vocabulary's.
    "w01001": ParameterRule("w01001", "pH", u.PH, plausible=(6.0, 9.5)),
    "w01010": ParameterRule("w01010", "degC", u.CELSIUS),
    "w_salinity": ParameterRule("w_salinity", "PSU", u.same("PSU")),
    **{c: ParameterRule(c, "mg/L", u.WATER_MG) for c in _MG},
    "w_din": ParameterRule("w_din", "mg/L", DIN),
    "w_po4": ParameterRule("w_po4", "mg/L", PO4),
    "w02003": ParameterRule("w02003", "count/L", PER_LITRE),
    "w_chla": ParameterRule("w_chla", "ug/L", CHLA),
}

_SEA = ("w01001", "w01010", "w_salinity", "w01009", "w01018", "w01017", "w_din", "w_po4",
        "w22001", "w21016", "w21019", "w23002", *_METALS, "w02003", "w_chla")
KINDS = (
    ObservationKind("marine-coastal", "近岸海域海洋环境监测", "Coastal marine environment",
                    ("marine-coastal",), _SEA),
    # GB 11607 adds suspended solids for fishery waters.
    ObservationKind("fishery-waters", "渔业水域环境监测", "Fishery waters",
                    ("fishery-waters",), (*_SEA, "w01012")),
)

# column → (parameter code, unit the bureau's system writes in that column)
COLUMNS: dict[str, tuple[str, str]] = {
    "water_temp_c": ("w01010", "degC"), "salinity_psu": ("w_salinity", "PSU"),
    "ph": ("w01001", "pH"), "do_mg_l": ("w01009", "mg/L"), "cod_mg_l": ("w01018", "mg/L"),
    "bod5_mg_l": ("w01017", "mg/L"), "ss_mg_l": ("w01012", "mg/L"),
    "din_mg_l": ("w_din", "mg/L"), "po4_mg_l": ("w_po4", "mg/L"),
    "petroleum_mg_l": ("w22001", "mg/L"), "cn_mg_l": ("w21016", "mg/L"),
    "sulfide_mg_l": ("w21019", "mg/L"), "phenol_mg_l": ("w23002", "mg/L"),
    "hg_ug_l": ("w20111", "ug/L"), "cd_ug_l": ("w20115", "ug/L"),
    "pb_ug_l": ("w20120", "ug/L"), "cr6_ug_l": ("w20117", "ug/L"),
    "cr_ug_l": ("w20116", "ug/L"), "as_ug_l": ("w20141", "ug/L"),
    "cu_ug_l": ("w20122", "ug/L"), "zn_ug_l": ("w20123", "ug/L"),
    "se_ug_l": ("w20128", "ug/L"), "ni_ug_l": ("w20121", "ug/L"),
    "fecal_coliform_per_l": ("w02003", "count/L"), "chla_ug_l": ("w_chla", "ug/L"),
}


class _SampleKeys(Schema):
    class Meta:
        unknown = RAISE  # a misspelt column must be reported, not silently dropped

    station = fields.String(
        required=True, validate=validate.Length(min=1, max=64),
        metadata={"description": "site code of the sea station"})
    sampled_at = fields.AwareDateTime(
        required=True, metadata={"description": "sampling time, ISO 8601 with offset"})


SeawaterSampleSchema = wide_schema(_SampleKeys, COLUMNS, "SeawaterSampleSchema")


# One observation per filled column, at the sampling instant (``PT0S``).
translate = wide_translator(COLUMNS, "station", "sampled_at", "PT0S")


CONNECTOR = Connector(
    department="marine",
    name_en="Municipal Ocean and Fisheries Bureau",
    kinds=KINDS,
    parameters=PARAMETERS,
    record_schema=SeawaterSampleSchema,
    translate=translate,
    record_example={
        "station": "YJ-MC-05", "sampled_at": "2026-08-14T10:20:00+08:00",
        "water_temp_c": 28.9, "salinity_psu": 31.6, "ph": 8.12, "do_mg_l": 6.4,
        "cod_mg_l": 1.1, "din_mg_l": 0.182, "po4_mg_l": 0.012, "petroleum_mg_l": 0.021,
        "hg_ug_l": 0.031, "cd_ug_l": 0.12, "pb_ug_l": 0.86, "cu_ug_l": 2.3, "zn_ug_l": 14.0,
        "as_ug_l": 1.7, "chla_ug_l": 2.4,
    },
)
