"""Water Affairs Bureau (Annex 3, item 14): water-function zones, reservoirs, algae.

Record shape (``POST /departments/water/records``): one grab sample at a water-function-zone
section or reservoir point, as the bureau's laboratory system exports it — the section code,
the sampling time and one column per determinand, the unit in the column name::

    {"section": "YJ-WFZ-03", "sampled_at": "2026-11-05T09:30:00+08:00", "ph": 7.2,
     "do_mg_l": 6.8, "codmn_mg_l": 2.1, "nh3n_mg_l": 0.32, "tp_mg_l": 0.05, "cu_ug_l": 3.1,
     "chla_ug_l": 8.4, "algae_cells_l": 2.6e6, ...}

Metals come in µg/L (ICP-MS), everything else in mg/L, fecal coliform per litre, algae in
cells/L and zooplankton in individuals/L. A grab sample is an instant: every observation has
period ``PT0S`` at ``sampled_at``.
"""

from __future__ import annotations

from marshmallow import RAISE, Schema, fields, validate

from connectors import units as u
from connectors.base import Connector, ObservationKind, ParameterRule
from connectors.units import Conversion, unit_key
from connectors.wide import wide_schema, wide_translator

# Counts per volume: MPN and membrane-filter counts are both reported as organisms per
# volume (GB 3838 accepts either method), so only the volume is converted.
PER_LITRE = {unit_key(k): Conversion(f) for k, f in (
    ("count/L", 1), ("MPN/L", 1), ("个/L", 1), ("count/100mL", 10), ("MPN/100mL", 10))}
CELLS = {unit_key(k): Conversion(f) for k, f in (
    ("cells/L", 1), ("个/L", 1), ("count/L", 1), ("万个/L", 1e4), ("cells/mL", 1000))}
INDIVIDUALS = {unit_key(k): Conversion(f) for k, f in (
    ("ind/L", 1), ("个/L", 1), ("count/L", 1), ("ind/m3", 0.001))}
# Chlorophyll a: oceanographers write mg/m³, which is exactly µg/L.
CHLA = {**u.WATER_UG, unit_key("mg/m3"): Conversion(1)}

# GB 3838-2002 Table 1 items other than temperature, pH, DO and fecal coliform.
_BASIC_MG = ("w01019", "w01018", "w01017", "w21003", "w21011", "w21001", "w20122", "w20123",
             "w21017", "w20128", "w20141", "w20111", "w20115", "w20117", "w20120", "w21016",
             "w23002", "w22001", "w19002", "w21019")
# GB 3838-2002 Table 2, supplementary items for drinking-water sources (reservoirs).
_SOURCE_MG = ("w21038", "w21022", "w21007", "w20125", "w20124")

PARAMETERS: dict[str, ParameterRule] = {
    "w01010": ParameterRule("w01010", "degC", u.CELSIUS),
    "w01001": ParameterRule("w01001", "pH", u.PH),
    "w01009": ParameterRule("w01009", "mg/L", u.WATER_MG),
    **{c: ParameterRule(c, "mg/L", u.WATER_MG) for c in (*_BASIC_MG, *_SOURCE_MG)},
    "w02003": ParameterRule("w02003", "count/L", PER_LITRE),
    "w_chla": ParameterRule("w_chla", "ug/L", CHLA),
    "w_algae": ParameterRule("w_algae", "cells/L", CELLS),
    "w_zooplankton": ParameterRule("w_zooplankton", "ind/L", INDIVIDUALS),
    "w_level": ParameterRule("w_level", "m", u.METRES),
    "w_transparency": ParameterRule("w_transparency", "m", u.METRES),
}

_TABLE1 = ("w01010", "w01001", "w01009", *_BASIC_MG, "w02003")
KINDS = (
    ObservationKind("water-function-zone", "水功能区监测", "Water-function zones",
                    ("water-function-zone",), (*_TABLE1, "w_level")),
    ObservationKind("reservoir", "水库水源地监测", "Reservoir water sources", ("reservoir",),
                    (*_TABLE1, *_SOURCE_MG, "w_chla", "w_transparency", "w_level")),
    ObservationKind("algae", "藻类与浮游动物监测", "Algae and zooplankton", ("algae",),
                    ("w_algae", "w_zooplankton", "w_chla")),
)

# column → (parameter code, unit the laboratory system writes in that column)
COLUMNS: dict[str, tuple[str, str]] = {
    "water_temp_c": ("w01010", "degC"), "ph": ("w01001", "pH"), "do_mg_l": ("w01009", "mg/L"),
    "codmn_mg_l": ("w01019", "mg/L"), "cod_mg_l": ("w01018", "mg/L"),
    "bod5_mg_l": ("w01017", "mg/L"), "nh3n_mg_l": ("w21003", "mg/L"),
    "tp_mg_l": ("w21011", "mg/L"), "tn_mg_l": ("w21001", "mg/L"),
    "cu_ug_l": ("w20122", "ug/L"), "zn_ug_l": ("w20123", "ug/L"),
    "se_ug_l": ("w20128", "ug/L"), "as_ug_l": ("w20141", "ug/L"),
    "hg_ug_l": ("w20111", "ug/L"), "cd_ug_l": ("w20115", "ug/L"),
    "cr6_ug_l": ("w20117", "ug/L"), "pb_ug_l": ("w20120", "ug/L"),
    "f_mg_l": ("w21017", "mg/L"), "cn_mg_l": ("w21016", "mg/L"),
    "phenol_mg_l": ("w23002", "mg/L"), "petroleum_mg_l": ("w22001", "mg/L"),
    "las_mg_l": ("w19002", "mg/L"), "sulfide_mg_l": ("w21019", "mg/L"),
    "fecal_coliform_per_l": ("w02003", "count/L"),
    "so4_mg_l": ("w21038", "mg/L"), "cl_mg_l": ("w21022", "mg/L"),
    "no3n_mg_l": ("w21007", "mg/L"), "fe_mg_l": ("w20125", "mg/L"),
    "mn_mg_l": ("w20124", "mg/L"), "chla_ug_l": ("w_chla", "ug/L"),
    "transparency_m": ("w_transparency", "m"), "water_level_m": ("w_level", "m"),
    "algae_cells_l": ("w_algae", "cells/L"), "zooplankton_ind_l": ("w_zooplankton", "ind/L"),
}


class _SampleKeys(Schema):
    class Meta:
        unknown = RAISE  # a misspelt column must be reported, not silently dropped

    section = fields.String(
        required=True, validate=validate.Length(min=1, max=64),
        metadata={"description": "site code of the section or reservoir point"})
    sampled_at = fields.AwareDateTime(
        required=True, metadata={"description": "sampling time, ISO 8601 with offset"})


WaterSampleSchema = wide_schema(_SampleKeys, COLUMNS, "WaterSampleSchema")


# One observation per filled column, at the sampling instant (``PT0S``).
translate = wide_translator(COLUMNS, "section", "sampled_at", "PT0S")


CONNECTOR = Connector(
    department="water",
    name_en="Municipal Water Affairs Bureau",
    kinds=KINDS,
    parameters=PARAMETERS,
    record_schema=WaterSampleSchema,
    translate=translate,
    record_example={
        "section": "YJ-RES-02", "sampled_at": "2026-11-05T09:30:00+08:00",
        "water_temp_c": 22.4, "ph": 7.2, "do_mg_l": 6.8, "codmn_mg_l": 2.1, "bod5_mg_l": 1.6,
        "nh3n_mg_l": 0.32, "tp_mg_l": 0.05, "tn_mg_l": 0.86, "cu_ug_l": 3.1, "zn_ug_l": 12.0,
        "as_ug_l": 1.4, "hg_ug_l": 0.02, "cd_ug_l": 0.08, "pb_ug_l": 0.9,
        "fecal_coliform_per_l": 1300, "fe_mg_l": 0.12, "mn_mg_l": 0.03, "chla_ug_l": 8.4,
        "transparency_m": 1.6, "water_level_m": 38.72, "algae_cells_l": 2.6e6,
    },
)
