"""Land and Resources Bureau (Annex 3, item 11): groundwater and mine geological environment.

Record shape (``POST /departments/land/records``): one visit to a monitoring point — a
groundwater well or a mine-geology survey point — with what was measured there, the unit in
each column's name::

    {"point": "YJ-GW-04", "measured_at": "2026-11-10T10:15:00+08:00",
     "depth_to_water_m": 4.35, "water_level_m": 12.81, "ph": 7.1, "tds_mg_l": 212,
     "nh3n_mg_l": 0.08, "as_ug_l": 1.2, ...}
    {"point": "YJ-MG-02", "measured_at": "2026-11-10T15:00:00+08:00",
     "displacement_mm": 12.4, "depth_to_water_m": 18.2}

Quality columns follow the routine indicators of GB/T 14848-2017 (trace metals in µg/L,
the rest in mg/L; nitrate and nitrite as N). A level reading and a grab sample are instants,
and ``displacement_mm`` is the cumulative displacement at the survey: every observation has
period ``PT0S`` at ``measured_at``.
"""

from __future__ import annotations

from marshmallow import RAISE, Schema, fields, validate

from connectors import units as u
from connectors.base import Connector, ObservationKind, ParameterRule
from connectors.wide import wide_schema, wide_translator

# GB/T 14848-2017 routine indicators the bureau analyses, canonical mg/L.
_QUALITY_MG = ("w01006", "g_hardness", "w21038", "w21022", "w20125", "w20124", "w23002",
               "w01019", "w21003", "w21007", "w21006", "w21017", "w21016", "w20141", "w20111",
               "w20115", "w20117", "w20120")

PARAMETERS: dict[str, ParameterRule] = {
    "g_depth": ParameterRule("g_depth", "m", u.METRES),
    "w_level": ParameterRule("w_level", "m", u.METRES),
    "w01010": ParameterRule("w01010", "degC", u.CELSIUS),
    "w01001": ParameterRule("w01001", "pH", u.PH),
    **{c: ParameterRule(c, "mg/L", u.WATER_MG) for c in _QUALITY_MG},
    # Survey instruments report mm; total stations and GNSS exports sometimes cm or m.
    "g_displacement": ParameterRule("g_displacement", "mm", u.MM),
}

KINDS = (
    ObservationKind("groundwater", "地下水地质环境监测", "Groundwater level and quality",
                    ("groundwater",),
                    ("g_depth", "w_level", "w01010", "w01001", *_QUALITY_MG)),
    # Mining drains aquifers, so mine-area monitoring reads the water table too.
    ObservationKind("mine-geology", "矿山地质环境监测", "Mine geological environment",
                    ("mine-geology",), ("g_displacement", "g_depth")),
)

# column → (parameter code, unit the bureau's system writes in that column)
COLUMNS: dict[str, tuple[str, str]] = {
    "depth_to_water_m": ("g_depth", "m"), "water_level_m": ("w_level", "m"),
    "water_temp_c": ("w01010", "degC"), "ph": ("w01001", "pH"),
    "tds_mg_l": ("w01006", "mg/L"), "hardness_mg_l": ("g_hardness", "mg/L"),
    "so4_mg_l": ("w21038", "mg/L"), "cl_mg_l": ("w21022", "mg/L"),
    "fe_mg_l": ("w20125", "mg/L"), "mn_mg_l": ("w20124", "mg/L"),
    "phenol_mg_l": ("w23002", "mg/L"), "codmn_mg_l": ("w01019", "mg/L"),
    "nh3n_mg_l": ("w21003", "mg/L"), "no3n_mg_l": ("w21007", "mg/L"),
    "no2n_mg_l": ("w21006", "mg/L"), "f_mg_l": ("w21017", "mg/L"),
    "cn_mg_l": ("w21016", "mg/L"), "as_ug_l": ("w20141", "ug/L"),
    "hg_ug_l": ("w20111", "ug/L"), "cd_ug_l": ("w20115", "ug/L"),
    "cr6_ug_l": ("w20117", "ug/L"), "pb_ug_l": ("w20120", "ug/L"),
    "displacement_mm": ("g_displacement", "mm"),
}


class _VisitKeys(Schema):
    class Meta:
        unknown = RAISE  # a misspelt column must be reported, not silently dropped

    point = fields.String(
        required=True, validate=validate.Length(min=1, max=64),
        metadata={"description": "site code of the well or mine-geology point"})
    measured_at = fields.AwareDateTime(
        required=True, metadata={"description": "reading or sampling time, ISO 8601 with offset"})


PointVisitSchema = wide_schema(_VisitKeys, COLUMNS, "PointVisitSchema")


# One observation per filled column, at the measurement instant (``PT0S``).
translate = wide_translator(COLUMNS, "point", "measured_at", "PT0S")


CONNECTOR = Connector(
    department="land",
    name_en="Municipal Land and Resources Bureau",
    kinds=KINDS,
    parameters=PARAMETERS,
    record_schema=PointVisitSchema,
    translate=translate,
    record_example={
        "point": "YJ-GW-04", "measured_at": "2026-11-10T10:15:00+08:00",
        "depth_to_water_m": 4.35, "water_level_m": 12.81, "water_temp_c": 23.6, "ph": 7.1,
        "tds_mg_l": 212, "hardness_mg_l": 118, "so4_mg_l": 21.5, "cl_mg_l": 16.2,
        "fe_mg_l": 0.12, "mn_mg_l": 0.03, "codmn_mg_l": 1.2, "nh3n_mg_l": 0.08,
        "no3n_mg_l": 3.2, "no2n_mg_l": 0.005, "f_mg_l": 0.31, "as_ug_l": 1.2, "pb_ug_l": 0.8,
    },
)
