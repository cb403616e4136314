"""Agriculture Bureau (Annex 3, item 15): farmland soil, non-point pollution, livestock farms.

Record shape (``POST /departments/agriculture/records``): one sample from the bureau's
monitoring system — a farmland soil sample (GB 15618-2018 items, mg/kg dry weight) or a water
sample from field drainage or a livestock farm's effluent (mg/L; fecal coliform per 100 mL as
GB 18596 states it)::

    {"site": "YJ-FS-07", "sampled_at": "2026-10-20T10:00:00+08:00", "soil_ph": 5.8,
     "cd_mg_kg": 0.21, "hg_mg_kg": 0.08, "as_mg_kg": 9.6, "pb_mg_kg": 38, ...}
    {"site": "YJ-LS-03", "sampled_at": "2026-10-21T09:00:00+08:00", "cod_mg_l": 310,
     "nh3n_mg_l": 58, "tp_mg_l": 6.2, "fecal_coliform_per_100ml": 4600}

Soil is sampled once a year per point, but the observation is the sample itself: every
observation has period ``PT0S`` at ``sampled_at``, not a yearly mean.
"""

from __future__ import annotations

from marshmallow import RAISE, Schema, fields, validate

from connectors import units as u
from connectors.base import Connector, ObservationKind, ParameterRule
from connectors.units import Conversion, unit_key
from connectors.wide import wide_schema, wide_translator

# Counts per volume: MPN and plate counts are both organisms per volume; only the volume
# is converted.
PER_LITRE = {unit_key(k): Conversion(f) for k, f in (
    ("count/L", 1), ("MPN/L", 1), ("个/L", 1), ("count/100mL", 10), ("MPN/100mL", 10),
    ("个/100mL", 10))}

_SOIL = ("s_cd", "s_hg", "s_as", "s_pb", "s_cr", "s_cu", "s_ni", "s_zn")
_WATER_MG = ("w01018", "w01017", "w21003", "w21001", "w21011", "w21007", "w01012")

PARAMETERS: dict[str, ParameterRule] = {
    "s_ph": ParameterRule("s_ph", "pH", u.PH),
    **{c: ParameterRule(c, "mg/kg", u.SOIL_MG_KG) for c in _SOIL},
    "w01001": ParameterRule("w01001", "pH", u.PH),
    **{c: ParameterRule(c, "mg/L", u.WATER_MG) for c in _WATER_MG},
    "w02003": ParameterRule("w02003", "count/L", PER_LITRE),
}

KINDS = (
    ObservationKind("farmland-soil", "耕地土壤环境质量监测", "Farmland soil quality",
                    ("farmland-soil",), ("s_ph", *_SOIL)),
    ObservationKind("agri-nonpoint", "种植业面源污染监测", "Cropland non-point pollution",
                    ("agri-nonpoint",),
                    ("w01001", "w21001", "w21011", "w21003", "w21007", "w01018", "w01012")),
    ObservationKind("livestock", "畜禽养殖污染监测", "Livestock and poultry farm effluent",
                    ("livestock",),
                    ("w01001", "w01018", "w01017", "w21003", "w21001", "w21011", "w01012",
                     "w02003")),
)

# column → (parameter code, unit the bureau's system writes in that column)
COLUMNS: dict[str, tuple[str, str]] = {
    "soil_ph": ("s_ph", "pH"), "cd_mg_kg": ("s_cd", "mg/kg"), "hg_mg_kg": ("s_hg", "mg/kg"),
    "as_mg_kg": ("s_as", "mg/kg"), "pb_mg_kg": ("s_pb", "mg/kg"),
    "cr_mg_kg": ("s_cr", "mg/kg"), "cu_mg_kg": ("s_cu", "mg/kg"),
    "ni_mg_kg": ("s_ni", "mg/kg"), "zn_mg_kg": ("s_zn", "mg/kg"),
    "water_ph": ("w01001", "pH"), "cod_mg_l": ("w01018", "mg/L"),
    "bod5_mg_l": ("w01017", "mg/L"), "nh3n_mg_l": ("w21003", "mg/L"),
    "tn_mg_l": ("w21001", "mg/L"), "tp_mg_l": ("w21011", "mg/L"),
    "no3n_mg_l": ("w21007", "mg/L"), "ss_mg_l": ("w01012", "mg/L"),
    "fecal_coliform_per_100ml": ("w02003", "count/100mL"),
}


class _SampleKeys(Schema):
    class Meta:
        unknown = RAISE  # a misspelt column must be reported, not silently dropped

    site = fields.String(
        required=True, validate=validate.Length(min=1, max=64),
        metadata={"description": "site code of the soil point, drainage outlet or farm"})
    sampled_at = fields.AwareDateTime(
        required=True, metadata={"description": "sampling time, ISO 8601 with offset"})


AgriSampleSchema = wide_schema(_SampleKeys, COLUMNS, "AgriSampleSchema")


# One observation per filled column, at the sampling instant (``PT0S``).
translate = wide_translator(COLUMNS, "site", "sampled_at", "PT0S")


CONNECTOR = Connector(
    department="agriculture",
    name_en="Municipal Agriculture Bureau",
    kinds=KINDS,
    parameters=PARAMETERS,
    record_schema=AgriSampleSchema,
    translate=translate,
    record_example={
        "site": "YJ-FS-07", "sampled_at": "2026-10-20T10:00:00+08:00", "soil_ph": 5.8,
        "cd_mg_kg": 0.21, "hg_mg_kg": 0.08, "as_mg_kg": 9.6, "pb_mg_kg": 38.0,
        "cr_mg_kg": 52.0, "cu_mg_kg": 18.5, "ni_mg_kg": 14.2, "zn_mg_kg": 61.0,
    },
)
