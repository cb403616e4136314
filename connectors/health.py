"""Health and Family Planning Bureau (Annex 3, item 18): tap water and exposed populations.

Record shape (``POST /departments/health/records``): one sanitary-monitoring sample at a
waterworks outlet (出厂水) or a tap (末梢水) — GB 5749-2022 indicators as columns, bacteria
per 100 mL (plate count per mL), nitrate as N, trace metals in µg/L — or, at a
population-health site, the survey's blood-lead result::

    {"site": "YJ-TAP-03", "sampled_at": "2026-11-12T09:00:00+08:00", "turbidity_ntu": 0.35,
     "free_chlorine_mg_l": 0.62, "total_coliform_mpn_100ml": 0, "e_coli_mpn_100ml": 0,
     "cfu_per_ml": 12, "nitrate_n_mg_l": 2.1, "ph": 7.3, "as_ug_l": 0.8, ...}
    {"site": "YJ-PH-01", "sampled_at": "2026-09-15T09:00:00+08:00", "blood_pb_ug_l": 46}

``blood_pb_ug_l`` is the exposed group's geometric mean: individual results are personal
health data and never leave the bureau. Whether a site is an outlet or a tap is a property
of the site, not of the record. Every observation has period ``PT0S`` at ``sampled_at``.
"""

from __future__ import annotations

from marshmallow import RAISE, Schema, fields, validate

from connectors import units as u
from connectors.base import Connector, ObservationKind, ParameterRule
from connectors.units import Conversion, unit_key
from connectors.wide import wide_schema, wide_translator

# GB 5749 states coliforms as MPN/100 mL or CFU/100 mL (multiple-tube or membrane
# filtration) and judges them alike, so both count; only the volume is converted.
PER_100ML = {unit_key(k): Conversion(f) for k, f in (
    ("MPN/100mL", 1), ("CFU/100mL", 1), ("count/100mL", 1), ("个/100mL", 1),
    ("MPN/L", 0.1), ("CFU/L", 0.1), ("count/L", 0.1))}
PER_ML = {unit_key(k): Conversion(f) for k, f in (("CFU/mL", 1), ("count/mL", 1), ("个/mL", 1))}
# FNU (ISO 7027, infrared) and NTU (white light) read differently on the same water, so
# only NTU is accepted.
TURBIDITY = u.same("NTU")
BLOOD = {unit_key(k): Conversion(f) for k, f in (("ug/L", 1), ("ug/dL", 10), ("mg/L", 1000))}

_MG = ("d_free_chlorine", "w21007", "w01019", "w21003", "w21017", "w20141", "w20115",
       "w20117", "w20120", "w20111")

PARAMETERS: dict[str, ParameterRule] = {
    "d_turbidity": ParameterRule("d_turbidity", "NTU", TURBIDITY),
    "d_total_coliform": ParameterRule("d_total_coliform", "MPN/100mL", PER_100ML),
    "d_e_coli": ParameterRule("d_e_coli", "MPN/100mL", PER_100ML),
    "d_cfu": ParameterRule("d_cfu", "CFU/mL", PER_ML),
    "w01001": ParameterRule("w01001", "pH", u.PH),
    **{c: ParameterRule(c, "mg/L", u.WATER_MG) for c in _MG},
    "h_blood_pb": ParameterRule("h_blood_pb", "ug/L", BLOOD),
}

KINDS = (
    ObservationKind("tap-water", "出厂水与末梢水卫生监测", "Tap water at plants and taps",
                    ("tap-water",),
                    ("d_turbidity", "d_total_coliform", "d_e_coli", "d_cfu", "w01001", *_MG)),
    ObservationKind("population-health", "暴露人群健康监测", "Exposed-population health",
                    ("population-health",), ("h_blood_pb",)),
)

# column → (parameter code, unit the bureau's system writes in that column)
COLUMNS: dict[str, tuple[str, str]] = {
    "turbidity_ntu": ("d_turbidity", "NTU"), "free_chlorine_mg_l": ("d_free_chlorine", "mg/L"),
    "total_coliform_mpn_100ml": ("d_total_coliform", "MPN/100mL"),
    "e_coli_mpn_100ml": ("d_e_coli", "MPN/100mL"), "cfu_per_ml": ("d_cfu", "CFU/mL"),
    "ph": ("w01001", "pH"), "nitrate_n_mg_l": ("w21007", "mg/L"),
    "codmn_mg_l": ("w01019", "mg/L"), "nh3n_mg_l": ("w21003", "mg/L"),
    "f_mg_l": ("w21017", "mg/L"), "as_ug_l": ("w20141", "ug/L"),
    "cd_ug_l": ("w20115", "ug/L"), "cr6_ug_l": ("w20117", "ug/L"),
    "pb_ug_l": ("w20120", "ug/L"), "hg_ug_l": ("w20111", "ug/L"),
    "blood_pb_ug_l": ("h_blood_pb", "ug/L"),
}


class _SampleKeys(Schema):
    class Meta:
        unknown = RAISE  # a misspelt column must be reported, not silently dropped

    site = fields.String(
        required=True, validate=validate.Length(min=1, max=64),
        metadata={"description": "site code of the outlet, tap or population-health area"})
    sampled_at = fields.AwareDateTime(
        required=True, metadata={"description": "sampling time, ISO 8601 with offset"})


HealthSampleSchema = wide_schema(_SampleKeys, COLUMNS, "HealthSampleSchema")


# One observation per filled column, at the sampling instant (``PT0S``).
translate = wide_translator(COLUMNS, "site", "sampled_at", "PT0S")


CONNECTOR = Connector(
    department="health",
    name_en="Municipal Health and Family Planning Bureau",
    kinds=KINDS,
    parameters=PARAMETERS,
    record_schema=HealthSampleSchema,
    translate=translate,
    record_example={
        "site": "YJ-TAP-03", "sampled_at": "2026-11-12T09:00:00+08:00",
        "turbidity_ntu": 0.35, "free_chlorine_mg_l": 0.62, "total_coliform_mpn_100ml": 0,
        "e_coli_mpn_100ml": 0, "cfu_per_ml": 12, "ph": 7.3, "nitrate_n_mg_l": 2.1,
        "codmn_mg_l": 1.1, "nh3n_mg_l": 0.05, "f_mg_l": 0.22, "as_ug_l": 0.8, "pb_ug_l": 0.5,
    },
)
